"""/inloopbeheer: coordinators add, change and stop walk-in sessions, cancel one date, add an
extra date, undo either of those, or read in a CSV file. Buttons
`b:<draft id>:<revision>:<action>`.

A short dialogue kept in a `conversation_draft` (flow "inloopbeheer"), each step committed
before the reply; the change is saved, and the draft removed, in one transaction after the
coordinator confirms a summary. A button from an earlier step (or a second tap on "Opslaan")
finds the revision changed or the draft gone and changes nothing.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.commands import COORDINATOR
from bot.context import BotContext
from bot.domain.digest import split_html
from bot.domain.places import resolve_municipality
from bot.domain.walkin import SessionRule
from bot.domain.walkin_csv import parse_weekday
from bot.domain.walkin_input import (
    check_csv,
    decode_csv,
    from_hhmm,
    hhmm,
    looks_personal,
    parse_day,
    parse_time_range,
    upcoming_dates,
)
from bot.handlers.common import Button, answer, edit_or_send, reply
from bot.handlers.gate import role_of
from bot.i18n import N_, Translator
from bot.router import TextRouter, draft_ttl
from bot.storage import drafts
from bot.storage import walkin as repo
from bot.storage.models import ConversationDraft, WalkInException, WalkInSession
from bot.text import esc
from bot.walkin_text import CSV_ERRORS, csv_error_line

log = logging.getLogger(__name__)

FLOW = "inloopbeheer"
PREFIX = "b"
SESSIONS_PER_PAGE = 20
KNOWN_PLACES = 8
MAX_CSV_BYTES = 512 * 1024
MAX_ERRORS_SHOWN = 15

# --------------------------------------------------------------------------- labels


def weekday_name(t: Translator, weekday: int) -> str:
    return t.weekday(weekday)


def session_label(t: Translator, row: WalkInSession) -> str:
    """'di 10:00–12:00 · Buurthuis De Kolk' for a button (short)."""
    day = t.weekday(row.weekday, short=True)
    label = f"{day} {hhmm(row.start_time)}–{hhmm(row.end_time)} · {row.place}"
    return label if len(label) <= 48 else label[:47] + "…"


def session_text(t: Translator, row: WalkInSession) -> str:
    """'Buurthuis De Kolk, elke dinsdag 10:00 – 12:00' (HTML)."""
    return t._("{place}, elke {weekday} {start} – {end}").format(
        place=esc(row.place),
        weekday=weekday_name(t, row.weekday),
        start=hhmm(row.start_time),
        end=hhmm(row.end_time),
    )


# What each undo action takes away: a cancelled date or an extra date.
UNDO_KIND = {"unskip": "cancelled", "unextra": "extra"}

# --------------------------------------------------------------------------- steps

ACTIONS = {
    "new": N_("Nieuwe inloop of spreekuur"),
    "edit": N_("Tijd, dag of plek wijzigen"),
    "stop": N_("Stoppen met een inloop"),
    "skip": N_("Eén datum afzeggen"),
    "extra": N_("Extra datum toevoegen"),
    "unskip": N_("Afzegging terugdraaien"),
    "unextra": N_("Extra datum weghalen"),
    "list": N_("Overzicht per gemeente"),
    "imp": N_("CSV-bestand inlezen"),
}
FIELDS = {
    "place": N_("Plek"),
    "address": N_("Adres"),
    "weekday": N_("Dag"),
    "times": N_("Tijden"),
}


def steps(data: dict[str, Any]) -> list[str]:
    """The states of the dialogue for its action, in order."""
    action = data.get("action")
    if action == "new":
        return ["menu", "muni", "place", "address", "weekday", "times", "confirm"]
    if action == "edit":
        return ["menu", "muni", "session", "field", data.get("field", "place"), "confirm"]
    if action in ("stop", "skip"):
        return ["menu", "muni", "session", "date", "confirm"]
    if action == "extra":
        own = ["place", "address"] if data.get("other") else []
        return ["menu", "muni", "session", *own, "date", "times", "confirm"]
    if action in UNDO_KIND:
        return ["menu", "muni", "exc", "confirm"]
    if action == "imp":
        return ["menu", "import", "confirm"]
    return ["menu", "muni"]


def next_state(data: dict[str, Any], state: str) -> str:
    seq = steps(data)
    i = seq.index(state) if state in seq else 0
    return seq[min(i + 1, len(seq) - 1)]


def _btn(draft: ConversationDraft, action: str) -> str:
    return f"{PREFIX}:{draft.id}:{draft.revision}:{action}"


# --------------------------------------------------------------------------- prompts


async def prompt(context: BotContext, draft: ConversationDraft) -> tuple[str, list[list[Button]]]:
    """Text and buttons for the draft's current step."""
    t = context.t
    _ = t._
    data = draft.data
    state = draft.state
    quit_row = [(_("Stoppen"), _btn(draft, "quit"))]
    if state == "menu":
        rows = [[(_(label), _btn(draft, code))] for code, label in ACTIONS.items()]
        return _("Wat wil je doen met de inloop en spreekuren?"), [*rows, quit_row]
    if state == "muni":
        async with context.unit() as s:
            munis = await repo.municipalities(s)
        buttons = [(m.name, _btn(draft, f"m{m.id}")) for m in munis]
        rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
        return _("Welke gemeente? Kies hieronder of typ de naam."), [*rows, quit_row]
    if state == "session":
        async with context.unit() as s:
            sessions = await repo.sessions_in(s, data["muni_id"])
        page = int(data.get("page", 0))
        chunk = sessions[page * SESSIONS_PER_PAGE : (page + 1) * SESSIONS_PER_PAGE]
        rows = [[(session_label(t, row), _btn(draft, f"s{row.id}"))] for row, _n in chunk]
        if len(sessions) > (page + 1) * SESSIONS_PER_PAGE:
            rows.append([(_("Meer …"), _btn(draft, "more"))])
        if data["action"] == "extra":
            rows.append([(_("Andere plek"), _btn(draft, "other"))])
        if not sessions:
            text = _("Er staat nog geen inloop in {muni}.").format(muni=esc(data["muni_name"]))
            if data["action"] == "extra":
                text += "\n" + _("Kies 'Andere plek' om een losse datum toe te voegen.")
            return text, [*rows, quit_row]
        if data["action"] == "extra":
            text = _("Bij welke inloop hoort de extra datum? Of kies 'Andere plek'.")
        else:
            text = _("Welke inloop in {muni}?").format(muni=esc(data["muni_name"]))
        return text, [*rows, quit_row]
    if state == "exc":
        return await _exc_prompt(context, draft, quit_row)
    if state == "place":
        # Known places only where the address comes along (not when changing just the name).
        known = data.get("known", []) if data.get("action") in ("new", "extra") else []
        rows = [[(k[0][:48], _btn(draft, f"p{i}"))] for i, k in enumerate(known)]
        text = _("Hoe heet de plek? Typ bijvoorbeeld: Buurthuis De Kolk")
        if known:
            text += "\n" + _("Of kies een plek die er al is.")
        return text, [*rows, quit_row]
    if state == "address":
        return _("Wat is het adres? Typ bijvoorbeeld: Kerkstraat 12, Blerick"), [quit_row]
    if state == "weekday":
        days = [(weekday_name(t, i), _btn(draft, f"w{i}")) for i in range(7)]
        return _("Op welke dag van de week?"), [days[0:3], days[3:5], days[5:7], quit_row]
    if state == "times":
        rows = []
        if data["action"] == "extra" and data.get("start"):
            same = f"{data['start']} – {data['end']}"
            rows.append([(_("Zelfde tijd ({times})").format(times=same), _btn(draft, "same"))])
        return _("Van hoe laat tot hoe laat? Typ bijvoorbeeld 10:00-12:00"), [*rows, quit_row]
    if state == "field":
        rows = [[(_(label), _btn(draft, f"f{code}"))] for code, label in FIELDS.items()]
        return _("Wat wil je wijzigen?"), [*rows, quit_row]
    if state == "date":
        return await _date_prompt(context, draft, quit_row)
    if state == "import":
        return (
            _(
                "Stuur het CSV-bestand als bijlage. De eerste regel is:\n"
                "<code>gemeente,plek,adres,weekdag,begin,einde</code>\n"
                "Extra kolommen mogen: geldig_vanaf, geldig_tot, open_op_feestdagen, opmerking."
            ),
            [quit_row],
        )
    if state == "confirm":
        return await _confirm_prompt(context, draft, quit_row)
    return _("Typ /inloopbeheer om opnieuw te beginnen."), []


