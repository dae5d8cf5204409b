"""What the dialogues share beyond the kit (`bot.dialogue`): a flow named after its command and
its registration, the per-step loading of a view, the screen of something removed meanwhile,
the frame of a step that waits for typed text, starting a draft, and what the coordinator's
menu dialogues (/team, /lijsten, /deelopdracht, /rapport, /verhalen, /toelichting) share."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from typing import Any, TypeVar

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.context import BotContext
from bot.dialogue import Callback, Flow, Outcome, Screen, Texts, Turn, View, frame, start_draft
from bot.dialogue.flow import Step, TapHandler
from bot.handlers.common import Button, esc, reply
from bot.i18n import N_
from bot.router import TextRouter

V = TypeVar("V", bound=View)

Command = Callable[[Update, BotContext], Coroutine[Any, Any, None]]

# What a step shows besides the draft, read into the view (by the step's state).
StepLoader = Callable[[Turn[V], V], Awaitable[None]]


async def load_step(turn: Turn[V], view: V, loaders: Mapping[str, StepLoader[V]]) -> V:
    """``view`` with what the draft's step needs from the database (``loaders`` by state;
    a step not named needs nothing)."""
    loader = loaders.get(turn.draft.state)
    if loader is not None:
        await loader(turn, view)
    return view


def command_flow(
    name: str,
    prefix: str,
    load: Callable[[Turn[V]], Awaitable[V]],
    steps: Mapping[str, Step[V]],
    **options: Any,
) -> Flow[V]:
    """A dialogue started by the command of its name (`/<name>`); ``options`` are the other
    fields of `Flow`."""
    return Flow(name=name, prefix=prefix, command=f"/{name}", load=load, steps=steps, **options)


def register_flow(
    application: Application, router: TextRouter, flow: Flow[Any], command: Command
) -> None:
    """A dialogue and the handler of its command (`flow.command`)."""
    application.add_handler(CommandHandler(flow.command.lstrip("/"), command))
    flow.register(application, router)


def gone(view: View, text: str, back: str, action: str) -> Screen:
    """The step of something removed meanwhile: ``text`` says so, and one button (``back``,
    tapping ``action``) leads back. Both texts are translated already."""
    return esc(text), [[(back, view.button(action))]]


def typing_frame(prompt: Callable[[V], str | None]) -> Callable[[V, Screen, Outcome], Screen]:
    """The frame of a menu whose steps may wait for typed text: then the step shows what to
    type (``prompt``, HTML) and only a button to stop waiting ("keep")."""

    def framed(view: V, screen: Screen, outcome: Outcome) -> Screen:
        text, buttons = frame(view, screen, outcome)
        shown = prompt(view)
        if shown is None:
            return text, buttons
        return f"{text}\n\n✏️ {shown}", [[(view.t._("Niet wijzigen"), view.button("keep"))]]

    return framed


def rows_of(buttons: Sequence[Button], per_row: int) -> list[list[Button]]:
    return [list(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row)]


# --------------------------------------------------------------------------- starting


async def start_flow(
    update: Update,
    context: BotContext,
    flow: Flow[Any],
    data: dict[str, Any],
    state: str,
    *,
    error: str | None = None,
) -> None:
    """Start (or restart) the user's draft of ``flow`` at ``state`` and show that step."""
    async with context.unit() as s:
        draft = await start_draft(s, context, flow.name, state, data, ttl=flow.ttl(context))
        turn = Turn(s, context, flow, draft)
        text, buttons = await turn.render(Outcome(error=error))
    await reply(update, context, text, buttons=buttons or None)


# --------------------------------------------------------------------------- menus


# The refusals of a coordinator's menu dialogue (/team, /lijsten): `{command}` is the flow's.
MENU_TEXTS = Texts(
    gone=N_("Dit is al gesloten. Kies {command} om verder te gaan."),
    typed=N_("Tik op een van de knoppen onder het bericht."),
)


def menu_texts(gone: str) -> Texts:
    """A menu's refusals with its own text (msgid) for a press on a closed dialogue."""
    return Texts(gone=gone, typed=MENU_TEXTS.typed)


def menu_taps(done: str, restarts: Mapping[str, str], more: TapHandler | None = None) -> TapHandler:
    """The taps of every step of a menu: "x" ends it with the msgid ``done``; an action of
    ``restarts`` goes to its step afresh (no data); anything else is left to ``more``."""

    async def on_tap(turn: Turn[Any], callback: Callback) -> Outcome | None:
        if callback.action == "x":
            return await turn.end(esc(turn.t._(done)))
        if callback.action in restarts:
            return Outcome(state=restarts[callback.action], data={})
        return None if more is None else await more(turn, callback)

    return on_tap


def register_menu(
    application: Application, router: TextRouter, flow: Flow[Any], first: str
) -> None:
    """A menu dialogue: its command (`flow.command`) starts it afresh at step `first`."""

    async def command(update: Update, context: BotContext) -> None:
        await start_flow(update, context, flow, {}, first)

    register_flow(application, router, flow, command)
