"""Walk-in (inloop) and consultation hours (spreekuur): weekly rules, exceptions, occurrences.

Pure schedule arithmetic: rules and exceptions in, sorted `Occurrence`s out. No storage, no text.

Time semantics (Europe/Amsterdam, wall clock):

* A rule "di 10:00-12:00" means 10:00 on the local clock every Tuesday, summer or winter.
* All comparisons are done on UTC instants. (Python compares two aware datetimes that share a
  tzinfo *naively*, ignoring `fold`; that would be wrong in the repeated autumn hour.)
* Spring forward (last Sunday of March, 02:00 -> 03:00): a wall time in the missing hour is read
  with zoneinfo's fold=0 rule, i.e. with the winter offset, so 02:30 becomes the instant
  01:30 UTC = 03:30 CEST. `start_local`/`end_local` are normalised to that real clock time.
  A session lying entirely inside the missing hour (02:00-03:00) therefore has zero length and
  does not take place that day; 01:30-02:30 runs 01:30 CET - 03:30 CEST (one real hour).
* Fall back (last Sunday of October, 03:00 -> 02:00): an ambiguous wall time is read with fold=0,
  the first (summer-time) pass. 02:00-03:00 thus runs from the first 02:00 until the clock
  shows 03:00 (two real hours); 02:15-02:45 takes place during the first pass only.

Exceptions:

* cancelled + session_id: that rule does not take place on that date.
* cancelled without session_id: every rule-based session on that date is cancelled, in
  `municipality` if given, otherwise everywhere (e.g. a region-wide closing day).
* Cancellations never remove extra dates: "moved to 14:00" is a cancellation plus an extra.
* extra: an explicitly planned date. With a session_id, missing fields are taken from that rule
  (an extra whose rule is not among the given rules is skipped, because callers may pass rules
  pre-filtered by municipality). Extra dates are never hidden by public holidays.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from bot.domain.holidays_nl import holidays_between
from bot.domain.week import week_start

__all__ = [
    "TZ",
    "DayLabel",
    "ExceptionKind",
    "Occurrence",
    "Schedule",
    "ScheduleException",
    "SessionKind",
    "SessionRule",
    "day_label",
    "group_by_day",
    "is_open_now",
    "iter_days",
    "local_today",
    "occurrences",
]

TZ = ZoneInfo("Europe/Amsterdam")

SessionKind = Literal["inloop", "spreekuur"]
ExceptionKind = Literal["cancelled", "extra"]
DayLabel = Literal["today", "tomorrow", "this_week", "next_week", "later"]

_SESSION_KINDS: frozenset[str] = frozenset({"inloop", "spreekuur"})


@dataclass(frozen=True, slots=True)
class WeeklySession:
    """What defines a weekly session: where, which day, which times, from when until when.
    weekday: 0=Monday .. 6=Sunday; times are local wall clock."""

    municipality: str
    place: str
    address: str
    weekday: int
    start: time
    end: time
    valid_from: date | None = None
    valid_until: date | None = None
    open_on_holidays: bool = False
    note: str | None = None
    kind: SessionKind = "inloop"


@dataclass(frozen=True, slots=True)
class SessionRule(WeeklySession):
    """A stored weekly session (`id`), checked when it is made."""

    id: int = field(kw_only=True)

    def __post_init__(self) -> None:
        # Fail at construction: a bad rule would otherwise silently never (or always) show up.
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0..6, got {self.weekday}")
        if self.start >= self.end:
            raise ValueError("start must be before end (sessions cannot cross midnight)")
        if self.valid_from and self.valid_until and self.valid_from > self.valid_until:
            raise ValueError("valid_from must not be after valid_until")
        if self.kind not in _SESSION_KINDS:
            raise ValueError(f"unknown session kind {self.kind!r}")

    def valid_on(self, d: date) -> bool:
        return (self.valid_from is None or self.valid_from <= d) and (
            self.valid_until is None or d <= self.valid_until
        )


@dataclass(frozen=True, slots=True)
class ScheduleException:
    """A cancelled date of a rule, or an extra (one-off) session. See module docstring."""

    date: date
    kind: ExceptionKind
    session_id: int | None = None
    municipality: str | None = None
    place: str | None = None
    address: str | None = None
    start: time | None = None
    end: time | None = None
    note: str | None = None
    session_kind: SessionKind | None = None  # extra only; default: the rule's kind, or "inloop"

    def __post_init__(self) -> None:
        if self.kind not in ("cancelled", "extra"):
            raise ValueError(f"unknown exception kind {self.kind!r}")
        if self.kind == "extra" and self.session_id is None:
            if not (self.municipality and self.place and self.start and self.end):
                raise ValueError("extra without session_id needs municipality, place, times")
        if self.start is not None and self.end is not None and self.start >= self.end:
            raise ValueError("start must be before end")
        if self.session_kind is not None and self.session_kind not in _SESSION_KINDS:
            raise ValueError(f"unknown session kind {self.session_kind!r}")


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One concrete session on one date. start/end are aware datetimes in Europe/Amsterdam."""

    date: date
    start_local: datetime
    end_local: datetime
    municipality: str
    place: str
    address: str
    note: str | None
    kind: SessionKind
    session_id: int | None
    is_extra: bool
    holiday: str | None = None  # public holiday it falls on (open anyway / extra), if any

    @property
    def start_utc(self) -> datetime:
        return self.start_local.astimezone(UTC)

    @property
    def end_utc(self) -> datetime:
        return self.end_local.astimezone(UTC)


