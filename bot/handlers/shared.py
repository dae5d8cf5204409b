"""What the dialogues share beyond the kit (`bot.dialogue`): a flow named after its command and
its registration, the per-step loading of a view, the screen of something removed meanwhile,
the frame of a step that waits for typed text."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Mapping
from typing import Any, TypeVar

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.context import BotContext
from bot.dialogue import Flow, Outcome, Screen, Step, Turn, View, frame
from bot.handlers.common import esc
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
