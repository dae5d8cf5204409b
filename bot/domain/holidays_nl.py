"""Dutch public holidays (feestdagen) for walk-in schedules and reminders.

Source of truth is the `holidays` package, category "public", country NL, Dutch names.
Decisions (follow the package rather than a hand-made list, so one upgrade fixes all users):

* Goede Vrijdag IS included. The package lists it for NL; by law (Algemene termijnenwet) it is
  not a general day off, but many welfare organisations and buurthuizen are closed. A session that
  does run on Goede Vrijdag is entered as an extra date (or marked open on holidays).
* Bevrijdingsdag (5 May) is only included in lustrum years (2025, 2030, ...), as the package does
  for the "public" category: most collective agreements only give the day off every five years.
  In other years it sits in the package's "optional" category, which we deliberately ignore.
* Koningsdag is 27 April, or 26 April when the 27th is a Sunday (handled by the package).
* Eerste Paasdag / Eerste Pinksterdag are Sundays; they are listed, which is harmless.

Lookups are cached per year: callers (schedules, reminders) ask per date in tight loops. The
package is imported on the first lookup, not at start-up: it costs about 4 MB of resident memory
and the bot needs it only when a reminder pass or a walk-in schedule asks about a date.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import cache
from types import MappingProxyType

__all__ = ["holiday_name", "holidays_between", "holidays_in_year", "is_public_holiday"]


@cache
def holidays_in_year(year: int) -> Mapping[date, str]:
    """All Dutch public holidays of `year` as {date: Dutch name}; read-only, cached."""
    import holidays  # lazy: see the docstring

    table = holidays.country_holidays("NL", years=year, language="nl", categories=("public",))
    # Several names on one date are joined by the package with "; " -- keep as is.
    return MappingProxyType({d: str(name) for d, name in sorted(table.items()) if d.year == year})


def holiday_name(d: date) -> str | None:
    """Dutch name of the public holiday on `d` (e.g. "Koningsdag"), or None."""
    return holidays_in_year(d.year).get(d)


def is_public_holiday(d: date) -> bool:
    return d in holidays_in_year(d.year)


def holidays_between(start: date, end: date) -> dict[date, str]:
    """Public holidays with start <= date <= end (inclusive); empty when end < start."""
    if end < start:
        return {}
    out: dict[date, str] = {}
    for year in range(start.year, end.year + 1):
        for d, name in holidays_in_year(year).items():
            if start <= d <= end:
                out[d] = name
    return out
