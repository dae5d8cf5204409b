"""Small SQL helpers the storage modules share: Core statements in the session's transaction,
the dialect INSERT that can skip a conflict, conditional updates, equality filters built from
column values, rows read into dataclasses, and dates as the drivers hand them back."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, overload

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult
from sqlalchemy.sql import Executable
from sqlmodel.ext.asyncio.session import AsyncSession

__all__ = [
    "as_date",
    "columns_for",
    "core",
    "equal",
    "insert_ignoring_conflicts",
    "is_postgresql",
    "live_in",
    "update_one",
]


async def core(s: AsyncSession, stmt: Executable) -> CursorResult[*tuple[Any, ...]]:
    """Run a Core statement on the session's connection, in its transaction: what `s.exec`
    does at run time for a statement without ORM entities, typed."""
    conn = await s.connection()
    return await conn.execute(stmt)


def is_postgresql(s: AsyncSession) -> bool:
    return s.get_bind().dialect.name == "postgresql"


def insert_ignoring_conflicts(s: AsyncSession, table: sa.Table) -> Any:
    """A dialect INSERT that supports ON CONFLICT DO NOTHING (SQLite and PostgreSQL)."""
    return (postgresql.insert if is_postgresql(s) else sqlite.insert)(table)


async def update_one(s: AsyncSession, stmt: sa.Update) -> bool:
    """Run a conditional UPDATE: True when it changed exactly one row (its condition held)."""
    return (await core(s, stmt)).rowcount == 1


def equal(table: sa.Table, values: Mapping[str, Any]) -> list[sa.ColumnElement[bool]]:
    """`column == value` for each of `values` (column name -> value), to filter on."""
    return [table.c[name] == value for name, value in values.items()]


def live_in(t: Any, start: date, end: date) -> sa.ColumnElement[bool]:
    """Rows of a logged table (`t`: its columns) dated `start` to `end` (inclusive) and not
    soft-deleted: the range every digest and report figure is taken over."""
    return sa.and_(t.work_date >= start, t.work_date <= end, t.deleted_at.is_(None))


def columns_for(cls: type[Any], table: sa.Table) -> list[sa.Column[Any]]:
    """The columns of `table` named like the fields of dataclass `cls`, in field order: a
    select of them gives rows that are `cls(*row)`."""
    return [table.c[f.name] for f in dataclasses.fields(cls)]


@overload
def as_date(value: None) -> None: ...
@overload
def as_date(value: date | str) -> date: ...
def as_date(value: date | str | None) -> date | None:
    """A date read back from the database, as a `date`; None (an empty column) stays None.
    Selected through a Date column both drivers give a `date`; a raw or untyped SQLite value
    is text ("2026-11-17", or "2026-11-17 00:00:00[.ffffff]" when stored as a timestamp) and a
    timestamp column gives a datetime: those give their day."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
