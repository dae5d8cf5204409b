"""When does an expert get a reminder? Pure decisions, no storage, no text.

Rules (local time, Europe/Amsterdam):

* Only on the expert's own work days (`reminder_days`: ISO weekday digits, "12345" = Mon-Fri),
  from their reminder time on (default 16:30), and only when reminders are on.
* Never on a Dutch public holiday (`bot.domain.holidays_nl`), never while paused: `pause_until`
  is inclusive, so "pauze tot 12-8" means the first reminder comes on 13 August (if a work day).
* Only when nothing was logged that day (contact, indirect hours or "Niets te melden");
  the caller knows that from the database and passes `logged`.
* At most one reminder per day. "Later" snoozes it by an hour, at most `MAX_SNOOZES` times;
  the message sent after the last snooze has no "Later" button, and neither has a reminder
  whose snooze would end on the next local day (it would never be sent: reminders belong to
  their own day). A reminder time is at most `LATEST_TIME`.
* Catching up after downtime is limited: a reminder is sent at most `LATE_LIMIT` after it was due
  and only on its own local day, so nobody gets yesterday's reminder or one late at night.

The due moment is computed per date with zoneinfo, so 16:30 stays 16:30 on the local clock on
both sides of a DST change (15:30 UTC in winter, 14:30 UTC in summer).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.holidays_nl import is_public_holiday

__all__ = [
    "LATEST_TIME",
    "LATE_LIMIT",
    "MAX_SNOOZES",
    "SNOOZE",
    "WEEKDAY_DIGITS",
    "ReminderPrefs",
    "can_snooze",
    "due_moment",
    "format_days",
    "is_reminder_day",
    "parse_days",
    "reminder_due",
    "reminder_time_allowed",
    "snooze_allowed",
    "snoozed_until",
    "toggle_day",
    "within_send_window",
]

SNOOZE = timedelta(hours=1)
MAX_SNOOZES = 2
LATE_LIMIT = timedelta(hours=3)
# The latest reminder time one can choose: "Later" still fits in the day after it.
LATEST_TIME = time(22, 0)
WEEKDAY_DIGITS = "1234567"


@dataclass(frozen=True)
class ReminderPrefs:
    days: str = "12345"
    at: time = time(16, 30)
    enabled: bool = True
    pause_until: date | None = None


def parse_days(days: str) -> frozenset[int]:
    """ISO weekday digits to a set; anything else is ignored ("135" -> {1, 3, 5})."""
    return frozenset(int(c) for c in days if c in WEEKDAY_DIGITS)


def format_days(days: frozenset[int] | set[int]) -> str:
    """The canonical stored form: sorted digits, no duplicates."""
    return "".join(str(d) for d in sorted(days) if 1 <= d <= 7)


def toggle_day(days: str, iso_weekday: int) -> str:
    current = set(parse_days(days))
    current ^= {iso_weekday}
    return format_days(current)


def is_paused(pause_until: date | None, d: date) -> bool:
    return pause_until is not None and d <= pause_until


def is_reminder_day(prefs: ReminderPrefs, d: date) -> bool:
    """A day this expert can get a reminder on (ignoring what they logged)."""
    return (
        prefs.enabled
        and d.isoweekday() in parse_days(prefs.days)
        and not is_public_holiday(d)
        and not is_paused(prefs.pause_until, d)
    )


def due_moment(d: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of local wall time `at` on `d` (zoneinfo fold=0 rule in DST gaps)."""
    return datetime.combine(d, at.replace(tzinfo=None), tzinfo=tz).astimezone(UTC)


def within_send_window(due_at: datetime, now: datetime, local_date: date, tz: ZoneInfo) -> bool:
    """Due, not too late, and still the reminder's own local day."""
    return due_at <= now < due_at + LATE_LIMIT and now.astimezone(tz).date() == local_date


def reminder_due(prefs: ReminderPrefs, now: datetime, tz: ZoneInfo, *, logged: bool) -> bool:
    """Should a first reminder for today go out at `now` (UTC, aware)?"""
    today = now.astimezone(tz).date()
    if logged or not is_reminder_day(prefs, today):
        return False
    return within_send_window(due_moment(today, prefs.at, tz), now, today, tz)


def can_snooze(snooze_count: int) -> bool:
    """Whether the reminder with this many snoozes behind it still offers "Later"."""
    return snooze_count < MAX_SNOOZES


def snoozed_until(now: datetime) -> datetime:
    return now + SNOOZE


def snooze_allowed(snooze_count: int, now: datetime, tz: ZoneInfo) -> bool:
    """ "Later" at `now`: snoozes are left and the snoozed reminder still falls on today's local
    date (a snooze into the next day would never be sent)."""
    if not can_snooze(snooze_count):
        return False
    return snoozed_until(now).astimezone(tz).date() == now.astimezone(tz).date()


def reminder_time_allowed(at: time) -> bool:
    """Whether an expert may choose `at` as reminder time (at most `LATEST_TIME`)."""
    return at.replace(tzinfo=None) <= LATEST_TIME
