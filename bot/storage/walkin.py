"""Walk-in sessions (inloop / spreekuur): load schedules as domain objects, manage, import.

Reads return `bot.domain.walkin` rules and exceptions, so handlers never see rows when they
answer residents. Writes by coordinators leave an `AuditLog` row (who changed what). Stopping
a session is soft (`active = False` or a `valid_until`): nothing is deleted.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import and_, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.walkin import TZ, ScheduleException, SessionRule
from bot.domain.walkin_csv import SessionRow
from bot.storage import audit
from bot.storage.audit import record as _audit
from bot.storage.audit import snapshot
from bot.storage.models import Municipality, WalkInException, WalkInSession, id_of

log = logging.getLogger(__name__)

SESSION = "walkin_session"
EXCEPTION = "walkin_exception"


# --------------------------------------------------------------------------- municipalities


async def municipalities(s: AsyncSession) -> list[Municipality]:
    """Active municipalities, alphabetically (the resident's buttons)."""
    q = select(Municipality).where(Municipality.active).order_by(Municipality.name)
    return list((await s.exec(q)).all())


async def municipality_by_code(s: AsyncSession, code: str) -> Municipality | None:
    return (await s.exec(select(Municipality).where(Municipality.code == code))).first()


async def municipality_by_name(s: AsyncSession, name: str) -> Municipality | None:
    return (await s.exec(select(Municipality).where(Municipality.name == name))).first()


async def municipality_by_id(s: AsyncSession, municipality_id: int) -> Municipality | None:
    return await s.get(Municipality, municipality_id)


# --------------------------------------------------------------------------- reading


def session_rule(row: WalkInSession, municipality: str) -> SessionRule | None:
    try:
        return SessionRule(
            id=id_of(row),
            municipality=municipality,
            place=row.place,
            address=row.address,
            weekday=row.weekday,
            start=row.start_time,
            end=row.end_time,
            valid_from=row.valid_from,
            valid_until=row.valid_until,
            open_on_holidays=row.open_on_holidays,
            note=row.note,
            kind="spreekuur" if row.kind == "spreekuur" else "inloop",
        )
    except ValueError:
        # Only rows written around the checks below can get here; skip, never crash an answer.
        log.warning("skipping invalid walk-in session %s", row.id)
        return None


def _exception(
    row: WalkInException,
    session: WalkInSession | None,
    session_muni: str | None,
    own_muni: str | None,
    active_ids: set[int],
) -> ScheduleException | None:
    municipality = own_muni or session_muni
    try:
        if row.kind == "cancelled":
            return ScheduleException(
                date=row.on_date,
                kind="cancelled",
                session_id=row.session_id,
                municipality=municipality,
            )
        if row.session_id is not None and row.session_id in active_ids:
            # The rule is loaded too: the domain fills in what the extra leaves empty.
            return ScheduleException(
                date=row.on_date,
                kind="extra",
                session_id=row.session_id,
                municipality=municipality,
                place=row.place,
                address=row.address,
                start=row.start_time,
                end=row.end_time,
                note=row.note,
            )
        # A stand-alone extra, or one whose session has since stopped: it still takes place.
        return ScheduleException(
            date=row.on_date,
            kind="extra",
            municipality=municipality,
            place=row.place or (session.place if session else None),
            address=row.address or (session.address if session else None),
            start=row.start_time or (session.start_time if session else None),
            end=row.end_time or (session.end_time if session else None),
            note=row.note,
            session_kind="spreekuur" if session and session.kind == "spreekuur" else None,
        )
    except ValueError:
        log.warning("skipping invalid walk-in exception %s", row.id)
        return None


async def load_schedule(
    s: AsyncSession, municipality: str | None = None, *, since: date | None = None
) -> tuple[list[SessionRule], list[ScheduleException]]:
    """Active rules and the exceptions that apply to them, for one municipality (canonical
    name) or all. `since` skips exceptions on earlier dates (they cannot matter any more)."""
    muni_id: int | None = None
    names = {m.id: m.name for m in (await s.exec(select(Municipality))).all()}
    if municipality is not None:
        muni_id = next((i for i, n in names.items() if n == municipality), None)
        if muni_id is None:
            return [], []

    q = select(WalkInSession).where(WalkInSession.active)
    if muni_id is not None:
        q = q.where(WalkInSession.municipality_id == muni_id)
    rules: list[SessionRule] = []
    for row in (await s.exec(q)).all():
        rule = session_rule(row, names[row.municipality_id])
        if rule is not None:
            rules.append(rule)
    active_ids = {r.id for r in rules}

    eq = select(WalkInException, WalkInSession).join(
        WalkInSession,
        col(WalkInException.session_id) == col(WalkInSession.id),
        isouter=True,
    )
    if since is not None:
        eq = eq.where(WalkInException.on_date >= since)
    if muni_id is not None:
        eq = eq.where(
            or_(
                col(WalkInException.municipality_id) == muni_id,
                col(WalkInSession.municipality_id) == muni_id,
                and_(
                    col(WalkInException.session_id).is_(None),
                    col(WalkInException.municipality_id).is_(None),
                ),
            )
        )
    exceptions: list[ScheduleException] = []
    for exc_row, sess in (await s.exec(eq)).all():
        exc = _exception(
            exc_row,
            sess,
            names.get(sess.municipality_id) if sess is not None else None,
            names.get(exc_row.municipality_id) if exc_row.municipality_id else None,
            active_ids,
        )
        if exc is not None:
            exceptions.append(exc)
    return rules, exceptions


async def get_session(s: AsyncSession, session_id: int) -> WalkInSession | None:
    return await s.get(WalkInSession, session_id)


async def sessions_in(
    s: AsyncSession, municipality_id: int | None = None, *, include_inactive: bool = False
) -> list[tuple[WalkInSession, str]]:
    """Session rows with their municipality name, by municipality, weekday and time."""
    q = select(WalkInSession, Municipality.name).join(
        Municipality,
        col(WalkInSession.municipality_id) == col(Municipality.id),
    )
    if municipality_id is not None:
        q = q.where(WalkInSession.municipality_id == municipality_id)
    if not include_inactive:
        q = q.where(WalkInSession.active)
    q = q.order_by(
        col(Municipality.name),
        col(WalkInSession.weekday),
        col(WalkInSession.start_time),
        col(WalkInSession.place),
        col(WalkInSession.id),
    )
    return [(row, name) for row, name in (await s.exec(q)).all()]


async def exceptions_from(
    s: AsyncSession, municipality_id: int, since: date
) -> list[WalkInException]:
    """Cancelled and extra dates from `since` on in one municipality (for the overview)."""
    q = (
        select(WalkInException)
        .join(
            WalkInSession,
            col(WalkInException.session_id) == col(WalkInSession.id),
            isouter=True,
        )
        .where(
            WalkInException.on_date >= since,
            or_(
                col(WalkInException.municipality_id) == municipality_id,
                col(WalkInSession.municipality_id) == municipality_id,
            ),
        )
        .order_by(col(WalkInException.on_date), col(WalkInException.id))
    )
    return list((await s.exec(q)).all())


# --------------------------------------------------------------------------- writing


def _check_times(start: time, end: time) -> None:
    if start >= end:
        raise ValueError("start must be before end")


# ----------------------------------------------------------------- natural key (one place)
#
# The unique constraint `uq_walkin_natural` holds a nullable `valid_from` and a case-sensitive
# place, so the database lets "the same session" in twice. Every write that could make a twin
# asks `same_sessions` (or, in bulk, `natural_key` with `PREFERRED_FIRST`) first.


NaturalKey = tuple[int, str, int, time, time, date | None]


def natural_key(
    muni_id: int, place: str, weekday: int, start: time, end: time, valid_from: date | None
) -> NaturalKey:
    """Place compares case-insensitively ("De Kolk" == "de kolk", as in the CSV parser) and a
    missing `valid_from` equals a missing `valid_from`."""
    return (muni_id, place.strip().casefold(), weekday, start, end, valid_from)


def _row_key(row: WalkInSession) -> NaturalKey:
    return natural_key(
        row.municipality_id, row.place, row.weekday, row.start_time, row.end_time, row.valid_from
    )


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


async def add_session(
    s: AsyncSession,
    *,
    municipality_id: int,
    place: str,
    address: str,
    weekday: int,
    start: time,
    end: time,
    now: datetime,
    kind: str = "inloop",
    valid_from: date | None = None,
    valid_until: date | None = None,
    open_on_holidays: bool = False,
    note: str | None = None,
    actor_id: int | None = None,
) -> WalkInSession:
    _check_times(start, end)
    if not 0 <= weekday <= 6:
        raise ValueError("weekday must be 0..6")
    row = WalkInSession(
        municipality_id=municipality_id,
        kind=kind,
        place=place,
        address=address,
        weekday=weekday,
        start_time=start,
        end_time=end,
        valid_from=valid_from,
        valid_until=valid_until,
        open_on_holidays=open_on_holidays,
        note=note,
        created_at=now,
    )
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
    _check_times(changes.get("start_time", row.start_time), changes.get("end_time", row.end_time))
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
    new_key = natural_key(
        row.municipality_id,
        after["place"],
        after["weekday"],
        after["start_time"],
        after["end_time"],
        after["valid_from"],
    )
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


def _taken_over(
    place: str,
    address: str,
    kind: str,
    open_on_holidays: bool,
    *,
    note: str | None,
    valid_until: date | None,
) -> dict[str, Any]:
    """What a row found by its natural key takes over from the new details: it is active."""
    return {
        "place": place,
        "address": address,
        "kind": kind,
        "valid_until": valid_until,
        "open_on_holidays": open_on_holidays,
        "note": note,
        "active": True,
    }


async def add_or_restore_session(
    s: AsyncSession,
    *,
    municipality_id: int,
    place: str,
    address: str,
    weekday: int,
    start: time,
    end: time,
    now: datetime,
    kind: str = "inloop",
    open_on_holidays: bool = False,
    actor_id: int | None = None,
) -> tuple[WalkInSession, str]:
    """A new weekly session, as a coordinator types it ("Nieuw": no start or last date).
    Returns the row and what happened: "exists" (a live session with this place, day and
    times, whatever date it started on: nothing changes), "restored" (a stopped one with this
    natural key is active again, with the new details) or "added"."""
    _check_times(start, end)
    today = _today(now)
    key = natural_key(municipality_id, place, weekday, start, end, None)
    matches = await same_sessions(s, key, any_valid_from=True)
    live = next((row for row in matches if is_live(row, today)), None)
    if live is not None:
        return live, "exists"
    stopped = next((row for row in matches if row.valid_from is None), None)
    if stopped is not None:
        # The summary the coordinator confirmed had no note and no last date.
        changes = _taken_over(place, address, kind, open_on_holidays, note=None, valid_until=None)
        await update_session(s, id_of(stopped), changes, now, actor_id=actor_id)
        return stopped, "restored"
    row = await add_session(
        s,
        municipality_id=municipality_id,
        place=place,
        address=address,
        weekday=weekday,
        start=start,
        end=end,
        now=now,
        kind=kind,
        open_on_holidays=open_on_holidays,
        actor_id=actor_id,
    )
    return row, "added"


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


async def cancel_date(
    s: AsyncSession,
    session_id: int,
    on_date: date,
    now: datetime,
    *,
    note: str | None = None,
    actor_id: int | None = None,
) -> bool:
    """The session does not take place on `on_date`. False when it was already cancelled."""
    existing = (
        await s.exec(
            select(WalkInException).where(
                WalkInException.session_id == session_id,
                WalkInException.on_date == on_date,
                WalkInException.kind == "cancelled",
            )
        )
    ).first()
    if existing is not None:
        return False
    row = WalkInException(
        session_id=session_id, on_date=on_date, kind="cancelled", note=note, created_at=now
    )
    await audit.create(s, row, now, actor_id=actor_id, entity=EXCEPTION)
    return True


async def add_extra_date(
    s: AsyncSession,
    *,
    municipality_id: int,
    on_date: date,
    start: time,
    end: time,
    place: str,
    address: str,
    now: datetime,
    session_id: int | None = None,
    note: str | None = None,
    actor_id: int | None = None,
) -> WalkInException | None:
    """An extra (one-off) date with all fields filled in, so it stands on its own even if its
    session stops later. None when the same extra date already exists."""
    _check_times(start, end)
    existing = (
        await s.exec(
            select(WalkInException).where(
                WalkInException.kind == "extra",
                WalkInException.on_date == on_date,
                WalkInException.municipality_id == municipality_id,
                WalkInException.place == place,
                WalkInException.start_time == start,
                WalkInException.end_time == end,
            )
        )
    ).first()
    if existing is not None:
        return None
    row = WalkInException(
        session_id=session_id,
        on_date=on_date,
        kind="extra",
        municipality_id=municipality_id,
        place=place,
        address=address,
        start_time=start,
        end_time=end,
        note=note,
        created_at=now,
    )
    await audit.create(s, row, now, actor_id=actor_id, entity=EXCEPTION)
    return row


async def get_exception(s: AsyncSession, exception_id: int) -> WalkInException | None:
    return await s.get(WalkInException, exception_id)


async def remove_exception(
    s: AsyncSession,
    exception_id: int,
    now: datetime,
    *,
    kind: str,
    actor_id: int | None = None,
) -> bool:
    """Undo a cancelled date (the session takes place again) or take away an extra date. The
    row is deleted; the audit log keeps a copy. False when it is gone or not of `kind`."""
    row = await s.get(WalkInException, exception_id)
    if row is None or row.kind != kind:
        return False
    before = snapshot(row)
    await s.delete(row)
    await s.flush()
    _audit(s, actor_id, now, EXCEPTION, exception_id, "delete", before, None)
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
        muni_id = muni_ids[r.municipality]
        key = natural_key(muni_id, r.place, r.weekday, r.start, r.end, r.valid_from)
        current = existing.get(key)
        if current is None:
            new = await add_session(
                s,
                municipality_id=muni_id,
                place=r.place,
                address=r.address,
                weekday=r.weekday,
                start=r.start,
                end=r.end,
                now=now,
                kind=r.kind,
                valid_from=r.valid_from,
                valid_until=r.valid_until,
                open_on_holidays=r.open_on_holidays,
                note=r.note,
                actor_id=actor_id,
            )
            existing[key] = new
            added += 1
            continue
        changes = _taken_over(
            r.place, r.address, r.kind, r.open_on_holidays, note=r.note, valid_until=r.valid_until
        )
        if await update_session(s, id_of(current), changes, now, actor_id=actor_id):
            updated += 1
        else:
            unchanged += 1
    return ImportSummary(added, updated, unchanged)
