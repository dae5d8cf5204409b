"""/contact: an expert logs a contact with one or more residents.

Two ways in, one summary out:
- `/contact` opens a button dialogue. With a previous contact it opens on a summary pre-filled
  from it ("Zelfde als vorige keer?"): a repeat contact is one tap (Opslaan), a changed theme or
  duration three to five. Without one it walks through the steps, defaults pre-selected.
- `/contact 45 min inloop Blerick armoede, eenzaamheid 2 nieuw` parses one typed line and asks
  only for what is missing, then shows the same summary.

The dialogue state lives in a `conversation_draft` row (flow "contact"); every step is committed
before the reply goes out, so a restart resumes it. Buttons carry
`c:<draft id>:<revision>:<action>[:<arg>]`: a button from an older step, a finished or a deleted
draft is recognised. Saving uses the draft's submission_key, so a contact is never saved twice.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.context import BotContext
from bot.data import VocabEntry
from bot.domain import contact_draft as cdm
from bot.domain import dates, durations
from bot.domain.contact_draft import ContactDraft, VocabItem
from bot.domain.places import match_from_candidates, resolve_municipality
from bot.domain.quickentry import QuickEntry, parse_quick_entry
from bot.handlers import signals
from bot.handlers.common import Button, answer, edit_or_send, esc, reply
from bot.i18n import N_
from bot.router import TextRouter, draft_ttl
from bot.storage import contacts, drafts
from bot.storage.models import ConversationDraft

log = logging.getLogger(__name__)

PREFIX = "c"
FLOW = cdm.FLOW
MAX_HISTORY = 40
MAX_TYPED = 500  # longer answers (except a story) are refused before any parsing
MAX_ECHO_WORD = 30  # an unused word of a one-line entry is shown back at most this long
MAX_ECHO_WORDS = 5  # and at most this many of them
MAX_NAME = 80  # a place, municipality or deelopdracht name as shown
MAX_MESSAGE = 4000  # Telegram refuses more than 4096 characters; keep a margin

CHECK = "✓ "
BACK_LABEL = N_("← Terug")
SKIP_LABEL = N_("Overslaan")

# Summary lines and the "change" buttons, per step.
FIELD_LABELS = {
    "date": N_("Datum"),
    "gemeente": N_("Plaats"),
    "activity": N_("Soort inzet"),
    "themes": N_("Thema's"),
    "residents": N_("Inwoners"),
    "duration": N_("Duur"),
    "reach": N_("Bereikt via"),
    "referral": N_("Doorverwezen naar"),
    "deelopdracht": N_("Deelopdracht"),
    "story": N_("Verhaal"),
}

DATE_ERRORS = {
    "future": N_("Een datum in de toekomst kan niet. Kies vandaag of een dag hiervoor."),
    "too_old": N_("Zo ver terug kan niet: hooguit {days} dagen geleden."),
    "unknown": N_(
        "Die datum begrijp ik niet. Tik op Vandaag of Gisteren, of typ een datum zoals "
        "<i>12-3</i>, <i>12 maart</i> of <i>maandag</i>."
    ),
}
DURATION_ERRORS = {
    "too_long": N_("Dat is te lang voor één contact: hooguit 12 uur."),
    "too_short": N_("De duur moet meer dan 0 minuten zijn."),
    "unknown": N_(
        "Die duur begrijp ik niet. Tik op een knop of typ bijvoorbeeld <i>45 min</i>, "
        "<i>1,5 uur</i> of <i>1u30</i>."
    ),
}
COUNT_ERRORS = {
    "too_few": N_("Het aantal moet minstens 1 zijn."),
    "too_many": N_("Dat zijn er te veel: hooguit 500 inwoners per keer."),
    "unknown": N_("Typ het aantal inwoners als getal, bijvoorbeeld <i>7</i>."),
}
NEW_ERRORS = {
    "too_few": N_("Het aantal nieuwe inwoners kan niet onder 0."),
    "more_than_count": N_("Er kunnen niet meer nieuwe dan inwoners in totaal zijn ({count})."),
    "unknown": N_(
        "Tik op Nieuw of Bekend, of typ hoeveel van de {count} inwoners nieuw zijn, "
        "bijvoorbeeld <i>1</i>."
    ),
}
VINDPLEK_ERRORS = {
    "no_letters": N_("Typ de naam van de plek in letters, bijvoorbeeld <i>Buurthuis De Kolk</i>."),
    "too_long": N_("Die naam is te lang: hooguit 80 tekens."),
}


def _err(context: BotContext, table: dict[str, str], code: str | None) -> str:
    """The translated message for an error code ("unknown" when there is no better one)."""
    msgid = table.get(code or "unknown") or table["unknown"]
    return context.t._(msgid)


# --------------------------------------------------------------------------- parsing adapters
# The Dutch parsers live in bot.domain; these wrappers only adapt their results.


def parse_duration(text: str) -> tuple[int | None, str | None]:
    """Minutes and an error code ("unknown", "too_long", "too_short") for a typed duration."""
    try:
        minutes = durations.parse_duration(text)
    except durations.DurationError as exc:
        code = "too_long" if exc.code == durations.DurationErrorCode.TOO_LONG else "too_short"
        return None, code
    if minutes is None:
        return None, "unknown"
    return minutes, cdm.check_duration(minutes)


def parse_date(text: str, today: date, max_back_days: int) -> tuple[date | None, str | None]:
    """A typed work date and an error code ("unknown", "future", "too_old")."""
    try:
        return dates.parse_work_date(text, today, max_back_days=max_back_days), None
    except dates.DateError as exc:
        code = exc.code.value if exc.code.value in DATE_ERRORS else "unknown"
        return None, code


def privacy_problem(context: BotContext, text: str) -> str | None:
    """Why a typed text may not be stored (it could identify someone), or None."""
    return signals.privacy_problem(context.t, text, context.services.today())


def story_problem(context: BotContext, text: str) -> str | None:
    """What is wrong with a typed story (no words, too long/short, identifying), or None."""
    return signals.text_problem(context.t, text, cdm.MAX_STORY_CHARS, context.services.today())


# --------------------------------------------------------------------------- callback data


def date_arg(d: date) -> str:
    """A day in callback data: "20261116"."""
    return d.strftime("%Y%m%d")


def parse_date_arg(arg: str) -> date | None:
    if len(arg) != 8 or not _is_int(arg):
        return None
    try:
        return date(int(arg[:4]), int(arg[4:6]), int(arg[6:]))
    except ValueError:
        return None


def cb(row: ConversationDraft, action: str, arg: object = "") -> str:
    data = f"{PREFIX}:{row.id}:{row.revision}:{action}"
    return f"{data}:{arg}" if arg != "" else data


@dataclass(frozen=True)
class Press:
    draft_id: int
    revision: int
    action: str
    arg: str

    @classmethod
    def parse(cls, data: str) -> Press | None:
        parts = data.split(":", 4)
        if len(parts) < 4 or parts[0] != PREFIX:
            return None
        try:
            return cls(int(parts[1]), int(parts[2]), parts[3], parts[4] if len(parts) > 4 else "")
        except ValueError:
            return None


# --------------------------------------------------------------------------- the step engine


@dataclass
class Outcome:
    """What a button or a typed answer did to the dialogue."""

    state: str  # the state to show next (unchanged on an error)
    changed: bool = False  # commit a new revision
    error: str | None = None  # shown above the step; the draft is untouched
    toast: str | None = None  # short callback answer
    done: str | None = None  # "saved" | "stopped": the dialogue is over
    note: str | None = None  # a line shown above the step (e.g. "Nieuwe vindplek")
    extra: dict[str, Any] = field(default_factory=dict)


def _go(cd: ContactDraft, current: str, target: str) -> str:
    cd.history.append(current)
    del cd.history[:-MAX_HISTORY]
    if target == cdm.SUMMARY:
        # From now on every change returns straight to the summary.
        cd.mode = "edit"
    return target


async def _has_deelopdrachten(s: AsyncSession, context: BotContext, cd: ContactDraft) -> bool:
    ref = await refdata(s, context)
    return bool(ref.active_deelopdrachten(cd.municipality_id, cd.work_date))


async def _advance(s: AsyncSession, context: BotContext, cd: ContactDraft, current: str) -> str:
    has_deel = False
    if cd.mode == "steps" and current in ("referral", "reach"):
        has_deel = await _has_deelopdrachten(s, context, cd)
    return _go(cd, current, cdm.next_state(cd, current, has_deelopdrachten=has_deel))


def _note_change(cd: ContactDraft, before: dict[str, Any]) -> None:
    """Once a value differs from the pre-filled one, it is no longer "the same as last time"."""
    if cd.from_last and cd.values() != ContactDraft.from_data(before).values():
        cd.from_last = False


def _back(cd: ContactDraft, state: str) -> str:
    if not cd.history:
        return state
    return cd.history.pop()


def _is_int(text: str) -> bool:
    """ASCII digits only ("²" is a digit to str.isdigit, not to int())."""
    return text.isascii() and text.isdigit() and len(text) <= 9


REF_TTL_SECONDS = 30.0


async def refdata(s: AsyncSession, context: BotContext) -> contacts.RefData:
    """Vocabularies and municipalities, cached briefly: they change rarely (a coordinator
    adding a theme sees it within half a minute) and every step shows some of them."""
    services = context.services
    cached = services.contact_refdata
    now = time.monotonic()
    if cached is not None and cached[0] > now:
        return cached[1]
    ref = await contacts.load_refdata(s)
    services.contact_refdata = (now + REF_TTL_SECONDS, ref)
    return ref


async def _vocab_by_id(
    s: AsyncSession, context: BotContext, kind: str, raw: str
) -> VocabItem | None:
    if not _is_int(raw):
        return None
    return (await refdata(s, context)).by_id(kind, int(raw))


STEP_VOCAB = {
    "activity": "activity_types",
    "reach": "reach_channels",
    "referral": "referral_targets",
}
STEP_FIELD = {"activity": "activity", "reach": "reach", "referral": "referral"}


async def apply_button(
    s: AsyncSession,
    context: BotContext,
    row: ConversationDraft,
    cd: ContactDraft,
    press: Press,
) -> Outcome:
    """Apply one button press to the draft (in memory); the caller commits."""
    _ = context.t._
    state = row.state
    action, arg = press.action, press.arg
    today = context.services.today()

    if action == "b":
        return Outcome(_back(cd, state), changed=True)
    if action == "stop":
        return Outcome(state, done="stopped")
    if action == "x" and state in cdm.SKIPPABLE:
        _clear(cd, state)
        return Outcome(await _advance(s, context, cd, state), changed=True)
    if action == "e" and state == cdm.SUMMARY and arg in FIELD_LABELS:
        return Outcome(_go(cd, state, arg), changed=True)
    if action in ("s", "sy") and state in (cdm.SUMMARY, cdm.CONFIRM_DAY):
        return await _save(s, context, row, cd, confirmed=action == "sy")
    if action == "dur" and state == cdm.CONFIRM_DAY:
        return Outcome(_go(cd, state, "duration"), changed=True)

    if state == "date" and action == "d":
        chosen = parse_date_arg(arg)
        if chosen is None:
            return Outcome(state, error=_err(context, DATE_ERRORS, None))
        max_back = context.services.settings.max_back_days
        problem = cdm.check_date(chosen, today, max_back)
        if problem:
            # A button from before midnight (or before the limit moved) names a day that is
            # no longer allowed: say which day, and show today's buttons.
            why = _err(context, DATE_ERRORS, problem).format(days=max_back)
            day = esc(context.t.fmt_date(chosen))
            return Outcome(
                state, error=_("Die knop was voor {day}. {why}").format(day=day, why=why)
            )
        cd.work_date = chosen
        return Outcome(await _advance(s, context, cd, state), changed=True)
    if state == "gemeente" and action == "m":
        muni = (await refdata(s, context)).municipality(int(arg)) if _is_int(arg) else None
        if muni is None:
            return Outcome(state, error=_("Kies een gemeente met de knoppen."))
        cd.set_municipality(muni.id)  # type: ignore[arg-type]
        return Outcome(await _advance(s, context, cd, state), changed=True)
    if state == "vindplek" and action == "p":
        if arg == "0":
            cd.vindplek_id, cd.new_vindplek = None, None
        else:
            place = await contacts.vindplek(s, int(arg)) if _is_int(arg) else None
            if place is None or place.municipality_id != cd.municipality_id:
                return Outcome(state, error=_("Kies een plek met de knoppen."))
            cd.vindplek_id, cd.new_vindplek = place.id, None
        return Outcome(await _advance(s, context, cd, state), changed=True)
    if state == "vindplek" and action == "m":
        return Outcome(_go(cd, state, "gemeente"), changed=True)
    if state in STEP_VOCAB and action == "v":
        item = await _vocab_by_id(s, context, STEP_VOCAB[state], arg)
        if item is None:
            return Outcome(state, error=_("Kies een van de knoppen."))
        setattr(cd, STEP_FIELD[state], item.code)
        return Outcome(await _advance(s, context, cd, state), changed=True)
    if state == "themes" and action == "t":
        item = await _vocab_by_id(s, context, "themes", arg)
        if item is None:
            return Outcome(state, error=_("Kies een van de knoppen."))
        cd.toggle_theme(item.code)
        return Outcome(state, changed=True)
    if state == "themes" and action == "go":
        if not cd.themes:
            return Outcome(state, toast=_("Kies minstens één thema."))
        return Outcome(await _advance(s, context, cd, state), changed=True)
    if state == "residents" and action == "n":
        if arg == "more":
            return Outcome(state, toast=_("Typ het aantal inwoners."), extra={"ask_count": True})
        if not _is_int(arg) or cdm.check_count(int(arg)):
            return Outcome(state, error=_err(context, COUNT_ERRORS, None))
        cd.set_count(int(arg))
        return Outcome(await _advance(s, context, cd, state), changed=True)
    if state == "new" and action == "nw" and cd.residents_count is not None:
        if arg == "mixed":
            return Outcome(state, toast=_("Typ hoeveel er nieuw zijn."), extra={"ask_new": True})
        cd.residents_new = cd.residents_count if arg == "new" else 0
        return Outcome(await _advance(s, context, cd, state), changed=True)
    if state == "duration" and action == "u" and _is_int(arg):
        if cdm.check_duration(int(arg)):
            return Outcome(state, error=_err(context, DURATION_ERRORS, None))
        cd.duration_minutes = int(arg)
        return Outcome(await _advance(s, context, cd, state), changed=True)
    if state == "deelopdracht" and action == "o":
        options = (await refdata(s, context)).active_deelopdrachten(
            cd.municipality_id, cd.work_date or today
        )
        chosen = next((d for d in options if str(d.id) == arg), None)
        if chosen is None:
            return Outcome(state, error=_("Kies een deelopdracht met de knoppen."))
        cd.deelopdracht_id = chosen.id
        return Outcome(await _advance(s, context, cd, state), changed=True)
    # A button that does not belong to this step (cannot happen with current revisions).
    return Outcome(state, toast=_("Die knop hoort niet bij deze stap."))


def _clear(cd: ContactDraft, step: str) -> None:
    if step == "vindplek":
        cd.vindplek_id, cd.new_vindplek = None, None
    elif step in ("reach", "referral", "story"):
        setattr(cd, step, None)
    elif step == "deelopdracht":
        cd.deelopdracht_id = None


BACK_WORDS = {"terug", "vorige", "back"}

# Typed text that is a button's label is that button ("Geen vaste plek", "Andere gemeente",
# "Deels", "Verder", "Duur" on the summary). Except the theme toggles (a typed list of themes
# sets the themes) and the buttons that end or replace the dialogue: those stay taps.
NOT_TYPED_ACTIONS = {"t", "s", "sy", "stop", "new"}
LABEL_MARKS = (CHECK, "✅", "←", "→")


def _label_key(label: str) -> str:
    for mark in LABEL_MARKS:
        label = label.replace(mark.strip(), " ")
    return " ".join(label.casefold().split())


async def typed_button(
    s: AsyncSession,
    context: BotContext,
    row: ConversationDraft,
    cd: ContactDraft,
    text: str,
) -> Press | None:
    """The button of the current step whose label is the typed text (any case), or None."""
    if len(text) > MAX_NAME + 10:
        return None
    key = _label_key(text)
    if not key:
        return None
    _text, buttons = await render(s, context, row, cd)
    for line in buttons:
        for label, data in line:
            if _label_key(label) != key:
                continue
            press = Press.parse(data)
            if press is not None and press.action not in NOT_TYPED_ACTIONS:
                return press
    return None


async def apply_text(
    s: AsyncSession,
    context: BotContext,
    row: ConversationDraft,
    cd: ContactDraft,
    text: str,
) -> Outcome:
    """Apply a typed answer to the current step."""
    _ = context.t._
    state = row.state
    settings = context.services.settings
    today = context.services.today()
    raw = text.strip()
    low = raw.lower()
    if len(raw) > MAX_TYPED and state != "story":
        return Outcome(state, error=_("Dat is te lang. Tik op een knop of typ een kort antwoord."))
    if low in BACK_WORDS:
        return Outcome(_back(cd, state), changed=True)
    if cdm.is_skip_word(raw) and state in cdm.SKIPPABLE:
        _clear(cd, state)
        return Outcome(await _advance(s, context, cd, state), changed=True)

    if state == "date":
        d, problem = parse_date(raw, today, settings.max_back_days)
        if problem or d is None:
            return Outcome(
                state,
                error=_err(context, DATE_ERRORS, problem).format(days=settings.max_back_days),
            )
        cd.work_date = d
        return Outcome(await _advance(s, context, cd, state), changed=True)

    if state == "gemeente":
        name = resolve_municipality(raw)
        muni = (await refdata(s, context)).municipality_named(name)
        if muni is None:
            return Outcome(
                state,
                error=_(
                    "Die plaats ken ik niet. Kies een gemeente met de knoppen, of typ een "
                    "gemeente of dorp in Noord- of Midden-Limburg, bijvoorbeeld <i>Blerick</i>."
                ),
            )
        cd.set_municipality(muni.id)  # type: ignore[arg-type]
        return Outcome(await _advance(s, context, cd, state), changed=True)

    if state == "vindplek":
        return await _typed_vindplek(s, context, cd, raw)

    if state in STEP_VOCAB:
        items = (await refdata(s, context)).items(STEP_VOCAB[state])
        hit = cdm.match_vocab(raw, items)
        if hit is None:
            return Outcome(state, error=_("Dat ken ik niet. Kies een van de knoppen."))
        setattr(cd, STEP_FIELD[state], hit.code)
        return Outcome(await _advance(s, context, cd, state), changed=True)

    if state == "themes":
        themes = (await refdata(s, context)).items("themes")
        found, unknown = cdm.match_vocab_list(raw, themes)
        if unknown or not found:
            return Outcome(
                state,
                error=_(
                    "Dat thema ken ik niet. Tik op de thema's, of typ ze met komma's, "
                    "bijvoorbeeld <i>armoede, eenzaamheid</i>."
                ),
            )
        cd.themes = [f.code for f in found]
        return Outcome(await _advance(s, context, cd, state), changed=True)

    if state == "residents":
        n = cdm.parse_count(raw)
        problem = "unknown" if n is None else cdm.check_count(n)
        if problem or n is None:
            return Outcome(state, error=_err(context, COUNT_ERRORS, problem))
        cd.set_count(n)
        return Outcome(await _advance(s, context, cd, state), changed=True)

    if state == "new" and cd.residents_count is not None:
        count = cd.residents_count
        if low in ("nieuw", "new", "alle nieuw", "allemaal nieuw"):
            n_new: int | None = count
        elif low in ("bekend", "known", "alle bekend", "allemaal bekend"):
            n_new = 0
        else:
            n_new = cdm.parse_count(raw)
        problem = "unknown" if n_new is None else cdm.check_new(n_new, count)
        if problem or n_new is None:
            return Outcome(state, error=_err(context, NEW_ERRORS, problem).format(count=count))
        cd.residents_new = n_new
        return Outcome(await _advance(s, context, cd, state), changed=True)

    if state == "duration":
        minutes, problem = parse_duration(raw)
        if problem or minutes is None:
            return Outcome(state, error=_err(context, DURATION_ERRORS, problem))
        cd.duration_minutes = minutes
        return Outcome(await _advance(s, context, cd, state), changed=True)

    if state == "deelopdracht":
        options = (await refdata(s, context)).active_deelopdrachten(
            cd.municipality_id, cd.work_date or today
        )
        name = match_from_candidates(raw, [d.title for d in options])
        chosen = next((d for d in options if d.title == name), None)
        if chosen is None:
            return Outcome(
                state, error=_("Kies een deelopdracht met de knoppen, of tik op Overslaan.")
            )
        cd.deelopdracht_id = chosen.id
        return Outcome(await _advance(s, context, cd, state), changed=True)

    if state == "story":
        why = story_problem(context, raw)
        if why:
            return Outcome(state, error=why)
        cd.story = raw
        return Outcome(await _advance(s, context, cd, state), changed=True)

    if state == cdm.SUMMARY:
        return Outcome(
            state,
            error=_("Tik op <b>Opslaan</b>, of op een knop om iets te veranderen."),
        )
    if state == cdm.CONFIRM_DAY:
        return Outcome(state, error=_("Tik op een van de knoppen."))
    return Outcome(state, error=_("Tik op een van de knoppen."))


async def _typed_vindplek(
    s: AsyncSession, context: BotContext, cd: ContactDraft, raw: str
) -> Outcome:
    _ = context.t._
    state = "vindplek"
    assert cd.municipality_id is not None
    names = await contacts.vindplek_names(s, cd.municipality_id)
    name = match_from_candidates(raw, names) if names else None
    if name is not None:
        place = await contacts.vindplek_by_name(s, cd.municipality_id, name)
        if place is not None:
            cd.vindplek_id, cd.new_vindplek = place.id, None
            return Outcome(await _advance(s, context, cd, state), changed=True)
    other = resolve_municipality(raw)
    if other is not None:
        muni = (await refdata(s, context)).municipality_named(other)
        if muni is not None and muni.id != cd.municipality_id:
            # They named another municipality or village: switch, then ask for the place there.
            cd.set_municipality(muni.id)  # type: ignore[arg-type]
            return Outcome(
                state,
                changed=True,
                note=_("Gemeente veranderd in {name}.").format(name=esc(muni.name)),
            )
    problem = cdm.check_vindplek_name(raw)
    if problem:
        return Outcome(state, error=_err(context, VINDPLEK_ERRORS, problem))
    why = privacy_problem(context, raw)
    if why:
        return Outcome(state, error=why)
    cd.vindplek_id, cd.new_vindplek = None, cdm.clean_name(raw)
    return Outcome(await _advance(s, context, cd, state), changed=True)


async def _save(
    s: AsyncSession,
    context: BotContext,
    row: ConversationDraft,
    cd: ContactDraft,
    *,
    confirmed: bool,
) -> Outcome:
    _ = context.t._
    services = context.services
    todo = cdm.missing(cd)
    if todo:
        return Outcome(_go(cd, row.state, todo[0]), changed=True)
    assert cd.work_date is not None and cd.duration_minutes is not None
    problem = cdm.check_date(cd.work_date, services.today(), services.settings.max_back_days)
    if problem:
        return Outcome(
            _go(cd, row.state, "date"),
            changed=True,
            note=_err(context, DATE_ERRORS, problem).format(days=services.settings.max_back_days),
        )
    if not confirmed:
        logged = await contacts.day_minutes(s, row.user_id, cd.work_date)
        too_high, total = cdm.day_total_too_high(
            logged, cd.duration_minutes, services.settings.max_day_hours
        )
        if too_high:
            return Outcome(
                _go(cd, row.state, cdm.CONFIRM_DAY), changed=True, extra={"total": total}
            )
    return Outcome(row.state, done="save")


# --------------------------------------------------------------------------- rendering


async def render(
    s: AsyncSession,
    context: BotContext,
    row: ConversationDraft,
    cd: ContactDraft,
    *,
    error: str | None = None,
    note: str | None = None,
    resume: bool = False,
    extra: dict[str, Any] | None = None,
) -> tuple[str, list[list[Button]]]:
    """The message (HTML) and buttons for the draft's current state."""
    _ = context.t._
    state = row.state
    extra = extra or {}
    head: list[str] = []
    if resume:
        head.append(_("Je was nog bezig met een contact. Hier ging je verder:"))
    if error:
        head.append(f"⚠️ {error}")
    if note:
        head.append(note)
    body, buttons = await _render_state(s, context, row, cd, state, extra)
    nav: list[Button] = []
    if cd.history and state != cdm.SUMMARY:
        nav.append((_(BACK_LABEL), cb(row, "b")))
    if state in cdm.SKIPPABLE and state != "vindplek":
        nav.append((_(SKIP_LABEL), cb(row, "x")))
    if nav:
        buttons.append(nav)
    if resume:
        buttons.append([(_("Nieuw contact beginnen"), f"{PREFIX}:{row.id}:{row.revision}:new")])
    return _fit(head, body), buttons


