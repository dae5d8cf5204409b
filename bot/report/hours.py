"""The report's hours: per municipality contact and indirect hours, the fair share by the MGR
key (bot.domain.digest.fair_shares) for the period and the year so far, and the tables of the
region that show them. Hours are always exact (no suppression)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.counts import Counts
from bot.domain.digest import MunicipalityWeek, fair_shares
from bot.report.model import Cell, Fmt, Row, Table
from bot.storage.report_queries import ReportData

__all__ = ["HourFigures", "chart_hours", "hour_figures", "hours_table", "indirect_table"]

Minutes = dict[int, tuple[int, int]]  # municipality id -> (contact, indirect) minutes
Shares = dict[int, tuple[float, float]]  # municipality id -> (fair share, difference) minutes


@dataclass(frozen=True)
class HourFigures:
    period: Minutes
    ytd: Minutes
    period_share: Shares
    ytd_share: Shares
    regional: int  # indirect minutes without a municipality, in the period
    regional_ytd: int

    @property
    def contact_total(self) -> int:
        return sum(v[0] for v in self.period.values())

    @property
    def indirect_total(self) -> int:
        """Indirect minutes of the period, the regional ones included."""
        return sum(v[1] for v in self.period.values()) + self.regional

    @property
    def ytd_total(self) -> int:
        return sum(sum(v) for v in self.ytd.values()) + self.regional_ytd


def _shares(data: ReportData, minutes_of: Minutes) -> Shares:
    rows = [
        MunicipalityWeek(str(mid), key, Counts(minutes_of[mid][0]), minutes_of[mid][1])
        for mid, _c, _n, key in data.municipalities
    ]
    return {int(r.name): (r.share_minutes, r.deviation_minutes) for r in fair_shares(rows)}


def hour_figures(data: ReportData) -> HourFigures:
    mids = [m[0] for m in data.municipalities]
    period = {
        mid: (
            data.pool_contact_minutes.get(mid, 0),
            sum(v for (m2, _k), v in data.indirect.items() if m2 == mid),
        )
        for mid in mids
    }
    ytd = {
        mid: (data.ytd_contact_minutes.get(mid, 0), data.ytd_indirect_minutes.get(mid, 0))
        for mid in mids
    }
    return HourFigures(
        period,
        ytd,
        _shares(data, period),
        _shares(data, ytd),
        data.regional_minutes,
        data.ytd_indirect_minutes.get(None, 0),
    )


def hours_table(data: ReportData, f: Fmt, h: HourFigures) -> Table:
    """Hours per municipality next to the fair share, the period and the year so far."""
    _ = f.t._
    head = [
        _("Gemeente"),
        _("MGR-sleutel"),
        _("Contacturen"),
        _("Indirecte uren"),
        _("Uren totaal"),
        _("Eerlijk deel"),
        _("Verschil"),
        _("Uren dit jaar"),
        _("Eerlijk deel dit jaar"),
        _("Verschil dit jaar"),
    ]

    rows = []
    for mid, _c, name, key in data.municipalities:
        c_min, i_min = h.period[mid]
        yc, yi = h.ytd[mid]
        p_share, y_share = h.period_share[mid], h.ytd_share[mid]
        cells = [
            f.pct(key),
            f.hours(c_min),
            f.hours(i_min),
            f.hours(c_min + i_min),
            f.hours(p_share[0]),
            f.signed_hours(p_share[1]),
            f.hours(yc + yi),
            f.hours(y_share[0]),
            f.signed_hours(y_share[1]),
        ]
        rows.append(Row(name, cells, mid))
    # The regional line and the total have no fair share (the regional line no key either).
    regional = [f.text(""), f.hours(0), f.hours(h.regional), f.hours(h.regional)]
    rows.append(Row(_("Regionaal (zonder gemeente)"), _with_ytd(f, regional, h.regional_ytd)))
    tot_c, tot_i = h.contact_total, h.indirect_total
    total = [f.pct(sum(m[3] for m in data.municipalities)), f.hours(tot_c), f.hours(tot_i)]
    total.append(f.hours(tot_c + tot_i))
    return Table(
        "Uren",
        _("Uren per gemeente"),
        head,
        rows,
        Row(_("Totaal"), _with_ytd(f, total, h.ytd_total)),
        note=_(
            "Eerlijk deel: het deel van de uren op gemeenten dat bij de MGR-sleutel hoort. "
            "Regionale uren staan op een eigen regel en tellen niet mee in het eerlijke deel."
        ),
        unit="hours",
        wide=True,
    )


def _with_ytd(f: Fmt, first: list[Cell], ytd_minutes: int) -> list[Cell]:
    """A line without a key-based share: its first four cells, then only the year's hours."""
    blank = f.text("")
    return [*first, blank, blank, f.hours(ytd_minutes), blank, blank]


def indirect_table(data: ReportData, f: Fmt) -> Table:
    """Indirect hours per municipality and kind, the regional ones on a line of their own."""
    _ = f.t._
    kinds = data.indirect_kinds
    rows = [
        Row(name, [f.hours(data.indirect.get((mid, k.id), 0)) for k in kinds], mid)
        for mid, _c, name, _k in data.municipalities
    ]
    rows.append(
        Row(
            _("Regionaal (zonder gemeente)"),
            [f.hours(data.indirect.get((None, k.id), 0)) for k in kinds],
        )
    )
    return Table(
        "Indirect",
        _("Indirecte uren per soort"),
        [_("Gemeente"), *[k.label for k in kinds]],
        rows,
        Row(
            _("Totaal"),
            [
                f.hours(sum(v for (_m, kid), v in data.indirect.items() if kid == k.id))
                for k in kinds
            ],
        ),
        unit="hours",
        wide=True,
    )


def chart_hours(data: ReportData, h: HourFigures) -> list[tuple[str, float, float]]:
    """(name, hours, fair share hours) per municipality, the largest key first: for the chart."""
    return [
        (name, round(sum(h.period[mid]) / 60, 1), round(h.period_share[mid][0] / 60, 1))
        for mid, _c, name, _k in sorted(data.municipalities, key=lambda m: (-m[3], m[2]))
    ]
