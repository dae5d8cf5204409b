"""The workbook: a sheet per table, a definitions sheet, native Excel charts (XlsxWriter).

Counts are numbers; a hidden count ("<5", "*") is written as that text, so a sum in Excel can't
bring it back. Hours are numbers with one decimal."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from typing import Any, cast

from bot.i18n import Translator
from bot.report.build import Cell, Note, Report, Table


def _sheet_name(name: str, used: set[str]) -> str:
    base = "".join(ch for ch in name if ch not in "[]:*?/\\")[:31] or "Blad"
    out, k = base, 2
    while out.lower() in used:
        out = f"{base[:28]}_{k}"
        k += 1
    used.add(out.lower())
    return out


def _unique(notes: Sequence[Note]) -> list[Note]:
    seen: set[tuple[str, str]] = set()
    out = []
    for n in notes:
        if (n.title, n.text) not in seen:
            seen.add((n.title, n.text))
            out.append(n)
    return out


def _pairs(value: object) -> list[list[object]]:
    """A deelopdracht's "fields"/"figures": [label, value] pairs (typed `object` in the dict)."""
    return cast("list[list[object]]", value)


def render_xlsx(report: Report, t: Translator, muni_ids: set[int] | None) -> bytes:
    import xlsxwriter  # type: ignore[import-untyped]  # ships no stubs or py.typed

    _ = t._
    buf = BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    wb.set_properties(
        {"title": report.pool, "subject": report.period_label, "comments": report.produced}
    )
    bold = wb.add_format({"bold": True})
    title_f = wb.add_format({"bold": True, "font_size": 14})
    small = wb.add_format({"italic": True, "font_color": "#555555"})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    head_f = wb.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "bottom"})
    int_f = wb.add_format({"num_format": "#,##0"})
    hour_f = wb.add_format({"num_format": "#,##0.0"})
    pct_f = wb.add_format({"num_format": "0.00"})
    text_r = wb.add_format({"align": "right"})
    tot_int = wb.add_format({"num_format": "#,##0", "bold": True, "top": 1})
    tot_hour = wb.add_format({"num_format": "#,##0.0", "bold": True, "top": 1})
    tot_text = wb.add_format({"bold": True, "top": 1, "align": "right"})
    red = wb.add_format({"bold": True, "font_color": "#b71c1c"})
    used: set[str] = set()

    def banner(ws: Any, row: int) -> int:  # an xlsxwriter Worksheet (untyped library)
        ws.write(row, 0, f"{report.pool} · {report.period_label}", small)
        ws.write(row + 1, 0, _("Gemaakt op {when}").format(when=report.produced), small)
        if report.internal:
            ws.write(row + 2, 0, _("INTERN: precieze aantallen, niet doorsturen"), red)
            return row + 3
        return row + 2

    def write_cells(
        ws: Any,
        row: int,
        cells: Sequence[Cell],
        text_f: Any,
        hidden_f: Any,
        hour_f: Any,
        int_f: Any,
    ) -> None:
        """One row's cells from column 1: a hidden or empty count as its text, a percentage,
        hours or a count as a number (`*_f`: the xlsxwriter formats of this kind of row)."""
        for j, c in enumerate(cells, 1):
            if c.hidden or c.value is None or isinstance(c.value, str):
                ws.write_string(row, j, c.text, hidden_f if c.hidden else text_f)
            elif c.text.endswith("%"):
                ws.write_number(row, j, float(c.value), pct_f)
            elif isinstance(c.value, float):
                ws.write_number(row, j, float(c.value), hour_f)
            else:
                ws.write_number(row, j, c.value, int_f)

    def write_table(tb: Table) -> tuple[str, int, int, int]:
        """Returns (sheet, first data row, last data row, number of columns)."""
        tb = tb.only(muni_ids)
        name = _sheet_name(tb.key, used)
        ws = wb.add_worksheet(name)
        ws.write(0, 0, tb.title, title_f)
        row = banner(ws, 1) + 1
        for j, h in enumerate(tb.head):
            ws.write(row, j, h, head_f)
        ws.set_row(row, 45)
        ws.set_column(0, 0, 34)
        ws.set_column(1, len(tb.head), 12)
        first = row + 1
        rows = list(tb.rows)
        for r in rows:
            row += 1
            ws.write(row, 0, r.label)
            write_cells(ws, row, r.cells, None, text_r, hour_f, int_f)
        last = row
        if tb.total is not None:
            row += 1
            ws.write(row, 0, tb.total.label, bold)
            write_cells(ws, row, tb.total.cells, tot_text, tot_text, tot_hour, tot_int)
        if tb.note:
            ws.write(row + 2, 0, tb.note, small)
        ws.freeze_panes(first, 1)
        return name, first, last, len(tb.head)

    def notes_sheet(key: str, title: str, notes: Sequence[Note]) -> None:
        ws = wb.add_worksheet(_sheet_name(key, used))
        ws.write(0, 0, title, title_f)
        row = banner(ws, 1) + 1
        ws.write(row, 0, _("Over"), head_f)
        ws.write(row, 1, _("Tekst"), head_f)
        ws.set_column(0, 0, 34)
        ws.set_column(1, 1, 100, wrap)
        for n in notes:
            row += 1
            ws.write(row, 0, n.title, wrap)
            ws.write(row, 1, n.text, wrap)

    # The summary first, with the chart of hours against the fair share.
    name, first, last, _n = write_table(report.summary)
    ws = wb.get_worksheet_by_name(name)
    chart = wb.add_chart({"type": "bar"})
    chart.add_series(
        {
            "name": _("Uren"),
            "categories": [name, first, 0, last, 0],
            "values": [name, first, 1, last, 1],
        }
    )
    chart.add_series(
        {
            "name": _("Eerlijk deel"),
            "categories": [name, first, 0, last, 0],
            "values": [name, first, 2, last, 2],
        }
    )
    chart.set_title({"name": _("Uren per gemeente naast het eerlijke deel")})
    chart.set_size({"width": 720, "height": 480})
    ws.insert_chart(last + 4, 0, chart)

    for tb in (report.hours, *report.ledger_tables(), report.indirect, report.residents):
        write_table(tb)
    name, first, last, ncol = write_table(report.months)
    if ncol > 2:
        ws = wb.get_worksheet_by_name(name)
        chart = wb.add_chart({"type": "column", "subtype": "stacked"})
        for r in range(first, last + 1):
            chart.add_series(
                {
                    "name": [name, r, 0],
                    "categories": [name, first - 1, 1, first - 1, ncol - 2],
                    "values": [name, r, 1, r, ncol - 2],
                }
            )
        chart.set_title({"name": _("Bereikte inwoners per maand")})
        chart.set_size({"width": 720, "height": 420})
        ws.insert_chart(last + 5, 0, chart)
    more: tuple[Table | None, ...] = (
        report.themes,
        report.activities,
        report.activity_hours,
        report.referrals,
        report.vindplekken,
        report.signal_counts,
    )
    for extra in more:
        if extra is not None:
            write_table(extra)

    wanted = (
        report.munis
        if muni_ids is None
        else {k: v for k, v in report.munis.items() if k in muni_ids}
    )
    stories = report.stories
    signals = report.signals
    dops = report.deelopdrachten
    if muni_ids is not None:
        stories = [n for p in wanted.values() for n in p.stories]
        signals = [n for p in wanted.values() for n in p.signals]
        dops = [d for p in wanted.values() for d in p.deelopdrachten]
        # A regional signal (or a story chosen for two of them) is listed once.
        signals, stories = _unique(signals), _unique(stories)
    notes_sheet("Verhalen", _("Verhalen"), stories)
    narratives = (
        [Note(_("Regio"), report.narrative)] if report.narrative and muni_ids is None else []
    )
    narratives += [Note(p.name, p.narrative) for p in wanted.values() if p.narrative]
    notes_sheet("Meerwaarde", _("Meerwaarde per gemeente"), narratives)
    notes_sheet("Signalen", _("Signalen per soort en thema"), signals)

    ws = wb.add_worksheet(_sheet_name("Deelopdrachten", used))
    ws.write(0, 0, _("Deelopdrachten"), title_f)
    row = banner(ws, 1) + 1
    head = [_("Deelopdracht"), _("Gemeente")]
    if dops:
        head += [str(f[0]) for f in _pairs(dops[0]["fields"])]
        head += [str(f[0]) for f in _pairs(dops[0]["figures"])]
    for j, h in enumerate(head):
        ws.write(row, j, h, head_f)
    ws.set_column(0, 1, 24)
    ws.set_column(2, 5, 40, wrap)
    for d in dops:
        row += 1
        values = (
            [d["title"], d["municipality"]]
            + [f[1] for f in _pairs(d["fields"])]
            + [f[1] for f in _pairs(d["figures"])]
        )
        numbers: list[float | int | None] = [None] * (len(values) - len(_pairs(d["figures"])))
        numbers += cast("list[float | int | None]", d.get("figure_numbers", []))
        for j, v in enumerate(values):
            number = numbers[j] if j < len(numbers) else None
            if number is not None:  # a count or hours, as a number (a hidden one: its text)
                ws.write_number(row, j, number, hour_f if isinstance(number, float) else int_f)
            else:
                ws.write_string(row, j, str(v), wrap if 2 <= j <= 5 else text_r if j > 5 else None)

    formats = {"count": int_f, "hours": hour_f, "percent": wb.add_format({"num_format": "0%"})}
    _measures_sheet(wb, _sheet_name("Doelen", used), dops, title_f, head_f, banner, t, formats)

    ws = wb.add_worksheet(_sheet_name(_("Definities"), used))
    ws.write(0, 0, _("Wat betekent wat"), title_f)
    row = banner(ws, 1) + 1
    ws.set_column(0, 0, 24)
    ws.set_column(1, 1, 100, wrap)
    for line in report.how_to_read:
        ws.write(row, 1, line, wrap)
        row += 1
    row += 1
    for term, text in report.definitions:
        ws.write(row, 0, term, bold)
        ws.write(row, 1, text, wrap)
        row += 1
    wb.close()
    return buf.getvalue()


