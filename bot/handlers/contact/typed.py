"""Typed answers to the contact dialogue's steps (a typed button label is a tap: see
`bot.handlers.contact.typed_button`)."""

from __future__ import annotations

from bot.dialogue import Outcome
from bot.domain import contact_deel
from bot.domain import contact_draft as cdm
from bot.domain.places import match_from_candidates, resolve_municipality
from bot.handlers import signals
from bot.handlers.common import esc
from bot.handlers.contact.codec import parse_date, parse_duration
from bot.handlers.contact.render import STEP_VOCAB
from bot.handlers.contact.steps import CTurn, _cd, advanced, moved
from bot.handlers.contact.texts import (
    COUNT_ERRORS,
    DATE_ERRORS,
    DURATION_ERRORS,
    NEW_ERRORS,
    VINDPLEK_ERRORS,
    err,
)
from bot.handlers.contact.view import refdata
from bot.storage import contacts

NEW_WORDS = ("nieuw", "new", "alle nieuw", "allemaal nieuw")
KNOWN_WORDS = ("bekend", "known", "alle bekend", "allemaal bekend")


async def date(turn: CTurn, raw: str) -> Outcome:
    max_back = turn.context.services.settings.max_back_days
    d, problem = parse_date(raw, turn.today(), max_back)
    if problem or d is None:
        return Outcome(
            error=err(turn.context, DATE_ERRORS, problem).format(days=turn.t.days(max_back))
        )
    cd = _cd(turn)
    cd.work_date = d
    return await advanced(turn, cd)


async def gemeente(turn: CTurn, raw: str) -> Outcome:
    ref = await refdata(turn.s, turn.context)
    muni = ref.municipality_named(resolve_municipality(raw))
    if muni is None:
        return Outcome(
            error=turn.t._(
                "Die plaats ken ik niet. Kies een gemeente met de knoppen, of typ een "
                "gemeente of dorp in Noord- of Midden-Limburg, bijvoorbeeld <i>Blerick</i>."
            )
        )
    cd = _cd(turn)
    cd.set_municipality(muni.id)
    return await advanced(turn, cd)


async def vindplek(turn: CTurn, raw: str) -> Outcome:
    """A known place, another municipality or village (switch there), or a new place."""
    _ = turn.t._
    cd = _cd(turn)
    assert cd.municipality_id is not None
    names = await contacts.vindplek_names(turn.s, cd.municipality_id)
    name = match_from_candidates(raw, names) if names else None
    if name is not None:
        place = await contacts.vindplek_by_name(turn.s, cd.municipality_id, name)
        if place is not None:
            cd.vindplek_id, cd.new_vindplek = place.id, None
            return await advanced(turn, cd)
    other = resolve_municipality(raw)
    if other is not None:
        muni = (await refdata(turn.s, turn.context)).municipality_named(other)
        if muni is not None and muni.id != cd.municipality_id:
            # They named another municipality or village: switch, then ask for the place there.
            cd.set_municipality(muni.id)
            note = _("Gemeente veranderd in {name}.").format(name=esc(muni.name))
            return moved(turn, cd, turn.draft.state, note=note)
    problem = cdm.check_vindplek_name(raw)
    if problem:
        return Outcome(error=err(turn.context, VINDPLEK_ERRORS, problem))
    why = signals.privacy_problem(turn.t, raw, turn.today())
    if why:
        return Outcome(error=why)
    cd.vindplek_id, cd.new_vindplek = None, cdm.clean_name(raw)
    return await advanced(turn, cd)


async def vocab(turn: CTurn, raw: str) -> Outcome:
    state = turn.draft.state
    items = (await refdata(turn.s, turn.context)).items(STEP_VOCAB[state])
    cd = _cd(turn)
    if state == "referral":  # "ggz en huisarts": several at once
        found, unknown = cdm.match_vocab_list(raw, items)
        if unknown or not found:
            return Outcome(error=turn.t._("Dat ken ik niet. Kies een van de knoppen."))
        cd.referrals = [f.code for f in found]
        return await advanced(turn, cd)
    hit = cdm.match_vocab(raw, items)
    if hit is None:
        return Outcome(error=turn.t._("Dat ken ik niet. Kies een van de knoppen."))
    if state == "activity":
        cdm.set_activity(cd, hit.code)
    else:
        setattr(cd, state, hit.code)
    return await advanced(turn, cd)


