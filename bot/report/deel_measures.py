"""Section e of the report: each deelopdracht's measures, value against target on the period's
last day (the same computation as /deelopdracht and the digest: bot.storage.deel_progress).

Small counts (the report's rule, bot.report.plan): a measure that counts (residents, contacts,
referrals, key figures) shows "<5" for 1..threshold-1, as the report's own count cells do. A
percentage shows only when its base (the new residents it is a share of) reaches the threshold:
"67 %" of 3 residents would tell who; it then reads "basis <5". Hours are exact, as everywhere
in the report. Measure values are sub-counts over their own window and filter, not parts of any
published sum, so they take only this primary rule, not the complementary suppression (`*`) of
the report's tables. An internal report (`--intern`) shows everything exactly.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from bot.domain.measures import (
    MeasureProgress,
    Unit,
    format_status,
    format_target,
    format_value,
    measure_label,
)
from bot.i18n import Translator

__all__ = ["measure_rows", "measure_value_number", "measure_value_text"]


class _Fmt(Protocol):
    threshold: int
    internal: bool


def measure_value_text(p: MeasureProgress, t: Translator, threshold: int, internal: bool) -> str:
    """The value as the report shows it (suppressed as described above)."""
    if p.value is not None and measure_value_number(p, threshold, internal) is None:
        if p.unit is Unit.percent:
            return t._("basis <{threshold}").format(threshold=threshold)
        return f"<{threshold}"
    return format_value(p, p.value, t)


def measure_value_number(p: MeasureProgress, threshold: int, internal: bool) -> float | None:
    """The value as a number where `measure_value_text` shows it as one, else None."""
    if p.value is None:
        return None
    if not internal:
        if p.unit is Unit.number and 0 < p.value < threshold:
            return None
        if p.unit is Unit.percent and p.base is not None and 0 < p.base < threshold:
            return None
    return p.value


def measure_rows(
    t: Translator, progress: list[MeasureProgress], as_of: date, f: _Fmt
) -> dict[str, object]:
    """The "measures" of a deelopdracht's section (the PDF's table, the workbook's sheet):
    [label, value, target, status] per measure, with the heading and the day they hold on."""
    _ = t._
    return {
        "measures_title": _("Doelen op {day}").format(day=t.fmt_date(as_of, "d MMMM yyyy")),
        "measures_head": [_("Doel"), _("Stand"), _("Streefwaarde"), _("Oordeel")],
        "measures": [
            [
                measure_label(p, t),
                measure_value_text(p, t, f.threshold, f.internal),
                format_target(p, t),
                format_status(p, t),
            ]
            for p in progress
        ],
        # The same as numbers for the workbook: [value, target, unit]; value None when the
        # text says something else ("<5", "basis <5", "nog geen gegevens").
        "measure_numbers": [
            [measure_value_number(p, f.threshold, f.internal), p.target, p.unit.value]
            for p in progress
        ],
    }
