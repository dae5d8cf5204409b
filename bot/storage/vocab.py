"""The vocabularies (themes, activity types, indirect kinds, ...) with their aliases, read from
the database and cached per database for a short while: every typed answer and one-line entry
matches against them (``bot.domain.vocabmatch``), and they change rarely.

`load_vocabulary` is the one place that reads them; `invalidate` drops a database's copy at
once (call it after a coordinator edits a list: labels, aliases or the active flag).
"""

from __future__ import annotations

import time
from typing import Any
from weakref import WeakKeyDictionary

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.contact_draft import VocabItem
from bot.storage import lists
from bot.storage.models import VOCAB_TABLES, table_of

__all__ = ["VOCAB_TTL", "generation", "invalidate", "load_vocabulary"]

VOCAB_TTL = 30.0


# engine -> (expires at, list version read with them, {kind: active rows in display order})
_cache: WeakKeyDictionary[Any, tuple[float, int, dict[str, tuple[VocabItem, ...]]]] = (
    WeakKeyDictionary()
)
_generation = 0


def split_aliases(raw: str) -> tuple[str, ...]:
    """The `aliases` column (';'-separated) as words."""
    return tuple(a.strip() for a in raw.split(";") if a.strip())


def generation() -> int:
    """Bumped by every `invalidate`: caches built on these lists compare it."""
    return _generation


def invalidate(s: AsyncSession | None = None) -> None:
    """Forget the cached lists of this session's database (of every database without one)."""
    global _generation
    _generation += 1
    if s is None:
        _cache.clear()
    else:
        _cache.pop(s.get_bind().engine, None)


async def load_vocabulary(s: AsyncSession) -> dict[str, tuple[VocabItem, ...]]:
    """Active entries of every list, in display order (sort_order, id), with their aliases."""
    engine = s.get_bind().engine
    now = time.monotonic()
    cached = _cache.get(engine)
    # A coordinator's list change (in any process) bumps the list version: read again.
    current = await lists.version(s)
    if cached is not None and cached[0] > now and cached[1] == current:
        return cached[2]
    conn = await s.connection()
    found: dict[str, tuple[VocabItem, ...]] = {}
    for kind, model in VOCAB_TABLES.items():
        t = table_of(model)
        rows = await conn.execute(
            sa.select(t.c.id, t.c.code, t.c.label, t.c.aliases)
            .where(t.c.active)
            .order_by(t.c.sort_order, t.c.id)
        )
        found[kind] = tuple(
            VocabItem(id_, code, label, split_aliases(aliases or ""))
            for id_, code, label, aliases in rows
        )
    _cache[engine] = (now + VOCAB_TTL, current, found)
    return found
