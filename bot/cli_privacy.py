"""`python -m bot wis-expert (--telegram-id N | --user-id N) [--ja]`

Erases one person the way /mijngegevens and /wisexpert do (`bot.storage.erasure`): a stable
pseudonym instead of their name and Telegram id, their free text gone, the counts and hours
kept. Without --ja it only shows who it would be and what they have. The coordinators are
told through the bot when a token is configured.
"""

from __future__ import annotations

import argparse
import asyncio

from bot.cli_common import CliError, database_errors, open_engine
from bot.config import Settings, load_settings
from bot.storage.models import User


def extend(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "wis-expert",
        help="erase an expert's personal data (name, Telegram id, texts); counts and hours stay",
        description="Erase an expert's personal data: name, Telegram id, settings and free text "
        "go; a pseudonym keeps the anonymous counts and hours, so past reports do not change.",
    )
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--telegram-id", type=int, help="the person's Telegram user id")
    who.add_argument("--user-id", type=int, help="the person's id in the database (app_user.id)")
    p.add_argument(
        "--ja", action="store_true", help="really erase (without it: only show who and what)"
    )
    p.set_defaults(func=cmd_erase)


def cmd_erase(args: argparse.Namespace) -> int:
    settings = load_settings()
    with database_errors(settings.database_url):
        return asyncio.run(_run(settings, args))


async def _run(settings: Settings, args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from bot.storage import erasure, export, users
    from bot.storage.db import session_factory, transaction
    from bot.storage.models import Role

    async with open_engine(settings.database_url) as engine:
        async with transaction(session_factory(engine)) as s:
            person = await erasure.find_person(
                s, user_id=args.user_id, telegram_id=args.telegram_id
            )
            if person is None:
                raise CliError("no such person")
            if erasure.is_erased(person):
                raise CliError(f"already erased: {person.display_name}")
            counts = (await export.personal_data(s, person)).counts()
            summary = ", ".join(f"{k} {kept + gone}" for k, (kept, gone) in counts.items())
            print(f"Person {person.id} ({person.role}): {summary}.")
            if not args.ja:
                print("Nothing erased. Add --ja to erase.")
                return 0
            erased = await erasure.erase_expert(s, person.id or 0, datetime.now(UTC))
            assert erased is not None
            coordinators = await users.active_users(s, Role.coordinator)
        await erasure.purge_freed_bytes(engine)
    print(
        f"Erased: now {erased.pseudonym}; {erased.stories} stories, {erased.signals} signals, "
        f"{erased.narratives} narratives, {erased.vindplekken} vindplekken, "
        f"{erased.audit_rows} audit rows cleared."
    )
    await _tell(settings, coordinators, erased.pseudonym)
    return 0


async def _tell(settings: Settings, coordinators: list[User], pseudonym: str) -> None:
    from telegram import Bot

    from bot.config import ConfigError
    from bot.erasure_notice import tell_coordinators

    try:
        token = settings.require_token()
    except ConfigError:
        print("Coordinators were not told (no TELEGRAM_BOT_TOKEN): please tell them.")
        return
    bot = Bot(token, base_url=settings.telegram_api_base_url)
    async with bot:
        sent = await tell_coordinators(bot, coordinators, pseudonym, "cli")
    print(f"Coordinators told: {sent}.")
