"""/corrigeer: the expert's latest entries (contacts, hours, signals, stories), each editable
or deletable. Changes are soft (updated_at / deleted_at) and written to the audit log by
`bot.storage.worklog`, which also makes sure an expert only ever reaches their own entries.

A step table on the dialogue kit. Buttons: `k:<draft id>:<revision>:<action>`; the entry being
corrected lives in the draft, and so does the list page (`offset`: how many newer entries are
skipped; « Oudere / Nieuwere »). A new date or duration that takes the day over
`max_day_hours` is asked about first, as when saving (state `confirm_day`, the change waiting in
`pending`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.context import BotContext
from bot.dialogue import Callback, Flow, Outcome, Screen, Step, Texts, Turn, View, start_draft
from bot.domain import limits
from bot.domain.indirect import typed_municipality
from bot.handlers import fields
from bot.handlers.common import Button, esc, reply
from bot.handlers.week import fmt_duration
from bot.i18n import N_, Translator
from bot.router import TextRouter
from bot.storage import drafts, worklog

NAME = "corrigeer"
PREFIX = "k"
COMMAND = "/corrigeer"
LIST_SIZE = 8
MAX_OFFSET = 10_000  # paging stops here; keeps button data short and queries small

# One letter per entity in button data, to stay far below 64 bytes.
CODES = {"c": "contact", "h": "indirect_hours", "s": "signal", "v": "story"}
LETTER = {v: k for k, v in CODES.items()}
NAMES = {
    "contact": N_("Contact"),
    "indirect_hours": N_("Uren zonder inwoner"),
    "signal": N_("Signaal"),
    "story": N_("Verhaal"),
}
MAX_CHARS = {"signal": limits.MAX_SIGNAL_CHARS, "story": limits.MAX_STORY_CHARS}
TIMED = ("contact", "indirect_hours")
FIELD_STATES = {"date": "date", "dur": "duration", "muni": "muni", "text": "text"}
NOT_FOUND = N_("Die invoer kan ik niet (meer) vinden.")


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def entry_label(t: Translator, e: worklog.Entry) -> str:
    """One button line: "di 17 nov · overleg · 1,5 uur · Venlo"."""
    _ = t._
    parts = [t.fmt_short_date(e.work_date)]
    if e.entity == "contact":
        parts.append(_short(e.kind or _("contact"), 22))
    elif e.entity == "indirect_hours":
        parts.append(e.kind or "")
    elif e.entity == "signal":
        parts.append(_("signaal {kind}").format(kind=e.kind or ""))
    else:
        parts.append(_("verhaal"))
    if e.minutes is not None:
        parts.append(fmt_duration(t, e.minutes))
    parts.append(fields.municipality_label(t, e.municipality))
    if e.text:
        parts.append(_short(e.text, 18))
    return " · ".join(p for p in parts if p)


def entry_details(t: Translator, e: worklog.Entry) -> str:
    _ = t._
    title = _(NAMES[e.entity])
    if e.kind:
        title += f" ({e.kind})"
    rows = [(_("Datum"), t.fmt_date(e.work_date))]
    if e.minutes is not None:
        rows.append((_("Duur"), fmt_duration(t, e.minutes)))
    rows.append((_("Gemeente"), fields.municipality_label(t, e.municipality)))
    lines = [f"<b>{esc(title)}</b>"] + [f"{esc(k)}: <b>{esc(v)}</b>" for k, v in rows]
    if e.text:
        lines.append(f"<i>{esc(e.text)}</i>")
    return "\n".join(lines)


def _offset(data: dict[str, Any]) -> int:
    value = data.get("offset", 0)
    return value if isinstance(value, int) and 0 <= value <= MAX_OFFSET else 0


def parse_page_action(action: str) -> int | None:
    """`p16` -> 16 (a list page starting after the 16 newest entries); None otherwise."""
    if action.startswith("p") and action[1:].isdigit() and len(action) <= 6:
        offset = int(action[1:])
        return offset if offset <= MAX_OFFSET else None
    return None


def _duration_limit(entity: str) -> int:
    return limits.MAX_CONTACT_MINUTES if entity == "contact" else limits.MAX_DAY_MINUTES


# --------------------------------------------------------------------------- the view


@dataclass(kw_only=True)
class CorrView(View):
    today: date
    max_back: int
    max_day_minutes: int
    offset: int = 0  # list: the page shown
    entries: list[worklog.Entry] = field(default_factory=list)  # list: one more than shown
    entry: worklog.Entry | None = None  # every other step: the entry being corrected
    munis: list[worklog.Option] = field(default_factory=list)  # muni
    lost: bool = False  # the entry was gone: back on the list


async def load(turn: Turn[CorrView]) -> CorrView:
    user = turn.context.app_user
    assert user is not None and user.id is not None
    settings = turn.context.services.settings
    view = CorrView(
        context=turn.context,
        draft=turn.draft,
        prefix=PREFIX,
        today=turn.today(),
        max_back=settings.max_back_days,
        max_day_minutes=int(settings.max_day_hours * 60),
    )
    data = turn.draft.data
    if turn.draft.state != "list":
        if data.get("entity") in worklog.ENTITIES:
            view.entry = await worklog.get_entry(turn.s, data["entity"], int(data["id"]), user.id)
        if view.entry is None:  # deleted meanwhile (or never there): the list, freshly
            await turn.save(state="list", data={"offset": _offset(data)})
            view.draft, view.lost = turn.draft, True
    if turn.draft.state == "list":
        offset = _offset(turn.draft.data)
        entries = await worklog.recent_entries(turn.s, user.id, LIST_SIZE + 1, offset)
        while not entries and offset > 0:  # e.g. the last entry of the last page was deleted
            offset = max(0, offset - LIST_SIZE)
            entries = await worklog.recent_entries(turn.s, user.id, LIST_SIZE + 1, offset)
        view.offset, view.entries = offset, entries
    elif turn.draft.state == "muni":
        view.munis = await worklog.municipalities(turn.s)
    return view


# --------------------------------------------------------------------------- rendering


def _done(v: CorrView) -> list[Button]:
    return [(v.t._("Klaar"), v.button("x"))]


def render_list(v: CorrView) -> Screen:
    t = v.t
    _ = t._
    head = esc(_(NOT_FOUND)) + "\n\n" if v.lost else ""
    if not v.entries:
        return head + esc(_("Je hebt (nog) niets ingevoerd om aan te passen.")), [_done(v)]
    rows = [
        [(entry_label(t, e), v.button(f"e{LETTER[e.entity]}{e.id}"))] for e in v.entries[:LIST_SIZE]
    ]
    paging = []
    if len(v.entries) > LIST_SIZE and v.offset + LIST_SIZE <= MAX_OFFSET:
        paging.append((_("« Oudere"), v.button(f"p{v.offset + LIST_SIZE}")))
    if v.offset > 0:
        paging.append((_("Nieuwere »"), v.button(f"p{max(0, v.offset - LIST_SIZE)}")))
    return (
        head
        + f"<b>{esc(_('Je laatste invoer'))}</b>\n"
        + esc(_("Kies wat je wilt aanpassen of verwijderen. Het nieuwste staat bovenaan.")),
        [*rows, *([paging] if paging else []), _done(v)],
    )


def _about(v: CorrView, question: str) -> str:
    """The entry, and what this step asks about it."""
    assert v.entry is not None
    return entry_details(v.t, v.entry) + "\n\n" + question


def _back(v: CorrView) -> list[Button]:
    return [(v.t._("« Terug"), v.button("o"))]


def render_entry(v: CorrView) -> Screen:
    _ = v.t._
    assert v.entry is not None
    if v.entry.entity in TIMED:
        edit_rows = [
            [(_("Datum"), v.button("f", "date")), (_("Duur"), v.button("f", "dur"))],
            [(_("Gemeente"), v.button("f", "muni"))],
        ]
    else:
        edit_rows = [[(_("Tekst aanpassen"), v.button("f", "text"))]]
    return (
        _about(v, esc(_("Wat wil je doen?"))),
        [
            *edit_rows,
            [(_("Verwijderen"), v.button("del"))],
            [(_("« Terug naar de lijst"), v.button("l")), *_done(v)],
        ],
    )


def render_date(v: CorrView) -> Screen:
    t = v.t
    return (
        _about(v, fields.date_help(t, v.max_back)),
        [*fields.date_buttons(t, v.today, v.max_back, v.button), _back(v)],
    )


def render_duration(v: CorrView) -> Screen:
    t = v.t
    return _about(v, fields.duration_help(t)), [*fields.duration_buttons(t, v.button), _back(v)]


def render_muni(v: CorrView) -> Screen:
    assert v.entry is not None
    regional = v.entry.entity == "indirect_hours"
    rows = fields.municipality_buttons(v.t, v.munis, v.button, regional=regional)
    return _about(v, esc(v.t._("Kies de gemeente."))), [*rows, _back(v)]


def render_text(v: CorrView) -> Screen:
    t = v.t
    assert v.entry is not None
    ask = t._("Typ de nieuwe tekst (maximaal {max} tekens). Houd het anoniem.")
    return _about(v, esc(ask.format(max=t.number(MAX_CHARS[v.entry.entity], 0)))), [_back(v)]


def render_confirm_day(v: CorrView) -> Screen:
    t = v.t
    _ = t._
    data = v.draft.data
    question = _(
        "Let op: dan kom je op {total} op {date}. Dat is meer dan {max}. Klopt dat?"
    ).format(
        total=fmt_duration(t, int(data.get("day_total", 0))),
        date=t.fmt_date(date.fromisoformat(str(data.get("day")))),
        max=fmt_duration(t, v.max_day_minutes),
    )
    return (
        _about(v, esc(question)),
        [[(_("Ja, aanpassen"), v.button("ok")), (_("Nee, niet aanpassen"), v.button("no"))]],
    )


def render_delete(v: CorrView) -> Screen:
    _ = v.t._
    return (
        _about(v, esc(_("Weet je zeker dat je dit wilt verwijderen?"))),
        [[(_("Ja, verwijderen"), v.button("yes")), (_("Nee, bewaren"), v.button("o"))]],
    )


# --------------------------------------------------------------------------- changing an entry


async def _day_total_too_high(
    turn: Turn[CorrView], entry: worklog.Entry | None, changes: dict[str, Any]
) -> tuple[date, int] | None:
    """(day, total) when the new date or duration takes that day over the maximum."""
    user = turn.context.app_user
    assert user is not None and user.id is not None
    if "work_date" not in changes and "duration_minutes" not in changes:
        return None
    if entry is None or entry.entity not in TIMED:
        return None
    day = changes.get("work_date", entry.work_date)
    minutes = int(changes.get("duration_minutes", entry.minutes or 0))
    if not limits.grows_day(entry.work_date, entry.minutes or 0, day, minutes):
        return None
    logged = await worklog.day_minutes(turn.s, user.id, day, exclude=(entry.entity, entry.id))
    too_high, total = limits.day_total_too_high(
        logged, minutes, turn.context.services.settings.max_day_hours
    )
    return (day, total) if too_high else None


def _without_pending(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in ("pending", "day", "day_total")}


async def apply(
    turn: Turn[CorrView], changes: dict[str, Any], *, confirmed: bool = False
) -> Outcome:
    """Save a change to the entry and show it again with a note; unless the day total asks for
    a confirmation first (nothing is saved then)."""
    user = turn.context.app_user
    assert user is not None and user.id is not None
    _ = turn.t._
    data = _without_pending(turn.draft.data)
    if not confirmed:
        too_high = await _day_total_too_high(turn, (await turn.view()).entry, changes)
        if too_high is not None:
            day, total = too_high
            pending = {k: v.isoformat() if isinstance(v, date) else v for k, v in changes.items()}
            data.update(pending=pending, day=day.isoformat(), day_total=total)
            return Outcome(state="confirm_day", data=data)
    changed = await worklog.update_entry(
        turn.s, data["entity"], int(data["id"]), user.id, changes, turn.now()
    )
    note = _("Aangepast.") if changed else _("Niets veranderd.")
    return Outcome(state="entry", data=data, note=esc(note))


# --------------------------------------------------------------------------- steps


def _entity(turn: Turn[CorrView]) -> str:
    return str(turn.draft.data.get("entity"))


async def on_any_tap(turn: Turn[CorrView], cb: Callback) -> Outcome | None:
    """Klaar and « Terug naar de lijst on every step; « Terug to the entry on the entry's."""
    data = turn.data
    if cb.action == "x":
        return await turn.end(esc(turn.t._("Klaar. Met /corrigeer kom je hier terug.")))
    if cb.action == "l":
        return Outcome(state="list", data={"offset": _offset(data)})
    if turn.draft.state == "list":
        return None
    if data.get("entity") not in worklog.ENTITIES:
        return fields.problem(turn, turn.flow.texts.stale)
    if cb.action == "o":
        return Outcome(state="entry", data=data)
    return None


