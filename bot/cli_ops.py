"""Operations sub-commands: `health`, `backup`, `restore`, `copy-db` (docs/OPERATIONS.md)."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from bot.cli_common import CliError, add_command, database_errors
from bot.config import load_settings, safe_database_url


def extend(sub: argparse._SubParsersAction) -> None:
    p = add_command(
        sub,
        "health",
        cmd_health,
        help="check the database, schema, scheduler and Telegram; exit code 0 when healthy",
        description="Check that the database answers, its schema is at the newest migration, the "
        "scheduler of the bot running here is alive (its heartbeat file is fresh) and Telegram "
        "accepts the token. Prints one line per check; exit code 0 when all pass, 1 when one "
        "fails. Also shows when the last update was handled.",
    )
    p.add_argument(
        "--offline",
        action="store_true",
        help="skip the Telegram check (for the container health check: a Telegram outage is "
        "not a reason to restart the bot)",
    )

    for name, help, description, file_help, func in (
        (
            "backup",
            "copy the SQLite database to FILE while the bot runs",
            "Copy the SQLite database (DATABASE_URL) to FILE with SQLite's online backup API: "
            "a consistent copy while the bot keeps running. Prints the rows per table. For "
            "PostgreSQL use pg_dump (docs/OPERATIONS.md).",
            "the backup file to write (replaced)",
            cmd_backup,
        ),
        (
            "restore",
            "replace the SQLite database with a backup FILE (checked first)",
            "Check FILE (SQLite integrity check, the bot's tables, a schema revision this "
            "version knows), keep the current database next to it as "
            "<name>.before-restore-<time>, copy FILE in and compare the rows per table. Stop "
            "the bot first; it migrates the restored database when it starts.",
            "a file made by `backup`",
            cmd_restore,
        ),
    ):
        p = add_command(sub, name, func, help=help, description=description)
        p.add_argument("file", metavar="FILE", type=Path, help=file_help)

    p = add_command(
        sub,
        "copy-db",
        cmd_copy_db,
        help="copy every row from one database to another (SQLite to PostgreSQL)",
        description="Copy every table from the database --van to the empty database --naar "
        "(migrated first), in one transaction, and check the rows per table. Stop the bot "
        "first, then point DATABASE_URL at the new database.",
    )
    p.add_argument(
        "--van", required=True, metavar="URL", help="source database, e.g. sqlite:///data/x.db"
    )
    p.add_argument(
        "--naar",
        required=True,
        metavar="URL",
        help="target database, empty, e.g. postgresql://bot:secret@db:5432/ervaringsbot",
    )


def cmd_health(args: argparse.Namespace) -> int:
    from bot.health import run_checks

    checks = asyncio.run(run_checks(load_settings(), offline=args.offline))
    for check in checks:
        print(check.line())
    return 0 if all(c.ok for c in checks) else 1


def _print_counts(counts: dict[str, int]) -> None:
    width = max((len(n) for n in counts), default=0)
    for name, n in sorted(counts.items()):
        print(f"  {name:<{width}} {n}")


def cmd_backup(args: argparse.Namespace) -> int:
    from bot.backup import BackupError, backup

    try:
        counts = backup(load_settings().database_url, args.file)
    except BackupError as exc:
        raise CliError(str(exc)) from None
    print(f"Backup written to {args.file}, {sum(counts.values())} rows:")
    _print_counts(counts)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from bot.backup import BackupError, restore

    try:
        counts, kept = restore(load_settings().database_url, args.file)
    except BackupError as exc:
        raise CliError(str(exc)) from None
    if kept:
        print(f"The previous database is kept as {kept}.")
    print(f"Restored {args.file}: {sum(counts.values())} rows, the same as in the backup:")
    _print_counts(counts)
    return 0


def cmd_copy_db(args: argparse.Namespace) -> int:
    from bot.config import async_database_url
    from bot.copy_db import CopyError, copy_db

    for url in (args.van, args.naar):
        async_database_url(url)  # an unsupported scheme: one line (ConfigError)
    try:
        with database_errors(args.naar):
            counts = asyncio.run(copy_db(args.van, args.naar))
    except CopyError as exc:
        raise CliError(str(exc)) from None
    print(
        f"Copied {sum(counts.values())} rows from {safe_database_url(args.van)} "
        f"to {safe_database_url(args.naar)}:"
    )
    _print_counts(counts)
    return 0
