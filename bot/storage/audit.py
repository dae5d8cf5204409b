"""The audit trail: one row per change of a coordinator's or expert's data."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.models import AuditLog


def record(
    s: AsyncSession,
    actor_id: int | None,
    now: datetime,
    entity: str,
    entity_id: int,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    """Add an audit row to the session's transaction (it commits or rolls back with the change)."""
    s.add(
        AuditLog(
            actor_id=actor_id,
            at=now,
            entity=entity,
            entity_id=entity_id,
            action=action,
            before=before,
            after=after,
        )
    )
