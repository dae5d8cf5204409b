"""The contact dialogue's step table: what a tap or a typed answer does at each step.

Handlers work on a `ContactDraft` copy of the draft's data and return an `Outcome`; the kit
records the step (a new revision) and renders the next one. Rules live in
bot.domain.contact_draft; here they are only asked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.dialogue import Callback, Outcome, Screen, Turn, encode, start_draft
from bot.domain import contact_deel
from bot.domain import contact_draft as cdm
from bot.domain.contact_draft import ContactDraft
from bot.handlers.common import esc
from bot.handlers.contact.codec import PREFIX, is_int, parse_date_arg
from bot.handlers.contact.render import STEP_VOCAB
from bot.handlers.contact.texts import (
    COUNT_ERRORS,
    DATE_ERRORS,
    DURATION_ERRORS,
    FIELD_LABELS,
    MAX_HISTORY,
    MAX_TYPED,
    err,
)
from bot.handlers.contact.view import ContactView, refdata, summary_lines
from bot.storage import contacts, drafts

CTurn = Turn[ContactView]
BACK_WORDS = {"terug", "vorige", "back"}


# --------------------------------------------------------------------------- moving


def _cd(turn: CTurn) -> ContactDraft:
    return ContactDraft.from_data(turn.draft.data)


def go(cd: ContactDraft, current: str, target: str) -> str:
    cd.history.append(current)
    del cd.history[:-MAX_HISTORY]
    if target == cdm.SUMMARY:
        # From now on every change returns straight to the summary.
        cd.mode = "edit"
    return target


async def settle_deel(turn: CTurn, cd: ContactDraft) -> list[contact_deel.DeelChoice]:
    """The draft's deelopdracht (defaulted while the expert has not chosen) and what its
    measures need, for the draft's municipality and day; returns the ones that fit."""
    ref = await refdata(turn.s, turn.context)
    options = ref.choices(cd.municipality_id, cd.work_date or turn.today())
    contact_deel.settle(cd, options)
    return options


async def advance(turn: CTurn, cd: ContactDraft, current: str) -> str:
    options = await settle_deel(turn, cd)
    ask_deel = contact_deel.has_choice(cd, options)
    return go(cd, current, cdm.next_state(cd, current, has_deelopdrachten=ask_deel))


def moved(turn: CTurn, cd: ContactDraft, state: str, **kw: Any) -> Outcome:
    """A step: ``cd`` is the draft's new data, ``state`` the next step."""
    # Once a value differs from the pre-filled one, it is no longer "the same as last time".
    if cd.from_last and cd.values() != ContactDraft.from_data(turn.draft.data).values():
        cd.from_last = False
    return Outcome(state=state, data=cd.to_data(), **kw)


async def advanced(turn: CTurn, cd: ContactDraft) -> Outcome:
    return moved(turn, cd, await advance(turn, cd, turn.draft.state))


def back(cd: ContactDraft, state: str) -> str:
    return cd.history.pop() if cd.history else state


def clear(cd: ContactDraft, step: str) -> None:
    if step == "vindplek":
        cd.vindplek_id, cd.new_vindplek = None, None
    elif step in ("reach", "referral", "story"):
        setattr(cd, step, None)
    elif step == "deelopdracht":  # "not under a deelopdracht": no default replaces that
        cd.deelopdracht_id, cd.deel_chosen = None, True
    elif step == "nonuse":
        contact_deel.clear_non_use(cd)
    elif step == "care":
        cd.care_relation = None


# --------------------------------------------------------------------------- every step


async def common_tap(turn: CTurn, cb: Callback) -> Outcome | None:
    """Back, stop, skip, change a field of the summary, save."""
    _ = turn.t._
    cd, state, action = _cd(turn), turn.draft.state, cb.action
    if action == "b":
        return moved(turn, cd, back(cd, state))
    if action == "stop":
        return await turn.end(_("Gestopt. Er is niets opgeslagen."))
    if action == "x" and cdm.skippable(cd, state):
        clear(cd, state)
        return await advanced(turn, cd)
    if action == "e" and state == cdm.SUMMARY and cb.arg in FIELD_LABELS:
        return moved(turn, cd, go(cd, state, cb.arg))
    if action in ("s", "sy") and state in (cdm.SUMMARY, cdm.CONFIRM_DAY):
        return await save(turn, cd, confirmed=action == "sy")
    if action == "dur" and state == cdm.CONFIRM_DAY:
        return moved(turn, cd, go(cd, state, "duration"))
    return None


