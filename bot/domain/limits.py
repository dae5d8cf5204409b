"""What an expert may enter: work dates, durations, day totals and free text.

One set of rules for every dialogue (/contact, /uren, /signaal, /verhaal, /corrigeer). Pure:
each check returns None when the value is fine, else a short error code that the handler turns
into Dutch text. Parsing the Dutch itself lives in `bot.domain.dates` / `bot.domain.durations`;
the privacy guard in `bot.domain.privacy`.

Codes:
- dates: "unknown" | "future" | "too_old"
- durations: "unknown" | "too_short" | "too_long"
- text: "no_letters" | "too_long" | "too_short" | "identifying"
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.domain import dates, durations
from bot.domain.privacy import FindingKind, check_free_text

__all__ = [
    "MAX_CONTACT_MINUTES",
    "MAX_DAY_MINUTES",
    "MAX_SIGNAL_CHARS",
    "MAX_STORY_CHARS",
    "MIN_INDIRECT_MINUTES",
    "MIN_TEXT_CHARS",
    "TextProblem",
    "check_minutes",
    "check_text",
    "check_text_length",
    "check_work_date",
    "day_total_too_high",
    "grows_day",
    "identifying",
    "read_minutes",
    "read_work_date",
]

# Durations. Anything outside is a typo, not a long day.
MAX_DAY_MINUTES = durations.MAX_MINUTES  # one entry of indirect hours: at most a day
MAX_CONTACT_MINUTES = 12 * 60  # one contact
MIN_INDIRECT_MINUTES = 5  # indirect hours: shorter is not worth an entry

# Free text (a signal, a story, the story of a contact).
MIN_TEXT_CHARS = 10
MAX_SIGNAL_CHARS = 1000
MAX_STORY_CHARS = 1000

# --------------------------------------------------------------------------- work dates


def check_work_date(d: date, today: date, max_back_days: int) -> str | None:
    """None for a work date from today back to ``max_back_days`` ago; else future / too_old."""
    if d > today:
        return "future"
    if (today - d).days > max_back_days:
        return "too_old"
    return None


def read_work_date(text: str, today: date, max_back_days: int) -> tuple[date | None, str | None]:
    """A typed work date ("gisteren", "maandag", "12-11") -> (date, None) or (None, code).

    The rule is `bot.domain.dates.parse_work_date`'s, as in /contact: a day-month a few weeks
    ahead means this year's (the future), a typed year is taken as typed."""
    try:
        return dates.parse_work_date(text, today, max_back_days=max_back_days), None
    except dates.DateError as exc:
        code = exc.code.value
    return None, code if code in ("future", "too_old") else "unknown"


# --------------------------------------------------------------------------- durations


def check_minutes(minutes: int, *, minimum: int = 1, maximum: int = MAX_DAY_MINUTES) -> str | None:
    """None when ``minimum <= minutes <= maximum``; else too_short / too_long."""
    if minutes < minimum:
        return "too_short"
    if minutes > maximum:
        return "too_long"
    return None


def read_minutes(
    text: str, *, minimum: int = 1, maximum: int = MAX_DAY_MINUTES
) -> tuple[int | None, str | None]:
    """A typed duration ("45 min", "1,5 uur") -> (minutes, None) or (None, code)."""
    try:
        minutes = durations.parse_duration(text)
    except durations.DurationError as exc:
        return None, "too_long" if exc.code == durations.DurationErrorCode.TOO_LONG else "too_short"
    if minutes is None:
        return None, "unknown"
    code = check_minutes(minutes, minimum=minimum, maximum=maximum)
    return (None, code) if code is not None else (minutes, None)


def day_total_too_high(
    logged_minutes: int, new_minutes: int, max_day_hours: float
) -> tuple[bool, int]:
    """Whether the day's total (what is logged + this entry) passes the limit, and the total."""
    total = logged_minutes + new_minutes
    return total > max_day_hours * 60, total


def grows_day(old_day: date, old_minutes: int, new_day: date, new_minutes: int) -> bool:
    """Whether a correction puts more work on a day than it had (then the day total is asked
    about, as when saving); a shorter entry or one on the same day never needs asking."""
    return new_day != old_day or new_minutes > old_minutes


# --------------------------------------------------------------------------- free text


@dataclass(frozen=True)
class TextProblem:
    code: str  # no_letters | too_long | too_short | identifying
    found: tuple[FindingKind, ...] = ()  # with "identifying": what could identify someone


def check_text_length(text: str, *, max_chars: int, min_chars: int = MIN_TEXT_CHARS) -> str | None:
    """None for ``min_chars..max_chars`` characters; else too_short / too_long."""
    if len(text) > max_chars:
        return "too_long"
    if len(text) < min_chars:
        return "too_short"
    return None


def identifying(text: str, today: date) -> tuple[FindingKind, ...]:
    """The kinds of identifier found in ``text`` (each once, in the order found)."""
    return tuple(dict.fromkeys(f.kind for f in check_free_text(text, today=today)))


def check_text(
    text: str, *, max_chars: int, today: date, min_chars: int = MIN_TEXT_CHARS
) -> TextProblem | None:
    """What is wrong with a typed text (no words, too long, too short, identifying), or None.

    Text that fails is never stored, not even in a draft."""
    if not any(ch.isalpha() for ch in text):
        return TextProblem("no_letters")
    code = check_text_length(text, max_chars=max_chars, min_chars=min_chars)
    if code is not None:
        return TextProblem(code)
    found = identifying(text, today)
    return TextProblem("identifying", found) if found else None
