"""/corrigeer: the steps that choose from a list — the kind of hours or of a signal, the theme
of a signal or story, and the deelopdracht of a story. A button or a typed answer (read with the
matcher every dialogue uses); ``use`` then saves the choice (`None`: no theme / deelopdracht).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.dialogue import Callback, Outcome, Screen, Turn, labels
from bot.dialogue.flow import TapHandler, TextHandler
from bot.domain.textmatch import normalize
from bot.domain.vocabmatch import match_term
from bot.handlers import fields
from bot.handlers.common import Button, esc
from bot.handlers.corrections.view import CorrView, about, back
from bot.handlers.shared import rows_of
from bot.i18n import N_

Use = Callable[[Turn[CorrView], int | None], Awaitable[Outcome]]

# Typed answers to the theme or deelopdracht step that mean "none".
NONE_WORDS = frozenset({"geen", "geen thema", "geen deelopdracht", "nee", "niks", "overslaan"})

# Per step: the action letter of its buttons, and whether "none" (`<letter>0`) is a choice.
LETTERS = {"kind": ("c", False), "theme": ("h", True), "deel": ("g", True)}

UNKNOWN = N_("Dat ken ik niet. Kies met de knoppen: {choices}.")


def _choices(v: CorrView, step: str) -> list[list[Button]]:
    letter, _none = LETTERS[step]
    buttons = [(fields.short_label(o.label), v.button(f"{letter}{o.id}")) for o in v.options]
    return rows_of(buttons, 1 if step == "deel" else 2)


def render_kind(v: CorrView) -> Screen:
    _ = v.t._
    assert v.entry is not None
    hours = v.entry.entity == "indirect_hours"
    question = _("Wat voor uren waren het?") if hours else _("Wat voor signaal is het?")
    return about(v, esc(question)), [*_choices(v, "kind"), back(v)]


def render_theme(v: CorrView) -> Screen:
    _ = v.t._
    rows = _choices(v, "theme")
    rows.append([(_(labels.NO_THEME), v.button("h0"))])
    return about(v, esc(_("Bij welk thema past het?"))), [*rows, back(v)]


def render_deel(v: CorrView) -> Screen:
    _ = v.t._
    rows = _choices(v, "deel")
    rows.append([(_("Geen deelopdracht"), v.button("g0"))])
    question = _("Hoort dit verhaal bij een deelopdracht van de gemeente?")
    return about(v, esc(question)), [*rows, back(v)]


def choice_step(step: str, use: Use) -> tuple[TapHandler, TextHandler]:
    """The tap and the typed answer of the choice step ``step`` (kind, theme or deel)."""
    letter, none_allowed = LETTERS[step]

    async def tap(turn: Turn[CorrView], cb: Callback) -> Outcome | None:
        if not (cb.action.startswith(letter) and cb.action[1:].isdigit()):
            return None
        chosen = int(cb.action[1:]) or None
        known = {o.id for o in (await turn.view()).options}
        if (chosen is None and not none_allowed) or (chosen is not None and chosen not in known):
            return fields.problem(turn, turn.flow.texts.unknown)
        return await use(turn, chosen)

    async def typed(turn: Turn[CorrView], text: str) -> Outcome:
        if none_allowed and normalize(text) in NONE_WORDS:
            return await use(turn, None)
        options = (await turn.view()).options
        hit = match_term(text, options)
        if hit is None:
            names = ", ".join(esc(fields.short_label(o.label)) for o in options)
            return Outcome(error=turn.t._(UNKNOWN).format(choices=names))
        return await use(turn, hit.id)

    return tap, typed
