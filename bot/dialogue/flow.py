"""A dialogue as a table of steps, and the two generic handlers that run it.

A flow module provides a `Flow`: its name (the draft's `flow`), its button prefix, a view
loader (everything rendering needs, read once per update after the step is applied), texts,
and `steps = {state: Step(render, on_tap, on_text)}`. `render(view)` is synchronous and pure;
`on_tap(turn, callback)` and `on_text(turn, text)` (text stripped) change the draft and return
an `Outcome` (or None: "not mine", the next handler or the flow's fallback answers).
The generic handlers do the rest: load and check the press, record the step (one guarded
UPDATE, a new revision), load the view, render, answer the callback exactly once and edit or
send the message.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Generic, TypeVar

from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from bot.context import BotContext
from bot.dialogue.codec import Callback, encode, parse
from bot.dialogue.messages import Button, answer, edit_or_send, reply
from bot.dialogue.press import Press, Problem, SavedCheck, load_press, step
from bot.i18n import N_, Translator
from bot.router import TextRouter, draft_ttl
from bot.storage import drafts
from bot.storage.models import ConversationDraft

Screen = tuple[str, list[list[Button]]]  # a message (HTML) and its buttons


@dataclass(kw_only=True)
class View:
    """What rendering a step needs. A flow subclasses it (kw_only dataclass) with what its
    steps show; its loader fills it once per update, so rendering makes no database calls."""

    context: BotContext
    draft: ConversationDraft
    prefix: str
    extra: dict[str, Any] = field(default_factory=dict)  # from the Outcome, for this render

    @property
    def state(self) -> str:
        return self.draft.state

    @property
    def t(self) -> Translator:
        return self.context.t

    def button(self, action: str, *args: object) -> str:
        """Callback data for a button of the draft's current revision."""
        return encode(self.prefix, self.draft.id, self.draft.revision, action, *args)


V = TypeVar("V", bound=View)


@dataclass
class Outcome:
    """What a tap or a typed answer did."""

    state: str | None = None  # go to this state (a new revision)
    data: dict[str, Any] | None = None  # the draft's new data (a new revision)
    touch: bool = False  # a new revision without changes: the buttons shown before stop working
    error: str | None = None  # shown above the step; the draft is not changed
    note: str | None = None  # a line shown above the step
    toast: str | None = None  # the callback's short answer
    alert: bool = False  # the toast as an alert
    extra: dict[str, Any] = field(default_factory=dict)  # for this render only (View.extra)
    final: Screen | None = None  # the dialogue is over (draft saved or discarded): show this

    @property
    def changed(self) -> bool:
        return self.state is not None or self.data is not None or self.touch

    @property
    def shows(self) -> bool:
        """Whether the message changes (else a tap is only answered)."""
        return bool(self.changed or self.final or self.error or self.note or self.extra)


TapHandler = Callable[["Turn[Any]", Callback], Awaitable[Outcome | None]]
TextHandler = Callable[["Turn[Any]", str], Awaitable[Outcome | None]]


@dataclass(frozen=True)
class Step(Generic[V]):
    render: Callable[[V], Screen]
    on_tap: TapHandler | None = None
    on_text: TextHandler | None = None


@dataclass(frozen=True)
class Texts:
    """Msgids (translated when shown; ``{command}`` is the flow's command)."""

    unknown: str = N_("Deze knop ken ik niet. Begin opnieuw met {command}.")
    gone: str = N_(
        "Deze knop werkt niet meer: die invoer is al opgeslagen of gestopt. "
        "Kijk bij /week wat er staat, of begin opnieuw met {command}."
    )
    saved: str = N_("Dit was al opgeslagen.")
    expired: str = N_(
        "Deze invoer is verlopen. Er is niets opgeslagen. Begin opnieuw met {command}."
    )
    stale: str = N_("Deze knop is niet meer actueel. Gebruik de knoppen onder het laatste bericht.")
    misplaced: str | None = None  # a button of this draft that no step takes (default: stale)
    typed: str = N_("Tik op een van de knoppen.")  # typed text that no step takes


def frame(view: View, screen: Screen, outcome: Outcome) -> Screen:
    """The default message: ⚠️ error and note above the step."""
    text, buttons = screen
    head = [f"⚠️ {outcome.error}"] if outcome.error else []
    if outcome.note:
        head.append(outcome.note)
    return "\n\n".join([*head, text]), buttons