async def _date_prompt(
    context: BotContext, draft: ConversationDraft, quit_row: list[Button]
) -> tuple[str, list[list[Button]]]:
    t = context.t
    _ = t._
    data = draft.data
    action = data["action"]
    if action == "stop":
        rows = [[(_("Nu stoppen"), _btn(draft, "now"))], quit_row]
        return (
            _(
                "Wanneer is de laatste keer? Kies 'Nu stoppen' of typ de laatste datum, "
                "bijvoorbeeld 30-6."
            ),
            rows,
        )
    if action == "skip":
        rule = await _rule_of(context, data["session_id"])
        today = context.services.today()
        dates = upcoming_dates(rule, today, count=6, horizon_days=120) if rule else []
        rows = [[(_cap(long_date(t, d, today)), _btn(draft, f"x{d:%Y%m%d}"))] for d in dates]
        return (
            _("Welke datum gaat niet door? Kies hieronder of typ een datum, bijvoorbeeld 24-12."),
            [*rows, quit_row],
        )
    return _("Op welke datum? Typ bijvoorbeeld 24-12 of volgende vrijdag."), [quit_row]


async def _coming(
    context: BotContext, data: dict[str, Any]
) -> list[tuple[WalkInException, WalkInSession | None]]:
    """The draft's municipality's cancelled or extra dates (by its undo action) from today on,
    each with its session (if any)."""
    async with context.unit() as s:
        sessions = await repo.sessions_in(s, data["muni_id"], include_inactive=True)
        exceptions = await repo.exceptions_from(s, data["muni_id"], context.services.today())
    by_id = {row.id: row for row, _n in sessions}
    kind = UNDO_KIND[data["action"]]
    return [
        (exc, by_id.get(exc.session_id) if exc.session_id else None)
        for exc in exceptions
        if exc.kind == kind
    ]


