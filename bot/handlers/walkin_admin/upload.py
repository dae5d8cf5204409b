"""A CSV file sent during the 'CSV-bestand inlezen' step: checked whole (format and privacy),
then shown as a preview to confirm; nothing is imported before "Inlezen"."""

from __future__ import annotations

from collections.abc import Callable

from telegram import Update
from telegram.ext import filters

from bot.commands import COORDINATOR
from bot.context import BotContext
from bot.dialogue import Outcome, Turn, current_draft
from bot.domain.walkin_input import check_csv, decode_csv
from bot.handlers.common import reply
from bot.handlers.gate import role_of
from bot.handlers.walkin_admin.steps import ADMIN, advance
from bot.handlers.walkin_admin.view import FLOW, AdminView
from bot.storage.models import ConversationDraft
from bot.text import esc
from bot.walkin_text import csv_error_line

MAX_CSV_BYTES = 512 * 1024
MAX_ERRORS_SHOWN = 15

CSV_FILTER = (
    filters.Document.FileExtension("csv")
    | filters.Document.MimeType("text/csv")
    | filters.Document.MimeType("text/comma-separated-values")
)


async def _show(
    update: Update,
    context: BotContext,
    draft: ConversationDraft,
    outcome: Callable[[Turn[AdminView]], Outcome],
) -> None:
    """Record the outcome's step (if any) on `draft` and reply with what comes next."""
    async with context.unit() as s:
        s.add(draft)  # read in an earlier unit; the guarded save catches a change meanwhile
        turn = Turn(s, context, ADMIN, draft)
        text, buttons = await turn.finish(outcome(turn))
    await reply(update, context, text, buttons=buttons or None)


async def on_document(update: Update, context: BotContext) -> None:
    msg = update.message
    assert msg is not None and msg.document is not None
    t = context.t
    _ = t._
    if role_of(context) != COORDINATOR or context.app_user is None:
        await reply(update, context, _("Met een bestand kan ik hier niets. Typ /help."))
        return
    async with context.unit() as s:
        draft = await current_draft(s, context, FLOW)
    if draft is None or draft.state != "import":
        await reply(
            update,
            context,
            _("Wil je een CSV-bestand inlezen? Typ /inloopbeheer en kies 'CSV-bestand inlezen'."),
        )
        return
    doc = msg.document
    if doc.file_size and doc.file_size > MAX_CSV_BYTES:
        note = _("Dit bestand is te groot. Een CSV-bestand met inlooptijden is veel kleiner.")
        await _show(update, context, draft, lambda _turn: Outcome(error=note))
        return
    # Downloaded outside any unit of work: no database connection waits on the network.
    file = await context.bot.get_file(doc.file_id)
    text = decode_csv(bytes(await file.download_as_bytearray()))
    result = check_csv(text, context.services.today())
    if result.errors:
        lines = [_("Er is niets ingelezen. Dit klopt nog niet:")]
        lines += [csv_error_line(t, e) for e in result.errors[:MAX_ERRORS_SHOWN]]
        if len(result.errors) > MAX_ERRORS_SHOWN:
            lines.append(_("… en nog {n} fouten.").format(n=len(result.errors) - MAX_ERRORS_SHOWN))
        lines += ["", _("Verbeter het bestand en stuur het opnieuw.")]
        await reply(update, context, "\n".join(lines))
        return
    munis = sorted({r.municipality for r in result.rows})
    preview = "\n".join(
        [
            "<b>" + _("CSV-bestand inlezen") + "</b>",
            t.ngettext(
                "In het bestand staat {n} inloopmoment ({names}).",
                "In het bestand staan {n} inloopmomenten ({names}).",
                len(result.rows),
            ).format(n=len(result.rows), names=esc(", ".join(munis))),
            _("Wat er al in staat, wordt bijgewerkt. Er komt niets dubbel in."),
            "",
            _("Inlezen?"),
        ]
    )
    await _show(
        update, context, draft, lambda turn: advance(turn, {"csv": text, "preview": preview})
    )
