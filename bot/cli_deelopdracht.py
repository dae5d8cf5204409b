"""`python -m bot deelopdracht import FILE.yaml` / `export [--code X] [FILE]`: deelopdrachten
with their measures and reporting moments as YAML (shape: `bot.domain.deel_spec`,
docs/deelopdracht-voorbeeld.yaml). An import is checked whole first and applied in one
transaction: a bad file is refused with its line and nothing is stored. Audited (actor: the
command line)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.cli_common import (
    CliError,
    add_actions,
    add_command,
    import_file,
    with_database,
    write_text,
)


def extend(sub: argparse._SubParsersAction) -> None:
    act = add_actions(
        sub,
        "deelopdracht",
        dest="deel_command",
        help="import or export deelopdrachten (goals, measures, reporting moments) as YAML",
        description=(
            "Import or export the municipalities' deelopdrachten with their measures and "
            "reporting moments as YAML (see docs/deelopdracht-voorbeeld.yaml)."
        ),
    )
    q = add_command(
        act,
        "import",
        cmd_import,
        help="create or update deelopdrachten by short name (all or nothing)",
        description=(
            "Create or update deelopdrachten by their short name (code); the measures are "
            "replaced as a whole, the reporting moments set to the file's. A bad file is "
            "refused with its line and nothing is imported."
        ),
    )
    q.add_argument("file", help="a YAML file (as written by `deelopdracht export`)")
    q = add_command(
        act,
        "export",
        cmd_export,
        help="write deelopdrachten to a YAML file (or stdout)",
        description="Write every deelopdracht, or one (--code), in the import's YAML shape.",
    )
    q.add_argument("--code", help="only the deelopdracht with this short name")
    q.add_argument("file", nargs="?", default="-", help="the file to write (default: stdout)")


def cmd_import(args: argparse.Namespace) -> int:
    from bot.config import load_settings
    from bot.domain import deel_spec as ds
    from bot.storage import deel_file

    result = import_file(
        args.file,
        lambda text: ds.parse(text, today=datetime.now(load_settings().tz).date()),
        lambda s, specs: deel_file.import_specs(s, specs, actor_id=None, now=datetime.now(UTC)),
        ds.DeelSpecError,
        lambda exc: f"{args.file}, {exc.text()} Er is niets geïmporteerd.",
    )
    print(f"{result.created} created, {result.changed} changed, {result.unchanged} unchanged.")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from bot.domain import deel_spec as ds
    from bot.storage import deel_file

    async def work(s: AsyncSession) -> list[ds.DeelSpec]:
        return await deel_file.export_specs(s, args.code)

    specs = with_database(work)
    if not specs:
        raise CliError(
            f"no deelopdracht with short name {args.code!r}" if args.code else "no deelopdrachten"
        )
    text = ds.dump(specs, many=args.code is None and len(specs) > 1)
    write_text(args.file, text, f"{len(specs)} deelopdracht(en) written to {args.file}.")
    return 0