DirectHandler = Callable[[Update, BotContext, Callback], Awaitable[None]]


@dataclass(frozen=True)
class Flow(Generic[V]):
    name: str  # the draft's flow
    prefix: str  # of its buttons
    command: str  # "/contact": named in the texts
    steps: Mapping[str, Step[V]]
    load: Callable[[Turn[V]], Awaitable[V]]  # the view loader
    texts: Texts = Texts()
    on_tap: TapHandler | None = None  # tried before the step's: actions of every step
    on_text: TextHandler | None = None  # tried before the step's: words of every step
    frame: Callable[[V, Screen, Outcome], Screen] = frame
    # Actions handled without loading a draft (e.g. "start a new one"); they answer themselves.
    direct: Mapping[str, DirectHandler] = field(default_factory=dict)
    keyed: frozenset[str] = frozenset()  # actions whose argument is the submission key
    was_saved: SavedCheck | None = None  # was this submission key saved?
    ttl: Callable[[BotContext], timedelta] = draft_ttl
    alert: bool = False  # refused presses answered as an alert
    expired_replaces: bool = False  # an expired press also replaces the message with the text
    # Typed text: read the draft again instead of re-attaching the router's row (one query
    # more; a draft deleted meanwhile is answered with the "gone" text, not an error).
    reread: bool = False

    # ------------------------------------------------------------------ texts

    def problem_text(self, t: Translator, problem: Problem) -> str:
        msgid = {
            Problem.UNKNOWN: self.texts.unknown,
            Problem.GONE: self.texts.gone,
            Problem.SAVED: self.texts.saved,
            Problem.EXPIRED: self.texts.expired,
            Problem.STALE: self.texts.stale,
        }[problem]
        return t._(msgid).format(command=self.command)

    # ------------------------------------------------------------------ handlers

    async def load_press(self, s: AsyncSession, context: BotContext, data: str) -> Press:
        user = context.app_user
        return await load_press(
            s,
            data,
            user_id=user.id if user is not None else None,
            now=context.services.now(),
            flow=self.name,
            prefix=self.prefix,
            keyed=self.keyed,
            was_saved=self.was_saved,
        )

    async def on_button(self, update: Update, context: BotContext) -> None:
        """The CallbackQueryHandler of every flow."""
        query = update.callback_query
        assert query is not None
        data = query.data or ""
        callback = parse(data, self.prefix)
        if callback is not None and callback.action in self.direct:
            await self.direct[callback.action](update, context, callback)
            return
        screen: Screen | None = None
        toast: str | None = None
        alert = False
        try:
            async with context.unit() as s:
                press = await self.load_press(s, context, data)
                if press.problem is not None or press.draft is None or press.callback is None:
                    toast = self.problem_text(context.t, press.problem or Problem.UNKNOWN)
                    alert = self.alert
                    if press.problem is Problem.EXPIRED and self.expired_replaces:
                        screen = (toast, [])
                else:
                    turn = Turn(s, context, self, press.draft)
                    outcome = await turn.tap(press.callback)
                    toast, alert = outcome.toast, outcome.alert
                    if outcome.shows:
                        screen = await turn.finish(outcome)
        except drafts.StaleDraft:
            # Another process took this step between our read and our write (a double tap
            # handled twice at once): rolled back, and answered like any button of an older
            # step.
            screen, toast, alert = None, self.problem_text(context.t, Problem.STALE), self.alert
        if screen is None:
            await answer(context, query, toast, alert=alert)
            return
        text, buttons = screen
        # Both at once: updates are handled one by one, so each round trip saved counts.
        await asyncio.gather(
            answer(context, query, toast, alert=alert),
            edit_or_send(update, context, text, buttons=buttons or None),
        )

    async def on_draft_text(
        self, update: Update, context: BotContext, draft: ConversationDraft
    ) -> None:
        """Typed text while this flow's draft is the user's latest (the router found it)."""
        msg = update.message
        if msg is None or msg.text is None:
            return
        # Typed text saved second (another process took the step first) is not a button of an
        # older step: StaleDraft goes to the error handler ("…wat je al had ingevuld is
        # bewaard"), and typing it again goes on from the newer step.
        screen: Screen
        async with context.unit() as s:
            current: ConversationDraft | None = draft
            if self.reread and draft.id is not None:
                current = await drafts.get_by_id(s, draft.id)
            else:
                # The router just loaded this row; re-attach it instead of reading it again
                # (a step saved elsewhere meanwhile is caught by the guarded save).
                s.add(draft)
            if current is None:
                screen = (self.problem_text(context.t, Problem.GONE), [])
            else:
                turn = Turn(s, context, self, current)
                screen = await turn.finish(await turn.typed(msg.text.strip()))
        text, buttons = screen
        await reply(update, context, text, buttons=buttons or None)

    def register(self, application: Application, router: TextRouter) -> None:
        application.add_handler(
            CallbackQueryHandler(self.on_button, pattern=rf"^{re.escape(self.prefix)}:")
        )
        router.flow(self.name, self.on_draft_text)


