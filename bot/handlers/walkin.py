"""Residents ask when and where they can walk in: /inloop, plain-text questions, `i:` buttons.

Nothing about the person asking is stored or logged: no chat id, name or message text. The
question is parsed (`walkin_query`), answered from the schedule (`walkin`) and forgotten.
Callback data `i:<municipality code>` carries only the municipality.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.commands import EXPERT, RESIDENT
from bot.context import BotContext
from bot.domain.digest import utf16_len
from bot.domain.holidays_nl import holiday_name
from bot.domain.walkin import Occurrence, local_today
from bot.domain.walkin_query import WalkinAnswer, WalkinQuery, answer, parse_walkin_query
from bot.handlers.common import Button, edit_or_send, esc, reply
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


def _entry(t: Translator, o: Occurrence, now: datetime, *, mixed: bool) -> list[str]:
    """One session: times, place, address, open now, holiday, note."""
    _ = t._
    place = esc(o.place)
    if mixed and o.kind == "spreekuur":
        place = _("Spreekuur") + " · " + place
    lines = [f"<b>{t.fmt_time(o.start_local)} – {t.fmt_time(o.end_local)}</b>  {place}"]
    if o.address:
        lines.append(esc(o.address))
    if o.start_utc <= now < o.end_utc:
        lines.append("🟢 " + _("Nu open, tot {time}").format(time=t.fmt_time(o.end_local)))
    if o.holiday:
        lines.append(_("Ook open op {holiday}.").format(holiday=esc(o.holiday)))
    if o.note:
        lines.append(f"<i>{esc(o.note)}</i>")
    return lines


def _day_header(t: Translator, d_label: str, d: date) -> str:
    _ = t._
    date_text = t.fmt_date(d)
    if d_label == "today":
        return _("Vandaag, {date}").format(date=date_text)
    if d_label == "tomorrow":
        return _("Morgen, {date}").format(date=date_text)
    return _cap(date_text)


SECTION = {"this_week": N_("Deze week"), "next_week": N_("Volgende week"), "later": N_("Later")}


def render_answer(t: Translator, ans: WalkinAnswer, now: datetime) -> str:
    """The reply to a resident's question (HTML). `ans.municipality` must be set."""
    _ = t._
    place = esc(ans.municipality)
    out = [_title(t, ans)]
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
        nxt = ans.next_occurrence
        if nxt is not None:
            today = local_today(now)
            if nxt.date == today:
                intro = _("De eerstvolgende is vandaag, {date}:")
            elif nxt.date == today + timedelta(days=1):
                intro = _("De eerstvolgende is morgen, {date}:")
            else:
                intro = _("De eerstvolgende is op {date}:")
            out += ["", intro.format(date=t.fmt_date(nxt.date))]
            out += _entry(t, nxt, now, mixed=True)
        else:
            out.append(_("De komende drie maanden staat er niets gepland. Kijk later nog eens."))
        out += ["", _welcome(t)]
        return "\n".join(out)

    if ans.kind_fallback:
        out.append(
            _("{when} is er geen {what} in {place}. Dit is er wel:").format(
                when=_when(t, ans), what=_(KIND_WORD[ans.kind]), place=place
            )
        )
        out.append("")
    elif ans.now_requested and not ans.open_now:
        out.append(_("Op dit moment is er niets open. Later vandaag wel:"))
        out.append("")

    mixed = len({o.kind for o in ans.occurrences}) > 1
    section_seen: set[str] = set()
    shown = 0
    truncated = ans.truncated
    size = utf16_len("\n".join(out))  # raw HTML: never less than what Telegram counts
    full = False
    for group in ans.groups:
        block: list[str] = []
        if group.label in SECTION and group.label not in section_seen:
            # A section header only where it helps: not when the list starts with this week.
            if group.label != "this_week" or shown:
                block.append(f"<u>{esc(_(SECTION[group.label]))}</u>")
            section_seen.add(group.label)
        block.append("<b>" + esc(_day_header(t, group.label, group.date)) + "</b>")
        for o in group.occurrences:
            # Entry by entry, so one busy day cannot push the message past Telegram's limit;
            # the first entry always fits (an entry is at most ~700 characters).
            candidate = [*block, *_entry(t, o, now, mixed=mixed), ""]
            added = utf16_len("\n".join(candidate)) + 1
            if shown and size + added > MAX_CHARS:
                truncated = full = True
                break
            out += candidate
            size += added
            shown += 1
            block = []
        if full:
            break
    if truncated:
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


async def build_reply(context: BotContext, query: WalkinQuery) -> tuple[str, list[list[Button]]]:
    """Text and buttons for a parsed question: the answer, or the municipality choice."""
    services = context.services
    now = services.now()
    if query.municipality is None:
        return pick_text(context.t), pick_buttons(await _municipality_list(context))
    async with context.unit() as s:
        rules, exceptions = await repo.load_schedule(s, query.municipality, since=services.today())
    ans = answer(rules, exceptions, query, now, limit=MAX_SHOWN)
    return render_answer(context.t, ans, now), other_button(context.t)


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
    text, buttons = await build_reply(context, query)
    await reply(update, context, text, buttons=buttons)


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
    text, buttons = await build_reply(context, query)
    await reply(update, context, text, buttons=buttons)
    return True


async def on_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    code = (query.data or "").split(":", 1)[1] if ":" in (query.data or "") else ""
    t = context.t
    if code == PICK:
        await answer_query(context, query)
        await edit_or_send(
            update, context, pick_text(t), buttons=pick_buttons(await _municipality_list(context))
        )
        return
    async with context.unit() as s:
        muni = await repo.municipality_by_code(s, code)
    if muni is None or not muni.active:
        await answer_query(
            context, query, t._("Die gemeente ken ik niet. Kies er een uit de lijst.")
        )
        await edit_or_send(
            update, context, pick_text(t), buttons=pick_buttons(await _municipality_list(context))
        )
        return
    await answer_query(context, query)
    walkin_query = dataclasses.replace(
        parse_walkin_query("", context.services.now()), municipality=muni.name
    )
    text, buttons = await build_reply(context, walkin_query)
    await edit_or_send(update, context, text, buttons=buttons)


def register(application: Application, router: TextRouter) -> None:
    application.add_handler(CommandHandler("inloop", cmd_inloop))
    application.add_handler(CallbackQueryHandler(on_button, pattern=rf"^{PREFIX}:"))
    router.free_text(on_text)
