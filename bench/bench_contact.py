"""Benchmark: complete /contact dialogues against the fake Telegram server, next to an echo bot.

    uv run python -m bench.bench_contact [--experts 50] [--rounds 1] [--database-url URL]

What it does, in one run and on one fake Bot API server (fakebot, real HTTP):

1. The real bot (`bot.app.build_application`, no rate limiter so Telegram pacing does not
   blur the figure) on a fresh migrated database. `--experts` experts each walk one complete
   first-time /contact dialogue per round — every step, a typed new vindplek, themes toggled,
   optional steps skipped with one tap — and save it. All experts run at the same time, so the
   p95 latency is "50 experts logging at once". `--rounds` repeats that with new experts.
2. A bare ptb echo bot: a typed message is echoed back with one button; a button press is
   answered and its message edited. It gets exactly the same sequence of update kinds (typed
   text and button presses) from the same number of experts at the same time.

Updates go in through ptb's own update queue (as from polling/webhook) and a last-group
handler notes when each one is done, so latency = queue wait + handling + Bot API calls.
Both bots process updates one at a time (the production setting, `concurrent_updates(False)`).

Prints per-update throughput of both and their ratio (target >= 0.7), per-step mean latency
side by side, and p50/p95/max latency per bot.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete
from sqlmodel import col, func, select
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.clock import FrozenClock
from bot.storage import updates
from bot.storage.db import create_engine, session_factory, transaction
from bot.storage.migrate import migrate
from bot.storage.models import Contact, Municipality, ProcessedUpdate, User
from fakebot import (
    ChatUser,
    Driver,
    FakeTelegram,
    application_builder,
    fake_request,
)
from fakebot.bot import fake_application, settings_for

DONE_GROUP = 10_000
JSON = dict[str, Any]


# --------------------------------------------------------------------------- delivery


class QueueDriver(Driver):
    """Puts updates on the Application's update queue and waits until a last-group handler
    has seen them: the path polling and webhooks take, with latency measured per update."""

    def __init__(self, app: Application) -> None:
        self.app = app
        self.pending: dict[int, asyncio.Future[float]] = {}
        self.latencies: list[float] = []
        app.add_handler(TypeHandler(Update, self._done), group=DONE_GROUP)

    async def _done(self, update: Update, context: Any) -> None:
        fut = self.pending.pop(update.update_id, None)
        if fut is not None and not fut.done():
            fut.set_result(time.perf_counter())

    async def deliver(self, tg: FakeTelegram, update: dict[str, Any]) -> None:
        fut: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.pending[update["update_id"]] = fut
        started = time.perf_counter()
        await self.app.update_queue.put(Update.de_json(update, self.app.bot))
        finished = await asyncio.wait_for(fut, timeout=60)
        self.latencies.append(finished - started)


# --------------------------------------------------------------------------- scripts

Step = tuple[str, str, str]  # (step name, "say" | "press", text or button label)


def contact_script(n: int) -> list[Step]:
    """A first-time /contact dialogue through every step (no previous contact to copy)."""
    return [
        ("command", "say", "/contact"),
        ("date", "press", "Vandaag"),
        ("gemeente", "press", "Venlo"),
        ("vindplek", "say", f"Buurthuis De Kolk {n}"),
        ("activity", "press", "training"),  # not inloop: its reach step is skipped
        ("theme 1", "press", "armoede"),
        ("theme 2", "press", "eenzaamheid"),
        ("themes done", "press", "Verder"),
        ("residents", "press", "2"),
        ("new/known", "press", "Nieuw"),
        ("duration", "press", "45 min"),
        ("reach", "press", "zelf gemeld"),
        # Referral and story are added from the summary (issue 15): the same number of taps.
        ("referral", "press", "Doorverwezen naar"),
        ("referral target", "press", "schuldhulp"),
        ("save", "press", "Opslaan"),
    ]


@dataclass
class Run:
    name: str
    updates: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    per_step: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    cpu_seconds: float = 0.0  # CPU of this process (bot, fake server and client together)

    @property
    def throughput(self) -> float:
        return self.updates / self.seconds if self.seconds else 0.0


def find_button(tg: FakeTelegram, chat_id: int, label: str) -> tuple[int, str]:
    """(message id, callback data) of the button labelled ``label`` (or containing it) on the
    latest bot message with a keyboard. Lean on purpose: the client should cost little."""
    for message in reversed(tg.messages(chat_id)):
        buttons = [b for row in message.keyboard for b in row]
        if not buttons:
            continue
        exact = [b for b in buttons if b["text"] == label]
        hits = exact or [b for b in buttons if label in b["text"]]
        if len(hits) != 1:
            raise AssertionError(f"button {label!r} not found once in {message.buttons}")
        return message.message_id, hits[0]["callback_data"]
    raise AssertionError(f"no keyboard to press {label!r} on")


Act = Callable[[FakeTelegram, QueueDriver, ChatUser, Step], Awaitable[None]]


async def drive(
    tg: FakeTelegram,
    driver: QueueDriver,
    users: list[ChatUser],
    script: Callable[[int], list[Step]],
    rounds: int,
    act: Act,
    name: str,
) -> Run:
    run = Run(name)

    async def one(user: ChatUser, index: int) -> None:
        for step in script(index):
            before = len(driver.latencies)
            await act(tg, driver, user, step)
            run.per_step[step[0]].extend(driver.latencies[before:])

    # Each round is a wave of `len(users) // rounds` experts logging at once, each their
    # first contact (so every step is asked: no "same as last time" shortcut).
    wave = len(users) // rounds
    started, cpu = time.perf_counter(), time.process_time()
    for r in range(rounds):
        batch = users[r * wave : (r + 1) * wave]
        await asyncio.gather(*(one(u, r * wave + i) for i, u in enumerate(batch)))
    run.seconds = time.perf_counter() - started
    run.cpu_seconds = time.process_time() - cpu
    run.latencies = list(driver.latencies)
    run.updates = len(run.latencies)
    return run


# --------------------------------------------------------------------------- the real bot


async def setup_database(url: str, experts: int, first_telegram_id: int) -> None:
    await migrate(url)
    engine = create_engine(url)
    try:
        async with transaction(session_factory(engine)) as s:
            # Every fake server numbers its updates from the start: ids of an earlier run
            # would be taken for re-deliveries.
            await s.exec(delete(ProcessedUpdate))
            venlo = (await s.exec(select(Municipality).where(Municipality.name == "Venlo"))).one()
            for i in range(experts):
                s.add(
                    User(
                        telegram_user_id=first_telegram_id + i,
                        chat_id=first_telegram_id + i,
                        role="expert",
                        display_name=f"Expert {i}",
                        home_municipality_id=venlo.id,
                    )
                )
    finally:
        await engine.dispose()


Reply = tuple[str, JSON]  # (Bot API method, its parameters as the server decoded them)


def replies_by_expert(tg: FakeTelegram, users: list[ChatUser]) -> list[list[Reply]]:
    """What the bot sent each expert, in order: messages and edits (not callback answers)."""
    by_chat: dict[int, list[Reply]] = {u.id: [] for u in users}
    for call in tg.calls:
        chat_id = call.params.get("chat_id")
        if call.method in ("sendMessage", "editMessageText") and chat_id in by_chat:
            by_chat[chat_id].append((call.method, call.params))
    return [by_chat[u.id] for u in users]


async def drive_contact_script(
    tg: FakeTelegram,
    app: Application[Any, Any, Any, Any, Any, Any],
    users: list[ChatUser],
    rounds: int,
    name: str,
    *,
    press_echo: bool = False,
) -> Run:
    """Runs `app` through the contact script for `users`; a "press" step presses the button
    of its label, or the one "echo" button of the echo bot when `press_echo`."""
    driver = QueueDriver(app)
    tg.use(driver)
    await app.initialize()
    await app.start()
    try:

        async def act(tg: FakeTelegram, driver: QueueDriver, user: ChatUser, step: Step) -> None:
            _, kind, text = step
            if kind == "say":
                await driver.deliver(tg, tg.message_update(user.id, text))
            else:
                message_id, data = find_button(tg, user.id, "echo" if press_echo else text)
                await driver.deliver(tg, tg.callback_query_update(user.id, message_id, data))

        return await drive(tg, driver, users, contact_script, rounds, act, name)
    finally:
        await app.stop()
        await app.shutdown()


async def bench_bot(
    tg: FakeTelegram,
    url: str,
    experts: int,
    rounds: int,
    *,
    first_user_id: int = 1_000_000,
) -> tuple[Run, int, list[list[Reply]]]:
    # Users first, so their Telegram ids are known when the experts are registered. Each
    # repeat gets new ids: on the same database they must be new experts.
    users = [
        tg.user(f"Expert{i}", language_code="nl", user_id=first_user_id + i)
        for i in range(experts * rounds)
    ]
    ids = [u.id for u in users]
    assert ids == list(range(ids[0], ids[0] + len(users)))
    await setup_database(url, len(users), ids[0])
    settings = settings_for(tg, url)
    clock = FrozenClock(datetime(2026, 11, 17, 13, 0, tzinfo=UTC))
    engine = create_engine(url)
    app = fake_application(
        settings,
        clock=clock,
        engine=engine,
        # The same HTTP client settings as the echo bot (pool, no proxy lookup).
        request=fake_request(),
        get_updates_request=fake_request(),
        set_menus=False,
    )
    try:
        run = await drive_contact_script(tg, app, users, rounds, "ervaringsbot")
    finally:
        await engine.dispose()
    engine = create_engine(url)
    try:
        async with session_factory(engine)() as s:
            saved = (
                await s.exec(
                    select(func.count())
                    .select_from(Contact)
                    .join(User, col(Contact.expert_id) == col(User.id))
                    .where(User.telegram_user_id >= first_user_id)
                    .where(User.telegram_user_id < first_user_id + len(users))
                )
            ).one()
    finally:
        await engine.dispose()
    return run, int(saved), replies_by_expert(tg, users)


# --------------------------------------------------------------------------- the echo bot


async def echo_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None and update.effective_chat is not None
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("echo", callback_data="echo")]])
    await context.bot.send_message(
        update.effective_chat.id, update.message.text or "", reply_markup=markup
    )


async def echo_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("echo", callback_data="echo")]])
    await query.edit_message_text(f"{query.data} {time.perf_counter_ns()}", reply_markup=markup)


# How the real bot sends (bot.handlers.common.send / edit_or_send).
SEND_OPTIONS: dict[str, Any] = {"parse_mode": "HTML", "disable_web_page_preview": True}


class Replayer:
    """Handlers that answer each update with the reply the real bot gave at the same step of
    the same dialogue: the same text, the same keyboard (rebuilt as ptb objects, as the bot
    builds them), sent the same way (a button's answer and edit at once). No dialogue logic,
    no draft: what is left of the bot when only its messages remain."""

    def __init__(self, replies: list[list[Reply]], users: list[ChatUser]) -> None:
        self.replies = {u.id: iter(r) for u, r in zip(users, replies, strict=True)}

    def _next(self, chat_id: int, bot: Any) -> tuple[str, str, InlineKeyboardMarkup | None]:
        method, params = next(self.replies[chat_id])
        markup = params.get("reply_markup")
        keyboard = InlineKeyboardMarkup.de_json(markup, bot) if markup else None
        return method, params["text"], keyboard

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None  # a text message comes from a chat
        chat_id = update.effective_chat.id
        _, text, markup = self._next(chat_id, context.bot)
        await context.bot.send_message(chat_id, text, reply_markup=markup, **SEND_OPTIONS)

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None and isinstance(query.message, Message)
        method, text, markup = self._next(query.message.chat.id, context.bot)
        send: Awaitable[Any] = (
            context.bot.send_message(
                query.message.chat.id, text, reply_markup=markup, **SEND_OPTIONS
            )
            if method == "sendMessage"
            else query.message.edit_text(text, reply_markup=markup, **SEND_OPTIONS)
        )
        await asyncio.gather(query.answer(), send)


async def bench_echo(
    tg: FakeTelegram,
    experts: int,
    rounds: int,
    *,
    durable_url: str | None = None,
    replay: list[list[Reply]] | None = None,
) -> Run:
    """The echo bot; with ``durable_url`` it first commits each update's id to that database
    (one small transaction, as the bot's gatekeeper does): the floor for any bot that must not
    lose a step, on this stack. With ``replay`` (what the real bot sent) it answers with the
    bot's own messages instead of the echo: the floor for any bot that shows these messages."""
    app = application_builder(tg).concurrent_updates(False).build()
    engine = None
    if durable_url is not None:
        await migrate(durable_url)
        engine = create_engine(durable_url)
        sessions = session_factory(engine)
        async with transaction(sessions) as s:  # ids of an earlier run would be "re-deliveries"
            await s.exec(delete(ProcessedUpdate))

        async def record(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            async with transaction(sessions) as s:
                await updates.record(s, update.update_id, datetime.now(UTC))

        app.add_handler(TypeHandler(Update, record), group=-1)
    users = [tg.user(f"Echo{i}") for i in range(experts * rounds)]
    if replay is None:
        app.add_handler(MessageHandler(filters.TEXT, echo_text))
        app.add_handler(CallbackQueryHandler(echo_button))
        name = "echo + commit" if durable_url else "echo bot"
    else:
        replayer = Replayer(replay, users)
        app.add_handler(MessageHandler(filters.TEXT, replayer.on_text))
        app.add_handler(CallbackQueryHandler(replayer.on_button))
        name = "replay + commit"
    try:
        return await drive_contact_script(tg, app, users, rounds, name, press_echo=replay is None)
    finally:
        if engine is not None:
            await engine.dispose()


# --------------------------------------------------------------------------- report


def pct(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def merged(runs: list[Run]) -> Run:
    """One run from repeats: their updates, seconds, CPU and latencies added up."""
    total = Run(runs[0].name)
    for r in runs:
        total.updates += r.updates
        total.seconds += r.seconds
        total.cpu_seconds += r.cpu_seconds
        total.latencies += r.latencies
        for step, values in r.per_step.items():
            total.per_step[step].extend(values)
    return total


def report(repeats: list[dict[str, Run]], experts: int, rounds: int, saved: int) -> None:
    """Print the comparison: ratios to the echo bot are medians over the repeats."""
    names = list(repeats[0])
    ratios = {
        name: [r[name].throughput / r["echo bot"].throughput for r in repeats]
        for name in names
        if name != "echo bot"
    }
    medians = {name: statistics.median(values) for name, values in ratios.items()}
    print(
        f"\n/contact benchmark: {rounds} wave(s) of {experts} experts logging at once, "
        f"one complete first-time dialogue each; {len(repeats)} repeat(s), bots taking turns"
    )
    print(f"  contacts saved: {saved} (expected {experts * rounds * len(repeats)})")
    columns = f"{'updates':>9}{'seconds':>10}{'updates/s':>12}{'CPU ms/update':>15}"
    print(f"\n  {'all repeats':<16}{columns}")
    totals = {name: merged([r[name] for r in repeats]) for name in names}
    for r in totals.values():
        cpu_ms = r.cpu_seconds / r.updates * 1000 if r.updates else 0.0
        print(f"  {r.name:<16}{r.updates:>9}{r.seconds:>10.2f}{r.throughput:>12.1f}{cpu_ms:>15.2f}")
    print("\n  throughput per update / echo bot   median   each repeat")
    labels = {
        "ervaringsbot": "ervaringsbot (target >= 0.70)",
        "echo + commit": "floor: echo + commit",
        "replay + commit": "floor: replay + commit",
    }
    for name, values in ratios.items():
        each = " ".join(f"{v:.2f}" for v in values)
        print(f"  {labels.get(name, name):<34}{medians[name]:>6.2f}x  {each}")
    if "replay + commit" in ratios:
        own = statistics.median(
            r["ervaringsbot"].throughput / r["replay + commit"].throughput for r in repeats
        )
        print(f"  {'ervaringsbot / replay + commit':<34}{own:>6.2f}x  (the dialogue's own work)")
    print(f"\n  latency per update, ms      {'p50':>8}{'p95':>8}{'max':>8}")
    for r in totals.values():
        lat = [x * 1000 for x in r.latencies]
        print(f"  {r.name:<26}{pct(lat, 50):>8.1f}{pct(lat, 95):>8.1f}{max(lat, default=0):>8.1f}")
    ours, echo = totals["ervaringsbot"], totals["echo bot"]
    replay = totals.get("replay + commit")
    head = f"{'bot':>8}{'echo':>8}{'ratio':>8}" + (f"{'replay':>8}" if replay else "")
    print(f"\n  mean latency per step, ms   {head}")
    for step, values in ours.per_step.items():
        mine = statistics.fmean(values) * 1000
        theirs = statistics.fmean(echo.per_step.get(step) or [0.0]) * 1000
        line = f"  {step:<28}{mine:>8.1f}{theirs:>8.1f}{(theirs / mine if mine else 0):>8.2f}"
        if replay is not None:
            line += f"{statistics.fmean(replay.per_step.get(step) or [0.0]) * 1000:>8.1f}"
        print(line)


async def main_async(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    repeats: list[dict[str, Run]] = []
    saved = 0
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        for r in range(args.repeat):
            runs: dict[str, Run] = {}
            async with FakeTelegram() as tg:
                runs["echo bot"] = await bench_echo(tg, args.experts, args.rounds)
            async with FakeTelegram() as tg:
                run, n, replies = await bench_bot(
                    tg,
                    url,
                    args.experts,
                    args.rounds,
                    first_user_id=1_000_000 + r * 100_000,
                )
                runs["ervaringsbot"] = run
                saved += n
                unanswered = tg.unanswered_callback_queries()
                if tg.server_errors or unanswered or n != args.experts * args.rounds:
                    problems.append(
                        f"repeat {r + 1}: {n} saved, {len(unanswered)} unanswered callbacks, "
                        f"fake server errors {tg.server_errors}"
                    )
            async with FakeTelegram() as tg:
                # On the same database, after the bot: it clears the update ids it needs.
                runs["echo + commit"] = await bench_echo(
                    tg, args.experts, args.rounds, durable_url=url
                )
            async with FakeTelegram() as tg:
                runs["replay + commit"] = await bench_echo(
                    tg, args.experts, args.rounds, durable_url=url, replay=replies
                )
            repeats.append(runs)
        report(repeats, args.experts, args.rounds, saved)
    if problems:
        print("\n  PROBLEM: " + "; ".join(problems))
        return 1
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--experts", type=int, default=50, help="experts logging at once")
    parser.add_argument("--rounds", type=int, default=1, help="waves of experts, one after another")
    parser.add_argument(
        "--database-url",
        default=None,
        help="an EMPTY database (default: a temporary SQLite file); e.g. postgresql://…",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="run all bots this many times, taking turns; ratios are medians (default 3)",
    )
    raise SystemExit(asyncio.run(main_async(parser.parse_args())))


if __name__ == "__main__":
    main()
