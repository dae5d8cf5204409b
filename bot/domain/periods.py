"""Report periods: a half year, a quarter, a month, a year or two dates. Pure, no storage.

`parse_period("2026-H1")`, `parse_period("2026-Q3")`, `parse_period("2026-03")`,
`parse_period("2026")`, or `parse_period(van="2026-01-01", tot="2026-06-30")` (both ends
included). Dates are calendar dates in the bot's time zone, like `work_date`: a period that
crosses a DST change is still whole days.

Errors are `PeriodError` with a stable `code` (the caller picks the words):
`empty`, `format`, `bad_date`, `bad_half`, `bad_quarter`, `bad_month`, `year_range`,
`end_before_start`, `too_long`, `both` (a period and van/tot), `half_open` (van without tot or
the other way round).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from babel.dates import format_date

__all__ = [
    "MAX_DAYS",
    "Period",
    "PeriodError",
    "not_started",
    "parse_period",
    "selection_in",
    "year_to_date",
]

MIN_YEAR = 2000
MAX_YEAR = 2100
# Longer than this is a typo (a report over ten years is not a half-yearly report).
MAX_DAYS = 3700


class PeriodError(ValueError):
    def __init__(self, code: str, text: str = "") -> None:
        super().__init__(f"{code}: {text!r}")
        self.code = code
        self.text = text


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end_inclusive: date
    # Stable identifier, e.g. "2026-H1"; stored with story selections and narratives.
    key: str
    # For people, in Dutch: "1 januari – 30 juni 2026".
    label: str

    @property
    def days(self) -> int:
        return (self.end_inclusive - self.start).days + 1

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end_inclusive

    def months(self) -> list[date]:
        """First day of every calendar month the period touches, in order."""
        out = []
        m = self.start.replace(day=1)
        while m <= self.end_inclusive:
            out.append(m)
            m = _next_month(m)
        return out


def _next_month(d: date) -> date:
    return date(d.year + (d.month == 12), d.month % 12 + 1, 1)


def _month_end(year: int, month: int) -> date:
    return _next_month(date(year, month, 1)) - timedelta(days=1)


def _label(start: date, end: date, locale: str = "nl") -> str:
    if start.year == end.year:
        return (
            f"{format_date(start, 'd MMMM', locale=locale)} – "
            f"{format_date(end, 'd MMMM y', locale=locale)}"
        )
    long = "d MMMM y"
    return f"{format_date(start, long, locale=locale)} – {format_date(end, long, locale=locale)}"


def _make(start: date, end: date, key: str) -> Period:
    if end < start:
        raise PeriodError("end_before_start", key)
    if (end - start).days + 1 > MAX_DAYS:
        raise PeriodError("too_long", key)
    return Period(start, end, key, _label(start, end))


def _year(text: str, raw: str) -> int:
    year = int(text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError("year_range", raw)
    return year


def _date(text: str | date) -> date:
    if isinstance(text, date):
        return text
    raw = text.strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", raw) or None
    if m is not None:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        # Dutch order: 1-7-2026, 01-07-2026, 1/7/2026.
        m = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", raw)
        if m is None:
            raise PeriodError("bad_date", raw)
        d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
    _year(str(y), raw)
    try:
        return date(y, mo, d)
    except ValueError:
        raise PeriodError("bad_date", raw) from None


_HALF = re.compile(r"(\d{4})-?[Hh](\d+)")
_QUARTER = re.compile(r"(\d{4})-?[Qq](\d+)")
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_YEAR = re.compile(r"(\d{4})")


def parse_period(
    text: str | None = None, *, van: str | date | None = None, tot: str | date | None = None
) -> Period:
    """A period from its name, or from two dates (both included). PeriodError otherwise."""
    if text is not None and text.strip() and (van is not None or tot is not None):
        raise PeriodError("both", text)
    if van is not None or tot is not None:
        if van is None or tot is None or (isinstance(van, str) and not van.strip()):
            raise PeriodError("half_open", str(van or tot))
        start, end = _date(van), _date(tot)
        return _make(start, end, _canonical_key(start, end))
    raw = (text or "").strip()
    if not raw:
        raise PeriodError("empty", raw)
    if m := _HALF.fullmatch(raw):
        year, half = _year(m.group(1), raw), int(m.group(2))
        if half not in (1, 2):
            raise PeriodError("bad_half", raw)
        first = 1 if half == 1 else 7
        return _make(date(year, first, 1), _month_end(year, first + 5), f"{year}-H{half}")
    if m := _QUARTER.fullmatch(raw):
        year, quarter = _year(m.group(1), raw), int(m.group(2))
        if not 1 <= quarter <= 4:
            raise PeriodError("bad_quarter", raw)
        first = 3 * quarter - 2
        return _make(date(year, first, 1), _month_end(year, first + 2), f"{year}-Q{quarter}")
    if m := _MONTH.fullmatch(raw):
        year, month = _year(m.group(1), raw), int(m.group(2))
        if not 1 <= month <= 12:
            raise PeriodError("bad_month", raw)
        return _make(date(year, month, 1), _month_end(year, month), f"{year}-{month:02d}")
    if m := _YEAR.fullmatch(raw):
        year = _year(m.group(1), raw)
        return _make(date(year, 1, 1), date(year, 12, 31), str(year))
    if m := re.fullmatch(r"(\S+)\s*(?:\.\.| tot | t/m )\s*(\S+)", raw):
        return parse_period(van=m.group(1), tot=m.group(2))
    raise PeriodError("format", raw)


def _canonical_key(start: date, end: date) -> str:
    """Two dates that span exactly a year, half, quarter or month get that period's key, so a
    story selected for "2026-H1" is found by "--van 2026-01-01 --tot 2026-06-30" too."""
    if start.day == 1 and end.year == start.year and end == _month_end(end.year, end.month):
        months = end.month - start.month + 1
        if months == 12:
            return str(start.year)
        if months == 6 and start.month in (1, 7):
            return f"{start.year}-H{1 if start.month == 1 else 2}"
        if months == 3 and start.month % 3 == 1:
            return f"{start.year}-Q{start.month // 3 + 1}"
        if months == 1:
            return f"{start.year}-{start.month:02d}"
    return f"{start.isoformat()}..{end.isoformat()}"


def year_to_date(period: Period) -> Period:
    """From 1 January of the year the period ends in, to the end of the period."""
    end = period.end_inclusive
    start = date(end.year, 1, 1)
    return Period(start, end, f"{end.year}-YTD-{end.isoformat()}", _label(start, end))


def selection_in(selected_for: str, report: Period) -> bool:
    """Does a story selection made for the period `selected_for` (its key) belong in the report
    of `report`? The rule: a selection belongs to the period it was made for, and shows in every
    report whose days contain all of that period's days. So a story chosen for 2026-H1 is in the
    2026-H1 report, the 2026 report and a --van/--tot range over the first half, not in 2026-Q1
    (the coordinator chose it for the half year, not for that quarter). A key that no longer
    parses (it can't, keys are written by parse_period) belongs nowhere."""
    try:
        chosen = parse_period(selected_for)
    except PeriodError:
        return False
    return report.start <= chosen.start and chosen.end_inclusive <= report.end_inclusive


def not_started(period: Period, today: date) -> bool:
    """The period begins after `today`: there is nothing to report on yet. (A period that has
    begun but not ended is a partial report, which is allowed.)"""
    return period.start > today
