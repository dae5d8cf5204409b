"""The personal export as one XLSX workbook (XlsxWriter): a sheet per kind of data, headers
in the person's language, times in the bot's time zone, audit snapshots as JSON."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

from bot.i18n import Translator
from bot.report.xlsx import _sheet_name
from bot.storage.export import PersonalData


def cell(t: Translator, value: Any, tz: ZoneInfo) -> Any:
    """A value as written to the sheet: numbers stay numbers, the rest becomes text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return t._("ja") if value else t._("nee")
    if isinstance(value, datetime):
        return value.astimezone(tz).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def export_filename(data: PersonalData, today: date) -> str:
    return f"mijngegevens-{today.isoformat()}.xlsx"


def render_export(data: PersonalData, t: Translator, tz: ZoneInfo) -> bytes:
    import xlsxwriter  # type: ignore[import-untyped]  # ships no stubs or py.typed

    buf = BytesIO()
    # What someone typed is text: never a formula or a link in the file.
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    wb = xlsxwriter.Workbook(buf, options)
    head = wb.add_format({"bold": True, "bottom": 1})
    used: set[str] = set()
    for sheet in data.sheets:
        ws = wb.add_worksheet(_sheet_name(t._(sheet.title), used))
        ws.write_row(0, 0, [t._(h) for h in sheet.header], head)
        for r, row in enumerate(sheet.rows, start=1):
            values = [cell(t, v, tz) for v in row]
            if sheet.key == "profile":  # the first column holds msgids
                values[0] = t._(str(row[0]))
            ws.write_row(r, 0, values)
        ws.set_column(0, len(sheet.header) - 1, 16)
        ws.freeze_panes(1, 0)
    wb.close()
    return buf.getvalue()
