"""SQL about the people on `app_user` that the digest and the reminders share: who logs as an
expert, whether someone logged anything on some days, and rows read in user order."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import and_, exists, or_
from sqlalchemy.sql import Select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.models import Contact, DayOff, IndirectHours, Role, User, table_of
from bot.storage.query_helpers import core

_Row = TypeVar("_Row")


def logs_as_expert(u: Any) -> sa.ColumnElement[bool]:
    """Experts, and coordinators who also work as one (`u`: the app_user columns)."""
    return or_(u.role == Role.expert.value, u.also_expert)


def current_expert(u: Any) -> sa.ColumnElement[bool]:
    """Someone who logs as an expert, is active and not erased."""
    return and_(logs_as_expert(u), u.active, u.deleted_at.is_(None))


def _on_days(t: Any, start: date, end: date) -> list[sa.ColumnElement[bool]]:
    if start == end:
        return [t.work_date == start]
    return [t.work_date >= start, t.work_date <= end]


def logged_on(user_id: sa.ColumnElement[Any], start: date, end: date) -> list[sa.Exists]:
    """One EXISTS per way of logging a day from `start` to `end` (inclusive): a contact,
    indirect hours, or "Niets te melden" (a day off). Soft-deleted entries do not count."""
    c = table_of(Contact).c
    i = table_of(IndirectHours).c
    off = table_of(DayOff).c
    return [
        exists().where(c.expert_id == user_id, *_on_days(c, start, end), c.deleted_at.is_(None)),
        exists().where(i.expert_id == user_id, *_on_days(i, start, end), i.deleted_at.is_(None)),
        exists().where(off.expert_id == user_id, *_on_days(off, start, end)),
    ]


async def by_user(s: AsyncSession, cls: Callable[..., _Row], query: Select[Any]) -> list[_Row]:
    """The rows of `query` (on app_user) in user id order, each made into `cls`."""
    rows = (await core(s, query.order_by(table_of(User).c.id))).all()
    return [cls(*row) for row in rows]
