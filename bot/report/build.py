"""From the report's figures (bot.storage.report_queries) to the tables both files show:
suppression decided once for the whole region (bot.report.counts), numbers and dates formatted
in Dutch (Babel), texts through gettext. The PDF and the XLSX render the same `Table`s, so they
can't disagree. The parts: bot.report.model (what a report is), .counts (the counts and their
suppression), .hours (hours and fair shares), .notes (signals, stories, deelopdrachten) and
.texts (definitions, how to read it).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.domain.counts import Counts
from bot.domain.ledger import Ledger
from bot.i18n import Translator
from bot.report import texts
from bot.report.counts import counted, sorted_places
from bot.report.hours import chart_hours, hour_figures, hours_table, indirect_table
from bot.report.model import Cell, Fmt, MuniPart, Note, Report, Row, Table
from bot.report.notes import Notes
from bot.report.plan import Ref
from bot.storage.report_queries import ReportData

__all__ = ["Cell", "MuniPart", "Note", "Report", "Row", "Table", "assemble"]


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
    f = Fmt(t, threshold, internal)
    munis = data.municipalities
    acts = data.activities
    themes = data.themes
    targets = data.referral_targets
    zero = Counts()
    counts = counted(data, f, threshold, internal=internal)
    notes = Notes(data, t, counts, internal)
    nm, na, nr = len(data.months), len(acts), len(targets)
    nmu = len(munis)
    kinds_s = data.signal_kinds
    total_label = _("Totaal")
    muni_label = _("Gemeente")
    blank = f.text("")
    h = hour_figures(data)
    hours = hours_table(data, f, h)
    indirect = indirect_table(data, f)

    # ------------------------------------------------------------------ residents
    def count_table(
        key: str, sheet: str, title: str, head: list[str], note: str = "", wide: bool = False
    ) -> Table:
        ct = counts.tables[key]
        rows = [
            Row(name, counts.cells(key, k, ct.row_totals), mid)
            for k, (mid, _c, name, _key) in enumerate(munis)
        ]
        total = None
        if ct.col_totals:
            total = Row(total_label, counts.cells(key, ct.n_rows, ct.row_totals))
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
    act_head = [muni_label, *[a.label for a in acts], total_label]
    act_contacts = count_table(
        "activities",
        "Activiteiten",
        _("Contacten per soort inzet"),
        act_head,
        wide=True,
    )
    act_hours = Table(
        "Activiteiten uren",
        _("Uren per soort inzet"),
        act_head,
        [
            Row(
                name,
                [f.hours(data.by_muni_activity.get((mid, a.id), zero).minutes) for a in acts]
                + [f.hours(data.by_muni.get(mid, zero).minutes)],
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
                    counts.cell("vindplekken", (k, 0)),
                    f.hours(cnt.minutes),
                ],
                muni_id,
            )
            for k, ((_pid, muni_id, name), cnt) in enumerate(sorted_places(data))
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
            *[
                Row(name, counts.cells("signals", k), mid)
                for k, (mid, _c, name, _k) in enumerate(munis)
            ],
            Row(_("Regionaal (zonder gemeente)"), counts.cells("signals", nmu)),
        ],
        Row(total_label, counts.cells("signals", nmu + 1)) if data.region else None,
        sig_note,
        wide=True,
    )

    # ------------------------------------------------------------------ summary (all side by side)
    summary_rows = []
    for k, (mid, _c, name, _key) in enumerate(munis):
        c_min, i_min = h.period[mid]
        summary_rows.append(
            Row(
                name,
                [
                    f.hours(c_min + i_min),
                    f.hours(h.period_share[mid][0]),
                    f.signed_hours(h.period_share[mid][1]),
                    counts.cell("activities", (k, na)),
                    counts.cell("residents", (k, 2)),
                    counts.cell("residents", (k, 0)),
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
                f.hours(h.contact_total + h.indirect_total - h.regional),
                blank,
                blank,
                counts.cell("activities", (nmu, na)),
                counts.cell("residents", (nmu, 2)),
                counts.cell("residents", (nmu, 0)),
            ],
        ),
        note=_("Regionale uren: {hours} uur (niet verdeeld over de gemeenten).").format(
            hours=t.number(round(h.regional / 60, 1), 1)
        ),
        unit="mixed",
    )

    # ------------------------------------------------------------------ per municipality
    parts: dict[int, MuniPart] = {}
    for k, (mid, code, name, key) in enumerate(munis):
        c_min, i_min = h.period[mid]
        yc, yi = h.ytd[mid]
        mh_rows = [
            Row(_("Contacturen"), [f.hours(c_min), f.hours(yc)]),
            *[
                Row(
                    _("Indirect: {kind}").format(kind=kd.label),
                    [f.hours(data.indirect.get((mid, kd.id), 0)), blank],
                )
                for kd in data.indirect_kinds
                if data.indirect.get((mid, kd.id), 0)
            ],
            Row(_("Indirecte uren"), [f.hours(i_min), f.hours(yi)]),
            Row(_("Uren totaal"), [f.hours(c_min + i_min), f.hours(yc + yi)]),
            Row(
                _("Eerlijk deel ({pct} MGR-sleutel)").format(pct=f.pct(key).text),
                [f.hours(h.period_share[mid][0]), f.hours(h.ytd_share[mid][0])],
            ),
            Row(
                _("Verschil"),
                [f.signed_hours(h.period_share[mid][1]), f.signed_hours(h.ytd_share[mid][1])],
            ),
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
                Row(th.label, counts.cells(tk, j))
                for j, th in enumerate(themes)
                if counts.tables[tk].value((j, 2))
            ],
            note=_("Een contact telt mee bij elk thema dat erbij hoort."),
        )
        mk = f"months:{mid}"
        m_months = Table(
            "Per maand",
            _("Bereikte inwoners per maand"),
            [_("Maand"), _("Nieuw"), _("Bekend"), _("Inwoners")],
            [Row(month_labels[j], counts.cells(mk, j)) for j in range(nm)],
            Row(total_label, counts.cells(mk, nm)),
        )
        m_acts = Table(
            "Activiteiten",
            _("Soort inzet"),
            [_("Soort inzet"), _("Contacten"), _("Uren")],
            [
                Row(
                    a.label,
                    [
                        counts.cell("activities", (k, j)),
                        f.hours(data.by_muni_activity.get((mid, a.id), zero).minutes),
                    ],
                )
                for j, a in enumerate(acts)
                if data.by_muni_activity.get((mid, a.id))
            ],
            Row(total_label, [counts.cell("activities", (k, na)), f.hours(c_min)]),
            unit="mixed",
        )
        ref_ct = counts.tables["referrals"]
        m_refs = Table(
            "Toeleiding",
            _("Toeleiding en warme overdracht"),
            [_("Naar"), _("Contacten")],
            [
                Row(r.label, [counts.cell("referrals", (k, j))])
                for j, r in enumerate(targets)
                if ref_ct.value((k, j))
            ],
            Row(total_label, [counts.cell("referrals", (k, nr))]),
        )
        m_signals = Table(
            "Signalen aantal",
            _("Signalen per soort"),
            [_("Soort"), _("Signalen")],
            [
                Row(kd.label, [counts.cell(f"signals:{mid}", (0, j))])
                for j, kd in enumerate(kinds_s)
            ],
            Row(total_label, [counts.cell(f"signals:{mid}", (0, len(kinds_s)))]),
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
            notes.stories(mid),
            notes.signals(mid),
            notes.deelopdrachten(mid),
            m_signals,
        )

    from babel.dates import format_datetime

    produced = format_datetime(now.astimezone(tz), "d MMMM y 'om' HH:mm", locale=t.locale)
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
        signals=notes.signals(None),
        stories=notes.stories(None),
        narrative=data.narratives.get(None, ""),
        deelopdrachten=notes.deelopdrachten(None),
        definitions=texts.definitions(t, threshold),
        how_to_read=texts.how_to_read(t, data.period.label, threshold, internal),
        munis=parts,
        chart_hours=chart_hours(data, h),
        chart_months=counts.region_months(month_labels),
        signal_counts=signal_counts,
        plan=counts.plan,
        ledger=None if ledger is None else ledger_table(ledger, f),
    )


def ledger_table(ledger: Ledger, f: Fmt) -> Table:
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
