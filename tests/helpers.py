"""Rows the tests put straight into the database (the journeys themselves go through the fake
Telegram server): one builder per table, with the columns every such row needs."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.models import Contact, ContactTheme, IndirectHours

_keys = itertools.count(1)


def _key(prefix: str) -> str:
    return f"{prefix}{next(_keys)}"


def contact_row(
    expert_id: int,
    day: date,
    minutes: int,
    municipality_id: int,
    activity_type_id: int,
    **columns: Any,
) -> Contact:
    """A contact; `submission_key` is a fresh one unless given."""
    columns.setdefault("submission_key", _key("c"))
    return Contact(
        expert_id=expert_id,
        work_date=day,
        duration_minutes=minutes,
        municipality_id=municipality_id,
        activity_type_id=activity_type_id,
        **columns,
    )


async def add_contact(
    s: AsyncSession,
    expert_id: int,
    day: date,
    minutes: int,
    municipality_id: int,
    activity_type_id: int,
    theme_ids: Iterable[int] = (),
    **columns: Any,
) -> Contact:
    """Adds a contact with its themes (by id) and returns it, flushed (so it has an id)."""
    c = contact_row(expert_id, day, minutes, municipality_id, activity_type_id, **columns)
    s.add(c)
    await s.flush()
    for theme_id in theme_ids:
        s.add(ContactTheme(contact_id=c.id, theme_id=theme_id))
    return c


def hours_row(
    expert_id: int,
    day: date,
    minutes: int,
    kind_id: int,
    municipality_id: int | None = None,
    **columns: Any,
) -> IndirectHours:
    """Indirect hours; `submission_key` is a fresh one unless given."""
    columns.setdefault("submission_key", _key("h"))
    return IndirectHours(
        expert_id=expert_id,
        work_date=day,
        duration_minutes=minutes,
        kind_id=kind_id,
        municipality_id=municipality_id,
        **columns,
    )
