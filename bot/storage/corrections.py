"""Corrections of an expert's own entries (contacts, indirect hours, signals, stories): the
latest entries, one entry, edit and soft delete — always with an audit row (before / after).

Every query here is scoped to one expert: an expert can only ever see or change their own rows.
(`bot.storage.worklog` re-exports these for its callers.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import update
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage import audit
from bot.storage.audit import snapshot
from bot.storage.models import (
    ActivityType,
    Contact,
    Deelopdracht,
    IndirectHours,
    IndirectKind,
    Municipality,
    Signal,
    SignalKind,
    Story,
    Theme,
    Vindplek,
)

# Entity names as stored in audit_log.entity, with their tables.
ENTITIES: dict[str, type[SQLModel]] = {
    "contact": Contact,
    "indirect_hours": IndirectHours,
    "signal": Signal,
    "story": Story,
}

# Which columns an expert may change per entity (everything else is fixed after saving).
EDITABLE: dict[str, frozenset[str]] = {
    "contact": frozenset({"work_date", "duration_minutes", "municipality_id"}),
    "indirect_hours": frozenset({"work_date", "duration_minutes", "kind_id", "municipality_id"}),
    "signal": frozenset({"work_date", "kind_id", "municipality_id", "theme_id", "text"}),
    "story": frozenset({"work_date", "municipality_id", "theme_id", "deelopdracht_id", "text"}),
}
# A story told with a contact shares the contact's date, municipality and deelopdracht: those
# change with the contact, never on their own.
CONTACT_SHARED = frozenset({"work_date", "municipality_id", "deelopdracht_id"})


# --------------------------------------------------------------------------- corrections


@dataclass(frozen=True)
class Entry:
    """One entry as the corrections list shows it."""

    entity: str  # contact | indirect_hours | signal | story
    id: int
    work_date: date
    created_at: datetime
    kind: str | None  # activity type / indirect kind / signal kind label; None for a story
    minutes: int | None
    municipality_id: int | None
    municipality: str | None  # None = regional
    text: str | None
    kind_id: int | None = None  # hours, signal (a contact's activity type: not editable here)
    theme_id: int | None = None  # signal, story
    theme: str | None = None
    deelopdracht_id: int | None = None  # story
    deelopdracht: str | None = None  # its title
    contact_id: int | None = None  # story: told with this contact


def _entry_query(entity: str, expert_id: int) -> Any:
    table: Any = ENTITIES[entity]
    kind_table: Any = {
        "contact": ActivityType,
        "indirect_hours": IndirectKind,
        "signal": SignalKind,
        "story": None,
    }[entity]
    kind_col = kind_table.label if kind_table is not None else None
    minutes = table.duration_minutes if entity in ("contact", "indirect_hours") else None
    text = table.text if entity in ("signal", "story") else None
    themed = entity in ("signal", "story")
    story = entity == "story"
    kind_id = table.kind_id if entity in ("indirect_hours", "signal") else None
    columns: list[Any] = [  # Entry's fields after `entity`, in their order
        table.id,
        table.work_date,
        table.created_at,
        kind_col if kind_col is not None else sa.null(),
        minutes if minutes is not None else sa.null(),
        table.municipality_id,
        Municipality.name,
        text if text is not None else sa.null(),
        kind_id if kind_id is not None else sa.null(),
        table.theme_id if themed else sa.null(),
        Theme.label if themed else sa.null(),
        table.deelopdracht_id if story else sa.null(),
        Deelopdracht.title if story else sa.null(),
        table.contact_id if story else sa.null(),
    ]
    many: Any = select  # sqlmodel types select() with up to 4 columns
    q = many(*columns).outerjoin(Municipality, Municipality.id == table.municipality_id)
    if kind_table is not None:
        fk = table.activity_type_id if entity == "contact" else table.kind_id
        q = q.join(kind_table, kind_table.id == fk)
    if themed:
        q = q.outerjoin(Theme, col(Theme.id) == table.theme_id)
    if story:
        q = q.outerjoin(Deelopdracht, col(Deelopdracht.id) == table.deelopdracht_id)
    return q.where(table.expert_id == expert_id, table.deleted_at.is_(None))


def _to_entry(entity: str, row: Sequence[Any]) -> Entry:
    """`row` has the columns of `_entry_query`, which are Entry's fields after `entity`."""
    return Entry(entity, *row)


async def recent_entries(
    s: AsyncSession, expert_id: int, limit: int = 8, offset: int = 0
) -> list[Entry]:
    """The expert's entries of all four kinds, newest first (by time of logging): ``limit``
    of them after skipping the ``offset`` newest."""
    offset = max(0, offset)
    out: list[Entry] = []
    for entity, table in ENTITIES.items():
        t: Any = table
        q = _entry_query(entity, expert_id).order_by(t.created_at.desc(), t.id.desc())
        rows = (await s.exec(q.limit(offset + limit))).all()
        out += [_to_entry(entity, r) for r in rows]
    # Ties in time: a fixed order (id, then entity), so pages never overlap or skip.
    out.sort(key=lambda e: (e.created_at, e.id, e.entity), reverse=True)
    return out[offset : offset + limit]