def exception_line(t: Translator, exc: WalkInException, base: WalkInSession | None) -> str:
    """'di 10 mrt: Buurthuis De Kolk gaat niet door' or 'za 7 mrt: extra 10:00 – 12:00, …'."""
    _ = t._
    place = exc.place or (base.place if base else "")
    when = t.fmt_short_date(exc.on_date)
    if exc.kind == "cancelled":
        return _("{date}: {place} gaat niet door").format(date=when, place=esc(place))
    start = exc.start_time or (base.start_time if base else None)
    end = exc.end_time or (base.end_time if base else None)
    return _("{date}: extra {start} – {end}, {place}").format(
        date=when,
        start=hhmm(start) if start else "",
        end=hhmm(end) if end else "",
        place=esc(place),
    )


def exception_label(t: Translator, exc: WalkInException, base: WalkInSession | None) -> str:
    """'di 10 mrt 10:00–12:00 · Buurthuis De Kolk' for a button (short, plain text)."""
    place = exc.place or (base.place if base else "")
    start = exc.start_time or (base.start_time if base else None)
    end = exc.end_time or (base.end_time if base else None)
    times = f" {hhmm(start)}–{hhmm(end)}" if start and end else ""
    label = f"{t.fmt_short_date(exc.on_date)}{times} · {place}"
    return label if len(label) <= 48 else label[:47] + "…"


async def _exc_prompt(
    context: BotContext, draft: ConversationDraft, quit_row: list[Button]
) -> tuple[str, list[list[Button]]]:
    t = context.t
    _ = t._
    data = draft.data
    coming = await _coming(context, data)
    page = int(data.get("page", 0))
    chunk = coming[page * SESSIONS_PER_PAGE : (page + 1) * SESSIONS_PER_PAGE]
    rows = [[(exception_label(t, exc, base), _btn(draft, f"e{exc.id}"))] for exc, base in chunk]
    if len(coming) > (page + 1) * SESSIONS_PER_PAGE:
        rows.append([(_("Meer …"), _btn(draft, "more"))])
    muni = esc(data["muni_name"])
    if data["action"] == "unskip":
        text = (
            _("Welke afzegging wil je terugdraaien?")
            if coming
            else _("In {muni} is vanaf vandaag geen datum afgezegd.").format(muni=muni)
        )
    else:
        text = (
            _("Welke extra datum wil je weghalen?")
            if coming
            else _("In {muni} staat vanaf vandaag geen extra datum.").format(muni=muni)
        )
    return text, [*rows, quit_row]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def long_date(t: Translator, d: date, today: date) -> str:
    """'dinsdag 10 maart', with the year when it is not this year ('maandag 1 maart 2027')."""
    return t.fmt_date(d) if d.year == today.year else t.fmt_date(d, "EEEE d MMMM y")


async def _rule_of(context: BotContext, session_id: int) -> SessionRule | None:
    async with context.unit() as s:
        row = await repo.get_session(s, session_id)
    if row is None:
        return None
    return repo.session_rule(row, "")


def _yes_no(t: Translator, value: bool) -> str:
    return t._("ja") if value else t._("nee")


