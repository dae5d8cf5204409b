"""The fair-share ledger, year to date: what each municipality should have had (planned: the
pool's yearly budget shared by the MGR key as it applied day by day, plus agreed deviations),
what it had (realised: contact and indirect hours, regional hours spread by the key when
agreed), and the difference. Pure arithmetic in hours; no database, no texts.

Planned for municipality m from 1 January to `as_of`:
    budget x sum over those days of key_m(day) / 100 / days in the year
  + each deviation's hours x (its days up to `as_of`) / (its days).
The pool runs under its budget pace when realised < UNDER_PACE x planned (the pool's sums).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

UNDER_PACE = 0.95  # below 95 % of the planned hours so far: warn (settled with the funders)


def budget_hours(hours: float | None, euros: float | None, rate: float | None) -> float | None:
    """The budget in hours: given as hours, or as euros at an hourly rate."""
    if hours is not None:
        return hours
    if euros is not None and rate:
        return euros / rate
    return None


@dataclass(frozen=True)
class KeyChange:
    valid_from: date
    pct: float


@dataclass(frozen=True)
class Deviation:
    municipality_id: int
    starts_on: date
    ends_on: date
    hours: float
    reason: str = ""

    def share_until(self, start: date, as_of: date) -> float:
        """The part of the deviation's hours that falls in [start, as_of] (evenly per day)."""
        days = (self.ends_on - self.starts_on).days + 1
        if days <= 0:
            return 0.0
        first, last = max(self.starts_on, start), min(self.ends_on, as_of)
        overlap = (last - first).days + 1
        return self.hours * max(overlap, 0) / days


def days_in_year(year: int) -> int:
    return (date(year + 1, 1, 1) - date(year, 1, 1)).days


def key_on(changes: Sequence[KeyChange], day: date, default: float) -> float:
    """The key that applies on `day`: the latest change on or before it, else `default`."""
    pct = default
    for change in sorted(changes, key=lambda c: c.valid_from):
        if change.valid_from <= day:
            pct = change.pct
    return pct


def key_days(changes: Sequence[KeyChange], start: date, end: date, default: float) -> float:
    """sum over the days in [start, end] of the key (percent-days)."""
    bounds = sorted({c.valid_from for c in changes if start < c.valid_from <= end})
    total, seg_start = 0.0, start
    for b in [*bounds, end + timedelta(days=1)]:
        total += key_on(changes, seg_start, default) * (b - seg_start).days
        seg_start = b
    return total


@dataclass(frozen=True)
class LedgerRow:
    municipality_id: int
    name: str
    key_pct: float  # the key on `as_of`
    planned: float
    realised: float
    deviation_hours: float = 0.0  # the deviations' part of `planned`

    @property
    def difference(self) -> float:
        return self.realised - self.planned


@dataclass(frozen=True)
class Ledger:
    year: int
    as_of: date
    budget: float
    spread: bool
    rows: list[LedgerRow]
    regional: float  # regional hours not spread (0 when spread)
    deviations: list[Deviation] = field(default_factory=list)

    @property
    def planned(self) -> float:
        return sum(r.planned for r in self.rows)

    @property
    def realised(self) -> float:
        return sum(r.realised for r in self.rows) + self.regional

    @property
    def difference(self) -> float:
        return self.realised - self.planned

    @property
    def under_pace(self) -> bool:
        return self.realised < UNDER_PACE * self.planned


def compute(
    *,
    year: int,
    as_of: date,
    budget: float,
    municipalities: Sequence[tuple[int, str, float]],  # id, name, default key %
    keys: Mapping[int, Sequence[KeyChange]],
    deviations: Sequence[Deviation],
    realised_minutes: Mapping[int | None, int],  # None: regional
    spread: bool,
) -> Ledger:
    start = date(year, 1, 1)
    as_of = min(as_of, date(year, 12, 31))
    per_day = budget / days_in_year(year)
    today_keys = {mid: key_on(keys.get(mid, ()), as_of, pct) for mid, _n, pct in municipalities}
    key_sum = sum(today_keys.values())
    regional = realised_minutes.get(None, 0) / 60
    rows = []
    for mid, name, pct in municipalities:
        dev = sum(d.share_until(start, as_of) for d in deviations if d.municipality_id == mid)
        planned = per_day * key_days(keys.get(mid, ()), start, as_of, pct) / 100 + dev
        realised = realised_minutes.get(mid, 0) / 60
        if spread and key_sum > 0:
            realised += regional * today_keys[mid] / key_sum
        rows.append(LedgerRow(mid, name, today_keys[mid], planned, realised, dev))
    return Ledger(
        year=year,
        as_of=as_of,
        budget=budget,
        spread=spread,
        rows=rows,
        regional=0.0 if spread and key_sum > 0 else regional,
        deviations=list(deviations),
    )
