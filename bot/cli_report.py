"""`python -m bot rapport --periode 2026-H1 [--van D --tot D] [--gemeente Venlo]
[--formaat pdf,xlsx] [--intern] [--uit DIR]`

Writes the half-yearly report's files into DIR (default: the current directory): one PDF per
municipality and one for the region plus one workbook, or with --gemeente only those
municipalities' PDFs and a workbook restricted to them. A progress bar on a terminal, one line
per file. A bad period, municipality or format: one line on stderr, exit code 2.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli_common import with_database
from bot.config import load_settings

if TYPE_CHECKING:
    from sqlmodel.ext.asyncio.session import AsyncSession

    from bot.config import Settings
    from bot.domain.periods import Period

EXIT_USAGE = 2


def extend(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "rapport",
        help="make the half-yearly report (PDF per municipality, XLSX)",
        description="Make the funders' report for a period: a PDF per municipality and one "
        "for the region, and an XLSX workbook. Counts below SMALL_COUNT_THRESHOLD show as <5 "
        "unless --intern. A bad period or municipality: one line, exit code 2.",
    )
    p.add_argument("--periode", help="2026-H1, 2026-Q3, 2026-03 or 2026")
    p.add_argument("--van", help="first day, e.g. 2026-01-01 (with --tot)")
    p.add_argument("--tot", help="last day, included, e.g. 2026-06-30 (with --van)")
    p.add_argument(
        "--gemeente",
        action="append",
        help="only this municipality (a village names its municipality too); repeat or use commas",
    )
    p.add_argument("--formaat", default="pdf,xlsx", help="pdf, xlsx or pdf,xlsx (default)")
    p.add_argument("--intern", action="store_true", help="exact counts, for the coordinator only")
    p.add_argument("--uit", type=Path, default=Path("."), help="directory for the files")
    p.set_defaults(func=cmd_rapport)


class UsageError(Exception):
    """A bad period, format or output directory: one line, exit code 2."""


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return EXIT_USAGE


PERIOD_HELP = "use e.g. --periode 2026-H1, 2026-Q3, 2026 or --van 2026-01-01 --tot 2026-06-30"


@dataclass(frozen=True)
class _Request:
    """What `rapport` was asked to make, checked."""

    period: Period
    names: list[str] | None  # None: every municipality, and the region
    formats: list[str]
    internal: bool
    out_dir: Path


def cmd_rapport(args: argparse.Namespace) -> int:
    try:
        request = _request(args)
    except UsageError as exc:
        return _fail(str(exc))
    settings = load_settings()
    return with_database(
        lambda s: _run(s, settings, request),
        commit=False,
        settings=settings,
    )


def _request(args: argparse.Namespace) -> _Request:
    from bot.domain.periods import PeriodError, parse_period
    from bot.domain.places import resolve_municipality
    from bot.report import FORMATS

    try:
        period = parse_period(args.periode, van=args.van, tot=args.tot)
    except PeriodError as exc:
        shown = args.periode or f"{args.van or ''}..{args.tot or ''}"
        raise UsageError(f"not a period ({exc.code}): {shown!r}; {PERIOD_HELP}") from None
    formats = [f.strip().lower() for f in args.formaat.split(",") if f.strip()]
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise UsageError(
            "unknown format "
            + (", ".join(bad) or repr(args.formaat))
            + "; use pdf, xlsx or pdf,xlsx"
        )
    names = None
    if args.gemeente:
        names = []
        for raw in args.gemeente:
            for part in raw.split(","):
                if part.strip():
                    names.append(resolve_municipality(part.strip(), fuzzy=False) or part.strip())
    out_dir: Path = args.uit
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"not a directory: {out_dir}")
    return _Request(period, names, formats, args.intern, out_dir)


async def _run(s: AsyncSession, settings: Settings, request: _Request) -> int:
    from datetime import UTC, datetime

    from bot.report import UnknownMunicipality, build_pack, municipality_codes

    names = request.names
    n_munis = len(names) if names is not None else len(await municipality_codes(s))
    total = 0
    if "pdf" in request.formats:
        total += n_munis + (1 if names is None else 0)
    if "xlsx" in request.formats:
        total += 1
    out_dir: Path = request.out_dir
    progress = _Progress(total, f"{request.period.key}")
    started = time.perf_counter()
    try:
        async for f in build_pack(
            s,
            period=request.period,
            municipality_codes=names,
            formats=request.formats,
            internal=request.internal,
            now=datetime.now(UTC),
            tz=settings.tz,
            threshold=settings.small_count_threshold,
        ):
            out_dir.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240
            path = out_dir / f.filename
            path.write_bytes(f.content)
            progress.line(
                f"{path}  {len(f.content) / 1024:.0f} kB  {time.perf_counter() - started:.1f} s"
            )
    except UnknownMunicipality as exc:
        progress.close()
        return _fail(f"unknown municipality: {', '.join(exc.codes)}")
    progress.close()
    return 0


class _Progress:
    """A rich progress bar when stderr is a terminal; plain lines otherwise."""

    def __init__(self, total: int, label: str) -> None:
        self.bar = None
        if sys.stderr.isatty():
            from rich.progress import Progress

            self.bar = Progress(transient=True)
            self.bar.start()
            self.task = self.bar.add_task(label, total=total)

    def line(self, text: str) -> None:
        if self.bar is not None:
            self.bar.console.print(text, highlight=False)
            self.bar.advance(self.task)
        else:
            print(text, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None
