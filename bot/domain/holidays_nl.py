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

* Names mid-sentence (`in_sentence`): Dutch writes "eerste kerstdag", "tweede paasdag",
  "nieuwjaarsdag" in lower case; Koningsdag, Bevrijdingsdag, Hemelvaartsdag, Goede vrijdag keep
  the package's capital (as do Pasen, Pinksteren and Kerstmis, which it does not list).
* Named days a resident may ask about (`NAMED_DAYS`, `named_day_dates`): the holidays above,
  plus the feasts as a whole (Pasen, Pinksteren, Kerst: both days), kerstavond and oudejaarsdag
  (no holidays, but days people ask about). Bevrijdingsdag is 5 May in every year here.

Lookups are cached per year: callers (schedules, reminders) ask per date in tight loops. The
package is imported on the first lookup, not at start-up: it costs about 4 MB of resident memory
and the bot needs it only when a reminder pass or a walk-in schedule asks about a date.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import cache
from types import MappingProxyType

__all__ = [
    "NAMED_DAYS",
    "holiday_name",
    "holidays_between",
    "holidays_in_year",
    "in_sentence",
    "is_public_holiday",
    "named_day_dates",
]


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


# Holiday names written in lower case inside a sentence (Taalunie: "op eerste kerstdag").
_LOWER_PREFIXES = ("eerste ", "tweede ")
_LOWER_NAMES = frozenset({"nieuwjaarsdag", "oudejaarsdag"})


def in_sentence(name: str) -> str:
    """The holiday name as written mid-sentence: "Eerste kerstdag" -> "eerste kerstdag",
    "Nieuwjaarsdag" -> "nieuwjaarsdag"; Koningsdag stays. Several names ("a; b") each."""
    parts = []
    for part in name.split("; "):
        low = part.lower()
        parts.append(low if low.startswith(_LOWER_PREFIXES) or low in _LOWER_NAMES else part)
    return "; ".join(parts)


# Named days: key -> the holiday names (package, Dutch) it covers ...
_BY_NAME: dict[str, tuple[str, ...]] = {
    "nieuwjaarsdag": ("Nieuwjaarsdag",),
    "goede_vrijdag": ("Goede vrijdag",),
    "pasen": ("Eerste paasdag", "Tweede paasdag"),
    "eerste_paasdag": ("Eerste paasdag",),
    "tweede_paasdag": ("Tweede paasdag",),
    "koningsdag": ("Koningsdag",),
    "hemelvaartsdag": ("Hemelvaartsdag",),
    "pinksteren": ("Eerste pinksterdag", "Tweede pinksterdag"),
    "eerste_pinksterdag": ("Eerste pinksterdag",),
    "tweede_pinksterdag": ("Tweede pinksterdag",),
    "kerst": ("Eerste kerstdag", "Tweede kerstdag"),
    "eerste_kerstdag": ("Eerste kerstdag",),
    "tweede_kerstdag": ("Tweede kerstdag",),
}
# ... or a fixed (month, day).
_FIXED: dict[str, tuple[int, int]] = {
    "bevrijdingsdag": (5, 5),
    "kerstavond": (12, 24),
    "oudejaarsdag": (12, 31),
}
NAMED_DAYS = frozenset(_BY_NAME) | frozenset(_FIXED)


def named_day_dates(key: str, year: int) -> tuple[date, date] | None:
    """First and last date of a named day (a `NAMED_DAYS` key) in `year`, or None."""
    if key in _FIXED:
        month, day = _FIXED[key]
        return date(year, month, day), date(year, month, day)
    names = set(_BY_NAME.get(key, ()))
    found = [d for d, name in holidays_in_year(year).items() if set(name.split("; ")) & names]
    if not found:
        return None
    return min(found), max(found)
