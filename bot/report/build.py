"""From the report's figures (bot.storage.report_queries) to the tables both files show:
suppression decided once for the whole region, numbers and dates formatted in Dutch (Babel),
texts through gettext. The PDF and the XLSX render the same `Table`s, so they can't disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal

from bot.domain.digest import MunicipalityWeek, fair_shares
from bot.domain.ledger import Ledger
from bot.domain.suppression import CountTable
from bot.i18n import Translator
from bot.report.deel_measures import measure_rows
from bot.report.plan import Plan, Ref
from bot.report.plan import plan as make_plan
from bot.storage.report_queries import Counts, NoteRow, ReportData

__all__ = ["Cell", "Report", "Row", "Table", "assemble"]


@dataclass(frozen=True)
class Cell:
    value: float | int | None
    text: str
    hidden: bool = False  # "<5" or "*": the XLSX writes the text, not a number
    # A count: the quantity it shows (bot.report.plan), for the check that nothing hidden can be
    # worked out from all the report's tables together. None for hours and texts.
    ref: Ref | None = None


@dataclass
class Row:
    label: str
    cells: list[Cell]
    muni_id: int | None = None


@dataclass
class Table:
    key: str  # also the sheet name in the workbook
    title: str
    head: list[str]
    rows: list[Row]
    total: Row | None = None
    note: str = ""
    unit: str = "count"  # count | hours | mixed (number format in the workbook)
    wide: bool = False  # many columns: a landscape page in the PDF

    def only(self, muni_ids: set[int] | None) -> Table:
        """The rows of these municipalities (and the regional line), without the total: a
        report of some municipalities is made from their figures only, and a region total next
        to them would be a sum outside what their suppression checked."""
        if muni_ids is None:
            return self
        rows = [r for r in self.rows if r.muni_id is None or r.muni_id in muni_ids]
        return Table(self.key, self.title, self.head, rows, None, self.note, self.unit, self.wide)


@dataclass
class Note:
    title: str
    text: str


@dataclass
class MuniPart:
    """What only one municipality's PDF shows."""

    id: int
    code: str
    name: str
    hours: Table
    themes: Table
    months: Table
    activities: Table
    referrals: Table
    vindplekken: Table
    narrative: str
    stories: list[Note]
    signals: list[Note]
    deelopdrachten: list[dict[str, object]]
    signal_counts: Table


@dataclass
class Report:
    pool: str
    period_label: str
    period_key: str
    produced: str  # "1 december 2026 om 04:10"
    internal: bool
    threshold: int
    summary: Table  # all municipalities side by side
    hours: Table
    indirect: Table
    residents: Table
    months: Table
    themes: Table
    activities: Table
    activity_hours: Table
    referrals: Table
    vindplekken: Table
    signals: list[Note]
    stories: list[Note]
    narrative: str
    deelopdrachten: list[dict[str, object]]
    definitions: list[tuple[str, str]]
    how_to_read: list[str]
    munis: dict[int, MuniPart] = field(default_factory=dict)
    # Hours and fair share per municipality, for the charts: (name, hours, share hours).
    chart_hours: list[tuple[str, float, float]] = field(default_factory=list)
    # Residents per month, region: (label, new, known) - None when a count is hidden.
    chart_months: list[tuple[str, int | None, int | None]] = field(default_factory=list)
    signal_counts: Table | None = None
    # The suppression plan: every count's quantity, value and the sums between them (for
    # `published_counts` + bot.report.plan.check).
    plan: Plan | None = None
    ledger: Table | None = None  # the fair-share ledger year to date, when a budget is set

    def ledger_tables(self) -> tuple[Table, ...]:
        return () if self.ledger is None else (self.ledger,)


