"""Conversation drafts: the state of a dialogue, kept in the database."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, insert, inspect, update
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.models import ConversationDraft, table_of


class StaleDraft(RuntimeError):
    """The draft changed (or went) since it was read: another process saved a step first.
    Raised instead of overwriting that step; the transaction rolls back."""


def new_submission_key() -> str:
    return secrets.token_hex(16)


_TABLE = table_of(ConversationDraft)

# Every update with a dialogue runs one of these reads: built once, each call binds values.
# They stay ORM selects: measured, Core plus building the object costs more than the ORM's
# own loading. `populate_existing`: a draft read again in the same session (to see whether
# another process saved a step meanwhile) comes from the database, not the identity map.
READ = {"populate_existing": True}
_BY_USER_FLOW = select(ConversationDraft).where(
    ConversationDraft.user_id == bindparam("user_id"), ConversationDraft.flow == bindparam("flow")
)
_BY_ID = select(ConversationDraft).where(ConversationDraft.id == bindparam("draft_id"))
_LATEST = (
    select(ConversationDraft)
    .where(ConversationDraft.user_id == bindparam("user_id"))
    .order_by(col(ConversationDraft.updated_at).desc(), col(ConversationDraft.id).desc())
    .limit(1)
)


async def get(s: AsyncSession, user_id: int, flow: str) -> ConversationDraft | None:
    result = await s.exec(
        _BY_USER_FLOW, params={"user_id": user_id, "flow": flow}, execution_options=READ
    )
    return result.first()


_PREFETCHED = "prefetched_draft"


def prefetch(s: AsyncSession, draft: ConversationDraft | None) -> None:
    """Keep a draft read along with another statement of this transaction (the gatekeeper's
    user lookup reads the draft a button names): `get_by_id` takes it instead of reading it
    again, once."""
    if draft is not None:
        s.info[_PREFETCHED] = draft


def _take_prefetched(s: AsyncSession, draft_id: int) -> ConversationDraft | None:
    draft = s.info.pop(_PREFETCHED, None)
    if draft is None or draft.id != draft_id:
        return None
    state = inspect(draft)
    # Still as read in this session's open transaction: not committed since (the unit of work
    # detaches everything then), not rolled back (that expires it), not deleted.
    if not state.persistent or state.session is not s.sync_session or state.expired_attributes:
        return None
    return draft


async def get_by_id(s: AsyncSession, draft_id: int) -> ConversationDraft | None:
    draft = _take_prefetched(s, draft_id)
    if draft is not None:
        return draft
    result = await s.exec(_BY_ID, params={"draft_id": draft_id}, execution_options=READ)
    return result.first()


async def latest(s: AsyncSession, user_id: int) -> ConversationDraft | None:
    """The dialogue the user touched last: typed text goes there."""
    result = await s.exec(_LATEST, params={"user_id": user_id}, execution_options=READ)
    return result.first()


_DELETE_FLOW = delete(_TABLE).where(
    _TABLE.c.user_id == bindparam("user_id"), _TABLE.c.flow == bindparam("flow")
)
_INSERT = insert(_TABLE).returning(_TABLE.c.id)


async def start(
    s: AsyncSession,
    user_id: int,
    flow: str,
    state: str,
    data: dict[str, Any],
    now: datetime,
    ttl: timedelta,
    *,
    first_revision: Callable[[str], int] | None = None,
) -> ConversationDraft:
    """Start (or restart) a dialogue; an older draft of the same flow is replaced.

    Its first revision is 1, or ``first_revision(submission key)``. Two Core statements (no
    ORM flush); the row comes back as a persistent object of ``s``, so a caller may still
    change it there and have that flushed."""
    conn = await s.connection()
    await conn.execute(_DELETE_FLOW, {"user_id": user_id, "flow": flow})
    submission_key = new_submission_key()
    values: dict[str, Any] = {
        "user_id": user_id,
        "flow": flow,
        "state": state,
        "data": data,
        "revision": first_revision(submission_key) if first_revision else 1,
        "submission_key": submission_key,
        "message_id": None,
        "created_at": now,
        "updated_at": now,
        "expires_at": now + ttl,
    }
    draft_id = (await conn.execute(_INSERT, values)).scalar_one()
    # Rows just deleted (the replaced draft; SQLite may even hand out its id again) must not
    # linger in the session next to the new one.
    for obj in list(s.sync_session):
        if isinstance(obj, ConversationDraft) and (
            obj.id == draft_id or (obj.user_id == user_id and obj.flow == flow)
        ):
            s.expunge(obj)
    draft = ConversationDraft(id=draft_id, **values)
    # As if just loaded: the session knows it, nothing about it is pending.
    make_transient_to_detached(draft)
    s.add(draft)
    return draft


# Every step of every dialogue runs this: built once, and only where the revision is still the
# one that was read (optimistic locking), so a step saved elsewhere is never overwritten.
_SAVE = (
    update(_TABLE)
    .where(_TABLE.c.id == bindparam("b_id"), _TABLE.c.revision == bindparam("b_revision"))
    .values(
        state=bindparam("state"),
        data=bindparam("data"),
        revision=bindparam("revision"),
        updated_at=bindparam("updated_at"),
        expires_at=bindparam("expires_at"),
    )
)


async def save(
    s: AsyncSession,
    draft: ConversationDraft,
    now: datetime,
    ttl: timedelta,
    *,
    state: str | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    """Record a step: new state and/or data, a new revision, a fresh expiry.

    One UPDATE, guarded by the revision ``draft`` was read with; `StaleDraft` if another
    process got there first. ``draft`` is updated in place (also when a caller changed
    ``draft.data`` in place and passes no ``data``)."""
    values = {
        "state": draft.state if state is None else state,
        "data": dict(draft.data if data is None else data),
        "revision": draft.revision + 1,
        "updated_at": now,
        "expires_at": now + ttl,
    }
    conn = await s.connection()
    result = await conn.execute(_SAVE, {"b_id": draft.id, "b_revision": draft.revision, **values})
    if result.rowcount != 1:
        raise StaleDraft(f"draft {draft.id} is no longer at revision {draft.revision}")
    # The row is written: the object now holds what the database holds, nothing to flush.
    for key, value in values.items():
        set_committed_value(draft, key, value)


_DELETE_ID = delete(_TABLE).where(_TABLE.c.id == bindparam("draft_id"))


async def discard(s: AsyncSession, draft: ConversationDraft) -> None:
    """One DELETE by id (no ORM flush). Already gone is fine: the end is the same."""
    conn = await s.connection()
    await conn.execute(_DELETE_ID, {"draft_id": draft.id})
    if draft in s:
        s.expunge(draft)  # nothing of it is flushed any more


async def discard_all(s: AsyncSession, user_id: int) -> int:
    result = await s.exec(
        delete(ConversationDraft).where(col(ConversationDraft.user_id) == user_id)
    )
    return int(result.rowcount or 0)


def is_expired(draft: ConversationDraft, now: datetime) -> bool:
    return draft.expires_at <= now