async def _confirm_prompt(
    context: BotContext, draft: ConversationDraft, quit_row: list[Button]
) -> tuple[str, list[list[Button]]]:
    t = context.t
    _ = t._
    data = draft.data
    action = data["action"]
    today = context.services.today()
    save = [(_("Opslaan"), _btn(draft, "save"))]
    if action == "new":
        lines = [
            "<b>" + _("Nieuw") + "</b>",
            _("Gemeente: {v}").format(v=esc(data["muni_name"])),
            _("Plek: {v}").format(v=esc(data["place"])),
            _("Adres: {v}").format(v=esc(data["address"])),
            _("Dag: elke {v}").format(v=weekday_name(t, data["weekday"])),
            _("Tijd: {start} – {end}").format(start=data["start"], end=data["end"]),
            _("Soort: {v}").format(v=_(data.get("kind", "inloop"))),
            _("Open op feestdagen: {v}").format(v=_yes_no(t, bool(data.get("hol")))),
            "",
            _("Klopt dit?"),
        ]
        other_kind = "spreekuur" if data.get("kind", "inloop") == "inloop" else "inloop"
        toggles = [
            [(_("Maak er een {kind} van").format(kind=_(other_kind)), _btn(draft, "kind"))],
            [
                (
                    _("Wel open op feestdagen")
                    if not data.get("hol")
                    else _("Niet open op feestdagen"),
                    _btn(draft, "hol"),
                )
            ],
        ]
        return "\n".join(lines), [save, *toggles, quit_row]
    if action == "imp":
        return data["preview"], [[(_("Inlezen"), _btn(draft, "save"))], quit_row]
    if action in UNDO_KIND:
        found = next((c for c in await _coming(context, data) if c[0].id == data["exc_id"]), None)
        if found is None:
            return _("Deze datum was al weggehaald. Typ /inloopbeheer om verder te gaan."), []
        exc, base = found
        effect = (
            _("Inwoners zien dan weer dat deze inloop op {date} doorgaat.").format(
                date=long_date(t, exc.on_date, today)
            )
            if action == "unskip"
            else _("Inwoners zien deze extra datum dan niet meer.")
        )
        lines = [
            "<b>" + esc(_(ACTIONS[action])) + "</b>",
            exception_line(t, exc, base),
            effect,
            "",
            _("Klopt dit?"),
        ]
        return "\n".join(lines), [save, quit_row]
    async with context.unit() as s:
        row = await repo.get_session(s, data["session_id"]) if data.get("session_id") else None
    if action == "edit" and row is not None:
        field = data["field"]
        before, after = _field_values(t, row, data)
        lines = [
            "<b>" + _("Wijzigen") + "</b>",
            session_text(t, row),
            f"{esc(_(FIELDS[field]))}: {before} → <b>{after}</b>",
            "",
            _("Klopt dit?"),
        ]
        return "\n".join(lines), [save, quit_row]
    if action == "stop" and row is not None:
        when = (
            _("Vanaf nu staat deze inloop niet meer in de lijst.")
            if not data.get("date")
            else _("De laatste keer is op {date}.").format(
                date=long_date(t, date.fromisoformat(data["date"]), today)
            )
        )
        lines = ["<b>" + _("Stoppen") + "</b>", session_text(t, row), when, "", _("Klopt dit?")]
        return "\n".join(lines), [save, quit_row]
    if action == "skip" and row is not None:
        lines = [
            "<b>" + _("Afzeggen") + "</b>",
            session_text(t, row),
            _("Gaat niet door op {date}.").format(
                date=long_date(t, date.fromisoformat(data["date"]), today)
            ),
            "",
            _("Klopt dit?"),
        ]
        return "\n".join(lines), [save, quit_row]
    if action == "extra":
        lines = [
            "<b>" + _("Extra datum") + "</b>",
            _("Gemeente: {v}").format(v=esc(data["muni_name"])),
            _("Datum: {v}").format(v=long_date(t, date.fromisoformat(data["date"]), today)),
            _("Tijd: {start} – {end}").format(start=data["start"], end=data["end"]),
            _("Plek: {v}").format(v=esc(data["place"])),
            _("Adres: {v}").format(v=esc(data["address"])),
            "",
            _("Klopt dit?"),
        ]
        return "\n".join(lines), [save, quit_row]
    return _("Deze inloop bestaat niet meer. Typ /inloopbeheer om opnieuw te beginnen."), []


def _field_values(t: Translator, row: WalkInSession, data: dict[str, Any]) -> tuple[str, str]:
    field = data["field"]
    if field == "place":
        return esc(row.place), esc(data["place"])
    if field == "address":
        return esc(row.address), esc(data["address"])
    if field == "weekday":
        return weekday_name(t, row.weekday), weekday_name(t, data["weekday"])
    return (
        f"{hhmm(row.start_time)} – {hhmm(row.end_time)}",
        f"{data['start']} – {data['end']}",
    )


# --------------------------------------------------------------------------- plumbing


async def _show(
    update: Update, context: BotContext, draft: ConversationDraft, *, edit: bool, note: str = ""
) -> None:
    text, buttons = await prompt(context, draft)
    if note:
        text = f"{note}\n\n{text}"
    if edit:
        await edit_or_send(update, context, text, buttons=buttons)
    else:
        await reply(update, context, text, buttons=buttons)


async def _step(
    update: Update,
    context: BotContext,
    draft: ConversationDraft,
    changes: dict[str, Any],
    *,
    state: str | None = None,
    edit: bool,
) -> None:
    """Record one step (new data, next state) and show the next prompt. Committed first."""
    services = context.services
    data = {**draft.data, **changes}
    async with context.unit() as s:
        fresh = await drafts.get_by_id(s, draft.id)  # type: ignore[arg-type]
        if fresh is None:
            await reply(update, context, _gone(context.t))
            return
        await drafts.save(
            s,
            fresh,
            services.now(),
            draft_ttl(context),
            state=state or next_state(data, fresh.state),
            data=data,
        )
    await _show(update, context, fresh, edit=edit)


def _gone(t: Translator) -> str:
    return t._(
        "Deze knop hoort bij een eerdere stap. Er is niets dubbel opgeslagen. "
        "Typ /inloopbeheer om verder te gaan."
    )


async def cmd_manage(update: Update, context: BotContext) -> None:
    user = context.app_user
    assert user is not None  # the gatekeeper only lets coordinators in
    services = context.services
    async with context.unit() as s:
        draft = await drafts.start(
            s,
            user.id,
            FLOW,
            "menu",
            {},
            services.now(),
            draft_ttl(context),  # type: ignore[arg-type]
        )
        # SQLite may give the new draft the id of one just deleted; a random first revision
        # keeps a button of the old dialogue from passing for one of this one.
        draft.revision = int(draft.submission_key[:6], 16) + 1
        s.add(draft)
    await _show(update, context, draft, edit=False)


