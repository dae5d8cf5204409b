"""Conversation drafts: the state of a dialogue, kept in the database."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.models import ConversationDraft


class StaleDraft(RuntimeError):
    """The draft changed (or went) since it was read: another process saved a step first.
    Raised instead of overwriting that step; the transaction rolls back."""


def new_submission_key() -> str:
    return secrets.token_hex(16)


async def get(s: AsyncSession, user_id: int, flow: str) -> ConversationDraft | None:
    return (
        await s.exec(
            select(ConversationDraft).where(
                ConversationDraft.user_id == user_id, ConversationDraft.flow == flow
            )
        )
    ).first()


async def get_by_id(s: AsyncSession, draft_id: int) -> ConversationDraft | None:
    return await s.get(ConversationDraft, draft_id)


async def latest(s: AsyncSession, user_id: int) -> ConversationDraft | None:
    """The dialogue the user touched last: typed text goes there."""
    return (
        await s.exec(
            select(ConversationDraft)
            .where(ConversationDraft.user_id == user_id)
            .order_by(ConversationDraft.updated_at.desc(), ConversationDraft.id.desc())  # type: ignore[union-attr]
        )
    ).first()


async def start(
    s: AsyncSession,
    user_id: int,
    flow: str,
    state: str,
    data: dict[str, Any],
    now: datetime,
    ttl: timedelta,
) -> ConversationDraft:
    """Start (or restart) a dialogue; an older draft of the same flow is replaced."""
    await s.exec(  # type: ignore[call-overload]
        delete(ConversationDraft).where(
            ConversationDraft.user_id == user_id, ConversationDraft.flow == flow
        )
    )
    draft = ConversationDraft(
        user_id=user_id,
        flow=flow,
        state=state,
        data=data,
        revision=1,
        submission_key=new_submission_key(),
        created_at=now,
        updated_at=now,
        expires_at=now + ttl,
    )
    s.add(draft)
    await s.flush()
    return draft


_TABLE = ConversationDraft.__table__  # type: ignore[attr-defined]
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


async def discard(s: AsyncSession, draft: ConversationDraft) -> None:
    await s.delete(draft)


async def discard_all(s: AsyncSession, user_id: int) -> int:
    result = await s.exec(  # type: ignore[call-overload]
        delete(ConversationDraft).where(ConversationDraft.user_id == user_id)
    )
    return int(result.rowcount or 0)


def is_expired(draft: ConversationDraft, now: datetime) -> bool:
    return draft.expires_at <= now
