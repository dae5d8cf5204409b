"""Saving the confirmed change, one function per action; each returns what to tell the
coordinator. Runs in the update's unit of work, with the draft's removal."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from bot.dialogue import Turn
from bot.domain.walkin_input import check_csv, from_hhmm
from bot.handlers.walkin_admin.texts import clash_text, long_date
from bot.handlers.walkin_admin.view import UNDO_KIND, AdminView
from bot.storage import walkin as repo


def _actor(turn: Turn[AdminView]) -> int | None:
    user = turn.context.app_user
    return user.id if user else None


async def _new(turn: Turn[AdminView], data: dict[str, Any]) -> str:
    _ = turn.t._
    # A live twin stays as it is; a stopped one with the same place, day and times comes back
    # (with these details) instead of a second row beside it.
    _row, outcome = await repo.add_or_restore_session(
        turn.s,
        municipality_id=data["muni_id"],
        place=data["place"],
        address=data["address"],
        weekday=data["weekday"],
        start=from_hhmm(data["start"]),
        end=from_hhmm(data["end"]),
        kind=data.get("kind", "inloop"),
        open_on_holidays=bool(data.get("hol")),
        now=turn.now(),
        actor_id=_actor(turn),
    )
    if outcome == "exists":
        return _("Deze inloop stond er al. Er is niets veranderd.")
    return _("Opgeslagen. Inwoners zien deze inloop nu bij /inloop.")


def _changes(data: dict[str, Any]) -> dict[str, Any]:
    """The one field an edit changes, as session columns."""
    field = data["field"]
    if field in ("place", "address", "weekday"):
        return {field: data[field]}
    return {"start_time": from_hhmm(data["start"]), "end_time": from_hhmm(data["end"])}


async def _edit(turn: Turn[AdminView], data: dict[str, Any]) -> str:
    _ = turn.t._
    try:
        changed = await repo.update_session(
            turn.s, data["session_id"], _changes(data), turn.now(), actor_id=_actor(turn)
        )
    except repo.SessionClash as clash:  # checked before anything changed
        return clash_text(turn.t, clash.other)
    return _("Gewijzigd.") if changed else _("Er was niets te wijzigen.")


async def _stop(turn: Turn[AdminView], data: dict[str, Any]) -> str:
    _ = turn.t._
    last = date.fromisoformat(data["date"]) if data.get("date") else None
    stopped = await repo.stop_session(
        turn.s, data["session_id"], turn.now(), last_date=last, actor_id=_actor(turn)
    )
    if not stopped:
        return _("Deze inloop was al gestopt.")
    if last is None:
        return _("Gestopt. Inwoners zien deze inloop niet meer.")
    return _("Opgeslagen. Na {date} staat deze inloop niet meer in de lijst.").format(
        date=long_date(turn.t, last, turn.today())
    )


async def _skip(turn: Turn[AdminView], data: dict[str, Any]) -> str:
    _ = turn.t._
    on = date.fromisoformat(data["date"])
    added = await repo.cancel_date(
        turn.s, data["session_id"], on, turn.now(), actor_id=_actor(turn)
    )
    if not added:
        return _("Die datum was al afgezegd.")
    return _("Opgeslagen. Inwoners zien dat het op {date} niet doorgaat.").format(
        date=long_date(turn.t, on, turn.today())
    )


async def _extra(turn: Turn[AdminView], data: dict[str, Any]) -> str:
    _ = turn.t._
    extra = await repo.add_extra_date(
        turn.s,
        municipality_id=data["muni_id"],
        on_date=date.fromisoformat(data["date"]),
        start=from_hhmm(data["start"]),
        end=from_hhmm(data["end"]),
        place=data["place"],
        address=data["address"],
        session_id=data.get("session_id"),
        now=turn.now(),
        actor_id=_actor(turn),
    )
    if extra is None:
        return _("Deze extra datum stond er al.")
    return _("Opgeslagen. De extra datum staat nu bij /inloop.")


async def _undo(turn: Turn[AdminView], data: dict[str, Any]) -> str:
    _ = turn.t._
    action = data["action"]
    removed = await repo.remove_exception(
        turn.s, data["exc_id"], turn.now(), kind=UNDO_KIND[action], actor_id=_actor(turn)
    )
    if not removed:
        return _("Deze datum was al weggehaald.")
    if action == "unskip":
        return _("Teruggedraaid. Inwoners zien dat deze inloop op {date} doorgaat.").format(
            date=long_date(turn.t, date.fromisoformat(data["exc_date"]), turn.today())
        )
    return _("Weggehaald. Inwoners zien deze extra datum niet meer.")


async def _import(turn: Turn[AdminView], data: dict[str, Any]) -> str:
    _ = turn.t._
    result = check_csv(data["csv"], turn.today())
    if result.errors:  # cannot happen: checked on upload; never import half a file
        return _("Er is niets ingelezen. Stuur het bestand opnieuw.")
    summary = await repo.import_rows(turn.s, result.rows, turn.now(), actor_id=_actor(turn))
    return _("Ingelezen: {added} nieuw, {updated} gewijzigd, {same} al goed.").format(
        added=summary.added, updated=summary.updated, same=summary.unchanged
    )


SAVERS: dict[str, Callable[[Turn[AdminView], dict[str, Any]], Awaitable[str]]] = {
    "new": _new,
    "edit": _edit,
    "stop": _stop,
    "skip": _skip,
    "extra": _extra,
    "unskip": _undo,
    "unextra": _undo,
    "imp": _import,
}


async def save(turn: Turn[AdminView]) -> str:
    """Save the draft's change; the caller ends the dialogue with the returned text."""
    data = turn.data
    saver = SAVERS.get(data.get("action") or "")
    return await saver(turn, data) if saver is not None else ""
