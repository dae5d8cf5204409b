"""/sleutelfiguur: an expert's key figures (sleutelfiguren), and the coordinator's overview.

Experts (and coordinators who also work as one) see "mijn sleutelfiguren" and add one: role
(typed; never a name, `bot.domain.key_figures.check_role`) -> municipality (their own first)
-> place (a village or vindplek of it, or none) -> since when (today, or a typed date, month
or year) -> contact good or occasional -> deelopdracht (only when the municipality has an
active one) -> summary, Opslaan (keyed with the draft's submission key: a double tap or an
old button saves nothing twice). One of them: contact now good / occasional, "geen contact
meer" (ended today), or delete (soft). Coordinators get the overview per municipality
(counts of good and occasional contacts, and the roles; never who or where). Every change is
audited (`bot.storage.key_figures`).
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.commands import COORDINATOR, EXPERT
from bot.context import BotContext
from bot.dialogue import Callback, Outcome, Step, Texts, Turn, current_draft, start_draft
from bot.domain import key_figures as kf
from bot.handlers import fields
from bot.handlers.common import esc, reply
from bot.handlers.shared import command_flow, register_flow
from bot.handlers.sleutelfiguur.adding import (
    UNKNOWN_MUNI,
    next_state,
    no_regional,
    render_deel,
    render_muni,
    render_place,
    render_quality,
    render_role,
    render_since,
    render_summary,
    role_problem,
    tap_deel,
    tap_place,
    tap_quality,
    tap_save,
    tap_since,
    text_place,
    text_quality,
    text_role,
    text_since,
    text_summary,
    use_muni,
)
from bot.handlers.sleutelfiguur.listing import (
    render_delete,
    render_item,
    render_list,
    render_overview,
    tap_delete,
    tap_item,
    tap_list,
)
from bot.handlers.sleutelfiguur.view import (
    ADD_STEPS,
    COMMAND,
    FLOW,
    PREFIX,
    KeyView,
    held_roles,
    load,
)
from bot.i18n import N_
from bot.router import TextRouter
from bot.storage import key_figures

# --------------------------------------------------------------------------- every step


async def tap_any(turn: Turn[KeyView], cb: Callback) -> Outcome | None:
    _ = turn.t._
    held = held_roles(turn.context)
    if EXPERT not in held and cb.action not in {"x", "ov"}:
        # Someone who is no (longer an) expert keeps only the overview.
        return fields.problem(turn, turn.flow.texts.unknown)
    if cb.action == "x":
        if turn.draft.state in ADDING:
            return await turn.end(esc(_("Gestopt. Er is niets opgeslagen.")))
        return await turn.end(
            esc(_("Klaar. Met {command} zie je ze weer.").format(command=COMMAND))
        )
    if cb.action == "list" and EXPERT in held:
        return Outcome(state="list", data={})
    if cb.action in {"add", "new"} and EXPERT in held:
        return Outcome(state="role", data={})
    if cb.action == "ov" and COORDINATOR in held:
        return Outcome(state="overview", data={})
    if cb.action == "b" and turn.draft.state in ADDING:
        return back(turn.data, turn.draft.state)
    return None


ADDING = frozenset({*ADD_STEPS, "summary"})  # the states of adding one


async def text_any(turn: Turn[KeyView], text: str) -> Outcome | None:
    """Typed text is for experts only (a coordinator's draft shows the overview)."""
    if EXPERT in held_roles(turn.context):
        return None
    return Outcome(error=esc(turn.t._(turn.flow.texts.typed)))


def back(data: dict[str, Any], state: str) -> Outcome:
    """One step back while adding: forget the answer before this step (the deelopdracht
    question skipped on its own goes with the contact question before it)."""
    order = [*ADD_STEPS, "summary"]
    index = order.index(state)
    if index == 0:
        return Outcome(state="list", data={})
    previous = order[index - 1]
    if previous == "deel" and data.pop("deel_skipped", False):
        data.pop("deel", None)
        previous = "quality"
    data.pop(previous, None)
    return Outcome(state=next_state(data), data=data)


STEPS: dict[str, Step[KeyView]] = {
    "list": Step(render_list, tap_list),
    "item": Step(render_item, tap_item),
    "delete": Step(render_delete, tap_delete),
    "overview": Step(render_overview),
    "role": Step(render_role, None, text_role),
    "muni": Step(render_muni, *fields.municipality_step(use_muni, no_regional, UNKNOWN_MUNI)),
    "place": Step(render_place, tap_place, text_place),
    "since": Step(render_since, tap_since, text_since),
    "quality": Step(render_quality, tap_quality, text_quality),
    "deel": Step(render_deel, tap_deel),
    "summary": Step(render_summary, tap_save, text_summary),
}
SLEUTELFIGUUR = command_flow(
    FLOW,
    PREFIX,
    load,
    STEPS,
    frame=fields.frame,
    texts=Texts(
        gone=N_("Deze knop werkt niet meer. Begin opnieuw met {command}."),
        typed=N_("Tik op een van de knoppen onder het bericht."),
    ),
    on_tap=tap_any,
    on_text=text_any,
    keyed=frozenset({"save"}),
    was_saved=key_figures.was_saved,
)


async def start(update: Update, context: BotContext) -> None:
    """The list (experts) or the overview (coordinators); `/sleutelfiguur kapper` starts
    adding one with that role."""
    held = held_roles(context)
    typed = " ".join(context.args or []).strip()
    data: dict[str, Any] = {}
    error: str | None = None
    if EXPERT in held:
        state = "list"
        if typed:
            error = role_problem(context.t, typed, context.services.today())
            data = {} if error else {"role": kf.clean_role(typed)}
            state = "role" if error else next_state(data)
    else:
        state = "overview"
    async with context.unit() as s:
        existing = None if typed else await current_draft(s, context, FLOW)
        if EXPERT in held and existing is not None and existing.state in ADDING:
            # Half-way adding one (also after a restart): go on, or start over.
            text, buttons = await fields.resume(Turn(s, context, SLEUTELFIGUUR, existing))
        else:
            draft = await start_draft(s, context, FLOW, state, data)
            turn = Turn(s, context, SLEUTELFIGUUR, draft)
            text, buttons = await turn.render(Outcome(error=error))
    await reply(update, context, text, buttons=buttons or None)


def register(application: Application, router: TextRouter) -> None:
    register_flow(application, router, SLEUTELFIGUUR, start)
