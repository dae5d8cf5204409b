"""Deelopdracht measures: what each kind counts, the window it applies to, where it should be
by now, and how its progress reads. Pure: the values come from `bot.storage.deel_progress`.

Decisions:

* Window. A measure applies to the deelopdracht's whole period (`starts_on` .. `ends_on`), or,
  with `window_months` N, to "the first N months": from `starts_on` up to and including the day
  before `starts_on` + N months (1 January + 6 months: 1 January .. 30 June), never beyond
  `ends_on`. Without `starts_on` the window has no start (and `window_months` cannot apply);
  without `ends_on` (and no months) no end.
* Counting stops at `as_of` (and at the window's end): progress "on a date" counts the work
  logged up to that day.
* Expected by now. For counts and hours: the target pro rata to the days of the window elapsed
  on `as_of` (both days included; the whole target once the window is over). Percentages are
  shares, not totals that build up: their target holds at any moment. A window without a start
  or an end has no pace (`expected_now` None, status `unknown` unless reached).
* Status: `not_started` before the window starts; `no_data` for a percentage with an empty base;
  `reached` once value ≥ target; from the window's last day on `missed` when not reached (the
  figure a report at the period's end shows); otherwise
  `on_track` (value ≥ expected by now) or `behind`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from bot.domain.dates import add_months
from bot.i18n import N_

__all__ = [
    "EPSILON",
    "MEASURES",
    "DeelProgress",
    "MeasureDef",
    "MeasureProgress",
    "Status",
    "Unit",
    "Window",
    "add_months",
    "expected_by_now",
    "format_deel_line",
    "format_figures",
    "format_progress_compact",
    "format_progress_line",
    "format_status",
    "format_target",
    "format_value",
    "make_progress",
    "measure_label",
    "measure_window",
    "status_of",
]

# Values are compared with this slack (hours are sums of minutes / 60).
EPSILON = 1e-9


class Unit(enum.StrEnum):
    number = "count"  # a whole count (`str.count` rules out the name)
    hours = "hours"
    percent = "percent"


class Status(enum.StrEnum):
    not_started = "not_started"
    on_track = "on_track"
    behind = "behind"
    reached = "reached"
    missed = "missed"  # the window is over and the target was not reached
    no_data = "no_data"  # a percentage of nothing yet
    unknown = "unknown"  # no pace: the window has no start or no end


@dataclass(frozen=True)
class MeasureDef:
    kind: str
    label: str  # Dutch, marked with N_; translated where shown
    unit: Unit


# Keys are `bot.storage.models.MeasureKind` values (kept as plain strings: the domain does not
# import storage).
MEASURES: dict[str, MeasureDef] = {
    d.kind: d
    for d in (
        MeasureDef("new_residents", N_("Nieuwe inwoners bereikt"), Unit.number),
        MeasureDef("residents", N_("Inwoners bereikt"), Unit.number),
        MeasureDef("contacts", N_("Contacten"), Unit.number),
        MeasureDef("hours", N_("Uren contact"), Unit.hours),
        MeasureDef("referrals", N_("Contacten met toeleiding"), Unit.number),
        MeasureDef("key_figures", N_("Sleutelfiguren met goed contact"), Unit.number),
        MeasureDef("non_use_known", N_("Reden van niet-gebruik bekend"), Unit.percent),
        MeasureDef("went_on", N_("Doorgestroomd naar voorzieningen"), Unit.percent),
    )
}

STATUS_TEXT: dict[Status, str] = {
    Status.not_started: N_("nog niet begonnen"),
    Status.on_track: N_("op schema"),
    Status.behind: N_("achter op schema"),
    Status.reached: N_("doel gehaald"),
    Status.missed: N_("doel niet gehaald"),
    Status.no_data: N_("nog geen gegevens"),
    Status.unknown: "",
}


# --------------------------------------------------------------------------- windows


@dataclass(frozen=True)
class Window:
    """Days a measure applies to, both included; None: open on that side."""

    start: date | None
    end: date | None

    def count_until(self, as_of: date) -> date:
        """The last day whose work counts on `as_of`."""
        return as_of if self.end is None else min(self.end, as_of)


def measure_window(starts_on: date | None, ends_on: date | None, months: int | None) -> Window:
    end = ends_on
    if months is not None and starts_on is not None:
        first_months_end = add_months(starts_on, months) - timedelta(days=1)
        end = first_months_end if end is None else min(end, first_months_end)
    return Window(starts_on, end)


def expected_by_now(target: float, unit: Unit, window: Window, as_of: date) -> float | None:
    """Where the value should be on `as_of` (see the module's decisions); None: no pace."""
    if unit is Unit.percent:
        return target
    if window.start is None or window.end is None:
        return None
    if as_of < window.start:
        return 0.0
    total = (window.end - window.start).days + 1
    elapsed = min((as_of - window.start).days + 1, total)
    return target * elapsed / total if total > 0 else target


def status_of(
    value: float | None,
    target: float,
    unit: Unit,
    window: Window,
    as_of: date,
    expected: float | None,
) -> Status:
    if window.start is not None and as_of < window.start:
        return Status.not_started
    if value is None:
        return Status.no_data
    if value + EPSILON >= target:
        return Status.reached
    if window.end is not None and as_of >= window.end:
        return Status.missed
    if expected is None:
        return Status.unknown
    return Status.on_track if value + EPSILON >= expected else Status.behind


# --------------------------------------------------------------------------- progress


@dataclass(frozen=True)
class MeasureProgress:
    measure_id: int
    kind: str
    label: str  # the coordinator's label; "" means the kind's own (see `measure_label`)
    target: float
    value: float | None  # None: a percentage of an empty base ("nog geen gegevens")
    unit: Unit
    window_start: date | None
    window_end: date | None
    expected_now: float | None
    status: Status
    window_months: int | None = None
    # A percentage's base (its denominator: new residents); None for other kinds.
    base: float | None = None


def make_progress(
    *,
    measure_id: int,
    kind: str,
    label: str,
    target: float,
    value: float | None,
    starts_on: date | None,
    ends_on: date | None,
    window_months: int | None,
    as_of: date,
    base: float | None = None,
) -> MeasureProgress:
    """A measure's progress on `as_of`, from its counted `value` (`bot.storage.deel_progress`)."""
    d = MEASURES.get(kind, MeasureDef(kind, kind, Unit.number))
    window = measure_window(starts_on, ends_on, window_months)
    expected = expected_by_now(target, d.unit, window, as_of)
    return MeasureProgress(
        measure_id=measure_id,
        kind=kind,
        label=label,
        target=target,
        value=value,
        unit=d.unit,
        window_start=window.start,
        window_end=window.end,
        expected_now=expected,
        status=status_of(value, target, d.unit, window, as_of, expected),
        window_months=window_months if starts_on is not None else None,
        base=base if d.unit is Unit.percent else None,
    )


# --------------------------------------------------------------------------- text


class Translator(Protocol):
    def _(self, message: str) -> str: ...
    def ngettext(self, singular: str, plural: str, n: int) -> str: ...
    def number(self, value: float, digits: int = 1) -> str: ...


def measure_label(p: MeasureProgress, t: Translator) -> str:
    """The label with its window: "Nieuwe inwoners bereikt (eerste 6 maanden)"."""
    label = p.label.strip() or t._(MEASURES[p.kind].label if p.kind in MEASURES else p.kind)
    if p.window_months is None:
        return label
    months = t.ngettext("eerste {n} maand", "eerste {n} maanden", p.window_months).format(
        n=t.number(p.window_months, 0)
    )
    return f"{label} ({months})"


def _digits(unit: Unit) -> int:
    return 1 if unit is Unit.hours else 0


def format_value(p: MeasureProgress, value: float | None, t: Translator) -> str:
    """A value in the measure's unit: "18", "12,5 uur", "72 %"; None: "nog geen gegevens"."""
    if value is None:
        return t._("nog geen gegevens")
    number = t.number(value, _digits(p.unit))
    if p.unit is Unit.percent:
        return t._("{value} %").format(value=number)
    if p.unit is Unit.hours:
        return t._("{value} uur").format(value=number)
    return number


def format_target(p: MeasureProgress, t: Translator) -> str:
    return format_value(p, p.target, t)


def format_figures(p: MeasureProgress, t: Translator) -> str:
    """ "18 van 25", "12,5 van 40 uur", "72 % (doel 80 %)", "nog geen gegevens (doel 80 %)"."""
    if p.unit is Unit.percent or p.value is None:
        return t._("{value} (doel {target})").format(
            value=format_value(p, p.value, t), target=format_target(p, t)
        )
    return t._("{value} van {target}").format(
        value=t.number(p.value, _digits(p.unit)), target=format_target(p, t)
    )


def format_status(p: MeasureProgress, t: Translator) -> str:
    """ "op schema", "achter op schema", …; "" when there is nothing to say (no data, no pace)."""
    text = STATUS_TEXT[p.status]
    return t._(text) if text and p.status is not Status.no_data else ""


def format_progress_line(p: MeasureProgress, t: Translator) -> str:
    """One line of plain text (escape it for HTML):
    "Nieuwe inwoners bereikt (eerste 6 maanden): 18 van 25 — op schema",
    "Reden van niet-gebruik bekend: 72 % (doel 80 %) — achter op schema"."""
    line = f"{measure_label(p, t)}: {format_figures(p, t)}"
    status = format_status(p, t)
    return f"{line} — {status}" if status else line


@dataclass(frozen=True)
class DeelProgress:
    """A deelopdracht with its measures' progress (the digest's and the report's unit)."""

    id: int
    title: str
    municipality: str
    measures: list[MeasureProgress]


def format_progress_compact(p: MeasureProgress, t: Translator) -> str:
    """Shorter, for one line per deelopdracht: "Nieuwe inwoners bereikt 12 van 40 (op schema)"."""
    status = format_status(p, t)
    line = f"{measure_label(p, t)} {format_figures(p, t)}"
    return f"{line} ({status})" if status else line


def format_deel_line(d: DeelProgress, t: Translator) -> str:
    """One plain-text line: "WIJ-Groningen West (Venlo): Nieuwe inwoners bereikt 12 van 40 (op
    schema) · …"; a deelopdracht without measures says so."""
    head = t._("{title} ({municipality})").format(title=d.title, municipality=d.municipality)
    if not d.measures:
        return t._("{head}: geen meetbare doelen").format(head=head)
    return f"{head}: " + " · ".join(format_progress_compact(p, t) for p in d.measures)
