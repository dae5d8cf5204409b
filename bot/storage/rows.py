"""Small row helpers the storage modules share: finding a live row, inserting a new one."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.models import id_of

Row = TypeVar("Row", bound=SQLModel)


async def live(s: AsyncSession, model: type[Row], row_id: int, **owner: Any) -> Row | None:
    """The row of `model` with this id, when it is not soft-deleted (`deleted_at`) and has the
    given column values (say `expert_id=...`: only its own expert's); else None."""
    row = await s.get(model, row_id)
    if row is None or getattr(row, "deleted_at", None) is not None:
        return None
    if any(getattr(row, column) != value for column, value in owner.items()):
        return None
    return row


async def inserted(s: AsyncSession, row: Any) -> int:
    """Add a new row and flush it: its id."""
    s.add(row)
    await s.flush()
    return id_of(row)
