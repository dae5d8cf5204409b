"""The reporting-moment reminder: 14 days before each moment of a deelopdracht the coordinators get
its current figures, exactly once (restarts, two processes, a crashed claim), through the fake
Bot API with the controllable clock. Figures: the WIJ-Groningen fixture (tests/deel_fixture.py)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot import deel_reminder
from bot.app import build_application
from bot.config import Settings
from bot.deel_reminder import moment_pass
from bot.scheduler import CLAIM_LEASE
from bot.sender import Pacer
from bot.storage.db import session_factory, transaction
from bot.storage.models import Deelopdracht, DeelopdrachtMoment, DigestDelivery
from tests.conftest import BotHarness
from tests.deel_fixture import seed_wij

TZ = ZoneInfo("Europe/Amsterdam")
# 14 days before the April moment (15 April 2026), after 09:00 in Amsterdam.
APRIL_1 = datetime(2026, 4, 1, 9, 5, tzinfo=TZ)

# The figures on 1 April 2026 (see tests/deel_fixture.py): C1 3 + C2 5 + C3 4 = 12 new
# residents; expected 25 × 91 / 181 = 12,57 (first six months) and 40 × 91 / 365 = 9,97 (year);
# key figures K1, K2, K4 = 3 (expected 1,25); reasons known 7 / 12; went on: C1 2 / 3.
APRIL_LINES = [
    "Rapportagemoment over 14 dagen (15 april 2026): WIJ-Groningen West (Venlo).",
    "Zo staat het er vandaag voor:",
    "• Nieuwe inwoners bereikt (eerste 6 maanden): 12 van 25 — achter op schema",
    "• Nieuwe inwoners bereikt: 12 van 40 — op schema",
    "• Sleutelfiguren met goed contact: 3 van 5 — op schema",
    "• Reden van niet-gebruik bekend: 58 % (doel 80 %) — achter op schema",
    "• Doorgestroomd naar voorzieningen: 67 % (doel 80 %) — achter op schema",
    "Meer zien of aanpassen: /deelopdracht",
]


def fast(bot: BotHarness) -> None:
    bot.services.pacer = Pacer(rate=1000, per_chat=0)


def reminders_of(person) -> list:
    return [r for r in person.replies if "Rapportagemoment" in (r.text or "")]


async def setup(bot: BotHarness, names=("Carla", "Dirk")):
    bot.clock.set(datetime(2026, 3, 2, 10, tzinfo=TZ))
    people = [await bot.coordinator(n) for n in names]
    expert = await bot.expert("Anna")
    wij = await seed_wij(bot.engine)
    fast(bot)
    return people, expert, wij


async def moments(bot: BotHarness) -> list[DeelopdrachtMoment]:
    async with session_factory(bot.engine)() as s:
        rows = await s.exec(select(DeelopdrachtMoment).order_by(DeelopdrachtMoment.on_date))
        return list(rows.all())


async def test_coordinators_get_the_figures_14_days_before_once(bot: BotHarness) -> None:
    (carla, dirk), anna, wij = await setup(bot)
    bot.clock.set(APRIL_1 - timedelta(days=1))  # 15 days before
    assert (await moment_pass(bot.app)).sent == 0
    bot.clock.set(datetime(2026, 4, 1, 8, 30, tzinfo=TZ))  # the day, but before 09:00
    assert (await moment_pass(bot.app)).sent == 0
    bot.clock.set(APRIL_1)
    report = await moment_pass(bot.app)
    assert report.sent == 2 and report.done == [wij.moment_ids[0]]
    for person in (carla, dirk):
        (msg,) = reminders_of(person)
        assert msg.text.split("\n") == APRIL_LINES
        assert msg.protect_content
    assert reminders_of(anna) == []  # experts are not reminded
    april, september = await moments(bot)
    assert april.reminded_at == APRIL_1.astimezone(UTC) and september.reminded_at is None
    # Later that day, the next day and after a restart: nothing more.
    bot.clock.advance(hours=5)
    assert (await moment_pass(bot.app)).sent == 0
    await bot.restart()
    fast(bot)
    bot.clock.advance(days=1)
    assert (await moment_pass(bot.app)).sent == 0
    assert [len(reminders_of(p)) for p in (carla, dirk)] == [1, 1]


async def test_two_processes_remind_each_coordinator_once(bot: BotHarness) -> None:
    people, _anna, wij = await setup(bot, ("Carla", "Dirk", "Eva"))
    other = BotHarness(bot.tg, bot.db_url, bot.clock)
    await other.start()
    try:
        fast(other)
        bot.clock.set(datetime(2026, 9, 1, 10, tzinfo=TZ))
        # April's moment is past (never reminded late); September's is 14 days away.
        a, b = await asyncio.gather(moment_pass(bot.app), moment_pass(other.app))
    finally:
        await other.stop()
        bot.tg.attach(bot.app)
    assert a.sent + b.sent == 3
    assert a.done + b.done == [wij.moment_ids[1]]
    for p in people:
        (msg,) = reminders_of(p)
        assert "over 14 dagen (15 september 2026)" in msg.text
        # On 1 September: 17 + C6 6 = 23 of 40 new residents (C7 is on 14 September).
        assert "Nieuwe inwoners bereikt: 23 van 40" in msg.text
    april, september = await moments(bot)
    assert april.reminded_at is None and september.reminded_at is not None


async def test_a_crashed_claim_is_taken_over_after_its_lease(bot: BotHarness) -> None:
    (carla,), _anna, wij = await setup(bot, ("Carla",))
    user = await bot.app_user(carla)
    async with transaction(bot.services.sessions) as s:
        s.add(
            DigestDelivery(
                recipient_id=user.id,
                kind=deel_reminder.KIND,
                period=deel_reminder.period_of(wij.moment_ids[0]),
                status="claimed",
                claimed_at=APRIL_1.astimezone(UTC),
                attempts=1,
                owner="dead-process",
            )
        )
    bot.clock.set(APRIL_1 + timedelta(minutes=5))
    report = await moment_pass(bot.app)
    assert (report.sent, report.skipped, report.done) == (0, 1, [])  # maybe still sending
    bot.clock.set(APRIL_1 + CLAIM_LEASE + timedelta(minutes=1))
    report = await moment_pass(bot.app)
    assert (report.sent, report.done) == (1, [wij.moment_ids[0]])
    assert len(reminders_of(carla)) == 1


async def test_a_moment_added_late_or_of_an_ended_deelopdracht(bot: BotHarness) -> None:
    (carla,), _anna, wij = await setup(bot, ("Carla",))
    bot.clock.set(datetime(2026, 4, 10, 11, tzinfo=TZ))
    # Five days before the April moment: reminded at once, "over 5 dagen".
    await moment_pass(bot.app)
    (msg,) = reminders_of(carla)
    assert msg.text.startswith("Rapportagemoment over 5 dagen (15 april 2026)")
    async with transaction(bot.services.sessions) as s:
        deel = await s.get(Deelopdracht, wij.deel_id)
        assert deel is not None
        deel.active = False
    bot.clock.set(datetime(2026, 9, 2, 11, tzinfo=TZ))
    assert (await moment_pass(bot.app)).sent == 0  # ended: no reminder
    assert len(reminders_of(carla)) == 1


@pytest.fixture
async def app(tmp_path):
    settings = Settings(
        telegram_bot_token="123456:TEST",
        telegram_api_base_url="http://127.0.0.1:9/bot",
        database_url=f"sqlite:///{tmp_path}/x.db",
    )
    application = build_application(settings, set_menus=False, updater=False, rate_limit=False)
    sched = application.job_queue.scheduler
    sched.start(paused=True)
    yield application
    sched.shutdown(wait=False)
    await application.bot_data.services.engine.dispose()


async def test_the_pass_is_registered_hourly(app) -> None:
    job = {j.id: j for j in app.job_queue.scheduler.get_jobs()}[deel_reminder.JOB_ID]
    assert job.trigger.interval.total_seconds() == 3600
    assert job.coalesce is True and job.max_instances == 1 and job.misfire_grace_time