async def tap_list(turn: Turn[CorrView], cb: Callback) -> Outcome | None:
    user = turn.context.app_user
    assert user is not None and user.id is not None
    _ = turn.t._
    offset = _offset(turn.draft.data)
    if cb.action.startswith("p"):
        page = parse_page_action(cb.action)
        if page is None:
            return fields.problem(turn, turn.flow.texts.unknown)
        return Outcome(state="list", data={"offset": page})
    if not (cb.action.startswith("e") and cb.action[1:2] in CODES):
        return None
    rest = cb.action[2:]
    entity = CODES[cb.action[1]]
    entry = await worklog.get_entry(turn.s, entity, int(rest), user.id) if rest.isdigit() else None
    if entry is None:  # not theirs, deleted meanwhile, or made up: the list, freshly
        return Outcome(
            state="list",
            data={"offset": offset},
            note=esc(_(NOT_FOUND)),
            toast=_("Die invoer kan ik niet vinden."),
            alert=True,
        )
    return Outcome(state="entry", data={"entity": entity, "id": entry.id, "offset": offset})


async def tap_entry(turn: Turn[CorrView], cb: Callback) -> Outcome | None:
    if cb.action == "del":
        return Outcome(state="delete", data=turn.data)
    target = FIELD_STATES.get(cb.arg) if cb.action == "f" else None
    if target is None:
        return None
    fits = target in ("date", "duration", "muni") if _entity(turn) in TIMED else target == "text"
    return Outcome(state=target, data=turn.data) if fits else None


