"""Residents ask when and where they can walk in: /inloop, plain-text questions, `i:` buttons.

Nothing about the person asking is stored or logged: no chat id, name or message text. The
question is parsed (`walkin_query`), answered from the schedule (`walkin`) and forgotten.
Callback data `i:<municipality code>` carries only the municipality.
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import quote

from telegram import Message, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.commands import EXPERT, RESIDENT
from bot.context import BotContext
from bot.domain.digest import utf16_len
from bot.domain.holidays_nl import holiday_name
from bot.domain.walkin import DayLabel, Occurrence, day_label, local_today, next_sessions
from bot.domain.walkin_query import (
    CancelledSession,
    DayGroup,
    WalkinAnswer,
    WalkinQuery,
    answer,
    parse_walkin_query,
)
from bot.handlers.common import Button, edit_or_send, esc, keyboard, reply
from bot.handlers.common import answer as answer_query
from bot.handlers.gate import role_of
from bot.i18n import N_, Translator
from bot.router import TextRouter
from bot.storage import walkin as repo

PREFIX = "i"
PICK = "kies"  # `i:kies`: show the municipality buttons again
MAX_SHOWN = 15  # occurrences in one answer; more would not fit a phone screen
# Raw HTML in UTF-16 units (what Telegram counts, plus tags and entities) for the list of
# sessions; the lines after it (more times, welcome) stay far below the rest of 4096.
MAX_CHARS = 3500
MAP_SEARCH = "https://www.openstreetmap.org/search?query="
TAG = re.compile(r"<[^>]+>")
# Signals strong enough for staff: "Venlo" or "morgen" alone from an expert is not a question.
STAFF_SIGNALS = frozenset({"command", "kind", "visit", "open", "question"})

KIND_WORD = {
    "inloop": N_("inloop"),
    "spreekuur": N_("spreekuur"),
    None: N_("inloop of spreekuur"),
}
PART_WORD = {
    "ochtend": N_("in de ochtend"),
    "middag": N_("in de middag"),
    "avond": N_("in de avond"),
}


# --------------------------------------------------------------------------- rendering


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _when(t: Translator, ans: WalkinAnswer) -> str:
    """The period the resident asked about, as the start of a sentence."""
    _ = t._
    day = ans.day
    if day is None:
        when = _("De komende twee weken")
    elif day.key == "today":
        when = _("Vandaag")
    elif day.key == "tomorrow":
        when = _("Morgen")
    elif day.key == "day_after_tomorrow":
        when = _("Overmorgen")
    elif day.key == "weekend":
        when = _("Dit weekend")
    elif day.key == "this_week":
        when = _("Deze week")
    elif day.key == "next_week":
        when = _("Volgende week")
    elif day.single is not None:
        when = _("Op {date}").format(date=t.fmt_date(day.first))
    else:
        when = _("Van {first} tot en met {last}").format(
            first=t.fmt_date(day.first), last=t.fmt_date(day.last)
        )
    if ans.part_of_day:
        when = f"{when} {_(PART_WORD[ans.part_of_day])}"
    return when


def _title(t: Translator, ans: WalkinAnswer) -> str:
    _ = t._
    # What is shown decides the title; with nothing shown, what was asked (default inloop).
    kinds = {o.kind for o in ans.occurrences} or {ans.kind or "inloop"}
    if kinds == {"spreekuur"}:
        title = _("Spreekuur in {place}")
    elif kinds == {"inloop"}:
        title = _("Inloop in {place}")
    else:
        title = _("Inloop en spreekuur in {place}")
    return "<b>" + title.format(place=esc(ans.municipality)) + "</b>"


def _day_header(t: Translator, d_label: str, d: date) -> str:
    _ = t._
    date_text = t.fmt_date(d)
    if d_label == "today":
        return _("Vandaag, {date}").format(date=date_text)
    if d_label == "tomorrow":
        return _("Morgen, {date}").format(date=date_text)
    return _cap(date_text)


def map_link(address: str) -> str:
    """The address as a link to a plain map search (no API key, no geocoding service)."""
    url = MAP_SEARCH + quote(address, safe="")
    return f'<a href="{html.escape(url)}">{esc(address)}</a>'


@dataclass(frozen=True)
class _Item:
    """One line under a place: a session that takes place, or one that is cancelled."""

    label: DayLabel
    occurrence: Occurrence
    cancelled: CancelledSession | None = None


def _items(groups: Sequence[DayGroup]) -> list[_Item]:
    out: list[_Item] = []
    for g in groups:
        out += [_Item(g.label, o) for o in g.occurrences]
        out += [_Item(g.label, c.occurrence, c) for c in g.cancelled]
    return sorted(out, key=lambda i: i.occurrence.start_utc)


def _item_lines(t: Translator, item: _Item, now: datetime, place_note: str | None) -> list[str]:
    _ = t._
    o = item.occurrence
    day = esc(_day_header(t, item.label, o.date))
    when = f"{day} · {t.fmt_time(o.start_local)} – {t.fmt_time(o.end_local)}"
    if item.cancelled is not None:
        lines = [f"<s>{when}</s>", "❌ " + _("Gaat niet door.")]
        nxt = item.cancelled.next
        if nxt is not None:
            lines[-1] += " " + _("De volgende keer is op {date}.").format(date=t.fmt_date(nxt.date))
        return lines
    lines = [when]
    if o.start_utc <= now < o.end_utc:
        lines.append("🟢 " + _("Nu open, tot {time}").format(time=t.fmt_time(o.end_local)))
    if o.holiday:
        lines.append(_("Ook open op {holiday}.").format(holiday=esc(o.holiday)))
    if o.note and o.note != place_note:
        lines.append(f"<i>{esc(o.note)}</i>")
    return lines


def _place_header(t: Translator, o: Occurrence, *, mixed: bool, region: bool) -> list[str]:
    name = esc(o.place)
    if region:
        name = f"{esc(o.municipality)} · {name}"
    if mixed and o.kind == "spreekuur":
        name = t._("Spreekuur") + " · " + name
    lines = [f"<b>{name}</b>"]
    if o.address:
        lines.append("📍 " + map_link(o.address))
    if o.note:
        lines.append(f"<i>{esc(o.note)}</i>")
    return lines


def place_blocks(
    t: Translator,
    items: Sequence[_Item],
    now: datetime,
    *,
    budget: int | None = None,
    region: bool = False,
) -> tuple[list[str], bool]:
    """The sessions grouped per place (in order of each place's first session), its dates
    under it. Entry by entry within `budget` UTF-16 units (the first entry always fits);
    returns the lines and whether entries were left out."""
    mixed = len({i.occurrence.kind for i in items}) > 1
    places: dict[tuple[str, str, str, str], list[_Item]] = {}
    for item in items:
        o = item.occurrence
        places.setdefault((o.municipality, o.place, o.address, o.kind), []).append(item)
    out: list[str] = []
    size = 0
    for entries in places.values():
        first = entries[0].occurrence
        block = _place_header(t, first, mixed=mixed, region=region)
        for item in entries:
            candidate = [*block, *_item_lines(t, item, now, first.note)]
            added = utf16_len("\n".join(candidate)) + 1
            if budget is not None and out and size + added > budget:
                return out, True
            out += candidate
            size += added
            block = []
        out.append("")
        size += 1
    return out, False


def render_answer(t: Translator, ans: WalkinAnswer, now: datetime, lead: Sequence[str] = ()) -> str:
    """The reply to a resident's question (HTML). `ans.municipality` must be set; `lead`
    goes above the title (a warm line, or what an inloop is)."""
    _ = t._
    place = esc(ans.municipality)
    out = [*lead, _title(t, ans)]
    if ans.village and ans.village != ans.municipality:
        out.append(
            _("{village} hoort bij de gemeente {municipality}.").format(
                village=esc(ans.village), municipality=place
            )
        )
    out.append("")

    if ans.nothing_found:
        what = _(KIND_WORD[ans.kind])
        if ans.now_requested:
            out.append(_("Op dit moment is er niets open in {place}.").format(place=place))
        else:
            out.append(
                _("{when} is er geen {what} in {place}.").format(
                    when=_when(t, ans), what=what, place=place
                )
            )
        single = ans.day.single if ans.day else None
        holiday = holiday_name(single) if single else None
        if holiday:
            out.append(
                _("Het is dan {holiday}. Op feestdagen is het meestal dicht.").format(
                    holiday=esc(holiday)
                )
            )
        if ans.cancelled:
            out += ["", *place_blocks(t, _items(ans.groups), now)[0]]
        nxt = ans.next_occurrence
        if nxt is not None:
            today = local_today(now)
            if nxt.date == today:
                intro = _("De eerstvolgende is vandaag, {date}:")
            elif nxt.date == today + timedelta(days=1):
                intro = _("De eerstvolgende is morgen, {date}:")
            else:
                intro = _("De eerstvolgende is op {date}:")
            if not ans.cancelled:
                out.append("")
            out.append(intro.format(date=t.fmt_date(nxt.date)))
            out += place_blocks(t, [_Item(day_label(nxt.date, today), nxt)], now)[0]
        else:
            out.append(_("De komende drie maanden staat er niets gepland. Kijk later nog eens."))
            out.append("")
        out.append(_welcome(t))
        return "\n".join(out)

    if ans.now_requested and not ans.open_now:
        out.append(_("Op dit moment is er niets open. Later vandaag wel:"))
        out.append("")
    budget = MAX_CHARS - utf16_len("\n".join(out))  # raw HTML: never less than Telegram counts
    blocks, full = place_blocks(t, _items(ans.groups), now, budget=budget)
    out += blocks
    if ans.truncated or full:
        example = f"inloop {ans.village or ans.municipality} vrijdag"
        out.append(
            _("Er zijn nog meer tijden. Vraag naar één dag, bijvoorbeeld: {example}").format(
                example=f"<i>{esc(example)}</i>"
            )
        )
        out.append("")
    out.append(_welcome(t))
    return "\n".join(out)


def _welcome(t: Translator) -> str:
    return t._("Je bent welkom zonder afspraak. Je hoeft je naam niet te geven.")


def pick_text(t: Translator) -> str:
    return t._(
        "Over welke plaats gaat het? Kies je gemeente.\n"
        "Woon je in een dorp? Kies dan de gemeente waar je dorp bij hoort. "
        "Blerick hoort bijvoorbeeld bij Venlo."
    )


def pick_buttons(munis: Sequence[tuple[str, str]]) -> list[list[Button]]:
    """The municipalities as buttons, two per row; data `i:<code>`."""
    buttons = [(name, f"{PREFIX}:{code}") for code, name in munis]
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


def other_button(t: Translator) -> list[list[Button]]:
    return [[(t._("Andere gemeente"), f"{PREFIX}:{PICK}")]]


# --------------------------------------------------------------------------- answering


async def _municipality_list(context: BotContext) -> list[tuple[str, str]]:
    async with context.unit() as s:
        return [(m.code, m.name) for m in await repo.municipalities(s)]


ABOUT = {
    "about_inloop": N_(
        "<b>Wat is een inloop?</b>\n"
        "Bij een inloop kun je zonder afspraak binnenlopen. Er is koffie en tijd voor je verhaal. "
        "Een ervaringsdeskundige luistert en denkt met je mee, bijvoorbeeld over geld, werk, "
        "eenzaamheid of zorg. Het is gratis. Je hoeft je naam niet te geven."
    ),
    "about_spreekuur": N_(
        "<b>Wat is een spreekuur?</b>\n"
        "Een spreekuur is een vaste tijd waarop een ervaringsdeskundige voor je klaarzit, "
        "bijvoorbeeld in een bibliotheek of gemeentehuis. Ook daar kun je zonder afspraak "
        "langskomen. Het is gratis. Je hoeft je naam niet te geven."
    ),
    "about_expert": N_(
        "<b>Wat is een ervaringsdeskundige?</b>\n"
        "Een ervaringsdeskundige heeft zelf een moeilijke tijd meegemaakt, zoals schulden, "
        "ziekte of eenzaamheid. Die ervaring gebruikt hij of zij om jou te helpen. Je praat met "
        "iemand die weet hoe het voelt. Zonder oordeel."
    ),
    "about_us": N_(
        "<b>Wie zijn wij?</b>\n"
        "Wij zijn ervaringsdeskundigen in 14 gemeenten in Noord- en Midden-Limburg. Op vaste "
        "tijden zijn we in de buurt, in een buurthuis of bibliotheek. Je kunt zonder afspraak "
        "binnenlopen. Deze bot vertelt je waar en wanneer. Hij bewaart niets over jou."
    ),
}
HELP_LINE = N_(
    "Fijn dat je het vraagt. Je hoeft het niet alleen op te lossen. Bij de inloop praat je met "
    "iemand die zelf ook een moeilijke tijd kende. Zonder afspraak, gratis, en je hoeft je naam "
    "niet te geven."
)
REGION_SOON = 4  # sessions shown to someone who asks for help without naming a place


def _lead(t: Translator, query: WalkinQuery) -> list[str]:
    """What goes above the times: a warm line for help, the explanation asked for."""
    if query.topic == "help":
        return [t._(HELP_LINE), ""]
    if query.topic in ABOUT:
        return [t._(ABOUT[query.topic]), ""]
    return []


def outside_text(t: Translator, query: WalkinQuery) -> str:
    _ = t._
    ref = query.outside
    assert ref is not None
    if ref.municipality != ref.name and ref.area not in ("België", "Duitsland"):
        where = _("{place} (gemeente {municipality})").format(
            place=esc(ref.name), municipality=esc(ref.municipality)
        )
    else:
        where = esc(ref.name)
    return "\n".join(
        [
            "<b>" + _("{place} ligt buiten ons gebied.").format(place=where) + "</b>",
            _(
                "Wij zijn er voor 14 gemeenten in Noord- en Midden-Limburg. "
                "Vraag bij je eigen gemeente of je huisarts naar hulp dichtbij."
            ),
            "",
            _("Woon je toch in een van deze gemeenten? Kies hem hieronder."),
        ]
    )


async def _help_without_place(context: BotContext) -> str:
    """A warm line, the soonest sessions anywhere in the region, and the municipality
    question: someone asking for help gets times, never a form."""
    t = context.t
    _ = t._
    services = context.services
    now = services.now()
    async with context.unit() as s:
        rules, exceptions = await repo.load_schedule(s, None, since=services.today())
    soon = next_sessions(rules, exceptions, now, days=14, limit=REGION_SOON)
    out = [_(HELP_LINE), ""]
    if soon:
        today = local_today(now)
        out.append("<b>" + _("De eerstvolgende tijden in de regio:") + "</b>")
        items = [_Item(day_label(o.date, today), o) for o in soon]
        out += place_blocks(t, items, now, region=True)[0]
    out.append(pick_text(t))
    return "\n".join(out)


async def build_reply(context: BotContext, query: WalkinQuery) -> tuple[str, list[list[Button]]]:
    """Text and buttons for a parsed message: the times, or what the resident asked about,
    with the municipality choice where a place is missing."""
    t = context.t
    services = context.services
    now = services.now()
    if query.municipality is not None:
        async with context.unit() as s:
            rules, exceptions = await repo.load_schedule(
                s, query.municipality, since=services.today()
            )
        ans = answer(rules, exceptions, query, now, limit=MAX_SHOWN)
        return render_answer(t, ans, now, _lead(t, query)), other_button(t)
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
    return "\n".join([*_lead(t, query), pick_text(t)]), munis


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
