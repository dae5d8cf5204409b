"""What experts log besides contacts: indirect hours, signals, stories; and their own week.
Corrections (edit / soft delete, always with an audit trail) of all four entry kinds live in
`bot.storage.corrections`, re-exported here.

Every query here is scoped to one expert: an expert can only ever see or change their own rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.week import ContactRow, IndirectRow
from bot.storage import idempotent
from bot.storage.corrections import CONTACT_SHARED as CONTACT_SHARED
from bot.storage.corrections import EDITABLE as EDITABLE
from bot.storage.corrections import ENTITIES as ENTITIES
from bot.storage.corrections import Entry as Entry
from bot.storage.corrections import delete_entry as delete_entry
from bot.storage.corrections import get_entry as get_entry
from bot.storage.corrections import recent_entries as recent_entries
from bot.storage.corrections import update_entry as update_entry
from bot.storage.models import (
    Contact,
    ContactTheme,
    IndirectHours,
    IndirectKind,
    Municipality,
    Signal,
    Story,
    Theme,
    User,
    id_of,
)
from bot.storage.vocab import load_vocabulary

# --------------------------------------------------------------------------- reference lists


@dataclass(frozen=True)
class Option:
    id: int
    code: str
    label: str
    aliases: tuple[str, ...] = ()  # extra words the text parsers accept


async def _vocab(s: AsyncSession, kind: str) -> list[Option]:
    return [Option(r.id, r.code, r.label, r.aliases) for r in (await load_vocabulary(s))[kind]]


async def indirect_kinds(s: AsyncSession) -> list[Option]:
    return await _vocab(s, "indirect_kinds")


async def signal_kinds(s: AsyncSession) -> list[Option]:
    return await _vocab(s, "signal_kinds")


async def themes(s: AsyncSession) -> list[Option]:
    return await _vocab(s, "themes")


async def municipalities(s: AsyncSession) -> list[Option]:
    rows = (
        await s.exec(select(Municipality).where(Municipality.active).order_by(Municipality.name))
    ).all()
    return [Option(id_of(m), m.code, m.name) for m in rows]


async def municipality_ids(s: AsyncSession) -> dict[str, int]:
    """Every municipality (also inactive ones) by its lower-case name: to file a typed name."""
    rows = (await s.exec(select(Municipality.id, Municipality.name))).all()
    return {name.lower(): muni_id for muni_id, name in rows if muni_id is not None}


async def label_of(s: AsyncSession, table: Any, row_id: int | None) -> str | None:
    """The label (or name, for municipalities) of one reference row."""
    if row_id is None:
        return None
    row = await s.get(table, row_id)
    if row is None:
        return None
    return row.name if isinstance(row, Municipality) else row.label


async def default_municipality_id(s: AsyncSession, user: User) -> int | None:
    """The municipality of the expert's latest entry (contact or hours) that has one (regional
    hours have none), else their home municipality."""
    assert user.id is not None
    latest: list[tuple[datetime, int]] = []
    for table in (Contact, IndirectHours):
        row = (
            await s.exec(
                select(table.created_at, table.municipality_id)
                .where(
                    table.expert_id == user.id,
                    col(table.deleted_at).is_(None),
                    col(table.municipality_id).is_not(None),
                )
                .order_by(col(table.created_at).desc(), col(table.id).desc())
                .limit(1)
            )
        ).first()
        if row is not None and row[1] is not None:
            latest.append((row[0], row[1]))
    if latest:
        return max(latest)[1]
    return user.home_municipality_id


async def day_minutes(
    s: AsyncSession,
    expert_id: int,
    work_date: date,
    *,
    exclude: tuple[str, int] | None = None,
) -> int:
    """Minutes already logged (contacts + indirect hours) by the expert on one day."""
    total = 0
    for name in ("contact", "indirect_hours"):
        table: Any = ENTITIES[name]
        q = select(func.coalesce(func.sum(table.duration_minutes), 0)).where(
            table.expert_id == expert_id,
            table.work_date == work_date,
            table.deleted_at.is_(None),
        )
        if exclude is not None and exclude[0] == name:
            q = q.where(table.id != exclude[1])
        total += int((await s.exec(q)).one())
    return total


# --------------------------------------------------------------------------- saving


async def by_submission_key(s: AsyncSession, entity: str, key: str) -> Any | None:
    table: Any = ENTITIES[entity]
    return (await s.exec(select(table).where(table.submission_key == key))).first()


async def _insert_once(s: AsyncSession, entity: str, row: Any) -> tuple[Any, bool]:
    """Insert unless a row with the same submission key exists (also one a racing update
    inserted first): (the row that is there, created)."""

    async def find() -> Any | None:
        return await by_submission_key(s, entity, row.submission_key)

    async def insert() -> Any:
        s.add(row)
        await s.flush()
        return row

    saved = await idempotent.insert_once(s, find, insert)
    return saved.row, saved.created


async def add_entry(
    s: AsyncSession, entity: str, *, now: datetime, **columns: Any
) -> tuple[Any, bool]:
    """Save an expert's entry of `entity` (see ENTITIES) once per submission key.

    `columns` are the table's own (submission_key, expert_id, work_date, ...); `now` becomes
    created_at. Returns the row and whether it was created (False: it was already there).
    """
    return await _insert_once(s, entity, ENTITIES[entity](created_at=now, **columns))


async def add_indirect_hours(
    s: AsyncSession,
    *,
    submission_key: str,
    expert_id: int,
    work_date: date,
    minutes: int,
    kind_id: int,
    municipality_id: int | None,
    now: datetime,
) -> tuple[IndirectHours, bool]:
    return await add_entry(
        s,
        "indirect_hours",
        submission_key=submission_key,
        expert_id=expert_id,
        work_date=work_date,
        duration_minutes=minutes,
        kind_id=kind_id,
        municipality_id=municipality_id,
        now=now,
    )


# --------------------------------------------------------------------------- the week


@dataclass(frozen=True)
class WeekRows:
    contacts: list[ContactRow]
    indirect: list[IndirectRow]
    signals: int
    stories: int


def _live_in(table: Any, expert_id: int, start: date, end: date) -> tuple[Any, ...]:
    """The conditions for the expert's not-deleted entries with start <= work_date <= end."""
    return (
        table.expert_id == expert_id,
        table.work_date >= start,
        table.work_date <= end,
        col(table.deleted_at).is_(None),
    )