# --------------------------------------------------------------------------- helpers


def _require_aware(now: datetime) -> datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    return now


def local_today(now: datetime) -> date:
    """The calendar date in Amsterdam at instant `now` (any timezone)."""
    return _require_aware(now).astimezone(TZ).date()


def _local(d: date, t: time) -> datetime:
    # fold=0 (zoneinfo default) + UTC round trip: a non-existent spring time becomes the real
    # clock time one hour later, an ambiguous autumn time is the first pass. See module docstring.
    return datetime.combine(d, t, tzinfo=TZ).astimezone(UTC).astimezone(TZ)


def _norm(name: str | None) -> str:
    return (name or "").strip().casefold()


def iter_days(start: date, end: date) -> Iterator[date]:
    """start .. end inclusive."""
    for i in range((end - start).days + 1):
        yield start + timedelta(days=i)


def _sort_key(o: Occurrence) -> tuple[datetime, datetime, str, str, int]:
    return (o.start_utc, o.end_utc, o.municipality, o.place, o.session_id or 0)


# --------------------------------------------------------------------------- public API


class Schedule:
    """Rules and exceptions indexed once, so a day costs O(rules on that weekday).

    `municipality` (case-insensitive, canonical name) restricts every answer to that place.
    """

    def __init__(
        self,
        rules: Iterable[SessionRule],
        exceptions: Iterable[ScheduleException],
        municipality: str | None = None,
    ) -> None:
        self.muni = _norm(municipality) if municipality else None
        self.rules_by_id: dict[int, SessionRule] = {}
        self.by_weekday: dict[int, list[SessionRule]] = defaultdict(list)
        for r in rules:
            self.rules_by_id[r.id] = r
            if self.muni is None or _norm(r.municipality) == self.muni:
                self.by_weekday[r.weekday].append(r)
        self.cancelled_rule: set[tuple[int, date]] = set()
        self.cancelled_all: set[date] = set()
        self.cancelled_muni: set[tuple[str, date]] = set()
        self.extras: dict[date, list[ScheduleException]] = defaultdict(list)
        for e in exceptions:
            if e.kind == "extra":
                self.extras[e.date].append(e)
            elif e.session_id is not None:
                self.cancelled_rule.add((e.session_id, e.date))
            elif e.municipality:
                self.cancelled_muni.add((_norm(e.municipality), e.date))
            else:
                self.cancelled_all.add(e.date)

    def _is_cancelled(self, r: SessionRule, d: date) -> bool:
        return (
            d in self.cancelled_all
            or (r.id, d) in self.cancelled_rule
            or (_norm(r.municipality), d) in self.cancelled_muni
        )

    def _extra(self, e: ScheduleException, holiday: str | None) -> Occurrence | None:
        rule = self.rules_by_id.get(e.session_id) if e.session_id is not None else None
        if e.session_id is not None and rule is None:
            return None  # rule not passed in (pre-filtered elsewhere); cannot complete fields
        muni = e.municipality or (rule.municipality if rule else None)
        place = e.place or (rule.place if rule else None)
        start = e.start or (rule.start if rule else None)
        end = e.end or (rule.end if rule else None)
        if not (muni and place and start and end) or start >= end:
            return None
        if self.muni is not None and _norm(muni) != self.muni:
            return None
        span = self._span(e.date, start, end)
        if span is None:
            return None
        return Occurrence(
            date=e.date,
            start_local=span[0],
            end_local=span[1],
            municipality=muni,
            place=place,
            address=e.address or (rule.address if rule else ""),
            note=e.note if e.note is not None else (rule.note if rule else None),
            kind=e.session_kind or (rule.kind if rule else "inloop"),
            session_id=e.session_id,
            is_extra=True,
            holiday=holiday,
        )

    @staticmethod
    def _span(d: date, start: time, end: time) -> tuple[datetime, datetime] | None:
        start_local, end_local = _local(d, start), _local(d, end)
        if end_local.astimezone(UTC) <= start_local.astimezone(UTC):
            return None  # lies entirely in the skipped spring-forward hour
        return start_local, end_local

    def days(self, start: date, end: date) -> Iterator[tuple[date, list[Occurrence]]]:
        """Per date (ascending) the sorted occurrences of that date; days without any skipped."""
        if end < start:
            return
        holidays = holidays_between(start, end)  # once per query, not per rule
        for d in iter_days(start, end):
            holiday = holidays.get(d)
            day: list[Occurrence] = []
            for r in self.by_weekday.get(d.weekday(), ()):
                if not r.valid_on(d) or self._is_cancelled(r, d):
                    continue
                if holiday is not None and not r.open_on_holidays:
                    continue
                span = self._span(d, r.start, r.end)
                if span is None:
                    continue
                day.append(
                    Occurrence(
                        date=d,
                        start_local=span[0],
                        end_local=span[1],
                        municipality=r.municipality,
                        place=r.place,
                        address=r.address,
                        note=r.note,
                        kind=r.kind,
                        session_id=r.id,
                        is_extra=False,
                        holiday=holiday,
                    )
                )
            for e in self.extras.get(d, ()):
                occ = self._extra(e, holiday)
                if occ is not None:
                    day.append(occ)
            if day:
                day.sort(key=_sort_key)
                yield d, day

    def next_sessions(
        self, now: datetime, *, days: int = 14, limit: int | None = None
    ) -> list[Occurrence]:
        """Sessions that have not ended yet, from today (Amsterdam) for `days` calendar days.

        A session running right now is included. `days=14` covers today .. today+13.
        """
        if days <= 0:
            return []
        n = _require_aware(now).astimezone(UTC)
        today = local_today(now)
        out: list[Occurrence] = []
        for _, day in self.days(today, today + timedelta(days=days - 1)):
            for o in day:
                if o.end_utc > n:
                    out.append(o)
                    if limit is not None and len(out) >= limit:
                        return out
        return out

    def open_now(self, now: datetime) -> list[Occurrence]:
        """Sessions running at instant `now`, sorted."""
        today = local_today(now)
        return [o for _, day in self.days(today, today) for o in day if is_open_now(o, now)]

    def next_after(self, now: datetime, horizon_days: int = 90) -> Occurrence | None:
        """First session that has not ended at `now`, looking `horizon_days` ahead; stops early."""
        found = self.next_sessions(now, days=horizon_days, limit=1)
        return found[0] if found else None


