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
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.periods import Period

__all__ = ["FORMATS", "ReportFile", "UnknownMunicipality", "build_pack"]

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
    """Yield the report's files one by one (see the module docstring)."""
    raise NotImplementedError("the report engine lands in the next commit")
    yield  # pragma: no cover