async def on_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    user = context.app_user
    parts = (query.data or "").split(":", 3)
    draft: ConversationDraft | None = None
    if len(parts) == 4 and parts[1].isdigit() and parts[2].isdigit() and user is not None:
        async with context.unit() as s:
            draft = await drafts.get_by_id(s, int(parts[1]))
        if draft is not None and (
            draft.user_id != user.id
            or draft.flow != FLOW
            or draft.revision != int(parts[2])
            or drafts.is_expired(draft, context.services.now())
        ):
            draft = None
    if draft is None:
        await answer(context, query, _gone(context.t), alert=True)
        return
    await answer(context, query)
    await _on_action(update, context, draft, parts[3])


async def _on_action(
    update: Update, context: BotContext, draft: ConversationDraft, action: str
) -> None:
    t = context.t
    _ = t._
    data = draft.data
    state = draft.state
    if action == "quit":
        async with context.unit() as s:
            fresh = await drafts.get_by_id(s, draft.id)  # type: ignore[arg-type]
            if fresh is not None:
                await drafts.discard(s, fresh)
        await edit_or_send(update, context, _("Gestopt. Er is niets veranderd."))
        return
    if state == "menu" and action in ACTIONS:
        await _step(update, context, draft, {"action": action}, edit=True)
        return
    if state == "muni" and action.startswith("m") and action[1:].isdigit():
        await _choose_muni(update, context, draft, int(action[1:]), edit=True)
        return
    if state == "session":
        if action == "more":
            await _step(
                update,
                context,
                draft,
                {"page": int(data.get("page", 0)) + 1},
                state="session",
                edit=True,
            )
            return
        if action == "other" and data.get("action") == "extra":
            await _step(update, context, draft, {"other": True, "session_id": None}, edit=True)
            return
        if action.startswith("s") and action[1:].isdigit():
            await _choose_session(update, context, draft, int(action[1:]))
            return
    if state == "exc" and data.get("action") in UNDO_KIND:
        if action == "more":
            page = int(data.get("page", 0)) + 1
            await _step(update, context, draft, {"page": page}, state="exc", edit=True)
            return
        if action.startswith("e") and action[1:].isdigit():
            exc_id = int(action[1:])
            chosen = [exc for exc, _base in await _coming(context, data) if exc.id == exc_id]
            if chosen:
                picked = {"exc_id": exc_id, "exc_date": chosen[0].on_date.isoformat()}
                await _step(update, context, draft, picked, edit=True)
                return
    if state == "place" and action.startswith("p") and action[1:].isdigit():
        known = data.get("known", []) if data.get("action") in ("new", "extra") else []
        i = int(action[1:])
        if i < len(known):
            place, address = known[i]
            # The address comes with a known place: skip that question.
            after_address = next_state(data, "address")
            await _step(
                update,
                context,
                draft,
                {"place": place, "address": address},
                state=after_address,
                edit=True,
            )
            return
    if state == "weekday" and action.startswith("w") and action[1:].isdigit():
        await _step(update, context, draft, {"weekday": int(action[1:])}, edit=True)
        return
    if state == "field" and action[1:] in FIELDS:
        await _step(update, context, draft, {"field": action[1:]}, state=action[1:], edit=True)
        return
    if state == "times" and action == "same" and data.get("start"):
        await _step(update, context, draft, {}, edit=True)
        return
    if state == "date" and action == "now" and data.get("action") == "stop":
        await _step(update, context, draft, {"date": None}, edit=True)
        return
    if state == "date" and action.startswith("x") and len(action) == 9:
        await _step(
            update,
            context,
            draft,
            {"date": f"{action[1:5]}-{action[5:7]}-{action[7:9]}"},
            edit=True,
        )
        return
    if state == "confirm" and action == "kind":
        kind = "spreekuur" if data.get("kind", "inloop") == "inloop" else "inloop"
        await _step(update, context, draft, {"kind": kind}, state="confirm", edit=True)
        return
    if state == "confirm" and action == "hol":
        await _step(
            update, context, draft, {"hol": not data.get("hol")}, state="confirm", edit=True
        )
        return
    if state == "confirm" and action == "save":
        await _save(update, context, draft)
        return
    await _show(update, context, draft, edit=True, note=_("Kies een van de knoppen."))


async def _choose_muni(
    update: Update, context: BotContext, draft: ConversationDraft, muni_id: int, *, edit: bool
) -> None:
    async with context.unit() as s:
        muni = await repo.municipality_by_id(s, muni_id)
        sessions = await repo.sessions_in(s, muni_id, include_inactive=True) if muni else []
    if muni is None:
        await _show(update, context, draft, edit=edit, note=context.t._("Kies een gemeente."))
        return
    if draft.data.get("action") == "list":
        await _overview(update, context, draft, muni_id, muni.name, edit=edit)
        return
    known: list[list[str]] = []
    for row, _name in sessions:
        if [row.place, row.address] not in known and len(known) < KNOWN_PLACES:
            known.append([row.place, row.address])
    await _step(
        update,
        context,
        draft,
        {"muni_id": muni_id, "muni_name": muni.name, "known": known, "page": 0},
        edit=edit,
    )


