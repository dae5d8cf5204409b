"""Saving once: a row keyed by a unique submission key is inserted at most once.

Every save of a dialogue (contact, uren, signaal, …) carries its draft's submission key as the
row's unique key. A double tap, a retry or a second process saving the same draft then finds
the row that is already there instead of inserting another; two inserts racing past the
lookup meet at the unique index, and the loser gets the winner's row.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

T = TypeVar("T")


@dataclass(frozen=True)
class Saved(Generic[T]):
    row: T
    created: bool  # False: it was already there (saved before, or by a racing update)


async def insert_once(
    s: AsyncSession,
    find: Callable[[], Awaitable[T | None]],
    insert: Callable[[], Awaitable[T]],
) -> Saved[T]:
    """``find()`` the row; if it is not there, ``insert()`` it (flushing, so the unique key
    fires here) inside a savepoint. On a unique-key clash only the savepoint is rolled back
    (the caller's other work in ``s`` stays) and the row that won is returned. An
    IntegrityError that is not about an existing row is raised."""
    existing = await find()
    if existing is not None:
        return Saved(existing, created=False)
    await _begin(s)
    try:
        async with s.begin_nested():
            row = await insert()
    except IntegrityError:
        existing = await find()
        if existing is None:
            raise
        return Saved(existing, created=False)
    return Saved(row, created=True)


async def _begin(s: AsyncSession) -> None:
    """Make sure SQLite has begun the transaction before the savepoint.

    Python's sqlite3 begins a transaction only at the first write; a SAVEPOINT issued before it
    would itself be the outermost transaction, and releasing it would commit at once, apart
    from the rest of the unit of work."""
    conn = await s.connection()
    if conn.dialect.name != "sqlite":
        return
    raw = await conn.get_raw_connection()
    driver = raw.driver_connection
    if driver is not None and not driver.in_transaction:
        await conn.exec_driver_sql("BEGIN")