async def tap_delete(turn: Turn[CorrView], cb: Callback) -> Outcome | None:
    if cb.action != "yes":
        return None
    user = turn.context.app_user
    assert user is not None and user.id is not None
    t = turn.t
    _ = t._
    data = turn.data
    entry = (await turn.view()).entry
    entry_id = int(data["id"])
    deleted = await worklog.delete_entry(turn.s, _entity(turn), entry_id, user.id, turn.now())
    note = (
        _("Verwijderd: {entry}.").format(entry=entry_label(t, entry))
        if deleted and entry is not None
        else _("Die invoer was al verwijderd.")
    )
    return Outcome(
        state="list",
        data={"offset": _offset(data)},
        note=esc(note),
        toast=_("Verwijderd") if deleted else None,
    )


async def tap_date(turn: Turn[CorrView], cb: Callback) -> Outcome | None:
    if not cb.action.startswith("d"):
        return None
    chosen = fields.parse_date_action(cb.action)
    if chosen is None:
        return fields.problem(turn, turn.flow.texts.unknown)
    view = await turn.view()
    why = fields.date_problem(turn.t, chosen, view.today, view.max_back)
    if why is not None:
        return Outcome(toast=why, alert=True)
    return await apply(turn, {"work_date": chosen})


async def tap_duration(turn: Turn[CorrView], cb: Callback) -> Outcome | None:
    if not cb.action.startswith("t"):
        return None
    minutes = fields.parse_duration_action(cb.action, maximum=_duration_limit(_entity(turn)))
    if minutes is None:
        return fields.problem(turn, turn.flow.texts.unknown)
    return await apply(turn, {"duration_minutes": minutes})