async def _choose_session(
    update: Update, context: BotContext, draft: ConversationDraft, session_id: int
) -> None:
    async with context.unit() as s:
        row = await repo.get_session(s, session_id)
    if row is None or not row.active or row.municipality_id != draft.data.get("muni_id"):
        await _show(update, context, draft, edit=True, note=context.t._("Kies een inloop."))
        return
    # Start from the session's own values: an edit changes one field, an extra copies them.
    await _step(
        update,
        context,
        draft,
        {
            "session_id": row.id,
            "place": row.place,
            "address": row.address,
            "weekday": row.weekday,
            "start": hhmm(row.start_time),
            "end": hhmm(row.end_time),
            "other": False,
        },
        edit=True,
    )


async def _overview(
    update: Update,
    context: BotContext,
    draft: ConversationDraft,
    muni_id: int,
    muni_name: str,
    *,
    edit: bool,
) -> None:
    t = context.t
    _ = t._
    services = context.services
    today = services.today()
    async with context.unit() as s:
        sessions = await repo.sessions_in(s, muni_id, include_inactive=True)
        exceptions = await repo.exceptions_from(s, muni_id, today)
        by_id = {row.id: row for row, _n in sessions}
        fresh = await drafts.get_by_id(s, draft.id)  # type: ignore[arg-type]
        if fresh is not None:
            await drafts.discard(s, fresh)  # an overview changes nothing: the dialogue ends
    lines = ["<b>" + _("Inloop en spreekuur in {muni}").format(muni=esc(muni_name)) + "</b>"]
    active = [row for row, _n in sessions if row.active and not _ended(row, today)]
    stopped = [row for row, _n in sessions if not row.active or _ended(row, today)]
    if not active:
        lines += ["", _("Er staat nu niets gepland.")]
    for row in active:
        line = session_text(t, row) + "\n" + esc(row.address)
        if row.kind == "spreekuur":
            line += " · " + _("spreekuur")
        if row.valid_until:
            line += " · " + _("tot en met {date}").format(date=t.fmt_short_date(row.valid_until))
        if row.open_on_holidays:
            line += " · " + _("ook op feestdagen")
        lines += ["", line]
    if exceptions:
        lines += ["", "<b>" + _("Afwijkende datums") + "</b>"]
        for exc in exceptions:
            base = by_id.get(exc.session_id) if exc.session_id else None
            lines.append(exception_line(t, exc, base))
    if stopped:
        lines += ["", _("Gestopt, niet meer zichtbaar: {n}").format(n=len(stopped))]
    lines += ["", _("Iets wijzigen? Typ /inloopbeheer.")]
    # A long overview goes out in several messages, cut between lines (never inside a tag or
    # an entity, which Telegram would refuse).
    for i, chunk in enumerate(split_html("\n".join(lines))):
        if edit and i == 0:
            await edit_or_send(update, context, chunk)
        else:
            await reply(update, context, chunk)


def _ended(row: WalkInSession, today: date) -> bool:
    return row.valid_until is not None and row.valid_until < today


# --------------------------------------------------------------------------- typed text


async def on_draft_text(update: Update, context: BotContext, draft: ConversationDraft) -> None:
    msg = update.message
    assert msg is not None
    t = context.t
    _ = t._
    if role_of(context) != COORDINATOR:
        async with context.unit() as s:
            fresh = await drafts.get_by_id(s, draft.id)  # type: ignore[arg-type]
            if fresh is not None:
                await drafts.discard(s, fresh)
        await reply(update, context, _("Dit kan alleen de coördinator."))
        return
    text = (msg.text or "").strip()
    state = draft.state
    today = context.services.today()
    if state == "muni":
        name = resolve_municipality(text)
        async with context.unit() as s:
            muni = await repo.municipality_by_name(s, name) if name else None
        if muni is None:
            note = _("Die gemeente ken ik niet. Kies een van de 14 gemeenten.")
            await _show(update, context, draft, edit=False, note=note)
            return
        await _choose_muni(update, context, draft, muni.id, edit=False)  # type: ignore[arg-type]
        return
    if state in ("place", "address") and looks_personal(text, today):
        note = _(
            "Inwoners zien deze tekst. Er lijkt iets persoonlijks in te staan, zoals een naam, "
            "telefoonnummer of e-mailadres. Typ alleen de naam en het adres van de openbare plek."
        )
        await _show(update, context, draft, edit=False, note=note)
        return
    if state == "place":
        if not 2 <= len(text) <= 120:
            note = _("Typ een naam van 2 tot 120 tekens, bijvoorbeeld: Buurthuis De Kolk")
            await _show(update, context, draft, edit=False, note=note)
            return
        await _step(update, context, draft, {"place": text}, edit=False)
        return
    if state == "address":
        if not 3 <= len(text) <= 200:
            note = _("Typ een adres van 3 tot 200 tekens, bijvoorbeeld: Kerkstraat 12, Blerick")
            await _show(update, context, draft, edit=False, note=note)
            return
        await _step(update, context, draft, {"address": text}, edit=False)
        return
    if state == "weekday":
        weekday = parse_weekday(text)
        if weekday is None:
            note = _("Kies een dag met de knoppen, of typ bijvoorbeeld dinsdag.")
            await _show(update, context, draft, edit=False, note=note)
            return
        await _step(update, context, draft, {"weekday": weekday}, edit=False)
        return
    if state == "times":
        span = parse_time_range(text)
        if span is None:
            note = _(
                "Dat begrijp ik niet. Typ begin en einde met een streepje, "
                "bijvoorbeeld 10:00-12:00. Het einde moet na het begin liggen."
            )
            await _show(update, context, draft, edit=False, note=note)
            return
        await _step(
            update, context, draft, {"start": hhmm(span[0]), "end": hhmm(span[1])}, edit=False
        )
        return
    if state == "date":
        await _typed_date(update, context, draft, text, today)
        return
    if state == "import":
        await _show(
            update,
            context,
            draft,
            edit=False,
            note=_("Stuur het bestand als bijlage (een .csv-bestand), niet als tekst."),
        )
        return
    # A step with buttons only.
    await _show(update, context, draft, edit=False, note=_("Kies een van de knoppen hieronder."))


