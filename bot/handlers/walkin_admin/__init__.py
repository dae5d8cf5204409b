"""/inloopbeheer: coordinators add, change and stop walk-in sessions, cancel one date, add an
extra date, undo either of those, or read in a CSV file. Buttons
`b:<draft id>:<revision>:<action>[:<argument>]`.

A dialogue of the kit (`bot.dialogue`) kept in a `conversation_draft` (flow "inloopbeheer"),
each step committed before the reply; the change is saved, and the draft removed, in one
transaction after the coordinator confirms a summary. A button from an earlier step (or a
second tap on "Opslaan") finds the revision changed or the draft gone and changes nothing.

- `view`: which steps each action takes, and what a step shows (loaded once per update);
- `render`: each step as a message with buttons; `texts`: labels and lines;
- `steps`: what a tap or a typed answer does per step (the step table, `ADMIN`);
- `save`: the confirmed change; `overview`: 'Overzicht per gemeente'; `upload`: the CSV file.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.context import BotContext
from bot.dialogue import Turn, start_draft
from bot.domain.walkin_input import (
    check_csv,
    decode_csv,
    looks_personal,
    parse_day,
    parse_time_range,
)
from bot.handlers.common import reply
from bot.handlers.walkin_admin.overview import with_follow_ups
from bot.handlers.walkin_admin.steps import ADMIN
from bot.handlers.walkin_admin.upload import CSV_FILTER, on_document
from bot.handlers.walkin_admin.view import FLOW, PREFIX, steps
from bot.router import TextRouter
from bot.walkin_text import CSV_ERRORS, csv_error_line


async def cmd_manage(update: Update, context: BotContext) -> None:
    assert context.app_user is not None  # the gatekeeper only lets coordinators in
    async with context.unit() as s:
        draft = await start_draft(s, context, FLOW, "menu", {})
        text, buttons = await Turn(s, context, ADMIN, draft).render()
    await reply(update, context, text, buttons=buttons)


def register(application: Application, router: TextRouter) -> None:
    application.add_handler(CommandHandler("inloopbeheer", cmd_manage))
    # The kit's handlers, plus the follow-up messages of a long overview.
    application.add_handler(
        CallbackQueryHandler(with_follow_ups(ADMIN.on_button), pattern=rf"^{PREFIX}:")
    )
    router.flow(FLOW, with_follow_ups(ADMIN.on_draft_text))
    application.add_handler(MessageHandler(filters.UpdateType.MESSAGE & CSV_FILTER, on_document))


__all__ = [
    "CSV_ERRORS",
    "check_csv",
    "csv_error_line",
    "decode_csv",
    "looks_personal",
    "parse_day",
    "parse_time_range",
    "register",
    "steps",
]
