"""Command menus per role and language (Telegram's "/" menu)."""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import Forbidden, TelegramError

from bot.commands import RESIDENT, Grants, grants, menu_for
from bot.context import BotContext
from bot.i18n import LANGUAGES, translator

log = logging.getLogger(__name__)


def commands_for(role: Grants, language: str) -> list[BotCommand]:
    t = translator(language)
    return [BotCommand(c.name, t._(c.description)) for c in menu_for(role)]


async def set_default_menus(bot: Bot) -> None:
    """Everyone not registered sees the resident menu, in their client's language."""
    for lang in LANGUAGES:
        await bot.set_my_commands(
            commands_for(RESIDENT, lang),
            scope=BotCommandScopeDefault(),
            language_code=None if lang == "nl" else lang,
        )


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
