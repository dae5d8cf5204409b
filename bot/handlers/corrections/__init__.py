"""/corrigeer: the expert's latest entries (contacts, hours, signals, stories), each editable
or deletable. Changes are soft (updated_at / deleted_at) and written to the audit log by
`bot.storage.worklog`, which also makes sure an expert only ever reaches their own entries.

Every field can be corrected: hours (date, duration, kind, municipality or regional), a signal
(date, kind, municipality, theme, text), a story (date, municipality, theme, deelopdracht,
text; a contact's story only theme and text: the rest follows the contact), a contact (its date,
duration and municipality here, every field through "Alles aanpassen" in the contact dialogue).
Each change is saved at once, with one audit row; new text passes the privacy guard first.

A step table on the dialogue kit. Buttons: `k:<draft id>:<revision>:<action>`; the entry being
corrected lives in the draft, and so does the list page (`offset`: how many newer entries are
skipped; « Oudere / Nieuwere »). A new date or duration that takes the day over
`max_day_hours` is asked about first, as when saving (state `confirm_day`, the change waiting in
`pending`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.context import BotContext
from bot.dialogue import Callback, Outcome, Step, Texts, Turn, start_draft
from bot.domain import limits
from bot.handlers import fields
from bot.handlers.common import esc, reply
from bot.handlers.corrections import choices
from bot.handlers.corrections.view import (
    CODES,
    FIELD_STATES,
    MAX_CHARS,
    NAME,
    NOT_FOUND,
    PREFIX,
    TIMED,
    CorrView,
    duration_limit,
    entry_label,
    expert_id,
    load,
    offset_of,
    parse_page_action,
    render_confirm_day,
    render_date,
    render_delete,
    render_duration,
    render_entry,
    render_list,
    render_muni,
    render_text,
)
from bot.handlers.shared import register_flow
from bot.i18n import N_
from bot.router import TextRouter
from bot.storage import contacts, drafts, worklog

# --------------------------------------------------------------------------- changing an entry


async def _day_total_too_high(
    turn: Turn[CorrView], entry: worklog.Entry | None, changes: dict[str, Any]
) -> tuple[date, int] | None:
    """(day, total) when the new date or duration takes that day over the maximum."""
    if "work_date" not in changes and "duration_minutes" not in changes:
        return None
    if entry is None or entry.entity not in TIMED:
        return None
    day = changes.get("work_date", entry.work_date)
    minutes = int(changes.get("duration_minutes", entry.minutes or 0))
    if not limits.grows_day(entry.work_date, entry.minutes or 0, day, minutes):
        return None
    logged = await worklog.day_minutes(
        turn.s, expert_id(turn), day, exclude=(entry.entity, entry.id)
    )
    too_high, total = limits.day_total_too_high(
        logged, minutes, turn.context.services.settings.max_day_hours
    )
    return (day, total) if too_high else None


def _without_pending(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in ("pending", "day", "day_total")}


async def apply(
    turn: Turn[CorrView], changes: dict[str, Any], *, confirmed: bool = False
) -> Outcome:
    """Save a change to the entry and show it again with a note; unless the day total asks for
    a confirmation first (nothing is saved then)."""
    _ = turn.t._
    data = _without_pending(turn.draft.data)
    if not confirmed:
        too_high = await _day_total_too_high(turn, (await turn.view()).entry, changes)
        if too_high is not None:
            day, total = too_high
            pending = {k: v.isoformat() if isinstance(v, date) else v for k, v in changes.items()}
            data.update(pending=pending, day=day.isoformat(), day_total=total)
            return Outcome(state="confirm_day", data=data)
    changed = await worklog.update_entry(
        turn.s, data["entity"], int(data["id"]), expert_id(turn), changes, turn.now()
    )
    note = _("Aangepast.") if changed else _("Niets veranderd.")
    return Outcome(state="entry", data=data, note=esc(note))


# --------------------------------------------------------------------------- steps


def _entity(turn: Turn[CorrView]) -> str:
    return str(turn.draft.data.get("entity"))


async def on_any_tap(turn: Turn[CorrView], cb: Callback) -> Outcome | None:
    """Klaar and « Terug naar de lijst on every step; « Terug to the entry on the entry's."""
    data = turn.data
    if cb.action == "x":
        return await turn.end(esc(turn.t._("Klaar. Met /corrigeer kom je hier terug.")))
    if cb.action == "l":
        return Outcome(state="list", data={"offset": offset_of(data)})
    if turn.draft.state == "list":
        return None
    if data.get("entity") not in worklog.ENTITIES:
        return fields.problem(turn, turn.flow.texts.stale)
    if cb.action == "o":
        return Outcome(state="entry", data=data)
    return None


