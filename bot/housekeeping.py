"""Pruning of runtime tables that would otherwise grow forever."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import col

from bot.services import Services
from bot.storage.db import transaction
from bot.storage.models import ConversationDraft, ProcessedUpdate, RegistrationAttempt

# Telegram re-delivers an update for at most 24 hours; keep ids a little longer.
KEEP_UPDATE_IDS = timedelta(days=2)
KEEP_FAILED_ATTEMPTS = timedelta(days=1)
# An expired draft is kept a while so the expert hears "your entry expired" once.
KEEP_EXPIRED_DRAFTS = timedelta(days=7)
JOB_ID = "housekeeping"


@dataclass
class Pruned:
    updates: int = 0
    attempts: int = 0
    drafts: int = 0


async def prune(services: Services, now: datetime) -> Pruned:
    result = Pruned()
    async with transaction(services.sessions) as s:
        r = await s.exec(
            delete(ProcessedUpdate).where(col(ProcessedUpdate.at) < now - KEEP_UPDATE_IDS)
        )
        result.updates = r.rowcount or 0
        r = await s.exec(
            delete(RegistrationAttempt).where(
                col(RegistrationAttempt.at) < now - KEEP_FAILED_ATTEMPTS
            )
        )
        result.attempts = r.rowcount or 0
        r = await s.exec(
            delete(ConversationDraft).where(
                col(ConversationDraft.expires_at) < now - KEEP_EXPIRED_DRAFTS
            )
        )
        result.drafts = r.rowcount or 0
    return result