def _fit(head: list[str], body: str) -> str:
    """The message from its lines above the step and the step itself, below Telegram's limit.

    Everything echoed is clipped where it is built; this is the last guard: the step (with its
    buttons' question) always goes out, lines above it are dropped from the end if need be."""
    head = list(head)
    while head and len("\n\n".join([*head, body])) > MAX_MESSAGE:
        head.pop()
    return "\n\n".join([*head, body]) if head else body


def _mark(label: str, on: bool) -> str:
    return CHECK + label if on else label


def _short(label: str) -> str:
    """Vocabulary labels shortened for a button: "eenzaamheid (sociaal isolement)" -> first part."""
    return label.split(" (", 1)[0]


def _fmt_minutes(context: BotContext, minutes: int) -> str:
    _ = context.t._
    if minutes < 60:
        return _("{n} min").format(n=minutes)
    return context.t.hours(minutes)


def _fmt_day(context: BotContext, d: date) -> str:
    _ = context.t._
    today = context.services.today()
    text = context.t.fmt_date(d)
    if d == today:
        return _("{date} (vandaag)").format(date=text)
    if d == today - timedelta(days=1):
        return _("{date} (gisteren)").format(date=text)
    return text


async def _place_text(s: AsyncSession, context: BotContext, cd: ContactDraft) -> str:
    _ = context.t._
    if cd.municipality_id is None:
        return "–"
    muni = (await refdata(s, context)).municipality(cd.municipality_id)
    parts = [_clip(muni.name, MAX_NAME) if muni else "?"]
    if cd.vindplek_id is not None:
        place = await contacts.vindplek(s, cd.vindplek_id)
        if place is not None:
            parts.append(_clip(place.name, MAX_NAME))
    elif cd.new_vindplek:
        parts.append(_("{name} (nieuw)").format(name=_clip(cd.new_vindplek, MAX_NAME)))
    return esc(" – ".join(parts))


