"""The steps of /inloopbeheer: what a tap or a typed answer does in each state."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bot.commands import COORDINATOR
from bot.dialogue import Callback, Flow, Outcome, Screen, Step, Texts, Turn
from bot.domain.places import resolve_municipality
from bot.domain.walkin_csv import parse_weekday
from bot.domain.walkin_input import hhmm, looks_personal, parse_day, parse_time_range
from bot.handlers.gate import role_of
from bot.handlers.walkin_admin import render
from bot.handlers.walkin_admin.overview import overview
from bot.handlers.walkin_admin.poster import poster
from bot.handlers.walkin_admin.save import save
from bot.handlers.walkin_admin.texts import ACTIONS, FIELDS, GONE, long_date
from bot.handlers.walkin_admin.view import (
    FLOW,
    PREFIX,
    UNDO_KIND,
    AdminView,
    load,
    next_state,
)
from bot.i18n import N_
from bot.storage import walkin as repo

KNOWN_PLACES = 8

Tap = Callable[[Turn[AdminView], Callback], Awaitable[Outcome | None]]


def advance(turn: Turn[AdminView], changes: dict[str, Any], *, state: str | None = None) -> Outcome:
    """Record `changes` and go to `state` (by default the action's next step)."""
    data = {**turn.data, **changes}
    return Outcome(state=state or next_state(data, turn.draft.state), data=data)


def _number(callback: Callback, action: str) -> int | None:
    """The numeric argument of an `action` button ("m:12" -> 12), else None."""
    arg = callback.arg
    return int(arg) if callback.action == action and arg.isascii() and arg.isdigit() else None


def _choose(tap: Tap) -> Tap:
    """A button this step does not take: show the step again, saying so."""

    async def run(turn: Turn[AdminView], callback: Callback) -> Outcome:
        outcome = await tap(turn, callback)
        return outcome or Outcome(error=turn.t._("Kies een van de knoppen."))

    return run


# --------------------------------------------------------------------------- every step


async def on_any_tap(turn: Turn[AdminView], callback: Callback) -> Outcome | None:
    if callback.action == "quit":
        return await turn.end(turn.t._("Gestopt. Er is niets veranderd."))
    return None


async def on_any_text(turn: Turn[AdminView], text: str) -> Outcome | None:
    if role_of(turn.context) != COORDINATOR:
        return await turn.end(turn.t._("Dit kan alleen de coördinator."))
    return None


# --------------------------------------------------------------------------- taps


async def no_buttons(turn: Turn[AdminView], callback: Callback) -> None:
    """A step without buttons of its own (only "Stoppen", which every step takes)."""
    return None


async def tap_menu(turn: Turn[AdminView], callback: Callback) -> Outcome | None:
    if callback.action in ACTIONS and not callback.args:
        return advance(turn, {"action": callback.action})
    return None


async def choose_municipality(turn: Turn[AdminView], muni_id: int) -> Outcome:
    muni = await repo.municipality_by_id(turn.s, muni_id)
    if muni is None:
        return Outcome(error=turn.t._("Kies een gemeente."))
    sessions = await repo.sessions_in(turn.s, muni_id, include_inactive=True)
    if turn.draft.data.get("action") == "list":
        return await overview(turn, muni_id, muni.name, sessions)
    if turn.draft.data.get("action") == "poster":
        return await poster(turn, muni.name, muni.code)
    known: list[list[str]] = []
    for row, _name in sessions:
        if [row.place, row.address] not in known and len(known) < KNOWN_PLACES:
            known.append([row.place, row.address])
    return advance(turn, {"muni_id": muni_id, "muni_name": muni.name, "known": known, "page": 0})


async def tap_municipality(turn: Turn[AdminView], callback: Callback) -> Outcome | None:
    muni_id = _number(callback, "m")
    return await choose_municipality(turn, muni_id) if muni_id is not None else None


def _next_page(turn: Turn[AdminView]) -> Outcome:
    return advance(turn, {"page": int(turn.draft.data.get("page", 0)) + 1}, state=turn.draft.state)


async def tap_session(turn: Turn[AdminView], callback: Callback) -> Outcome | None:
    if callback.action == "more":
        return _next_page(turn)
    if callback.action == "other" and turn.draft.data.get("action") == "extra":
        return advance(turn, {"other": True, "session_id": None})
    session_id = _number(callback, "s")
    if session_id is None:
        return None
    row = await repo.get_session(turn.s, session_id)
    if row is None or not row.active or row.municipality_id != turn.draft.data.get("muni_id"):
        return Outcome(error=turn.t._("Kies een inloop."))
    # Start from the session's own values: an edit changes one field, an extra copies them.
    return advance(
        turn,
        {
            "session_id": row.id,
            "place": row.place,
            "address": row.address,
            "weekday": row.weekday,
            "start": hhmm(row.start_time),
            "end": hhmm(row.end_time),
            "other": False,
        },
    )


async def tap_exception(turn: Turn[AdminView], callback: Callback) -> Outcome | None:
    if turn.draft.data.get("action") not in UNDO_KIND:
        return None
    if callback.action == "more":
        return _next_page(turn)
    exc_id = _number(callback, "e")
    chosen = [exc for exc, _base in (await turn.view()).coming if exc.id == exc_id]
    if exc_id is None or not chosen:
        return None
    return advance(turn, {"exc_id": exc_id, "exc_date": chosen[0].on_date.isoformat()})


async def tap_place(turn: Turn[AdminView], callback: Callback) -> Outcome | None:
    known = render.known_places(turn.draft.data)
    i = _number(callback, "p")
    if i is None or i >= len(known):
        return None
    place, address = known[i]
    # The address comes with a known place: skip that question.
    after_address = next_state(turn.draft.data, "address")
    return advance(turn, {"place": place, "address": address}, state=after_address)


async def tap_weekday(turn: Turn[AdminView], callback: Callback) -> Outcome | None:
    weekday = _number(callback, "w")
    return advance(turn, {"weekday": weekday}) if weekday is not None and weekday < 7 else None


async def tap_field(turn: Turn[AdminView], callback: Callback) -> Outcome | None:
    if callback.action == "f" and callback.arg in FIELDS:
        return advance(turn, {"field": callback.arg}, state=callback.arg)
    return None


async def tap_times(turn: Turn[AdminView], callback: Callback) -> Outcome | None:
    if callback.action == "same" and turn.draft.data.get("start"):
        return advance(turn, {})
    return None


async def tap_date(turn: Turn[AdminView], callback: Callback) -> Outcome | None:
    if callback.action == "now" and turn.draft.data.get("action") == "stop":
        return advance(turn, {"date": None})
    day = callback.arg
    if callback.action == "x" and len(day) == 8 and day.isascii() and day.isdigit():
        return advance(turn, {"date": f"{day[0:4]}-{day[4:6]}-{day[6:8]}"})
    return None


async def tap_summary(turn: Turn[AdminView], callback: Callback) -> Outcome | None:
    data = turn.draft.data
    if callback.action == "kind":
        kind = "spreekuur" if data.get("kind", "inloop") == "inloop" else "inloop"
        return advance(turn, {"kind": kind}, state="confirm")
    if callback.action == "hol":
        return advance(turn, {"hol": not data.get("hol")}, state="confirm")
    if callback.action == "save":
        return await turn.end(await save(turn))
    return None


# --------------------------------------------------------------------------- typed answers


async def type_municipality(turn: Turn[AdminView], text: str) -> Outcome:
    name = resolve_municipality(text)
    muni = await repo.municipality_by_name(turn.s, name) if name else None
    if muni is None or muni.id is None:
        return Outcome(error=turn.t._("Die gemeente ken ik niet. Kies een van de 14 gemeenten."))
    return await choose_municipality(turn, muni.id)


def _personal(turn: Turn[AdminView], text: str, *, venue_name: bool = False) -> Outcome | None:
    if not looks_personal(text, turn.today(), venue_name=venue_name):
        return None
    return Outcome(
        error=turn.t._(
            "Inwoners zien deze tekst. Er lijkt iets persoonlijks in te staan, zoals een naam, "
            "telefoonnummer of e-mailadres. Typ alleen de naam en het adres van de openbare plek."
        )
    )


async def type_place(turn: Turn[AdminView], text: str) -> Outcome:
    if (refused := _personal(turn, text, venue_name=True)) is not None:
        return refused
    if not 2 <= len(text) <= 120:
        return Outcome(
            error=turn.t._("Typ een naam van 2 tot 120 tekens, bijvoorbeeld: Buurthuis De Kolk")
        )
    return advance(turn, {"place": text})


async def type_address(turn: Turn[AdminView], text: str) -> Outcome:
    if (refused := _personal(turn, text)) is not None:
        return refused
    if not 3 <= len(text) <= 200:
        return Outcome(
            error=turn.t._(
                "Typ een adres van 3 tot 200 tekens, bijvoorbeeld: Kerkstraat 12, Blerick"
            )
        )
    return advance(turn, {"address": text})


async def type_weekday(turn: Turn[AdminView], text: str) -> Outcome:
    weekday = parse_weekday(text)
    if weekday is None:
        return Outcome(error=turn.t._("Kies een dag met de knoppen, of typ bijvoorbeeld dinsdag."))
    return advance(turn, {"weekday": weekday})


async def type_times(turn: Turn[AdminView], text: str) -> Outcome:
    span = parse_time_range(text)
    if span is None:
        return Outcome(
            error=turn.t._(
                "Dat begrijp ik niet. Typ begin en einde met een streepje, "
                "bijvoorbeeld 10:00-12:00. Het einde moet na het begin liggen."
            )
        )
    return advance(turn, {"start": hhmm(span[0]), "end": hhmm(span[1])})


async def type_date(turn: Turn[AdminView], text: str) -> Outcome:
    t = turn.t
    _ = t._
    today = turn.today()
    d = parse_day(text, today)
    if d is None:
        return Outcome(
            error=_("Dat is geen datum die ik ken. Typ bijvoorbeeld 24-12, 24 december of morgen.")
        )
    if d < today:
        return Outcome(error=_("Die datum is al geweest. Typ een datum vanaf vandaag."))
    if turn.draft.data["action"] == "skip":
        rule = (await turn.view()).rule
        if rule is None or d.weekday() != rule.weekday or not rule.valid_on(d):
            return Outcome(
                error=_("Op {date} is deze inloop er niet. Kies een datum hieronder.").format(
                    date=long_date(t, d, today)
                )
            )
    return advance(turn, {"date": d.isoformat()})


async def type_upload(turn: Turn[AdminView], text: str) -> Outcome:
    return Outcome(
        error=turn.t._("Stuur het bestand als bijlage (een .csv-bestand), niet als tekst.")
    )


# --------------------------------------------------------------------------- the flow


def _frame(view: AdminView, screen: Screen, outcome: Outcome) -> Screen:
    """What went wrong (or a note) above the step, as a plain line."""
    text, buttons = screen
    head = [line for line in (outcome.error, outcome.note) if line]
    return "\n\n".join([*head, text]), buttons


STEPS: dict[str, Step[AdminView]] = {
    "menu": Step(render.menu, _choose(tap_menu)),
    "muni": Step(render.municipality, _choose(tap_municipality), type_municipality),
    "session": Step(render.session, _choose(tap_session)),
    "exc": Step(render.exception, _choose(tap_exception)),
    "place": Step(render.place, _choose(tap_place), type_place),
    "address": Step(render.address, _choose(no_buttons), type_address),
    "weekday": Step(render.weekday, _choose(tap_weekday), type_weekday),
    "times": Step(render.times, _choose(tap_times), type_times),
    "field": Step(render.field, _choose(tap_field)),
    "date": Step(render.day, _choose(tap_date), type_date),
    "import": Step(render.upload, _choose(no_buttons), type_upload),
    "confirm": Step(render.summary, _choose(tap_summary)),
}


ADMIN = Flow[AdminView](
    name=FLOW,
    prefix=PREFIX,
    command="/inloopbeheer",
    steps=STEPS,
    load=load,
    # Every refused press gets the same answer, as an alert.
    texts=Texts(
        **dict.fromkeys(("unknown", "gone", "saved", "expired", "stale"), GONE),
        typed=N_("Kies een van de knoppen hieronder."),
    ),
    on_tap=on_any_tap,
    on_text=on_any_text,
    frame=_frame,
    alert=True,
)
