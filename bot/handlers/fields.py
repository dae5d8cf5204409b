"""The fields that /uren, /signaal, /verhaal and /corrigeer share: date, duration, municipality
and free text — their buttons, how a button or a typed answer is read, and the texts that say
why an answer is not accepted. The rules themselves are in `bot.domain.limits` (error codes);
this module turns them into Dutch and into buttons.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import Any, TypeVar

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import BotContext
from bot.dialogue import (
    Callback,
    Flow,
    Outcome,
    Screen,
    Turn,
    View,
    current_draft,
    labels,
    start_draft,
)
from bot.dialogue.flow import TapHandler, TextHandler
from bot.domain import limits
from bot.domain.indirect import typed_municipality
from bot.domain.privacy import FindingKind
from bot.handlers.common import Button, esc
from bot.handlers.shared import command_flow, rows_of
from bot.handlers.week import fmt_duration
from bot.i18n import N_, Translator
from bot.storage import worklog
from bot.storage.worklog import Option
from bot.text import short_label as short_label  # the one short form of a list label

T = TypeVar("T")

Make = Callable[[str], str]  # action -> callback data of the draft's current revision


@dataclass(kw_only=True)
class FieldView(View):
    """The view of a dialogue with these fields: the limits its dates and durations keep."""

    today: date
    max_back: int  # days a work date may lie back
    max_day_minutes: int  # work per day before the day total is asked about


def field_view(turn: Turn[Any]) -> dict[str, Any]:
    """The arguments of a `FieldView` (subclass) for the turn's draft."""
    settings = turn.context.services.settings
    return {
        "context": turn.context,
        "draft": turn.draft,
        "prefix": turn.flow.prefix,
        "today": turn.today(),
        "max_back": settings.max_back_days,
        "max_day_minutes": int(settings.max_day_hours * 60),
    }


# --------------------------------------------------------------------------- municipality


def municipality_buttons(
    t: Translator, munis: Sequence[Option], make: Make, *, regional: bool = True
) -> list[list[Button]]:
    """All municipalities (two per row) and, optionally, "Regionaal" (action `mr`)."""
    rows = rows_of([(m.label, make(f"m{m.id}")) for m in munis], 2)
    if regional:
        rows.append([(t._("Regionaal (geen gemeente)"), make("mr"))])
    return rows


def parse_municipality_action(action: str) -> tuple[bool, int | None]:
    """`m12` -> (True, 12); `mr` -> (True, None) regional; anything else (False, None)."""
    if action == "mr":
        return True, None
    if action.startswith("m") and action[1:].isdigit():
        return True, int(action[1:])
    return False, None


def municipality_label(t: Translator, name: str | None) -> str:
    return name if name is not None else t._("regionaal")


UNKNOWN_MUNICIPALITY = N_(
    "Die gemeente ken ik niet. Kies een gemeente met de knoppen, typ een "
    "gemeente of dorp (bijvoorbeeld <i>Blerick</i>), of kies Regionaal."
)


# --------------------------------------------------------------------------- date


def date_label(t: Translator, d: date, today: date) -> str:
    if d == today:
        return t._("vandaag ({date})").format(date=t.fmt_date(d))
    if d == today - timedelta(days=1):
        return t._("gisteren ({date})").format(date=t.fmt_date(d))
    return t.fmt_date(d)


DATE_PROBLEMS = {
    "future": N_("Dat is in de toekomst. Je kunt alleen vandaag of eerder invullen."),
    "too_old": N_(
        "Dat is te lang geleden. Je kunt tot {days} terug invullen. "
        "Voor oudere uren: vraag de coördinator."
    ),
}


def date_problem(t: Translator, d: date, today: date, max_back: int) -> str | None:
    """Why a work date is not accepted (future, or longer ago than the back-dating limit)."""
    code = limits.check_work_date(d, today, max_back)
    return t._(DATE_PROBLEMS[code]).format(days=t.days(max_back)) if code is not None else None


def date_buttons(t: Translator, today: date, max_back: int, make: Make) -> list[list[Button]]:
    """Vandaag, gisteren and the five days before (never past the back-dating limit)."""
    days = [today - timedelta(days=i) for i in range(min(7, max_back + 1))]
    labels = [t._("Vandaag"), t._("Gisteren")]
    out: list[Button] = []
    for i, d in enumerate(days):
        label = labels[i] if i < len(labels) else t.fmt_short_date(d)
        out.append((label, make("d" + d.strftime("%Y%m%d"))))
    return rows_of(out, 3)


