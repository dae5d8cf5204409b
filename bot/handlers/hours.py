"""/uren: hours without a resident (overleg, scholing, reistijd ...) per municipality or regional.

Two ways in:
- `/uren` opens a short button dialogue: kind, duration, then a summary with the defaults
  (today, the expert's last or home municipality) that can be changed before "Opslaan".
- `/uren 1,5 uur overleg Venlo gisteren` fills what it recognises (`bot.domain.indirect`); when
  everything is there it saves at once, otherwise the dialogue continues at the first missing
  step.

The dialogue is a step table on the dialogue kit (`bot.dialogue`); the shared fields (date,
duration, municipality) are in `bot.handlers.fields`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import Update
from telegram.ext import Application

from bot.context import BotContext
from bot.dialogue import (
    Callback,
    Outcome,
    Screen,
    Step,
    Texts,
    Turn,
    labels,
    start_draft,
)
from bot.domain import limits
from bot.domain.indirect import match_kind, parse_hours_line
from bot.domain.textmatch import normalize
from bot.handlers import fields
from bot.handlers.common import Button, esc, reply
from bot.handlers.shared import StepLoader, load_step, register_flow, rows_of
from bot.handlers.week import fmt_duration
from bot.i18n import N_
from bot.router import TextRouter
from bot.storage import worklog
from bot.storage.models import IndirectKind, Municipality

NAME = "uren"
PREFIX = "u"
COMMAND = "/uren"

EDIT_TARGETS = {"date": "date", "kind": "kind", "muni": "muni", "dur": "duration"}
# Typed text on the summary: only buttons count there.
TEXTS = Texts(typed=N_("Tik op een knop hieronder: Opslaan, of kies wat je wilt aanpassen."))


@dataclass(kw_only=True)
class HoursView(fields.FieldView):
    kinds: list[worklog.Option] = field(default_factory=list)  # step "kind"
    munis: list[worklog.Option] = field(default_factory=list)  # step "muni"
    kind_label: str | None = None  # summary, confirm_day
    muni_label: str | None = None  # summary, confirm_day


# --------------------------------------------------------------------------- the view


async def _load_kinds(turn: Turn[HoursView], view: HoursView) -> None:
    view.kinds = await worklog.indirect_kinds(turn.s)


async def _load_munis(turn: Turn[HoursView], view: HoursView) -> None:
    view.munis = await worklog.municipalities(turn.s)


async def _load_labels(turn: Turn[HoursView], view: HoursView) -> None:
    data = turn.draft.data
    view.kind_label = await worklog.label_of(turn.s, IndirectKind, data.get("kind_id"))
    view.muni_label = await worklog.label_of(turn.s, Municipality, data.get("muni"))


# What each step shows besides the draft itself.
LOADERS: dict[str, StepLoader[HoursView]] = {
    "kind": _load_kinds,
    "muni": _load_munis,
    "summary": _load_labels,
    "confirm_day": _load_labels,
}


async def load(turn: Turn[HoursView]) -> HoursView:
    return await load_step(turn, HoursView(**fields.field_view(turn)), LOADERS)


# --------------------------------------------------------------------------- rendering


def _title(v: HoursView) -> str:
    return "<b>" + esc(v.t._("Uren zonder inwoner")) + "</b>\n"


def _nav(v: HoursView) -> list[Button]:
    """« Terug (while changing a field from the summary) and Stoppen."""
    _ = v.t._
    back = [(_(labels.BACK), v.button("b"))] if v.draft.data.get("editing") else []
    return [*back, (_(labels.STOP), v.button("x"))]


def render_kind(v: HoursView) -> Screen:
    rows = rows_of([(k.label, v.button(f"k{k.id}")) for k in v.kinds], 2)
    return _title(v) + esc(v.t._("Wat voor uren waren het?")), [*rows, _nav(v)]


def render_duration(v: HoursView) -> Screen:
    t = v.t
    return (
        _title(v) + esc(t._("Hoe lang duurde het?")) + "\n" + fields.duration_help(t),
        [*fields.duration_buttons(t, v.button), _nav(v)],
    )


def render_muni(v: HoursView) -> Screen:
    _ = v.t._
    return (
        _title(v)
        + esc(_("Voor welke gemeente? Kies Regionaal als het voor de hele regio was."))
        + "\n"
        + esc(_("Je kunt ook de naam typen.")),
        [*fields.municipality_buttons(v.t, v.munis, v.button), _nav(v)],
    )


def render_date(v: HoursView) -> Screen:
    t = v.t
    return (
        _title(v) + esc(t._("Op welke dag?")) + "\n" + fields.date_help(t, v.max_back),
        [*fields.date_buttons(t, v.today, v.max_back, v.button), _nav(v)],
    )


def summary_lines(v: HoursView) -> str:
    t = v.t
    _ = t._
    data = v.draft.data
    rows = [
        (_("Datum"), fields.date_label(t, date.fromisoformat(data["date"]), v.today)),
        (_("Soort"), v.kind_label or "?"),
        (_("Gemeente"), fields.municipality_label(t, v.muni_label)),
        (_("Duur"), fmt_duration(t, data["minutes"]) if data.get("minutes") else "?"),
    ]
    head = "<b>" + esc(_("Uren zonder inwoner")) + "</b>"
    return head + "\n" + "\n".join(f"{esc(k)}: <b>{esc(v)}</b>" for k, v in rows)


def render_summary(v: HoursView) -> Screen:
    _ = v.t._
    return (
        summary_lines(v) + "\n\n" + esc(_("Klopt dit? Tik op Opslaan of pas iets aan.")),
        [
            [(_(labels.SAVE), v.button("save"))],
            [(_("Datum"), v.button("e", "date")), (_("Soort"), v.button("e", "kind"))],
            [(_("Gemeente"), v.button("e", "muni")), (_("Duur"), v.button("e", "dur"))],
            [(_(labels.STOP), v.button("x"))],
        ],
    )


def render_confirm_day(v: HoursView) -> Screen:
    t = v.t
    _ = t._
    data = v.draft.data
    question = _("Let op: dan kom je op {total} op {date}. Dat is meer dan {max}. Klopt dat?")
    text = question.format(
        total=fmt_duration(t, data.get("day_total", 0)),
        date=t.fmt_date(date.fromisoformat(data["date"])),
        max=fmt_duration(t, v.max_day_minutes),
    )
    return (
        summary_lines(v) + "\n\n" + esc(text),
        [
            [(_("Ja, opslaan"), v.button("ok")), (_("Duur aanpassen"), v.button("e", "dur"))],
            [(_(labels.STOP), v.button("x"))],
        ],
    )


def saved_text(v: HoursView) -> str:
    t = v.t
    _ = t._
    data = v.draft.data
    line = _("Opgeslagen: {duration} {kind}, {municipality}, {date}.").format(
        duration=fmt_duration(t, int(data["minutes"])),
        kind=v.kind_label or "",
        municipality=fields.municipality_label(t, v.muni_label),
        date=t.fmt_date(date.fromisoformat(data["date"])),
    )
    return esc(line) + "\n" + esc(_("Klopt er iets niet? Gebruik /corrigeer."))


# --------------------------------------------------------------------------- steps


def next_state(data: dict[str, Any]) -> str:
    """The first missing field, else the summary."""
    if data.get("kind_id") is None:
        return "kind"
    if data.get("minutes") is None:
        return "duration"
    if "muni" not in data:
        return "muni"
    return "summary"


async def _fresh_data(s: AsyncSession, context: BotContext) -> dict[str, Any]:
    """A new draft: today, and the municipality of the latest entry (else the home one)."""
    user = context.app_user
    assert user is not None
    muni = await worklog.default_municipality_id(s, user)
    return {"date": context.services.today().isoformat(), "muni": muni}


async def _start(s: AsyncSession, context: BotContext, data: dict[str, Any]) -> Turn[HoursView]:
    draft = await start_draft(s, context, NAME, next_state(data), data)
    return Turn(s, context, FLOW, draft)


async def _fresh(turn: Turn[HoursView]) -> dict[str, Any]:
    return await _fresh_data(turn.s, turn.context)


def _set(data: dict[str, Any], **values: Any) -> Outcome:
    return fields.advance(next_state, data, **values)


async def tap_kind(turn: Turn[HoursView], cb: Callback) -> Outcome | None:
    if not (cb.action.startswith("k") and cb.action[1:].isdigit()):
        return None
    kind_id = int(cb.action[1:])
    if kind_id not in {k.id for k in (await turn.view()).kinds}:
        return fields.problem(turn, turn.flow.texts.unknown)
    return _set(turn.data, kind_id=kind_id)


async def _use_minutes(turn: Turn[HoursView], minutes: int) -> Outcome:
    data = turn.data
    data.pop("day_total", None)  # asked again, for the new duration
    return _set(data, minutes=minutes)


async def _use_muni(turn: Turn[HoursView], muni_id: int | None) -> Outcome:
    return _set(turn.data, muni=muni_id)


async def _use_date(turn: Turn[HoursView], chosen: date) -> Outcome:
    return _set(turn.data, date=chosen.isoformat())


async def tap_save(turn: Turn[HoursView], cb: Callback) -> Outcome | None:
    if cb.action not in ("save", "ok"):
        return None
    return await save(turn, confirmed=cb.action == "ok")


async def save(turn: Turn[HoursView], *, confirmed: bool) -> Outcome:
    """Save the draft as indirect hours, unless the day total needs a confirmation first."""
    user = turn.context.app_user
    assert user is not None and user.id is not None
    _ = turn.t._
    data = turn.data
    work_date = date.fromisoformat(data["date"])
    minutes = int(data["minutes"])
    if not confirmed:
        logged = await worklog.day_minutes(turn.s, user.id, work_date)
        too_high, total = limits.day_total_too_high(
            logged, minutes, turn.context.services.settings.max_day_hours
        )
        if too_high:
            data["day_total"] = total
            return Outcome(state="confirm_day", data=data)
    view = await turn.view()
    _row, created = await worklog.add_indirect_hours(
        turn.s,
        submission_key=turn.draft.submission_key,
        expert_id=user.id,
        work_date=work_date,
        minutes=minutes,
        kind_id=int(data["kind_id"]),
        municipality_id=data.get("muni"),
        now=turn.now(),
    )
    if not created:
        return await fields.already_saved(turn)
    return await turn.end(saved_text(view), toast=_("Opgeslagen"))


async def text_kind(turn: Turn[HoursView], text: str) -> Outcome:
    text = text.strip()
    kinds = (await turn.view()).kinds
    kind_id = match_kind(normalize(text), kinds)
    if kind_id is None:
        return Outcome(
            error=turn.t._("Kies een soort met de knoppen: {kinds}.").format(
                kinds=", ".join(esc(k.label) for k in kinds)
            )
        )
    return _set(turn.data, kind_id=kind_id)


on_any_tap = fields.nav_taps(next_state, EDIT_TARGETS, _fresh)

STEPS: dict[str, Step[HoursView]] = {
    "kind": Step(render_kind, tap_kind, text_kind),
    "duration": Step(render_duration, *fields.duration_step(_use_minutes)),
    "muni": Step(render_muni, *fields.municipality_step(_use_muni)),
    "date": Step(render_date, *fields.date_step(_use_date)),
    "summary": Step(render_summary, tap_save),
    "confirm_day": Step(render_confirm_day, tap_save),
}
FLOW = fields.form_flow(NAME, PREFIX, load, STEPS, texts=TEXTS, on_tap=on_any_tap)


# --------------------------------------------------------------------------- the command


async def cmd_hours(update: Update, context: BotContext) -> None:
    if context.args:
        await _one_line(update, context, " ".join(context.args))
        return
    async with context.unit() as s:
        screen = await fields.resume_open(s, context, FLOW)
        if screen is None:
            turn = await _start(s, context, await _fresh_data(s, context))
            screen = await turn.render()
    text, buttons = screen
    await reply(update, context, text, buttons=buttons or None)


async def _one_line(update: Update, context: BotContext, text: str) -> None:
    """`/uren 1,5 uur overleg Venlo gisteren`: save when complete, otherwise ask the rest."""
    user = context.app_user
    assert user is not None and user.id is not None
    services = context.services
    t = context.t
    _ = t._
    today = services.today()
    screen: Screen | None = None
    async with context.unit() as s:
        kinds = await worklog.indirect_kinds(s)
        parsed = parse_hours_line(text, kinds, await worklog.municipality_ids(s), today)
        kind = next((k.label for k in kinds if k.id == parsed.kind_id), "overleg")
        problem, syntax = _line_problem(
            context, parsed.bad_duration, parsed.work_date, parsed.unknown, kind
        )
        if problem is None:
            data: dict[str, Any] = {"date": (parsed.work_date or today).isoformat()}
            data["muni"] = (
                parsed.municipality_id
                if parsed.municipality_set
                else await worklog.default_municipality_id(s, user)
            )
            if parsed.kind_id is not None:
                data["kind_id"] = parsed.kind_id
            if parsed.minutes is not None:
                data["minutes"] = parsed.minutes
            turn = await _start(s, context, data)
            outcome = Outcome()
            if turn.draft.state == "summary":
                outcome = await save(turn, confirmed=False)
            screen = await turn.finish(outcome)
    if screen is None:
        if syntax:  # words it did not understand: show how a line is built
            example = "<code>/uren 1,5 uur overleg Venlo gisteren</code>"
            kinds_text = ", ".join(esc(k.label) for k in kinds)
            how = _("Zo werkt het: {example}. Soorten: {kinds}. Of typ alleen /uren.")
            problem = (problem or "") + "\n" + how.format(example=example, kinds=kinds_text)
        await reply(update, context, problem or "")
        return
    text, buttons = screen
    await reply(update, context, text, buttons=buttons or None)


def _line_problem(
    context: BotContext,
    bad_duration: str | None,
    work_date: date | None,
    unknown: list[str],
    kind: str,
) -> tuple[str | None, bool]:
    """What makes a one-line entry unusable (as HTML), or None; and whether the reply should
    show how a line is built (for words it did not understand; a bad value says its limit)."""
    t = context.t
    if bad_duration is not None:
        # No buttons under a one-line entry: say what is accepted, in words.
        reason = t._(
            fields.DURATION_PROBLEMS.get(bad_duration, fields.DURATION_PROBLEMS["unknown"])
        )
        accepted = t._(
            "Een tijdsduur is {min} minuten tot {max} uur. Typ het opnieuw, bijvoorbeeld {example}."
        ).format(
            min=limits.MIN_INDIRECT_MINUTES,
            max=limits.MAX_DAY_MINUTES // 60,
            example=f"<code>/uren 1,5 uur {esc(kind)}</code>",
        )
        return esc(reason) + " " + accepted, False
    if work_date is not None:
        max_back = context.services.settings.max_back_days
        date_why = fields.date_problem(t, work_date, context.services.today(), max_back)
        if date_why is not None:
            return esc(date_why), False
    if unknown:
        # A few words, shortened: enough to recognise, never a wall of text.
        shown = [w if len(w) <= 30 else w[:29] + "…" for w in unknown[:5]]
        if len(unknown) > 5:
            shown.append("…")
        return t._("Dit begreep ik niet: {words}.").format(
            words=", ".join(f"<i>{esc(w)}</i>" for w in shown)
        ), True
    return None, True


def register(application: Application, router: TextRouter) -> None:
    register_flow(application, router, FLOW, cmd_hours)
