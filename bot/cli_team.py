"""`python -m bot team list|deactivate|activate …`: the team for the first coordinator and for
scripts. Deactivation takes effect on the person's next message or button; audited (actor: the
command line).

`python -m bot lijsten export|import FILE.yaml`: every list (themes, activity types, …,
vindplekken) in one file, for bulk changes. An import is checked whole first and applied in one
transaction: a bad file is refused with its line and nothing is stored."""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.cli_common import (
    CliError,
    add_actions,
    add_command,
    import_file,
    municipality_id,
    with_database,
    write_text,
)
from bot.config import load_settings


def extend(sub: argparse._SubParsersAction) -> None:
    team = add_actions(
        sub,
        "team",
        dest="team_command",
        help="list the team, deactivate or reactivate a person",
        description=(
            "List the experts and coordinators, or stop or give back a person's "
            "access (their data stays in the reports)."
        ),
    )
    add_command(
        team,
        "list",
        cmd_list,
        help="everyone registered, with role, municipality and state",
        description=(
            "Print everyone registered, with role, home municipality, active or not "
            "and when they last logged."
        ),
    )
    for name, helptext in (
        ("deactivate", "stop a person's access at once (their data stays in reports)"),
        ("activate", "give a deactivated person access again: they can log and get reminders"),
    ):
        q = team.add_parser(
            name, help=helptext, description=helptext[0].upper() + helptext[1:] + "."
        )
        q.add_argument("who", help="display name (as in `team list`) or user id")
        q.set_defaults(func=cmd_set_active, active=name == "activate")

    act = add_actions(
        sub,
        "lijsten",
        dest="lists_command",
        help="export or import the lists (themes, vindplekken …)",
        description=(
            "Export or import the coordinator's lists (themes, activity types, "
            "indirect kinds, reach channels, referral targets, reasons, signal kinds,"
            " vindplekken) as YAML."
        ),
    )
    q = add_command(
        act,
        "export",
        cmd_export,
        help="write every list, retired items too, to a YAML file",
        description=(
            "Write every list, retired items too, with codes, labels and aliases, to a YAML file."
        ),
    )
    q.add_argument("file", help="the YAML file to write ('-' for stdout)")
    q = add_command(
        act,
        "import",
        cmd_import,
        help="add and change items from a YAML file (all or nothing)",
        description=(
            "Add and change list items from a YAML file; a bad file is refused with "
            "its line and nothing is imported."
        ),
    )
    q.add_argument("file", help="a YAML file as written by `lijsten export`")

    act = add_actions(
        sub,
        "budget",
        dest="budget_command",
        help="the fair-share ledger: budget, MGR keys, deviations",
        description=(
            "The fair-share ledger: the pool's yearly budget, the MGR key per "
            "municipality from a date, agreed deviations."
        ),
    )
    q = add_command(
        act,
        "zet",
        cmd_budget,
        help="set a year's budget (hours, or euros with a rate)",
        description=(
            "Set a year's budget of the pool, in hours or in euros with an hourly "
            "rate, and whether regional hours are spread."
        ),
    )
    q.add_argument("year", type=int, help="calendar year, e.g. 2026")
    q.add_argument("--uren", type=float, help="budget in hours")
    q.add_argument("--euro", type=float, help="budget in euros (needs --tarief)")
    q.add_argument("--tarief", type=float, help="hourly rate in euros")
    q.add_argument(
        "--spreiden",
        choices=["ja", "nee"],
        help="spread regional hours over the municipalities by the key",
    )
    q = add_command(
        act,
        "sleutel",
        cmd_key,
        help="a municipality's MGR key from a date on",
        description="Set a municipality's MGR key (percent of the pool) from a given date on.",
    )
    q.add_argument("gemeente", help="municipality name")
    q.add_argument("pct", type=float, help="the key in percent, e.g. 28.47")
    q.add_argument("--vanaf", required=True, help="first day it applies (YYYY-MM-DD)")
    q = add_command(
        act,
        "afwijking",
        cmd_deviation,
        help="an agreed deviation: extra (or, negative, fewer) hours",
        description=(
            "Record an agreed deviation from the key: extra (or, negative, fewer) "
            "hours for a municipality in a date range."
        ),
    )
    q.add_argument("gemeente", help="municipality name")
    q.add_argument("uren", type=float, help="hours, e.g. 40 or -20")
    q.add_argument("--van", required=True, help="first day (YYYY-MM-DD)")
    q.add_argument("--tot", required=True, help="last day (YYYY-MM-DD)")
    q.add_argument("--reden", default="", help="why it was agreed")
    q = add_command(
        act,
        "toon",
        cmd_show,
        help="print the ledger year to date",
        description=(
            "Print the ledger year to date: planned, realised and the difference per municipality."
        ),
    )
    q.add_argument("--tot", help="last day (YYYY-MM-DD; default today)")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CliError(f"not a date: {text!r} (use YYYY-MM-DD)") from None


