"""`python -m bot team list|deactivate|activate …`: the team for the first coordinator and for
scripts. Deactivation takes effect on the person's next message or button; audited (actor: the
command line).

`python -m bot lijsten export|import FILE.yaml`: every list (themes, activity types, …,
vindplekken) in one file, for bulk changes. An import is checked whole first and applied in one
transaction: a bad file is refused with its line and nothing is stored."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import load_settings

T = TypeVar("T")


def extend(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("team", help="list the team, deactivate or reactivate a person")
    team = p.add_subparsers(dest="team_command", required=True, metavar="ACTION")
    q = team.add_parser("list", help="everyone registered, with role, municipality and state")
    q.set_defaults(func=cmd_list)
    for name, helptext in (
        ("deactivate", "stop a person's access at once (their data stays in reports)"),
        ("activate", "give a deactivated person access again"),
    ):
        q = team.add_parser(name, help=helptext)
        q.add_argument("who", help="display name (as in `team list`) or user id")
        q.set_defaults(func=cmd_set_active, active=name == "activate")

    p = sub.add_parser("lijsten", help="export or import the lists (themes, vindplekken …)")
    act = p.add_subparsers(dest="lists_command", required=True, metavar="ACTION")
    q = act.add_parser("export", help="write every list, retired items too, to a YAML file")
    q.add_argument("file", help="the YAML file to write ('-' for stdout)")
    q.set_defaults(func=cmd_export)
    q = act.add_parser("import", help="add and change items from a YAML file (all or nothing)")
    q.add_argument("file", help="a YAML file as written by `lijsten export`")
    q.set_defaults(func=cmd_import)


def in_transaction(work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run `work` in one transaction on the configured database."""
    from bot.cli import database_errors
    from bot.storage.db import create_engine, session_factory, transaction

    settings = load_settings()

    async def run() -> T:
        engine = create_engine(settings.database_url)
        try:
            async with transaction(session_factory(engine)) as s:
                return await work(s)
        finally:
            await engine.dispose()

    with database_errors(settings.database_url):
        return asyncio.run(run())


def cmd_list(args: argparse.Namespace) -> int:
    from bot.storage import team

    people = in_transaction(team.members)
    for p in people:
        roles = "+".join(
            r for r, held in (("coordinator", p.is_coordinator), ("expert", p.is_expert)) if held
        )
        state = "active" if p.active else "DEACTIVATED"
        reminders = (
            "off"
            if not p.reminders_on
            else f"paused until {p.paused_until}"
            if p.paused_until
            else "on"
        )
        print(
            f"{p.id}\t{p.name}\t{roles}\t{p.municipality or '-'}\t{state}\t"
            f"last logged {p.last_logged or '-'}\treminders {reminders}"
            + ("\tblocked the bot" if p.blocked else "")
        )
    return 0


def cmd_set_active(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from bot.cli import CliError
    from bot.storage import team

    async def work(s: AsyncSession) -> str:
        found = await team.by_name(s, args.who)
        if not found:
            raise CliError(f"nobody called {args.who!r}; see `team list`")
        if len(found) > 1:
            raise CliError(f"{len(found)} people called {args.who!r}: use the id")
        user = await team.change(s, found[0].id or 0, None, datetime.now(UTC), active=args.active)
        return user.display_name

    name = in_transaction(work)
    print(f"{name}: {'active' if args.active else 'deactivated'}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from bot.storage import lists

    text = in_transaction(lists.export_document)
    if args.file == "-":
        print(text, end="")
    else:
        Path(args.file).write_text(text, encoding="utf-8")
        print(f"Lists written to {args.file}.")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime
    from pathlib import Path

    from bot.cli import CliError
    from bot.domain import lists as dl
    from bot.storage import lists

    try:
        text = Path(args.file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"cannot read {args.file}: {type(exc).__name__}") from None
    try:
        doc = dl.parse(text)

        async def work(s: AsyncSession) -> lists.ImportResult:
            return await lists.import_document(s, doc, actor_id=None, now=datetime.now(UTC))

        result = in_transaction(work)
    except dl.ListFileError as exc:
        raise CliError(f"{args.file}, {exc}; nothing was imported") from None
    print(f"{result.added} added, {result.changed} changed, {result.unchanged} unchanged.")
    return 0
