"""Suppression checked jointly across all tables of one report.

Random figures for a few municipalities go through the report's own assembly (the tables the
PDF and the XLSX get); then a brute-force reader, independent of the module's search, tries
every other set of underlying counts (each one moved by -1, 0 or +1) that fits everything
published: every shown number, every "<5" (1..4), every "*" (a count of 5 or more, or a total
that may be withheld) and all the sums between the tables. No "<5" may have one value only.
Also: a municipality's cells look the same in a report of it alone and in the full pack.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain.counts import Counts
from bot.domain.periods import parse_period, year_to_date
from bot.i18n import translator
from bot.report.build import Report, assemble, check_report, report_tables
from bot.storage.report_queries import Label, NoteRow, ReportData

T = 5
PERIOD = parse_period(van="2026-01-01", tot="2026-02-28")  # two months
THEMES = [Label(1, "a", "armoede", 1), Label(2, "b", "schulden", 2)]
ACTS = [Label(1, "g", "gesprek", 1), Label(2, "w", "wandeling", 2)]
KINDS = [Label(1, "k", "knelpunt", 1), Label(2, "s", "kans", 2)]
MONTHS = ["2026-01", "2026-02"]

count = st.one_of(st.just(0), st.integers(1, 4), st.integers(5, 9))


@st.composite
def figures(draw):
    n = draw(st.integers(2, 3))
    munis = [(i + 1, f"m{i}", f"Gemeente {i}", 100 / n) for i in range(n)]
    data = ReportData(
        period=PERIOD,
        ytd=year_to_date(PERIOD),
        municipalities=munis,
        themes=THEMES,
        activities=ACTS,
        indirect_kinds=[],
        referral_targets=[],
        signal_kinds=KINDS,
        months=PERIOD.months(),
    )
    sid = 0
    for mid, *_r in munis:
        tot = Counts()
        for mon in MONTHS:
            new, known = draw(count), draw(count)
            data.by_muni_month[(mid, mon)] = Counts(60, new + known, new + known, new)
            tot.residents += new + known
            tot.new += new
        for th in THEMES:
            new, known = draw(count), draw(count)
            data.by_muni_theme[(mid, th.id)] = Counts(0, 0, new + known, new)
        for a in ACTS:
            c = draw(count)
            data.by_muni_activity[(mid, a.id)] = Counts(30 * c, c, c, 0)
            tot.contacts += c
            tot.minutes += 30 * c
        data.by_muni[mid] = tot
        data.pool_contact_minutes[mid] = tot.minutes
        for kd in KINDS:
            for _ in range(draw(st.integers(0, 6))):
                sid += 1
                data.signals.append(NoteRow(sid, PERIOD.start, mid, None, kd.id, f"signaal {sid}"))
    return data


def build(data: ReportData) -> Report:
    return assemble(
        data,
        translator("nl"),
        threshold=T,
        internal=False,
        now=datetime(2026, 7, 1, tzinfo=UTC),
        tz=ZoneInfo("Europe/Amsterdam"),
    )


def reader_can_work_out(report: Report) -> set:
    """Brute force over the underlying counts (quantities that are no total of any sum)."""
    plan = report.plan
    shown: dict = {}
    for tb in report_tables(report):
        for row in [*tb.rows, *([tb.total] if tb.total else [])]:
            for c in row.cells:
                if c.ref is not None:
                    shown[c.ref] = c.text
    eqs = plan.equations
    totals = {t for _p, t in eqs}
    qs = set(shown) | {q for p, t in eqs for q in (*p, t)}
    value = {q: plan.value(q) for q in qs}
    atoms = sorted(q for q in qs if q not in totals)
    # Atoms tied by sums form groups; each group is enumerated on its own.
    group = {q: q for q in qs}

    def root(q):
        while group[q] != q:
            q = group[q]
        return q

    for parts, total in eqs:
        for q in parts:
            group[root(q)] = root(total)

    def fits(q, v):
        text = shown.get(q)
        if text is None:
            return v >= 0
        if text == f"<{T}":
            return 1 <= v < T
        if text == "*":  # a count of at least T, or a total (maybe withheld: anything)
            return v >= (0 if q in totals else T)
        return v == value[q]

    out = set()
    for g in {root(a) for a in atoms}:
        mine = [a for a in atoms if root(a) == g]
        moving = [a for a in mine if shown.get(a) in (None, "*", f"<{T}")]
        seen: dict = {}
        for steps in itertools.product((-1, 0, 1), repeat=len(moving)):
            v = dict(value)
            for a, d in zip(moving, steps, strict=True):
                v[a] = value[a] + d
            # Totals from their parts, until nothing changes (sums of sums).
            for _ in range(4):
                for parts, total in eqs:
                    if root(total) == g:
                        v[total] = sum(v[p] for p in parts)
            if all(sum(v[p] for p in parts) == v[t] for parts, t in eqs if root(t) == g) and all(
                fits(q, v[q]) for q in qs if root(q) == g
            ):
                for q in qs:
                    if root(q) == g and shown.get(q) == f"<{T}":
                        seen.setdefault(q, set()).add(v[q])
        out |= {q for q, vals in seen.items() if len(vals) == 1}
    return out


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(figures())
def test_no_small_count_can_be_worked_out_from_all_tables_together(data):
    report = build(data)
    assert check_report(report) == []
    assert reader_can_work_out(report) == set()
    # Every small count is hidden, in every table of every file.
    for tb in report_tables(report):
        for row in [*tb.rows, *([tb.total] if tb.total else [])]:
            for c in row.cells:
                if c.ref is not None and not c.hidden:
                    assert not 0 < int(c.value or 0) < T, (tb.key, row.label, c)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(figures())
def test_a_municipality_looks_the_same_alone_and_in_the_pack(data):
    full = build(data)
    mid = data.municipalities[0][0]
    alone = ReportData(**{**data.__dict__, "region": False})
    # Restricted SQL: only this municipality's counts (the others' are not read).
    for name in ("by_muni", "by_muni_activity", "by_muni_theme", "by_muni_month"):
        setattr(
            alone,
            name,
            {
                k: v
                for k, v in getattr(data, name).items()
                if (k[0] if isinstance(k, tuple) else k) == mid
            },
        )
    alone.signals = [sg for sg in data.signals if sg.municipality_id == mid]
    one = build(alone)
    assert check_report(one, {mid}) == []
    a, b = full.munis[mid], one.munis[mid]
    for x, y in ((a.months, b.months), (a.themes, b.themes), (a.activities, b.activities)):
        assert [[c.text for c in r.cells] for r in x.rows] == [
            [c.text for c in r.cells] for r in y.rows
        ]
    assert [n.text for n in a.signals] == [n.text for n in b.signals]
    # The restricted workbook's tables carry no region total.
    assert all(tb.total is None for tb in report_tables(one, {mid})[:11])
