"""One error handler: log without personal data, tell the user, keep their draft."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, NetworkError, TelegramError

from bot.context import BotContext
from bot.handlers.common import answer

log = logging.getLogger("bot.errors")


async def on_error(update: object, context: BotContext) -> None:
    err = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    # Type and update id only: exception messages can echo what the user typed.
    if isinstance(err, NetworkError | Forbidden):
        log.warning("telegram %s on update %s", type(err).__name__, update_id)
    else:
        log.error(
            "unhandled %s on update %s",
            type(err).__name__,
            update_id,
            exc_info=(type(err), err, err.__traceback__) if err else None,
        )
    if not isinstance(update, Update):
        return
    text = context.t._(
        "Sorry, er ging iets mis. Wat je al had ingevuld is bewaard. Probeer het nog eens."
    )
    try:
        if update.callback_query is not None:
            await answer(context, update.callback_query, text, alert=True)
        elif update.effective_chat is not None and not isinstance(err, Forbidden):
            await context.bot.send_message(update.effective_chat.id, text)
    except TelegramError:
        log.warning("could not tell the user about the error on update %s", update_id)