async def _municipality_id(s: AsyncSession, name: str) -> int:
    return await municipality_id(s, name, "unknown municipality: {name}")


def cmd_budget(args: argparse.Namespace) -> int:
    from bot.storage import ledger

    if args.uren is None and args.euro is None and args.spreiden is None:
        raise CliError("give --uren, or --euro with --tarief, and/or --spreiden")
    if args.euro is not None and not args.tarief:
        raise CliError("a budget in euros needs --tarief")

    async def work(s: AsyncSession) -> None:
        await ledger.set_budget(
            s,
            args.year,
            actor_id=None,
            now=datetime.now(UTC),
            hours=args.uren,
            euros=args.euro,
            rate=args.tarief,
            spread=None if args.spreiden is None else args.spreiden == "ja",
        )

    with_database(work)
    print(f"Budget {args.year} saved.")
    return 0


def cmd_key(args: argparse.Namespace) -> int:
    from bot.storage import ledger

    if not 0 <= args.pct <= 100:
        raise CliError("the key is a percentage between 0 and 100")
    first = _day(args.vanaf)

    async def work(s: AsyncSession) -> None:
        muni_id = await _municipality_id(s, args.gemeente)
        await ledger.set_key(s, muni_id, first, args.pct, actor_id=None, now=datetime.now(UTC))

    with_database(work)
    print(f"Key of {args.gemeente}: {args.pct}% from {first}.")
    return 0


def cmd_deviation(args: argparse.Namespace) -> int:
    from bot.storage import ledger

    first, last = _day(args.van), _day(args.tot)
    if last < first:
        raise CliError("--tot is before --van")

    async def work(s: AsyncSession) -> None:
        muni_id = await _municipality_id(s, args.gemeente)
        await ledger.add_deviation(
            s, muni_id, first, last, args.uren, args.reden, actor_id=None, now=datetime.now(UTC)
        )

    with_database(work)
    print(f"Deviation for {args.gemeente}: {args.uren:+g} hours, {first} to {last}.")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from bot.domain.digest import ledger_lines, split_html
    from bot.i18n import translator
    from bot.storage import ledger

    settings = load_settings()
    last = _day(args.tot) if args.tot else datetime.now(settings.tz).date()

    async def work(s: AsyncSession) -> Any:
        return await ledger.load(s, last)

    found = with_database(work)
    if found is None:
        raise CliError(f"no budget set for {last.year}: use `budget zet {last.year} --uren …`")
    import re

    for part in split_html("\n".join(ledger_lines(found, translator("nl")))):
        print(re.sub(r"<[^>]+>", "", part))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from bot.storage import team

    people = with_database(team.members)
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
    from bot.storage import team

    async def work(s: AsyncSession) -> str:
        found = await team.by_name(s, args.who)
        if not found:
            raise CliError(f"nobody called {args.who!r}; see `team list`")
        if len(found) > 1:
            raise CliError(f"{len(found)} people called {args.who!r}: use the id")
        user = await team.change(s, found[0].id or 0, None, datetime.now(UTC), active=args.active)
        return user.display_name

    name = with_database(work)
    print(f"{name}: {'active' if args.active else 'deactivated'}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from bot.storage import lists

    write_text(args.file, with_database(lists.export_document), f"Lists written to {args.file}.")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from bot.domain import lists as dl
    from bot.storage import lists

    result = import_file(
        args.file,
        dl.parse,
        lambda s, doc: lists.import_document(s, doc, actor_id=None, now=datetime.now(UTC)),
        dl.ListFileError,
        lambda exc: f"{args.file}, {exc}; nothing was imported",
    )
    print(f"{result.added} added, {result.changed} changed, {result.unchanged} unchanged.")
    return 0
