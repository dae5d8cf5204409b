"""Dates and times as typed in Dutch: "gisteren", "di", "12-3", "12 mrt", "2026-03-12", "16u30".

Work dates look back (a contact happened today or earlier), pause dates look ahead.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, time, timedelta
from enum import StrEnum
from typing import Literal

from babel.dates import format_date

from bot.domain import weekdays
from bot.domain.week import week_start

__all__ = [
    "MONTHS",
    "WEEKDAYS",
    "DateError",
    "DateErrorCode",
    "add_months",
    "find_date",
    "find_impossible_date",
    "format_date_nl",
    "parse_date",
    "parse_pause_until",
    "parse_time",
    "parse_work_date",
    "validate_work_date",
]


class DateErrorCode(StrEnum):
    UNKNOWN = "unknown"  # not a date we understand (or no such day, e.g. 31-2)
    FUTURE = "future"  # work date after today
    TOO_OLD = "too_old"  # work date more than max_back_days ago
    PAST = "past"  # pause-until date before today
    TOO_FAR = "too_far"  # pause-until date more than a year ahead


class DateError(ValueError):
    """A date that cannot be used; ``code`` tells the handler which message to show."""

    def __init__(self, code: DateErrorCode, value: date | None = None) -> None:
        super().__init__(code.value)
        self.code = code
        self.date = value


# Month names and abbreviations -> month number (longest first matters in the regex below).
MONTHS: dict[str, int] = {
    "januari": 1,
    "jan": 1,
    "februari": 2,
    "febr": 2,
    "feb": 2,
    "maart": 3,
    "mrt": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "augustus": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "oktober": 10,
    "okt": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}

WEEKDAYS: dict[str, int] = {**weekdays.FULL, **{a: i for i, a in enumerate(weekdays.ABBREVIATIONS)}}

_RELATIVE: dict[str, int] = {
    "vandaag": 0,
    "vanochtend": 0,
    "vanmorgen": 0,
    "vanmiddag": 0,
    "vanavond": 0,
    "gisteren": -1,
    "gister": -1,
    "eergisteren": -2,
    "morgen": 1,
    "overmorgen": 2,
}

_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY_ALT = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_PART_OF_DAY = r"(?:ochtend|middag|avond|morgen|nacht)"

# Every repetition is bounded ({1,2}, {4}, \s{1,3}), so scanning is linear in the text length.
_DATE_RE = re.compile(
    rf"""
    (?<![\w:.,/-])(?P<iy>\d{{4}})-(?P<im>\d{{1,2}})-(?P<id>\d{{1,2}})(?![\w-]|[.,:/]\d)
    | (?<![\w:.,/-])(?P<nd>\d{{1,2}})(?P<sep>[-/.])(?P<nm>\d{{1,2}})
      (?:(?P=sep)(?P<ny>\d{{4}}|\d{{2}}))?(?![\w:]|[-/.,]\d)
      (?!\s{{0,3}}(?:uur|u|h|min|minuten|keer|x)\b)  # "1/2 uur", "10-12 uur" are not dates
    | (?<![\w:.,/-])(?P<td>\d{{1,2}})(?:e|ste|de)?\s{{0,3}}(?P<tm>{_MONTH_ALT})\.?
      (?:\s{{1,3}}(?P<ty>\d{{4}}))?(?![\w])
    | (?<!\w)(?P<rel>eergisteren|gisteren|gister|overmorgen|morgen
         |vandaag|vanochtend|vanmorgen|vanmiddag|vanavond){_PART_OF_DAY}?(?!\w)
    | (?<!\w)(?P<prev>vorige\s{{1,3}}week\s{{1,3}})?(?P<last>(?:afgelopen|vorige)\s{{1,3}})?
      (?P<wd>{_WEEKDAY_ALT})
      {_PART_OF_DAY}?\.?(?!\w)
    """,
    re.IGNORECASE | re.VERBOSE,
)

Direction = Literal["past", "future"]

# A date without a year up to this many days ahead is read as this year's (and refused as in
# the future), not as last year's.
NEAR_FUTURE_DAYS = 31


@dataclass(frozen=True)
class _Hit:
    kind: Literal["date", "relative", "weekday"]
    start: int
    end: int
    day: int = 0
    month: int = 0
    year: int | None = None
    offset: int = 0  # relative days
    weekday: int = 0
    prev_week: bool = False
    abbrev: str = ""
    last: bool = False  # "afgelopen/vorige dinsdag": never today


def _year(raw: str | None) -> int | None:
    if raw is None:
        return None
    y = int(raw)
    return 2000 + y if len(raw) == 2 else y


def _hits(text: str) -> list[_Hit]:
    hits = []
    for m in _DATE_RE.finditer(text):
        g = m.groupdict()
        s, e = m.start(), m.end()
        if g["iy"]:
            hits.append(_Hit("date", s, e, int(g["id"]), int(g["im"]), int(g["iy"])))
        elif g["nd"]:
            if g["sep"] == "." and not g["ny"]:
                continue  # "12.3" is a decimal number or a time, not a date
            hits.append(_Hit("date", s, e, int(g["nd"]), int(g["nm"]), _year(g["ny"])))
        elif g["td"]:
            month = MONTHS[g["tm"].lower()]
            hits.append(_Hit("date", s, e, int(g["td"]), month, _year(g["ty"])))
        elif g["rel"]:
            hits.append(_Hit("relative", s, e, offset=_RELATIVE[g["rel"].lower()]))
        elif g["wd"]:
            hits.append(
                _Hit(
                    "weekday",
                    s,
                    e,
                    weekday=WEEKDAYS[g["wd"].lower()],
                    prev_week=bool(g["prev"]),
                    abbrev=g["wd"].lower(),
                    last=bool(g["last"]),
                )
            )
    return hits


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _resolve(hit: _Hit, today: date, direction: Direction) -> date | None:
    """Concrete date for a hit; None if there is no such day (31-2, month 13)."""
    if hit.kind == "relative":
        return today + timedelta(days=hit.offset)
    if hit.kind == "weekday":
        if hit.prev_week:  # "vorige week dinsdag": that weekday in the previous week
            monday = week_start(today) - timedelta(days=7)
            return monday + timedelta(days=hit.weekday)
        if direction == "past":  # most recent such day; today counts, but not "afgelopen"
            back = (today.weekday() - hit.weekday) % 7
            return today - timedelta(days=back or (7 if hit.last else 0))
        # Pausing "tot maandag" on a Monday means next Monday.
        return today + timedelta(days=((hit.weekday - today.weekday() - 1) % 7) + 1)
    if hit.year is not None:
        return _safe_date(hit.year, hit.month, hit.day)
    if not (1 <= hit.month <= 12 and 1 <= hit.day <= 31):
        return None
    # No year: the most recent (past) or next (future) occurrence. Stepping a few years
    # covers 29 February. A past date a few weeks ahead is this year's, in the future (a
    # typo or a plan), not last year's: the caller says "in the future", not "too far back".
    ahead = _safe_date(today.year, hit.month, hit.day)
    if direction == "past" and ahead is not None and 0 < (ahead - today).days <= NEAR_FUTURE_DAYS:
        return ahead
    step = -1 if direction == "past" else 1
    for k in range(9):
        d = _safe_date(today.year + step * k, hit.month, hit.day)
        if d is not None and (d <= today if direction == "past" else d >= today):
            return d
    return None


# Words that may stand around a date in a whole-text answer: "op dinsdag", "afgelopen vrijdag".
_FILLER_RE = re.compile(r"(?:\b(?:op|afgelopen|jl|j\.l\.|tot|en|om|de|het)\b|[\s,.;:!?()])*")


def _whole_text_hit(text: str) -> _Hit | None:
    """The single date expression that makes up ``text`` (fillers allowed), else None."""
    hits = _hits(text)
    if not hits:
        return None
    # "dinsdag 3 maart": an explicit date next to a weekday wins.
    dated = [h for h in hits if h.kind == "date"]
    if len(hits) == 2 and len(dated) == 1:
        chosen = dated[0]
    elif len(hits) == 1:
        chosen = hits[0]
    else:
        return None
    pos = 0
    for h in hits:
        if not _FILLER_RE.fullmatch(text[pos : h.start].lower()):
            return None
        pos = h.end
    if not _FILLER_RE.fullmatch(text[pos:].lower()):
        return None
    return chosen


def validate_work_date(d: date, today: date, *, max_back_days: int = 14) -> date:
    """Return ``d`` if today - max_back_days <= d <= today, else raise DateError."""
    if d > today:
        raise DateError(DateErrorCode.FUTURE, d)
    if (today - d).days > max_back_days:
        raise DateError(DateErrorCode.TOO_OLD, d)
    return d


def parse_date(text: str, today: date) -> date | None:
    """A whole-text date resolved like a work date (most recent past occurrence when no year
    is given), without any range check; None if it is not a date."""
    hit = _whole_text_hit(text)
    return _resolve(hit, today, "past") if hit is not None else None


def parse_work_date(text: str, today: date, *, max_back_days: int = 14) -> date:
    """The date of work done, from a whole answer such as "gisteren", "di", "12-3", "12 mrt".

    Without a year the most recent past occurrence is meant. Raises DateError with code
    UNKNOWN, FUTURE or TOO_OLD.
    """
    hit = _whole_text_hit(text)
    d = _resolve(hit, today, "past") if hit is not None else None
    if d is None:
        raise DateError(DateErrorCode.UNKNOWN)
    return validate_work_date(d, today, max_back_days=max_back_days)


def find_date(text: str, today: date) -> tuple[date, int, int] | None:
    """First date expression inside a sentence -> (date, start, end), past-oriented like
    ``parse_work_date`` but not range-checked (use ``validate_work_date``).

    "zo" is skipped inside sentences: it is far more often "so" than "Sunday".
    """
    hits = _hits(text)
    for i, hit in enumerate(hits):
        if hit.kind == "weekday" and hit.abbrev == "zo" and not hit.prev_week:
            continue
        start = hit.start
        nxt = hits[i + 1] if i + 1 < len(hits) else None
        if (
            hit.kind == "weekday"
            and nxt is not None
            and nxt.kind == "date"
            and not text[hit.end : nxt.start].strip(" ,")
        ):
            hit = nxt  # "dinsdag 3 maart": the explicit date wins, the span covers both
        d = _resolve(hit, today, "past")
        if d is not None:
            return d, start, hit.end
    return None


def find_impossible_date(text: str) -> tuple[int, int] | None:
    """The span of a date that names no day ("31-2", "30 februari", "12-13"), or None."""
    for hit in _hits(text):
        if hit.kind == "date":
            year = hit.year if hit.year is not None else 2024  # a leap year: 29-2 exists
            if _safe_date(year, hit.month, hit.day) is None:
                return hit.start, hit.end
    return None


def parse_pause_until(text: str, today: date, *, max_days: int = 366) -> date:
    """Last day of a pause, e.g. "/pauze tot 12-8": the next occurrence, today or later.

    Accepts the same forms as work dates plus "morgen", "overmorgen" and "over 2 weken" /
    "over 3 dagen"; a weekday means the next such day after today. Raises DateError with
    code UNKNOWN, PAST or TOO_FAR (more than ``max_days`` ahead).
    """
    m = re.fullmatch(
        r"\s*(?:tot\s{1,3})?(?:over\s{1,3})?(\d{1,3})\s{0,3}(dagen|dag|weken|week)\s*",
        text,
        re.IGNORECASE,
    )
    d: date | None
    if m:
        n = int(m.group(1))
        d = today + timedelta(days=n * (7 if m.group(2).lower().startswith("we") else 1))
    else:
        hit = _whole_text_hit(text)
        d = _resolve(hit, today, "future") if hit is not None else None
    if d is None:
        raise DateError(DateErrorCode.UNKNOWN)
    if d < today:
        raise DateError(DateErrorCode.PAST, d)
    if (d - today).days > max_days:
        raise DateError(DateErrorCode.TOO_FAR, d)
    return d


def format_date_nl(d: date) -> str:
    """ "dinsdag 3 maart" (Babel, Dutch)."""
    return format_date(d, "EEEE d MMMM", locale="nl")


_TIME_RE = re.compile(
    r"""\s*(?:om\s{1,3})?(?:
        (?P<h1>\d{1,2})\s{0,2}[:.]\s{0,2}(?P<m1>\d{2})
      | (?P<h2>\d{1,2})\s{0,2}(?:u|h|uur)\s{0,2}(?P<m2>\d{2})?
      | (?P<hm>\d{3,4})
    )\s{0,3}(?:uur|u)?\s*""",
    re.IGNORECASE | re.VERBOSE,
)


def parse_time(text: str) -> time | None:
    """Clock time from "16:30", "16.30", "1630", "16u30", "16 uur" (also "om 9:05"), else None."""
    m = _TIME_RE.fullmatch(text)
    if m is None:
        return None
    if m["hm"]:
        hour, minute = int(m["hm"][:-2]), int(m["hm"][-2:])
    elif m["h1"]:
        hour, minute = int(m["h1"]), int(m["m1"])
    else:
        hour, minute = int(m["h2"]), int(m["m2"] or 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def add_months(d: date, months: int) -> date:
    """`d` plus `months` calendar months; a day that does not exist becomes the month's last
    (31 August + 6 months = 28/29 February)."""
    total = d.year * 12 + (d.month - 1) + months
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))
