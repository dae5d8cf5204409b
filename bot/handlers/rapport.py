"""/rapport: the coordinator picks a period and a municipality (or all of them) and receives the
report as documents that cannot be forwarded (`protect_content`).

Steps: period -> municipality -> summary (with an "intern" toggle). "Maak het rapport" moves the
draft to `building` in its own transaction before anything is built, so a second tap on that
button (or any older one) is refused; the draft is discarded once the files went out, after which
an old button is answered with "already made". The pack is built inside one unit of work (the
report engine reads in it) and a progress message is edited as each file is done; the files are
sent after the unit closed, so no upload holds a database connection.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import date
from typing import Any

from telegram import Message, Update
from telegram.ext import Application

from bot.context import BotContext
from bot.dialogue import Callback, Outcome, Problem, Screen, Step, Turn, labels, step
from bot.domain.periods import Period, not_started
from bot.domain.report_choices import HALF, containing
from bot.handlers.common import answer, edit_or_send, esc, send
from bot.handlers.report_common import (
    ALL,
    ReportView,
    muni_buttons,
    municipality_id_by_text,
    period_name,
    period_step,
    read_period,
    tapped_municipality,
    typed_municipality,
)
from bot.handlers.shared import command_flow, menu_texts, register_flow, start_flow
from bot.i18n import N_, Translator
from bot.report import ReportFile, build_pack
from bot.router import TextRouter
from bot.storage import drafts, worklog

log = logging.getLogger(__name__)

FLOW = "rapport"
PREFIX = "p"
ALL_WORDS = frozenset({"alle", "alle gemeenten", "allemaal", "alles", "regio", "iedereen"})
PROGRESS_EVERY = 1.0  # seconds between progress edits (Telegram limits edits too)


def next_state(data: dict[str, Any]) -> str:
    if "period" not in data:
        return "period"
    if "muni" not in data:
        return "muni"
    return "summary"


def chosen(data: dict[str, Any], **changes: Any) -> Outcome:
    new = {**data, **changes}
    return Outcome(state=next_state(new), data=new)


async def load(turn: Turn[ReportView]) -> ReportView:
    return await ReportView.read(turn)


def title(t: Translator) -> str:
    return "<b>" + esc(t._("Rapport voor de gemeenten")) + "</b>\n"


# --------------------------------------------------------------------------- period


def heading(view: ReportView) -> str:
    return title(view.t)


def chosen_period(data: dict[str, Any], period: Period) -> Outcome:
    return chosen(data, period=period.key)


def future_problem(t: Translator, period: Period, today: date) -> str | None:
    """Why a period can't be reported on yet (it has not started), naming what can; None when
    it can. A period in progress is allowed: the summary says the figures are not complete."""
    if not not_started(period, today):
        return None
    now = containing(HALF, today)
    return t._(
        "Die periode is nog niet begonnen. Een rapport kan over het halfjaar dat nu loopt "
        "(<i>{current}</i>) of over een periode die voorbij is, zoals <i>{previous}</i>. "
        "Typ een periode of tik op een knop."
    ).format(current=now.code, previous=now.previous().code)


def read_report_period(t: Translator, text: str, today: date) -> tuple[Period | None, str | None]:
    """A typed period that has started, or why not (`read_period`, then `future_problem`)."""
    period, problem = read_period(t, text)
    if period is not None and (problem := future_problem(t, period, today)) is not None:
        return None, problem
    return period, problem


# --------------------------------------------------------------------------- municipality


def render_muni(view: ReportView) -> Screen:
    _ = view.t._
    text = title(view.t) + esc(_("Voor welke gemeente? Of kies alle gemeenten en de regio."))
    return text, [
        [(_("Alle gemeenten"), view.button("m", ALL))],
        *muni_buttons(view),
        [(_("Andere periode"), view.button("e", "period")), (_(labels.STOP), view.button("x"))],
    ]


async def tap_muni(turn: Turn[ReportView], callback: Callback) -> Outcome | None:
    if callback.action == "m" and callback.arg == ALL:
        return chosen(turn.data, muni=ALL)
    muni_id = tapped_municipality((await turn.view()).munis, callback)
    return None if muni_id is None else chosen(turn.data, muni=muni_id)


async def text_muni(turn: Turn[ReportView], text: str) -> Outcome | None:
    if text.lower().strip(" .!") in ALL_WORDS:
        return chosen(turn.data, muni=ALL)
    muni_id = await typed_municipality(turn, text)
    if muni_id is None:
        return Outcome(
            error=turn.t._(
                "Die gemeente ken ik niet. Tik op een gemeente, of typ een gemeente of dorp "
                "(bijvoorbeeld <i>Blerick</i>)."
            )
        )
    return chosen(turn.data, muni=muni_id)


# --------------------------------------------------------------------------- summary


def order_lines(view: ReportView) -> str:
    t = view.t
    _ = t._
    data = view.draft.data
    assert view.period is not None
    muni = data.get("muni")
    if muni == ALL:
        what = _("alle gemeenten: een PDF per gemeente, een voor de regio en één Excel-bestand")
    else:
        what = _("{name}: een PDF en een Excel-bestand").format(name=view.muni_name(muni) or "?")
    counts = (
        _("intern: de echte aantallen. Niet om te delen.")
        if data.get("internal")
        else _("veilig om te delen: kleine aantallen staan er als <5.")
    )
    lines = [
        title(t).rstrip("\n"),
        _("Periode: {period}").format(period=esc(period_name(t, view.period))),
        _("Voor: {what}").format(what=esc(what)),
        _("Aantallen: {counts}").format(counts=esc(counts)),
    ]
    if view.period.contains(view.today):
        lines.append(esc(_("Let op: deze periode loopt nog. De cijfers zijn nog niet compleet.")))
    return "\n".join(lines)


def render_summary(view: ReportView) -> Screen:
    _ = view.t._
    internal = bool(view.draft.data.get("internal"))
    toggle = _("Veilig om te delen maken") if internal else _("Intern: echte aantallen")
    return order_lines(view), [
        [(_("Maak het rapport"), view.button("go"))],
        [(toggle, view.button("int"))],
        [
            (_("Andere periode"), view.button("e", "period")),
            (_("Andere gemeente"), view.button("e", "muni")),
        ],
        [(_(labels.STOP), view.button("x"))],
    ]


async def tap_summary(turn: Turn[ReportView], callback: Callback) -> Outcome | None:
    if callback.action == "int":
        data = turn.data
        data["internal"] = not data.get("internal")
        return Outcome(data=data)
    return None


def render_building(view: ReportView) -> Screen:
    # Only seen when something is typed meanwhile, or after a restart cut a build short.
    _ = view.t._
    text = order_lines(view) + "\n\n" + esc(_("Het rapport wordt gemaakt…"))
    return text, [[(_(labels.STOP), view.button("x"))]]


# --------------------------------------------------------------------------- every step


async def tap_any(turn: Turn[ReportView], callback: Callback) -> Outcome | None:
    _ = turn.t._
    if callback.action == "x":
        return await turn.end(esc(_("Gestopt. Er is geen rapport gemaakt.")))
    if callback.action == "e" and callback.arg in ("period", "muni"):
        data = turn.data
        data.pop(callback.arg, None)
        return Outcome(state=callback.arg, data=data)
    return None


# --------------------------------------------------------------------------- making the pack


@dataclass(frozen=True)
class Order:
    draft_id: int
    revision: int
    period: Period
    municipality_code: str | None  # None: all
    names: dict[str, str]  # municipality code -> name, for the captions
    internal: bool
    summary: str


async def make_pack(update: Update, context: BotContext, callback: Callback) -> None:
    """The "Maak het rapport" button: claim the draft, build, show progress, send the files."""
    query = update.callback_query
    assert query is not None
    t = context.t
    _ = t._
    order: Order | None = None
    async with context.unit() as s:
        press = await RAPPORT.load_press(s, context, query.data or "")
        draft = press.draft
        problem = press.problem
        if problem is None and (draft is None or draft.state != "summary"):
            problem = Problem.STALE
        munis = await worklog.municipalities(s)
        muni = draft.data.get("muni") if draft is not None else None
        code = next((m.code for m in munis if m.id == muni), None)
        if problem is None and muni != ALL and code is None:
            problem = Problem.STALE  # a municipality no longer active: never "all" by mistake
        if problem is None and draft is not None:
            # The claim: committed before anything is built, so this button is old from now on.
            await step(s, context, draft, state="building")
            view = await Turn(s, context, RAPPORT, draft).view()
            assert view.period is not None and draft.id is not None
            order = Order(
                draft_id=draft.id,
                revision=draft.revision,
                period=view.period,
                municipality_code=code,
                names={m.code: m.label for m in view.munis},
                internal=bool(draft.data.get("internal")),
                summary=order_lines(view),
            )
    if order is None:
        await answer(
            context, query, RAPPORT.problem_text(t, problem or Problem.UNKNOWN), alert=True
        )
        return
    await answer(context, query, _("Ik maak het rapport."))
    await edit_or_send(update, context, order.summary)  # the buttons go: nothing to tap twice
    chat = update.effective_chat
    assert chat is not None
    try:
        progress = await send(context, chat.id, progress_text(t, [], done=False))
        files = await build(context, order, progress)
        for f in files or []:
            await context.bot.send_document(
                chat.id,
                document=f.content,
                filename=f.filename,
                caption=caption(t, order, f),
                protect_content=True,
            )
        if files is not None:
            await progress.edit_text(progress_text(t, files, done=True))
    finally:
        # Made (or failed): the draft goes, so every button of it is answered "already made".
        async with context.unit() as s:
            draft = await drafts.get_by_id(s, order.draft_id)
            if draft is not None and draft.revision == order.revision:
                await drafts.discard(s, draft)


async def build(context: BotContext, order: Order, progress: Message) -> list[ReportFile] | None:
    """All files of the pack, editing ``progress`` as they are done; None when it failed."""
    settings = context.services.settings
    t = context.t
    codes = None if order.municipality_code is None else [order.municipality_code]
    files: list[ReportFile] = []
    last_edit = time.monotonic()
    try:
        async with context.unit() as s:
            async for f in build_pack(
                s,
                period=order.period,
                municipality_codes=codes,
                internal=order.internal,
                now=context.services.now(),
                tz=settings.tz,
                threshold=settings.small_count_threshold,
            ):
                files.append(f)
                if time.monotonic() - last_edit >= PROGRESS_EVERY or len(files) == 1:
                    await progress.edit_text(progress_text(t, files, done=False))
                    last_edit = time.monotonic()
    except Exception as exc:  # the coordinator must hear it; the details go to the log
        log.exception("report pack failed: %s", type(exc).__name__)
        await progress.edit_text(
            t._("Het rapport kon niet worden gemaakt. Probeer het later nog eens met /rapport.")
        )
        return None
    return files


def progress_text(t: Translator, files: list[ReportFile], *, done: bool) -> str:
    _ = t._
    head = (
        t.ngettext(
            "Klaar: {n} bestand. Het is beveiligd: doorsturen of opslaan kan niet in Telegram.",
            "Klaar: {n} bestanden. Ze zijn beveiligd: doorsturen of opslaan kan niet in Telegram.",
            len(files),
        ).format(n=len(files))
        if done
        else _("⏳ Bezig met het rapport… ({n} klaar)").format(n=len(files))
    )
    return "\n".join([esc(head), *(f"✓ {esc(f.filename)}" for f in files)])


def caption(t: Translator, order: Order, f: ReportFile) -> str:
    _ = t._
    if f.mime.endswith("sheet"):
        what = _("Tabellen (Excel)")
    elif f.municipality_code is None:
        what = _("Regio")
    else:
        what = order.names.get(f.municipality_code, f.municipality_code)
    parts = [what, period_name(t, order.period)]
    if order.internal:
        parts.append(_("intern, niet delen"))
    return " · ".join(p for p in parts if p)


# --------------------------------------------------------------------------- the flow


STEPS: dict[str, Step[ReportView]] = {
    "period": period_step(heading, N_("Over welke periode?"), chosen_period, refuse=future_problem),
    "muni": Step(render_muni, tap_muni, text_muni),
    "summary": Step(render_summary, tap_summary),
    "building": Step(render_building),
}
RAPPORT = command_flow(
    FLOW,
    PREFIX,
    load,
    STEPS,
    texts=menu_texts(
        N_("Dit rapport is al gemaakt of gestopt. Kies /rapport voor een nieuw rapport.")
    ),
    on_tap=tap_any,
    direct={"go": make_pack},
    alert=True,
)


async def cmd_rapport(update: Update, context: BotContext) -> None:
    """`/rapport`, or straight on with `/rapport 2026-H1` (and a municipality: `… Venlo`)."""
    args = list(context.args or [])
    data: dict[str, Any] = {}
    error: str | None = None
    if args:
        period, error = read_report_period(context.t, args[0], context.services.today())
        if period is not None:
            data["period"] = period.key
            rest = " ".join(args[1:]).strip()
            if rest.lower() in ALL_WORDS:
                data["muni"] = ALL
            elif rest:
                async with context.unit() as s:
                    muni_id = await municipality_id_by_text(s, rest)
                if muni_id is not None:
                    data["muni"] = muni_id
    await start_flow(update, context, RAPPORT, data, next_state(data), error=error)


def register(application: Application, router: TextRouter) -> None:
    register_flow(application, router, RAPPORT, cmd_rapport)