async def common_text(turn: CTurn, raw: str) -> Outcome | None:
    """Too long, "terug", a skip word."""
    _ = turn.t._
    state = turn.draft.state
    if len(raw) > MAX_TYPED and state != "story":
        return Outcome(error=_("Dat is te lang. Tik op een knop of typ een kort antwoord."))
    if raw.lower() in BACK_WORDS:
        cd = _cd(turn)
        return moved(turn, cd, back(cd, state))
    cd = _cd(turn)
    # On the drempels "weet ik niet" is an answer of its own, not a skip (see typed.nonuse).
    if cdm.is_skip_word(raw) and cdm.skippable(cd, state) and state != "nonuse":
        clear(cd, state)
        return await advanced(turn, cd)
    return None


async def save(
    turn: CTurn, cd: ContactDraft, *, confirmed: bool, current: str | None = None
) -> Outcome:
    """Save the contact, unless something is missing, the date is no longer allowed, or the
    day's total needs a confirmation first. Part of the update's unit of work: committed
    before the reply goes out. A new contact waiting for this one (`pending`) goes on below
    "Opgeslagen"."""
    _ = turn.t._
    settings = turn.context.services.settings
    state = current or turn.draft.state
    todo = cdm.missing(cd)
    if todo:
        return moved(turn, cd, go(cd, state, todo[0]))
    assert cd.work_date is not None and cd.duration_minutes is not None
    problem = cdm.check_date(cd.work_date, turn.today(), settings.max_back_days)
    if problem:
        note = err(turn.context, DATE_ERRORS, problem).format(
            days=turn.t.days(settings.max_back_days)
        )
        return moved(turn, cd, go(cd, state, "date"), note=note)
    if not confirmed:
        logged = await contacts.day_minutes(
            turn.s, turn.draft.user_id, cd.work_date, except_contact=cd.editing_id
        )
        too_high, total = cdm.day_total_too_high(
            logged, cd.duration_minutes, settings.max_day_hours
        )
        if too_high:
            return moved(turn, cd, go(cd, state, cdm.CONFIRM_DAY), extra={"total": total})
    lines = summary_lines(await turn.view(), has_deel=False)  # read before the draft goes
    if cd.editing_id is not None:  # /corrigeer: every field of a saved contact
        # (A changed story passed the privacy check at its step, as a new one does.)
        changed = await contacts.update_contact(
            turn.s, expert_id=turn.draft.user_id, draft=cd, now=turn.now()
        )
        await drafts.discard(turn.s, turn.draft)
        head = _("Aangepast ✓") if changed else _("Niets veranderd.")
        text = "\n".join([f"<b>{head}</b>", *lines])
        if cd.pending:
            return Outcome(final=await _then_pending(turn, text, cd.pending))
        return Outcome(final=(text, []))
    result = await contacts.save_contact(
        turn.s,
        expert_id=turn.draft.user_id,
        draft=cd,
        submission_key=turn.draft.submission_key,
        draft_id=turn.draft.id,
        now=turn.now(),
    )
    toast = None
    if result.created:
        text = "\n".join(["<b>" + _("Opgeslagen ✓") + "</b>", *lines])
    else:
        text = toast = _("Dit contact is al opgeslagen.")
    if cd.pending:
        return Outcome(final=await _then_pending(turn, text, cd.pending), toast=toast)
    again = [[(_("Nog een contact"), encode(PREFIX, 0, 0, "new"))]]
    return Outcome(final=(text, again), toast=toast)


async def start_pending(turn: CTurn, pending: dict[str, Any]) -> Screen:
    """Start the new contact that waited (it replaces this draft) and show its first step."""
    new = ContactDraft.from_data(pending.get("data"))
    state = str(pending.get("state") or cdm.first_state(new))
    row = await start_draft(turn.s, turn.context, cdm.FLOW, state, new.to_data())
    outcome = Outcome(error=pending.get("error"), note=pending.get("note"))
    return await Turn(turn.s, turn.context, turn.flow, row).render(outcome)


async def _then_pending(turn: CTurn, done: str, pending: dict[str, Any]) -> Screen:
    text, buttons = await start_pending(turn, pending)
    return f"{done}\n\n{text}", buttons