async def week_rows(s: AsyncSession, expert_id: int, start: date, end: date) -> WeekRows:
    """The expert's not-deleted entries with start <= work_date <= end."""
    contact_rows = (
        await s.exec(
            select(  # type: ignore[call-overload]  # sqlmodel types select() up to 4 columns
                Contact.id,
                Municipality.name,
                Contact.duration_minutes,
                Contact.residents_count,
                Contact.residents_new,
            )
            .join(Municipality, Municipality.id == Contact.municipality_id)
            .where(*_live_in(Contact, expert_id, start, end))
            .order_by(Contact.id)
        )
    ).all()
    themes_by_contact: dict[int, list[str]] = {}
    ids = [r[0] for r in contact_rows]
    if ids:
        for contact_id, label in (
            await s.exec(
                select(ContactTheme.contact_id, Theme.label)
                .join(Theme, col(Theme.id) == ContactTheme.theme_id)
                .where(col(ContactTheme.contact_id).in_(ids))
            )
        ).all():
            themes_by_contact.setdefault(contact_id, []).append(label)
    contacts = [
        ContactRow(
            municipality=name,
            minutes=minutes,
            residents=count,
            residents_new=new,
            themes=tuple(sorted(themes_by_contact.get(cid, []))),
        )
        for cid, name, minutes, count, new in contact_rows
    ]
    indirect_rows = (
        await s.exec(
            select(Municipality.name, IndirectKind.label, IndirectHours.duration_minutes)
            .join(IndirectKind, col(IndirectKind.id) == IndirectHours.kind_id)
            .outerjoin(Municipality, col(Municipality.id) == IndirectHours.municipality_id)
            .where(*_live_in(IndirectHours, expert_id, start, end))
        )
    ).all()
    indirect = [IndirectRow(municipality=m, kind=k, minutes=n) for m, k, n in indirect_rows]
    signals, stories = [
        int(
            (
                await s.exec(
                    select(func.count())
                    .select_from(table)
                    .where(*_live_in(table, expert_id, start, end))
                )
            ).one()
        )
        for table in (Signal, Story)
    ]
    return WeekRows(contacts, indirect, signals, stories)
