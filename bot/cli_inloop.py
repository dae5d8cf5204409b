"""`python -m bot inloop import FILE.csv` and `python -m bot inloop list [--gemeente X]`.

Import is all-or-nothing: any error in the file is reported with its line number (in Dutch
and English) and nothing is written; a good file is imported in one transaction. Importing
the same file again changes nothing.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli_common import CliError, add_actions, add_command, municipality_id, with_database

if TYPE_CHECKING:
    from sqlmodel.ext.asyncio.session import AsyncSession

    from bot.storage.walkin import ImportSummary

EXIT_BAD_FILE = 1


def extend(sub: argparse._SubParsersAction) -> None:
    inner = add_actions(
        sub,
        "inloop",
        dest="inloop_command",
        help="walk-in sessions: import a CSV file, list sessions",
        description="Manage the walk-in sessions residents ask about: import them from a CSV "
        "file or list them. Coordinators can do the same in the chat (/inloopbeheer).",
        actions_help="import or list",
    )

    imp = add_command(
        inner,
        "import",
        cmd_import,
        help="import sessions from a CSV file (gemeente,plek,adres,weekdag,begin,einde, …)",
        description="Import walk-in sessions from a CSV file (columns gemeente, plek, adres, "
        "weekdag, begin, einde, …); --dry-run checks the file and shows what would change, "
        "without saving.",
    )
    imp.add_argument("file", type=Path, help="the CSV file")
    imp.add_argument(
        "--dry-run", action="store_true", help="check the file and show what would change"
    )

    lst = add_command(
        inner,
        "list",
        cmd_list,
        help="list the sessions, per municipality",
        description="List the walk-in sessions per municipality: place, address, weekday and "
        "times; --alle also shows stopped ones.",
    )
    lst.add_argument("--gemeente", help="only this municipality (or a village in it)")
    lst.add_argument("--alle", action="store_true", help="also stopped sessions")


def _read(path: Path) -> str:
    from bot.domain.walkin_input import decode_csv

    try:
        return decode_csv(path.read_bytes())
    except FileNotFoundError:
        raise CliError(f"Bestand niet gevonden / file not found: {path}") from None
    except IsADirectoryError:
        raise CliError(f"Dit is een map, geen bestand / not a file: {path}") from None


def cmd_import(args: argparse.Namespace) -> int:
    from bot.domain.walkin_input import check_csv
    from bot.i18n import translator
    from bot.walkin_text import csv_error_line

    text = _read(args.file)
    result = check_csv(text)
    if result.errors:
        nl, en = translator("nl"), translator("en")
        print(
            f"{args.file}: er is niets ingelezen / nothing was imported "
            f"({len(result.errors)} fout(en) / error(s)):",
            file=sys.stderr,
        )
        for error in result.errors:
            print("  " + csv_error_line(nl, error, html=False), file=sys.stderr)
            print("    " + csv_error_line(en, error, html=False), file=sys.stderr)
        return EXIT_BAD_FILE
    try:
        summary = with_database(lambda s: _import(s, result.rows, args.dry_run), migrate=True)
    except _DryRun as dry:
        summary = dry.summary
    verb = "zou inlezen / would import" if args.dry_run else "ingelezen / imported"
    print(
        f"{args.file}: {verb} {len(result.rows)} regel(s) / row(s): "
        f"{summary.added} nieuw / new, {summary.updated} gewijzigd / updated, "
        f"{summary.unchanged} ongewijzigd / unchanged."
    )
    return 0


class _DryRun(Exception):
    """Raised inside the transaction so a dry run rolls back; carries what it would do."""

    def __init__(self, summary: ImportSummary) -> None:
        self.summary = summary


async def _import(s: AsyncSession, rows: list, dry_run: bool) -> ImportSummary:
    from bot.storage import walkin as repo

    summary = await repo.import_rows(s, rows, datetime.now(UTC))
    if dry_run:
        raise _DryRun(summary)
    return summary


def cmd_list(args: argparse.Namespace) -> int:
    lines = with_database(lambda s: _list(s, args.gemeente, args.alle), commit=False)
    print("\n".join(lines))
    return 0


_DAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")


async def _list(s: AsyncSession, gemeente: str | None, include_inactive: bool) -> list[str]:
    from bot.storage import walkin as repo

    muni_id = None
    if gemeente:
        unknown = "Onbekende gemeente / unknown municipality: {name}"
        muni_id = await municipality_id(s, gemeente, unknown)
    rows = await repo.sessions_in(s, muni_id, include_inactive=include_inactive)
    if not rows:
        return ["Geen inloop gevonden / no sessions found."]
    out: list[str] = []
    current = None
    for row, name in rows:
        if name != current:
            if current is not None:
                out.append("")
            out.append(name)
            current = name
        flags = [row.kind]
        if row.valid_from:
            flags.append(f"vanaf {row.valid_from.isoformat()}")
        if row.valid_until:
            flags.append(f"t/m {row.valid_until.isoformat()}")
        if row.open_on_holidays:
            flags.append("feestdagen open")
        if not row.active:
            flags.append("GESTOPT")
        out.append(
            f"  #{row.id:<4} {_DAYS[row.weekday]} {row.start_time:%H:%M}-{row.end_time:%H:%M}  "
            f"{row.place}, {row.address}  ({', '.join(flags)})"
        )
    return out