class Turn(Generic[V]):
    """One update's work on one draft, inside the update's unit of work."""

    def __init__(
        self, s: AsyncSession, context: BotContext, flow: Flow[V], draft: ConversationDraft
    ) -> None:
        self.s = s
        self.context = context
        self.flow = flow
        self.draft = draft
        self._view: V | None = None
        self._view_key: tuple[int, str] | None = None
        # The Outcome's extra while its render is prepared: the loader may read it.
        self.extra: dict[str, Any] = {}

    @property
    def t(self) -> Translator:
        return self.context.t

    def now(self) -> datetime:
        return self.context.services.now()

    def today(self) -> date:
        return self.context.services.today()

    @property
    def data(self) -> dict[str, Any]:
        """A copy of the draft's data to change and return in an Outcome."""
        return dict(self.draft.data)

    def button(self, action: str, *args: object) -> str:
        return encode(self.flow.prefix, self.draft.id, self.draft.revision, action, *args)

    async def view(self) -> V:
        """The view of the draft as it is now: loaded once, again only after a step
        (the loader sees ``turn.extra``; a change of it alone does not reload)."""
        key = (self.draft.revision, self.draft.state)
        if self._view is None or self._view_key != key:
            self._view = await self.flow.load(self)
            self._view_key = key
        return self._view

    async def save(self, *, state: str | None = None, data: dict[str, Any] | None = None) -> None:
        """Record a step now (the engine does this for an Outcome that changes something)."""
        await step(
            self.s,
            self.context,
            self.draft,
            ttl=self.flow.ttl(self.context),
            state=state,
            data=data,
        )

    async def end(self, text: str, *, toast: str | None = None) -> Outcome:
        """Discard the draft: the dialogue is over, ``text`` replaces the step."""
        await drafts.discard(self.s, self.draft)
        return Outcome(final=(text, []), toast=toast)

    async def tap(self, callback: Callback) -> Outcome:
        """What a press does: the flow's handler for every step, then the step's."""
        outcome = await self._first((self.flow.on_tap, self._step().on_tap), callback)
        if outcome is not None:
            return outcome
        texts = self.flow.texts
        toast = self.t._(texts.misplaced or texts.stale).format(command=self.flow.command)
        return Outcome(toast=toast, alert=self.flow.alert)

    async def typed(self, text: str) -> Outcome:
        """What a typed answer does: the flow's handler for every step, then the step's."""
        outcome = await self._first((self.flow.on_text, self._step().on_text), text)
        if outcome is not None:
            return outcome
        return Outcome(error=self.t._(self.flow.texts.typed).format(command=self.flow.command))

    async def _first(
        self,
        handlers: tuple[Callable[[Turn[Any], Any], Awaitable[Outcome | None]] | None, ...],
        arg: Any,
    ) -> Outcome | None:
        for handler in handlers:
            if handler is not None:
                outcome = await handler(self, arg)
                if outcome is not None:
                    return outcome
        return None

    def _step(self) -> Step[V]:
        return self.flow.steps[self.draft.state]

    async def render(self, outcome: Outcome | None = None) -> Screen:
        """The current step's message, framed with the outcome's error and note."""
        outcome = outcome or Outcome()
        self.extra = dict(outcome.extra)
        view = await self.view()
        view.extra = self.extra
        return self.flow.frame(view, self._step().render(view), outcome)

    async def finish(self, outcome: Outcome) -> Screen:
        """Record the outcome's step (if any) and render what comes next."""
        if outcome.final is not None:
            return outcome.final
        if outcome.changed:
            await self.save(state=outcome.state, data=outcome.data)
        return await self.render(outcome)
