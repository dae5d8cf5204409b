"""Run Alembic migrations to head and seed reference data from package data. Idempotent."""

from __future__ import annotations

import asyncio
from importlib import resources

from alembic import command
from alembic.config import Config
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from bot.data import municipalities, vocabulary
from bot.storage.db import create_engine, session_factory, transaction
from bot.storage.models import VOCAB_TABLES, Municipality, Village, id_of


def alembic_config(database_url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("bot.storage") / "migrations"))
    cfg.attributes["database_url"] = database_url
    cfg.attributes["configure_logger"] = False
    return cfg


def upgrade(database_url: str) -> None:
    """Blocking: run from a thread when inside an event loop."""
    command.upgrade(alembic_config(database_url), "head")


async def seed_reference_data(engine: AsyncEngine) -> dict[str, int]:
    """Insert reference rows that are missing. Existing rows (maybe edited) are left alone."""
    added: dict[str, int] = {}
    factory = session_factory(engine)
    async with transaction(factory) as s:
        # By code, the stable key: a coordinator may have renamed a municipality.
        existing = {m.code: m for m in (await s.exec(select(Municipality))).all()}
        n = 0
        for ref in municipalities():
            muni = existing.get(ref.code)
            if muni is None:
                muni = Municipality(code=ref.code, name=ref.name, mgr_key_pct=ref.mgr_key_pct)
                s.add(muni)
                await s.flush()
                n += 1
            have = set(
                (await s.exec(select(Village.name).where(Village.municipality_id == muni.id))).all()
            )
            for v in ref.villages:
                if v not in have:
                    s.add(Village(municipality_id=id_of(muni), name=v))
        added["municipalities"] = n
        for kind, entries in vocabulary().items():
            table = VOCAB_TABLES[kind]
            codes = set((await s.exec(select(table.code))).all())
            n = 0
            for order, e in enumerate(entries):
                if e.code not in codes:
                    s.add(
                        table(
                            code=e.code,
                            label=e.label,
                            aliases=";".join(e.aliases),
                            sort_order=order,
                        )
                    )
                    n += 1
            added[kind] = n
    return added


async def migrate(database_url: str) -> dict[str, int]:
    await asyncio.to_thread(upgrade, database_url)
    engine = create_engine(database_url)
    try:
        return await seed_reference_data(engine)
    finally:
        await engine.dispose()
