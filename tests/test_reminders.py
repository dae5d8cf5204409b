"""Reminders end to end through the fake Bot API (SQLite and PostgreSQL): 16:30 local on both
sides of DST, holidays, what counts as logged, /herinnering, /pauze, snoozing, the buttons,
restarts, two processes, a crash after the claim, and Telegram's 429 and 403."""

from __future__ import annotations

import asyncio
import contextlib
import time as wall
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func
from sqlmodel import select

from bot.scheduler import CLAIM_LEASE, reminder_pass
from bot.sender import Pacer
from bot.storage.db import session_factory, transaction
from bot.storage.models import DayOff, ReminderDelivery
from tests.conftest import BotHarness
from tests.journeys import reply_to
from tests.test_digest import HeldSender, TimingOutSender, add_contact, add_indirect, refs

TZ = ZoneInfo("Europe/Amsterdam")
REMINDER = "nog niets ingevuld"


def local(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


def fast(bot) -> None:
    """Tests don't need Telegram's real pacing (one test below checks it)."""
    bot.services.pacer = Pacer(rate=1000, per_chat=0)


async def run_at(bot, when: datetime):
    bot.clock.set(when)
    return await reminder_pass(bot.app)


def reminders_of(person) -> list:
    """Reminder messages the person got (also those edited since, e.g. after "Later")."""
    return [r for r in person.replies if any(REMINDER in (h or "") for h in r.history)]


async def expert(bot, name: str = "Anna", at: datetime | None = None):
    bot.clock.set(at or local(2026, 11, 16, 9))
    person = await bot.expert(name)
    fast(bot)
    return person


async def sent_at(bot, *times: datetime) -> list[int]:
    """How many reminders a pass sent at each of `times`, in turn."""
    return [(await run_at(bot, when)).sent for when in times]


async def deliveries(bot) -> list[ReminderDelivery]:
    async with session_factory(bot.engine)() as s:
        return list((await s.exec(select(ReminderDelivery))).all())


# --------------------------------------------------------------------------- when


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 3, 27),  # Friday before summer time
        date(2026, 3, 30),  # Monday after
        date(2026, 10, 23),  # Friday before winter time
        date(2026, 10, 26),  # Monday after
    ],
)
async def test_reminder_at_1630_local_on_both_sides_of_dst(bot, day):
    anna = await expert(bot, at=local(day.year, day.month, day.day, 9))
    report = await run_at(bot, local(day.year, day.month, day.day, 16, 29))
    assert report.sent == 0 and reminders_of(anna) == []
    report = await run_at(bot, local(day.year, day.month, day.day, 16, 30))
    assert report.sent == 1
    (msg,) = reminders_of(anna)
    assert "Hoi Anna!" in msg.text
    assert msg.button_labels == ["Nu loggen", "Niets te melden", "Later"]
    (row,) = await deliveries(bot)
    assert row.due_at.astimezone(TZ).time().isoformat() == "16:30:00"
    assert row.status == "sent" and row.local_date == day
    # Every later pass that day sends nothing more.
    for minutes in (1, 30, 120):
        bot.clock.advance(minutes=minutes)
        assert (await reminder_pass(bot.app)).sent == 0
    assert len(reminders_of(anna)) == 1


async def test_no_reminder_on_the_weekend(bot):
    anna = await expert(bot)
    assert (await run_at(bot, local(2026, 11, 21, 16, 45))).sent == 0  # Saturday
    assert (await run_at(bot, local(2026, 11, 22, 16, 45))).sent == 0  # Sunday
    assert reminders_of(anna) == []


@pytest.mark.parametrize(
    ("holiday", "next_workday"),
    [
        (date(2026, 4, 27), date(2026, 4, 28)),  # Koningsdag (Monday)
        (date(2026, 4, 6), date(2026, 4, 7)),  # Tweede Paasdag
        (date(2026, 12, 25), date(2026, 12, 28)),  # Eerste Kerstdag (Friday)
    ],
)
async def test_no_reminder_on_public_holidays(bot, holiday, next_workday):
    anna = await expert(bot, at=local(holiday.year, holiday.month, holiday.day, 9))
    report = await run_at(bot, local(holiday.year, holiday.month, holiday.day, 16, 35))
    assert report.holiday and report.sent == 0
    assert await deliveries(bot) == []
    d = next_workday
    assert (await run_at(bot, local(d.year, d.month, d.day, 16, 35))).sent == 1
    assert len(reminders_of(anna)) == 1


