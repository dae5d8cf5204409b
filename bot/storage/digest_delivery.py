"""Delivery bookkeeping of the coordinators' digests: who gets one, and who sends it.

Deliveries are decided by unique rows, never by memory: `digest_delivery` is unique per
(recipient, kind, period), and an INSERT ... ON CONFLICT DO NOTHING claims a delivery; only
the process whose insert went through sends. A claim that was never finished (a crash after
the claim) is taken over by a later pass once its lease has expired. A claim is identified by
its owner and `claimed_at`: right before sending, the sender renews it (`renew_digest_claim`,
a conditional update that also restarts the lease) and does not send when it is no longer its
own; the outcome is written under the same condition.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import and_, or_, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.models import DigestDelivery, Role, User, table_of
from bot.storage.query_helpers import core, insert_ignoring_conflicts, update_one
from bot.storage.user_queries import by_user

__all__ = [
    "FINISHED_DIGEST",
    "DigestClaim",
    "PendingDigest",
    "Recipient",
    "claim_digest",
    "digest_claims",
    "digest_recipients",
    "finish_digest",
    "renew_digest_claim",
    "unfinished_digest_recipients",
]

FINISHED_DIGEST = ("sent", "blocked", "unknown")


@dataclass(frozen=True)
class Recipient:
    user_id: int
    chat_id: int
    language: str
    name: str


async def digest_recipients(s: AsyncSession, registered_before: datetime) -> list[Recipient]:
    """Active coordinators who were registered when the digest fell due."""
    u = table_of(User).c
    return await by_user(
        s,
        Recipient,
        select(u.id, u.chat_id, u.language, u.display_name).where(
            u.role == Role.coordinator.value,
            u.active,
            u.deleted_at.is_(None),
            ~u.blocked_bot,
            u.created_at <= registered_before,
        ),
    )


async def unfinished_digest_recipients(
    s: AsyncSession, recipients: Sequence[Recipient], kind: str, period: str
) -> list[Recipient]:
    """Recipients without a finished delivery for this period: a cheap check that lets a pass
    skip building the digest when all is done. Finished: sent, blocked, or "unknown" (the send
    timed out and may have arrived: never sent again)."""
    d = table_of(DigestDelivery).c
    done = set(
        (
            await core(
                s,
                select(d.recipient_id).where(
                    d.kind == kind, d.period == period, d.status.in_(FINISHED_DIGEST)
                ),
            )
        ).scalars()
    )
    return [r for r in recipients if r.user_id not in done]


async def claim_digest(
    s: AsyncSession,
    recipient_id: int,
    kind: str,
    period: str,
    *,
    now: datetime,
    owner: str,
    lease: timedelta,
    max_attempts: int,
) -> bool:
    """Claim the delivery of one digest to one recipient. True: this process must send it.

    First claim: the unique insert. Afterwards a claim can only be taken over when it was never
    finished and its lease has run out (the claiming process died), or when sending failed.
    """
    table = table_of(DigestDelivery)
    ins = (
        insert_ignoring_conflicts(s, table)
        .values(
            recipient_id=recipient_id,
            kind=kind,
            period=period,
            status="claimed",
            claimed_at=now,
            attempts=1,
            owner=owner,
        )
        .on_conflict_do_nothing(index_elements=["recipient_id", "kind", "period"])
        .returning(table.c.id)
    )
    if (await core(s, ins)).first() is not None:
        return True
    d = table.c
    return await update_one(
        s,
        update(table)
        .where(
            d.recipient_id == recipient_id,
            d.kind == kind,
            d.period == period,
            d.attempts < max_attempts,
            or_(
                and_(d.status == "claimed", d.claimed_at < now - lease),
                and_(d.status == "failed", d.claimed_at < now - lease / 2),
            ),
        )
        .values(status="claimed", claimed_at=now, owner=owner, attempts=d.attempts + 1),
    )


@dataclass(frozen=True)
class DigestClaim:
    """One claim on a digest delivery row: who claimed it and when (see `claim_digest`)."""

    recipient_id: int
    kind: str
    period: str
    owner: str
    claimed_at: datetime


def _digest_claim_is(claim: DigestClaim) -> sa.ColumnElement[bool]:
    """The row is still claimed by this claim: same owner and the same claim moment (one
    process can claim a row twice, e.g. a retry pass after its own first pass's lease ran out)."""
    d = table_of(DigestDelivery).c
    return and_(
        d.recipient_id == claim.recipient_id,
        d.kind == claim.kind,
        d.period == claim.period,
        d.owner == claim.owner,
        d.status == "claimed",
        d.claimed_at == claim.claimed_at,
    )


async def renew_digest_claim(s: AsyncSession, claim: DigestClaim, now: datetime) -> bool:
    """Right before sending: True (and the lease starts again at `now`) when `claim` is still
    ours; False when another pass took it over (then don't send)."""
    return await _update_digest(s, claim, claimed_at=now)


async def finish_digest(s: AsyncSession, claim: DigestClaim, status: str, now: datetime) -> bool:
    """Record the outcome; only the current claim may (a stale claim changes nothing)."""
    return await _update_digest(s, claim, status=status, sent_at=now if status == "sent" else None)


async def _update_digest(s: AsyncSession, claim: DigestClaim, **values: Any) -> bool:
    stmt = update(table_of(DigestDelivery)).where(_digest_claim_is(claim)).values(**values)
    return await update_one(s, stmt)


@dataclass(frozen=True)
class PendingDigest:
    """A digest delivery another pass holds (or one that failed), for the operator."""

    recipient_id: int
    name: str
    status: str
    claimed_at: datetime
    attempts: int
    owner: str | None


async def digest_claims(
    s: AsyncSession, recipient_ids: Sequence[int], kind: str, period: str
) -> list[PendingDigest]:
    """The unfinished delivery rows (claimed, failed) of these recipients for the period."""
    if not recipient_ids:
        return []
    d, u = table_of(DigestDelivery).c, table_of(User).c
    rows = await core(
        s,
        select(d.recipient_id, u.display_name, d.status, d.claimed_at, d.attempts, d.owner)
        .join_from(table_of(DigestDelivery), table_of(User), u.id == d.recipient_id)
        .where(
            d.recipient_id.in_(recipient_ids),
            d.kind == kind,
            d.period == period,
            d.status.not_in(FINISHED_DIGEST),
        )
        .order_by(d.recipient_id),
    )
    return [PendingDigest(*r) for r in rows.all()]