def parse_date_action(action: str) -> date | None:
    if len(action) == 9 and action.startswith("d") and action[1:].isdigit():
        try:
            return date(int(action[1:5]), int(action[5:7]), int(action[7:9]))
        except ValueError:
            return None
    return None


def date_help(t: Translator, max_back: int) -> str:
    return t._(
        "Kies een dag met de knoppen of typ een datum, bijvoorbeeld <i>gisteren</i>, "
        "<i>maandag</i> of <i>12-11</i>. Tot {days} terug."
    ).format(days=t.days(max_back))


def typed_date(t: Translator, text: str, today: date, max_back: int) -> tuple[date | None, str]:
    """A typed work date, or (None, why not + what is accepted) as HTML."""
    chosen, code = limits.read_work_date(text, today, max_back)
    if chosen is not None:
        return chosen, ""
    if code in DATE_PROBLEMS:
        why = t._(DATE_PROBLEMS[code]).format(days=t.days(max_back))
        return None, esc(why) + "\n" + date_help(t, max_back)
    return None, t._("Dat herken ik niet als datum.") + " " + date_help(t, max_back)


# --------------------------------------------------------------------------- duration

DURATION_CHOICES = (15, 30, 45, 60, 90, 120, 180, 240)


def duration_help(t: Translator) -> str:
    return t._(
        "Kies een knop of typ hoe lang, bijvoorbeeld <i>45 min</i>, <i>1,5 uur</i> "
        "of <i>1 uur 15</i>. Tussen 5 minuten en 24 uur."
    )


def duration_buttons(t: Translator, make: Make) -> list[list[Button]]:
    return rows_of([(fmt_duration(t, m), make(f"t{m}")) for m in DURATION_CHOICES], 4)


def parse_duration_action(action: str, *, maximum: int = limits.MAX_DAY_MINUTES) -> int | None:
    """`t90` -> 90, when it is a duration indirect hours (up to ``maximum``) may have."""
    if action.startswith("t") and action[1:].isdigit():
        minutes = int(action[1:])
        code = limits.check_minutes(minutes, minimum=limits.MIN_INDIRECT_MINUTES, maximum=maximum)
        return minutes if code is None else None
    return None


def parse_typed_duration(
    text: str, *, maximum: int = limits.MAX_DAY_MINUTES
) -> tuple[int | None, str | None]:
    """(minutes, None) or (None, reason code: "unknown" | "too_long" | "too_short")."""
    return limits.read_minutes(text, minimum=limits.MIN_INDIRECT_MINUTES, maximum=maximum)


DURATION_PROBLEMS = {
    "too_long": N_("Dat is langer dan een dag."),
    "too_short": N_("Dat is korter dan 5 minuten."),
    "unknown": N_("Dat herken ik niet als tijdsduur."),
}


def duration_problem(t: Translator, reason: str) -> str:
    msgid = DURATION_PROBLEMS.get(reason, DURATION_PROBLEMS["unknown"])
    return t._(msgid) + " " + duration_help(t)


# --------------------------------------------------------------------------- free text

# What the privacy guard found, in words an expert or a coordinator understands.
IDENTIFIER_WORDS = {
    FindingKind.BSN: N_("een BSN"),
    FindingKind.PHONE: N_("een telefoonnummer"),
    FindingKind.EMAIL: N_("een e-mailadres"),
    FindingKind.IBAN: N_("een rekeningnummer"),
    FindingKind.POSTCODE_HOUSE: N_("een postcode"),
    FindingKind.ADDRESS: N_("een adres"),
    FindingKind.BIRTH_DATE: N_("een geboortedatum"),
    FindingKind.NAME_TITLE: N_("een naam"),
    FindingKind.NAME: N_("een naam"),
}
# Its own name: pybabel does not extract an N_() nested in the arguments of a t._() call.
SOMETHING_IDENTIFYING = N_("iets waaraan iemand te herkennen is")


def found_word(t: Translator, kind: FindingKind) -> str:
    """One kind the privacy guard found, in words: "een BSN"."""
    return t._(IDENTIFIER_WORDS.get(kind, SOMETHING_IDENTIFYING))


def found_words(t: Translator, found: Sequence[FindingKind]) -> str:
    """What the privacy guard ``found``, in words: "een BSN en een adres"."""
    words = dict.fromkeys(found_word(t, kind) for kind in found)
    return t._(" en ").join(words) if len(words) <= 2 else ", ".join(words)