async def test_no_reminder_when_something_was_logged_that_day(bot):
    anna = await expert(bot, "Anna")
    bert = await expert(bot, "Bert")
    cees = await expert(bot, "Cees")
    dora = await expert(bot, "Dora")
    r = await refs(bot.engine)
    day = date(2026, 11, 17)
    await add_contact(bot.engine, r, await bot.app_user(anna), day, 45, "Venlo")
    await add_indirect(bot.engine, r, await bot.app_user(bert), day, 60, None)
    async with transaction(bot.services.sessions) as s:
        s.add(DayOff(expert_id=(await bot.app_user(cees)).id, work_date=day))
    # A contact logged for yesterday does not count for today.
    await add_contact(bot.engine, r, await bot.app_user(dora), day - timedelta(days=1), 45, "Venlo")
    report = await run_at(bot, local(2026, 11, 17, 16, 30))
    assert report.sent == 1
    assert [len(reminders_of(p)) for p in (anna, bert, cees, dora)] == [0, 0, 0, 1]


async def test_late_start_catches_up_but_not_at_night(bot):
    anna = await expert(bot)
    # The bot was down at 16:30 and comes back at 18:00: the reminder still goes out.
    assert (await run_at(bot, local(2026, 11, 17, 18, 0))).sent == 1
    # Down all evening on Wednesday, back at 21:00: too late for that day.
    assert (await run_at(bot, local(2026, 11, 18, 21, 0))).sent == 0
    assert len(reminders_of(anna)) == 1


# --------------------------------------------------------------------------- settings


async def test_herinnering_days_and_time(bot):
    anna = await expert(bot)
    settings = await reply_to(anna.says("/herinnering"), "ma, di, wo, do, vr om 16:30")
    assert "✓ wo" in settings.button_labels
    after = await reply_to(anna.press("✓ wo"), "ma, di, do, vr om 16:30", last=True)
    assert "wo" in after.button_labels  # now without the tick
    await reply_to(anna.says("half vijf"), "16:30", "Klaar")  # says what is accepted
    await reply_to(anna.says("17:15"), "om 17:15")
    done = await reply_to(anna.press("Klaar"), "om 17:15", last=True)
    assert done.button_labels == []
    user = await bot.app_user(anna)
    assert user.reminder_days == "1245" and user.reminder_time.isoformat() == "17:15:00"
    # Wednesday: no reminder. Thursday: at 17:15, not at 16:30.
    wednesday, thursday = local(2026, 11, 18, 17, 30), local(2026, 11, 19, 16, 30)
    assert await sent_at(bot, wednesday, thursday, local(2026, 11, 19, 17, 15)) == [0, 0, 1]
    assert len(reminders_of(anna)) == 1


async def test_reminder_time_after_2200_is_refused(bot):
    anna = await expert(bot)
    await reply_to(anna.says("/herinnering 23:00"), "Zo laat kan niet", "22:00")
    await reply_to(anna.says("/herinnering 22:00"), "om 22:00")
    await anna.says("/herinnering")
    await reply_to(anna.says("22:15"), "Zo laat kan niet", "22:00")
    assert (await bot.app_user(anna)).reminder_time.isoformat() == "22:00:00"


async def test_old_settings_button_is_recognised(bot):
    anna = await expert(bot)
    first = (await anna.says("/herinnering")).only
    old_tuesday = first.keyboard[0][1]["callback_data"]
    await anna.press("✓ ma")
    await anna.press_data(old_tuesday, first)
    assert "eerdere stap" in (anna.last_callback_answer.text or "")
    assert (await bot.app_user(anna)).reminder_days == "2345"  # Tuesday still on
    anna.assert_callbacks_answered()


async def test_herinnering_uit_aan_and_typed_time(bot):
    anna = await expert(bot)
    await reply_to(anna.says("/herinnering uit"), "staan uit")
    assert await sent_at(bot, local(2026, 11, 17, 16, 45)) == [0]
    for typed, shown in (
        ("/herinnering aan", "om 16:30"),
        ("/herinnering 9:05", "om 09:05"),
        ("/herinnering 25:00", "/herinnering 17:00"),
    ):
        await reply_to(anna.says(typed), shown)
    assert await sent_at(bot, local(2026, 11, 18, 9, 10)) == [1]