def _residents_text(context: BotContext, cd: ContactDraft) -> str:
    _ = context.t._
    count, n_new = cd.residents_count, cd.residents_new
    if count is None:
        return "–"
    kind = cdm.new_known(cd)
    if kind == "new":
        how = _("nieuw") if count == 1 else _("allemaal nieuw")
    elif kind == "known":
        how = _("bekend") if count == 1 else _("allemaal bekend")
    elif kind == "mixed":
        how = _("{n} nieuw").format(n=n_new)
    else:
        how = _("nieuw of bekend?")
    return f"{count} ({how})"


async def summary_text(
    s: AsyncSession, context: BotContext, cd: ContactDraft, *, has_deel: bool
) -> list[str]:
    _ = context.t._
    lines: list[str] = []
    ref = await refdata(s, context)

    def label(kind: str, code: str | None) -> str:
        if not code:
            return "–"
        item = ref.by_code(kind, code)
        return esc(item.label if item else code)

    for item in cdm.summary_items(cd, has_deelopdrachten=has_deel):
        name = esc(_(FIELD_LABELS[item.step]))
        match item.step:
            case "date":
                value = esc(_fmt_day(context, cd.work_date)) if cd.work_date else "–"
            case "gemeente":
                value = await _place_text(s, context, cd)
            case "activity":
                value = label("activity_types", cd.activity)
            case "themes":
                value = ", ".join(label("themes", c) for c in cd.themes) or "–"
            case "residents":
                value = esc(_residents_text(context, cd))
            case "duration":
                value = (
                    esc(_fmt_minutes(context, cd.duration_minutes)) if cd.duration_minutes else "–"
                )
            case "reach":
                value = label("reach_channels", cd.reach)
            case "referral":
                value = label("referral_targets", cd.referral)
            case "deelopdracht":
                deel = ref.deelopdracht(cd.deelopdracht_id)
                if deel is None and cd.deelopdracht_id is not None:
                    deel = await contacts.deelopdracht(s, cd.deelopdracht_id)  # no longer active
                value = esc(_clip(deel.title, MAX_NAME)) if deel else "–"
            case "story":
                value = f"<i>{esc(_clip(cd.story))}</i>" if cd.story else "–"
            case _:
                value = "–"
        lines.append(f"<b>{name}:</b> {value}")
    return lines


