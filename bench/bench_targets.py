"""Benchmark: issue 10's targets, side by side in one run, with the bot in a process of its own.

    uv run python -m bench.bench_targets --pg-url postgresql://postgres@127.0.0.1:5432/DB

This process runs the fake Telegram Bot API servers (fakebot, real HTTP) and the experts; each
bot under test runs in its own process (`bench.botproc`) and long-polls its server, so the CPU
read from /proc for that process is the bot's alone (the fake server's and the experts' cost is
not in it). Measured, per database (SQLite always, PostgreSQL with ``--pg-url``):

1. **CPU per dialogue step**: ``--experts`` experts at once each walk one complete first-time
   /contact dialogue (15 updates); the real bot against **replay**, a bare ptb app that makes
   the same Bot API calls the bot made at each step (recorded in the bot's warm-up round), with
   no database and no dialogue logic. The two take turns, ``--repeat`` times; ratios are
   medians. On PostgreSQL the CPU of the bot's server backends (read from /proc) is reported
   beside it. ``--other-request httpx`` adds the bot on the other HTTP backend to the turns.
2. **p95 update latency**: ``--latency-experts`` experts each tapping through the dialogue, one
   step every 1–3 s (seeded random), for ``--latency-seconds``; latency is from queueing the
   update on the server to the bot's last handler (``--repeat`` times, median of the p95s).
3. **Throughput with the production pacing** (SQLite): the bot and the replay app, both with
   ``AIORateLimiter(overall_max_rate=30)``, ``--pacing-experts`` experts at once.
4. **Idle RSS** of ``python -m bot run`` (the production entry point: migrations, then
   polling) after start-up.

On PostgreSQL the bench WIPES the database it is given (drops and re-creates the schema
``public``, as the PostgreSQL tests do): give it a database of its own.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.bench_contact import Step, contact_script, find_button, pct, setup_database
from fakebot import DEFAULT_TOKEN, FakeTelegram

JSON = dict[str, Any]
CLK_TCK = os.sysconf("SC_CLK_TCK")
FIRST_USER_ID = 1_000_000


# --------------------------------------------------------------------------- /proc


def proc_cpu_seconds(pid: int) -> float | None:
    """User + system CPU of a process (all its threads), or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime


_T0 = time.perf_counter()


def progress(message: str) -> None:
    """A line on stderr, so a long run shows where it is."""
    print(f"[{time.perf_counter() - _T0:6.1f} s] {message}", file=sys.stderr, flush=True)


