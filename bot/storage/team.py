"""The team: who is in the pool, their roles, access and home municipality, and open invite
codes. Every change is audited (who, when, before/after) in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select, union_all, update
from sqlmodel import col
from sqlmodel import select as model_select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage import audit, rows
from bot.storage.models import (
    Contact,
    IndirectHours,
    Invite,
    Municipality,
    Role,
    User,
    table_of,
)
from bot.storage.query_helpers import core


@dataclass(frozen=True)
class Member:
    id: int
    name: str
    role: str
    also_expert: bool
    active: bool
    municipality_id: int | None
    municipality: str | None
    last_logged: date | None
    reminders_on: bool
    paused_until: date | None
    blocked: bool

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.coordinator.value

    @property
    def is_expert(self) -> bool:
        return self.role == Role.expert.value or self.also_expert


async def members(s: AsyncSession, user_id: int | None = None) -> list[Member]:
    """Everyone registered (not erased), coordinators first, with the day they last logged."""
    u, m = table_of(User).c, table_of(Municipality).c
    c, i = table_of(Contact).c, table_of(IndirectHours).c
    work = union_all(
        select(c.expert_id.label("who"), c.work_date.label("day")).where(c.deleted_at.is_(None)),
        select(i.expert_id.label("who"), i.work_date.label("day")).where(i.deleted_at.is_(None)),
    ).subquery()
    last = select(work.c.who, func.max(work.c.day).label("last")).group_by(work.c.who).subquery()
    stmt = (
        select(
            u.id,
            u.display_name,
            u.role,
            u.also_expert,
            u.active,
            u.home_municipality_id,
            m.name,
            last.c.last,
            u.reminders_enabled,
            u.pause_until,
            u.blocked_bot,
        )
        .select_from(
            table_of(User)
            .outerjoin(table_of(Municipality), m.id == u.home_municipality_id)
            .outerjoin(last, last.c.who == u.id)
        )
        .where(u.deleted_at.is_(None))
        .order_by(u.role.desc(), u.display_name, u.id)
    )
    if user_id is not None:
        stmt = stmt.where(u.id == user_id)
    rows = (await core(s, stmt)).all()
    return [Member(*row) for row in rows]


_snapshot = audit.columns("role", "also_expert", "active", "home_municipality_id")


class TeamError(ValueError):
    """A change that would leave someone without a role, or an unknown person."""


async def change(
    s: AsyncSession, user_id: int, actor_id: int | None, now: datetime, **values: Any
) -> User:
    """Change `active`, `home_municipality_id`, `role` or `also_expert` of one person, audited.
    Deactivation takes effect on their next update: the gatekeeper reads the row each time."""
    user = await rows.live(s, User, user_id)
    if user is None:
        raise TeamError(f"no user {user_id}")
    before = _snapshot(user)
    for name, value in values.items():
        if name not in before:
            raise TeamError(f"not a team field: {name}")
        setattr(user, name, value)
    if user.role == Role.expert.value:
        user.also_expert = False  # an expert is one already
    after = _snapshot(user)
    if after != before:
        s.add(user)
        await s.flush()
        audit.record(s, actor_id, now, "user", user_id, "edit", before, after)
    return user


async def set_roles(
    s: AsyncSession,
    user_id: int,
    *,
    coordinator: bool,
    expert: bool,
    actor_id: int | None,
    now: datetime,
) -> User:
    """Hold the coordinator role, the expert role, or both."""
    if not (coordinator or expert):
        raise TeamError("a person needs at least one role")
    role = Role.coordinator.value if coordinator else Role.expert.value
    return await change(
        s, user_id, actor_id, now, role=role, also_expert=bool(coordinator and expert)
    )


async def by_name(s: AsyncSession, name: str) -> list[User]:
    """Registered people whose display name is `name` (case-insensitive), or whose id it is."""
    q = model_select(User).where(col(User.deleted_at).is_(None))
    if name.isdigit():
        q = q.where(col(User.id) == int(name))
    else:
        q = q.where(func.lower(User.display_name) == name.strip().lower())
    return list((await s.exec(q.order_by(col(User.id)))).all())


# --------------------------------------------------------------------------- invites


@dataclass(frozen=True)
class OpenInvite:
    id: int
    role: str
    municipality: str | None
    created_at: datetime
    expires_at: datetime
    created_by: str | None
    created_by_id: int | None


def _open(now: datetime) -> Any:
    inv = table_of(Invite).c
    return (inv.used_at.is_(None), inv.revoked_at.is_(None), inv.expires_at > now)


async def open_invites(s: AsyncSession, now: datetime) -> list[OpenInvite]:
    inv, m, u = table_of(Invite).c, table_of(Municipality).c, table_of(User).c
    rows = (
        await core(
            s,
            select(
                inv.id,
                inv.role,
                m.name,
                inv.created_at,
                inv.expires_at,
                u.display_name,
                inv.created_by_id,
            )
            .select_from(
                table_of(Invite)
                .outerjoin(table_of(Municipality), m.id == inv.municipality_id)
                .outerjoin(table_of(User), u.id == inv.created_by_id)
            )
            .where(*_open(now))
            .order_by(inv.created_at, inv.id),
        )
    ).all()
    return [OpenInvite(*row) for row in rows]


async def revoke_invites(
    s: AsyncSession,
    now: datetime,
    actor_id: int | None,
    *,
    invite_id: int | None = None,
    created_by_id: int | None = None,
) -> int:
    """Revoke one open code, or every open code a person made. A revoked code fails like a
    used one. Returns how many were revoked."""
    inv = table_of(Invite).c
    where = list(_open(now))
    if invite_id is not None:
        where.append(inv.id == invite_id)
    if created_by_id is not None:
        where.append(inv.created_by_id == created_by_id)
    ids = [row[0] for row in (await core(s, select(inv.id).where(*where))).all()]
    if not ids:
        return 0
    await core(s, update(table_of(Invite)).where(inv.id.in_(ids)).values(revoked_at=now))
    for revoked in ids:
        audit.record(s, actor_id, now, "invite", revoked, "delete", None, {"revoked": True})
    return len(ids)
