"""`python -m bot poster [--gemeente Venlo] [--uit MAP]`: the walk-in poster (one A4 PDF per
municipality) with the coming weeks' times and a QR code for the bot's deep link."""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli_common import CliError, bot_username, with_database
from bot.config import load_settings

if TYPE_CHECKING:
    from sqlmodel.ext.asyncio.session import AsyncSession


def extend(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "poster",
        help="make walk-in posters (A4 PDF with the coming weeks' times and a QR code)",
        description="Make a one-page A4 poster (PDF) per municipality with the coming weeks' "
        "walk-in times, a warm line and a QR code that opens the bot for that municipality.",
    )
    p.add_argument(
        "--gemeente", help="only this municipality (or a village in it); default: all of them"
    )
    p.add_argument(
        "--uit", type=Path, default=Path("."), help="folder for the PDF files (default: here)"
    )
    p.add_argument("--taal", choices=("nl", "en"), default="nl", help="language of the poster")
    p.set_defaults(func=cmd_poster)


def cmd_poster(args: argparse.Namespace) -> int:
    from bot.domain.places import resolve_municipality

    settings = load_settings()
    wanted = None
    if args.gemeente:
        wanted = resolve_municipality(args.gemeente)
        if wanted is None:
            raise CliError(f"Gemeente onbekend / unknown municipality: {args.gemeente}")
    username = asyncio.run(bot_username(settings))
    args.uit.mkdir(parents=True, exist_ok=True)
    written = with_database(
        lambda s: _write(s, wanted, username, args.uit, args.taal),
        commit=False,
        migrate=True,
        settings=settings,
    )
    for path in written:
        print(path)
    return 0


async def _write(
    s: AsyncSession, wanted: str | None, username: str, folder: Path, language: str
) -> list[Path]:
    from bot.domain.walkin import local_today
    from bot.i18n import translator
    from bot.poster import poster_file_name, render_poster
    from bot.storage import walkin as repo

    now = datetime.now(UTC)
    written = []
    munis = [m for m in await repo.municipalities(s) if wanted in (None, m.name)]
    for muni in munis:
        rules, exceptions = await repo.load_schedule(s, muni.name, since=local_today(now))
        pdf = render_poster(
            translator(language), muni.name, muni.code, rules, exceptions, username, now
        )
        path = folder / poster_file_name(muni.code)
        path.write_bytes(pdf)
        written.append(path)
    return written
