"""Which report periods the coordinator is offered as buttons, and paging through a list.

Pure: no Telegram, no database, no message strings. A period is named by the code the report
engine and the CLI read (`2026-H1`, `2026-Q3`, `2026`); handlers turn it into words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = [
    "HALF",
    "QUARTER",
    "YEAR",
    "PeriodChoice",
    "choice_from_code",
    "containing",
    "page_bounds",
    "recent_periods",
]

HALF = "half"
QUARTER = "quarter"
YEAR = "year"

# Months per period kind: a half year is 6 months, a quarter 3, a year 12.
_MONTHS = {HALF: 6, QUARTER: 3, YEAR: 12}
_CODE = re.compile(r"^(\d{4})(?:-([HQ])([1-4]))?$")


@dataclass(frozen=True)
class PeriodChoice:
    kind: str  # HALF | QUARTER | YEAR
    year: int
    number: int  # 1-2 for a half year, 1-4 for a quarter, 1 for a year

    @property
    def code(self) -> str:
        if self.kind == YEAR:
            return str(self.year)
        return f"{self.year}-{'H' if self.kind == HALF else 'Q'}{self.number}"

    @property
    def start(self) -> date:
        return date(self.year, (self.number - 1) * _MONTHS[self.kind] + 1, 1)

    @property
    def end(self) -> date:
        """The last day, inclusive."""
        return self.following().start - timedelta(days=1)

    def following(self) -> PeriodChoice:
        per_year = 12 // _MONTHS[self.kind]
        if self.number < per_year:
            return PeriodChoice(self.kind, self.year, self.number + 1)
        return PeriodChoice(self.kind, self.year + 1, 1)

    def previous(self) -> PeriodChoice:
        if self.number > 1:
            return PeriodChoice(self.kind, self.year, self.number - 1)
        return PeriodChoice(self.kind, self.year - 1, 12 // _MONTHS[self.kind])

    def running_on(self, today: date) -> bool:
        """Not over yet: the report would be incomplete."""
        return self.start <= today <= self.end


def containing(kind: str, day: date) -> PeriodChoice:
    """The half year, quarter or year that ``day`` falls in."""
    return PeriodChoice(kind, day.year, (day.month - 1) // _MONTHS[kind] + 1)


def recent_periods(today: date) -> list[PeriodChoice]:
    """The periods worth a button: per kind the last finished one, then the running one.

    The last finished half year comes first: that is the report the funders ask for."""
    out: list[PeriodChoice] = []
    for kind in (HALF, QUARTER, YEAR):
        current = containing(kind, today)
        out += [current.previous(), current]
    return out


def choice_from_code(code: str) -> PeriodChoice | None:
    """Read back a code made by `PeriodChoice.code` (button data); None when it is not one."""
    m = _CODE.match(code.strip().upper())
    if m is None:
        return None
    year, letter, number = int(m[1]), m[2], m[3]
    if not 2000 <= year <= 2999:
        return None
    if letter is None:
        return PeriodChoice(YEAR, year, 1)
    n = int(number)
    if letter == "H" and n > 2:
        return None
    return PeriodChoice(HALF if letter == "H" else QUARTER, year, n)


def page_bounds(total: int, page: int, size: int) -> tuple[int, int, int]:
    """(first index, index after the last, the page actually shown) for page ``page`` of
    ``total`` items; a page past the end shows the last page (a list can shrink between taps)."""
    pages = max(1, -(-total // size))
    shown = min(max(page, 0), pages - 1)
    first = shown * size
    return first, min(first + size, total), shown
