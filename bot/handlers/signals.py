"""/signaal: a trend, missing service (gemist aanbod), bottleneck or opportunity.

The dialogue (kind, municipality or regional, optional theme, text, summary) is a `TextFlow`;
/verhaal (`bot.handlers.stories`) is the same flow without a kind. Free text passes the privacy
guard before it goes anywhere: rejected text is not stored, not even in the draft.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.context import BotContext
from bot.dialogue import (
    Callback,
    Flow,
    Outcome,
    Screen,
    Step,
    Turn,
    View,
    labels,
    start_draft,
)
from bot.domain import limits
from bot.domain.textmatch import normalize
from bot.domain.vocabmatch import match_term
from bot.handlers import fields
from bot.handlers.common import Button, esc, reply
from bot.handlers.shared import register_flow, rows_of
from bot.i18n import N_
from bot.router import TextRouter
from bot.storage import worklog
from bot.storage.models import Municipality, SignalKind, Theme

# The contact dialogue still asks these of this module (they live in `fields` now).
privacy_problem = fields.privacy_problem
text_problem = fields.text_problem


@dataclass(kw_only=True)
class TextView(View):
    options: list[worklog.Option] = field(default_factory=list)  # kinds, munis or themes
    kind_label: str | None = None  # summary
    muni_label: str | None = None
    theme_label: str | None = None


UNKNOWN_CHOICE = N_("Dat ken ik niet. Kies met de knoppen onder het bericht.")
# Typed answers to the theme step that mean "no theme".
NO_THEME_WORDS = frozenset({"geen", "geen thema", "nee", "niks", "overslaan"})

# The buttons each choice step offers.
OPTIONS = {
    "kind": worklog.signal_kinds,
    "muni": worklog.municipalities,
    "theme": worklog.themes,
}


async def _no_data(turn: Turn[TextView]) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class TextFlow:
    """A short dialogue that ends in one free-text entry (a signal or a story)."""

    flow: str  # conversation_draft.flow, and the command: /signaal, /verhaal
    prefix: str  # callback prefix
    entity: str  # worklog entity: signal | story
    title: str  # msgid
    intro: str | None  # msgid shown at the start (and above the text question)
    text_question: str  # msgid
    saved: str  # msgid, with {summary}
    max_chars: int

    @property
    def command(self) -> str:
        return f"/{self.flow}"

    @property
    def with_kind(self) -> bool:
        """A signal has a kind (trend, gemist aanbod, ...); a story has none."""
        return self.entity == "signal"

    @property
    def edit_targets(self) -> dict[str, str]:
        """What the summary's "change" buttons go to: text, municipality, theme (and kind)."""
        targets = ("text", "muni", "theme", "kind") if self.with_kind else ("text", "muni", "theme")
        return {target: target for target in targets}

    # ------------------------------------------------------------------ the view

    async def load(self, turn: Turn[TextView]) -> TextView:
        view = TextView(context=turn.context, draft=turn.draft, prefix=self.prefix)
        options = OPTIONS.get(turn.draft.state)
        if options is not None:
            view.options = await options(turn.s)
        if turn.draft.state == "summary":
            await self._load_labels(turn, view)
        return view

    async def _load_labels(self, turn: Turn[TextView], view: TextView) -> None:
        s, data = turn.s, turn.draft.data
        view.muni_label = await worklog.label_of(s, Municipality, data.get("muni"))
        view.theme_label = await worklog.label_of(s, Theme, data.get("theme_id"))
        if self.with_kind:
            view.kind_label = await worklog.label_of(s, SignalKind, data.get("kind_id"))

    # ------------------------------------------------------------------ rendering

    def _title(self, v: TextView) -> str:
        return f"<b>{esc(v.t._(self.title))}</b>\n"

    def _nav(self, v: TextView) -> list[Button]:
        _ = v.t._
        back = [(_(labels.BACK), v.button("b"))] if v.draft.data.get("editing") else []
        return [*back, (_(labels.STOP), v.button("x"))]

    def render_kind(self, v: TextView) -> Screen:
        rows = rows_of([(k.label, v.button(f"k{k.id}")) for k in v.options], 2)
        return self._title(v) + esc(v.t._("Wat voor signaal is het?")), [*rows, self._nav(v)]

    def render_muni(self, v: TextView) -> Screen:
        _ = v.t._
        editing = v.draft.data.get("editing")
        intro = esc(_(self.intro)) + "\n\n" if self.intro and not editing else ""
        question = _("Over welke gemeente gaat het? Kies Regionaal als het de hele regio is.")
        return (
            self._title(v) + intro + esc(question),
            [*fields.municipality_buttons(v.t, v.options, v.button), self._nav(v)],
        )

    def render_theme(self, v: TextView) -> Screen:
        _ = v.t._
        themes = [(fields.short_label(th.label), v.button(f"h{th.id}")) for th in v.options]
        rows = rows_of(themes, 2)
        rows.append([(_(labels.NO_THEME), v.button("h0"))])
        return (
            self._title(v) + esc(_("Bij welk thema past het? Dat mag je overslaan.")),
            [*rows, self._nav(v)],
        )

    def render_text(self, v: TextView) -> Screen:
        t = v.t
        _ = t._
        hint = esc(_(self.intro)) + "\n\n" if self.intro else ""
        limit = _("Maximaal {max} tekens.").format(max=t.number(self.max_chars, 0))
        return (
            self._title(v) + hint + esc(_(self.text_question)) + "\n" + esc(limit),
            [self._nav(v)],
        )

    def summary(self, v: TextView) -> str:
        t = v.t
        _ = t._
        data = v.draft.data
        rows: list[tuple[str, str]] = []
        if self.with_kind:
            rows.append((_("Soort"), v.kind_label or "?"))
        rows.append((_("Gemeente"), fields.municipality_label(t, v.muni_label)))
        theme = fields.short_label(v.theme_label) if v.theme_label else _("geen")
        rows.append((_("Thema"), theme))
        lines = [f"<b>{esc(_(self.title))}</b>"]
        lines += [f"{esc(k)}: <b>{esc(v)}</b>" for k, v in rows]
        lines.append(f"<i>{esc(data.get('text', ''))}</i>")
        return "\n".join(lines)

    def render_summary(self, v: TextView) -> Screen:
        _ = v.t._
        kind = [(_("Soort"), v.button("e", "kind"))] if self.with_kind else []
        return (
            self.summary(v) + "\n\n" + esc(_("Klopt dit? Tik op Opslaan of pas iets aan.")),
            [
                [(_(labels.SAVE), v.button("save"))],
                [(_("Tekst aanpassen"), v.button("e", "text"))],
                [
                    (_("Gemeente"), v.button("e", "muni")),
                    (_("Thema"), v.button("e", "theme")),
                    *kind,
                ],
                [(_(labels.STOP), v.button("x"))],
            ],
        )

    # ------------------------------------------------------------------ steps

    def next_state(self, data: dict[str, Any]) -> str:
        if self.with_kind and data.get("kind_id") is None:
            return "kind"
        if "muni" not in data:
            return "muni"
        if "theme_id" not in data:
            return "theme"
        if not data.get("text"):
            return "text"
        return "summary"

    def _set(self, data: dict[str, Any], **values: Any) -> Outcome:
        return fields.advance(self.next_state, data, **values)

    async def tap_kind(self, turn: Turn[TextView], cb: Callback) -> Outcome | None:
        if not (cb.action.startswith("k") and cb.action[1:].isdigit()):
            return None
        kind_id = int(cb.action[1:])
        if kind_id not in {o.id for o in (await turn.view()).options}:
            return fields.problem(turn, turn.flow.texts.unknown)
        return self._set(turn.data, kind_id=kind_id)

    async def use_muni(self, turn: Turn[TextView], muni_id: int | None) -> Outcome:
        return self._set(turn.data, muni=muni_id)

    async def tap_theme(self, turn: Turn[TextView], cb: Callback) -> Outcome | None:
        if not (cb.action.startswith("h") and cb.action[1:].isdigit()):
            return None
        theme_id = int(cb.action[1:]) or None  # h0: no theme
        if theme_id is not None and theme_id not in {o.id for o in (await turn.view()).options}:
            return fields.problem(turn, turn.flow.texts.unknown)
        return self._set(turn.data, theme_id=theme_id)

    async def tap_save(self, turn: Turn[TextView], cb: Callback) -> Outcome | None:
        return await self.save(turn) if cb.action == "save" else None

    async def save(self, turn: Turn[TextView]) -> Outcome:
        user = turn.context.app_user
        assert user is not None and user.id is not None
        _ = turn.t._
        data = turn.data
        view = await turn.view()
        common: dict[str, Any] = dict(
            submission_key=turn.draft.submission_key,
            expert_id=user.id,
            work_date=turn.today(),
            municipality_id=data.get("muni"),
            theme_id=data.get("theme_id"),
            text=data["text"],
            now=turn.now(),
        )
        if self.entity == "signal":
            common["kind_id"] = int(data["kind_id"])
        created = (await worklog.add_entry(turn.s, self.entity, **common))[1]
        if not created:
            return await fields.already_saved(turn)
        text = "\n\n".join(
            [
                esc(_(self.saved)),
                self.summary(view),
                esc(_("Klopt er iets niet? Gebruik /corrigeer.")),
            ]
        )
        return await turn.end(text, toast=_("Opgeslagen"))

    async def text_text(self, turn: Turn[TextView], text: str) -> Outcome:
        # Never log or echo the text itself: it may hold what the guard is there to stop.
        text = text.strip()
        problem = text_problem(turn.t, text, self.max_chars, turn.today())
        if problem is not None:
            return Outcome(error=problem)
        return self._set(turn.data, text=text)

    async def text_kind(self, turn: Turn[TextView], text: str) -> Outcome:
        hit = match_term(text, (await turn.view()).options)
        if hit is None:
            return Outcome(error=turn.t._(UNKNOWN_CHOICE))
        return self._set(turn.data, kind_id=hit.id)

    async def text_theme(self, turn: Turn[TextView], text: str) -> Outcome:
        if normalize(text) in NO_THEME_WORDS:
            return self._set(turn.data, theme_id=None)
        hit = match_term(text, (await turn.view()).options)
        if hit is not None:
            return self._set(turn.data, theme_id=hit.id)
        return self._text_at_theme(turn, text.strip())

    def _text_at_theme(self, turn: Turn[TextView], text: str) -> Outcome:
        """Typed at the (optional) theme step, not a theme: when it reads as the signal or
        story itself, the theme is skipped and the text taken (checked as at the text step),
        so nothing typed is lost. A short unknown word is still an unknown theme."""
        data = turn.data
        if data.get("text"):  # editing the theme: never replace the text
            return Outcome(error=turn.t._(UNKNOWN_CHOICE))
        problem = limits.check_text(text, max_chars=self.max_chars, today=turn.today())
        if problem is not None and problem.code in ("no_letters", "too_short"):
            return Outcome(error=turn.t._(UNKNOWN_CHOICE))
        if problem is not None:  # identifying or too long: not stored, asked again
            outcome = self._set(data, theme_id=None)
            outcome.note = fields.problem_words(turn.t, problem, text, self.max_chars)
            return outcome
        return self._set(data, theme_id=None, text=text)

    async def text_summary(self, turn: Turn[TextView], text: str) -> Outcome:
        return Outcome(error=turn.t._("Tik op Opslaan, of kies wat je wilt aanpassen."))

    @cached_property
    def dialogue(self) -> Flow[TextView]:
        steps: dict[str, Step[TextView]] = {
            "kind": Step(self.render_kind, self.tap_kind, self.text_kind),
            "muni": Step(self.render_muni, *fields.municipality_step(self.use_muni)),
            "theme": Step(self.render_theme, self.tap_theme, self.text_theme),
            "text": Step(self.render_text, None, self.text_text),
            "summary": Step(self.render_summary, self.tap_save, self.text_summary),
        }
        on_tap = fields.nav_taps(self.next_state, self.edit_targets, _no_data)
        return fields.form_flow(self.flow, self.prefix, self.load, steps, on_tap=on_tap)

    # ------------------------------------------------------------------ the command

    async def start(self, update: Update, context: BotContext) -> None:
        t = context.t
        _ = t._
        typed = " ".join(context.args or []).strip()
        today = context.services.today()
        problem = text_problem(t, typed, self.max_chars, today) if typed else None
        async with context.unit() as s:
            screen = None if typed else await fields.resume_open(s, context, self.dialogue)
            if screen is not None:
                text, buttons = screen
            else:
                data: dict[str, Any] = {}
                if typed and problem is None:
                    data["text"] = typed  # passed the privacy guard
                draft = await start_draft(s, context, self.flow, self.next_state(data), data)
                text, buttons = await Turn(s, context, self.dialogue, draft).render()
        if problem is not None:
            await reply(
                update, context, problem + "\n" + esc(_("Je kunt de tekst straks opnieuw typen."))
            )
        await reply(update, context, text, buttons=buttons or None)

    def register(self, application: Application, router: TextRouter) -> None:
        register_flow(application, router, self.dialogue, self.start)


SIGNAL = TextFlow(
    flow="signaal",
    prefix="s",
    entity="signal",
    title=N_("Signaal"),
    intro=None,
    text_question=N_("Beschrijf het signaal in een paar zinnen. Wat zag of hoorde je?"),
    saved=N_("Dank je! Je signaal is opgeslagen."),
    max_chars=limits.MAX_SIGNAL_CHARS,
)
