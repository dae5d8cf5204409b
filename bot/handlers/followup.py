"""Doorstroom: the follow-up question weeks after a contact with new residents.

"Op dinsdag 17 november sprak je 2 nieuwe inwoners (WIJ Venlo). Hoeveel van hen gingen daarna
naar hulp of een voorziening?" — one tap: 0 … 5, "Meer" (then typed), or "Weet ik niet"; then,
optionally, which kind of service (a referral target) or "Overslaan". Counts only, never who.

Buttons `fu:<follow-up id>:0:<action>[:<arg>]`: n:<count>, nk (weet ik niet), more (type the
number), k:<referral target id or 0>. The answer is written only while the follow-up is open
(`bot.storage.followups.answer`), so an old or double tap records nothing a second time.

The pass (`followup_pass`, every 15 minutes from `bot.jobs`) asks between ASK_FROM and
ASK_UNTIL (Europe/Amsterdam), on the expert's reminder days, not on public holidays, never to
an expert who paused reminders, turned them off, blocked the bot or left.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.ext import Application, CallbackQueryHandler

from bot.context import BotContext
from bot.dialogue import encode, parse, start_draft
from bot.domain import contact_draft as cdm
from bot.domain.holidays_nl import is_public_holiday
from bot.handlers.common import Button, answer, edit_or_send, esc, keyboard, reply
from bot.handlers.contact.texts import SKIP_LABEL
from bot.i18n import N_, Translator, translator
from bot.router import TextRouter
from bot.sender import Sender, pacer_for
from bot.services import Services
from bot.storage import drafts, followups, users
from bot.storage.db import transaction
from bot.storage.models import ConversationDraft

log = logging.getLogger(__name__)

PREFIX = "fu"
FLOW = "doorstroom"  # the draft that waits for a typed number ("Meer")
JOB_ID = "followups"
ASK_FROM = time(10, 0)
ASK_UNTIL = time(18, 0)
MAX_BUTTON = 5  # counts up to this are buttons; more are typed
NOT_WORKING = N_("Deze knop werkt niet meer.")
ANSWERED = N_("Deze vraag is al beantwoord, of het contact is verwijderd.")


def _button(followup_id: int, action: str, *args: object) -> str:
    return encode(PREFIX, followup_id, 0, action, *args)


def question(t: Translator, due: followups.Due) -> tuple[str, list[list[Button]]]:
    _ = t._
    n = due.residents_new
    text = t.ngettext(
        "Op {day} sprak je {n} nieuwe inwoner ({deel}). Ging die daarna naar hulp of een "
        "voorziening?",
        "Op {day} sprak je {n} nieuwe inwoners ({deel}). Hoeveel van hen gingen daarna naar "
        "hulp of een voorziening?",
        n,
    ).format(day=esc(t.fmt_date(due.work_date)), n=n, deel=esc(due.deelopdracht))
    if n == 1:  # one resident: yes or no
        counts = [(_("Ja"), _button(due.id, "n", 1)), (_("Nee"), _button(due.id, "n", 0))]
    else:
        counts = [(str(k), _button(due.id, "n", k)) for k in range(min(n, MAX_BUTTON) + 1)]
    rows = [counts]
    last = [(_("Weet ik niet"), _button(due.id, "nk"))]
    if n > MAX_BUTTON:
        last.insert(0, (_("Meer, typ het aantal"), _button(due.id, "more")))
    rows.append(last)
    hint = _("Alleen het aantal, geen namen.")
    return f"<b>{text}</b>\n{hint}", rows


# --------------------------------------------------------------------------- the pass


@dataclass
class FollowupReport:
    sent: int = 0
    blocked: int = 0
    failed: int = 0
    skipped: int = 0  # claimed by another pass first


async def followup_pass(app: Application, now: datetime | None = None) -> FollowupReport:
    return await run_followups(app.bot_data.services, app.bot, now)


def asking_day(local: datetime) -> date | None:
    """The day of ``local`` (a local time) when it falls in the asking hours of a day that is
    no public holiday; None otherwise."""
    today = local.date()
    if is_public_holiday(today) or not ASK_FROM <= local.time() < ASK_UNTIL:
        return None
    return today


async def run_followups(
    services: Services, bot: object, now: datetime | None = None
) -> FollowupReport:
    """Ask every follow-up that is due and not yet asked (by any process)."""
    now = now or services.now()
    tz = services.settings.tz
    report = FollowupReport()
    today = asking_day(now.astimezone(tz))
    if today is None:
        return report
    day_start = datetime.combine(today, time(0), tz).astimezone(UTC)
    async with services.sessions() as s:
        todo = await followups.due(s, today, day_start)
    if not todo:
        return report
    sender = Sender(pacer_for(services))
    for due in todo:
        async with transaction(services.sessions) as s:
            if not await followups.claim(s, due.id, now):
                report.skipped += 1
                continue
        t = translator(due.language)
        text, rows = question(t, due)
        markup: InlineKeyboardMarkup = keyboard(rows)

        async def send(
            chat_id: int = due.chat_id, text: str = text, markup: object = markup
        ) -> Message:
            return await bot.send_message(  # type: ignore[attr-defined]
                chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup
            )

        outcome = await sender.deliver(due.chat_id, send)
        if outcome.status == "sent":
            report.sent += 1
            continue
        async with transaction(services.sessions) as s:
            if outcome.status == "blocked":
                report.blocked += 1
                await users.mark_blocked(s, due.expert_id, services.now())
            elif outcome.status == "failed":
                report.failed += 1
                if outcome.error != "BadRequest":  # a refused message is refused again
                    await followups.release(s, due.id, now)  # not delivered: ask again later
            else:  # "unknown": it may have arrived; never asked twice
                report.failed += 1
    if report.sent or report.blocked or report.failed:
        log.info(
            "follow-ups: %s sent, %s blocked, %s failed", report.sent, report.blocked, report.failed
        )
    return report


# --------------------------------------------------------------------------- the answers


async def _kind_question(
    context: BotContext, followup_id: int, went_on: int, of: int
) -> tuple[str, list[list[Button]]]:
    _ = context.t._
    async with context.unit() as s:
        kinds = await followups.service_kinds(s)
    rows = [[(k.label, _button(followup_id, "k", k.id))] for k in kinds]
    rows.append([(_(SKIP_LABEL), _button(followup_id, "k", 0))])
    head = _("Genoteerd: {n} van de {of}.").format(n=went_on, of=of)
    ask = _("Naar wat voor hulp of voorziening vooral?")
    return f"{head}\n<b>{ask}</b>", rows


async def _record(
    update: Update, context: BotContext, followup_id: int, went_on: int | None
) -> None:
    """Write a count (or "weet ik niet") and show what comes next; an answered one is told."""
    _ = context.t._
    user = context.app_user
    assert user is not None and user.id is not None
    async with context.unit() as s:
        due = await followups.open_for(s, followup_id, user.id)
        if due is not None and went_on is not None and not 0 <= went_on <= due.residents_new:
            due = None
        ok = due is not None and await followups.answer(
            s, followup_id, user.id, went_on, context.services.now()
        )
    if not ok or due is None:
        await answer(context, update.callback_query, _(ANSWERED))
        return
    await answer(context, update.callback_query)
    if went_on:
        text, rows = await _kind_question(context, followup_id, went_on, due.residents_new)
        await edit_or_send(update, context, text, buttons=rows)
    elif went_on == 0:
        await edit_or_send(update, context, esc(_("Genoteerd: geen van hen. Dank je!")))
    else:
        await edit_or_send(update, context, esc(_("Genoteerd: weet ik niet. Dank je!")))


async def on_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    _ = context.t._
    user = context.app_user
    press = parse(query.data or "", PREFIX)
    if press is None or user is None or user.id is None:
        await answer(context, query, _(NOT_WORKING))
        return
    fid, action, arg = press.draft_id, press.action, press.arg
    if action == "n" and arg.isascii() and arg.isdigit():
        await _record(update, context, fid, int(arg))
    elif action == "nk":
        await _record(update, context, fid, None)
    elif action == "more":
        async with context.unit() as s:
            due = await followups.open_for(s, fid, user.id)
            if due is not None:
                await start_draft(s, context, FLOW, "count", {"followup_id": fid})
        if due is None:
            await answer(context, query, _(ANSWERED))
            return
        await answer(context, query)
        text = _(
            "Typ hoeveel van hen daarna naar hulp of een voorziening gingen: een getal van 0 "
            "tot en met {n}."
        )
        await edit_or_send(update, context, esc(text.format(n=due.residents_new)))
    elif action == "k" and arg.isascii() and arg.isdigit():
        if arg == "0":
            await answer(context, query)
            await edit_or_send(update, context, esc(_("Dank je!")))
            return
        async with context.unit() as s:
            ok = await followups.set_kind(s, fid, user.id, int(arg), context.services.now())
        if not ok:
            await answer(context, query, _(ANSWERED))
            return
        await answer(context, query)
        await edit_or_send(update, context, esc(_("Genoteerd. Dank je!")))
    else:
        await answer(context, query, _(NOT_WORKING))


async def on_text(update: Update, context: BotContext, draft: ConversationDraft) -> None:
    """The typed number after "Meer"; a wrong one is explained and the question stays."""
    _ = context.t._
    user = context.app_user
    msg = update.message
    assert user is not None and user.id is not None and msg is not None
    fid = int((draft.data or {}).get("followup_id") or 0)
    n = cdm.parse_count(msg.text or "") if (msg.text or "").strip() != "0" else 0
    async with context.unit() as s:
        due = await followups.open_for(s, fid, user.id)
        if due is None:
            row = await drafts.get_by_id(s, draft.id) if draft.id is not None else None
            if row is not None:
                await drafts.discard(s, row)
    if due is None:
        await reply(update, context, esc(_(ANSWERED)))
        return
    if n is None or not 0 <= n <= due.residents_new:
        text = _("Typ een getal van 0 tot en met {n}.").format(n=due.residents_new)
        await reply(update, context, esc(text))
        return
    async with context.unit() as s:
        ok = await followups.answer(s, fid, user.id, n, context.services.now())
        row = await drafts.get_by_id(s, draft.id) if draft.id is not None else None
        if row is not None:
            await drafts.discard(s, row)
    if not ok:
        await reply(update, context, esc(_(ANSWERED)))
    elif n:
        text, rows = await _kind_question(context, fid, n, due.residents_new)
        await reply(update, context, text, buttons=rows)
    else:
        await reply(update, context, esc(_("Genoteerd: geen van hen. Dank je!")))


def register(application: Application, router: TextRouter) -> None:
    application.add_handler(CallbackQueryHandler(on_button, pattern=rf"^{PREFIX}:"))
    router.flow(FLOW, on_text)
