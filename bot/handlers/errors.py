"""One error handler: log without personal data, tell the user, keep their draft.

ptb hands error handlers a fresh context, so the language and whether the button press was
already answered are looked up again here."""

from __future__ import annotations

import logging
import traceback

from telegram import Update
from telegram.error import Forbidden, NetworkError, TelegramError

from bot.context import BotContext
from bot.handlers.common import answer, answered_queries
from bot.i18n import pick_language, translator
from bot.storage import users

log = logging.getLogger("bot.errors")


def describe(err: BaseException | None) -> str:
    """Exception type and stack frames, without the message: messages can carry what the user
    typed (or SQL parameters)."""
    if err is None:
        return "unknown error"
    frames = "".join(traceback.format_tb(err.__traceback__)) if err.__traceback__ else ""
    return f"{type(err).__name__}\n{frames}".rstrip()


async def _user_language(update: Update, context: BotContext) -> tuple[str, bool]:
    """(language, registered). Falls back to the client language if the database is the
    problem."""
    tg_user = update.effective_user
    if tg_user is None:
        return "nl", False
    try:
        async with context.unit() as s:
            user = await users.get_by_telegram_id(s, tg_user.id)
    except Exception:
        user = None
    return pick_language(tg_user.language_code, user.language if user else None), user is not None


async def on_error(update: object, context: BotContext) -> None:
    err = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    if isinstance(err, NetworkError | Forbidden):
        log.warning("telegram %s on update %s", type(err).__name__, update_id)
    else:
        log.error("unhandled error on update %s: %s", update_id, describe(err))
    if not isinstance(update, Update) or isinstance(err, Forbidden):
        return
    language, registered = await _user_language(update, context)
    context.t = translator(language)
    _ = context.t._
    if registered:
        text = _(
            "Sorry, er ging iets mis. Wat je al had ingevuld is bewaard. Probeer het nog eens."
        )
    else:
        text = _("Sorry, er ging iets mis. Probeer het nog eens.")
    query = update.callback_query
    try:
        if query is not None and query.id not in answered_queries(context):
            await answer(context, query, text, alert=True)
        elif update.effective_chat is not None:
            await context.bot.send_message(update.effective_chat.id, text)
    except TelegramError:
        log.warning("could not tell the user about the error on update %s", update_id)
