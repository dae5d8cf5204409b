"""/toelichting: the coordinator writes the narrative paragraph on the added value (report item c)
per municipality, or for the region, and period. Privacy-checked like all free text; each save
and removal is audited by the repository.

Steps: period -> municipality (✓ where a paragraph exists) -> text. After a save the dialogue
returns to the municipalities, so all 14 can be written in one go.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.context import BotContext
from bot.dialogue import Callback, Flow, Outcome, Screen, Step, Texts, Turn, labels
from bot.handlers.common import esc
from bot.handlers.report_common import (
    ReportView,
    muni_buttons,
    municipality_id_by_text,
    period_screen,
    read_period,
    report_view_fields,
    start_flow,
    tapped_municipality,
    tapped_period,
    text_problem,
    titled,
)
from bot.i18n import N_
from bot.router import TextRouter
from bot.storage import report_content
from bot.storage.report_content import NarrativeRow

FLOW = "toelichting"
PREFIX = "t"
REGION = "r"  # data["muni"] for the regional report
MAX_NARRATIVE_CHARS = 4000  # report_narrative.text
REGION_WORDS = frozenset({"regio", "regionaal", "de regio", "alle gemeenten"})


@dataclass(kw_only=True)
class NarrativeView(ReportView):
    narratives: list[NarrativeRow] = field(default_factory=list)

    @property
    def scope(self) -> int | None:
        """The chosen municipality's id; None for the region."""
        muni = self.draft.data.get("muni")
        return None if muni in (None, REGION) else int(muni)

    @property
    def current(self) -> NarrativeRow | None:
        return next((n for n in self.narratives if n.municipality_id == self.scope), None)

    def scope_name(self) -> str:
        if self.scope is None:
            return self.t._("de regio")
        return self.muni_name(self.scope) or "?"


async def load(turn: Turn[NarrativeView]) -> NarrativeView:
    fields = await report_view_fields(turn)
    period = fields["period"]
    narratives = await report_content.list_narratives(turn.s, period) if period else []
    return NarrativeView(**fields, narratives=narratives)


def title(view: NarrativeView) -> str:
    return titled(view, N_("Toelichting voor het rapport"), N_("Toelichting: {period}"))


def render_period(view: NarrativeView) -> Screen:
    text, buttons = period_screen(
        view, view.today, view.t._("Voor het rapport over welke periode?")
    )
    return title(view) + text, buttons


async def tap_period(turn: Turn[NarrativeView], callback: Callback) -> Outcome | None:
    period = tapped_period(callback)
    return None if period is None else Outcome(state="muni", data={"period": period.key})


async def text_period(turn: Turn[NarrativeView], text: str) -> Outcome | None:
    period, problem = read_period(turn.t, text)
    if period is None:
        return Outcome(error=problem)
    return Outcome(state="muni", data={"period": period.key})


def render_muni(view: NarrativeView) -> Screen:
    _ = view.t._
    written = frozenset(n.municipality_id for n in view.narratives if n.municipality_id)
    region = any(n.municipality_id is None for n in view.narratives)
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


async def tap_any(turn: Turn[NarrativeView], callback: Callback) -> Outcome | None:
    if callback.action == "x":
        return await turn.end(
            esc(turn.t._("Klaar. De toelichtingen komen in het volgende /rapport."))
        )
    if callback.action == "e":
        return Outcome(state="period", data={})
    return None


TOELICHTING: Flow[NarrativeView] = Flow(
    name=FLOW,
    prefix=PREFIX,
    command="/toelichting",
    load=load,
    steps={
        "period": Step(render_period, tap_period, text_period),
        "muni": Step(render_muni, tap_muni, text_muni),
        "text": Step(render_text, tap_text, text_text),
    },
    texts=Texts(
        gone=N_("Dit is al gesloten. Kies /toelichting om verder te gaan."),
        typed=N_("Tik op een van de knoppen onder het bericht."),
    ),
    on_tap=tap_any,
)


async def cmd_toelichting(update: Update, context: BotContext) -> None:
    """`/toelichting`, or straight to the municipalities with `/toelichting 2026-H1`."""
    args = list(context.args or [])
    data: dict[str, Any] = {}
    error = None
    if args:
        period, error = read_period(context.t, " ".join(args))
        if period is not None:
            data = {"period": period.key}
    await start_flow(update, context, TOELICHTING, data, "muni" if data else "period", error=error)


def register(application: Application, router: TextRouter) -> None:
    application.add_handler(CommandHandler("toelichting", cmd_toelichting))
    TOELICHTING.register(application, router)
