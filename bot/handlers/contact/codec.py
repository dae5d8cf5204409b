"""The contact dialogue's button arguments and typed answers, as plain values.

Buttons are `c:<draft id>:<revision>:<action>[:<arg>]` (bot.dialogue.codec); these are the
arguments and the typed-text adapters of the Dutch parsers in bot.domain.
"""

from __future__ import annotations

from datetime import date

from bot.domain import contact_draft as cdm
from bot.domain import dates, durations
from bot.handlers.contact.texts import DATE_ERRORS

PREFIX = "c"


def is_int(text: str) -> bool:
    """ASCII digits only ("²" is a digit to str.isdigit, not to int())."""
    return text.isascii() and text.isdigit() and len(text) <= 9


def date_arg(d: date) -> str:
    """A day in callback data: "20261116"."""
    return d.strftime("%Y%m%d")


def parse_date_arg(arg: str) -> date | None:
    if len(arg) != 8 or not is_int(arg):
        return None
    try:
        return date(int(arg[:4]), int(arg[4:6]), int(arg[6:]))
    except ValueError:
        return None


def parse_duration(text: str) -> tuple[int | None, str | None]:
    """Minutes and an error code ("unknown", "too_long", "too_short") for a typed duration."""
    try:
        minutes = durations.parse_duration(text)
    except durations.DurationError as exc:
        code = "too_long" if exc.code == durations.DurationErrorCode.TOO_LONG else "too_short"
        return None, code
    if minutes is None:
        return None, "unknown"
    return minutes, cdm.check_duration(minutes)


def parse_date(text: str, today: date, max_back_days: int) -> tuple[date | None, str | None]:
    """A typed work date and an error code ("unknown", "future", "too_old")."""
    try:
        return dates.parse_work_date(text, today, max_back_days=max_back_days), None
    except dates.DateError as exc:
        code = exc.code.value if exc.code.value in DATE_ERRORS else "unknown"
        return None, code