def _clip(text: str | None, n: int = 300) -> str:
    text = text or ""
    return text if len(text) <= n else text[: n - 1] + "…"


async def _render_state(
    s: AsyncSession,
    context: BotContext,
    row: ConversationDraft,
    cd: ContactDraft,
    state: str,
    extra: dict[str, Any],
) -> tuple[str, list[list[Button]]]:
    _ = context.t._
    today = context.services.today()
    buttons: list[list[Button]] = []

    def now_line(value: str) -> str:
        return _("Nu: {value}").format(value=value)

    if state == "date":
        current = cd.work_date
        # The day itself is in the button, not "1 day back": a button shown before midnight
        # and pressed after it still means the day its label named.
        yesterday = today - timedelta(days=1)
        day_buttons = [(_mark(_("Vandaag"), current == today), cb(row, "d", date_arg(today)))]
        if context.services.settings.max_back_days >= 1:
            day_buttons.append(
                (_mark(_("Gisteren"), current == yesterday), cb(row, "d", date_arg(yesterday)))
            )
        buttons.append(day_buttons)
        lines = [f"<b>{_('Op welke dag was het contact?')}</b>"]
        if current:
            lines.append(now_line(esc(_fmt_day(context, current))))
        lines.append(_("Of typ een datum, bijvoorbeeld <i>12-3</i> of <i>maandag</i>."))
        return "\n".join(lines), buttons

    if state == "gemeente":
        munis = (await refdata(s, context)).municipalities
        row_buttons: list[Button] = []
        for m in munis:
            row_buttons.append((_mark(m.name, m.id == cd.municipality_id), cb(row, "m", m.id)))
            if len(row_buttons) == 2:
                buttons.append(row_buttons)
                row_buttons = []
        if row_buttons:
            buttons.append(row_buttons)
        lines = [f"<b>{_('In welke gemeente?')}</b>"]
        if cd.municipality_id:
            lines.append(now_line(await _place_text(s, context, cd)))
        lines.append(_("Of typ een dorp of stad, bijvoorbeeld <i>Blerick</i>."))
        return "\n".join(lines), buttons

    if state == "vindplek":
        assert cd.municipality_id is not None
        places = await contacts.vindplekken(s, cd.municipality_id, row.user_id)
        for p in places:
            label = _clip(p.name, MAX_NAME)
            buttons.append([(_mark(label, p.id == cd.vindplek_id), cb(row, "p", p.id))])
        no_place = (
            cd.vindplek_id is None and not cd.new_vindplek and cd.history[-1:] != ["gemeente"]
        )
        buttons.append(
            [
                (_mark(_("Geen vaste plek"), no_place), cb(row, "p", 0)),
                (_("Andere gemeente"), cb(row, "m")),
            ]
        )
        lines = [
            f"<b>{_('Op welke plek (vindplek)?')}</b>",
            now_line(await _place_text(s, context, cd)),
        ]
        lines.append(_("Staat de plek er niet bij? Typ de naam, dan voeg ik hem toe."))
        return "\n".join(lines), buttons

    if state in STEP_VOCAB:
        items = (await refdata(s, context)).items(STEP_VOCAB[state])
        current = getattr(cd, STEP_FIELD[state])
        for it in items:
            buttons.append([(_mark(it.label, it.code == current), cb(row, "v", it.id))])
        question = {
            "activity": _("Wat voor inzet was het?"),
            "reach": _("Hoe heb je de inwoner(s) bereikt?"),
            "referral": _("Heb je iemand doorverwezen? Naar wie?"),
        }[state]
        lines = [f"<b>{question}</b>"]
        chosen = next((it for it in items if it.code == current), None)
        if chosen:
            lines.append(now_line(esc(chosen.label)))
        if state != "activity":
            lines.append(_("Niet van toepassing? Tik op Overslaan."))
        return "\n".join(lines), buttons

    if state == "themes":
        items = (await refdata(s, context)).items("themes")
        pair: list[Button] = []
        for it in items:
            pair.append((_mark(_short(it.label), it.code in cd.themes), cb(row, "t", it.id)))
            if len(pair) == 2:
                buttons.append(pair)
                pair = []
        if pair:
            buttons.append(pair)
        buttons.append([(_("Verder →"), cb(row, "go"))])
        chosen = [it for it in items if it.code in cd.themes]
        lines = [
            f"<b>{_('Over welke thema’s ging het?')}</b>",
            _("Tik alles aan wat past, daarna op Verder."),
            now_line(esc(", ".join(_short(c.label) for c in chosen)) if chosen else "–"),
        ]
        return "\n".join(lines), buttons

    if state == "residents":
        current = cd.residents_count
        buttons.append(
            [(_mark(str(n), current == n), cb(row, "n", n)) for n in cdm.COUNT_CHOICES]
            + [(_mark("5+", current is not None and current >= 5), cb(row, "n", "more"))]
        )
        lines = [f"<b>{_('Met hoeveel inwoners?')}</b>"]
        if current is not None:
            lines.append(now_line(str(current)))
        if extra.get("ask_count"):
            lines.append(_("Typ het aantal, bijvoorbeeld <i>8</i>."))
        else:
            lines.append(_("Meer dan 4? Typ het aantal."))
        return "\n".join(lines), buttons

    if state == "new":
        kind = cdm.new_known(cd)
        count = cd.residents_count or 1
        opts = [
            (_mark(_("Nieuw"), kind == "new"), cb(row, "nw", "new")),
            (_mark(_("Bekend"), kind == "known"), cb(row, "nw", "known")),
        ]
        if count > 1:
            opts.append((_mark(_("Deels"), kind == "mixed"), cb(row, "nw", "mixed")))
        buttons.append(opts)
        question = (
            _("Was de inwoner nieuw voor jou, of kende je hem of haar al?")
            if count == 1
            else _("Waren de {count} inwoners nieuw voor jou, of kende je ze al?").format(
                count=count
            )
        )
        lines = [f"<b>{question}</b>"]
        if kind:
            lines.append(now_line(esc(_residents_text(context, cd))))
        if extra.get("ask_new") or count > 1:
            lines.append(_("Deels nieuw? Typ hoeveel er nieuw waren."))
        return "\n".join(lines), buttons

    if state == "duration":
        current = cd.duration_minutes
        opts = [
            (_mark(_fmt_minutes(context, m), current == m), cb(row, "u", m))
            for m in cdm.DURATION_CHOICES
        ]
        buttons += [opts[:3], opts[3:]]
        lines = [f"<b>{_('Hoe lang duurde het?')}</b>"]
        if current:
            lines.append(now_line(esc(_fmt_minutes(context, current))))
        lines.append(_("Of typ de duur, bijvoorbeeld <i>20 min</i> of <i>1u30</i>."))
        return "\n".join(lines), buttons

    if state == "deelopdracht":
        options = (await refdata(s, context)).active_deelopdrachten(
            cd.municipality_id, cd.work_date or today
        )
        for d in options:
            label = _clip(d.title, MAX_NAME)
            buttons.append([(_mark(label, d.id == cd.deelopdracht_id), cb(row, "o", d.id))])
        lines = [f"<b>{_('Hoort dit contact bij een deelopdracht van de gemeente?')}</b>"]
        lines.append(_("Zo niet, tik op Overslaan."))
        return "\n".join(lines), buttons

    if state == "story":
        lines = [
            f"<b>{_('Wil je kort vertellen wat het contact opleverde?')}</b>",
            _(
                "Een paar zinnen, zonder namen of andere gegevens waarmee iemand te herkennen "
                "is. Typ het hieronder, of tik op Overslaan."
            ),
        ]
        if cd.story:
            lines.append(now_line(f"<i>{esc(_clip(cd.story, 200))}</i>"))
        return "\n".join(lines), buttons

    if state == cdm.CONFIRM_DAY:
        assert cd.work_date is not None
        total = extra.get("total")
        if total is None:
            logged = await contacts.day_minutes(s, row.user_id, cd.work_date)
            total = logged + (cd.duration_minutes or 0)
        buttons.append([(_("Ja, opslaan"), cb(row, "sy", row.submission_key))])
        buttons.append([(_("Duur aanpassen"), cb(row, "dur"))])
        text = _(
            "Met dit contact kom je op {total} op {day}. Dat is meer dan {max}. Klopt dat?"
        ).format(
            total=esc(context.t.hours(total)),
            day=esc(context.t.fmt_date(cd.work_date)),
            max=esc(context.t.hours(int(context.services.settings.max_day_hours * 60))),
        )
        return text, buttons

    # Summary.
    has_deel = await _has_deelopdrachten(s, context, cd)
    title = _("Zelfde als vorige keer?") if cd.from_last else _("Klopt dit?")
    lines = [f"<b>{title}</b>", *await summary_text(s, context, cd, has_deel=has_deel)]
    if cdm.is_complete(cd):
        lines.append("")
        lines.append(_("Tik op <b>Opslaan</b>, of op wat je wilt veranderen."))
        buttons.append([("✅ " + _("Opslaan"), cb(row, "s", row.submission_key))])
    edit_steps = [i.step for i in cdm.summary_items(cd, has_deelopdrachten=has_deel)]
    pair = []
    for step in edit_steps:
        pair.append((_(FIELD_LABELS[step]), cb(row, "e", step)))
        if len(pair) == 3:
            buttons.append(pair)
            pair = []
    if pair:
        buttons.append(pair)
    buttons.append([(_("Stoppen"), cb(row, "stop"))])
    return "\n".join(lines), buttons