def log_fd(path: Path) -> int:
    """A file descriptor for a child's output (the child keeps its own copy)."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)


def proc_rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class PgBackendCpu:
    """CPU of the PostgreSQL server processes serving one database, read from /proc while a
    phase runs (backends are named ``postgres: … <user> <database> <client> …``). A backend
    that starts during the phase counts from zero; one that ends counts up to its last sample."""

    def __init__(self, database: str | None) -> None:
        self.database = database
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self._task: asyncio.Task[None] | None = None

    def _pids(self) -> list[int]:
        marker = f" {self.database} ".encode()
        pids = []
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            try:
                with open(f"/proc/{name}/cmdline", "rb") as f:
                    cmdline = f.read()
            except OSError:
                continue
            if cmdline.startswith(b"postgres: ") and marker in cmdline:
                pids.append(int(name))
        return pids

    def _sample(self, *, baseline: bool = False) -> None:
        for pid in self._pids():
            cpu = proc_cpu_seconds(pid)
            if cpu is None:
                continue
            self.first.setdefault(pid, cpu if baseline else 0.0)
            self.last[pid] = cpu

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(0.25)
            self._sample()

    def start(self) -> None:
        if self.database is None:
            return
        self.first.clear()
        self.last.clear()
        self._sample(baseline=True)
        self._task = asyncio.create_task(self._loop())

    async def stop(self) -> float | None:
        if self._task is None:
            return None
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None
        self._sample()
        return sum(self.last[pid] - self.first[pid] for pid in self.last)


# --------------------------------------------------------------------------- the bot process


class BotProcess:
    """A `bench.botproc` child polling ``tg``; ``deliver`` queues an update on the server and
    returns when the child's last handler group has seen it."""

    def __init__(
        self,
        tg: FakeTelegram,
        name: str,
        args: list[str],
        log_dir: Path,
        prefix: tuple[str, ...] = (),  # e.g. valgrind and its options (bench.step_instructions)
        timeout: float = 60.0,  # for one update, and twice it for start-up
    ) -> None:
        self.tg, self.name, self.args, self.prefix, self.timeout = tg, name, args, prefix, timeout
        self.log_path = log_dir / f"{name.replace(' ', '_')}.log"
        self.pending: dict[int, asyncio.Future[int]] = {}
        self.proc: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None
        self.ready_rss_mb = 0.0

    async def start(self) -> BotProcess:
        log = log_fd(self.log_path)
        try:
            self.proc = await asyncio.create_subprocess_exec(
                *self.prefix,
                sys.executable,
                "-m",
                "bench.botproc",
                "--api-url",
                self.tg.url,
                *self.args,
                stdout=asyncio.subprocess.PIPE,
                stderr=log,
            )
        finally:
            os.close(log)
        assert self.proc.stdout is not None
        line = b"-"
        while line and line.strip() != b"READY":  # a wrapper (a profiler) may write first
            line = await asyncio.wait_for(self.proc.stdout.readline(), 2 * self.timeout)
        if not line:
            raise RuntimeError(f"{self.name} did not start: {self.log_path.read_text()[-2000:]}")
        self.ready_rss_mb = proc_rss_mb(self.proc.pid)
        self._reader = asyncio.create_task(self._read())
        return self

    async def _read(self) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        async for line in self.proc.stdout:
            if line.startswith(b"D "):
                _, update_id, ns = line.split()
                fut = self.pending.pop(int(update_id), None)
                if fut is not None and not fut.done():
                    fut.set_result(int(ns))

    def cpu_seconds(self) -> float:
        assert self.proc is not None
        return proc_cpu_seconds(self.proc.pid) or 0.0

    async def deliver(self, update: JSON) -> float:
        fut: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self.pending[update["update_id"]] = fut
        started = time.monotonic_ns()
        self.tg.push_update(update)
        try:
            done = await asyncio.wait_for(fut, self.timeout)
        except TimeoutError:
            tail = self.log_path.read_text(errors="replace")[-3000:]
            raise RuntimeError(
                f"{self.name}: update not done in {self.timeout:.0f} s; its log:\n{tail}"
            ) from None
        return (done - started) / 1e9

    async def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.returncode is None:
            self.proc.terminate()
            try:
                await asyncio.wait_for(self.proc.wait(), 20)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader


# --------------------------------------------------------------------------- phases


@dataclass
class Phase:
    updates: int = 0
    seconds: float = 0.0
    cpu: float = 0.0  # the bot process
    pg_cpu: float | None = None  # its PostgreSQL backends
    latencies: list[float] = field(default_factory=list)
    calls: Counter[str] = field(default_factory=Counter)  # Bot API calls, getUpdates aside

    @property
    def cpu_ms_per_update(self) -> float:
        return self.cpu / self.updates * 1000 if self.updates else 0.0

    @property
    def throughput(self) -> float:
        return self.updates / self.seconds if self.seconds else 0.0


Calls = list[tuple[str, JSON]]


def calls_for(tg: FakeTelegram, chat_id: int, since: int) -> Calls:
    """The Bot API calls made for one chat after ``since`` (its answers included)."""
    out: Calls = []
    for call in tg.calls:
        if call.seq <= since or call.method == "getUpdates":
            continue
        if call.method == "answerCallbackQuery":
            query = tg.callback_queries.get(str(call.params.get("callback_query_id")))
            if query is None or query.chat_id != chat_id:
                continue
        elif call.params.get("chat_id") != chat_id:
            continue
        params = {k: v for k, v in call.params.items() if k not in ("chat_id", "callback_query_id")}
        out.append((call.method, params))
    return out


async def step(bot: BotProcess, chat_id: int, action: Step) -> float:
    _, kind, text = action
    tg = bot.tg
    if kind == "say":
        return await bot.deliver(tg.message_update(chat_id, text))
    message_id, data = find_button(tg, chat_id, text)
    return await bot.deliver(tg.callback_query_update(chat_id, message_id, data))


async def walk(
    bot: BotProcess,
    index: int,
    chat_id: int,
    latencies: list[float],
    record: list[list[Calls]] | None = None,
) -> None:
    """Expert ``index`` (chat ``chat_id``) walks one complete first-time dialogue, one update
    after the other; each step's latency is appended to ``latencies``, and with ``record``
    the Bot API calls of each step go to ``record[index]``."""
    steps: list[Calls] = []
    for action in contact_script(index):
        since = bot.tg.current_seq
        latencies.append(await step(bot, chat_id, action))
        if record is not None:
            steps.append(calls_for(bot.tg, chat_id, since))
    if record is not None:
        record[index] = steps


