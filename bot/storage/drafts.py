"""Conversation drafts: the state of a dialogue, kept in the database."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.models import ConversationDraft


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


def save(
    s: AsyncSession,
    draft: ConversationDraft,
    now: datetime,
    ttl: timedelta,
    *,
    state: str | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    """Record a step: new state and/or data, a new revision, a fresh expiry."""
    if state is not None:
        draft.state = state
    if data is not None:
        draft.data = dict(data)
    # JSON is compared by value at flush; a caller that mutated draft.data in place would
    # otherwise lose the change silently.
    flag_modified(draft, "data")
    draft.revision += 1
    draft.updated_at = now
    draft.expires_at = now + ttl
    s.add(draft)


async def discard(s: AsyncSession, draft: ConversationDraft) -> None:
    await s.delete(draft)


async def discard_all(s: AsyncSession, user_id: int) -> int:
    result = await s.exec(  # type: ignore[call-overload]
        delete(ConversationDraft).where(ConversationDraft.user_id == user_id)
    )
    return int(result.rowcount or 0)


def is_expired(draft: ConversationDraft, now: datetime) -> bool:
    return draft.expires_at <= now