# --------------------------------------------------------------------------- handlers


def _ttl(context: BotContext) -> timedelta:
    return draft_ttl(context)


async def _load_start(s: AsyncSession, context: BotContext) -> ContactDraft:
    user = context.app_user
    assert user is not None and user.id is not None
    today = context.services.today()
    last = await contacts.last_entry(s, user.id)
    active = False
    if last is not None and last.deelopdracht_id is not None:
        options = (await refdata(s, context)).active_deelopdrachten(last.municipality_id, today)
        active = any(d.id == last.deelopdracht_id for d in options)
    return cdm.initial_draft(
        today,
        last=last,
        home_municipality_id=user.home_municipality_id,
        deelopdracht_active=active,
    )


async def _resume(
    s: AsyncSession, context: BotContext, row: ConversationDraft
) -> tuple[str, list[list[Button]]]:
    """Show an open draft again ("Je was nog bezig…").

    Showing it is touching it: a fresh expiry, and it becomes the user's latest draft, so the
    next typed answer comes here and not to another open dialogue. The revision moves on, so
    the buttons of the message shown before are recognised as old.
    """
    services = context.services
    await drafts.save(s, row, services.now(), _ttl(context))
    return await render(s, context, row, ContactDraft.from_data(row.data), resume=True)


async def new_draft(
    s: AsyncSession, context: BotContext, cd: ContactDraft, state: str
) -> ConversationDraft:
    """Start the contact draft (replacing an older one).

    Its first revision is drawn from its submission key: SQLite may give a new draft the id of
    the one just deleted, and a button of the old draft must not pass for one of the new.
    """
    user = context.app_user
    assert user is not None and user.id is not None
    services = context.services
    row = await drafts.start(s, user.id, FLOW, state, cd.to_data(), services.now(), _ttl(context))
    row.revision = int(row.submission_key[:6], 16) + 1
    s.add(row)
    return row