async def dialogues(
    bot: BotProcess,
    users: list[int],
    pg: PgBackendCpu | None = None,
    record: list[list[Calls]] | None = None,
) -> Phase:
    """Every expert walks one complete first-time dialogue, all at once."""
    phase = Phase()
    if pg is not None:
        pg.start()
    seq = bot.tg.current_seq
    started, cpu = time.perf_counter(), bot.cpu_seconds()
    await asyncio.gather(*(walk(bot, i, u, phase.latencies, record) for i, u in enumerate(users)))
    phase.seconds = time.perf_counter() - started
    phase.cpu = bot.cpu_seconds() - cpu
    phase.pg_cpu = await pg.stop() if pg is not None else None
    phase.updates = len(phase.latencies)
    phase.calls.update(c.method for c in bot.tg.calls if c.seq > seq and c.method != "getUpdates")
    return phase


async def tapping(bot: BotProcess, users: list[int], seconds: float, seed: int) -> Phase:
    """Each expert takes a dialogue step every 1–3 s (seeded), for ``seconds``."""
    phase = Phase()
    deadline = time.monotonic() + seconds

    async def one(index: int, chat_id: int) -> None:
        rnd = random.Random(seed * 100_003 + index)
        await asyncio.sleep(rnd.uniform(0, 2))  # experts do not start in step
        for action in contact_script(index):
            if time.monotonic() >= deadline:
                return
            phase.latencies.append(await step(bot, chat_id, action))
            await asyncio.sleep(rnd.uniform(1, 3))

    started, cpu = time.perf_counter(), bot.cpu_seconds()
    await asyncio.gather(*(one(i, u) for i, u in enumerate(users)))
    phase.seconds = time.perf_counter() - started
    phase.cpu = bot.cpu_seconds() - cpu
    phase.updates = len(phase.latencies)
    return phase


def add_users(tg: FakeTelegram, first: int, count: int) -> list[int]:
    return [
        tg.user(f"Expert{first + i}", language_code="nl", user_id=first + i).id
        for i in range(count)
    ]


def write_replies(path: Path, replies: list[list[Calls]], stride: int, first_user_id: int) -> str:
    path.write_text(
        json.dumps({"first_user_id": first_user_id, "stride": stride, "replies": replies}),
        encoding="utf-8",
    )
    return str(path)


# --------------------------------------------------------------------------- databases


async def prepare_database(url: str, experts: int) -> str | None:
    """Migrate and register ``experts`` experts from FIRST_USER_ID; returns the PostgreSQL
    database name (for its backends' CPU), None for SQLite."""
    if url.startswith("postgres"):
        from sqlalchemy import text

        from bot.storage.db import create_engine

        engine = create_engine(url)
        try:
            async with engine.begin() as conn:
                await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
                await conn.execute(text("CREATE SCHEMA public"))
                name = (await conn.execute(text("SELECT current_database()"))).scalar_one()
        finally:
            await engine.dispose()
    else:
        name = None
    await setup_database(url, experts, FIRST_USER_ID)
    return str(name) if name else None


@dataclass
class DbResult:
    label: str
    bot: list[Phase] = field(default_factory=list)
    replay: list[Phase] = field(default_factory=list)
    latency: list[Phase] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    bot_rss: float = 0.0  # the bench's bot process right after start-up
    other: list[Phase] = field(default_factory=list)  # the bot on --other-request


@dataclass
class Pacing:
    bot: list[Phase] = field(default_factory=list)
    replay: list[Phase] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


async def count_contacts(url: str, first: int, count: int) -> int:
    """Contacts saved by the experts with Telegram ids ``first`` .. ``first + count - 1``."""
    from sqlmodel import col, func, select

    from bot.storage.db import create_engine, session_factory
    from bot.storage.models import Contact, User

    engine = create_engine(url)
    try:
        async with session_factory(engine)() as s:
            query = (
                select(func.count())
                .select_from(Contact)
                .join(User, col(Contact.expert_id) == col(User.id))
                .where(User.telegram_user_id >= first, User.telegram_user_id < first + count)
            )
            return int((await s.exec(query)).one())
    finally:
        await engine.dispose()


def check_servers(label: str, servers: list[tuple[FakeTelegram, str]]) -> list[str]:
    problems = []
    for tg, name in servers:
        unanswered = tg.unanswered_callback_queries()
        if tg.server_errors or unanswered:
            problems.append(
                f"{label} {name}: {len(unanswered)} unanswered callbacks, "
                f"fake server errors {tg.server_errors}"
            )
    return problems


