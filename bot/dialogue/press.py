"""Loading the draft a button belongs to, and starting a draft.

A press is refused, with one clear answer, when its button is unknown, belongs to a draft that
is gone (finished, stopped, someone else's), expired, or to an older step (stale revision).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import BotContext
from bot.dialogue.codec import Callback, parse
from bot.router import draft_ttl
from bot.storage import drafts
from bot.storage.models import ConversationDraft


class Problem(StrEnum):
    UNKNOWN = "unknown"  # not a button of this flow (or no user)
    GONE = "gone"  # the draft is finished, stopped, or not this user's
    SAVED = "saved"  # gone, and its submission was saved (a save button pressed again)
    EXPIRED = "expired"  # the draft timed out (and is discarded now)
    STALE = "stale"  # a button of an older step of the draft


@dataclass
class Press:
    """A button press: the callback, its draft (in the caller's session) and what is wrong."""

    callback: Callback | None
    draft: ConversationDraft | None
    problem: Problem | None

    @property
    def action(self) -> str:
        return self.callback.action if self.callback else ""

    @property
    def arg(self) -> str:
        return self.callback.arg if self.callback else ""


SavedCheck = Callable[[AsyncSession, str], Awaitable[bool]]


async def load_press(
    s: AsyncSession,
    data: str,
    *,
    user_id: int | None,
    now: datetime,
    flow: str,
    prefix: str,
    keyed: Collection[str] = (),
    was_saved: SavedCheck | None = None,
) -> Press:
    """Load the draft a button belongs to, in session ``s``; an expired draft is discarded.

    ``keyed`` actions carry the draft's submission key as their argument (save buttons): a
    mismatch means another draft, so "gone" — or "saved" when ``was_saved`` finds the key."""
    callback = parse(data, prefix)
    if callback is None or user_id is None:
        return Press(callback, None, Problem.UNKNOWN)

    async def gone() -> Press:
        key = callback.arg if callback.action in keyed else ""
        if key and was_saved is not None and await was_saved(s, key):
            return Press(callback, None, Problem.SAVED)
        return Press(callback, None, Problem.GONE)

    draft = await drafts.get_by_id(s, callback.draft_id)
    # Someone else's (old) button, or a finished draft, looks the same: "gone".
    if draft is None or draft.user_id != user_id or draft.flow != flow:
        return await gone()
    if drafts.is_expired(draft, now):
        await drafts.discard(s, draft)
        return Press(callback, None, Problem.EXPIRED)
    if callback.action in keyed and callback.arg != draft.submission_key:
        return await gone()
    if callback.revision != draft.revision:
        return Press(callback, draft, Problem.STALE)
    return Press(callback, draft, None)


async def current_draft(
    s: AsyncSession, context: BotContext, flow: str
) -> ConversationDraft | None:
    """The user's open draft of ``flow``; an expired one is discarded (None)."""
    user = context.app_user
    if user is None or user.id is None:
        return None
    draft = await drafts.get(s, user.id, flow)
    if draft is not None and drafts.is_expired(draft, context.services.now()):
        await drafts.discard(s, draft)
        return None
    return draft


async def start_draft(
    s: AsyncSession,
    context: BotContext,
    flow: str,
    state: str,
    data: dict[str, Any],
    *,
    ttl: timedelta | None = None,
) -> ConversationDraft:
    """Start (or restart) the user's draft of ``flow``.

    Its first revision comes from its random submission key: SQLite may give a new draft the
    id of one just deleted, and a button of the old draft must not pass for one of the new."""
    user = context.app_user
    assert user is not None and user.id is not None
    return await drafts.start(
        s,
        user.id,
        flow,
        state,
        data,
        context.services.now(),
        ttl or draft_ttl(context),
        first_revision=first_revision,
    )


def first_revision(submission_key: str) -> int:
    """A random first revision (1 … 2^24) drawn from a draft's random submission key."""
    return int(submission_key[:6], 16) + 1


async def step(
    s: AsyncSession,
    context: BotContext,
    draft: ConversationDraft,
    *,
    ttl: timedelta | None = None,
    **changes: Any,
) -> None:
    """Record one step of the draft (new revision, fresh expiry); committed with ``s``.
    Without changes it only touches the draft: the buttons shown before stop working."""
    await drafts.save(s, draft, context.services.now(), ttl or draft_ttl(context), **changes)