def identifying_text(t: Translator, found: Sequence[FindingKind]) -> str:
    """Why text that could identify someone is not stored, naming what was ``found``."""
    what = found_words(t, found)
    return t._(
        "Dit sla ik niet op: er staat {what} in. Verhalen en signalen blijven anoniem. "
        "Schrijf het opnieuw zonder dat, bijvoorbeeld <i>een moeder uit Blerick</i> "
        "in plaats van een naam."
    ).format(what=esc(what))


def privacy_problem(t: Translator, text: str, today: date) -> str | None:
    """Why ``text`` may not be stored (it could identify someone), or None when it is fine."""
    found = limits.identifying(text, today)
    return identifying_text(t, found) if found else None


TEXT_PROBLEMS = {
    "no_letters": N_(
        "Typ het in woorden, bijvoorbeeld een of twee zinnen. "
        "Alleen emoji of cijfers kan ik niet opslaan."
    ),
    "too_long": N_(
        "Dat is te lang: {n}. Het mag maximaal {max} zijn. Maak het korter en stuur het opnieuw."
    ),
    "too_short": N_("Dat is wel erg kort. Schrijf in een paar woorden wat je zag (minstens {n})."),
}


def text_problem(t: Translator, text: str, max_chars: int, today: date) -> str | None:
    """What is wrong with a typed text (no words, too long, too short, identifying), or None."""
    problem = limits.check_text(text, max_chars=max_chars, today=today)
    return None if problem is None else problem_words(t, problem, text, max_chars)


def problem_words(t: Translator, problem: limits.TextProblem, text: str, max_chars: int) -> str:
    """`limits.check_text`'s answer in words for the expert."""
    if problem.code == "identifying":
        return identifying_text(t, problem.found)
    # {n}: the minimum when too short, the length typed when too long.
    n = limits.MIN_TEXT_CHARS if problem.code == "too_short" else len(text)
    return t._(TEXT_PROBLEMS[problem.code]).format(n=t.chars(n), max=t.chars(max_chars))


# --------------------------------------------------------------------------- framing


def frame(view: View, screen: Screen, outcome: Outcome) -> Screen:
    """How these dialogues show an outcome: a refused answer alone, with the step's buttons
    right under it (the step stays); a note (escaped HTML) above the step."""
    text, buttons = screen
    if outcome.error:
        return outcome.error, buttons
    if outcome.note:
        return outcome.note + "\n\n" + text, buttons
    return text, buttons


# A dialogue of these fields: shown with `frame`, its refused presses answered as alerts.
form_flow = partial(command_flow, frame=frame, alert=True)


def problem(turn: Turn[Any], msgid: str) -> Outcome:
    """A refused press, answered as an alert with a flow text ({command} filled in)."""
    return Outcome(toast=turn.t._(msgid).format(command=turn.flow.command), alert=True)


async def resume(turn: Turn[Any]) -> Screen:
    """The command again while its draft is open: pick up where they left off (also after a
    restart), with a way to start over. The buttons shown before stop working."""
    _ = turn.t._
    await turn.save()
    note = esc(_("Je was hier nog mee bezig. Ga verder:"))
    text, buttons = await turn.render(Outcome(note=note))
    buttons.append([(_(labels.START_OVER), turn.button("new"))])
    return text, buttons


async def resume_open(s: AsyncSession, context: BotContext, flow: Flow[Any]) -> Screen | None:
    """The command again: the flow's open draft picked up (`resume`), or None if none is."""
    existing = await current_draft(s, context, flow.name)
    return None if existing is None else await resume(Turn(s, context, flow, existing))


async def already_saved(turn: Turn[Any]) -> Outcome:
    """Saving found the entry already there: another update (a double tap handled elsewhere)
    saved this draft first. The dialogue is over all the same."""
    done = turn.t._("Dit was al opgeslagen.")
    return await turn.end(esc(done), toast=done)


NextState = Callable[[dict[str, Any]], str]  # the step a draft's data goes to next


def advance(next_state: NextState, data: dict[str, Any], **values: Any) -> Outcome:
    """A field changed: on to the next missing field, else (also when editing) the summary."""
    data.update(values)
    data.pop("editing", None)
    return Outcome(state=next_state(data), data=data)


