"""Residents ask when and where they can walk in: /inloop, plain-text questions, `i:` buttons,
and `/start venlo` from a poster's QR code (`answer_start_payload`).

Nothing about the person asking is stored or logged: no chat id, name or message text. The
message is parsed (`walkin_query`), answered from the schedule (`walkin`) and forgotten; the
texts are in `bot.walkin_text`. Besides times, a resident gets: a "buiten ons gebied" answer
for a place outside the region, what an inloop / ervaringsdeskundige / the pool is, a warm line
and the soonest times for a help-seeking sentence (never a form), and a short answer to "stop"
and "bedankt". A message with a name or phone number, or asking to be called back, gets
"I cannot call, I keep nothing, walk in instead" with the next session. Callback data
`i:<municipality code>` carries only the municipality; a second tap that would show the same
message sends no edit.
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Sequence

from telegram import Message, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.commands import EXPERT, RESIDENT
from bot.context import BotContext
from bot.domain.walkin import Schedule, day_label, local_today
from bot.domain.walkin_query import (
    WalkinQuery,
    answer,
    parse_walkin_query,
)
from bot.handlers.common import Button, edit_or_send, keyboard, reply
from bot.handlers.common import answer as answer_query
from bot.handlers.gate import role_of
from bot.i18n import Translator
from bot.router import TextRouter
from bot.storage import walkin as repo
from bot.walkin_text import (
    HELP_LINE,
    Item,
    callback_text,
    lead_lines,
    outside_text,
    pick_text,
    place_blocks,
    render_answer,
)

PREFIX = "i"
PICK = "kies"  # `i:kies`: show the municipality buttons again
MAX_SHOWN = 15  # occurrences in one answer; more would not fit a phone screen
TAG = re.compile(r"<[^>]+>")
# Signals strong enough for staff: "Venlo" or "morgen" alone from an expert is not a question.
STAFF_SIGNALS = frozenset({"command", "kind", "visit", "open", "question"})

# --------------------------------------------------------------------------- answering

REGION_SOON = 4  # sessions shown to someone who asks for help without naming a place


def pick_buttons(munis: Sequence[tuple[str, str]]) -> list[list[Button]]:
    """The municipalities as buttons, two per row; data `i:<code>`."""
    buttons = [(name, f"{PREFIX}:{code}") for code, name in munis]
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


def other_button(t: Translator) -> list[list[Button]]:
    return [[(t._("Andere gemeente"), f"{PREFIX}:{PICK}")]]


async def _municipality_list(context: BotContext) -> list[tuple[str, str]]:
    async with context.unit() as s:
        return [(m.code, m.name) for m in await repo.municipalities(s)]


async def _help_without_place(context: BotContext) -> str:
    """A warm line, the soonest sessions anywhere in the region, and the municipality
    question: someone asking for help gets times, never a form."""
    t = context.t
    _ = t._
    services = context.services
    now = services.now()
    async with context.unit() as s:
        rules, exceptions = await repo.load_schedule(s, None, since=services.today())
    soon = Schedule(rules, exceptions).next_sessions(now, days=14, limit=REGION_SOON)
    out = [_(HELP_LINE), ""]
    if soon:
        today = local_today(now)
        out.append("<b>" + _("De eerstvolgende tijden in de regio") + "</b>")
        items = [Item(day_label(o.date, today), o) for o in soon]
        out += place_blocks(t, items, now, region=True)[0]
    out.append(pick_text(t))
    return "\n".join(out)


async def build_reply(context: BotContext, query: WalkinQuery) -> tuple[str, list[list[Button]]]:
    """Text and buttons for a parsed message: the times, or what the resident asked about,
    with the municipality choice where a place is missing."""
    t = context.t
    services = context.services
    now = services.now()
    if query.personal_data or query.topic == "callback":
        return await _callback_reply(context, query)
    if query.municipality is not None:
        async with context.unit() as s:
            rules, exceptions = await repo.load_schedule(
                s, query.municipality, since=services.today()
            )
        ans = answer(rules, exceptions, query, now, limit=MAX_SHOWN)
        return render_answer(t, ans, now, lead_lines(t, query)), other_button(t)
    if query.topic == "stop":
        return t._(
            "Goed, ik stop. Er is niets van je bewaard. Je kunt altijd opnieuw iets vragen, "
            "bijvoorbeeld <i>inloop Venlo</i>."
        ), []
    if query.topic == "thanks":
        return t._(
            "Graag gedaan! Je bent altijd welkom, zonder afspraak. Je hoeft je naam niet te geven."
        ), []
    munis = pick_buttons(await _municipality_list(context))
    if query.outside is not None:
        return outside_text(t, query), munis
    if query.topic == "help":
        return await _help_without_place(context), munis
    return "\n".join([*lead_lines(t, query), pick_text(t)]), munis


async def _callback_reply(
    context: BotContext, query: WalkinQuery
) -> tuple[str, list[list[Button]]]:
    """No call-back and nothing kept; the next session in the municipality, or the choice of
    municipality. The message itself is neither stored nor logged."""
    t = context.t
    services = context.services
    now = services.now()
    if query.municipality is None:
        munis = pick_buttons(await _municipality_list(context))
        return callback_text(t, None, None, now), munis
    async with context.unit() as s:
        rules, exceptions = await repo.load_schedule(s, query.municipality, since=services.today())
    soon = Schedule(rules, exceptions, query.municipality).next_sessions(now, days=90, limit=1)
    nxt = soon[0] if soon else None
    return callback_text(t, query.municipality, nxt, now), other_button(t)


async def _answer(update: Update, context: BotContext, query: WalkinQuery) -> None:
    text, buttons = await build_reply(context, query)
    await reply(update, context, text, buttons=buttons or None)


async def _home_municipality(context: BotContext) -> str | None:
    user = context.app_user
    if user is None or role_of(context) != EXPERT or user.home_municipality_id is None:
        return None
    async with context.unit() as s:
        muni = await repo.municipality_by_id(s, user.home_municipality_id)
    return muni.name if muni else None


async def cmd_inloop(update: Update, context: BotContext) -> None:
    msg = update.message
    assert msg is not None
    query = parse_walkin_query(msg.text or "", context.services.now())
    if query.municipality is None:
        # An expert asking without a place means their own municipality.
        home = await _home_municipality(context)
        if home is not None:
            query = dataclasses.replace(query, municipality=home)
    await _answer(update, context, query)


async def answer_start_payload(update: Update, context: BotContext, payload: str) -> bool:
    """`/start venlo` from a poster's QR code: that municipality's (or village's) times.
    False when the payload names no place. Nothing about the resident is stored."""
    text = re.sub(r"[-_]+", " ", payload)[:64]
    query = parse_walkin_query(text, context.services.now())
    if query.municipality is None and query.outside is None:
        return False
    query = dataclasses.replace(query, topic=None)
    await _answer(update, context, query)
    return True


def is_question_for(role: str, query: WalkinQuery) -> bool:
    """Residents: anything that looks like a walk-in question. Staff type other things too, so
    a bare place or day is not enough for them."""
    if not query.is_walkin_question:
        return False
    return role == RESIDENT or bool(query.signals & STAFF_SIGNALS)


async def on_text(update: Update, context: BotContext) -> bool:
    """Free text: answer a walk-in question, otherwise let the next handler try."""
    msg = update.message
    if msg is None or not msg.text:
        return False
    query = parse_walkin_query(msg.text, context.services.now())
    if not is_question_for(role_of(context), query):
        return False
    await _answer(update, context, query)
    return True


def _plain(text: str) -> str:
    """What Telegram shows of our HTML: the text without tags and entities."""
    return html.unescape(TAG.sub("", text))


async def show(
    update: Update, context: BotContext, text: str, buttons: Sequence[Sequence[Button]]
) -> None:
    """Edit the message the button sits on, unless it already shows exactly this (a double
    tap): Telegram refuses an edit that changes nothing, so none is sent."""
    query = update.callback_query
    message = query.message if query is not None else None
    if (
        isinstance(message, Message)
        and message.text == _plain(text)
        and message.reply_markup == (keyboard(buttons) if buttons else None)
    ):
        return
    await edit_or_send(update, context, text, buttons=buttons)


async def on_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    code = (query.data or "").split(":", 1)[1] if ":" in (query.data or "") else ""
    t = context.t
    if code == PICK:
        await answer_query(context, query)
        await show(update, context, pick_text(t), pick_buttons(await _municipality_list(context)))
        return
    async with context.unit() as s:
        muni = await repo.municipality_by_code(s, code)
    if muni is None or not muni.active:
        await answer_query(
            context, query, t._("Die gemeente ken ik niet. Kies er een uit de lijst.")
        )
        await show(update, context, pick_text(t), pick_buttons(await _municipality_list(context)))
        return
    await answer_query(context, query)
    walkin_query = dataclasses.replace(
        parse_walkin_query("", context.services.now()), municipality=muni.name
    )
    text, buttons = await build_reply(context, walkin_query)
    await show(update, context, text, buttons)


def register(application: Application, router: TextRouter) -> None:
    application.add_handler(CommandHandler("inloop", cmd_inloop))
    application.add_handler(CallbackQueryHandler(on_button, pattern=rf"^{PREFIX}:"))
    router.free_text(on_text)
