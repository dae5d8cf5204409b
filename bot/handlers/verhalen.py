"""/verhalen: the coordinator browses the stories of a period, marks which municipality's report
each goes into, and can rewrite a story's anonymised wording (report item c, added value).

Steps: period -> list (paged) -> story (a button per municipality toggles it in or out of that
municipality's report of the period) -> wording (typed, privacy-checked; the original stays in
the audit log). Every mark and every wording is saved at once; "Klaar" only closes the list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram.ext import Application

from bot.dialogue import Callback, Outcome, Screen, Step, Turn, labels
from bot.domain.periods import Period
from bot.domain.report_choices import page_bounds
from bot.handlers.common import Button, esc
from bot.handlers.report_common import (
    PeriodRowsView,
    muni_buttons,
    period_command,
    period_step,
    tapped_municipality,
    text_problem,
)
from bot.handlers.shared import command_flow, menu_taps, menu_texts, register_flow
from bot.i18n import N_
from bot.router import TextRouter
from bot.storage import report_content
from bot.storage.report_content import StoryRow

FLOW = "verhalen"
PREFIX = "n"
TEXTS = menu_texts(N_("Deze lijst is al gesloten. Kies /verhalen om verder te gaan."))
PAGE_SIZE = 5
SNIPPET = 90
MAX_STORY_CHARS = 2000  # story.text


@dataclass(kw_only=True)
class StoriesView(PeriodRowsView[StoryRow]):
    @property
    def story(self) -> StoryRow | None:
        wanted = self.draft.data.get("story")
        return next((st for st in self.rows if st.id == wanted), None)

    def names(self, ids: tuple[int, ...]) -> str:
        return ", ".join(self.muni_name(i) or "?" for i in ids)

    def about(self, st: StoryRow) -> str:
        return st.municipality_name or self.t._("regionaal")


load = StoriesView.loader(report_content.stories_of_period)


def title(view: StoriesView) -> str:
    return view.titled(N_("Verhalen voor het rapport"), N_("Verhalen: {period}"))


def chosen_period(data: dict[str, Any], period: Period) -> Outcome:
    return Outcome(state="list", data={"period": period.key, "page": 0})


# --------------------------------------------------------------------------- the list


def render_list(view: StoriesView) -> Screen:
    t = view.t
    _ = t._
    stories = view.rows
    first, stop, page = page_bounds(len(stories), int(view.draft.data.get("page", 0)), PAGE_SIZE)
    bottom = [(_("Andere periode"), view.button("e", "period")), (_(labels.DONE), view.button("x"))]
    if not stories:
        return title(view) + esc(_("Er zijn geen verhalen in deze periode.")), [bottom]
    lines = [
        title(view)
        + esc(
            t.ngettext("{n} verhaal.", "{n} verhalen.", len(stories)).format(n=len(stories))
            + " "
            + _(
                "Tik op een nummer om het verhaal te lezen, in een rapport te zetten of "
                "aan te passen."
            )
        )
    ]
    numbers: list[Button] = []
    for i, st in enumerate(stories[first:stop], start=first + 1):
        head = f"{t.fmt_date(st.work_date, 'd MMM')} · {view.about(st)}"
        if st.selected_for:
            head += " · " + _("in rapport: {names}").format(names=view.names(st.selected_for))
        snippet = st.text if len(st.text) <= SNIPPET else st.text[:SNIPPET].rstrip() + "…"
        lines.append(f"<b>{i}.</b> {esc(head)}\n<i>{esc(snippet)}</i>")
        numbers.append((str(i), view.button("s", st.id)))
    nav: list[Button] = []
    if page > 0:
        nav.append((_("« Vorige"), view.button("pg", page - 1)))
    if stop < len(stories):
        nav.append((_("Volgende »"), view.button("pg", page + 1)))
    return "\n\n".join(lines), [numbers, *([nav] if nav else []), bottom]


async def tap_list(turn: Turn[StoriesView], callback: Callback) -> Outcome | None:
    data = turn.data
    if callback.action == "pg" and callback.arg.isdigit():
        data["page"] = int(callback.arg)
        return Outcome(data=data)
    if callback.action == "s" and callback.arg.isdigit():
        data["story"] = int(callback.arg)
        return Outcome(state="story", data=data)
    return None


# --------------------------------------------------------------------------- one story


def render_story(view: StoriesView) -> Screen:
    t = view.t
    _ = t._
    back = [(_(labels.BACK_TO_LIST), view.button("l"))]
    st = view.story
    if st is None:
        return title(view) + esc(_("Dit verhaal is er niet meer.")), [back]
    number = view.rows.index(st) + 1
    head = _("Verhaal {i} van {n}").format(i=number, n=len(view.rows))
    about = f"{t.fmt_date(st.work_date, 'd MMMM y')} · {view.about(st)}"
    where = (
        _("In het rapport van: {names}.").format(names=view.names(st.selected_for))
        if st.selected_for
        else _("Nog in geen enkel rapport.")
    )
    text = (
        title(view)
        + f"<b>{esc(head)}</b> · {esc(about)}\n\n<i>{esc(st.text)}</i>\n\n"
        + esc(where)
        + "\n"
        + esc(_("Tik op een gemeente om het verhaal in of uit haar rapport te zetten."))
    )
    marked = frozenset(st.selected_for)
    return text, [
        *muni_buttons(view, marked=marked),
        [(_("Tekst aanpassen"), view.button("w"))],
        back,
    ]


async def tap_story(turn: Turn[StoriesView], callback: Callback) -> Outcome | None:
    view = await turn.view()
    st = view.story
    if callback.action == "w" and st is not None:
        return Outcome(state="wording")
    muni_id = tapped_municipality(view.munis, callback)
    if muni_id is None or st is None or view.period is None:
        return None
    _ = turn.t._
    user = turn.context.app_user
    actor = user.id if user is not None else None
    name = view.muni_name(muni_id)
    if muni_id in st.selected_for:
        await report_content.unselect_story(
            turn.s, st.id, muni_id, view.period, actor_id=actor, now=turn.now()
        )
        toast = _("Uit het rapport van {name}").format(name=name)
    else:
        await report_content.select_story(
            turn.s, st.id, muni_id, view.period, actor_id=actor, now=turn.now()
        )
        toast = _("In het rapport van {name}").format(name=name)
    # A new revision: the loader reads the marks again and older buttons stop working.
    return Outcome(touch=True, toast=toast)


# --------------------------------------------------------------------------- its wording


def render_wording(view: StoriesView) -> Screen:
    t = view.t
    _ = t._
    st = view.story
    back = [(_(labels.BACK), view.button("b"))]
    if st is None:
        return title(view) + esc(_("Dit verhaal is er niet meer.")), [back]
    return (
        title(view)
        + esc(
            _(
                "Typ de nieuwe tekst van het verhaal. Houd het anoniem: geen namen, adressen of "
                "details waaraan iemand te herkennen is. Maximaal {max} tekens."
            ).format(max=t.number(MAX_STORY_CHARS, 0))
        )
        + "\n\n"
        + esc(_("Nu staat er:"))
        + f"\n<i>{esc(st.text)}</i>",
        [back],
    )


async def text_wording(turn: Turn[StoriesView], text: str) -> Outcome | None:
    _ = turn.t._
    problem = text_problem(turn.t, text, MAX_STORY_CHARS, turn.today())
    if problem is not None:
        return Outcome(error=problem)  # nothing stored, not even in the draft; the step stays
    st = (await turn.view()).story
    if st is None:
        return Outcome(state="list", error=_("Dit verhaal is er niet meer."))
    user = turn.context.app_user
    changed = await report_content.set_story_wording(
        turn.s, st.id, text, actor_id=user.id if user else None, now=turn.now()
    )
    note = (
        _("De nieuwe tekst is opgeslagen. De oude tekst blijft bewaard in het logboek.")
        if changed
        else _("Dat was al de tekst van dit verhaal.")
    )
    return Outcome(state="story", touch=True, note=esc(note))


# --------------------------------------------------------------------------- every step


async def tap_back(turn: Turn[StoriesView], callback: Callback) -> Outcome | None:
    data = turn.data
    if callback.action == "e" and callback.arg == "period":
        return Outcome(state="period", data={})
    if callback.action == "l":
        data.pop("story", None)
        return Outcome(state="list", data=data)
    if callback.action == "b" and turn.draft.state == "wording":
        return Outcome(state="story")
    return None


tap_any = menu_taps(
    N_("Klaar. Wat je koos, is bewaard en komt in het volgende /rapport."), {}, tap_back
)


STEPS: dict[str, Step[StoriesView]] = {
    "period": period_step(title, N_("Van welke periode wil je de verhalen zien?"), chosen_period),
    "list": Step(render_list, tap_list),
    "story": Step(render_story, tap_story),
    "wording": Step(render_wording, on_text=text_wording),
}
VERHALEN = command_flow(FLOW, PREFIX, load, STEPS, texts=TEXTS, on_tap=tap_any)


def register(application: Application, router: TextRouter) -> None:
    """`/verhalen`, or straight to the list with `/verhalen 2026-H1`."""
    register_flow(application, router, VERHALEN, period_command(VERHALEN, chosen_period))