async def test_pause_ending_mid_week(bot):
    anna = await expert(bot, at=local(2026, 11, 16, 9))  # Monday
    await reply_to(anna.says("/pauze tot 18-11"), "woensdag 18 november")
    # Monday .. Wednesday: paused (inclusive); Thursday: a reminder.
    days = [local(2026, 11, day, 16, 40) for day in (16, 17, 18, 19)]
    assert await sent_at(bot, *days) == [0, 0, 0, 1]
    assert len(reminders_of(anna)) == 1


async def test_pause_off_and_bad_dates(bot):
    anna = await expert(bot)
    await reply_to(anna.says("/pauze"), "niet gepauzeerd", "/pauze tot 12-8")
    await reply_to(anna.says("/pauze tot 1-1-2026"), "al geweest")
    await reply_to(anna.says("/pauze tot ooit"), "begrijp ik niet", "/pauze tot 12-8")
    await anna.says("/pauze tot 31-12")
    assert await sent_at(bot, local(2026, 11, 17, 16, 45)) == [0]
    await reply_to(anna.says("/pauze uit"), "weer herinneringen")
    assert await sent_at(bot, local(2026, 11, 18, 16, 45)) == [1]


# --------------------------------------------------------------------------- the buttons


async def test_snooze_twice_then_the_button_is_gone(bot):
    anna = await expert(bot)
    await run_at(bot, local(2026, 11, 17, 16, 30))
    first = reminders_of(anna)[-1]
    old_later = first.keyboard[0][2]["callback_data"]
    await anna.press("Later")
    assert "om 17:30 nog een keer" in first.text and first.button_labels == []
    # A double tap on the old button changes nothing.
    await anna.press_data(old_later, first)
    assert "al gebruikt" in (anna.last_callback_answer.text or "")
    assert (await run_at(bot, local(2026, 11, 17, 17, 29))).sent == 0
    assert (await run_at(bot, local(2026, 11, 17, 17, 30))).sent == 1
    second = reminders_of(anna)[-1]
    assert second.button_labels == ["Nu loggen", "Niets te melden", "Later"]
    await anna.press("Later")
    assert (await run_at(bot, local(2026, 11, 17, 18, 30))).sent == 1
    third = reminders_of(anna)[-1]
    assert third.button_labels == ["Nu loggen", "Niets te melden"]
    # Pressing the second message's Later again: refused, no fourth reminder.
    await anna.press_data(f"r:m:{(await deliveries(bot))[0].id}:1:later", second)
    assert (await run_at(bot, local(2026, 11, 17, 19, 30))).sent == 0
    assert len(reminders_of(anna)) == 3
    (row,) = await deliveries(bot)
    assert row.snooze_count == 2
    anna.assert_callbacks_answered()


async def test_later_is_not_offered_when_it_would_cross_midnight(bot):
    anna = await expert(bot)
    await anna.says("/herinnering 22:00")
    await run_at(bot, local(2026, 11, 17, 22, 0))
    first = reminders_of(anna)[-1]
    assert first.button_labels == ["Nu loggen", "Niets te melden", "Later"]  # 23:00 still fits
    await anna.press("Later")
    assert "om 23:00 nog een keer" in first.text
    assert (await run_at(bot, local(2026, 11, 17, 23, 0))).sent == 1
    second = reminders_of(anna)[-1]
    assert second.button_labels == ["Nu loggen", "Niets te melden"]  # 00:00 would be dropped
    # An older message's Later, pressed after 23:00, is refused as well.
    (row,) = await deliveries(bot)
    bot.clock.set(local(2026, 11, 17, 23, 5))
    await anna.press_data(f"r:m:{row.id}:1:later", second)
    assert "kan nu niet meer" in (anna.last_callback_answer.text or "")
    (row,) = await deliveries(bot)
    assert (row.status, row.snooze_count) == ("sent", 1)
    anna.assert_callbacks_answered()


async def test_niets_te_melden_stores_a_day_off(bot):
    anna = await expert(bot)
    await run_at(bot, local(2026, 11, 17, 16, 30))
    await anna.press("Later")
    await run_at(bot, local(2026, 11, 17, 17, 30))
    await anna.press("Niets te melden")
    assert "niets te melden op dinsdag 17 november" in anna.last_reply.text
    await anna.press_data(f"r:m:{(await deliveries(bot))[0].id}:1:nil", anna.last_reply)
    async with session_factory(bot.engine)() as s:
        offs = (await s.exec(select(DayOff))).all()
    assert [(o.work_date) for o in offs] == [date(2026, 11, 17)]
    assert (await run_at(bot, local(2026, 11, 17, 18, 30))).sent == 0
    anna.assert_callbacks_answered()


