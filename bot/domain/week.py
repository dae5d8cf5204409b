"""An expert's own ISO week: its bounds in the bot's time zone and the overview's numbers.

Pure: no Telegram, no database, no message strings. Work dates are calendar dates in
Europe/Amsterdam already, so "which week is it" is decided on the local date of `now`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.counts import Counts

__all__ = [
    "REGIONAL",
    "ContactRow",
    "IndirectRow",
    "MunicipalityHours",
    "WeekOverview",
    "current_week_start",
    "iso_week",
    "shape_week",
    "shift_week",
    "week_bounds",
    "week_start",
]

# Key for hours that belong to no single municipality (indirect hours "regionaal").
REGIONAL = ""


def week_start(d: date) -> date:
    """The Monday of the ISO week that contains ``d``."""
    return d - timedelta(days=d.weekday())


def week_bounds(d: date) -> tuple[date, date]:
    """Monday and Sunday (both inclusive) of the ISO week that contains ``d``."""
    monday = week_start(d)
    return monday, monday + timedelta(days=6)


def iso_week(d: date) -> tuple[int, int]:
    """(ISO year, ISO week number); 31 December can be week 1 of the next year."""
    year, week, _ = d.isocalendar()
    return year, week


def current_week_start(now: datetime, tz: ZoneInfo) -> date:
    """Monday of the current week in ``tz``; ``now`` must be timezone-aware."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return week_start(now.astimezone(tz).date())


def shift_week(monday: date, weeks: int, *, latest: date | None = None) -> date:
    """The Monday ``weeks`` weeks away, never past ``latest`` (a Monday) when given."""
    target = week_start(monday) + timedelta(weeks=weeks)
    if latest is not None and target > week_start(latest):
        return week_start(latest)
    return target


@dataclass(frozen=True)
class ContactRow:
    """One (not deleted) contact of the week, with what the overview needs."""

    municipality: str
    minutes: int
    residents: int
    residents_new: int
    themes: tuple[str, ...] = ()


@dataclass(frozen=True)
class IndirectRow:
    """One block of indirect hours; ``municipality`` None means regional."""

    municipality: str | None
    kind: str
    minutes: int


@dataclass
class MunicipalityHours:
    municipality: str  # REGIONAL for regional indirect hours
    contact_minutes: int = 0
    indirect_minutes: dict[str, int] = field(default_factory=dict)  # per kind label

    @property
    def indirect_total(self) -> int:
        return sum(self.indirect_minutes.values())

    @property
    def total(self) -> int:
        return self.contact_minutes + self.indirect_total


@dataclass(frozen=True)
class WeekOverview:
    start: date  # the Monday
    municipalities: tuple[MunicipalityHours, ...]  # most hours first, regional last
    counts: Counts  # the week's contacts, residents new and known
    themes: tuple[tuple[str, int], ...]  # (label, contacts with it), most first
    signals: int = 0
    stories: int = 0

    @property
    def end(self) -> date:
        """The week's Sunday."""
        return self.start + timedelta(days=6)

    @property
    def contact_minutes(self) -> int:
        return sum(m.contact_minutes for m in self.municipalities)

    @property
    def indirect_minutes(self) -> int:
        return sum(m.indirect_total for m in self.municipalities)

    @property
    def total_minutes(self) -> int:
        return self.contact_minutes + self.indirect_minutes

    @property
    def is_empty(self) -> bool:
        return not self.municipalities and not self.signals and not self.stories

    @property
    def iso(self) -> tuple[int, int]:
        return iso_week(self.start)


def shape_week(
    start: date,
    contacts: Iterable[ContactRow],
    indirect: Iterable[IndirectRow],
    *,
    signals: int = 0,
    stories: int = 0,
) -> WeekOverview:
    """Aggregate the week's rows: hours per municipality (contact vs indirect per kind),
    contacts, residents new/known and how often each theme came up."""
    monday = week_start(start)
    per_muni: dict[str, MunicipalityHours] = {}
    counts = Counts()
    theme_counts: dict[str, int] = {}

    def bucket(name: str | None) -> MunicipalityHours:
        key = name or REGIONAL
        if key not in per_muni:
            per_muni[key] = MunicipalityHours(key)
        return per_muni[key]

    for c in contacts:
        bucket(c.municipality).contact_minutes += c.minutes
        # A group contact counts every resident; "new" can never exceed the group size.
        fresh = max(0, min(c.residents_new, c.residents))
        counts.add(Counts(c.minutes, 1, max(0, c.residents), fresh))
        for theme in dict.fromkeys(c.themes):  # a theme counts once per contact
            theme_counts[theme] = theme_counts.get(theme, 0) + 1
    for row in indirect:
        hours = bucket(row.municipality).indirect_minutes
        hours[row.kind] = hours.get(row.kind, 0) + row.minutes

    ordered = sorted(
        per_muni.values(),
        key=lambda m: (m.municipality == REGIONAL, -m.total, m.municipality),
    )
    for m in ordered:
        m.indirect_minutes = dict(
            sorted(m.indirect_minutes.items(), key=lambda kv: (-kv[1], kv[0]))
        )
    themes = tuple(sorted(theme_counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return WeekOverview(
        start=monday,
        municipalities=tuple(ordered),
        counts=counts,
        themes=themes,
        signals=signals,
        stories=stories,
    )
