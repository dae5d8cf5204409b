"""The audit trail: one row per change of a coordinator's or expert's data."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.models import VOCAB_TABLES, AuditLog, User, id_of


def record(
    s: AsyncSession,
    actor_id: int | None,
    now: datetime,
    entity: str,
    entity_id: int,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    """Add an audit row to the session's transaction (it commits or rolls back with the change)."""
    s.add(
        AuditLog(
            actor_id=actor_id,
            at=now,
            entity=entity,
            entity_id=entity_id,
            action=action,
            before=before,
            after=after,
        )
    )


def snapshot(row: Any) -> dict[str, Any]:
    """The row's columns as JSON-safe values, for audit_log.before / after."""
    out: dict[str, Any] = {}
    for column in row.__table__.columns:
        value = getattr(row, column.name)
        out[column.name] = value.isoformat() if isinstance(value, date | time | datetime) else value
    return out


def columns(*names: str) -> Callable[[Any], dict[str, Any]]:
    """What the audit rows of a kind of row record when only some of its columns matter: a
    function giving these columns of a row, values as they are, for before and after."""

    def state(row: Any) -> dict[str, Any]:
        return {name: getattr(row, name) for name in names}

    return state


async def change(
    s: AsyncSession,
    row: Any,
    changes: Mapping[str, Any],
    now: datetime,
    *,
    actor_id: int | None,
    entity: str,
    action: str = "edit",
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Set `changes` (column -> value) on `row`, stamp updated_at, flush, and record the audit
    row. Returns the snapshots before and after."""
    before = snapshot(row)
    for key, value in changes.items():
        setattr(row, key, value)
    row.updated_at = now
    s.add(row)
    await s.flush()
    after = snapshot(row)
    record(s, actor_id, now, entity, id_of(row), action, before, after)
    return before, after


async def create(
    s: AsyncSession, row: Any, now: datetime, *, actor_id: int | None, entity: str
) -> None:
    """Add the new `row`, flush (it gets its id) and record its creation."""
    s.add(row)
    await s.flush()
    record(s, actor_id, now, entity, id_of(row), "create", None, snapshot(row))


# What the coordinator's audit view (/logboek) shows: changes to the team, the lists, the
# fair-share ledger and the deelopdrachten.
TEAM_ENTITIES = (
    "user",
    "invite",
    "vindplek",
    "ledger_year",
    "mgr_key",
    "share_deviation",
    *VOCAB_TABLES,
    "deelopdracht",
    "deelopdracht_measure",
    "deelopdracht_moment",
)


@dataclass(frozen=True)
class Entry:
    at: datetime
    actor: str | None  # None: the command line
    entity: str
    entity_id: int
    subject: str | None  # the person's name, for entity "user"
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


async def recent(
    s: AsyncSession, limit: int = 20, entities: tuple[str, ...] = TEAM_ENTITIES
) -> list[Entry]:
    """The latest audit rows of these entities, newest first, with the names of who did it
    and (for people) whom it was about."""
    rows = (
        await s.exec(
            select(AuditLog)
            .where(col(AuditLog.entity).in_(entities))
            .order_by(col(AuditLog.at).desc(), col(AuditLog.id).desc())
            .limit(limit)
        )
    ).all()
    ids = {r.actor_id for r in rows if r.actor_id} | {
        r.entity_id for r in rows if r.entity == "user"
    }
    names = {
        uid: name
        for uid, name in (
            await s.exec(select(User.id, User.display_name).where(col(User.id).in_(ids)))
        ).all()
    }
    return [
        Entry(
            r.at,
            names.get(r.actor_id) if r.actor_id else None,
            r.entity,
            r.entity_id,
            names.get(r.entity_id) if r.entity == "user" else None,
            r.action,
            r.before,
            r.after,
        )
        for r in rows
    ]