async def test_nu_loggen_opens_the_contact_dialogue(bot):
    anna = await expert(bot)
    await run_at(bot, local(2026, 11, 17, 16, 30))
    reminder = reminders_of(anna)[-1]
    replies = await anna.press("Nu loggen")
    assert reminder.button_labels == []  # the reminder's buttons are gone
    assert replies, anna.transcript()
    dialogue = replies.last
    assert dialogue.button_labels, dialogue.text  # the /contact dialogue, with its buttons
    assert REMINDER not in dialogue.text
    (row,) = await deliveries(bot)
    assert row.status == "answered"
    anna.assert_callbacks_answered()


async def test_someone_elses_reminder_button_does_nothing(bot):
    anna = await expert(bot, "Anna")
    bert = await expert(bot, "Bert")
    await run_at(bot, local(2026, 11, 17, 16, 30))
    anna_id = (await bot.app_user(anna)).id
    anna_row = next(d for d in await deliveries(bot) if d.user_id == anna_id)
    await bert.press_data(f"r:m:{anna_row.id}:0:nil", reminders_of(bert)[-1])
    assert "werkt niet meer" in (bert.last_callback_answer.text or "")
    async with session_factory(bot.engine)() as s:
        assert (await s.exec(select(func.count()).select_from(DayOff))).one() == 0


# --------------------------------------------------------------------------- exactly once


async def test_restart_neither_loses_nor_repeats(bot):
    anna = await expert(bot)
    await run_at(bot, local(2026, 11, 17, 16, 30))
    await bot.restart()
    fast(bot)
    assert (await run_at(bot, local(2026, 11, 17, 16, 31))).sent == 0
    # A snooze survives a restart too.
    await anna.press("Later")
    await bot.restart()
    fast(bot)
    assert (await run_at(bot, local(2026, 11, 17, 17, 31))).sent == 1
    assert len(reminders_of(anna)) == 2


async def test_two_processes_send_each_reminder_once(bot):
    people = [await expert(bot, f"Expert{i}") for i in range(6)]
    other = BotHarness(bot.tg, bot.db_url, bot.clock)
    await other.start()
    try:
        fast(other)
        bot.clock.set(local(2026, 11, 17, 16, 30))
        a, b = await asyncio.gather(reminder_pass(bot.app), reminder_pass(other.app))
        assert a.sent + b.sent == 6
        assert set(a.user_ids).isdisjoint(b.user_ids)
    finally:
        await other.stop()
        bot.tg.attach(bot.app)
    assert [len(reminders_of(p)) for p in people] == [1] * 6


async def test_claim_without_send_is_retried_after_the_lease(bot):
    anna = await expert(bot)
    now = local(2026, 11, 17, 16, 30).astimezone(UTC)
    async with transaction(bot.services.sessions) as s:
        s.add(
            ReminderDelivery(
                user_id=(await bot.app_user(anna)).id,
                local_date=date(2026, 11, 17),
                status="claimed",
                due_at=now,
                claimed_at=now,
            )
        )
    # The claiming process died before sending. Within the lease: leave it alone.
    assert (await run_at(bot, local(2026, 11, 17, 16, 35))).sent == 0
    later = now + CLAIM_LEASE + timedelta(minutes=1)
    assert (await run_at(bot, later.astimezone(TZ))).sent == 1
    assert len(reminders_of(anna)) == 1
    (row,) = await deliveries(bot)
    assert row.status == "sent"


async def test_a_pass_outlasting_its_lease_sends_each_reminder_once(bot):
    anna = await expert(bot)
    held = HeldSender()
    bot.clock.set(local(2026, 11, 17, 16, 30))
    slow = asyncio.create_task(reminder_pass(bot.app, sender=held))
    await asyncio.wait_for(held.waiting.wait(), 30)
    # Ten minutes on, the first pass still hasn't sent: the lease ran out, a pass takes over.
    assert (await run_at(bot, local(2026, 11, 17, 16, 41))).sent == 1
    held.release.set()
    late = await asyncio.wait_for(slow, 30)
    assert (late.sent, late.skipped) == (0, 1)  # saw the claim was no longer its own
    assert len(reminders_of(anna)) == 1
    (row,) = await deliveries(bot)
    assert row.status == "sent"