async def tap_replace(turn: CTurn, cb: Callback) -> Outcome | None:
    """The buttons "Eerst dat opslaan" (or "afmaken") and "Weggooien, nieuw contact"."""
    _ = turn.t._
    cd = _cd(turn)
    pending = cd.pending
    if pending is None:
        return None
    if cb.action == "rn":
        return Outcome(final=await start_pending(turn, pending))
    if cb.action != "rs":
        return None
    back, ready = cdm.replaced_from(cd)
    if ready:
        return await save(turn, cd, confirmed=False, current=back)
    # Not finished yet: back to where it was; the new one goes on once this one is saved.
    note = _("Maak dit contact eerst af. Daarna ga je verder met het nieuwe.")
    return moved(turn, cd, back if back in cdm.STATES else cdm.SUMMARY, note=note)


# --------------------------------------------------------------------------- taps per step


async def tap_date(turn: CTurn, cb: Callback) -> Outcome | None:
    if cb.action == "ok":  # "Klopt": today, in the municipality shown; on to the place
        cd = _cd(turn)
        if cd.municipality_id is None:
            return None
        cd.work_date = turn.today()
        cd.history.append(turn.draft.state)
        # No vindplek known in the municipality yet: nothing to pick, so no step; a new one
        # can be added from the summary (Plaats).
        known = await contacts.vindplek_names(turn.s, cd.municipality_id)
        return moved(turn, cd, await advance(turn, cd, "gemeente" if known else "vindplek"))
    if cb.action != "d":
        return None
    _ = turn.t._
    chosen = parse_date_arg(cb.arg)
    if chosen is None:
        return Outcome(error=err(turn.context, DATE_ERRORS, None))
    max_back = turn.context.services.settings.max_back_days
    problem = cdm.check_date(chosen, turn.today(), max_back)
    if problem:
        # A button from before midnight (or before the limit moved) names a day that is
        # no longer allowed: say which day, and show today's buttons.
        why = err(turn.context, DATE_ERRORS, problem).format(days=turn.t.days(max_back))
        day = esc(turn.t.fmt_date(chosen))
        return Outcome(error=_("Die knop was voor {day}. {why}").format(day=day, why=why))
    cd = _cd(turn)
    cd.work_date = chosen
    return await advanced(turn, cd)


async def tap_gemeente(turn: CTurn, cb: Callback) -> Outcome | None:
    if cb.action != "m":
        return None
    ref = await refdata(turn.s, turn.context)
    muni = ref.municipality(int(cb.arg)) if is_int(cb.arg) else None
    if muni is None:
        return Outcome(error=turn.t._("Kies een gemeente met de knoppen."))
    cd = _cd(turn)
    cd.set_municipality(muni.id)
    return await advanced(turn, cd)


async def tap_vindplek(turn: CTurn, cb: Callback) -> Outcome | None:
    cd = _cd(turn)
    if cb.action == "m":
        return moved(turn, cd, go(cd, turn.draft.state, "gemeente"))
    if cb.action != "p":
        return None
    if cb.arg == "0":
        cd.vindplek_id, cd.new_vindplek = None, None
    else:
        place = await contacts.vindplek(turn.s, int(cb.arg)) if is_int(cb.arg) else None
        if place is None or place.municipality_id != cd.municipality_id:
            return Outcome(error=turn.t._("Kies een plek met de knoppen."))
        cd.vindplek_id, cd.new_vindplek = place.id, None
    return await advanced(turn, cd)


async def tap_vocab(turn: CTurn, cb: Callback) -> Outcome | None:
    if cb.action != "v":
        return None
    state = turn.draft.state
    ref = await refdata(turn.s, turn.context)
    item = ref.by_id(STEP_VOCAB[state], int(cb.arg)) if is_int(cb.arg) else None
    if item is None:
        return Outcome(error=turn.t._("Kies een van de knoppen."))
    cd = _cd(turn)
    if state == "referral":
        cd.toggle_referral(item.code)  # several referrals: each tap adds (or removes) one
    elif state == "activity":
        cdm.set_activity(cd, item.code)
    else:
        setattr(cd, state, item.code)
    return await advanced(turn, cd)


async def tap_ask(turn: CTurn, cb: Callback) -> Outcome | None:
    """An answer to a question about a part of a one-line entry (yes / no / a suggestion)."""
    if cb.action != "q":
        return None
    cd = _cd(turn)
    if not cdm.answer_question(cd, cb.arg or ""):
        return Outcome(error=turn.t._("Kies een van de knoppen."))
    todo = cdm.missing(cd)
    target = cdm.ASK if cd.questions else (todo[0] if todo else cdm.SUMMARY)
    return moved(turn, cd, go(cd, turn.draft.state, target))