async def _typed_date(
    update: Update, context: BotContext, draft: ConversationDraft, text: str, today: date
) -> None:
    t = context.t
    _ = t._
    data = draft.data
    d = parse_day(text, today)
    if d is None:
        note = _("Dat is geen datum die ik ken. Typ bijvoorbeeld 24-12, 24 december of morgen.")
        await _show(update, context, draft, edit=False, note=note)
        return
    if d < today:
        note = _("Die datum is al geweest. Typ een datum vanaf vandaag.")
        await _show(update, context, draft, edit=False, note=note)
        return
    if data["action"] == "skip":
        rule = await _rule_of(context, data["session_id"])
        if rule is None or d.weekday() != rule.weekday or not rule.valid_on(d):
            note = _("Op {date} is deze inloop er niet. Kies een datum hieronder.").format(
                date=long_date(t, d, today)
            )
            await _show(update, context, draft, edit=False, note=note)
            return
    await _step(update, context, draft, {"date": d.isoformat()}, edit=False)


# --------------------------------------------------------------------------- CSV upload


async def on_document(update: Update, context: BotContext) -> None:
    msg = update.message
    assert msg is not None and msg.document is not None
    t = context.t
    _ = t._
    user = context.app_user
    if role_of(context) != COORDINATOR or user is None:
        await reply(update, context, _("Met een bestand kan ik hier niets. Typ /help."))
        return
    async with context.unit() as s:
        draft = await drafts.get(s, user.id, FLOW)  # type: ignore[arg-type]
    if draft is None or draft.state != "import":
        await reply(
            update,
            context,
            _("Wil je een CSV-bestand inlezen? Typ /inloopbeheer en kies 'CSV-bestand inlezen'."),
        )
        return
    doc = msg.document
    if doc.file_size and doc.file_size > MAX_CSV_BYTES:
        note = _("Dit bestand is te groot. Een CSV-bestand met inlooptijden is veel kleiner.")
        await _show(update, context, draft, edit=False, note=note)
        return
    file = await context.bot.get_file(doc.file_id)
    raw = bytes(await file.download_as_bytearray())
    text = decode_csv(raw)
    result = check_csv(text, context.services.today())
    if result.errors:
        lines = [_("Er is niets ingelezen. Dit klopt nog niet:")]
        lines += [csv_error_line(t, e) for e in result.errors[:MAX_ERRORS_SHOWN]]
        if len(result.errors) > MAX_ERRORS_SHOWN:
            lines.append(_("… en nog {n} fouten.").format(n=len(result.errors) - MAX_ERRORS_SHOWN))
        lines += ["", _("Verbeter het bestand en stuur het opnieuw.")]
        await reply(update, context, "\n".join(lines))
        return
    munis = sorted({r.municipality for r in result.rows})
    preview = "\n".join(
        [
            "<b>" + _("CSV-bestand inlezen") + "</b>",
            t.ngettext(
                "In het bestand staat {n} inloopmoment ({names}).",
                "In het bestand staan {n} inloopmomenten ({names}).",
                len(result.rows),
            ).format(n=len(result.rows), names=esc(", ".join(munis))),
            _("Wat er al in staat, wordt bijgewerkt. Er komt niets dubbel in."),
            "",
            _("Inlezen?"),
        ]
    )
    await _step(update, context, draft, {"csv": text, "preview": preview}, edit=False)


# --------------------------------------------------------------------------- saving


