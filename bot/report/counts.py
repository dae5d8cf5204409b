"""The report's counts: every count table (the region's, with a row per municipality, and each
municipality's own), the quantity each cell shows (`canon`, see bot.report.plan) and the cells
as the files show them, after suppression planned once for all tables together."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.domain.counts import Counts
from bot.domain.suppression import CountTable, Marks
from bot.report.model import Cell, Fmt
from bot.report.plan import Plan, Ref
from bot.report.plan import plan as make_plan
from bot.storage.report_queries import ReportData

__all__ = ["Counted", "count_tables", "counted", "sorted_places"]

Canon = Callable[[str, tuple[int, int]], Ref]
Place = tuple[tuple[int, int, str], Counts]  # ((place id, municipality id, name), counts)

# The region tables with a row per municipality (see `canon`).
_BY_MUNICIPALITY = ("residents", "months", "themes", "activities", "referrals", "signals")


def sorted_places(data: ReportData) -> list[Place]:
    """The vindplekken by municipality name, then by name."""
    munis = data.municipalities
    return sorted(
        data.vindplekken.items(),
        key=lambda kv: ([m[2] for m in munis if m[0] == kv[0][1]] or [""])[0] + "/" + kv[0][2],
    )


def count_tables(data: ReportData) -> dict[str, CountTable]:
    """Every count the report shows, as tables: the region's, keyed by topic, and each
    municipality's own, keyed "topic:municipality id"."""
    mids = [m[0] for m in data.municipalities]
    acts = data.activities
    themes = data.themes
    targets = data.referral_targets
    months = [m.strftime("%Y-%m") for m in data.months]
    zero = Counts()

    def bm(mid: int) -> Counts:
        return data.by_muni.get(mid, zero)

    dops = data.deelopdrachten
    tables: dict[str, CountTable] = {
        "activities": CountTable(
            [[data.by_muni_activity.get((mid, a.id), zero).contacts for a in acts] for mid in mids]
        ),
        "referrals": CountTable(
            [[data.referrals.get((mid, r.id), 0) for r in targets] for mid in mids]
        ),
        "residents": CountTable([[bm(mid).new, bm(mid).known] for mid in mids]),
        "months": CountTable(
            [[data.by_muni_month.get((mid, mon), zero).residents for mon in months] for mid in mids]
        ),
        # A contact counts under each of its themes: themes don't add up to a total.
        "themes": CountTable(
            [
                [data.by_muni_theme.get((mid, th.id), zero).residents for th in themes]
                for mid in mids
            ],
            row_totals=False,
        ),
        "vindplekken": CountTable(
            [[cnt.contacts] for _k, cnt in sorted_places(data)], row_totals=False, col_totals=False
        ),
        "deelopdrachten": CountTable(
            [
                [
                    data.by_deelopdracht.get(d.id, zero).contacts,
                    data.by_deelopdracht.get(d.id, zero).residents,
                    data.by_deelopdracht.get(d.id, zero).new,
                ]
                for d in dops
            ],
            row_totals=False,
            col_totals=False,
        ),
    }
    kinds_s = data.signal_kinds
    sig_count: dict[tuple[int | None, int | None], int] = {}
    for sgn in data.signals:
        key_s = (sgn.municipality_id, sgn.kind_id)
        sig_count[key_s] = sig_count.get(key_s, 0) + 1
    tables["signals"] = CountTable(
        [[sig_count.get((mid, kd.id), 0) for kd in kinds_s] for mid in [*mids, None]]
    )
    tables["signals:region"] = CountTable(
        [[sig_count.get((None, kd.id), 0) for kd in kinds_s]], col_totals=False
    )
    for mid in mids:
        tables[f"months:{mid}"] = CountTable(
            [
                [
                    data.by_muni_month.get((mid, mon), zero).new,
                    data.by_muni_month.get((mid, mon), zero).known,
                ]
                for mon in months
            ]
        )
        tables[f"themes:{mid}"] = CountTable(
            [
                [
                    data.by_muni_theme.get((mid, th.id), zero).new,
                    data.by_muni_theme.get((mid, th.id), zero).known,
                ]
                for th in themes
            ],
            col_totals=False,
            grand=False,  # themes overlap: their residents add up to nothing shown
        )
        tables[f"acts:{mid}"] = CountTable(
            [[data.by_muni_activity.get((mid, a.id), zero).contacts for a in acts]],
            col_totals=False,
        )
        tables[f"refs:{mid}"] = CountTable(
            [[data.referrals.get((mid, r.id), 0) for r in targets]], col_totals=False
        )
        tables[f"signals:{mid}"] = CountTable(
            [[sig_count.get((mid, kd.id), 0) for kd in kinds_s]], col_totals=False
        )
    return tables


def canon_of(data: ReportData) -> Canon:
    """The quantity a cell shows (see bot.report.plan): a municipality's row of a region
    table is that municipality's own table; a one-row table's grand total is its row's."""
    mids = [m[0] for m in data.municipalities]
    nmu, nm = len(mids), len(data.months)

    def canon(key: str, c: tuple[int, int]) -> Ref:
        i, j = c
        unit = key.split(":")[0] in ("acts", "refs", "signals") and ":" in key
        if unit and i == 1:
            return (key, (0, j))
        if key == "months" and i == nmu and j == nm:
            return ("residents", (nmu, 2))
        if key not in _BY_MUNICIPALITY:
            return (key, c)
        if i >= nmu:
            if key == "signals" and i == nmu:
                return ("signals:region", (0, j))
            return (key, c)
        mid = mids[i]
        if key == "residents":
            return (f"months:{mid}", (nm, j))
        if key == "months":
            return (f"months:{mid}", (j if j < nm else nm, 2))
        if key == "themes":
            return (f"themes:{mid}", (j, 2))
        short = {"activities": "acts", "referrals": "refs"}.get(key, key)
        return (f"{short}:{mid}", (0, j))

    return canon


@dataclass(frozen=True)
class Counted:
    """The count tables with their plan: a count cell as the files show it ("<5", "*" or the
    number) and named by the quantity it shows."""

    tables: dict[str, CountTable]
    canon: Canon
    plan: Plan
    marks: dict[str, Marks]
    f: Fmt

    def cell(self, key: str, c: tuple[int, int]) -> Cell:
        return self.f.count(self.tables[key].value(c), self.marks[key][c], self.canon(key, c))

    def cells(self, key: str, i: int, with_total: bool = True) -> list[Cell]:
        """Row `i` of a table (`n_rows`: its totals), with the row's total or without."""
        n = self.tables[key].n_cols + (1 if with_total else 0)
        return [self.cell(key, (i, j)) for j in range(n)]

    def region_months(self, labels: list[str]) -> list[tuple[str, int | None, int | None]]:
        """Residents per month in the region, for the chart: (label, the column total of the
        month table or None where it is hidden there, None)."""
        table, marks = self.tables["months"], self.marks["months"]
        last = table.n_rows  # the totals row
        return [
            (label, None if marks[(last, j)] else table.value((last, j)), None)
            for j, label in enumerate(labels)
        ]


def counted(data: ReportData, f: Fmt, threshold: int, *, internal: bool) -> Counted:
    """The report's counts with small counts suppressed for the whole region at once."""
    tables = count_tables(data)
    canon = canon_of(data)
    plan = make_plan(tables, canon, threshold, internal=internal, region=data.region)
    return Counted(tables, canon, plan, {k: plan.table_marks(k) for k in tables}, f)