class _Fmt:
    def __init__(self, t: Translator, threshold: int, internal: bool) -> None:
        self.t = t
        self.threshold = threshold
        self.internal = internal

    def count(self, value: int, mark: str = "", ref: Ref | None = None) -> Cell:
        if mark == "<":
            return Cell(value, f"<{self.threshold}", True, ref)
        if mark:  # "*": a complement, or a total withheld (suppression.WITHHELD)
            return Cell(value, "*", True, ref)
        return Cell(value, self.t.number(value, 0), False, ref)

    def _h(self, h: float) -> str:
        # Hours always with one decimal, so columns line up: 12,0 and 12,5.
        return format_decimal(h, format="#,##0.0", locale=self.t.locale)

    def hours(self, minutes: float) -> Cell:
        h = round(minutes / 60, 1)
        return Cell(h, self._h(h))

    def signed_hours(self, minutes: float) -> Cell:
        h = round(minutes / 60, 1)
        if h == 0:
            return Cell(0.0, self._h(0))
        sign = "+" if h > 0 else "−"
        return Cell(h, sign + self._h(abs(h)))

    def pct(self, value: float | None) -> Cell:
        """The MGR key: two decimals, as in the agreement (28,47%)."""
        if value is None:
            return Cell(None, "–")
        v = round(value, 2)
        return Cell(v, format_decimal(v, format="#,##0.00", locale=self.t.locale) + "%")

    def text(self, value: str) -> Cell:
        return Cell(None, value)


def _month_label(t: Translator, first: date) -> str:
    from babel.dates import format_date

    return format_date(first, "MMM yyyy", locale=t.locale)