async def _toggled(
    turn: CTurn, cd: ContactDraft, kind: str, arg: str, toggle: Callable[[str], object]
) -> Outcome:
    """A tap on one of a multiple choice's buttons (a ``kind`` list item by id): toggled, the
    same step shown again."""
    ref = await refdata(turn.s, turn.context)
    item = ref.by_id(kind, int(arg)) if is_int(arg) else None
    if item is None:
        return Outcome(error=turn.t._("Kies een van de knoppen."))
    toggle(item.code)
    return moved(turn, cd, turn.draft.state)


async def tap_themes(turn: CTurn, cb: Callback) -> Outcome | None:
    _ = turn.t._
    cd = _cd(turn)
    if cb.action == "t":
        return await _toggled(turn, cd, "themes", cb.arg, cd.toggle_theme)
    if cb.action == "go":
        if not cd.themes:
            return Outcome(toast=_("Kies minstens één thema."))
        return await advanced(turn, cd)
    return None


async def tap_residents(turn: CTurn, cb: Callback) -> Outcome | None:
    if cb.action != "n":
        return None
    if cb.arg == "more":
        return Outcome(toast=turn.t._("Typ het aantal inwoners."), extra={"ask_count": True})
    if cb.arg in ("1new", "1known"):  # one resident, new or known: one tap for both steps
        cd = _cd(turn)
        cd.residents_count, cd.residents_new = 1, 1 if cb.arg == "1new" else 0
        return await advanced(turn, cd)
    if not is_int(cb.arg) or cdm.check_count(int(cb.arg)):
        return Outcome(error=err(turn.context, COUNT_ERRORS, None))
    cd = _cd(turn)
    cd.set_count(int(cb.arg))
    return await advanced(turn, cd)


async def tap_new(turn: CTurn, cb: Callback) -> Outcome | None:
    cd = _cd(turn)
    if cb.action != "nw" or cd.residents_count is None:
        return None
    if cb.arg == "mixed":
        return Outcome(toast=turn.t._("Typ hoeveel er nieuw zijn."), extra={"ask_new": True})
    cd.residents_new = cd.residents_count if cb.arg == "new" else 0
    return await advanced(turn, cd)


async def tap_duration(turn: CTurn, cb: Callback) -> Outcome | None:
    if cb.action != "u" or not is_int(cb.arg):
        return None
    if cdm.check_duration(int(cb.arg)):
        return Outcome(error=err(turn.context, DURATION_ERRORS, None))
    cd = _cd(turn)
    cd.duration_minutes = int(cb.arg)
    return await advanced(turn, cd)


async def tap_deelopdracht(turn: CTurn, cb: Callback) -> Outcome | None:
    if cb.action != "o":
        return None
    cd = _cd(turn)
    ref = await refdata(turn.s, turn.context)
    options = ref.active_deelopdrachten(cd.municipality_id, cd.work_date or turn.today())
    chosen = next((d for d in options if str(d.id) == cb.arg), None)
    if chosen is None:
        return Outcome(error=turn.t._("Kies een deelopdracht met de knoppen."))
    cd.deelopdracht_id, cd.deel_chosen = chosen.id, True
    return await advanced(turn, cd)


async def tap_nonuse(turn: CTurn, cb: Callback) -> Outcome | None:
    """Drempels: toggles on one message, then "Verder"; "Weet ik niet" is an answer too."""
    _ = turn.t._
    cd = _cd(turn)
    if cb.action == "nu":
        return await _toggled(
            turn, cd, "non_use_reasons", cb.arg, lambda code: contact_deel.toggle_non_use(cd, code)
        )
    if cb.action == "nuk":
        contact_deel.non_use_unknown(cd)
        return await advanced(turn, cd)
    if cb.action == "nugo":
        if not contact_deel.non_use_done(cd):
            return Outcome(toast=_("Kies minstens één drempel, of tik op Weet ik niet."))
        return await advanced(turn, cd)
    return None


async def tap_care(turn: CTurn, cb: Callback) -> Outcome | None:
    if cb.action != "cr" or cb.arg not in contact_deel.CARE_RELATIONS:
        return None
    cd = _cd(turn)
    cd.care_relation = cb.arg
    return await advanced(turn, cd)