async def _typed_list(turn: CTurn, kind: str, raw: str) -> list[str] | None:
    """The codes of the ``kind`` list items typed with commas; None when one is unknown (or
    none is given)."""
    items = (await refdata(turn.s, turn.context)).items(kind)
    found, unknown = cdm.match_vocab_list(raw, items)
    if unknown or not found:
        return None
    return [f.code for f in found]


async def themes(turn: CTurn, raw: str) -> Outcome:
    codes = await _typed_list(turn, "themes", raw)
    if codes is None:
        return Outcome(
            error=turn.t._(
                "Dat thema ken ik niet. Tik op de thema's, of typ ze met komma's, "
                "bijvoorbeeld <i>armoede, eenzaamheid</i>."
            )
        )
    cd = _cd(turn)
    cd.themes = codes
    return await advanced(turn, cd)


async def residents(turn: CTurn, raw: str) -> Outcome:
    n = cdm.parse_count(raw)
    problem = "unknown" if n is None else cdm.check_count(n)
    if problem or n is None:
        return Outcome(error=err(turn.context, COUNT_ERRORS, problem))
    cd = _cd(turn)
    cd.set_count(n)
    return await advanced(turn, cd)


async def new(turn: CTurn, raw: str) -> Outcome | None:
    cd = _cd(turn)
    count = cd.residents_count
    if count is None:
        return None
    low = raw.lower()
    if low in NEW_WORDS:
        n_new: int | None = count
    elif low in KNOWN_WORDS:
        n_new = 0
    else:
        n_new = cdm.parse_count(raw)
    problem = "unknown" if n_new is None else cdm.check_new(n_new, count)
    if problem or n_new is None:
        return Outcome(error=err(turn.context, NEW_ERRORS, problem).format(count=count))
    cd.residents_new = n_new
    return await advanced(turn, cd)


async def duration(turn: CTurn, raw: str) -> Outcome:
    minutes, problem = parse_duration(raw)
    if problem or minutes is None:
        return Outcome(error=err(turn.context, DURATION_ERRORS, problem))
    cd = _cd(turn)
    cd.duration_minutes = minutes
    return await advanced(turn, cd)


async def deelopdracht(turn: CTurn, raw: str) -> Outcome:
    cd = _cd(turn)
    ref = await refdata(turn.s, turn.context)
    options = ref.active_deelopdrachten(cd.municipality_id, cd.work_date or turn.today())
    by_code = raw.strip().lower()
    chosen = next((d for d in options if d.code and d.code.lower() == by_code), None)
    if chosen is None:
        name = match_from_candidates(raw, [d.title for d in options])
        chosen = next((d for d in options if d.title == name), None)
    if chosen is None:
        return Outcome(error=turn.t._("Kies een deelopdracht met de knoppen, of tik op Overslaan."))
    cd.deelopdracht_id, cd.deel_chosen = chosen.id, True
    return await advanced(turn, cd)


UNKNOWN_WORDS = ("weet ik niet", "weet niet", "geen idee", "niet bekend")


async def nonuse(turn: CTurn, raw: str) -> Outcome:
    """Drempels typed with commas ("schaamte, taal"), or "weet ik niet"."""
    cd = _cd(turn)
    if " ".join(raw.lower().split()).rstrip(".!?") in UNKNOWN_WORDS:
        contact_deel.non_use_unknown(cd)
        return await advanced(turn, cd)
    codes = await _typed_list(turn, "non_use_reasons", raw)
    if codes is None:
        return Outcome(
            error=turn.t._(
                "Die drempel ken ik niet. Tik op de drempels en dan op Verder, of tik op "
                "Weet ik niet."
            )
        )
    cd.non_use = codes
    cd.non_use_known = True
    return await advanced(turn, cd)


async def story(turn: CTurn, raw: str) -> Outcome:
    why = signals.text_problem(turn.t, raw, cdm.MAX_STORY_CHARS, turn.today())
    if why:
        return Outcome(error=why)
    cd = _cd(turn)
    cd.story = raw
    return await advanced(turn, cd)


async def summary(turn: CTurn, raw: str) -> Outcome:
    return Outcome(error=turn.t._("Tik op <b>Opslaan</b>, of op een knop om iets te veranderen."))
