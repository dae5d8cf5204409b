"""`python -m bot copy-db --van sqlite:///… --naar postgresql://…`: move the bot to another
database (typically from SQLite to PostgreSQL), every table, row for row.

The source must be at the newest schema (run `migrate` on it first); the target is migrated
here and must hold no rows yet (reference data included: it is copied with its ids). Rows go
over through SQLAlchemy Core with the bot's own table definitions, so dates, times, JSON and
booleans convert between the two dialects; PostgreSQL's id sequences are moved past the copied
ids afterwards. One transaction on the target: a failure leaves it empty. Finally every table
must hold as many rows in the target as in the source.
"""

from __future__ import annotations

import asyncio
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import SQLModel

from bot.health import head_revisions
from bot.storage import models  # noqa: F401  (the tables register on SQLModel.metadata)
from bot.storage.db import create_engine
from bot.storage.migrate import upgrade

BATCH = 500


class CopyError(Exception):
    """One line for the operator."""


def tables() -> list[sa.Table]:
    """Every table of the bot, parents before children."""
    return list(SQLModel.metadata.sorted_tables)


async def _revision(conn: AsyncConnection) -> set[str]:
    try:
        rows = await conn.execute(sa.text("SELECT version_num FROM alembic_version"))
    except Exception:
        return set()
    return set(rows.scalars().all())


async def count_rows(conn: AsyncConnection) -> dict[str, int]:
    return {
        t.name: int((await conn.execute(sa.select(sa.func.count()).select_from(t))).scalar_one())
        for t in tables()
    }


async def _reset_sequences(conn: AsyncConnection) -> None:
    for table in tables():
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, sa.Integer) or pk[0].autoincrement is False:
            continue
        seq = (
            await conn.execute(
                sa.text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": pk[0].name}
            )
        ).scalar()
        if seq:
            await conn.execute(
                sa.text(
                    f'SELECT setval(:seq, COALESCE(MAX("{pk[0].name}"), 1), '
                    f'MAX("{pk[0].name}") IS NOT NULL) FROM "{table.name}"'
                ),
                {"seq": seq},
            )


# Rows a migration itself writes (the one-row list version): the target has them after its
# upgrade; they are replaced by the source's.
MIGRATION_ROWS = frozenset({"list_version"})


async def copy_db(source_url: str, target_url: str) -> dict[str, int]:
    """Copy every row; returns the row count per table (equal in source and target)."""
    heads = head_revisions(source_url)
    source = create_engine(source_url)
    try:
        async with source.connect() as src:
            have = await _revision(src)
            if have != heads:
                raise CopyError(
                    "the source database is not at the newest schema: run "
                    "`DATABASE_URL=<source> python -m bot migrate` first"
                )
    finally:
        await source.dispose()
    await asyncio.to_thread(upgrade, target_url)
    source, target = create_engine(source_url), create_engine(target_url)
    try:
        async with source.connect() as src, target.begin() as dst:
            filled = {
                n: c for n, c in (await count_rows(dst)).items() if c and n not in MIGRATION_ROWS
            }
            if filled:
                raise CopyError(
                    "the target database is not empty ("
                    + ", ".join(f"{n} {c}" for n, c in sorted(filled.items()))
                    + "): copy into a new, empty database"
                )
            for table in tables():
                if table.name in MIGRATION_ROWS:
                    await dst.execute(table.delete())
            for table in tables():
                rows: list[dict[str, Any]] = [
                    dict(r) for r in (await src.execute(sa.select(table))).mappings()
                ]
                for i in range(0, len(rows), BATCH):
                    await dst.execute(table.insert(), rows[i : i + BATCH])
            if target.dialect.name == "postgresql":
                await _reset_sequences(dst)
            copied = await count_rows(dst)
            if copied != await count_rows(src):
                raise CopyError("row counts differ after the copy; the target was rolled back")
    finally:
        await source.dispose()
        await target.dispose()
    return copied