async def get_entry(s: AsyncSession, entity: str, entry_id: int, expert_id: int) -> Entry | None:
    """One not-deleted entry, only when it belongs to ``expert_id``."""
    if entity not in ENTITIES:
        return None
    t: Any = ENTITIES[entity]
    row = (await s.exec(_entry_query(entity, expert_id).where(t.id == entry_id))).first()
    return _to_entry(entity, row) if row is not None else None


async def _own_row(s: AsyncSession, entity: str, entry_id: int, expert_id: int) -> Any | None:
    t: Any = ENTITIES.get(entity)
    if t is None:
        return None
    return (
        await s.exec(
            select(t).where(t.id == entry_id, t.expert_id == expert_id, t.deleted_at.is_(None))
        )
    ).first()


async def update_entry(
    s: AsyncSession,
    entity: str,
    entry_id: int,
    expert_id: int,
    changes: dict[str, Any],
    now: datetime,
) -> bool:
    """Change allowed columns of the expert's own entry and write an audit row.

    Returns False when the entry is not theirs, deleted, or nothing would change."""
    bad = set(changes) - EDITABLE.get(entity, frozenset())
    if bad:
        raise ValueError(f"not editable for {entity}: {sorted(bad)}")
    row = await _own_row(s, entity, entry_id, expert_id)
    if row is None:
        return False
    if entity == "story" and row.contact_id is not None and set(changes) & CONTACT_SHARED:
        raise ValueError("a contact's story takes its date, place and deelopdracht from it")
    if all(getattr(row, k) == v for k, v in changes.items()):
        return False
    if entity in ("contact", "story") and "municipality_id" in changes:
        changes = {**changes, **await _links_left_behind(s, row, changes["municipality_id"])}
    before, after = await audit.change(s, row, changes, now, actor_id=expert_id, entity=entity)
    if entity == "contact":
        # The story told with a contact shares its date, municipality and deelopdracht.
        shared = ("work_date", "municipality_id", "deelopdracht_id")
        follow = {k: getattr(row, k) for k in shared if before[k] != after[k]}
        for story in await _contact_stories(s, entry_id, expert_id):
            if not all(getattr(story, k) == v for k, v in follow.items()):
                await audit.change(s, story, follow, now, actor_id=expert_id, entity="story")
    return True


async def _links_left_behind(
    s: AsyncSession, row: Contact | Story, municipality_id: int | None
) -> dict[str, None]:
    """A vindplek or deelopdracht belongs to one municipality: the links of `row` (a contact,
    or a story) that no longer fit when it moves to `municipality_id`, set to None."""
    dropped: dict[str, None] = {}
    if isinstance(row, Contact) and row.vindplek_id is not None:
        place = await s.get(Vindplek, row.vindplek_id)
        if place is None or place.municipality_id != municipality_id:
            dropped["vindplek_id"] = None
    if row.deelopdracht_id is not None:
        assignment = await s.get(Deelopdracht, row.deelopdracht_id)
        if assignment is None or assignment.municipality_id != municipality_id:
            dropped["deelopdracht_id"] = None
    return dropped


async def _contact_stories(s: AsyncSession, contact_id: int, expert_id: int) -> list[Story]:
    """The not-deleted stories saved with one of the expert's contacts."""
    return list(
        (
            await s.exec(
                select(Story)
                .where(
                    Story.contact_id == contact_id,
                    Story.expert_id == expert_id,
                    col(Story.deleted_at).is_(None),
                )
                .order_by(col(Story.id))
            )
        ).all()
    )


async def delete_entry(
    s: AsyncSession, entity: str, entry_id: int, expert_id: int, now: datetime
) -> bool:
    """Soft-delete the expert's own entry (reports keep the row, marked deleted) + audit row.

    A contact takes the story told with it along (each with its own audit row)."""
    if not await _soft_delete(s, entity, entry_id, expert_id, now):
        return False
    if entity == "contact":
        for story in await _contact_stories(s, entry_id, expert_id):
            assert story.id is not None
            await _soft_delete(s, "story", story.id, expert_id, now)
    return True


async def _soft_delete(
    s: AsyncSession, entity: str, entry_id: int, expert_id: int, now: datetime
) -> bool:
    row = await _own_row(s, entity, entry_id, expert_id)
    if row is None:
        return False
    before = snapshot(row)
    t: Any = ENTITIES[entity]
    # Conditional, so two deletes of the same row can't both count.
    result = await s.exec(
        update(t)
        .where(t.id == entry_id, t.expert_id == expert_id, t.deleted_at.is_(None))
        .values(deleted_at=now, updated_at=now)
    )
    if result.rowcount != 1:
        return False
    await s.refresh(row)
    audit.record(s, expert_id, now, entity, entry_id, "delete", before, snapshot(row))
    return True