async def tap_list(turn: Turn[CorrView], cb: Callback) -> Outcome | None:
    _ = turn.t._
    offset = offset_of(turn.draft.data)
    if cb.action.startswith("p"):
        page = parse_page_action(cb.action)
        if page is None:
            return fields.problem(turn, turn.flow.texts.unknown)
        return Outcome(state="list", data={"offset": page})
    if not (cb.action.startswith("e") and cb.action[1:2] in CODES):
        return None
    rest = cb.action[2:]
    entity = CODES[cb.action[1]]
    own = expert_id(turn)
    entry = await worklog.get_entry(turn.s, entity, int(rest), own) if rest.isdigit() else None
    if entry is None:  # not theirs, deleted meanwhile, or made up: the list, freshly
        return Outcome(
            state="list",
            data={"offset": offset},
            note=esc(_(NOT_FOUND)),
            toast=_("Die invoer kan ik niet vinden."),
            alert=True,
        )
    return Outcome(state="entry", data={"entity": entity, "id": entry.id, "offset": offset})


async def tap_entry(turn: Turn[CorrView], cb: Callback) -> Outcome | None:
    if cb.action == "del":
        return Outcome(state="delete", data=turn.data)
    if cb.action == "all" and _entity(turn) == "contact":
        return await _edit_contact(turn)
    target = FIELD_STATES.get(cb.arg) if cb.action == "f" else None
    if target is None:
        return None
    fits = cb.arg in (await turn.view()).fields
    return Outcome(state=target, data=turn.data) if fits else None


async def _edit_contact(turn: Turn[CorrView]) -> Outcome:
    """Every field of a contact: the contact dialogue's summary, pre-filled from the saved
    contact; saving there updates it (with an audit row) instead of adding one."""
    from bot.handlers import contact  # the contact journey; imported here, it imports us not

    cd = await contacts.contact_as_draft(turn.s, expert_id(turn), int(turn.data["id"]))
    if cd is None:
        return Outcome(
            state="list", data={"offset": offset_of(turn.data)}, note=esc(turn.t._(NOT_FOUND))
        )
    await drafts.discard(turn.s, turn.draft)
    return Outcome(final=await contact.start_screen(turn.s, turn.context, cd))


async def tap_delete(turn: Turn[CorrView], cb: Callback) -> Outcome | None:
    if cb.action != "yes":
        return None
    t = turn.t
    _ = t._
    data = turn.data
    entry = (await turn.view()).entry
    entry_id = int(data["id"])
    deleted = await worklog.delete_entry(
        turn.s, _entity(turn), entry_id, expert_id(turn), turn.now()
    )
    note = (
        _("Verwijderd: {entry}.").format(entry=entry_label(t, entry))
        if deleted and entry is not None
        else _("Die invoer was al verwijderd.")
    )
    return Outcome(
        state="list",
        data={"offset": offset_of(data)},
        note=esc(note),
        toast=_("Verwijderd") if deleted else None,
    )


async def _use_date(turn: Turn[CorrView], chosen: date) -> Outcome:
    return await apply(turn, {"work_date": chosen})


