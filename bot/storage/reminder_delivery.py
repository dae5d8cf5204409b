"""Delivery bookkeeping of the daily reminders, and "Niets te melden" (a day off).

`reminder_delivery` is unique per (user, local_date): an INSERT ... ON CONFLICT DO NOTHING
claims a day; only the process whose insert went through sends. A claim is identified by its
`claimed_at`: right before sending, the sender renews it (`renew_reminder_claim`, a
conditional update that also restarts the lease) and does not send when it is no longer its
own; the outcome is written under the same condition.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy import and_, exists, or_, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.models import DayOff, ReminderDelivery, User, table_of
from bot.storage.query_helpers import core, insert_ignoring_conflicts, update_one
from bot.storage.user_queries import by_user, current_expert, logged_on

__all__ = [
    "ReminderTarget",
    "add_day_off",
    "answer_reminder",
    "claim_new_reminders",
    "get_reminder",
    "logged_anything",
    "new_reminder_candidates",
    "pending_reminders",
    "reclaim_reminder",
    "renew_reminder_claim",
    "set_reminder_status",
    "snooze_reminder",
]


@dataclass(frozen=True)
class ReminderTarget:
    user_id: int
    chat_id: int
    language: str
    name: str
    days: str
    at: time
    pause_until: date | None
    delivery_id: int | None = None
    snooze_count: int = 0
    due_at: datetime | None = None


def _nothing_logged(user_id: sa.ColumnElement[Any], day: date) -> sa.ColumnElement[bool]:
    return and_(*(~logged for logged in logged_on(user_id, day, day)))


def _target_columns(u: Any) -> tuple[Any, ...]:
    """The user columns of a :class:`ReminderTarget`, in its field order."""
    return (
        u.id,
        u.chat_id,
        u.language,
        u.display_name,
        u.reminder_days,
        u.reminder_time,
        u.pause_until,
    )


def _due_again(r: Any, now: datetime, lease: timedelta) -> sa.ColumnElement[bool]:
    """A snoozed reminder whose time has come, or a claim whose sender died (lease over)."""
    return or_(
        and_(r.status == "snoozed", r.due_at <= now),
        and_(r.status == "claimed", r.claimed_at < now - lease),
    )


def _reminder_user_filter(u: Any, day: date) -> sa.ColumnElement[bool]:
    return and_(
        current_expert(u),
        u.reminders_enabled,
        ~u.blocked_bot,
        or_(u.pause_until.is_(None), u.pause_until < day),
    )


async def new_reminder_candidates(
    s: AsyncSession, day: date, local_time: time
) -> list[ReminderTarget]:
    """Experts whose reminder time has come today, with no reminder row yet and nothing logged.

    Holidays and the late limit are decided by the caller (pure domain); this only narrows.
    """
    u = table_of(User).c
    r = table_of(ReminderDelivery).c
    return await by_user(
        s,
        ReminderTarget,
        select(*_target_columns(u)).where(
            _reminder_user_filter(u, day),
            u.reminder_days.contains(str(day.isoweekday())),
            u.reminder_time <= local_time,
            ~exists().where(r.user_id == u.id, r.local_date == day),
            _nothing_logged(u.id, day),
        ),
    )


async def claim_new_reminders(
    s: AsyncSession, targets: Sequence[ReminderTarget], day: date, now: datetime
) -> list[ReminderTarget]:
    """Insert claim rows; returns the targets this process won (with their delivery ids)."""
    by_user = {t.user_id: t for t in targets}
    won: list[ReminderTarget] = []
    table = table_of(ReminderDelivery)
    batch = 500  # stays far below SQLite's bound-parameter limit
    items = list(targets)
    for k in range(0, len(items), batch):
        values = [
            dict(
                user_id=t.user_id,
                local_date=day,
                status="claimed",
                due_at=t.due_at or now,
                snooze_count=0,
                claimed_at=now,
            )
            for t in items[k : k + batch]
        ]
        stmt = (
            insert_ignoring_conflicts(s, table)
            .values(values)
            .on_conflict_do_nothing(index_elements=["user_id", "local_date"])
            .returning(table.c.id, table.c.user_id)
        )
        for delivery_id, user_id in (await core(s, stmt)).all():
            won.append(
                dataclasses.replace(by_user[user_id], delivery_id=delivery_id, snooze_count=0)
            )
    won.sort(key=lambda t: t.user_id)
    return won


async def pending_reminders(
    s: AsyncSession, day: date, now: datetime, lease: timedelta
) -> list[ReminderTarget]:
    """Today's rows to (re)send: snoozed ones that are due again, and claims whose sender died."""
    u = table_of(User).c
    r = table_of(ReminderDelivery).c
    rows = (
        await core(
            s,
            select(*_target_columns(u), r.id, r.snooze_count, r.due_at)
            .select_from(table_of(ReminderDelivery).join(table_of(User), u.id == r.user_id))
            .where(
                r.local_date == day,
                _due_again(r, now, lease),
                _reminder_user_filter(u, day),
                _nothing_logged(u.id, day),
            )
            .order_by(u.id),
        )
    ).all()
    out = []
    for user_id, chat_id, language, name, days, at, pause_until, d_id, snoozes, due in rows:
        if due is not None and due.tzinfo is None:  # raw column: SQLite drops the zone
            due = due.replace(tzinfo=ZoneInfo("UTC"))
        out.append(
            ReminderTarget(
                user_id, chat_id, language, name, days, at, pause_until, d_id, snoozes, due
            )
        )
    return out


