"""Cancelled and extra dates of walk-in sessions (`walkin_exception` rows).

Public names are re-exported by `bot.storage.walkin`, which callers import. Adding one leaves
an `AuditLog` row; taking one away deletes the row, and the audit log keeps a copy.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage import audit
from bot.storage.audit import record as _audit
from bot.storage.audit import snapshot
from bot.storage.models import WalkInException, table_of
from bot.storage.query_helpers import equal
from bot.storage.walkin_sessions import check_times

EXCEPTION = "walkin_exception"


async def _add_once(
    s: AsyncSession,
    key: dict[str, Any],
    now: datetime,
    actor_id: int | None,
    **details: Any,
) -> WalkInException | None:
    """A new date with the column values `key` and `details`; None (and nothing added) when a
    date with the values `key` is already there."""
    same = select(WalkInException).where(*equal(table_of(WalkInException), key))
    if (await s.exec(same)).first() is not None:
        return None
    row = WalkInException(**key, **details, created_at=now)
    await audit.create(s, row, now, actor_id=actor_id, entity=EXCEPTION)
    return row


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
    key = {"session_id": session_id, "on_date": on_date, "kind": "cancelled"}
    return await _add_once(s, key, now, actor_id, note=note) is not None


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
    check_times(start, end)
    key = {
        "kind": "extra",
        "on_date": on_date,
        "municipality_id": municipality_id,
        "place": place,
        "start_time": start,
        "end_time": end,
    }
    return await _add_once(s, key, now, actor_id, session_id=session_id, address=address, note=note)


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
