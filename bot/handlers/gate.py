"""The gatekeeper: runs first for every update (group -100).

It drops re-delivered updates, loads the user, picks their language, and enforces the role
table in `bot.commands` for every command and every button, in this one place.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import IntegrityError
from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, TypeHandler

from bot.commands import RESIDENT, allowed_callback, allowed_command
from bot.context import BotContext
from bot.handlers.common import answer
from bot.i18n import pick_language, translator
from bot.storage import users
from bot.storage.db import transaction
from bot.storage.models import ProcessedUpdate

log = logging.getLogger(__name__)

GATE_GROUP = -100


def command_name(update: Update) -> str | None:
    msg = update.message
    if msg is None or not msg.text or not msg.text.startswith("/"):
        return None
    head = msg.text.split(maxsplit=1)[0][1:]
    return head.split("@", 1)[0].lower() or None


def role_of(context: BotContext) -> str:
    user = context.app_user
    return user.role if user is not None and user.active else RESIDENT


async def gatekeeper(update: Update, context: BotContext) -> None:
    services = context.services
    tg_user = update.effective_user
    now = services.now()
    async with services.sessions() as s:
        try:
            async with s.begin():
                s.add(ProcessedUpdate(update_id=update.update_id, at=now))
        except IntegrityError:
            log.info("dropping re-delivered update %s", update.update_id)
            raise ApplicationHandlerStop from None
    user = None
    if tg_user is not None:
        async with transaction(services.sessions) as s:
            user = await users.get_by_telegram_id(s, tg_user.id)
            if user is not None and user.blocked_bot and update.my_chat_member is None:
                # They talk to us again, so they unblocked the bot.
                await users.mark_blocked(s, user.id, now, blocked=False)  # type: ignore[arg-type]
                user.blocked_bot = False
    context.app_user = user
    context.t = translator(
        pick_language(tg_user.language_code if tg_user else None, user.language if user else None)
    )
    role = role_of(context)

    name = command_name(update)
    if name is not None and not allowed_command(role, name):
        await _deny(update, context, role)
    query = update.callback_query
    if query is not None and not allowed_callback(role, query.data or ""):
        await answer(context, query, _denied_text(context, role), alert=True)
        raise ApplicationHandlerStop


def _denied_text(context: BotContext, role: str) -> str:
    _ = context.t._
    if role == RESIDENT:
        return _(
            "Dit is alleen voor ervaringsdeskundigen van de pool. "
            "Wil je weten waar je kunt binnenlopen? Typ /inloop."
        )
    if role == "expert":
        return _("Dit kan alleen de coördinator.")
    return _("Dit is voor ervaringsdeskundigen. Jij bent aangemeld als coördinator.")


async def _deny(update: Update, context: BotContext, role: str) -> None:
    chat = update.effective_chat
    if chat is not None:
        await context.bot.send_message(chat.id, _denied_text(context, role))
    raise ApplicationHandlerStop


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(TypeHandler(Update, gatekeeper), group=GATE_GROUP)