def _measures_sheet(
    wb: Any,
    name: str,
    dops: list[dict[str, object]],
    title_f: Any,
    head_f: Any,
    banner: Any,
    t: Translator,
    formats: dict[str, Any],
) -> None:
    """Section e's measures (bot.report.deel_measures): a row per measure of each deelopdracht,
    value against target on the period's last day, as the PDF shows them. Value and target are
    numbers in the measure's unit (`formats`: unit -> xlsxwriter format; a percentage as a
    fraction shown as "59%"); a value the report hides ("<5", "basis <5") is its text."""
    _ = t._
    ws = wb.add_worksheet(name)
    ws.write(0, 0, _("Doelen van de deelopdrachten"), title_f)
    row = banner(ws, 1) + 1
    head = [_("Deelopdracht"), _("Gemeente")]
    if dops and dops[0].get("measures_head"):
        head += [str(h) for h in cast("list[object]", dops[0]["measures_head"])]
    for j, h in enumerate(head):
        ws.write(row, j, h, head_f)
    ws.set_column(0, 2, 30)
    ws.set_column(3, 5, 16)
    for d in dops:
        numbers = cast("list[list[Any]]", d.get("measure_numbers", []))
        for i, m in enumerate(_pairs(d.get("measures", []))):
            row += 1
            for j, v in enumerate([d["title"], d["municipality"], *m]):
                ws.write_string(row, j, str(v))
            if i >= len(numbers):
                continue
            value, target, unit = numbers[i]
            scale = 100 if unit == "percent" else 1
            for j, number in ((3, value), (4, target)):
                if number is not None:
                    ws.write_number(row, j, number / scale, formats[unit])
