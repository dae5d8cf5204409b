"""Writing weekly walk-in sessions: add, edit, stop, and the CSV import, all by natural key.

Public names are re-exported by `bot.storage.walkin`, which callers import. Writes by
coordinators leave an `AuditLog` row (who changed what). Stopping a session is soft
(`active = False` or a `valid_until`): nothing is deleted.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, NotRequired, TypedDict, Unpack, cast

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.walkin import TZ, WeeklySession
from bot.domain.walkin_csv import SessionRow
from bot.storage import audit
from bot.storage.models import Municipality, WalkInSession, id_of

SESSION = "walkin_session"

# The fields of a weekly session (bot.domain.walkin.WeeklySession, without the municipality's
# name) and the `walkin_session` columns that hold them.
COLUMN_OF: dict[str, str] = {
    f.name: {"start": "start_time", "end": "end_time"}.get(f.name, f.name)
    for f in dataclasses.fields(WeeklySession)
    if f.name != "municipality"
}


class NewSession(TypedDict):
    """A weekly session as a coordinator types it ("Nieuw"): no start or last date, no note."""

    municipality_id: int
    place: str
    address: str
    weekday: int
    start: time
    end: time
    kind: NotRequired[str]
    open_on_holidays: NotRequired[bool]


class SessionDetails(NewSession, total=False):
    """Everything a session row holds (the CSV import fills it all in)."""

    valid_from: date | None
    valid_until: date | None
    note: str | None


def _columns(details: Mapping[str, Any]) -> dict[str, Any]:
    """Session details (as `SessionDetails` names them) under their column names."""
    return {COLUMN_OF.get(name, name): value for name, value in details.items()}


def check_times(start: time, end: time) -> None:
    if start >= end:
        raise ValueError("start must be before end")


# ----------------------------------------------------------------- natural key (one place)
#
# The unique constraint `uq_walkin_natural` holds a nullable `valid_from` and a case-sensitive
# place, so the database lets "the same session" in twice. Every write that could make a twin
# asks `same_sessions` (or, in bulk, `natural_key` with `PREFERRED_FIRST`) first.


NaturalKey = tuple[int, str, int, time, time, date | None]
_KEY_COLUMNS = ("municipality_id", "place", "weekday", "start_time", "end_time", "valid_from")


def natural_key(
    muni_id: int, place: str, weekday: int, start: time, end: time, valid_from: date | None
) -> NaturalKey:
    """Place compares case-insensitively ("De Kolk" == "de kolk", as in the CSV parser) and a
    missing `valid_from` equals a missing `valid_from`."""
    return (muni_id, place.strip().casefold(), weekday, start, end, valid_from)


def _key_of(columns: Mapping[str, Any]) -> NaturalKey:
    """The natural key of column values (a missing `valid_from` is None)."""
    values: list[Any] = [columns.get(name) for name in _KEY_COLUMNS]
    return natural_key(*values)


def _row_key(row: WalkInSession) -> NaturalKey:
    return _key_of({name: getattr(row, name) for name in _KEY_COLUMNS})


# An active row before a stopped one, then the oldest: the row a match should update.
PREFERRED_FIRST = (col(WalkInSession.active).desc(), col(WalkInSession.id))


def _today(now: datetime) -> date:
    return now.astimezone(TZ).date() if now.tzinfo else now.date()


def is_live(row: WalkInSession, today: date) -> bool:
    """Residents still see it: active and not past its last date."""
    return row.active and (row.valid_until is None or row.valid_until >= today)


async def same_sessions(
    s: AsyncSession,
    key: NaturalKey,
    *,
    any_valid_from: bool = False,
    exclude_id: int | None = None,
) -> list[WalkInSession]:
    """Rows with this natural key (see `natural_key`), active ones first, then by id.
    `any_valid_from` matches whatever date they start on."""
    municipality_id, wanted, weekday, start, end, valid_from = key
    q = select(WalkInSession).where(
        WalkInSession.municipality_id == municipality_id,
        WalkInSession.weekday == weekday,
        WalkInSession.start_time == start,
        WalkInSession.end_time == end,
    )
    if not any_valid_from:
        q = q.where(
            col(WalkInSession.valid_from).is_(None)
            if valid_from is None
            else WalkInSession.valid_from == valid_from
        )
    return [
        row
        for row in (await s.exec(q.order_by(*PREFERRED_FIRST))).all()
        if row.place.strip().casefold() == wanted and row.id != exclude_id
    ]


class SessionClash(ValueError):
    """The change would make a second session with the same place, day and times."""

    def __init__(self, other: WalkInSession) -> None:
        super().__init__(f"same as walk-in session {other.id}")
        self.other = other


# --------------------------------------------------------------------------- writing


async def add_session(
    s: AsyncSession,
    *,
    now: datetime,
    actor_id: int | None = None,
    **details: Unpack[SessionDetails],
) -> WalkInSession:
    """A new session row; what `details` leaves out gets the column's default."""
    check_times(details["start"], details["end"])
    if not 0 <= details["weekday"] <= 6:
        raise ValueError("weekday must be 0..6")
    row = WalkInSession(**_columns(details), created_at=now)
    await audit.create(s, row, now, actor_id=actor_id, entity=SESSION)
    return row


EDITABLE = frozenset(
    {
        "place",
        "address",
        "weekday",
        "start_time",
        "end_time",
        "kind",
        "open_on_holidays",
        "note",
        "valid_from",
        "valid_until",
        "active",
    }
)