def same_calls(label: str, bots: list[Phase], replays: list[Phase]) -> list[str]:
    """The replay app must make the bot's Bot API calls, or the comparison means nothing."""
    return [
        f"{label} repeat {r}: bot calls {dict(b.calls)} != replay calls {dict(p.calls)}"
        for r, (b, p) in enumerate(zip(bots, replays, strict=True), 1)
        if b.calls != p.calls
    ]


async def bench_database(label: str, url: str, args: argparse.Namespace, work: Path) -> DbResult:
    """CPU per step (bot and replay taking turns) and the latency phase on one database.

    Round 0 of each process is a warm-up, not measured; the bot's round 0 also records the
    calls the replay app makes."""
    result = DbResult(label)
    phases = set(args.phases)
    e, n, lat = args.experts, args.repeat, args.latency_experts
    cpu_rounds = n + 1 if "cpu" in phases else 1
    lat_first = FIRST_USER_ID + cpu_rounds * e
    other_first = lat_first + n * lat  # the bot on --other-request
    other = args.other_request if "cpu" in phases else None
    database = await prepare_database(url, (cpu_rounds * 2 if other else cpu_rounds) * e + n * lat)
    common = ["--request", args.request]
    replies: list[list[Calls]] = [[] for _ in range(e)]
    async with (
        FakeTelegram() as tg_bot,
        FakeTelegram() as tg_replay,
        FakeTelegram(first_update_id=900_000_001) as tg_other,  # the same database as tg_bot
    ):
        bot = await BotProcess(
            tg_bot, f"bot {label}", ["--kind", "bot", "--database-url", url, *common], work
        ).start()
        result.bot_rss = bot.ready_rss_mb
        replay: BotProcess | None = None
        other_bot: BotProcess | None = None
        pg = PgBackendCpu(database) if database else None
        try:
            progress(f"{label}: bot started ({bot.ready_rss_mb:.0f} MB); warm-up round")
            await dialogues(bot, add_users(tg_bot, FIRST_USER_ID, e), record=replies)
            if "cpu" in phases:
                path = write_replies(work / f"replies-{label}.json", replies, e, FIRST_USER_ID)
                replay_args = ["--kind", "replay", "--replies", path, *common]
                replay = await BotProcess(tg_replay, f"replay {label}", replay_args, work).start()
                await dialogues(replay, add_users(tg_replay, FIRST_USER_ID, e))
                if other:
                    other_args = ["--kind", "bot", "--database-url", url, "--request", other]
                    other_bot = await BotProcess(
                        tg_other, f"bot {other} {label}", other_args, work
                    ).start()
                    await dialogues(other_bot, add_users(tg_other, other_first, e))
                for r in range(1, n + 1):
                    progress(f"{label}: CPU per step, repeat {r}")
                    users = add_users(tg_bot, FIRST_USER_ID + r * e, e)
                    result.bot.append(await dialogues(bot, users, pg))
                    bare = add_users(tg_replay, FIRST_USER_ID + r * e, e)
                    result.replay.append(await dialogues(replay, bare))
                    if other_bot is not None:
                        users = add_users(tg_other, other_first + r * e, e)
                        result.other.append(await dialogues(other_bot, users))
            if "latency" in phases:
                for r in range(n):
                    progress(f"{label}: latency, repeat {r + 1}")
                    users = add_users(tg_bot, lat_first + r * lat, lat)
                    result.latency.append(await tapping(bot, users, args.latency_seconds, seed=r))
        finally:
            await bot.stop()
            if replay is not None:
                await replay.stop()
            if other_bot is not None:
                await other_bot.stop()
        result.problems += check_servers(
            label, [(tg_bot, "bot"), (tg_replay, "replay"), (tg_other, f"bot {other}")]
        )
        result.problems += same_calls(label, result.bot, result.replay)
    saved = await count_contacts(url, FIRST_USER_ID, cpu_rounds * e)
    if other:
        saved += await count_contacts(url, other_first, cpu_rounds * e)
    expected = cpu_rounds * e * (2 if other else 1)
    if saved != expected:
        result.problems.append(f"{label}: {saved} of {expected} dialogues saved")
    return result