async def cmd_contact(update: Update, context: BotContext) -> None:
    user = context.app_user
    if user is None or user.id is None:
        return
    services = context.services
    now = services.now()
    line = " ".join(context.args or []).strip()
    async with context.unit() as s:
        existing = await drafts.get(s, user.id, FLOW)
        if existing is not None and drafts.is_expired(existing, now):
            await drafts.discard(s, existing)
            existing = None
        if existing is not None and not line:
            # Never lose a half-finished contact: show where they were.
            text, buttons = await _resume(s, context, existing)
        else:
            if line:
                cd, state, error = await quick_draft(s, context, line)
            else:
                cd, error = await _load_start(s, context), None
                state = cdm.first_state(cd)
            row = await new_draft(s, context, cd, state)
            text, buttons = await render(s, context, row, cd, error=error)
    await reply(update, context, text, buttons=buttons)


QUICK_ERRORS = {
    ("gemeente", "several"): N_("Ik zag meer dan één gemeente. In welke gemeente was het?"),
    ("activity", "several"): N_("Ik zag meer dan één soort inzet. Welke was het?"),
    ("residents", "conflict"): N_(
        "Het aantal nieuwe en bekende inwoners klopt niet met het totaal. "
        "Met hoeveel inwoners was het?"
    ),
}


