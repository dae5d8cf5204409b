"""Follow-ups (doorstroom): some weeks after a contact with new residents under a deelopdracht,
its expert is asked once how many of them went on to use a service. Counts only, never who.

- `sync` keeps a contact's follow-up in step with the contact (created when saved, its day
  moved or the row dropped by a correction while not yet asked); unique per contact.
- `due` lists what to ask now; `claim` sets `asked_at` only where it is still empty, so two
  processes (or a pass after a restart) never ask twice.
- `answer` and `set_kind` write only where nothing was answered yet: an old or double tap
  records nothing. Every answer has its audit row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import and_, func, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage import audit
from bot.storage.models import (
    Contact,
    ContactFollowup,
    Deelopdracht,
    ReferralTarget,
    Role,
    User,
    id_of,
    table_of,
)
from bot.storage.query_helpers import update_one

ENTITY = "contact_followup"
MAX_PER_DAY = 3  # questions per expert per day; more wait for the next day
# A contact's date corrected later (at most this far) moves its follow-up with it: `due`
# decides by the contact's date now, `due_on` narrows the query.
DATE_SLACK = timedelta(days=62)


async def sync(s: AsyncSession, contact: Contact) -> None:
    """After a contact was saved or corrected: its follow-up, if it should have one."""
    contact_id = id_of(contact)
    existing = (
        await s.exec(select(ContactFollowup).where(ContactFollowup.contact_id == contact_id))
    ).first()
    weeks = None
    if contact.deelopdracht_id is not None and contact.residents_new > 0:
        deel = await s.get(Deelopdracht, contact.deelopdracht_id)
        weeks = deel.followup_weeks if deel is not None else None
    if existing is not None and existing.asked_at is not None:
        return  # asked already: what was asked stays
    if weeks is None or contact.deleted_at is not None:
        if existing is not None:
            await s.delete(existing)
        return
    due_on = contact.work_date + timedelta(weeks=weeks)
    if existing is None:
        s.add(ContactFollowup(contact_id=contact_id, expert_id=contact.expert_id, due_on=due_on))
    elif existing.due_on != due_on:
        existing.due_on = due_on
        s.add(existing)
    await s.flush()


@dataclass(frozen=True)
class Due:
    id: int
    expert_id: int
    chat_id: int
    language: str
    work_date: date
    residents_new: int
    deelopdracht: str


def _asks_now(u: Any, day: date) -> sa.ColumnElement[bool]:
    """The expert's reminder settings: an active expert who did not block the bot, with
    reminders on, not paused, on one of their reminder days."""
    return and_(
        or_(u.role == Role.expert, u.also_expert),
        u.active,
        u.deleted_at.is_(None),
        u.reminders_enabled,
        ~u.blocked_bot,
        or_(u.pause_until.is_(None), u.pause_until < day),
        u.reminder_days.contains(str(day.isoweekday())),
    )


async def due(s: AsyncSession, day: date, day_start: datetime) -> list[Due]:
    """Follow-ups to ask on ``day``: due, not asked, contact not deleted, the expert reachable;
    at most MAX_PER_DAY per expert including those asked since ``day_start``."""
    ft, ct, ut, dt = (table_of(m) for m in (ContactFollowup, Contact, User, Deelopdracht))
    f, c, u, d = ft.c, ct.c, ut.c, dt.c
    asked_today = dict(
        (
            await s.execute(
                sa.select(f.expert_id, func.count())
                .where(f.asked_at >= day_start)
                .group_by(f.expert_id)
            )
        ).all()
    )
    rows = (
        await s.execute(
            sa.select(
                f.id,
                f.expert_id,
                u.chat_id,
                u.language,
                c.work_date,
                c.residents_new,
                d.title,
                d.followup_weeks,
            )
            .join(ct, c.id == f.contact_id)
            .join(ut, u.id == f.expert_id)
            .join(dt, d.id == c.deelopdracht_id)
            .where(
                f.due_on <= day + DATE_SLACK,
                f.asked_at.is_(None),
                f.answered_at.is_(None),
                c.deleted_at.is_(None),
                c.residents_new > 0,
                _asks_now(u, day),
            )
            .order_by(f.due_on, f.id)
        )
    ).all()
    out: list[Due] = []
    for row in rows:
        if row.work_date + timedelta(weeks=row.followup_weeks) > day:
            continue  # its contact's date (or the deelopdracht's weeks) changed since
        n = asked_today.get(row.expert_id, 0)
        if n >= MAX_PER_DAY:
            continue
        asked_today[row.expert_id] = n + 1
        out.append(Due(*row[:7]))
    return out


async def claim(s: AsyncSession, followup_id: int, now: datetime) -> bool:
    """Mark as asked, only if nobody did: True for the one pass that may send it."""
    f = table_of(ContactFollowup)
    return await update_one(
        s, sa.update(f).where(f.c.id == followup_id, f.c.asked_at.is_(None)).values(asked_at=now)
    )


async def release(s: AsyncSession, followup_id: int, asked_at: datetime) -> None:
    """A question that could not be sent (not delivered): ask again in a later pass."""
    f = table_of(ContactFollowup)
    await s.execute(
        sa.update(f)
        .where(f.c.id == followup_id, f.c.asked_at == asked_at, f.c.answered_at.is_(None))
        .values(asked_at=None)
    )


async def get(s: AsyncSession, followup_id: int) -> ContactFollowup | None:
    return await s.get(ContactFollowup, followup_id)


async def open_for(s: AsyncSession, followup_id: int, expert_id: int) -> Due | None:
    """The expert's asked, unanswered follow-up whose contact still exists."""
    ft, ct, dt = (table_of(m) for m in (ContactFollowup, Contact, Deelopdracht))
    f, c, d = ft.c, ct.c, dt.c
    row = (
        await s.execute(
            sa.select(
                f.id,
                f.expert_id,
                sa.literal(0),
                sa.literal(""),
                c.work_date,
                c.residents_new,
                d.title,
            )
            .join(ct, c.id == f.contact_id)
            .join(dt, d.id == c.deelopdracht_id)
            .where(
                f.id == followup_id,
                f.expert_id == expert_id,
                f.asked_at.is_not(None),
                f.answered_at.is_(None),
                c.deleted_at.is_(None),
            )
        )
    ).first()
    return Due(*row) if row is not None else None