async def _use_minutes(turn: Turn[CorrView], minutes: int) -> Outcome:
    return await apply(turn, {"duration_minutes": minutes})


async def _use_muni(turn: Turn[CorrView], muni_id: int | None) -> Outcome:
    return await apply(turn, {"municipality_id": muni_id})


async def _use_kind(turn: Turn[CorrView], kind_id: int | None) -> Outcome:
    return await apply(turn, {"kind_id": kind_id})


async def _use_theme(turn: Turn[CorrView], theme_id: int | None) -> Outcome:
    return await apply(turn, {"theme_id": theme_id})


async def _use_deel(turn: Turn[CorrView], deel_id: int | None) -> Outcome:
    return await apply(turn, {"deelopdracht_id": deel_id})


def _max_minutes(turn: Turn[CorrView]) -> int:
    return duration_limit(_entity(turn))


def _regional(turn: Turn[CorrView]) -> bool:
    """Hours, signals and stories can be regional: a contact is always in a municipality."""
    return _entity(turn) != "contact"


async def tap_confirm_day(turn: Turn[CorrView], cb: Callback) -> Outcome | None:
    data = turn.data
    if cb.action == "no":
        note = esc(turn.t._("Niets veranderd."))
        return Outcome(state="entry", data=_without_pending(data), note=note)
    if cb.action != "ok":
        return None
    pending = dict(data.get("pending") or {})
    if not pending or set(pending) - {"work_date", "duration_minutes"}:
        return fields.problem(turn, turn.flow.texts.stale)
    if "work_date" in pending:
        pending["work_date"] = date.fromisoformat(pending["work_date"])
    return await apply(turn, pending, confirmed=True)


async def text_text(turn: Turn[CorrView], text: str) -> Outcome | None:
    entity = _entity(turn)
    if entity not in MAX_CHARS or "text" not in (await turn.view()).fields:
        return None
    text = text.strip()  # never logged: it may be what the privacy guard stops
    problem = fields.text_problem(turn.t, text, MAX_CHARS[entity], turn.today())
    return Outcome(error=problem) if problem is not None else await apply(turn, {"text": text})


TEXTS = Texts(typed=N_("Kies met de knoppen onder het bericht wat je wilt doen."))
UNKNOWN_MUNI = N_("Die gemeente ken ik niet. Kies een gemeente met de knoppen.")


STEPS: dict[str, Step[CorrView]] = {
    "list": Step(render_list, tap_list),
    "entry": Step(render_entry, tap_entry),
    "date": Step(render_date, *fields.date_step(_use_date)),
    "duration": Step(render_duration, *fields.duration_step(_use_minutes, _max_minutes)),
    # A contact is always in a municipality; hours, signals and stories may be regional (and
    # the answer to a name it does not know then offers Regionaal).
    "muni": Step(render_muni, *fields.municipality_step(_use_muni, _regional, UNKNOWN_MUNI)),
    "kind": Step(choices.render_kind, *choices.choice_step("kind", _use_kind)),
    "theme": Step(choices.render_theme, *choices.choice_step("theme", _use_theme)),
    "deel": Step(choices.render_deel, *choices.choice_step("deel", _use_deel)),
    "text": Step(render_text, None, text_text),
    "confirm_day": Step(render_confirm_day, tap_confirm_day),
    "delete": Step(render_delete, tap_delete),
}
FLOW = fields.form_flow(NAME, PREFIX, load, STEPS, texts=TEXTS, on_tap=on_any_tap)


async def cmd_corrections(update: Update, context: BotContext) -> None:
    async with context.unit() as s:
        draft = await start_draft(s, context, NAME, "list", {})
        text, buttons = await Turn(s, context, FLOW, draft).render()
        if len(buttons) == 1:
            await drafts.discard(s, draft)  # nothing to correct: no dialogue to keep open
            buttons = []
    await reply(update, context, text, buttons=buttons or None)


def register(application: Application, router: TextRouter) -> None:
    register_flow(application, router, FLOW, cmd_corrections)
