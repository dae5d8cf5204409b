"""`python -m bot inloop import FILE.csv` and `python -m bot inloop list [--gemeente X]`.

Import is all-or-nothing: any error in the file is reported with its line number (in Dutch
and English) and nothing is written; a good file is imported in one transaction. Importing
the same file again changes nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import load_settings

if TYPE_CHECKING:
    from bot.storage.walkin import ImportSummary

EXIT_BAD_FILE = 1


def extend(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "inloop",
        help="walk-in sessions: import a CSV file, list sessions",
        description="Manage the walk-in sessions residents ask about: import them from a CSV "
        "file or list them. Coordinators can do the same in the chat (/inloopbeheer).",
    )
    inner = p.add_subparsers(
        dest="inloop_command", required=True, metavar="ACTION", help="import or list"
    )

    imp = inner.add_parser(
        "import",
        help="import sessions from a CSV file (gemeente,plek,adres,weekdag,begin,einde, …)",
        description="Import walk-in sessions from a CSV file (columns gemeente, plek, adres, "
        "weekdag, begin, einde, …); --dry-run checks the file and shows what would change, "
        "without saving.",
    )
    imp.add_argument("file", type=Path, help="the CSV file")
    imp.add_argument(
        "--dry-run", action="store_true", help="check the file and show what would change"
    )
    imp.set_defaults(func=cmd_import)

    lst = inner.add_parser(
        "list",
        help="list the sessions, per municipality",
        description="List the walk-in sessions per municipality: place, address, weekday and "
        "times; --alle also shows stopped ones.",
    )
    lst.add_argument("--gemeente", help="only this municipality (or a village in it)")
    lst.add_argument("--alle", action="store_true", help="also stopped sessions")
    lst.set_defaults(func=cmd_list)


def _read(path: Path) -> str:
    from bot.cli import CliError
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
    settings = load_settings()
    summary = asyncio.run(_import(settings.database_url, result.rows, dry_run=args.dry_run))
    verb = "zou inlezen / would import" if args.dry_run else "ingelezen / imported"
    print(
        f"{args.file}: {verb} {len(result.rows)} regel(s) / row(s): "
        f"{summary.added} nieuw / new, {summary.updated} gewijzigd / updated, "
        f"{summary.unchanged} ongewijzigd / unchanged."
    )
    return 0


class _DryRun(Exception):
    """Raised inside the transaction so a dry run rolls back."""


async def _import(database_url: str, rows: list, *, dry_run: bool) -> ImportSummary:
    from bot.storage import walkin as repo
    from bot.storage.db import create_engine, session_factory, transaction
    from bot.storage.migrate import migrate

    await migrate(database_url)
    engine = create_engine(database_url)
    summary = None
    try:
        try:
            async with transaction(session_factory(engine)) as s:
                summary = await repo.import_rows(s, rows, datetime.now(UTC))
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
    finally:
        await engine.dispose()
    assert summary is not None  # import_rows returned, or raised and we never get here
    return summary


def cmd_list(args: argparse.Namespace) -> int:
    settings = load_settings()
    lines = asyncio.run(_list(settings.database_url, args.gemeente, include_inactive=args.alle))
    print("\n".join(lines))
    return 0


_DAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")


async def _list(database_url: str, gemeente: str | None, *, include_inactive: bool) -> list[str]:
    from bot.cli import CliError
    from bot.domain.places import resolve_municipality
    from bot.storage import walkin as repo
    from bot.storage.db import create_engine, session_factory

    engine = create_engine(database_url)
    try:
        async with session_factory(engine)() as s:
            muni_id = None
            if gemeente:
                name = resolve_municipality(gemeente)
                muni = await repo.municipality_by_name(s, name) if name else None
                if muni is None:
                    raise CliError(f"Onbekende gemeente / unknown municipality: {gemeente}")
                muni_id = muni.id
            rows = await repo.sessions_in(s, muni_id, include_inactive=include_inactive)
    finally:
        await engine.dispose()
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