def occurrences(
    rules: Iterable[SessionRule],
    exceptions: Iterable[ScheduleException],
    start: date,
    end: date,
    *,
    municipality: str | None = None,
) -> list[Occurrence]:
    """All sessions with start <= date <= end, sorted by start instant.

    Cancelled dates and public holidays (unless open_on_holidays) are removed, validity windows
    respected, extra dates added. `municipality` (case-insensitive, canonical name) filters.
    """
    return [o for _, day in Schedule(rules, exceptions, municipality).days(start, end) for o in day]


def is_open_now(occ: Occurrence, now: datetime) -> bool:
    """True when `now` lies in [start, end) -- to the minute, on UTC instants."""
    n = _require_aware(now).astimezone(UTC)
    return occ.start_utc <= n < occ.end_utc


def day_label(d: date, today: date) -> DayLabel:
    """Rendering bucket for `d` seen from `today`; weeks are ISO weeks (Monday-Sunday).

    Dates before today are not expected; they fall in "this_week" (same week) or "later".
    """
    if d == today:
        return "today"
    if d == today + timedelta(days=1):
        return "tomorrow"
    monday = week_start(today)
    if monday <= d < monday + timedelta(days=7):
        return "this_week"
    if monday + timedelta(days=7) <= d < monday + timedelta(days=14):
        return "next_week"
    return "later"


def group_by_day(
    occs: Sequence[Occurrence], today: date
) -> list[tuple[date, DayLabel, list[Occurrence]]]:
    """[(date, label_key, occurrences of that date)] in date order; label_key see `day_label`."""
    by_date: dict[date, list[Occurrence]] = defaultdict(list)
    for o in occs:
        by_date[o.date].append(o)
    return [(d, day_label(d, today), sorted(by_date[d], key=_sort_key)) for d in sorted(by_date)]