async def quick_draft(
    s: AsyncSession, context: BotContext, line: str
) -> tuple[ContactDraft, str, str | None]:
    """A draft from one typed line, the state to open and an error to show there."""
    _ = context.t._
    settings = context.services.settings
    today = context.services.today()
    base = await _load_start(s, context)
    ref = await refdata(s, context)
    vocab = {
        kind: [VocabEntry(v.code, v.label, v.aliases) for v in ref.items(kind)]
        for kind in contacts.VOCAB_MODELS
    }

    async def parse(municipality_id: int | None) -> QuickEntry:
        names = await contacts.vindplek_names(s, municipality_id) if municipality_id else []
        return parse_quick_entry(
            line,
            today,
            vocabulary=vocab,
            vindplekken=names,
            max_back_days=settings.max_back_days,
        )

    default_muni = base.municipality_id
    entry = await parse(default_muni)
    muni = ref.municipality_named(entry.municipality)
    if muni is not None and muni.id != default_muni:
        entry = await parse(muni.id)  # its own vindplekken
    chosen_muni = muni.id if muni is not None else default_muni
    place = (
        await contacts.vindplek_by_name(s, chosen_muni, entry.vindplek)
        if entry.vindplek and chosen_muni
        else None
    )
    cd, problem = cdm.from_quick(
        entry,
        today,
        default_municipality_id=default_muni,
        municipality_id=muni.id if muni is not None else None,
        vindplek_id=place.id if place is not None else None,
        known_reach=[v.code for v in ref.items("reach_channels")],
    )
    state = cdm.first_state(cd)
    error = None
    if problem is not None and not cdm.step_done(cd, problem[0]):
        state = problem[0]
        step, code = problem
        table = {"date": DATE_ERRORS, "duration": DURATION_ERRORS}.get(step)
        msgid = table.get(code) if table else QUICK_ERRORS.get(problem)
        if msgid:
            error = _(msgid).format(days=settings.max_back_days)
    if entry.unknown_words:
        # Shown back, never stored: it may be anything the expert typed. Each word and the
        # list are short, so a pasted essay can't make the reply too long to send.
        words = [_clip(w, MAX_ECHO_WORD) for w in entry.unknown_words[:MAX_ECHO_WORDS]]
        if len(entry.unknown_words) > MAX_ECHO_WORDS:
            words.append("…")
        unknown = esc(", ".join(words))
        note = _("Deze woorden heb ik niet gebruikt: {words}.").format(words=unknown)
        error = f"{error}\n{note}" if error else note
    return cd, state, error


