"""The half-yearly report (issue 11): per municipality and for the region, as PDF and XLSX.

Public API (the chat side and the CLI call only this):

    async for f in build_pack(s, period=..., municipality_codes=None | [...], formats=("pdf",
            "xlsx"), internal=False, now=..., tz=..., threshold=settings.small_count_threshold):
        f.filename, f.content, f.mime, f.municipality_code

Files are yielded one by one, as each is done, so a caller can show progress. `None` for the
municipalities: all active municipalities' PDFs + the region's PDF + one workbook; a list of
municipality codes: those municipalities' PDFs and a workbook restricted to them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.periods import Period

if TYPE_CHECKING:
    from bot.report.build import Report
    from bot.storage.report_queries import ReportData

__all__ = [
    "FORMATS",
    "ReportFile",
    "UnknownMunicipality",
    "build_pack",
    "make_report",
    "municipality_codes",
]

FORMATS = ("pdf", "xlsx")
PDF_MIME = "application/pdf"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UnknownMunicipality(ValueError):
    """A municipality code that is not in the database (`codes`: the unknown ones)."""

    def __init__(self, codes: Sequence[str]) -> None:
        super().__init__(", ".join(codes))
        self.codes = tuple(codes)


@dataclass(frozen=True)
class ReportFile:
    filename: str
    content: bytes
    mime: str
    # None: the region's PDF, or the workbook.
    municipality_code: str | None


async def build_pack(
    s: AsyncSession,
    *,
    period: Period,
    municipality_codes: Sequence[str] | None,
    formats: Sequence[str] = FORMATS,
    internal: bool = False,
    now: datetime,
    tz: ZoneInfo,
    threshold: int,
) -> AsyncIterator[ReportFile]:
    """Yield the report's files one by one (see the module docstring).

    `municipality_codes`: codes as stored (`venlo`, `peel-en-maas`); names are accepted too,
    case-insensitively. Unknown ones raise `UnknownMunicipality` before any file is made.
    `internal`: exact counts (for the coordinator), said so on every page and sheet."""
    import asyncio

    from bot.i18n import translator
    from bot.report.pdf import render_pdf
    from bot.report.xlsx import render_xlsx

    unknown_formats = [f for f in formats if f not in FORMATS]
    if unknown_formats:
        raise ValueError(f"unknown formats: {unknown_formats}")
    chosen, data, report = await make_report(
        s,
        period=period,
        municipality_codes=municipality_codes,
        internal=internal,
        now=now,
        tz=tz,
        threshold=threshold,
    )
    ids = None if chosen is None else [i for i, _c in chosen]
    t = translator("nl")
    stem = "rapportage-" + period.key.replace("..", "_tot_")
    if internal:
        stem += "-intern"
    if "pdf" in formats:
        todo: list[tuple[int | None, str | None]] = (
            [(m[0], m[1]) for m in data.municipalities] if chosen is None else list(chosen)
        )
        if chosen is None:
            todo.append((None, None))
        for muni_id, code in todo:
            content = await asyncio.to_thread(render_pdf, report, t, muni_id)
            yield ReportFile(f"{stem}-{code or 'regio'}.pdf", content, PDF_MIME, code)
    if "xlsx" in formats:
        content = await asyncio.to_thread(render_xlsx, report, t, None if ids is None else set(ids))
        suffix = "" if chosen is None else "-" + "-".join(c for _i, c in chosen)
        yield ReportFile(f"{stem}{suffix}.xlsx", content, XLSX_MIME, None)


async def make_report(
    s: AsyncSession,
    *,
    period: Period,
    municipality_codes: Sequence[str] | None,
    internal: bool,
    now: datetime,
    tz: ZoneInfo,
    threshold: int,
) -> tuple[list[tuple[int, str]] | None, ReportData, Report]:
    """The report's figures and tables (before any file is made): the chosen municipalities
    (None: all), the figures from SQL and the assembled report (bot.report.build)."""
    import asyncio

    from bot.domain.periods import year_to_date
    from bot.i18n import translator
    from bot.report.build import assemble
    from bot.storage import ledger
    from bot.storage.report_queries import load_report_data

    chosen = await _resolve(s, municipality_codes)
    ids = None if chosen is None else [i for i, _c in chosen]
    data = await load_report_data(
        s, period, year_to_date(period), ids, today=now.astimezone(tz).date()
    )
    year_ledger = await ledger.load(s, period.end_inclusive)
    # Typst, matplotlib and XlsxWriter are CPU work: off the event loop, so the bot keeps
    # answering others while a report is made.
    report = await asyncio.to_thread(
        assemble,
        data,
        translator("nl"),
        threshold=threshold,
        internal=internal,
        now=now,
        tz=tz,
        ledger=year_ledger,
    )
    return chosen, data, report


async def municipality_codes(s: AsyncSession) -> list[tuple[str, str]]:
    """(code, name) of the active municipalities, by name: for menus and the CLI."""
    from sqlalchemy import select

    from bot.storage.models import Municipality, table_of

    m = table_of(Municipality).c
    # A Core select: sqlmodel types exec() for its own select() (call-overload).
    rows = (
        await s.exec(select(m.code, m.name).where(m.active).order_by(m.name))  # type: ignore[call-overload]
    ).all()
    return [(r[0], r[1]) for r in rows]


async def _resolve(s: AsyncSession, codes: Sequence[str] | None) -> list[tuple[int, str]] | None:
    if codes is None:
        return None
    from sqlalchemy import select

    from bot.storage.models import Municipality, table_of

    m = table_of(Municipality).c
    # A Core select: sqlmodel types exec() for its own select() (call-overload).
    rows = (await s.exec(select(m.id, m.code, m.name).where(m.active))).all()  # type: ignore[call-overload]
    by_key = {}
    for mid, code, name in rows:
        by_key[code.lower()] = (mid, code)
        by_key[name.lower()] = (mid, code)
    out: list[tuple[int, str]] = []
    missing = []
    for c in codes:
        hit = by_key.get(c.strip().lower())
        if hit is None:
            missing.append(c)
        elif hit not in out:
            out.append(hit)
    if missing or not out:
        raise UnknownMunicipality(missing or list(codes))
    return out
