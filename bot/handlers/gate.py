"""The gatekeeper: runs first for every update (group -100).

It drops re-delivered updates, loads the user, picks their language, and enforces the role
table in `bot.commands` for every command and every button, in this one place.
"""

from __future__ import annotations

import logging
from datetime import datetime
from functools import partial

from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import Update
from telegram.constants import ChatType
from telegram.ext import Application, ApplicationHandlerStop, TypeHandler

from bot.commands import RESIDENT, allowed_callback, allowed_command, grants
from bot.context import BotContext
from bot.dialogue.codec import draft_id_of
from bot.handlers.common import answer
from bot.i18n import pick_language, translator
from bot.storage import updates, users
from bot.storage.models import id_of
from bot.storage.unit import keep

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


def grants_of(context: BotContext) -> frozenset[str]:
    """Every role the user holds (a coordinator may also log as an expert)."""
    user = context.app_user
    if user is None or not user.active:
        return frozenset({RESIDENT})
    return grants(user.role, user.also_expert)


async def gatekeeper(update: Update, context: BotContext) -> None:
    services = context.services
    tg_user = update.effective_user
    now = services.now()
    chat = update.effective_chat
    private = chat is None or chat.type == ChatType.PRIVATE
    user = None
    # Record the update id (a re-delivery is dropped) and load the user, in the update's unit
    # of work: both go out with the journey's first commit (or at the end of the update), so an
    # update costs one commit. If the journey fails, the row is written all the same once the
    # user has been told (see docs/ARCHITECTURE.md, "Per update").
    async with context.unit(commit=False) as s:
        if tg_user is not None and private:
            # A dialogue button: its draft is read along (the press then reads none).
            query = update.callback_query
            draft_id = draft_id_of(query.data) if query is not None and query.data else None
            fresh, user = await updates.record_and_load_user(
                s, update.update_id, now, tg_user.id, draft_id
            )
        else:
            fresh = await updates.record(s, update.update_id, now)
        if not fresh:
            log.info("dropping re-delivered update %s", update.update_id)
            raise ApplicationHandlerStop
        keep(partial(_record_again, update.update_id, now))
        if user is not None:
            # context.app_user outlives this transaction (a failed journey rolls it back):
            # a plain object, not one the session would expire.
            s.expunge(user)
            blocked = _blocked_state(update)
            if blocked is None and user.blocked_bot:
                blocked = False  # they talk to us again
            if blocked is not None and blocked != user.blocked_bot:
                await users.mark_blocked(s, id_of(user), now, blocked=blocked)
                user.blocked_bot = blocked
    if not private:
        # Staff data must never end up in a group; a group is not a person to register either.
        if command_name(update) is not None:
            await _commit(context)
            await context.bot.send_message(
                chat.id,  # type: ignore[union-attr]  # a command always comes from a chat
                translator("nl")._("Ik werk alleen in een privégesprek."),
            )
        raise ApplicationHandlerStop
    if update.my_chat_member is not None:
        raise ApplicationHandlerStop  # nothing else to do with (un)blocking
    context.app_user = user
    context.t = translator(
        pick_language(tg_user.language_code if tg_user else None, user.language if user else None)
    )
    if user is not None and not user.active:
        # Deactivated by the coordinator: every command, button and message is refused, kindly.
        await _commit(context)
        await _deactivated(update, context)
        raise ApplicationHandlerStop
    role = role_of(context)
    held = grants_of(context)
    if update.edited_message is not None:
        # An edit is not a new request: acting on it could save or change something twice,
        # and commands in edits would bypass the checks below.
        await _commit(context)
        await _edited(update, context, role)
        raise ApplicationHandlerStop

    name = command_name(update)
    if name is not None and not allowed_command(held, name):
        await _commit(context)
        await _deny(update, context, role)
    query = update.callback_query
    if query is not None and not allowed_callback(held, query.data or ""):
        await _commit(context)
        await answer(context, query, _denied_text(context, role), alert=True)
        raise ApplicationHandlerStop


async def _commit(context: BotContext) -> None:
    """Commit the gatekeeper's work before it answers and stops the update, so the transaction
    (on SQLite the one connection and the write lock) is not held while Telegram answers. It
    is still the update's only commit."""
    async with context.unit():
        pass


async def _record_again(update_id: int, now: datetime, s: AsyncSession) -> None:
    await updates.record(s, update_id, now)


def _blocked_state(update: Update) -> bool | None:
    member = update.my_chat_member
    if member is None:
        return None
    return member.new_chat_member.status in {"kicked", "left"}


async def _edited(update: Update, context: BotContext, role: str) -> None:
    _ = context.t._
    text = (
        _(
            "Een aangepast bericht verwerk ik niet opnieuw. "
            "Wil je iets wijzigen? Gebruik /corrigeer."
        )
        if role == "expert"
        else _("Een aangepast bericht verwerk ik niet. Stuur een nieuw bericht.")
    )
    chat = update.effective_chat
    if chat is not None:
        await context.bot.send_message(chat.id, text)


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


async def _deactivated(update: Update, context: BotContext) -> None:
    text = context.t._(
        "Je toegang tot de bot is gestopt. Dank je wel voor je inzet! "
        "Klopt dit niet? Neem contact op met de coördinator."
    )
    query = update.callback_query
    if query is not None:
        await answer(context, query, text, alert=True)
        return
    chat = update.effective_chat
    if chat is not None and update.message is not None:
        await context.bot.send_message(chat.id, text)


async def _deny(update: Update, context: BotContext, role: str) -> None:
    chat = update.effective_chat
    if chat is not None:
        await context.bot.send_message(chat.id, _denied_text(context, role))
    raise ApplicationHandlerStop


def register(application: Application) -> None:
    application.add_handler(TypeHandler(Update, gatekeeper), group=GATE_GROUP)
