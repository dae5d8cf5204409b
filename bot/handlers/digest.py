"""/overzicht: the weekly digest on demand, for coordinators.

`/overzicht` shows the last complete ISO week; `/overzicht 2026-W47` (or `/overzicht 47`) a
chosen week. Buttons `d:w:<year>-W<week>` page to the week before or after; they carry no draft,
so an old button simply shows the week it names. Messages are protected (no forwarding). The
scheduled weekly delivery lives in `bot.scheduler` (exactly once per coordinator and week).
"""

from __future__ import annotations

import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot import jobs
from bot.context import BotContext
from bot.domain.digest import IsoWeek
from bot.handlers.common import answer, esc, reply
from bot.i18n import Translator
from bot.router import TextRouter

PREFIX = "d"
# Older weeks belong in the half-yearly report, not in a chat.
MAX_WEEKS_BACK = 80


def parse_week_arg(text: str, current: IsoWeek) -> IsoWeek | None:
    """'2026-W47', '2026W47' or a bare week number (this year, or last year if still ahead)."""
    text = text.strip()
    m = re.fullmatch(r"(?:week\s*)?(\d{1,2})", text, flags=re.IGNORECASE)
    if m:
        number = int(m.group(1))
        for year in (current.year, current.year - 1):
            try:
                wk = IsoWeek.parse(f"{year}-W{number:02d}")
            except ValueError:
                continue
            if wk <= current:
                return wk
        return None
    try:
        return IsoWeek.parse(text)
    except ValueError:
        return None


def paging(t: Translator, week: IsoWeek, current: IsoWeek) -> InlineKeyboardMarkup:
    _ = t._
    row = []
    if week > current.shift(-MAX_WEEKS_BACK):
        prev = week.shift(-1)
        row.append(
            InlineKeyboardButton(
                _("« Week {week}").format(week=prev.week), callback_data=f"{PREFIX}:w:{prev}"
            )
        )
    if week < current:
        nxt = week.shift(1)
        row.append(
            InlineKeyboardButton(
                _("Week {week} »").format(week=nxt.week), callback_data=f"{PREFIX}:w:{nxt}"
            )
        )
    return InlineKeyboardMarkup([row])


async def show_week(update: Update, context: BotContext, week: IsoWeek) -> None:
    from bot.scheduler import load_digest, render_for, send_digest
    from bot.sender import Sender, pacer_for

    services = context.services
    chat = update.effective_chat
    assert chat is not None
    current = IsoWeek.of(services.today())
    data = await load_digest(services, week, context.unit)
    rendered = await render_for(data, context.t)
    if week == current:
        note = esc(context.t._("Deze week is nog niet voorbij: de cijfers lopen nog op."))
        rendered.chunks.insert(0, note)
    await send_digest(
        context.bot,
        Sender(pacer_for(services)),
        chat.id,
        rendered,
        last_markup=paging(context.t, week, current),
    )


async def cmd_overview(update: Update, context: BotContext) -> None:
    _ = context.t._
    current = IsoWeek.of(context.services.today())
    arg = " ".join(context.args or []).strip()
    if arg:
        week = parse_week_arg(arg, current)
        if week is None or week > current or week < current.shift(-MAX_WEEKS_BACK):
            await reply(
                update,
                context,
                esc(
                    _(
                        "Welke week bedoel je? Typ bijvoorbeeld /overzicht 47 of "
                        "/overzicht 2026-W47. Zonder week zie je de vorige week."
                    )
                ),
            )
            return
    else:
        week = current.shift(-1)
    await show_week(update, context, week)


async def on_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    _ = context.t._
    parts = (query.data or "").split(":")
    current = IsoWeek.of(context.services.today())
    week = None
    if len(parts) == 3 and parts[1] == "w":
        try:
            week = IsoWeek.parse(parts[2])
        except ValueError:
            week = None
    if week is None or week > current or week < current.shift(-MAX_WEEKS_BACK):
        await answer(context, query, _("Deze knop werkt niet meer. Typ /overzicht."))
        return
    await answer(context, query, _("Week {week} komt eraan.").format(week=week.week))
    await show_week(update, context, week)


def register(application: Application, router: TextRouter) -> None:
    application.add_handler(CommandHandler("overzicht", cmd_overview))
    application.add_handler(CallbackQueryHandler(on_button, pattern=rf"^{PREFIX}:"))


def schedule(application: Application) -> None:
    """The digest jobs (registered with all others in `bot.jobs`)."""
    jobs.schedule_digest(application)
