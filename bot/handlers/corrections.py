"""/corrigeer: the expert's latest entries (contacts, hours, signals, stories), each editable
or deletable. Changes are soft (updated_at / deleted_at) and written to the audit log by
`bot.storage.worklog`, which also makes sure an expert only ever reaches their own entries.

Buttons: `k:<draft id>:<revision>:<action>`; the entry being corrected lives in the draft, and
so does the list page (`offset`: how many newer entries are skipped; « Oudere / Nieuwere »).
A new date or duration that takes the day over `max_day_hours` is asked about first, as when
saving (state `confirm_day`, the change waiting in `pending`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.domain import limits
from bot.handlers.common import answer, edit_or_send, esc, reply
from bot.handlers.hours import (
    View,
    button,
    date_buttons,
    date_help,
    date_problem,
    duration_buttons,
    duration_help,
    duration_problem,
    load_press,
    municipality_buttons,
    municipality_from_text,
    municipality_label,
    parse_date_action,
    parse_duration_action,
    parse_municipality_action,
    parse_typed_duration,
    problem_text,
    start_draft,
    step,
    typed_date,
)
from bot.handlers.signals import MAX_SIGNAL_CHARS, text_problem
from bot.handlers.stories import MAX_STORY_CHARS
from bot.handlers.week import fmt_duration
from bot.i18n import N_, Translator
from bot.router import TextRouter
from bot.storage import drafts, worklog
from bot.storage.models import ConversationDraft

FLOW = "corrigeer"
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
MAX_CHARS = {"signal": MAX_SIGNAL_CHARS, "story": MAX_STORY_CHARS}
TIMED = ("contact", "indirect_hours")


def _make(draft: ConversationDraft) -> Callable[[str], str]:
    return lambda action: button(PREFIX, draft, action)


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
    parts.append(municipality_label(t, e.municipality))
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
    rows.append((_("Gemeente"), municipality_label(t, e.municipality)))
    lines = [f"<b>{esc(title)}</b>"] + [f"{esc(k)}: <b>{esc(v)}</b>" for k, v in rows]
    if e.text:
        lines.append(f"<i>{esc(e.text)}</i>")
    return "\n".join(lines)


async def _entry(
    s: AsyncSession, context: BotContext, data: dict[str, Any]
) -> worklog.Entry | None:
    user = context.app_user
    if user is None or user.id is None or data.get("entity") not in worklog.ENTITIES:
        return None
    return await worklog.get_entry(s, data["entity"], int(data["id"]), user.id)


def _offset(data: dict[str, Any]) -> int:
    value = data.get("offset", 0)
    return value if isinstance(value, int) and 0 <= value <= MAX_OFFSET else 0


def parse_page_action(action: str) -> int | None:
    """`p16` -> 16 (a list page starting after the 16 newest entries); None otherwise."""
    if action.startswith("p") and action[1:].isdigit() and len(action) <= 6:
        offset = int(action[1:])
        return offset if offset <= MAX_OFFSET else None
    return None


async def render(
    s: AsyncSession, context: BotContext, draft: ConversationDraft, note: str | None = None
) -> View:
    t = context.t
    _ = t._
    make = _make(draft)
    user = context.app_user
    assert user is not None and user.id is not None
    settings = context.services.settings
    head = f"{esc(note)}\n\n" if note else ""
    done = [(_("Klaar"), make("x"))]
    if draft.state == "list":
        offset = _offset(draft.data)
        entries = await worklog.recent_entries(s, user.id, LIST_SIZE + 1, offset)
        while not entries and offset > 0:  # e.g. the last entry of the last page was deleted
            offset = max(0, offset - LIST_SIZE)
            entries = await worklog.recent_entries(s, user.id, LIST_SIZE + 1, offset)
        if not entries:
            return View(head + esc(_("Je hebt (nog) niets ingevoerd om aan te passen.")), [done])
        more = len(entries) > LIST_SIZE
        rows = [
            [(entry_label(t, e), make(f"e{LETTER[e.entity]}{e.id}"))] for e in entries[:LIST_SIZE]
        ]
        paging = []
        if more and offset + LIST_SIZE <= MAX_OFFSET:
            paging.append((_("« Oudere"), make(f"p{offset + LIST_SIZE}")))
        if offset > 0:
            paging.append((_("Nieuwere »"), make(f"p{max(0, offset - LIST_SIZE)}")))
        return View(
            head
            + f"<b>{esc(_('Je laatste invoer'))}</b>\n"
            + esc(_("Kies wat je wilt aanpassen of verwijderen. Het nieuwste staat bovenaan.")),
            [*rows, *([paging] if paging else []), done],
        )
    entry = await _entry(s, context, draft.data)
    if entry is None:
        await step(context, s, draft, state="list", data={"offset": _offset(draft.data)})
        return await render(s, context, draft, _("Die invoer kan ik niet (meer) vinden."))
    details = entry_details(t, entry)
    back = [(_("« Terug"), make("o"))]
    if draft.state == "entry":
        if entry.entity in TIMED:
            edit_rows = [
                [(_("Datum"), make("f:date")), (_("Duur"), make("f:dur"))],
                [(_("Gemeente"), make("f:muni"))],
            ]
        else:
            edit_rows = [[(_("Tekst aanpassen"), make("f:text"))]]
        return View(
            head + details + "\n\n" + esc(_("Wat wil je doen?")),
            [
                *edit_rows,
                [(_("Verwijderen"), make("del"))],
                [(_("« Terug naar de lijst"), make("l")), *done],
            ],
        )
    if draft.state == "date":
        today = context.services.today()
        return View(
            head + details + "\n\n" + date_help(t, settings.max_back_days),
            [*date_buttons(t, today, settings.max_back_days, make), back],
        )
    if draft.state == "duration":
        return View(
            head + details + "\n\n" + duration_help(t),
            [*duration_buttons(t, make), back],
        )
    if draft.state == "muni":
        rows = await municipality_buttons(
            s, context, make, regional=entry.entity == "indirect_hours"
        )
        return View(head + details + "\n\n" + esc(_("Kies de gemeente.")), [*rows, back])
    if draft.state == "text":
        return View(
            head
            + details
            + "\n\n"
            + esc(
                _("Typ de nieuwe tekst (maximaal {max} tekens). Houd het anoniem.").format(
                    max=t.number(MAX_CHARS[entry.entity], 0)
                )
            ),
            [back],
        )
    if draft.state == "confirm_day":
        day = date.fromisoformat(str(draft.data.get("day")))
        question = _(
            "Let op: dan kom je op {total} op {date}. Dat is meer dan {max}. Klopt dat?"
        ).format(
            total=fmt_duration(t, int(draft.data.get("day_total", 0))),
            date=t.fmt_date(day),
            max=fmt_duration(t, int(settings.max_day_hours * 60)),
        )
        return View(
            head + details + "\n\n" + esc(question),
            [[(_("Ja, aanpassen"), make("ok")), (_("Nee, niet aanpassen"), make("no"))]],
        )
    # delete: ask first
    return View(
        head + details + "\n\n" + esc(_("Weet je zeker dat je dit wilt verwijderen?")),
        [[(_("Ja, verwijderen"), make("yes")), (_("Nee, bewaren"), make("o"))]],
    )


async def cmd_corrections(update: Update, context: BotContext) -> None:
    user = context.app_user
    assert user is not None and user.id is not None
    async with context.unit() as s:
        draft = await start_draft(s, context, FLOW, "list", {})
        view = await render(s, context, draft)
        if draft.state == "list" and len(view.buttons) == 1:
            await drafts.discard(s, draft)  # nothing to correct: no dialogue to keep open
            view.buttons = []
    await reply(update, context, view.text, buttons=view.buttons or None)


async def _day_total_too_high(
    s: AsyncSession, context: BotContext, data: dict[str, Any], changes: dict[str, Any]
) -> tuple[date, int] | None:
    """(day, total) when the new date or duration takes that day over the maximum."""
    user = context.app_user
    assert user is not None and user.id is not None
    if "work_date" not in changes and "duration_minutes" not in changes:
        return None
    entry = await _entry(s, context, data)
    if entry is None or entry.entity not in TIMED:
        return None
    day = changes.get("work_date", entry.work_date)
    minutes = int(changes.get("duration_minutes", entry.minutes or 0))
    if not limits.grows_day(entry.work_date, entry.minutes or 0, day, minutes):
        return None
    logged = await worklog.day_minutes(s, user.id, day, exclude=(entry.entity, entry.id))
    too_high, total = limits.day_total_too_high(
        logged, minutes, context.services.settings.max_day_hours
    )
    return (day, total) if too_high else None


async def _apply(
    s: AsyncSession,
    context: BotContext,
    draft: ConversationDraft,
    changes: dict[str, Any],
    *,
    confirmed: bool = False,
) -> str | None:
    """Save a change to the entry; returns the note shown above the entry.

    Returns None, and saves nothing, when the day total asks for a confirmation first."""
    user = context.app_user
    assert user is not None and user.id is not None
    _ = context.t._
    data = {k: v for k, v in draft.data.items() if k not in ("pending", "day", "day_total")}
    if not confirmed:
        too_high = await _day_total_too_high(s, context, data, changes)
        if too_high is not None:
            day, total = too_high
            pending = {k: v.isoformat() if isinstance(v, date) else v for k, v in changes.items()}
            data.update(pending=pending, day=day.isoformat(), day_total=total)
            await step(context, s, draft, state="confirm_day", data=data)
            return None
    changed = await worklog.update_entry(
        s, data["entity"], int(data["id"]), user.id, changes, context.services.now()
    )
    await step(context, s, draft, state="entry", data=data)
    return _("Aangepast.") if changed else _("Niets veranderd.")


def _duration_limit(entity: str) -> int:
    return limits.MAX_CONTACT_MINUTES if entity == "contact" else limits.MAX_DAY_MINUTES


async def on_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    services = context.services
    t = context.t
    _ = t._
    settings = services.settings
    user = context.app_user
    assert user is not None and user.id is not None
    toast: str | None = None
    alert = False
    closed: str | None = None
    view: View | None = None
    async with context.unit() as s:
        press = await load_press(s, context, query.data or "", FLOW)
        draft, action = press.draft, press.action
        if press.problem is None and draft is not None:
            data = dict(draft.data)
            state = draft.state
            entity = data.get("entity")
            if action == "x":
                await drafts.discard(s, draft)
                closed = esc(_("Klaar. Met /corrigeer kom je hier terug."))
            elif action == "l":
                await step(context, s, draft, state="list", data={"offset": _offset(data)})
                view = await render(s, context, draft)
            elif action.startswith("p") and state == "list":
                offset = parse_page_action(action)
                if offset is None:
                    press.problem = "unknown"
                else:
                    await step(context, s, draft, state="list", data={"offset": offset})
                    view = await render(s, context, draft)
            elif action.startswith("e") and state == "list" and action[1:2] in CODES:
                rest = action[2:]
                entry = (
                    await worklog.get_entry(s, CODES[action[1]], int(rest), user.id)
                    if rest.isdigit()
                    else None
                )
                if entry is None:
                    # Not theirs, deleted meanwhile, or made up: the list, freshly.
                    await step(context, s, draft, state="list", data={"offset": _offset(data)})
                    view = await render(
                        s, context, draft, _("Die invoer kan ik niet (meer) vinden.")
                    )
                    toast, alert = _("Die invoer kan ik niet vinden."), True
                else:
                    await step(
                        context,
                        s,
                        draft,
                        state="entry",
                        data={"entity": entry.entity, "id": entry.id, "offset": _offset(data)},
                    )
                    view = await render(s, context, draft)
            elif state == "list" or entity not in worklog.ENTITIES:
                press.problem = "stale"
            elif action == "o":
                await step(context, s, draft, state="entry", data=data)
                view = await render(s, context, draft)
            elif action.startswith("f:") and state == "entry":
                target = {"date": "date", "dur": "duration", "muni": "muni", "text": "text"}.get(
                    action[2:]
                )
                fits = (
                    target in ("date", "duration", "muni") if entity in TIMED else target == "text"
                )
                if target is None or not fits:
                    press.problem = "stale"
                else:
                    await step(context, s, draft, state=target, data=data)
                    view = await render(s, context, draft)
            elif action == "del" and state == "entry":
                await step(context, s, draft, state="delete", data=data)
                view = await render(s, context, draft)
            elif action == "yes" and state == "delete":
                entry = await _entry(s, context, data)
                deleted = await worklog.delete_entry(
                    s, str(entity), int(data["id"]), user.id, services.now()
                )
                await step(context, s, draft, state="list", data={"offset": _offset(data)})
                note = (
                    _("Verwijderd: {entry}.").format(entry=entry_label(t, entry))
                    if deleted and entry is not None
                    else _("Die invoer was al verwijderd.")
                )
                toast = _("Verwijderd") if deleted else None
                view = await render(s, context, draft, note)
            elif state == "date" and action.startswith("d"):
                chosen = parse_date_action(action)
                why = (
                    date_problem(t, chosen, services.today(), settings.max_back_days)
                    if chosen is not None
                    else problem_text(t, "unknown", COMMAND)
                )
                if why is not None or chosen is None:
                    toast, alert = why, True
                else:
                    note = await _apply(s, context, draft, {"work_date": chosen})
                    view = await render(s, context, draft, note)
            elif state == "duration" and action.startswith("t"):
                minutes = parse_duration_action(action, maximum=_duration_limit(str(entity)))
                if minutes is None:
                    press.problem = "unknown"
                else:
                    note = await _apply(s, context, draft, {"duration_minutes": minutes})
                    view = await render(s, context, draft, note)
            elif state == "muni" and action.startswith("m"):
                ok, muni_id = parse_municipality_action(action)
                if not ok or (muni_id is None and entity != "indirect_hours"):
                    press.problem = "unknown"
                else:
                    note = await _apply(s, context, draft, {"municipality_id": muni_id})
                    view = await render(s, context, draft, note)
            elif action == "ok" and state == "confirm_day":
                pending = dict(data.get("pending") or {})
                if "work_date" in pending:
                    pending["work_date"] = date.fromisoformat(pending["work_date"])
                if not pending or set(pending) - {"work_date", "duration_minutes"}:
                    press.problem = "stale"
                else:
                    note = await _apply(s, context, draft, pending, confirmed=True)
                    view = await render(s, context, draft, note)
            elif action == "no" and state == "confirm_day":
                keep = {k: v for k, v in data.items() if k not in ("pending", "day", "day_total")}
                await step(context, s, draft, state="entry", data=keep)
                view = await render(s, context, draft, _("Niets veranderd."))
            else:
                press.problem = "stale"
    if press.problem is not None:
        await answer(context, query, problem_text(t, press.problem, COMMAND), alert=True)
        return
    await answer(context, query, toast, alert=alert)
    if closed is not None:
        await edit_or_send(update, context, closed)
    elif view is not None:
        await edit_or_send(update, context, view.text, buttons=view.buttons or None)


async def on_text(update: Update, context: BotContext, draft: ConversationDraft) -> None:
    """Typed text in /corrigeer: a new date, duration, municipality or text for the entry."""
    msg = update.message
    assert msg is not None
    text = (msg.text or "").strip()  # never logged: it may be what the privacy guard stops
    services = context.services
    t = context.t
    _ = t._
    settings = services.settings
    problem: str | None = None
    view: View | None = None
    async with context.unit() as s:
        current = await drafts.get_by_id(s, draft.id) if draft.id is not None else None
        if current is None:
            problem = problem_text(t, "gone", COMMAND)
        else:
            data = dict(current.data)
            entity = str(data.get("entity"))
            state = current.state
            note: str | None = None
            if state == "text" and entity in MAX_CHARS:
                problem = text_problem(t, text, MAX_CHARS[entity], services.today())
                if problem is None:
                    note = await _apply(s, context, current, {"text": text})
            elif state == "duration":
                minutes, reason = parse_typed_duration(text, maximum=_duration_limit(entity))
                if minutes is None:
                    problem = duration_problem(t, reason or "unknown")
                else:
                    note = await _apply(s, context, current, {"duration_minutes": minutes})
            elif state == "date":
                today = services.today()
                chosen, why = typed_date(t, text, today, settings.max_back_days)
                if chosen is None:
                    problem = why
                else:
                    note = await _apply(s, context, current, {"work_date": chosen})
            elif state == "muni":
                ok, muni_id = await municipality_from_text(s, text)
                if not ok or (muni_id is None and entity != "indirect_hours"):
                    problem = _("Die gemeente ken ik niet. Kies een gemeente met de knoppen.")
                else:
                    note = await _apply(s, context, current, {"municipality_id": muni_id})
            else:
                problem = _("Kies met de knoppen onder het bericht wat je wilt doen.")
            view = await render(s, context, current, note)
    if problem is not None:
        await reply(update, context, problem, buttons=(view.buttons or None) if view else None)
    elif view is not None:
        await reply(update, context, view.text, buttons=view.buttons or None)


def register(application: Application, router: TextRouter) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("corrigeer", cmd_corrections))
    application.add_handler(CallbackQueryHandler(on_button, pattern=rf"^{PREFIX}:"))
    router.flow(FLOW, on_text)
