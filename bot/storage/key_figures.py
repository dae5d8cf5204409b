"""The key figures register (sleutelfiguren): an expert's own list, saved once per draft
(submission key), changed, ended and soft-deleted with an audit row each; the coordinator's
overview per municipality; and the retention of ended roles.

A key figure is a role at a place ("kapper", "huisarts"), never a name: the role passed
`bot.domain.key_figures.check_role` before it gets here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.key_figures import Tally, tally
from bot.storage import audit, idempotent, rows
from bot.storage.erasure import PLACEHOLDER, blank_texts
from bot.storage.models import (
    Deelopdracht,
    KeyFigure,
    KeyFigureQuality,
    Municipality,
    Village,
    Vindplek,
    table_of,
)
from bot.storage.query_helpers import as_date, core

ENTITY = "key_figure"  # audit_log.entity


@dataclass(frozen=True)
class Listed:
    """A key figure as shown: labels instead of ids."""

    id: int
    role: str
    municipality: str
    place: str | None  # the village or vindplek
    since: date
    quality: str  # KeyFigureQuality value
    ended_on: date | None
    deelopdracht: str | None


@dataclass(frozen=True)
class PlaceOption:
    kind: str  # "v" village | "p" vindplek
    id: int
    name: str


async def _rows(s: AsyncSession, stmt: sa.Select[Any]) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in (await core(s, stmt)).all()]


def _listed_query() -> sa.Select[Any]:
    k = table_of(KeyFigure).c
    m, v, p, d = (table_of(x) for x in (Municipality, Village, Vindplek, Deelopdracht))
    return (
        sa.select(
            k.id, k.role, m.c.name, v.c.name, p.c.name, k.since, k.quality, k.ended_on, d.c.title
        )
        .select_from(table_of(KeyFigure))
        .join(m, m.c.id == k.municipality_id)
        .outerjoin(v, v.c.id == k.village_id)
        .outerjoin(p, p.c.id == k.vindplek_id)
        .outerjoin(d, d.c.id == k.deelopdracht_id)
        .where(k.deleted_at.is_(None))
    )


def _to_listed(r: tuple[Any, ...]) -> Listed:
    return Listed(
        id=int(r[0]),
        role=str(r[1]),
        municipality=str(r[2]),
        place=r[3] or r[4],
        since=as_date(r[5]),
        quality=str(r[6]),
        ended_on=as_date(r[7]),
        deelopdracht=r[8],
    )


async def mine(s: AsyncSession, expert_id: int) -> list[Listed]:
    """The expert's key figures (not deleted): current ones first, then ended; by role."""
    k = table_of(KeyFigure).c
    stmt = _listed_query().where(k.expert_id == expert_id)
    rows = [_to_listed(r) for r in await _rows(s, stmt)]
    return sorted(rows, key=lambda r: (r.ended_on is not None, r.role.lower(), r.id))


async def one(s: AsyncSession, expert_id: int, key_figure_id: int) -> Listed | None:
    k = table_of(KeyFigure).c
    stmt = _listed_query().where(k.expert_id == expert_id, k.id == key_figure_id)
    rows = await _rows(s, stmt)
    return _to_listed(rows[0]) if rows else None


async def _own(s: AsyncSession, expert_id: int, key_figure_id: int) -> KeyFigure | None:
    return await rows.live(s, KeyFigure, key_figure_id, expert_id=expert_id)


async def by_submission_key(s: AsyncSession, key: str) -> KeyFigure | None:
    return (await s.exec(select(KeyFigure).where(KeyFigure.submission_key == key))).first()


async def was_saved(s: AsyncSession, key: str) -> bool:
    return await by_submission_key(s, key) is not None


async def add(s: AsyncSession, row: KeyFigure) -> idempotent.Saved[KeyFigure]:
    """Save a new key figure (its `created_at` is the time of the save) once per submission
    key (a double tap or a retry finds the row that is there), with its audit row."""
    row.quality = KeyFigureQuality(row.quality).value

    async def find() -> KeyFigure | None:
        return await by_submission_key(s, row.submission_key)

    async def insert() -> KeyFigure:
        await audit.create(s, row, row.created_at, actor_id=row.expert_id, entity=ENTITY)
        return row

    return await idempotent.insert_once(s, find, insert)


