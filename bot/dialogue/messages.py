"""Sending, keyboards and callback answers: what the kit and every handler use to talk back."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.context import BotContext
from bot.dialogue import codec
from bot.services import AnsweredQueries
from bot.text import esc

MAX_CALLBACK_BYTES = codec.MAX_CALLBACK_BYTES
MAX_TEXT = 4096

Button = tuple[str, str]  # (label, callback_data)

__all__ = [
    "Button",
    "answer",
    "answered_queries",
    "edit_or_send",
    "esc",
    "keyboard",
    "reply",
    "send",
]


def keyboard(rows: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup:
    for row in rows:
        for _label, data in row:
            # Telegram rejects longer data; fail here, loudly, in tests rather than in the field.
            if len(data.encode("utf-8")) > MAX_CALLBACK_BYTES:
                raise ValueError(f"callback_data too long: {data!r}")
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


async def send(
    context: BotContext,
    chat_id: int,
    text: str,
    *,
    buttons: Sequence[Sequence[Button]] | InlineKeyboardMarkup | None = None,
    protect: bool = False,
) -> Message:
    markup = (
        buttons
        if isinstance(buttons, InlineKeyboardMarkup) or buttons is None
        else keyboard(buttons)
    )
    return await context.bot.send_message(
        chat_id,
        text,
        parse_mode=ParseMode.HTML,
        reply_markup=markup,
        protect_content=protect,
        disable_web_page_preview=True,
    )


async def reply(
    update: Update,
    context: BotContext,
    text: str,
    *,
    buttons: Sequence[Sequence[Button]] | InlineKeyboardMarkup | None = None,
) -> Message:
    chat = update.effective_chat
    assert chat is not None
    return await send(context, chat.id, text, buttons=buttons)


async def edit_or_send(
    update: Update,
    context: BotContext,
    text: str,
    *,
    buttons: Sequence[Sequence[Button]] | InlineKeyboardMarkup | None = None,
) -> Message | bool:
    """Edit the message a button sits on; send a new one when editing is not possible."""
    query = update.callback_query
    markup = (
        buttons
        if isinstance(buttons, InlineKeyboardMarkup) or buttons is None
        else keyboard(buttons)
    )
    if query is not None and query.message is not None and isinstance(query.message, Message):
        try:
            return await query.message.edit_text(
                text,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
                disable_web_page_preview=True,
            )
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return query.message
    return await reply(update, context, text, buttons=markup)


def answered_queries(context: BotContext) -> AnsweredQueries:
    return context.services.answered


async def answer(
    context: BotContext, query: CallbackQuery | None, text: str | None = None, alert: bool = False
) -> None:
    """Answer a callback query exactly once (the error handler answers when a handler didn't)."""
    if query is None or not answered_queries(context).add(query.id):
        return
    try:
        await query.answer(text=text[:200] if text else None, show_alert=alert)
    except BadRequest:
        pass  # too old to answer (e.g. after a restart): nothing left to do