async def bench_pacing(url: str, args: argparse.Namespace, work: Path) -> Pacing:
    """The bot and the replay app, both with the production rate limiter, taking turns."""
    p, n = args.pacing_experts, args.repeat
    await prepare_database(url, (n + 1) * p)
    common = ["--request", args.request, "--rate-limit"]
    result = Pacing()
    replies: list[list[Calls]] = [[] for _ in range(p)]
    async with FakeTelegram() as tg_bot, FakeTelegram() as tg_replay:
        bot = await BotProcess(
            tg_bot, "bot paced", ["--kind", "bot", "--database-url", url, *common], work
        ).start()
        replay: BotProcess | None = None
        try:
            await dialogues(bot, add_users(tg_bot, FIRST_USER_ID, p), record=replies)
            path = write_replies(work / "replies-paced.json", replies, p, FIRST_USER_ID)
            replay_args = ["--kind", "replay", "--replies", path, *common]
            replay = await BotProcess(tg_replay, "replay paced", replay_args, work).start()
            await dialogues(replay, add_users(tg_replay, FIRST_USER_ID, p))
            for r in range(1, n + 1):
                progress(f"pacing, repeat {r}")
                users = add_users(tg_bot, FIRST_USER_ID + r * p, p)
                result.bot.append(await dialogues(bot, users))
                bare = add_users(tg_replay, FIRST_USER_ID + r * p, p)
                result.replay.append(await dialogues(replay, bare))
        finally:
            await bot.stop()
            if replay is not None:
                await replay.stop()
        result.problems += check_servers("paced", [(tg_bot, "bot"), (tg_replay, "replay")])
        result.problems += same_calls("paced", result.bot, result.replay)
    return result


async def idle_rss(work: Path, settle: float) -> float:
    """RSS of `python -m bot run` (migrations, then polling) once it polls, after ``settle`` s."""
    async with FakeTelegram() as tg:
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN,
            "TELEGRAM_API_BASE_URL": tg.api_base_url,
            "TELEGRAM_FILE_BASE_URL": tg.file_base_url,
            "TELEGRAM_BOT_USERNAME": tg.bot_username,
            "DATABASE_URL": f"sqlite:///{work / 'rss.db'}",
            "NO_PROXY": "127.0.0.1,localhost",
        }
        log = log_fd(work / "rss.log")
        try:
            proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", cwd=work, env=env, stdout=log, stderr=log
            )
        finally:
            os.close(log)
        try:
            deadline = time.monotonic() + 120
            while tg.last_poll_at is None:
                if proc.returncode is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"bot run did not poll: {(work / 'rss.log').read_text()}")
                await asyncio.sleep(0.1)
            await asyncio.sleep(settle)
            return proc_rss_mb(proc.pid)
        finally:
            proc.terminate()
            await proc.wait()


# --------------------------------------------------------------------------- report