async def change(
    s: AsyncSession, expert_id: int, key_figure_id: int, now: datetime, **changes: Any
) -> bool:
    """Change the expert's own key figure (quality, ended_on) with an audit row; False when it
    is not theirs or gone. Setting what is already there changes nothing."""
    row = await _own(s, expert_id, key_figure_id)
    if row is None:
        return False
    if "quality" in changes:
        changes["quality"] = KeyFigureQuality(changes["quality"]).value
    if all(getattr(row, name) == value for name, value in changes.items()):
        return True
    await audit.change(s, row, changes, now, actor_id=expert_id, entity=ENTITY)
    return True


async def delete(s: AsyncSession, expert_id: int, key_figure_id: int, now: datetime) -> bool:
    """Soft-delete the expert's own key figure (with an audit row)."""
    row = await _own(s, expert_id, key_figure_id)
    if row is None:
        return False
    await audit.change(
        s, row, {"deleted_at": now}, now, actor_id=expert_id, entity=ENTITY, action="delete"
    )
    return True


# --------------------------------------------------------------------------- choices


async def places(s: AsyncSession, municipality_id: int) -> list[PlaceOption]:
    """The villages and the active vindplekken of a municipality, by name."""
    villages = (
        await s.exec(
            select(Village.id, Village.name)
            .where(Village.municipality_id == municipality_id)
            .order_by(Village.name)
        )
    ).all()
    spots = (
        await s.exec(
            select(Vindplek.id, Vindplek.name)
            .where(Vindplek.municipality_id == municipality_id, Vindplek.active)
            .order_by(Vindplek.name)
        )
    ).all()
    return [PlaceOption("v", int(i), str(n)) for i, n in villages if i is not None] + [
        PlaceOption("p", int(i), str(n)) for i, n in spots if i is not None
    ]


async def municipality_name(s: AsyncSession, municipality_id: int | None) -> str | None:
    if municipality_id is None:
        return None
    muni = await s.get(Municipality, municipality_id)
    return muni.name if muni is not None else None


# --------------------------------------------------------------------------- the coordinator


@dataclass(frozen=True)
class MunicipalityTally:
    municipality: str
    tally: Tally


async def overview(s: AsyncSession) -> list[MunicipalityTally]:
    """Current key figures (not ended, not deleted) per municipality: good and occasional
    contacts and the roles, for the coordinator. No expert, no place."""
    k = table_of(KeyFigure).c
    m = table_of(Municipality).c
    rows = await _rows(
        s,
        sa.select(m.name, k.role, k.quality)
        .select_from(table_of(KeyFigure).join(table_of(Municipality), m.id == k.municipality_id))
        .where(k.deleted_at.is_(None), k.ended_on.is_(None))
        .order_by(m.name, k.id),
    )
    by_muni: dict[str, list[tuple[str, str]]] = {}
    for name, role, quality in rows:
        by_muni.setdefault(str(name), []).append((str(role), str(quality)))
    return [MunicipalityTally(name, tally(pairs)) for name, pairs in by_muni.items()]


# --------------------------------------------------------------------------- privacy


async def scrub_roles(s: AsyncSession, ids: list[int]) -> int:
    """Replace the roles of these key figures by the placeholder; the number changed."""
    return await blank_texts(s, KeyFigure, ids, "role")


async def past_retention(
    s: AsyncSession, ended_before: date, deleted_before: datetime
) -> list[int]:
    """Key figures whose role is past its retention: ended before ``ended_before``, or deleted
    before ``deleted_before`` (and not scrubbed yet)."""
    k = table_of(KeyFigure).c
    return [
        int(r[0])
        for r in await _rows(
            s,
            sa.select(k.id).where(
                k.role != PLACEHOLDER,
                sa.or_(k.ended_on < ended_before, k.deleted_at < deleted_before),
            ),
        )
    ]
