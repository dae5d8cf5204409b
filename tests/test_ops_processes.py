"""The bot as separate processes in webhook mode (issue 17): two replicas on one PostgreSQL
database behind a "load balancer" that alternates (and duplicates) Telegram's posts, and a
graceful stop on SIGTERM. The fake Bot API runs in the test; each bot is `python -m bot run`."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import socket
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
from sqlalchemy import func, select

from bot.domain.holidays_nl import is_public_holiday
from bot.storage.db import session_factory, transaction
from bot.storage.migrate import migrate
from bot.storage.models import IndirectHours, Municipality, ProcessedUpdate, User
from fakebot.scenario import ChatUser, Driver
from fakebot.server import DEFAULT_TOKEN, FakeTelegram
from tests.support import fresh_engine

ROOT = Path(__file__).resolve().parent.parent
SECRET = "s" * 40
TZ = ZoneInfo("Europe/Amsterdam")
START_TIMEOUT = 90.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class BotProcess:
    """`python -m bot run` in webhook mode, pointed at the fake Bot API."""

    def __init__(self, tg: FakeTelegram, db_url: str, workdir: Path, name: str, **env: str):
        self.name = name
        self.port = free_port()
        self.metrics_port = free_port()
        self.log = workdir / f"{name}.log"
        self.workdir = workdir
        self.env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("TELEGRAM_", "WEBHOOK_", "DIGEST_", "DEFAULT_REMINDER"))
        }
        self.env.update(
            PYTHONPATH=str(ROOT),
            NO_PROXY="127.0.0.1,localhost",
            TELEGRAM_BOT_TOKEN=DEFAULT_TOKEN,
            TELEGRAM_API_BASE_URL=tg.api_base_url,
            TELEGRAM_FILE_BASE_URL=tg.file_base_url,
            TELEGRAM_BOT_USERNAME=tg.bot_username,
            DATABASE_URL=db_url,
            BOT_MODE="webhook",
            WEBHOOK_URL="https://bot.example.test",
            WEBHOOK_SECRET_TOKEN=SECRET,
            WEBHOOK_LISTEN="127.0.0.1",
            WEBHOOK_PORT=str(self.port),
            METRICS_PORT=str(self.metrics_port),
            METRICS_LISTEN="127.0.0.1",
            HEARTBEAT_FILE=str(workdir / f"{name}.beat"),
            LOG_FORMAT="json",
            **env,
        )
        self.proc: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def webhook(self) -> str:
        return f"{self.url}/telegram"

    async def start(self) -> BotProcess:
        with self.log.open("wb") as log:
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "run",
                cwd=self.workdir,  # no .env of a developer
                env=self.env,
                stdout=log,
                stderr=log,
            )
        return self

    async def get(self, path: str, port: int | None = None) -> tuple[int, str]:
        url = f"http://127.0.0.1:{port or self.port}{path}"
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as session,
            session.get(url) as response,
        ):
            return response.status, await response.text()

    async def ready(self) -> None:
        deadline = asyncio.get_running_loop().time() + START_TIMEOUT
        while True:
            assert self.proc is not None
            if self.proc.returncode is not None:
                raise AssertionError(f"{self.name} exited:\n{self.log.read_text()[-3000:]}")
            with contextlib.suppress(aiohttp.ClientError, OSError, TimeoutError):
                if (await self.get("/readyz"))[0] == 200:
                    return
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"{self.name} not ready:\n{self.log.read_text()[-3000:]}")
            await asyncio.sleep(0.2)

    async def metrics(self) -> str:
        return (await self.get("/metrics", self.metrics_port))[1]

    def terminate(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)

    async def wait(self, seconds: float = 60) -> int:
        assert self.proc is not None
        return await asyncio.wait_for(self.proc.wait(), seconds)

    async def stop(self) -> None:
        if self.proc is None or self.proc.returncode is not None:
            return
        self.terminate()
        try:
            await self.wait(30)
        except TimeoutError:
            self.proc.kill()
            await self.proc.wait()


@contextlib.asynccontextmanager
async def bots(*processes: BotProcess) -> AsyncIterator[None]:
    try:
        await asyncio.gather(*(p.start() for p in processes))
        await asyncio.gather(*(p.ready() for p in processes))
        yield
    except AssertionError as exc:
        logs = "\n".join(f"--- {p.name}\n{p.log.read_text()[-2000:]}" for p in processes)
        raise AssertionError(f"{exc}\n{logs}") from exc
    finally:
        await asyncio.gather(*(p.stop() for p in processes))


class Alternating(Driver):
    """A round-robin load balancer in front of the replicas."""

    def __init__(self, urls: list[str]) -> None:
        # The bot is another process: quiet for 1.5 s means it is done (a cold first update
        # does database work for a while before its first request).
        self.drivers = [Driver.webhook(url=u, quiet=1.5, timeout=30) for u in urls]
        self.n = 0

    async def deliver(self, tg: FakeTelegram, update: dict[str, Any]) -> None:
        driver = self.drivers[self.n % len(self.drivers)]
        self.n += 1
        await driver.deliver(tg, update)


async def add_user(url: str, person: ChatUser, role: str, **columns: Any) -> None:
    async with fresh_engine(url) as engine, transaction(session_factory(engine)) as s:
        venlo = (await s.exec(select(Municipality.id).where(Municipality.name == "Venlo"))).one()
        s.add(
            User(
                telegram_user_id=person.id,
                chat_id=person.chat_id,
                role=role,
                display_name=person.first_name,
                home_municipality_id=venlo[0],
                created_at=datetime(2026, 1, 1, tzinfo=UTC),
                **columns,
            )
        )


async def scalar(url: str, stmt: Any) -> Any:
    async with fresh_engine(url) as engine, session_factory(engine)() as s:
        return (await s.exec(stmt)).one()[0]


async def wait_for(condition: Any, seconds: float, what: str) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.2)


def metric_sum(pages: list[str], name: str, **labels: str) -> float:
    want = "".join(f'(?=[^}}]*{k}="{v}")' for k, v in labels.items())
    pattern = rf"^{name}(?:{{{want}[^}}]*}})? (\S+)$"
    return sum(float(v) for page in pages for v in re.findall(pattern, page, re.M))


# --------------------------------------------------------------------------- two replicas


async def test_two_replicas_on_one_postgresql(fake_telegram, pg_migrated, tmp_path):
    """One expert's dialogue steps land alternately on two processes, some twice (on both at
    once): no step lost, no entry doubled; reminders and the digest go out once."""
    from tests.conftest import _truncate_pg

    url = pg_migrated
    await _truncate_pg(url)
    tg = fake_telegram
    anna, bert, carla = tg.user("Anna"), tg.user("Bert"), tg.user("Carla")
    local = datetime.now(TZ)
    # Due a minute ago (just after midnight: at midnight), so the first pass sends it.
    remind_at = (local - timedelta(minutes=1)).time().replace(second=0, microsecond=0)
    if local.time() < time(0, 2):
        remind_at = time(0, 0)
    await add_user(url, anna, "expert", reminders_enabled=False)
    await add_user(url, bert, "expert", reminder_days="1234567", reminder_time=remind_at)
    await add_user(url, carla, "coordinator")
    # The digest of last week is due from Monday 00:00: the catch-up pass at start sends it.
    env = {"DIGEST_WEEKDAY": "1", "DIGEST_TIME": "00:00"}
    a = BotProcess(tg, url, tmp_path, "a", **env)
    b = BotProcess(tg, url, tmp_path, "b", **env)
    async with bots(a, b):
        started = asyncio.get_running_loop().time()
        tg.use(Alternating([a.webhook, b.webhook]))
        assert "Wat voor uren" in (await anna.says("/uren")).only.text  # a
        await anna.press("overleg")  # b
        assert "Hoe lang" in anna.last_reply.text
        # The next step reaches both replicas at once (a retry after a timeout, say).
        duration = anna.last_reply
        update = tg.callback_query_update(
            anna.id, duration.message_id, duration.button("1,5 uur")["callback_data"]
        )
        statuses = await asyncio.gather(
            tg.post_webhook(update, url=a.webhook), tg.post_webhook(update, url=b.webhook)
        )
        assert statuses == [200, 200]
        await wait_for(lambda: "Duur: 1,5 uur" in (anna.last_reply.text or ""), 30, "summary")
        await asyncio.sleep(1)
        summary = anna.last_reply
        assert "Soort: overleg" in summary.text and "Gemeente: Venlo" in summary.text
        opslaan = summary.button("Opslaan")["callback_data"]
        save = tg.callback_query_update(anna.id, summary.message_id, opslaan)
        await asyncio.gather(
            tg.post_webhook(save, url=a.webhook), tg.post_webhook(save, url=b.webhook)
        )
        await wait_for(lambda: "Opgeslagen" in (anna.last_reply.text or ""), 30, "the save")
        # Another press of the same save button (a double tap), on the other replica.
        await anna.press_data(opslaan, summary)
        assert "al opgeslagen" in anna.last_callback_answer.text
        anna.assert_callbacks_answered()

        # Reminders (first pass 5 s after start) and the digest (catch-up 20 s after start)
        # run in both processes; then a few seconds more for a second copy to show up.
        expected = 0 if is_public_holiday(local.date()) else 1

        def reminded() -> int:
            return len(
                [m for m in tg.messages(bert.chat_id) if "nog niets ingevuld" in (m.text or "")]
            )

        def digest_done() -> bool:
            return any(m.photo for m in tg.messages(carla.chat_id))

        await wait_for(lambda: digest_done() and reminded() == expected, 120, "digest, reminder")
        # Both processes ran their first passes within a second or two of each other.
        await asyncio.sleep(max(5.0, started + 25 - asyncio.get_running_loop().time()))
        pages = await asyncio.gather(a.metrics(), b.metrics())
        assert (await a.get("/healthz"))[0] == 200 and (await b.get("/readyz"))[0] == 200

    rows = await scalar(url, select(func.count()).select_from(IndirectHours))
    assert rows == 1
    minutes = await scalar(url, select(IndirectHours.duration_minutes))
    assert minutes == 90
    # Five updates (/uren, three presses, a double tap), two of them posted to both replicas:
    # each recorded once.
    assert await scalar(url, select(func.count()).select_from(ProcessedUpdate)) == 5
    digests = [m for m in tg.messages(carla.chat_id) if "Weekoverzicht" in (m.text or "")]
    assert len(digests) == 1, tg.transcript(carla.chat_id)
    assert len([m for m in tg.messages(carla.chat_id) if m.photo]) == 1
    assert reminded() == expected, tg.transcript(bert.chat_id)
    assert tg.messages(anna.chat_id)  # (Anna's reminders are off)
    assert not [m for m in tg.messages(anna.chat_id) if "nog niets ingevuld" in (m.text or "")]
    # The metrics of both replicas add up to what happened.
    assert metric_sum(pages, "edbot_updates_total") == 7  # 5 updates, 2 of them twice
    assert metric_sum(pages, "edbot_updates_total", kind="callback_query") == 6
    assert metric_sum(pages, "edbot_update_seconds_count") == 7
    assert metric_sum(pages, "edbot_sent_total", kind="digest") == 1
    assert metric_sum(pages, "edbot_sent_total", kind="reminder") == expected
    assert all(p.proc is not None and p.proc.returncode == 0 for p in (a, b))


# --------------------------------------------------------------------------- SIGTERM


async def test_sigterm_finishes_the_update_in_hand_and_takes_no_new_ones(fake_telegram, tmp_path):
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    await migrate(url)
    tg = fake_telegram
    anna = tg.user("Anna")
    await add_user(url, anna, "expert", reminders_enabled=False)
    bot = BotProcess(tg, url, tmp_path, "bot")
    await bot.start()
    try:
        await bot.ready()
        assert await bot.get("/healthz") == (200, "ok")
        assert await bot.get("/readyz") == (200, "ready")
        # Without Telegram's secret header: refused; with it but no update: a bad request.
        async with aiohttp.ClientSession() as session:
            async with session.post(bot.webhook, json={"update_id": 1}) as response:
                assert response.status == 403
            headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            async with session.post(bot.webhook, data=b"[", headers=headers) as response:
                assert response.status == 400
        # Telegram is slow to take the reply: the update is still in hand at SIGTERM.
        send = tg._send_message
        sent_at: list[float] = []

        async def slow_send(params: Any, files: Any) -> Any:
            await asyncio.sleep(2)
            sent_at.append(asyncio.get_running_loop().time())
            return send(params, files)

        tg.register_method("sendMessage", slow_send)
        first = tg.message_update(anna.chat_id, "/help")
        assert await tg.post_webhook(first, url=bot.webhook) == 200
        await wait_for(lambda: tg.inflight > 0, 30, "the reply to be under way")
        bot.terminate()
        terminated_at = asyncio.get_running_loop().time()
        await asyncio.sleep(0.5)
        # No new updates: refused, so Telegram (or the load balancer) tries elsewhere.
        second = tg.message_update(anna.chat_id, "/help")
        try:
            refused = await tg.post_webhook(second, url=bot.webhook)
        except aiohttp.ClientError:
            refused = 0  # already closed: refused as well
        assert refused in (503, 0)
        with contextlib.suppress(aiohttp.ClientError):
            assert (await bot.get("/readyz"))[0] == 503
        assert await bot.wait(60) == 0, bot.log.read_text()[-3000:]
    finally:
        await bot.stop()
    # The update in hand was finished (its reply went out after SIGTERM), the new one not.
    assert len(sent_at) == 1 and sent_at[0] > terminated_at
    assert len([m for m in tg.messages(anna.chat_id)]) == 1
    ids = await scalar(url, select(func.count()).select_from(ProcessedUpdate))
    assert ids == 1
    log = bot.log.read_text()
    assert "finishing the ones in hand" in log and '"msg": "stopped"' in log
