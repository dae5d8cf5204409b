"""Job registration: stable ids, misfire/coalesce/max_instances, Europe/Amsterdam triggers."""

from __future__ import annotations

import math
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import httpx
import pytest
from telegram.error import TimedOut

from bot import scheduler
from bot.app import build_application
from bot.config import Settings
from bot.handlers import digest as digest_handlers
from bot.handlers import reminders as reminder_handlers
from bot.sender import Pacer, Sender

TZ = ZoneInfo("Europe/Amsterdam")
MINE = {
    scheduler.REMINDER_JOB_ID,
    scheduler.DIGEST_WEEKLY_JOB_ID,
    scheduler.DIGEST_STARTUP_JOB_ID,
    scheduler.DIGEST_RETRY_JOB_ID,
}


@pytest.fixture
async def app(tmp_path):
    settings = Settings(
        telegram_bot_token="123456:TEST",
        telegram_api_base_url="http://127.0.0.1:9/bot",
        database_url=f"sqlite:///{tmp_path}/x.db",
        digest_weekday=1,
        digest_time=time(8, 30),
    )
    application = build_application(settings, set_menus=False, updater=False, rate_limit=False)
    sched = application.job_queue.scheduler
    sched.start(paused=True)  # jobs go into the store (replace_existing applies), nothing runs
    yield application
    sched.shutdown(wait=False)
    await application.bot_data.services.engine.dispose()


def jobs(app) -> dict:
    return {j.id: j for j in app.job_queue.scheduler.get_jobs()}


async def test_jobs_have_stable_ids_and_safe_options(app):
    js = jobs(app)
    assert set(js) >= MINE  # other journeys may add their own jobs
    for job in (js[i] for i in MINE):
        assert job.coalesce is True
        assert job.max_instances == 1
        assert job.misfire_grace_time and job.misfire_grace_time > 0


async def test_registering_again_replaces_instead_of_duplicating(app):
    reminder_handlers.schedule(app)
    digest_handlers.schedule(app)
    ids = [j.id for j in app.job_queue.scheduler.get_jobs()]
    assert sorted(ids) == sorted(set(ids))
    assert [i for i in ids if i in MINE] and len([i for i in ids if i in MINE]) == 4


async def test_reminder_pass_runs_every_minute(app):
    trigger = jobs(app)[scheduler.REMINDER_JOB_ID].trigger
    assert trigger.interval.total_seconds() == 60


@pytest.mark.parametrize(
    ("after", "expected_utc"),
    [
        # Sunday 29 March 2026 (DST starts): next Monday 08:30 CEST = 06:30 UTC.
        (datetime(2026, 3, 29, 12, tzinfo=UTC), datetime(2026, 3, 30, 6, 30, tzinfo=UTC)),
        # Sunday 25 October 2026 (DST ends): next Monday 08:30 CET = 07:30 UTC.
        (datetime(2026, 10, 25, 12, tzinfo=UTC), datetime(2026, 10, 26, 7, 30, tzinfo=UTC)),
        # Monday 08:31 local: the next one is a week later.
        (datetime(2026, 11, 23, 7, 31, tzinfo=UTC), datetime(2026, 11, 30, 7, 30, tzinfo=UTC)),
    ],
)
async def test_weekly_digest_fires_monday_0830_local(app, after, expected_utc):
    trigger = jobs(app)[scheduler.DIGEST_WEEKLY_JOB_ID].trigger
    nxt = trigger.get_next_fire_time(None, after.astimezone(TZ))
    assert nxt.astimezone(UTC) == expected_utc
    assert nxt.astimezone(TZ).time() == time(8, 30)


async def test_catch_up_runs_once_soon_after_start(app):
    job = jobs(app)[scheduler.DIGEST_STARTUP_JOB_ID]
    assert type(job.trigger).__name__ == "DateTrigger"


async def test_no_jobs_without_schedule_jobs(tmp_path):
    settings = Settings(
        telegram_bot_token="123456:TEST",
        telegram_api_base_url="http://127.0.0.1:9/bot",
        database_url=f"sqlite:///{tmp_path}/y.db",
    )
    application = build_application(
        settings, set_menus=False, updater=False, rate_limit=False, schedule_jobs=False
    )
    assert not {j.id for j in application.job_queue.scheduler.get_jobs()} & MINE
    await application.bot_data.services.engine.dispose()


# --------------------------------------------------------------------------- the pacer


class FakeTime:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t

    async def sleep(self, seconds: float) -> None:
        self.t += seconds


async def test_pacer_spaces_sends_overall_and_per_chat():
    ft = FakeTime()
    pacer = Pacer(rate=10, per_chat=1.0, time=ft, sleep=ft.sleep)
    at = []
    for chat in (1, 2, 3, 1, 1):
        await pacer.wait(chat)
        at.append(round(ft.t, 3))
    # Overall 0.1 s apart; chat 1 again only a second after its previous send.
    assert at == [100.0, 100.1, 100.2, 101.0, 102.0]


async def test_pacer_does_not_burst_after_a_stall_and_honours_429():
    ft = FakeTime()
    pacer = Pacer(rate=10, per_chat=1.0, time=ft, sleep=ft.sleep)
    await pacer.wait(1)
    ft.t += 5  # the event loop was busy for five seconds
    at = []
    for chat in range(2, 6):
        await pacer.wait(chat)
        at.append(round(ft.t, 3))
    assert at == [105.0, 105.1, 105.2, 105.3]  # spaced from real sends, no catch-up burst
    pacer.flood_wait(2.0)
    await pacer.wait(9)
    assert round(ft.t, 3) == 107.3


# --------------------------------------------------------------------------- the sender


class TimesOut:
    """A send whose first `failures` calls time out (ptb's TimedOut caused by `cause`), then
    it returns "message"; it counts its calls."""

    def __init__(self, cause: type[httpx.TimeoutException], failures: float = math.inf) -> None:
        self.cause, self.failures, self.calls = cause, failures, 0

    async def __call__(self) -> str:
        self.calls += 1
        if self.calls <= self.failures:
            try:
                raise self.cause("timed out")
            except httpx.TimeoutException as exc:
                raise TimedOut from exc
        return "message"


async def test_a_timeout_after_the_request_went_out_is_not_retried():
    sender = Sender(Pacer(rate=1000, per_chat=0))
    timing_out = TimesOut(httpx.ReadTimeout)
    outcome = await sender.deliver(1, timing_out)
    assert (outcome.status, outcome.error, timing_out.calls) == ("unknown", "TimedOut", 1)
    assert not outcome.ok and sender.stats.unknown == 1


async def test_a_timeout_before_the_request_left_is_retried():
    sender = Sender(Pacer(rate=1000, per_chat=0))
    connect_times_out_once = TimesOut(httpx.ConnectTimeout, failures=1)
    outcome = await sender.deliver(1, connect_times_out_once)
    assert (outcome.status, connect_times_out_once.calls) == ("sent", 2)