async def _set_own(
    s: AsyncSession,
    followup_id: int,
    expert_id: int,
    only_if: tuple[sa.ColumnElement[bool], ...],
    **values: Any,
) -> bool:
    """Set `values` on this expert's follow-up when every condition of `only_if` holds: True
    when it changed (so a second tap, or a race, changes nothing)."""
    f = table_of(ContactFollowup)
    where = (f.c.id == followup_id, f.c.expert_id == expert_id, *only_if)
    return await update_one(s, sa.update(f).where(*where).values(**values))


async def answer(
    s: AsyncSession, followup_id: int, expert_id: int, went_on: int | None, now: datetime
) -> bool:
    """Record the answer (None: "weet ik niet"); False when it was answered before, is not
    this expert's, or its contact is gone."""
    f, c = table_of(ContactFollowup).c, table_of(Contact).c
    alive = sa.exists().where(c.id == f.contact_id, c.deleted_at.is_(None))
    only_if = (f.asked_at.is_not(None), f.answered_at.is_(None), alive)
    if not await _set_own(s, followup_id, expert_id, only_if, went_on=went_on, answered_at=now):
        return False
    audit.record(s, expert_id, now, ENTITY, followup_id, "answer", None, {"went_on": went_on})
    return True


async def set_kind(
    s: AsyncSession, followup_id: int, expert_id: int, kind_id: int, now: datetime
) -> bool:
    """Which kind of service (a referral target), once, after a count above 0."""
    f = table_of(ContactFollowup).c
    only_if = (f.answered_at.is_not(None), f.went_on > 0, f.service_kind_id.is_(None))
    if not await _set_own(s, followup_id, expert_id, only_if, service_kind_id=kind_id):
        return False
    target = await s.get(ReferralTarget, kind_id)
    code = target.code if target is not None else None
    audit.record(s, expert_id, now, ENTITY, followup_id, "kind", None, {"service_kind": code})
    return True


async def service_kinds(s: AsyncSession) -> list[ReferralTarget]:
    return list(
        (
            await s.exec(
                select(ReferralTarget)
                .where(ReferralTarget.active)
                .order_by(col(ReferralTarget.sort_order), col(ReferralTarget.id))
            )
        ).all()
    )
