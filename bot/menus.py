"""Command menus per role and language (Telegram's "/" menu)."""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import Forbidden, TelegramError

from bot.commands import RESIDENT, CommandSpec, Grants, grants, menu_for
from bot.context import BotContext
from bot.i18n import LANGUAGES, N_, translator

log = logging.getLogger(__name__)


# Commands a resident may type but has no use for in the menu: a resident has no dialogue to
# stop (/annuleer), so the menu shows only what helps them find a walk-in.
NOT_FOR_RESIDENTS = frozenset({"annuleer"})

# What a person sees before they type anything (Telegram: ≤ 512 and ≤ 120 characters).
DESCRIPTION = N_(
    "Wil je praten met iemand die weet hoe het is? Bij de ervaringsdeskundigen in Noord- en "
    "Midden-Limburg kun je zonder afspraak binnenlopen. Het is gratis en je hoeft je naam niet "
    "te geven.\n\n"
    "Typ waar je woont, bijvoorbeeld: inloop Venlo. Dan zie je waar en wanneer je welkom bent. "
    "Deze bot bewaart niets over jou."
)
SHORT_DESCRIPTION = N_(
    "Zonder afspraak praten met een ervaringsdeskundige in Noord- en Midden-Limburg. "
    "Typ je woonplaats."
)


def menu_specs(role: Grants) -> list[CommandSpec]:
    """The commands of a role's menu (and /help): only what that role can use."""
    specs = menu_for(role)
    if role in (RESIDENT, frozenset({RESIDENT})):
        specs = [c for c in specs if c.name not in NOT_FOR_RESIDENTS]
    return specs


def commands_for(role: Grants, language: str) -> list[BotCommand]:
    t = translator(language)
    return [BotCommand(c.name, t._(c.description)) for c in menu_specs(role)]


async def set_default_menus(bot: Bot) -> None:
    """Everyone not registered sees the resident menu, in their client's language; and the
    bot's description and short description (the first thing a person sees) are set."""
    for lang in LANGUAGES:
        language_code = None if lang == "nl" else lang
        await bot.set_my_commands(
            commands_for(RESIDENT, lang),
            scope=BotCommandScopeDefault(),
            language_code=language_code,
        )
        t = translator(lang)
        await bot.set_my_description(t._(DESCRIPTION), language_code=language_code)
        await bot.set_my_short_description(t._(SHORT_DESCRIPTION), language_code=language_code)


async def set_user_menu(bot: Bot, chat_id: int, role: Grants, language: str) -> None:
    try:
        await bot.set_my_commands(commands_for(role, language), scope=BotCommandScopeChat(chat_id))
    except Forbidden:
        log.info("menu not set: chat blocked the bot")
    except TelegramError as exc:
        log.warning("menu not set: %s", type(exc).__name__)


async def refresh_user_menus(context: BotContext) -> None:
    """At start-up: give every registered user the menu of their role and language (a new
    version may have added commands). Paced by the rate limiter; blocked chats are skipped."""
    from bot.storage import users as user_repo

    app = context.application
    services = app.bot_data.services
    async with services.sessions() as s:
        people = await user_repo.active_users(s)
    for user in people:
        if not user.blocked_bot:
            await set_user_menu(
                app.bot, user.chat_id, grants(user.role, user.also_expert), user.language
            )