async def on_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    _ = context.t._
    user = context.app_user
    press = Press.parse(query.data or "")
    if user is None or press is None:
        await answer(context, query, _("Deze knop werkt niet meer."))
        return
    if press.action == "new":
        await answer(context, query)
        await _start_fresh(update, context, press)
        return
    services = context.services
    now = services.now()
    message: tuple[str, list[list[Button]]] | None = None
    toast: str | None = None
    to_save: tuple[ConversationDraft, ContactDraft, list[str]] | None = None
    async with context.unit() as s:
        row = await drafts.get_by_id(s, press.draft_id)
        if row is None or row.user_id != user.id or row.flow != FLOW:
            toast = await _gone_text(s, context, press)
        elif drafts.is_expired(row, now):
            await drafts.discard(s, row)
            toast = _(
                "Dit contact is verlopen. Er is niets opgeslagen. Begin opnieuw met /contact."
            )
            message = (toast, [])
        elif press.action in ("s", "sy") and press.arg != row.submission_key:
            toast = await _gone_text(s, context, press)
        elif press.revision != row.revision:
            toast = _("Deze knop hoort bij een eerdere stap. Gebruik het laatste bericht.")
        else:
            cd = ContactDraft.from_data(row.data)
            outcome = await apply_button(s, context, row, cd, press)
            _note_change(cd, row.data)
            toast = outcome.toast
            if outcome.done == "stopped":
                await drafts.discard(s, row)
                message = (_("Gestopt. Er is niets opgeslagen."), [])
            elif outcome.done == "save":
                # The lines for the confirmation are read now, in this transaction.
                to_save = (row, cd, await summary_text(s, context, cd, has_deel=False))
            elif outcome.changed:
                await drafts.save(
                    s, row, now, _ttl(context), state=outcome.state, data=cd.to_data()
                )
                message = await render(
                    s, context, row, cd, error=outcome.error, note=outcome.note, extra=outcome.extra
                )
            elif outcome.error or outcome.extra:
                message = await render(
                    s, context, row, cd, error=outcome.error, extra=outcome.extra
                )
    if to_save is not None:
        # The save is its own transaction (contact, themes, story, audit, draft deletion).
        row, cd, lines = to_save
        result = await contacts.save_contact(
            services.sessions,
            expert_id=row.user_id,
            draft=cd,
            submission_key=row.submission_key,
            draft_id=row.id,
            now=now,
        )
        if result.created:
            text = "\n".join([f"<b>{_('Opgeslagen ✓')}</b>", *lines])
        else:
            text = toast = _("Dit contact is al opgeslagen.")
        message = (text, [[(_("Nog een contact"), f"{PREFIX}:0:0:new")]])
    if message is None:
        await answer(context, query, toast)
        return
    text, buttons = message
    # Both at once: updates are handled one by one, so each round trip saved counts.
    await asyncio.gather(
        answer(context, query, toast),
        edit_or_send(update, context, text, buttons=buttons or None),
    )


async def _gone_text(s: AsyncSession, context: BotContext, press: Press) -> str:
    _ = context.t._
    if press.action in ("s", "sy") and press.arg:
        if await contacts.by_submission_key(s, press.arg) is not None:
            return _("Dit contact is al opgeslagen.")
    return _("Dit contact is al afgerond of gestopt. Begin opnieuw met /contact.")


async def _start_fresh(update: Update, context: BotContext, press: Press) -> None:
    """The buttons "Nog een contact" and "Nieuw contact beginnen".

    Only the "Nieuw contact beginnen" of the open draft's current resume view replaces it. Any
    other such button (an old "Nog een contact", or one from an earlier resume view) shows the
    half-finished contact instead of silently throwing it away, with its own "Nieuw contact
    beginnen" to start over deliberately.
    """
    user = context.app_user
    assert user is not None and user.id is not None
    services = context.services
    now = services.now()
    async with context.unit() as s:
        existing = await drafts.get(s, user.id, FLOW)
        if existing is not None and drafts.is_expired(existing, now):
            await drafts.discard(s, existing)
            existing = None
        if existing is not None and (press.draft_id, press.revision) != (
            existing.id,
            existing.revision,
        ):
            text, buttons = await _resume(s, context, existing)
        else:
            cd = await _load_start(s, context)
            row = await new_draft(s, context, cd, cdm.first_state(cd))
            text, buttons = await render(s, context, row, cd)
    await reply(update, context, text, buttons=buttons)


async def on_text(update: Update, context: BotContext, draft: ConversationDraft) -> None:
    """Typed text while a contact draft is open (the router found it)."""
    msg = update.message
    if msg is None or msg.text is None:
        return
    services = context.services
    now = services.now()
    async with context.unit() as s:
        # The router just loaded this row; re-attach it instead of reading it again.
        row = draft
        s.add(row)
        cd = ContactDraft.from_data(row.data)
        press = await typed_button(s, context, row, cd, msg.text)
        if press is not None:
            outcome = await apply_button(s, context, row, cd, press)
            if outcome.toast and not outcome.error:
                # What a tap would show as a short answer is a line above the step here.
                outcome.note = outcome.note or outcome.toast
        else:
            outcome = await apply_text(s, context, row, cd, msg.text)
        _note_change(cd, row.data)
        if outcome.changed:
            await drafts.save(s, row, now, _ttl(context), state=outcome.state, data=cd.to_data())
        else:
            cd = ContactDraft.from_data(row.data)  # an error leaves the draft as it was
        text, buttons = await render(
            s, context, row, cd, error=outcome.error, note=outcome.note, extra=outcome.extra
        )
    await reply(update, context, text, buttons=buttons)


def register(application: Application, router: TextRouter) -> None:  # type: ignore[type-arg]
    # Only new messages: an edited "/contact …" must not log a second contact (the shared
    # edited-message handler answers it).
    application.add_handler(
        CommandHandler("contact", cmd_contact, filters=filters.UpdateType.MESSAGE)
    )
    application.add_handler(CallbackQueryHandler(on_button, pattern=rf"^{PREFIX}:"))
    router.flow(FLOW, on_text)
