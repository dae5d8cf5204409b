"""Pure reminder rules: work days, time (on both sides of DST), holidays, pause, snooze."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain import reminders as r

TZ = ZoneInfo("Europe/Amsterdam")
DEFAULT = r.ReminderPrefs()


def local(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TZ).astimezone(UTC)


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [
        (date(2026, 3, 27), 15),  # Friday before spring forward: CET, UTC+1
        (date(2026, 3, 30), 14),  # Monday after: CEST, UTC+2
        (date(2026, 10, 23), 14),  # Friday before fall back: CEST
        (date(2026, 10, 26), 15),  # Monday after: CET
    ],
)
def test_due_moment_is_1630_local_on_both_sides_of_dst(day, utc_hour):
    due = r.due_moment(day, time(16, 30), TZ)
    assert due == datetime(day.year, day.month, day.day, utc_hour, 30, tzinfo=UTC)
    assert due.astimezone(TZ).time() == time(16, 30)


def test_due_at_the_minute_not_before():
    assert not r.reminder_due(DEFAULT, local(2026, 3, 30, 16, 29), TZ, logged=False)
    assert r.reminder_due(DEFAULT, local(2026, 3, 30, 16, 30), TZ, logged=False)
    # The UTC hour that is 16:30 in winter is 17:30 in summer: still due (within the late limit).
    assert r.reminder_due(DEFAULT, local(2026, 3, 30, 17, 30), TZ, logged=False)


def test_not_due_when_logged_or_weekend():
    assert not r.reminder_due(DEFAULT, local(2026, 3, 30, 16, 45), TZ, logged=True)
    assert not r.reminder_due(DEFAULT, local(2026, 3, 28, 16, 45), TZ, logged=False)  # Saturday
    sat = r.ReminderPrefs(days="6")
    assert r.reminder_due(sat, local(2026, 3, 28, 16, 45), TZ, logged=False)


@pytest.mark.parametrize(
    "holiday",
    [date(2026, 4, 27), date(2026, 4, 6), date(2026, 12, 25), date(2026, 12, 28) - timedelta(2)],
)
def test_no_reminder_on_public_holidays(holiday):
    every_day = r.ReminderPrefs(days="1234567")
    assert not r.is_reminder_day(every_day, holiday)
    assert not r.reminder_due(
        every_day, r.due_moment(holiday, time(16, 30), TZ) + timedelta(minutes=1), TZ, logged=False
    )


def test_day_after_koningsdag_is_normal():
    assert r.is_reminder_day(DEFAULT, date(2026, 4, 28))


def test_pause_is_inclusive():
    prefs = r.ReminderPrefs(pause_until=date(2026, 11, 18))  # a Wednesday
    assert not r.is_reminder_day(prefs, date(2026, 11, 18))
    assert r.is_reminder_day(prefs, date(2026, 11, 19))


def test_disabled_means_never():
    off = r.ReminderPrefs(enabled=False)
    assert not r.is_reminder_day(off, date(2026, 11, 17))


def test_late_limit_and_own_day_only():
    due = r.due_moment(date(2026, 11, 17), time(16, 30), TZ)
    assert r.within_send_window(
        due, due + r.LATE_LIMIT - timedelta(seconds=1), date(2026, 11, 17), TZ
    )
    assert not r.within_send_window(due, due + r.LATE_LIMIT, date(2026, 11, 17), TZ)
    late = r.due_moment(date(2026, 11, 17), time(23, 30), TZ)
    # Snoozed past midnight: belongs to yesterday, not sent.
    assert not r.within_send_window(
        late + timedelta(hours=1), late + timedelta(hours=1, minutes=1), date(2026, 11, 17), TZ
    )


def test_snooze_twice_then_no_more():
    assert r.can_snooze(0)
    assert r.can_snooze(1)
    assert not r.can_snooze(2)
    now = local(2026, 11, 17, 16, 30)
    assert r.snoozed_until(now) - now == timedelta(hours=1)


def test_days_parsing_and_toggling():
    assert r.parse_days("12345") == {1, 2, 3, 4, 5}
    assert r.parse_days("x19") == {1}
    assert r.toggle_day("12345", 3) == "1245"
    assert r.toggle_day("1245", 3) == "12345"
    assert r.toggle_day("", 7) == "7"


@given(st.sets(st.integers(1, 7)), st.integers(1, 7))
def test_toggle_twice_is_identity(days, d):
    s = r.format_days(days)
    assert r.toggle_day(r.toggle_day(s, d), d) == s
    assert len(r.toggle_day(s, d)) <= 7


@given(st.dates(date(2025, 1, 1), date(2030, 12, 31)), st.times())
def test_due_moment_round_trips_to_local_wall_time(d, t):
    due = r.due_moment(d, t, TZ)
    back = due.astimezone(TZ)
    # Only the non-existent spring-forward hour moves (02:xx -> 03:xx).
    if back.time().replace(microsecond=0) != t.replace(microsecond=0):
        assert d.month == 3 and t.hour == 2
    else:
        assert back.date() == d


def test_later_only_while_the_snooze_stays_on_the_same_local_day():
    assert r.snooze_allowed(0, local(2026, 11, 17, 22, 0), TZ)  # until 23:00
    assert r.snooze_allowed(1, local(2026, 11, 17, 22, 59), TZ)  # until 23:59
    assert not r.snooze_allowed(0, local(2026, 11, 17, 23, 0), TZ)  # 00:00: the next day
    assert not r.snooze_allowed(0, local(2026, 11, 17, 23, 30), TZ)
    assert not r.snooze_allowed(2, local(2026, 11, 17, 16, 30), TZ)  # no snoozes left
    # The night summer time ends has 25 hours; the local date decides, not the UTC one.
    assert r.snooze_allowed(0, local(2026, 10, 24, 22, 30), TZ)
    assert not r.snooze_allowed(0, local(2026, 10, 24, 23, 30), TZ)


def test_reminder_time_at_most_2200():
    assert r.reminder_time_allowed(time(22, 0))
    assert r.reminder_time_allowed(time(6, 0))
    assert not r.reminder_time_allowed(time(22, 1))
    assert not r.reminder_time_allowed(time(23, 59))