async def tap_muni(turn: Turn[CorrView], cb: Callback) -> Outcome | None:
    if not cb.action.startswith("m"):
        return None
    ok, muni_id = fields.parse_municipality_action(cb.action)
    if not ok or (muni_id is None and _entity(turn) != "indirect_hours"):
        return fields.problem(turn, turn.flow.texts.unknown)
    return await apply(turn, {"municipality_id": muni_id})


async def tap_confirm_day(turn: Turn[CorrView], cb: Callback) -> Outcome | None:
    data = turn.data
    if cb.action == "no":
        note = esc(turn.t._("Niets veranderd."))
        return Outcome(state="entry", data=_without_pending(data), note=note)
    if cb.action != "ok":
        return None
    pending = dict(data.get("pending") or {})
    if not pending or set(pending) - {"work_date", "duration_minutes"}:
        return fields.problem(turn, turn.flow.texts.stale)
    if "work_date" in pending:
        pending["work_date"] = date.fromisoformat(pending["work_date"])
    return await apply(turn, pending, confirmed=True)


async def text_text(turn: Turn[CorrView], text: str) -> Outcome | None:
    entity = _entity(turn)
    if entity not in MAX_CHARS:
        return None
    text = text.strip()  # never logged: it may be what the privacy guard stops
    problem = fields.text_problem(turn.t, text, MAX_CHARS[entity], turn.today())
    return Outcome(error=problem) if problem is not None else await apply(turn, {"text": text})