def assemble(
    data: ReportData,
    t: Translator,
    *,
    threshold: int,
    internal: bool,
    now: datetime,
    tz: ZoneInfo,
    ledger: Ledger | None = None,
) -> Report:
    _ = t._
    f = _Fmt(t, threshold, internal)
    munis = data.municipalities
    mids = [m[0] for m in munis]
    acts = data.activities
    themes = data.themes
    targets = data.referral_targets
    months = [m.strftime("%Y-%m") for m in data.months]
    zero = Counts()

    def bm(mid: int) -> Counts:
        return data.by_muni.get(mid, zero)

    places = sorted(
        data.vindplekken.items(),
        key=lambda kv: ([m[2] for m in munis if m[0] == kv[0][1]] or [""])[0] + "/" + kv[0][2],
    )
    dops = data.deelopdrachten
    count_tables: dict[str, CountTable] = {
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
            [[cnt.contacts] for _k, cnt in places], row_totals=False, col_totals=False
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
    nm, na, nr = len(months), len(acts), len(targets)
    nmu = len(mids)
    kinds_s = data.signal_kinds
    sig_count: dict[tuple[int | None, int | None], int] = {}
    for sgn in data.signals:
        key_s = (sgn.municipality_id, sgn.kind_id)
        sig_count[key_s] = sig_count.get(key_s, 0) + 1
    count_tables["signals"] = CountTable(
        [[sig_count.get((mid, kd.id), 0) for kd in kinds_s] for mid in [*mids, None]]
    )
    count_tables["signals:region"] = CountTable(
        [[sig_count.get((None, kd.id), 0) for kd in kinds_s]], col_totals=False
    )
    for mid in mids:
        count_tables[f"months:{mid}"] = CountTable(
            [
                [
                    data.by_muni_month.get((mid, mon), zero).new,
                    data.by_muni_month.get((mid, mon), zero).known,
                ]
                for mon in months
            ]
        )
        count_tables[f"themes:{mid}"] = CountTable(
            [
                [
                    data.by_muni_theme.get((mid, th.id), zero).new,
                    data.by_muni_theme.get((mid, th.id), zero).known,
                ]
                for th in themes
            ],
            col_totals=False,
        )
        count_tables[f"acts:{mid}"] = CountTable(
            [[data.by_muni_activity.get((mid, a.id), zero).contacts for a in acts]],
            col_totals=False,
        )
        count_tables[f"refs:{mid}"] = CountTable(
            [[data.referrals.get((mid, r.id), 0) for r in targets]], col_totals=False
        )
        count_tables[f"signals:{mid}"] = CountTable(
            [[sig_count.get((mid, kd.id), 0) for kd in kinds_s]], col_totals=False
        )

    def canon(key: str, c: tuple[int, int]) -> Ref:
        """The quantity a cell shows (see bot.report.plan): a municipality's row of a region
        table is that municipality's own table; a one-row table's grand total is its row's."""
        i, j = c
        unit = key.split(":")[0] in ("acts", "refs", "signals") and ":" in key
        if unit and i == 1:
            return (key, (0, j))
        if key == "months" and i == nmu and j == nm:
            return ("residents", (nmu, 2))
        if key not in ("residents", "months", "themes", "activities", "referrals", "signals"):
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

    plan = make_plan(count_tables, canon, threshold, internal=internal, region=data.region)
    marks = {k: plan.table_marks(k) for k in count_tables}

    def cells(key: str, i: int, with_total: bool = True) -> list[Cell]:
        ct = count_tables[key]
        n = ct.n_cols + (1 if with_total else 0)
        return [count_cell(key, (i, j)) for j in range(n)]

    def count_cell(key: str, c: tuple[int, int]) -> Cell:
        return f.count(count_tables[key].value(c), marks[key][c], canon(key, c))

    region = _("Regio")
    total_label = _("Totaal")
    muni_label = _("Gemeente")

    # ------------------------------------------------------------------ hours
    def shares(minutes_of: dict[int, tuple[int, int]]) -> dict[int, tuple[float, float]]:
        rows = [
            MunicipalityWeek(str(mid), key, minutes_of[mid][0], minutes_of[mid][1])
            for mid, _c, _n, key in munis
        ]
        return {int(r.name): (r.share_minutes, r.deviation_minutes) for r in fair_shares(rows)}

    period_min = {
        mid: (
            data.pool_contact_minutes.get(mid, 0),
            sum(v for (m2, _k), v in data.indirect.items() if m2 == mid),
        )
        for mid in mids
    }
    ytd_min = {
        mid: (data.ytd_contact_minutes.get(mid, 0), data.ytd_indirect_minutes.get(mid, 0))
        for mid in mids
    }
    p_share, y_share = shares(period_min), shares(ytd_min)
    hours_head = [
        muni_label,
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

    def hours_row(mid: int, name: str, key: float) -> Row:
        c_min, i_min = period_min[mid]
        yc, yi = ytd_min[mid]
        return Row(
            name,
            [
                f.pct(key),
                f.hours(c_min),
                f.hours(i_min),
                f.hours(c_min + i_min),
                f.hours(p_share[mid][0]),
                f.signed_hours(p_share[mid][1]),
                f.hours(yc + yi),
                f.hours(y_share[mid][0]),
                f.signed_hours(y_share[mid][1]),
            ],
            mid,
        )

    hour_rows = [hours_row(mid, name, key) for mid, _c, name, key in munis]
    reg_p = data.regional_minutes
    reg_y = data.ytd_indirect_minutes.get(None, 0)
    blank = f.text("")
    hour_rows.append(
        Row(
            _("Regionaal (zonder gemeente)"),
            [
                blank,
                f.hours(0),
                f.hours(reg_p),
                f.hours(reg_p),
                blank,
                blank,
                f.hours(reg_y),
                blank,
                blank,
            ],
        )
    )
    tot_c = sum(v[0] for v in period_min.values())
    tot_i = sum(v[1] for v in period_min.values()) + reg_p
    tot_y = sum(sum(v) for v in ytd_min.values()) + reg_y
    hours = Table(
        "Uren",
        _("Uren per gemeente"),
        hours_head,
        hour_rows,
        Row(
            total_label,
            [
                f.pct(sum(m[3] for m in munis)),
                f.hours(tot_c),
                f.hours(tot_i),
                f.hours(tot_c + tot_i),
                blank,
                blank,
                f.hours(tot_y),
                blank,
                blank,
            ],
        ),
        note=_(
            "Eerlijk deel: het deel van de uren op gemeenten dat bij de MGR-sleutel hoort. "
            "Regionale uren staan op een eigen regel en tellen niet mee in het eerlijke deel."
        ),
        unit="hours",
        wide=True,
    )

    kinds = data.indirect_kinds
    ind_rows = []
    for mid, _c, name, _k in munis:
        ind_rows.append(Row(name, [f.hours(data.indirect.get((mid, k.id), 0)) for k in kinds], mid))
    ind_rows.append(
        Row(
            _("Regionaal (zonder gemeente)"),
            [f.hours(data.indirect.get((None, k.id), 0)) for k in kinds],
        )
    )
    indirect = Table(
        "Indirect",
        _("Indirecte uren per soort"),
        [muni_label, *[k.label for k in kinds]],
        ind_rows,
        Row(
            total_label,
            [
                f.hours(sum(v for (_m, kid), v in data.indirect.items() if kid == k.id))
                for k in kinds
            ],
        ),
        unit="hours",
        wide=True,
    )

    # ------------------------------------------------------------------ residents
    def count_table(
        key: str, sheet: str, title: str, head: list[str], note: str = "", wide: bool = False
    ) -> Table:
        ct = count_tables[key]
        rows = [
            Row(name, cells(key, k, ct.row_totals), mid)
            for k, (mid, _c, name, _key) in enumerate(munis)
        ]
        total = None
        if ct.col_totals:
            total = Row(total_label, cells(key, ct.n_rows, ct.row_totals))
        return Table(sheet, title, head, rows, total, note, "count", wide)

    residents = count_table(
        "residents",
        "Inwoners",
        _("Bereikte inwoners: nieuw en bekend"),
        [muni_label, _("Nieuw"), _("Bekend"), _("Inwoners")],
        _("Nieuw: voor het eerst gesproken door deze ervaringsdeskundige."),
    )
    month_labels = [_month_label(t, m) for m in data.months]
    months_t = count_table(
        "months",
        "Per maand",
        _("Bereikte inwoners per maand"),
        [muni_label, *month_labels, total_label],
        wide=nm > 6,
    )
    themes_t = count_table(
        "themes",
        "Thema's",
        _("Bereikte inwoners per thema"),
        [muni_label, *[th.label for th in themes]],
        _(
            "Een contact telt mee bij elk thema dat erbij hoort. "
            "Daarom is er geen totaal per gemeente."
        ),
        wide=True,
    )
    act_contacts = count_table(
        "activities",
        "Activiteiten",
        _("Contacten per soort inzet"),
        [muni_label, *[a.label for a in acts], total_label],
        wide=True,
    )
    act_hours = Table(
        "Activiteiten uren",
        _("Uren per soort inzet"),
        [muni_label, *[a.label for a in acts], total_label],
        [
            Row(
                name,
                [f.hours(data.by_muni_activity.get((mid, a.id), zero).minutes) for a in acts]
                + [f.hours(bm(mid).minutes)],
                mid,
            )
            for mid, _c, name, _k in munis
        ],
        Row(
            total_label,
            [
                f.hours(
                    sum(v.minutes for (_m, aid), v in data.by_muni_activity.items() if aid == a.id)
                )
                for a in acts
            ]
            + [f.hours(sum(v.minutes for v in data.by_muni.values()))],
        ),
        unit="hours",
        wide=True,
    )
    referrals = count_table(
        "referrals",
        "Toeleiding",
        _("Toeleiding en warme overdracht, per organisatie"),
        [muni_label, *[r.label for r in targets], total_label],
        wide=True,
    )
    muni_names = {m[0]: m[2] for m in munis}
    vindplekken = Table(
        "Vindplekken",
        _("Gebruikte vindplekken"),
        [_("Vindplek"), muni_label, _("Contacten"), _("Uren")],
        [
            Row(
                name,
                [
                    f.text(muni_names.get(muni_id, "")),
                    count_cell("vindplekken", (k, 0)),
                    f.hours(cnt.minutes),
                ],
                muni_id,
            )
            for k, ((_pid, muni_id, name), cnt) in enumerate(places)
        ],
        unit="mixed",
    )

    sig_head = [muni_label, *[kd.label for kd in kinds_s], total_label]
    sig_note = _(
        "Signalen in een groep die als <{n} of * staat, staan niet in dit rapport (wel in de "
        "interne versie): hun aantal zou anders te tellen zijn."
    ).format(n=threshold)
    signal_counts = Table(
        "Signalen aantal",
        _("Signalen per soort"),
        sig_head,
        [
            *[Row(name, cells("signals", k), mid) for k, (mid, _c, name, _k) in enumerate(munis)],
            Row(_("Regionaal (zonder gemeente)"), cells("signals", nmu)),
        ],
        Row(total_label, cells("signals", nmu + 1)) if data.region else None,
        sig_note,
        wide=True,
    )

    # ------------------------------------------------------------------ summary (all side by side)
    summary_rows = []
    for k, (mid, _c, name, _key) in enumerate(munis):
        c_min, i_min = period_min[mid]
        summary_rows.append(
            Row(
                name,
                [
                    f.hours(c_min + i_min),
                    f.hours(p_share[mid][0]),
                    f.signed_hours(p_share[mid][1]),
                    count_cell("activities", (k, na)),
                    count_cell("residents", (k, 2)),
                    count_cell("residents", (k, 0)),
                ],
                mid,
            )
        )
    summary = Table(
        "Overzicht",
        _("Alle gemeenten naast elkaar"),
        [
            muni_label,
            _("Uren"),
            _("Eerlijk deel"),
            _("Verschil"),
            _("Contacten"),
            _("Inwoners"),
            _("Nieuw"),
        ],
        summary_rows,
        Row(
            total_label,
            [
                f.hours(tot_c + tot_i - reg_p),
                blank,
                blank,
                count_cell("activities", (nmu, na)),
                count_cell("residents", (nmu, 2)),
                count_cell("residents", (nmu, 0)),
            ],
        ),
        note=_("Regionale uren: {hours} uur (niet verdeeld over de gemeenten).").format(
            hours=t.number(round(reg_p / 60, 1), 1)
        ),
        unit="mixed",
    )

    # ------------------------------------------------------------------ notes
    theme_names = {th.id: th.label for th in themes}
    kind_names = {k.id: k.label for k in data.signal_kinds}

    kind_col = {kd.id: j for j, kd in enumerate(kinds_s)}

    def listed(sgn: NoteRow) -> bool:
        """A signal's text is listed only where its count is shown: the list of texts tells
        how many there are, so a hidden count ("<5" or "*") hides its texts too (they are in
        the internal version)."""
        if internal or sgn.kind_id not in kind_col:
            return True
        unit = "signals:region" if sgn.municipality_id is None else f"signals:{sgn.municipality_id}"
        return unit in count_tables and not plan.mark(unit, (0, kind_col[sgn.kind_id]))

    def signal_notes(muni_id: int | None) -> list[Note]:
        out = []
        for sgn in data.signals:
            if muni_id is not None and sgn.municipality_id not in (None, muni_id):
                continue
            if not listed(sgn):
                continue
            tags = [kind_names.get(sgn.kind_id or 0, ""), theme_names.get(sgn.theme_id or 0, "")]
            tags.append(muni_names.get(sgn.municipality_id or 0, region))
            out.append(Note(" · ".join(x for x in tags if x), sgn.text))
        return out

    def story_notes(muni_id: int | None) -> list[Note]:
        out = []
        for story in data.stories:
            if muni_id is not None and muni_id not in story.selected_for:
                continue
            tags = [muni_names.get(m, "") for m in story.selected_for]
            if story.theme_id:
                tags.append(theme_names.get(story.theme_id, ""))
            out.append(Note(" · ".join(x for x in tags if x), story.text))
        return out

    def dop_sections(muni_id: int | None) -> list[dict[str, object]]:
        out: list[dict[str, object]] = []
        last_day = data.measures_as_of or data.period.end_inclusive
        for k, d in enumerate(dops):
            if muni_id is not None and d.municipality_id != muni_id:
                continue
            cnt = data.by_deelopdracht.get(d.id, zero)
            out.append(
                {
                    "title": d.title,
                    "municipality": muni_names.get(d.municipality_id, ""),
                    "fields": [
                        [_("Doelen"), d.goals],
                        [_("Zo volgen we het"), d.monitoring],
                        [_("Hoe vaak"), d.frequency],
                        [_("Zo leggen we verantwoording af"), d.accounting],
                    ],
                    "figures": [
                        [_("Contacten"), count_cell("deelopdrachten", (k, 0)).text],
                        [_("Uren"), f.hours(cnt.minutes).text],
                        [_("Inwoners"), count_cell("deelopdrachten", (k, 1)).text],
                        [_("Nieuw"), count_cell("deelopdrachten", (k, 2)).text],
                    ],
                    **measure_rows(t, data.deel_measures.get(d.id, []), last_day, f),
                }
            )
        return out

    # ------------------------------------------------------------------ texts
    below = f"<{threshold}"
    definitions = [
        (_("Uren"), _("Contacturen plus indirecte uren die op de gemeente zijn geschreven.")),
        (
            _("Indirecte uren"),
            _(
                "Uren zonder inwoner erbij: overleg, scholing, reistijd, administratie, "
                "voorbereiding."
            ),
        ),
        (
            _("Regionale uren"),
            _(
                "Indirecte uren zonder gemeente. Ze staan apart en tellen niet mee in het "
                "eerlijke deel."
            ),
        ),
        (
            _("Eerlijk deel"),
            _(
                "Het deel van de uren op gemeenten dat bij de MGR-verdeelsleutel van de gemeente "
                "hoort. Verschil = uren min eerlijk deel. Afwijken mag als dat is afgesproken."
            ),
        ),
        (_("Contact"), _("Een gesprek of activiteit met een of meer inwoners.")),
        (
            _("Inwoners"),
            _(
                "Het aantal inwoners bij alle contacten samen. Een groep van 8 telt als 8. "
                "Spreekt een ervaringsdeskundige iemand vaker, dan telt die persoon bij elk "
                "contact mee: dat zijn herhaalde contacten, geen nieuwe inwoners."
            ),
        ),
        (_("Nieuw"), _("Voor het eerst gesproken door deze ervaringsdeskundige.")),
        (_("Bekend"), _("Inwoners min nieuw: al eerder gesproken door deze ervaringsdeskundige.")),
        (
            _("Thema"),
            _("Een contact kan over meer thema's gaan en telt dan bij elk thema mee."),
        ),
        (
            _("Toeleiding"),
            _(
                "Per organisatie het aantal contacten met een verwijzing of warme overdracht "
                "daarheen. Een contact kan naar meer organisaties gaan en telt dan bij elk mee. "
                "Het totaal is dus het aantal verwijzingen, niet het aantal contacten."
            ),
        ),
        (
            below,
            _("Een aantal van 1 tot en met {n}. Kleine aantallen tonen we niet precies.").format(
                n=threshold - 1
            ),
        ),
        (
            "*",
            _("Verborgen, zodat een klein aantal niet terug te rekenen is uit de totalen."),
        ),
    ]
    how_to_read = [
        _(
            "Dit rapport gaat over de inzet van de ervaringsdeskundigen in de periode {period}."
        ).format(period=data.period.label),
        _(
            "Per gemeente ziet u de uren naast het eerlijke deel volgens de MGR-sleutel, het "
            "aantal bereikte inwoners per thema en per maand, de soort inzet, de vindplekken, "
            "de toeleiding, verhalen, signalen en de deelopdrachten."
        ),
        _(
            "Inwoners staan nooit met naam in de gegevens. Kleine aantallen (1 tot en met {n}) "
            "staan er als {below}. Een * betekent: verborgen, zodat een klein aantal niet terug te "
            "rekenen is. Uren tonen we altijd precies."
        ).format(n=threshold - 1, below=below),
        _(
            "De cijfers zijn gemaakt op het moment dat onder aan elke bladzijde staat. Een "
            "correctie die later is gedaan, staat er dan al in."
        ),
    ]
    if internal:
        how_to_read.append(
            _("Dit is de interne versie: alle aantallen zijn precies. Niet doorsturen.")
        )

    # ------------------------------------------------------------------ per municipality
    parts: dict[int, MuniPart] = {}
    for k, (mid, code, name, key) in enumerate(munis):
        c_min, i_min = period_min[mid]
        yc, yi = ytd_min[mid]
        mh_rows = [
            Row(_("Contacturen"), [f.hours(c_min), f.hours(yc)]),
            *[
                Row(
                    _("Indirect: {kind}").format(kind=kd.label),
                    [f.hours(data.indirect.get((mid, kd.id), 0)), blank],
                )
                for kd in kinds
                if data.indirect.get((mid, kd.id), 0)
            ],
            Row(_("Indirecte uren"), [f.hours(i_min), f.hours(yi)]),
            Row(_("Uren totaal"), [f.hours(c_min + i_min), f.hours(yc + yi)]),
            Row(
                _("Eerlijk deel ({pct} MGR-sleutel)").format(pct=f.pct(key).text),
                [f.hours(p_share[mid][0]), f.hours(y_share[mid][0])],
            ),
            Row(_("Verschil"), [f.signed_hours(p_share[mid][1]), f.signed_hours(y_share[mid][1])]),
        ]
        m_hours = Table(
            "Uren",
            _("Uren"),
            ["", _("Deze periode"), _("Dit jaar tot en met de periode")],
            mh_rows,
            unit="hours",
        )
        tk = f"themes:{mid}"
        m_themes = Table(
            "Thema's",
            _("Bereikte inwoners per thema"),
            [_("Thema"), _("Nieuw"), _("Bekend"), _("Inwoners")],
            [
                Row(th.label, cells(tk, j))
                for j, th in enumerate(themes)
                if count_tables[tk].value((j, 2))
            ],
            note=_("Een contact telt mee bij elk thema dat erbij hoort."),
        )
        mk = f"months:{mid}"
        m_months = Table(
            "Per maand",
            _("Bereikte inwoners per maand"),
            [_("Maand"), _("Nieuw"), _("Bekend"), _("Inwoners")],
            [Row(month_labels[j], cells(mk, j)) for j in range(nm)],
            Row(total_label, cells(mk, nm)),
        )
        m_acts = Table(
            "Activiteiten",
            _("Soort inzet"),
            [_("Soort inzet"), _("Contacten"), _("Uren")],
            [
                Row(
                    a.label,
                    [
                        count_cell("activities", (k, j)),
                        f.hours(data.by_muni_activity.get((mid, a.id), zero).minutes),
                    ],
                )
                for j, a in enumerate(acts)
                if data.by_muni_activity.get((mid, a.id))
            ],
            Row(total_label, [count_cell("activities", (k, na)), f.hours(c_min)]),
            unit="mixed",
        )
        ref_ct = count_tables["referrals"]
        m_refs = Table(
            "Toeleiding",
            _("Toeleiding en warme overdracht"),
            [_("Naar"), _("Contacten")],
            [
                Row(r.label, [count_cell("referrals", (k, j))])
                for j, r in enumerate(targets)
                if ref_ct.value((k, j))
            ],
            Row(total_label, [count_cell("referrals", (k, nr))]),
        )
        m_signals = Table(
            "Signalen aantal",
            _("Signalen per soort"),
            [_("Soort"), _("Signalen")],
            [Row(kd.label, [count_cell(f"signals:{mid}", (0, j))]) for j, kd in enumerate(kinds_s)],
            Row(total_label, [count_cell(f"signals:{mid}", (0, len(kinds_s)))]),
            sig_note,
        )
        m_places = Table(
            "Vindplekken",
            _("Gebruikte vindplekken"),
            [_("Vindplek"), _("Contacten"), _("Uren")],
            [Row(r.label, r.cells[1:], mid) for r in vindplekken.rows if r.muni_id == mid],
            unit="mixed",
        )
        parts[mid] = MuniPart(
            mid,
            code,
            name,
            m_hours,
            m_themes,
            m_months,
            m_acts,
            m_refs,
            m_places,
            data.narratives.get(mid, ""),
            story_notes(mid),
            signal_notes(mid),
            dop_sections(mid),
            m_signals,
        )

    from babel.dates import format_datetime

    produced = format_datetime(now.astimezone(tz), "d MMMM y 'om' HH:mm", locale=t.locale)
    chart_hours = [
        (name, round(sum(period_min[mid]) / 60, 1), round(p_share[mid][0] / 60, 1))
        for mid, _c, name, _k in sorted(munis, key=lambda m: (-m[3], m[2]))
    ]
    mt, mmk = count_tables["months"], marks["months"]
    chart_months: list[tuple[str, int | None, int | None]] = []
    for j, lbl in enumerate(month_labels):
        # Region per month: the column totals of the month table (shown or hidden there).
        total = mt.value((nmu, j))
        chart_months.append((lbl, None if mmk[(nmu, j)] else total, None))
    return Report(
        pool=_("Pool ervaringsdeskundigen Noord- en Midden-Limburg"),
        period_label=data.period.label,
        period_key=data.period.key,
        produced=produced,
        internal=internal,
        threshold=threshold,
        summary=summary,
        hours=hours,
        indirect=indirect,
        residents=residents,
        months=months_t,
        themes=themes_t,
        activities=act_contacts,
        activity_hours=act_hours,
        referrals=referrals,
        vindplekken=vindplekken,
        signals=signal_notes(None),
        stories=story_notes(None),
        narrative=data.narratives.get(None, ""),
        deelopdrachten=dop_sections(None),
        definitions=definitions,
        how_to_read=how_to_read,
        munis=parts,
        chart_hours=chart_hours,
        chart_months=chart_months,
        signal_counts=signal_counts,
        plan=plan,
        ledger=None if ledger is None else ledger_table(ledger, f),
    )


def ledger_table(ledger: Ledger, f: _Fmt) -> Table:
    """Planned (MGR key plus agreed deviations), realised and the difference, 1 January up to
    the period's last day (bot.domain.ledger)."""
    _ = f.t._

    def row(label: str, key: float | None, planned: float, done: float, mid: int | None) -> Row:
        cells = [f.pct(key), f.hours(planned * 60), f.hours(done * 60)]
        return Row(label, [*cells, f.signed_hours((done - planned) * 60)], mid)

    rows = [row(r.name, r.key_pct, r.planned, r.realised, r.municipality_id) for r in ledger.rows]
    if not ledger.spread:
        rows.append(row(_("Regionaal (zonder gemeente)"), None, 0.0, ledger.regional, None))
    note = _(
        "Gepland: het jaarbudget van {budget} uur volgens de MGR-sleutel, dag voor dag, plus "
        "afgesproken afwijkingen. Tot en met {day}."
    ).format(budget=f.t.number(ledger.budget, 0), day=f.t.fmt_date(ledger.as_of))
    if ledger.under_pace:
        note += " " + _("De pool loopt achter op het budget: minder uren worden verrekend.")
    return Table(
        "Jaarbudget",
        _("Jaarbudget {year}: gepland en gerealiseerd").format(year=ledger.year),
        [_("Gemeente"), _("MGR-sleutel"), _("Gepland"), _("Gerealiseerd"), _("Verschil")],
        rows,
        row(_("Totaal"), None, ledger.planned, ledger.realised, None),
        note,
        unit="hours",
    )


def report_tables(report: Report, muni_ids: set[int] | None = None) -> list[Table]:
    """Every table the files of this report show (the PDFs and the workbook): the region's
    (restricted to `muni_ids` as the workbook is) and each municipality's own."""
    region = [
        report.summary,
        report.hours,
        report.indirect,
        report.residents,
        report.months,
        report.themes,
        report.activities,
        report.activity_hours,
        report.referrals,
        report.vindplekken,
    ]
    if report.signal_counts is not None:
        region.append(report.signal_counts)
    out = [tb.only(muni_ids) for tb in region]
    for mid, p in report.munis.items():
        if muni_ids is None or mid in muni_ids:
            out += [p.hours, p.themes, p.months, p.activities, p.referrals, p.vindplekken]
            out.append(p.signal_counts)
    return out


def check_report(report: Report, muni_ids: set[int] | None = None) -> list[str]:
    """Problems with the counts as the files show them (bot.report.plan.check): empty when no
    hidden count can be worked out from all the tables of the report together."""
    from bot.report.plan import check

    assert report.plan is not None
    shown = [
        (c.ref, c.text)
        for tb in report_tables(report, muni_ids)
        for row in [*tb.rows, *([tb.total] if tb.total else [])]
        for c in row.cells
        if c.ref is not None
    ]
    p = report.plan
    refs: set[Ref] = {r for r, _t in shown} | {q for e in p.equations for q in (*e[0], e[1])}
    values = {r: p.value(r) for r in refs}
    return check(shown, values, p.equations, report.threshold)