def nav_taps(
    next_state: NextState,
    edit_targets: Mapping[str, str],
    fresh: Callable[[Turn[Any]], Awaitable[dict[str, Any]]],
) -> TapHandler:
    """The buttons of every step: Stoppen (x), Opnieuw beginnen (new, with ``fresh`` data),
    « Terug (b) and the summary's "change" buttons (e:<field>, to ``edit_targets[field]``)."""

    async def on_tap(turn: Turn[Any], cb: Callback) -> Outcome | None:
        data = turn.data
        if cb.action == "x":
            return await turn.end(esc(turn.t._("Gestopt. Er is niets opgeslagen.")))
        if cb.action == "new":
            new = await fresh(turn)
            name = turn.flow.name
            turn.draft = await start_draft(turn.s, turn.context, name, next_state(new), new)
            return Outcome(extra={"restarted": True})  # a new draft: show its first step
        if cb.action == "b":
            data.pop("editing", None)
            return Outcome(state=next_state(data), data=data)
        if cb.action == "e" and cb.arg in edit_targets:
            data["editing"] = True
            return Outcome(state=edit_targets[cb.arg], data=data)
        return None

    return on_tap


# --------------------------------------------------------------------------- step handlers
# The taps and typed answers of a date, duration or municipality step: read and checked here,
# then handed to ``use`` (the flow's "set this value"). Refused answers keep the step.

Use = Callable[[Turn[Any], T], Awaitable[Outcome]]


def _a_day(turn: Turn[Any]) -> int:
    return limits.MAX_DAY_MINUTES


def _regional(turn: Turn[Any]) -> bool:
    return True


def date_step(use: Use[date]) -> tuple[TapHandler, TextHandler]:
    """A day button (`d20261117`) or a typed date; the view is a `FieldView`."""

    async def tap(turn: Turn[Any], cb: Callback) -> Outcome | None:
        if not cb.action.startswith("d"):
            return None
        chosen = parse_date_action(cb.action)
        if chosen is None:
            return problem(turn, turn.flow.texts.unknown)
        view = await turn.view()
        why = date_problem(turn.t, chosen, view.today, view.max_back)
        return Outcome(toast=why, alert=True) if why is not None else await use(turn, chosen)

    async def typed(turn: Turn[Any], text: str) -> Outcome:
        view = await turn.view()
        chosen, why = typed_date(turn.t, text.strip(), view.today, view.max_back)
        return Outcome(error=why) if chosen is None else await use(turn, chosen)

    return tap, typed


def duration_step(
    use: Use[int], maximum: Callable[[Turn[Any]], int] = _a_day
) -> tuple[TapHandler, TextHandler]:
    """A duration button (`t90`) or a typed duration, up to ``maximum(turn)`` minutes."""

    async def tap(turn: Turn[Any], cb: Callback) -> Outcome | None:
        if not cb.action.startswith("t"):
            return None
        minutes = parse_duration_action(cb.action, maximum=maximum(turn))
        if minutes is None:
            return problem(turn, turn.flow.texts.unknown)
        return await use(turn, minutes)

    async def typed(turn: Turn[Any], text: str) -> Outcome:
        minutes, reason = parse_typed_duration(text.strip(), maximum=maximum(turn))
        if minutes is None:
            return Outcome(error=duration_problem(turn.t, reason or "unknown"))
        return await use(turn, minutes)

    return tap, typed


def municipality_step(
    use: Use[int | None],
    regional: Callable[[Turn[Any]], bool] = _regional,
    unknown: str = UNKNOWN_MUNICIPALITY,
) -> tuple[TapHandler, TextHandler]:
    """A municipality button (`m12`, `mr`: regional, when ``regional(turn)``) or a typed
    municipality or village. A name it does not know is answered with ``unknown`` (msgid)
    where the step cannot be regional, and with `UNKNOWN_MUNICIPALITY` (which offers
    Regionaal) where it can."""

    async def tap(turn: Turn[Any], cb: Callback) -> Outcome | None:
        if not cb.action.startswith("m"):
            return None
        ok, muni_id = parse_municipality_action(cb.action)
        if not ok or (muni_id is None and not regional(turn)):
            return problem(turn, turn.flow.texts.unknown)
        return await use(turn, muni_id)

    async def typed(turn: Turn[Any], text: str) -> Outcome:
        ok, muni_id = typed_municipality(text.strip(), await worklog.municipality_ids(turn.s))
        if not ok or (muni_id is None and not regional(turn)):
            return Outcome(error=turn.t._(UNKNOWN_MUNICIPALITY if regional(turn) else unknown))
        return await use(turn, muni_id)

    return tap, typed