async def _save(update: Update, context: BotContext, draft: ConversationDraft) -> None:
    t = context.t
    _ = t._
    services = context.services
    now = services.now()
    user = context.app_user
    actor = user.id if user else None
    data = draft.data
    action = data.get("action")
    done = ""
    async with context.unit() as s:
        fresh = await drafts.get_by_id(s, draft.id)  # type: ignore[arg-type]
        if fresh is None or fresh.revision != draft.revision:
            done = _gone(t)
        elif action == "new":
            done = await _save_new(s, t, data, now, actor)
        elif action == "edit":
            changes: dict[str, Any] = {}
            field = data["field"]
            if field in ("place", "address"):
                changes[field] = data[field]
            elif field == "weekday":
                changes["weekday"] = data["weekday"]
            else:
                changes["start_time"] = from_hhmm(data["start"])
                changes["end_time"] = from_hhmm(data["end"])
            try:
                changed = await repo.update_session(
                    s, data["session_id"], changes, now, actor_id=actor
                )
                done = _("Gewijzigd.") if changed else _("Er was niets te wijzigen.")
            except repo.SessionClash as clash:  # checked before anything changed
                done = _clash_text(t, clash.other)
        elif action == "stop":
            last = date.fromisoformat(data["date"]) if data.get("date") else None
            stopped = await repo.stop_session(
                s, data["session_id"], now, last_date=last, actor_id=actor
            )
            done = (
                _("Gestopt. Inwoners zien deze inloop niet meer.")
                if stopped and not last
                else (
                    _("Opgeslagen. Na {date} staat deze inloop niet meer in de lijst.").format(
                        date=long_date(t, last, services.today())
                    )
                    if stopped and last
                    else _("Deze inloop was al gestopt.")
                )
            )
        elif action == "skip":
            on = date.fromisoformat(data["date"])
            added = await repo.cancel_date(s, data["session_id"], on, now, actor_id=actor)
            done = (
                _("Opgeslagen. Inwoners zien dat het op {date} niet doorgaat.").format(
                    date=long_date(t, on, services.today())
                )
                if added
                else _("Die datum was al afgezegd.")
            )
        elif action == "extra":
            on = date.fromisoformat(data["date"])
            extra = await repo.add_extra_date(
                s,
                municipality_id=data["muni_id"],
                on_date=on,
                start=from_hhmm(data["start"]),
                end=from_hhmm(data["end"]),
                place=data["place"],
                address=data["address"],
                session_id=data.get("session_id"),
                now=now,
                actor_id=actor,
            )
            done = (
                _("Opgeslagen. De extra datum staat nu bij /inloop.")
                if extra is not None
                else _("Deze extra datum stond er al.")
            )
        elif action in UNDO_KIND:
            removed = await repo.remove_exception(
                s, data["exc_id"], now, kind=UNDO_KIND[action], actor_id=actor
            )
            if not removed:
                done = _("Deze datum was al weggehaald.")
            elif action == "unskip":
                done = _("Teruggedraaid. Inwoners zien dat deze inloop op {date} doorgaat.").format(
                    date=long_date(t, date.fromisoformat(data["exc_date"]), services.today())
                )
            else:
                done = _("Weggehaald. Inwoners zien deze extra datum niet meer.")
        elif action == "imp":
            result = check_csv(data["csv"], services.today())
            if result.errors:  # cannot happen: checked on upload; never import half a file
                done = _("Er is niets ingelezen. Stuur het bestand opnieuw.")
            else:
                summary = await repo.import_rows(s, result.rows, now, actor_id=actor)
                done = _("Ingelezen: {added} nieuw, {updated} gewijzigd, {same} al goed.").format(
                    added=summary.added, updated=summary.updated, same=summary.unchanged
                )
        if fresh is not None and fresh.revision == draft.revision:
            await drafts.discard(s, fresh)
    await edit_or_send(update, context, done)


def _clash_text(t: Translator, other: WalkInSession) -> str:
    """The change would make a twin of `other`: say which one is there already."""
    return t._("Deze inloop stond er al. Er is niets veranderd.") + "\n" + session_text(t, other)


async def _save_new(
    s: Any, t: Translator, data: dict[str, Any], now: Any, actor: int | None
) -> str:
    _ = t._
    # A live twin stays as it is; a stopped one with the same place, day and times comes back
    # (with these details) instead of a second row beside it.
    _row, outcome = await repo.add_or_restore_session(
        s,
        municipality_id=data["muni_id"],
        place=data["place"],
        address=data["address"],
        weekday=data["weekday"],
        start=from_hhmm(data["start"]),
        end=from_hhmm(data["end"]),
        kind=data.get("kind", "inloop"),
        open_on_holidays=bool(data.get("hol")),
        now=now,
        actor_id=actor,
    )
    if outcome == "exists":
        return _("Deze inloop stond er al. Er is niets veranderd.")
    return _("Opgeslagen. Inwoners zien deze inloop nu bij /inloop.")


CSV_FILTER = (
    filters.Document.FileExtension("csv")
    | filters.Document.MimeType("text/csv")
    | filters.Document.MimeType("text/comma-separated-values")
)


def register(application: Application, router: TextRouter) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("inloopbeheer", cmd_manage))
    application.add_handler(CallbackQueryHandler(on_button, pattern=rf"^{PREFIX}:"))
    application.add_handler(MessageHandler(filters.UpdateType.MESSAGE & CSV_FILTER, on_document))
    router.flow(FLOW, on_draft_text)


__all__ = [
    "CSV_ERRORS",
    "check_csv",
    "csv_error_line",
    "decode_csv",
    "looks_personal",
    "parse_day",
    "parse_time_range",
    "register",
    "steps",
]