async def reclaim_reminder(
    s: AsyncSession, delivery_id: int, now: datetime, lease: timedelta
) -> bool:
    r = table_of(ReminderDelivery).c
    return await update_one(
        s,
        update(table_of(ReminderDelivery))
        .where(r.id == delivery_id, _due_again(r, now, lease))
        .values(status="claimed", claimed_at=now),
    )


async def _update_own_claim(
    s: AsyncSession, delivery_id: int, claim: datetime, /, **values: Any
) -> bool:
    """Sets `values` only while the claim made at `claim` is still ours."""
    r = table_of(ReminderDelivery).c
    return await update_one(
        s,
        update(table_of(ReminderDelivery))
        .where(r.id == delivery_id, r.status == "claimed", r.claimed_at == claim)
        .values(**values),
    )


async def renew_reminder_claim(
    s: AsyncSession, delivery_id: int, claimed_at: datetime, now: datetime
) -> bool:
    """Right before sending: True (and the lease starts again at `now`) when the claim made at
    `claimed_at` is still ours; False when another pass took it over (then don't send)."""
    return await _update_own_claim(s, delivery_id, claimed_at, claimed_at=now)


async def set_reminder_status(
    s: AsyncSession,
    delivery_id: int,
    status: str,
    *,
    claimed_at: datetime,
    now: datetime | None = None,
    message_id: int | None = None,
) -> bool:
    """Record a send's outcome, only while the claim made at `claimed_at` is still ours."""
    values: dict[str, Any] = {"status": status}
    if status == "sent":
        values.update(sent_at=now, message_id=message_id)
    return await _update_own_claim(s, delivery_id, claimed_at, **values)


async def get_reminder(s: AsyncSession, delivery_id: int) -> ReminderDelivery | None:
    return await s.get(ReminderDelivery, delivery_id)


async def snooze_reminder(
    s: AsyncSession,
    delivery_id: int,
    user_id: int,
    expected_count: int,
    until: datetime,
    max_snoozes: int,
) -> bool:
    """Conditional: only the message with the current snooze count can snooze, and only while
    snoozes are left. A double tap or an old message changes nothing."""
    r = table_of(ReminderDelivery).c
    return await update_one(
        s,
        update(table_of(ReminderDelivery))
        .where(
            r.id == delivery_id,
            r.user_id == user_id,
            r.status.in_(("sent", "unknown")),  # unknown: a send timed out, yet arrived
            r.snooze_count == expected_count,
            r.snooze_count < max_snoozes,
        )
        .values(status="snoozed", snooze_count=r.snooze_count + 1, due_at=until),
    )


async def answer_reminder(s: AsyncSession, delivery_id: int, user_id: int) -> None:
    r = table_of(ReminderDelivery).c
    await core(
        s,
        update(table_of(ReminderDelivery))
        .where(r.id == delivery_id, r.user_id == user_id)
        .values(status="answered"),
    )


async def add_day_off(s: AsyncSession, expert_id: int, day: date, now: datetime) -> bool:
    """Store "Niets te melden" for a day; True when it was new."""
    table = table_of(DayOff)
    stmt = (
        insert_ignoring_conflicts(s, table)
        .values(expert_id=expert_id, work_date=day, created_at=now)
        .on_conflict_do_nothing(index_elements=["expert_id", "work_date"])
        .returning(table.c.id)
    )
    return (await core(s, stmt)).first() is not None


async def logged_anything(s: AsyncSession, expert_id: int, day: date) -> bool:
    u = table_of(User).c
    res = (
        await core(s, select(sa.literal(1)).where(u.id == expert_id, ~_nothing_logged(u.id, day)))
    ).first()
    return res is not None
