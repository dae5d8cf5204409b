"""/toelichting: the coordinator writes the narrative paragraph on the added value (report item c)
per municipality, or for the region, and period. Privacy-checked like all free text; each save
and removal is audited by the repository.

Steps: period -> municipality (✓ where a paragraph exists) -> text. After a save the dialogue
returns to the municipalities, so all 14 can be written in one go.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram.ext import Application

from bot.dialogue import Callback, Outcome, Screen, Step, Turn, labels
from bot.domain.periods import Period
from bot.handlers.common import esc
from bot.handlers.report_common import (
    PeriodRowsView,
    muni_buttons,
    municipality_id_by_text,
    period_command,
    period_step,
    tapped_municipality,
    text_problem,
)
from bot.handlers.shared import command_flow, menu_taps, menu_texts, register_flow
from bot.i18n import N_
from bot.router import TextRouter
from bot.storage import report_content
from bot.storage.report_content import NarrativeRow

FLOW = "toelichting"
PREFIX = "t"
TEXTS = menu_texts(N_("Dit is al gesloten. Kies /toelichting om verder te gaan."))
REGION = "r"  # data["muni"] for the regional report
MAX_NARRATIVE_CHARS = 4000  # report_narrative.text
REGION_WORDS = frozenset({"regio", "regionaal", "de regio", "alle gemeenten"})


@dataclass(kw_only=True)
class NarrativeView(PeriodRowsView[NarrativeRow]):
    @property
    def scope(self) -> int | None:
        """The chosen municipality's id; None for the region."""
        muni = self.draft.data.get("muni")
        return None if muni in (None, REGION) else int(muni)

    @property
    def current(self) -> NarrativeRow | None:
        return next((n for n in self.rows if n.municipality_id == self.scope), None)

    def scope_name(self) -> str:
        if self.scope is None:
            return self.t._("de regio")
        return self.muni_name(self.scope) or "?"


load = NarrativeView.loader(report_content.list_narratives)


def title(view: NarrativeView) -> str:
    return view.titled(N_("Toelichting voor het rapport"), N_("Toelichting: {period}"))


def chosen_period(data: dict[str, Any], period: Period) -> Outcome:
    return Outcome(state="muni", data={"period": period.key})


def render_muni(view: NarrativeView) -> Screen:
    _ = view.t._
    written = frozenset(n.municipality_id for n in view.rows if n.municipality_id)
    region = any(n.municipality_id is None for n in view.rows)
    text = title(view) + esc(
        _(
            "Voor welke gemeente schrijf je de toelichting? Die komt in het rapport bij de "
            "meerwaarde. ✓ = er staat al een toelichting."
        )
    )
    return text, [
        *muni_buttons(view, marked=written),
        [
            (
                ("✓ " if region else "") + _("De regio (alle gemeenten samen)"),
                view.button("m", REGION),
            )
        ],
        [(_("Andere periode"), view.button("e")), (_(labels.DONE), view.button("x"))],
    ]


async def tap_muni(turn: Turn[NarrativeView], callback: Callback) -> Outcome | None:
    data = turn.data
    if callback.action == "m" and callback.arg == REGION:
        data["muni"] = REGION
        return Outcome(state="text", data=data)
    muni_id = tapped_municipality((await turn.view()).munis, callback)
    if muni_id is None:
        return None
    data["muni"] = muni_id
    return Outcome(state="text", data=data)


async def text_muni(turn: Turn[NarrativeView], text: str) -> Outcome | None:
    data = turn.data
    if text.lower().strip(" .!") in REGION_WORDS:
        data["muni"] = REGION
        return Outcome(state="text", data=data)
    muni_id = await municipality_id_by_text(turn.s, text)
    if muni_id is None:
        return Outcome(
            error=turn.t._("Die gemeente ken ik niet. Tik op een gemeente of op De regio.")
        )
    data["muni"] = muni_id
    return Outcome(state="text", data=data)


def render_text(view: NarrativeView) -> Screen:
    t = view.t
    _ = t._
    head = title(view) + "<b>" + esc(view.scope_name()) + "</b>\n"
    ask = esc(
        _(
            "Typ de toelichting in een paar zinnen, in gewone taal. Houd het anoniem: geen "
            "namen of details waaraan iemand te herkennen is. Maximaal {max} tekens."
        ).format(max=t.number(MAX_NARRATIVE_CHARS, 0))
    )
    current = view.current
    now = (
        esc(_("Nu staat er:")) + f"\n<i>{esc(current.text)}</i>"
        if current is not None
        else esc(_("Er staat nog geen toelichting."))
    )
    buttons = [[(_("« Andere gemeente"), view.button("back"))]]
    if current is not None:
        buttons.insert(0, [(_("Toelichting weghalen"), view.button("del"))])
    return f"{head}{ask}\n\n{now}", buttons


async def save(turn: Turn[NarrativeView], text: str) -> tuple[bool, str]:
    view = await turn.view()
    assert view.period is not None
    user = turn.context.app_user
    changed = await report_content.set_narrative(
        turn.s,
        view.scope,
        view.period,
        text,
        actor_id=user.id if user is not None else None,
        now=turn.now(),
    )
    return changed, view.scope_name()


def back_to_munis(turn: Turn[NarrativeView], note: str) -> Outcome:
    data = turn.data
    data.pop("muni", None)
    return Outcome(state="muni", data=data, note=esc(note))


async def text_text(turn: Turn[NarrativeView], text: str) -> Outcome | None:
    _ = turn.t._
    problem = text_problem(turn.t, text, MAX_NARRATIVE_CHARS, turn.today())
    if problem is not None:
        return Outcome(error=problem)  # nothing stored; the step stays
    changed, name = await save(turn, text)
    note = (
        _("Opgeslagen: de toelichting voor {name}.")
        if changed
        else _("Die toelichting stond er al voor {name}.")
    )
    return back_to_munis(turn, note.format(name=name))


async def tap_text(turn: Turn[NarrativeView], callback: Callback) -> Outcome | None:
    _ = turn.t._
    if callback.action == "back":
        return back_to_munis(turn, "")
    if callback.action == "del":
        _changed, name = await save(turn, "")
        return back_to_munis(turn, _("De toelichting voor {name} is weggehaald.").format(name=name))
    return None


tap_any = menu_taps(N_("Klaar. De toelichtingen komen in het volgende /rapport."), {"e": "period"})


STEPS: dict[str, Step[NarrativeView]] = {
    "period": period_step(title, N_("Voor het rapport over welke periode?"), chosen_period),
    "muni": Step(render_muni, tap_muni, text_muni),
    "text": Step(render_text, tap_text, text_text),
}
TOELICHTING = command_flow(FLOW, PREFIX, load, STEPS, texts=TEXTS, on_tap=tap_any)


def register(application: Application, router: TextRouter) -> None:
    """`/toelichting`, or straight to the municipalities with `/toelichting 2026-H1`."""
    register_flow(application, router, TOELICHTING, period_command(TOELICHTING, chosen_period))
