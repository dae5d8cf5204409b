"""Section e of the half-yearly report: each deelopdracht's measures, value against target on
the period's last day, read back from the PDF (pypdf) and the workbook (openpyxl), with the
report's rule for small counts. Figures: the WIJ-Groningen fixture (tests/deel_fixture.py).

On 30 June 2026 (2026-H1's last day):
* new residents, first six months: 17 of 25, the window's last day: "doel niet gehaald";
* new residents, the year: 17 of 40 (expected 40 × 181 / 365 = 19,8): "achter op schema";
* key figures: K1, K2, K4 = 3 of 5 (expected 2,48): "op schema"; 3 is a small count: "<5";
* reasons known: (3 + 4 + 3) / (3 + 5 + 4 + 2 + 3) = 10 / 17 = 58,8 → "59 %", base 17;
* went on: (2 + 4) / (3 + 5) = 75 %, base 8.
On 31 March 2026 (2026-Q1): went on only C1, 2 / 3 with a base of 3 < 5: "basis <5";
new residents 12 (of 25, expected 25 × 90 / 181 = 12,4: behind) are no small count.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import openpyxl
import pypdf
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain.periods import parse_period
from bot.report import ReportFile, build_pack
from bot.storage import deel_progress
from bot.storage.db import session_factory
from tests.deel_fixture import seed_wij

TZ = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 8, 4, 19, 30, tzinfo=UTC)
TITLE = "WIJ-Groningen West"


async def pack(engine: AsyncEngine, period: str, internal: bool = False) -> dict[str, bytes]:
    async with session_factory(engine)() as s:
        files: list[ReportFile] = [
            f
            async for f in build_pack(
                s,
                period=parse_period(period),
                municipality_codes=["venlo"],
                formats=("pdf", "xlsx"),
                internal=internal,
                now=NOW,
                tz=TZ,
                threshold=5,
            )
        ]
    return {f.filename: f.content for f in files}


def measures_sheet(content: bytes) -> list[list[object]]:
    """Label, value, target and status of each measure: value and target are numbers (a share
    a fraction, shown as a percentage), a value the report hides is its text."""
    ws = openpyxl.load_workbook(io.BytesIO(content), read_only=True)["Doelen"]
    return [
        [round(v, 4) if isinstance(v, float) else v for v in row[2:6]]
        for row in ws.iter_rows(values_only=True)
        if row and row[0] == TITLE
    ]


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return "\n".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)


def one(files: dict[str, bytes], ext: str) -> bytes:
    (content,) = [c for name, c in files.items() if name.endswith(ext)]
    return content


async def test_measures_in_the_report_of_the_first_half_year(engine: AsyncEngine) -> None:
    await seed_wij(engine)
    files = await pack(engine, "2026-H1")
    assert measures_sheet(one(files, ".xlsx")) == [
        ["Nieuwe inwoners bereikt (eerste 6 maanden)", 17, 25, "doel niet gehaald"],
        ["Nieuwe inwoners bereikt", 17, 40, "achter op schema"],
        ["Sleutelfiguren met goed contact", "<5", 5, "op schema"],
        ["Reden van niet-gebruik bekend", 0.5882, 0.8, "achter op schema"],
        ["Doorgestroomd naar voorzieningen", 0.75, 0.8, "achter op schema"],
    ]
    ws = openpyxl.load_workbook(io.BytesIO(one(files, ".xlsx")))["Doelen"]
    share = next(r for r in ws.iter_rows() if r[2].value == "Reden van niet-gebruik bekend")
    assert (share[3].number_format, share[4].number_format) == ("0%", "0%")
    text = pdf_text(one(files, ".pdf"))
    assert "Doelen op 30 juni 2026" in text
    assert "Nieuwe inwoners bereikt (eerste 6 maanden) 17 25 doel niet gehaald" in text
    assert "Sleutelfiguren met goed contact <5 5 op schema" in text
    assert "Reden van niet-gebruik bekend 59 % 80 % achter op schema" in text

    internal = await pack(engine, "2026-H1", internal=True)
    rows = measures_sheet(one(internal, ".xlsx"))
    assert rows[2] == ["Sleutelfiguren met goed contact", 3, 5, "op schema"]
    assert "Sleutelfiguren met goed contact 3 5 op schema" in pdf_text(one(internal, ".pdf"))


async def test_a_share_of_a_small_base_is_not_shown(engine: AsyncEngine) -> None:
    await seed_wij(engine)
    files = await pack(engine, "2026-Q1")
    rows = measures_sheet(one(files, ".xlsx"))
    assert rows[0] == ["Nieuwe inwoners bereikt (eerste 6 maanden)", 12, 25, "achter op schema"]
    assert rows[4] == ["Doorgestroomd naar voorzieningen", "basis <5", 0.8, "achter op schema"]
    assert "Doorgestroomd naar voorzieningen basis <5 80 %" in pdf_text(one(files, ".pdf"))


async def test_a_period_not_over_yet_is_measured_on_the_day_the_report_is_made(
    engine: AsyncEngine,
) -> None:
    """Made on 4 August 2026, the report of 2026-H2 shows the measures of that day: a target
    whose window runs to 31 December is not "doel niet gehaald" yet."""
    wij = await seed_wij(engine)
    files = await pack(engine, "2026-H2", internal=True)
    text = pdf_text(one(files, ".pdf"))
    assert "Doelen op 4 augustus 2026" in text and "Doelen op 31 december 2026" not in text
    async with session_factory(engine)() as s:
        today = await deel_progress.progress(s, wij.deel_id, date(2026, 8, 4))
        year_end = await deel_progress.progress(s, wij.deel_id, date(2026, 12, 31))
    rows = measures_sheet(one(files, ".xlsx"))
    year_row = rows[1]
    assert year_row[0] == "Nieuwe inwoners bereikt"
    assert today[1].status != year_end[1].status  # the day matters for this row
    assert year_row[3] != "doel niet gehaald", rows