def med(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def each(values: list[float], fmt: str = "{:.2f}") -> str:
    return "(" + " ".join(fmt.format(v) for v in values) + ")"


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def report(
    dbs: list[DbResult],
    pacing: Pacing | None,
    rss: float | None,
    args: argparse.Namespace,
) -> None:
    print(
        f"\nIssue 10 targets — medians of {args.repeat} repeat(s), each repeat in brackets; "
        f"request backend: {args.request}; load average {os.getloadavg()[0]:.1f}"
    )
    if any(d.bot for d in dbs):
        print(
            f"\n1. CPU per dialogue step, bot process ({args.experts} experts at once, one "
            "first-time /contact dialogue each)"
        )
    for db in (d for d in dbs if d.bot):
        target = 2.0 if db.label == "SQLite" else 2.5
        bot = [p.cpu_ms_per_update for p in db.bot]
        bare = [p.cpu_ms_per_update for p in db.replay]
        ratios = [b / r if r else 0.0 for b, r in zip(bot, bare, strict=True)]
        line = (
            f"   {db.label:<11} bot {med(bot):5.2f} ms  replay {med(bare):5.2f} ms  "
            f"ratio {med(ratios):4.2f}x {each(ratios)}  target <= {target}x: "
            f"{verdict(med(ratios) <= target)}"
        )
        print(line)
        if db.other:
            alt = [p.cpu_ms_per_update for p in db.other]
            vs = [a / b if b else 0.0 for a, b in zip(alt, bot, strict=True)]
            print(
                f"   {'':<11} the bot on {args.other_request}: {med(alt):5.2f} ms, "
                f"{med(vs):4.2f}x the bot on {args.request} {each(vs)}"
            )
        pg = [p.pg_cpu / p.updates * 1000 for p in db.bot if p.pg_cpu is not None and p.updates]
        if pg:
            print(
                f"   {'':<11} PostgreSQL server (the bot's backends): {med(pg):5.2f} ms/step "
                f"{each(pg)}"
            )
    if any(d.latency for d in dbs):
        print(
            f"\n2. p95 update latency, {args.latency_experts} experts each tapping every 1–3 s "
            f"for {args.latency_seconds:g} s"
        )
    for db in (d for d in dbs if d.latency):
        p95 = [pct(p.latencies, 95) * 1000 for p in db.latency]
        rate = [p.throughput for p in db.latency]
        cpu = [p.cpu_ms_per_update for p in db.latency]
        print(
            f"   {db.label:<11} p95 {med(p95):6.1f} ms {each(p95, '{:.1f}')}  "
            f"({med(rate):.0f} updates/s, {med(cpu):.2f} ms CPU/update)  target < 50 ms: "
            f"{verdict(med(p95) < 50)}"
        )
    if pacing is not None:
        bots, bares = pacing.bot, pacing.replay
        ratios = [b.throughput / r.throughput for b, r in zip(bots, bares, strict=True)]
        print(
            f"\n3. Throughput with the production pacing (AIORateLimiter 30/s), SQLite, "
            f"{args.pacing_experts} experts at once"
        )
        print(
            f"   bot {med([b.throughput for b in bots]):5.1f} updates/s  replay "
            f"{med([r.throughput for r in bares]):5.1f} updates/s  ratio {med(ratios):4.2f}x "
            f"{each(ratios)}  target >= 0.95x: {verdict(med(ratios) >= 0.95)}"
        )
    if rss is not None:
        print(
            f"\n4. Idle RSS of `python -m bot run` after start-up: {rss:.1f} MB  "
            f"target < 100 MB: {verdict(rss < 100)}"
        )
    if dbs:
        rss_bench = ", ".join(f"{db.label} {db.bot_rss:.0f} MB" for db in dbs)
        print(f"   the bench's bot process after start-up (no migrations, no jobs): {rss_bench}")


async def main_async(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.WARNING)
    phases = set(args.phases)
    problems: list[str] = []
    dbs: list[DbResult] = []
    pacing = None
    rss = None
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        targets: list[tuple[str, str]] = [("SQLite", f"sqlite:///{work / 'bench.db'}")]
        if args.pg_url:
            targets.append(("PostgreSQL", args.pg_url))
        if phases & {"cpu", "latency"}:
            for label, url in targets:
                result = await bench_database(label, url, args, work)
                dbs.append(result)
                problems += result.problems
        if "pacing" in phases and args.pacing_experts:
            pacing = await bench_pacing(f"sqlite:///{work / 'paced.db'}", args, work)
            problems += pacing.problems
        if "rss" in phases:
            progress("idle RSS of python -m bot run")
            rss = await idle_rss(work, settle=args.rss_settle)
    report(dbs, pacing, rss, args)
    print(f"\n   ({time.perf_counter() - started:.0f} s)")
    if problems:
        print("\n  PROBLEM: " + "; ".join(problems))
        return 1
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    p.add_argument("--pg-url", default=None, help="a PostgreSQL database the bench may WIPE")
    p.add_argument("--repeat", type=int, default=3, help="repeats; figures are medians (3)")
    p.add_argument("--experts", type=int, default=12, help="CPU phase: experts at once (12)")
    p.add_argument("--latency-experts", type=int, default=200, help="latency phase (200)")
    p.add_argument("--latency-seconds", type=float, default=5.0, help="latency phase (5)")
    p.add_argument("--pacing-experts", type=int, default=8, help="pacing phase (8)")
    p.add_argument(
        "--request",
        choices=["aiohttp", "httpx"],
        default="aiohttp",
        help="the HTTP backend of both bots (default: aiohttp, the bot's default)",
    )
    p.add_argument(
        "--other-request",
        choices=["aiohttp", "httpx"],
        default=None,
        help="CPU phase: also the bot on this backend, taking turns (e.g. httpx)",
    )
    p.add_argument(
        "--phases",
        type=lambda v: [x.strip() for x in v.split(",") if x.strip()],
        default=["cpu", "latency", "pacing", "rss"],
        help="comma-separated subset of cpu,latency,pacing,rss (default: all)",
    )
    p.add_argument("--rss-settle", type=float, default=2.0, help=argparse.SUPPRESS)
    return p


def main(argv: list[str] | None = None) -> None:
    raise SystemExit(asyncio.run(main_async(parser().parse_args(argv))))


if __name__ == "__main__":
    main()