async def text_duration(turn: Turn[CorrView], text: str) -> Outcome:
    limit = _duration_limit(_entity(turn))
    minutes, reason = fields.parse_typed_duration(text.strip(), maximum=limit)
    if minutes is None:
        return Outcome(error=fields.duration_problem(turn.t, reason or "unknown"))
    return await apply(turn, {"duration_minutes": minutes})


async def text_date(turn: Turn[CorrView], text: str) -> Outcome:
    max_back = turn.context.services.settings.max_back_days
    chosen, why = fields.typed_date(turn.t, text.strip(), turn.today(), max_back)
    return Outcome(error=why) if chosen is None else await apply(turn, {"work_date": chosen})


async def text_muni(turn: Turn[CorrView], text: str) -> Outcome:
    ok, muni_id = typed_municipality(text.strip(), await worklog.municipality_ids(turn.s))
    if not ok or (muni_id is None and _entity(turn) != "indirect_hours"):
        return Outcome(
            error=turn.t._("Die gemeente ken ik niet. Kies een gemeente met de knoppen.")
        )
    return await apply(turn, {"municipality_id": muni_id})


FLOW: Flow[CorrView] = Flow(
    name=NAME,
    prefix=PREFIX,
    command=COMMAND,
    load=load,
    steps={
        "list": Step(render_list, tap_list),
        "entry": Step(render_entry, tap_entry),
        "date": Step(render_date, tap_date, text_date),
        "duration": Step(render_duration, tap_duration, text_duration),
        "muni": Step(render_muni, tap_muni, text_muni),
        "text": Step(render_text, None, text_text),
        "confirm_day": Step(render_confirm_day, tap_confirm_day),
        "delete": Step(render_delete, tap_delete),
    },
    on_tap=on_any_tap,
    texts=Texts(typed=N_("Kies met de knoppen onder het bericht wat je wilt doen.")),
    frame=fields.frame,
    alert=True,
)


async def cmd_corrections(update: Update, context: BotContext) -> None:
    async with context.unit() as s:
        draft = await start_draft(s, context, NAME, "list", {})
        text, buttons = await Turn(s, context, FLOW, draft).render()
        if len(buttons) == 1:
            await drafts.discard(s, draft)  # nothing to correct: no dialogue to keep open
            buttons = []
    await reply(update, context, text, buttons=buttons or None)


def register(application: Application, router: TextRouter) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("corrigeer", cmd_corrections))
    FLOW.register(application, router)