async def update_session(
    s: AsyncSession,
    session_id: int,
    changes: dict[str, Any],
    now: datetime,
    *,
    actor_id: int | None = None,
) -> bool:
    """Apply `changes` (column -> value); False when the session is gone or nothing changes."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    row = await s.get(WalkInSession, session_id)
    if row is None or all(getattr(row, k) == v for k, v in changes.items()):
        return False
    check_times(changes.get("start_time", row.start_time), changes.get("end_time", row.end_time))
    await _refuse_clash(s, row, changes, _today(now))
    await audit.change(s, row, changes, now, actor_id=actor_id, entity=SESSION)
    return True


async def _refuse_clash(
    s: AsyncSession, row: WalkInSession, changes: dict[str, Any], today: date
) -> None:
    """Raise `SessionClash` when `changes` would give `row` the natural key of another live
    session (or of any row the unique constraint would refuse). Only checked when the key
    changes or the row comes back: old twins do not block unrelated edits."""
    after = {k: changes.get(k, getattr(row, k)) for k in EDITABLE}
    new_key = _key_of({**after, "municipality_id": row.municipality_id})
    live = after["active"] and (after["valid_until"] is None or after["valid_until"] >= today)
    comes_back = not is_live(row, today) and live
    if new_key == _row_key(row) and not comes_back:
        return
    others = await same_sessions(s, new_key, exclude_id=row.id)
    clash = next((o for o in others if live and is_live(o, today)), None)
    if clash is None and after["valid_from"] is not None:
        # What `uq_walkin_natural` compares exactly: refuse with a reason instead of a crash.
        clash = next((o for o in others if o.place == after["place"]), None)
    if clash is not None:
        raise SessionClash(clash)


# What a row found by its natural key takes over from the new details, and what it gets for a
# detail they leave out (what a new row would get).
_TAKEN_OVER_DEFAULTS: dict[str, Any] = {
    "kind": "inloop",
    "valid_until": None,
    "open_on_holidays": False,
    "note": None,
}


def _taken_over(details: NewSession) -> dict[str, Any]:
    """The changes that give a row found by its natural key the new details: it is active."""
    given: dict[str, Any] = dict(details)
    taken = {name: given.get(name, default) for name, default in _TAKEN_OVER_DEFAULTS.items()}
    return {"place": given["place"], "address": given["address"], **taken, "active": True}


async def add_or_restore_session(
    s: AsyncSession,
    *,
    now: datetime,
    actor_id: int | None = None,
    **details: Unpack[NewSession],
) -> tuple[WalkInSession, str]:
    """A new weekly session, as a coordinator types it ("Nieuw": no start or last date).
    Returns the row and what happened: "exists" (a live session with this place, day and
    times, whatever date it started on: nothing changes), "restored" (a stopped one with this
    natural key is active again, with the new details) or "added"."""
    check_times(details["start"], details["end"])
    today = _today(now)
    matches = await same_sessions(s, _key_of(_columns(details)), any_valid_from=True)
    live = next((row for row in matches if is_live(row, today)), None)
    if live is not None:
        return live, "exists"
    stopped = next((row for row in matches if row.valid_from is None), None)
    if stopped is not None:
        # The summary the coordinator confirmed had no note and no last date.
        await update_session(s, id_of(stopped), _taken_over(details), now, actor_id=actor_id)
        return stopped, "restored"
    return await add_session(s, now=now, actor_id=actor_id, **details), "added"


async def stop_session(
    s: AsyncSession,
    session_id: int,
    now: datetime,
    *,
    last_date: date | None = None,
    actor_id: int | None = None,
) -> bool:
    """Soft stop: at once (`active = False`) or after `last_date` (`valid_until`)."""
    changes: dict[str, Any] = {"active": False} if last_date is None else {"valid_until": last_date}
    row = await s.get(WalkInSession, session_id)
    if row is None or not row.active:
        return False
    await audit.change(s, row, changes, now, actor_id=actor_id, entity=SESSION, action="delete")
    return True


# --------------------------------------------------------------------------- CSV import


@dataclass(frozen=True)
class ImportSummary:
    added: int
    updated: int
    unchanged: int

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated)


def _details(row: WeeklySession, municipality_id: int) -> SessionDetails:
    """A parsed session's details, in the municipality with id `municipality_id`."""
    fields = {name: getattr(row, name) for name in COLUMN_OF}
    return cast(SessionDetails, {"municipality_id": municipality_id, **fields})


async def import_rows(
    s: AsyncSession,
    rows: Sequence[SessionRow],
    now: datetime,
    *,
    actor_id: int | None = None,
) -> ImportSummary:
    """Add or update sessions by their natural key. Idempotent: the same rows twice change
    nothing. The caller's transaction makes it all-or-nothing. Sessions not in `rows` are left
    as they are (a file may cover a single municipality)."""
    muni_ids = {m.name: id_of(m) for m in (await s.exec(select(Municipality))).all()}
    missing = sorted({r.municipality for r in rows} - set(muni_ids))
    if missing:
        raise ValueError(f"unknown municipalities: {missing}")
    wanted = {muni_ids[r.municipality] for r in rows}
    existing: dict[tuple[Any, ...], WalkInSession] = {}
    if wanted:
        q = select(WalkInSession).where(col(WalkInSession.municipality_id).in_(wanted))
        today = _today(now)
        found = (await s.exec(q.order_by(*PREFERRED_FIRST))).all()
        # Live rows first: a stopped twin of a live session is never the one brought back.
        for row in sorted(found, key=lambda r: not is_live(r, today)):
            existing.setdefault(_row_key(row), row)
    added = updated = unchanged = 0
    for r in rows:
        details = _details(r, muni_ids[r.municipality])
        key = _key_of(_columns(details))
        current = existing.get(key)
        if current is None:
            existing[key] = await add_session(s, now=now, actor_id=actor_id, **details)
            added += 1
        elif await update_session(s, id_of(current), _taken_over(details), now, actor_id=actor_id):
            updated += 1
        else:
            unchanged += 1
    return ImportSummary(added, updated, unchanged)