async def test_each_reminder_outcome_is_recorded_right_after_its_send(bot):
    anna = await expert(bot, "Anna")
    bert = await expert(bot, "Bert")
    held = HeldSender(let_through=1)  # Anna's reminder goes, Bert's is held
    bot.clock.set(local(2026, 11, 17, 16, 30))
    dying = asyncio.create_task(reminder_pass(bot.app, sender=held))
    await asyncio.wait_for(held.waiting.wait(), 30)
    for _ in range(100):  # Anna's outcome is written without waiting for Bert's
        if any(d.status == "sent" for d in await deliveries(bot)):
            break
        await asyncio.sleep(0.05)
    dying.cancel()  # the process dies mid-batch
    with contextlib.suppress(asyncio.CancelledError):
        await dying
    assert (await run_at(bot, local(2026, 11, 17, 16, 41))).sent == 1
    assert [len(reminders_of(p)) for p in (anna, bert)] == [1, 1]


async def test_a_timed_out_reminder_is_not_sent_again(bot):
    anna = await expert(bot)
    sender = TimingOutSender()
    bot.clock.set(local(2026, 11, 17, 16, 30))
    report = await reminder_pass(bot.app, sender=sender)
    assert (report.sent, report.failed, report.unknown) == (0, 1, 1)
    assert sender.requests == 1  # not retried: it may have arrived (here it did)
    for hh, mm in ((16, 45), (17, 0), (18, 0)):
        assert (await run_at(bot, local(2026, 11, 17, hh, mm))).sent == 0
    assert len(reminders_of(anna)) == 1
    (row,) = await deliveries(bot)
    assert row.status == "unknown"
    # It did arrive: its buttons work as on any reminder.
    await anna.press("Later")
    assert (await run_at(bot, local(2026, 11, 17, 19, 0))).sent == 1
    assert len(reminders_of(anna)) == 2
    anna.assert_callbacks_answered()


# --------------------------------------------------------------------------- Telegram


async def test_429_is_waited_out_and_retried(bot):
    anna = await expert(bot)
    bot.tg.fail_next("sendMessage", 429, retry_after=1)
    started = wall.monotonic()
    report = await run_at(bot, local(2026, 11, 17, 16, 30))
    assert report.sent == 1
    assert wall.monotonic() - started >= 1.0
    assert bot.tg.stats.injected_failures == 1
    assert len(reminders_of(anna)) == 1


async def test_blocked_expert_is_marked_skipped_and_the_rest_goes_on(bot):
    anna = await expert(bot, "Anna")
    bert = await expert(bot, "Bert")
    bot.tg.block(anna.chat_id)
    report = await run_at(bot, local(2026, 11, 17, 16, 30))
    assert (report.blocked, report.sent) == (1, 1)
    assert len(reminders_of(bert)) == 1
    assert (await bot.app_user(anna)).blocked_bot
    sends = len(bot.tg.calls_to("sendMessage"))
    await run_at(bot, local(2026, 11, 18, 16, 30))
    to_anna = [
        c for c in bot.tg.calls_to("sendMessage")[sends:] if c.params.get("chat_id") == anna.chat_id
    ]
    assert to_anna == []  # skipped, not tried again
    # Anna unblocks and talks to the bot again: she gets reminders again.
    bot.tg.unblock(anna.chat_id)
    await anna.says("/help")
    assert not (await bot.app_user(anna)).blocked_bot
    assert (await run_at(bot, local(2026, 11, 19, 16, 30))).sent == 2


async def test_sending_is_paced_per_chat_and_overall(bot):
    people = [await expert(bot, f"E{i}") for i in range(12)]
    bot.tg.enforce_flood_limits(per_chat_per_sec=1.0, global_per_sec=10.0, per_chat_burst=1.0)
    bot.services.pacer = Pacer(rate=9.0, per_chat=1.0)
    started = wall.monotonic()
    report = await run_at(bot, local(2026, 11, 17, 16, 30))
    elapsed = wall.monotonic() - started
    assert report.sent == 12
    assert bot.tg.stats.flood_429s == 0
    assert elapsed >= 11 / 9.0 - 0.05  # 12 messages at 9/s
    assert [len(reminders_of(p)) for p in people] == [1] * 12
