"""Pruning of runtime tables that would otherwise grow forever, and retention of personal data.

`prune` (hourly): processed update ids, failed registration attempts, expired drafts.
`retain` (daily, docs/PRIVACY.md): free text of stories and signals older than
`RETENTION_FREE_TEXT_MONTHS` becomes "[verwijderd]" (the rows and their counts stay; a story
of which no text is left leaves the reports it was selected for), so does the role of a key
figure ended (or deleted) longer ago than that, audit snapshots older than
that lose their free text, audit rows older than `RETENTION_AUDIT_MONTHS` go. Both are
idempotent and logged by counts only.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import delete
from sqlmodel import col

from bot.services import Services
from bot.storage import erasure, key_figures
from bot.storage.db import transaction
from bot.storage.models import (
    AuditLog,
    ConversationDraft,
    ProcessedUpdate,
    RegistrationAttempt,
    Signal,
    Story,
    table_of,
)

# Telegram re-delivers an update for at most 24 hours; keep ids a little longer.
KEEP_UPDATE_IDS = timedelta(days=2)
KEEP_FAILED_ATTEMPTS = timedelta(days=1)
# An expired draft is kept a while so the expert hears "your entry expired" once.
KEEP_EXPIRED_DRAFTS = timedelta(days=7)
JOB_ID = "housekeeping"
RETENTION_JOB_ID = "retention"


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


def months_before(moment: datetime, months: int) -> datetime:
    """The same moment `months` calendar months earlier (the day clipped to the month's end)."""
    total = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    next_month = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=moment.tzinfo)
    last_day = (next_month - timedelta(days=1)).day
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


@dataclass
class Retained:
    stories: int = 0
    signals: int = 0
    audit_scrubbed: int = 0
    audit_deleted: int = 0
    key_figures: int = 0

    @property
    def changed(self) -> int:
        """Rows changed or removed, all kinds together (every field is such a count)."""
        return sum(astuple(self))


async def retain(services: Services, now: datetime) -> Retained:
    """Remove what is past its retention time (see the module docstring)."""
    settings = services.settings
    text_limit = months_before(now, settings.retention_free_text_months)
    audit_limit = months_before(now, settings.retention_audit_months)
    result = Retained()
    async with transaction(services.sessions) as s:
        conn = await s.connection()
        for model in (Story, Signal):
            t = table_of(model)
            ids = [
                int(r[0])
                for r in (
                    await conn.execute(
                        sa.select(t.c.id).where(
                            t.c.created_at < text_limit, t.c.text != erasure.PLACEHOLDER
                        )
                    )
                ).all()
            ]
            await conn.execute(sa.update(t).where(t.c.id.in_(ids)).values(text=erasure.PLACEHOLDER))
            if model is Story:
                result.stories = len(ids)
                await erasure.drop_story_selections(s, ids)
            else:
                result.signals = len(ids)
        ended = await key_figures.past_retention(s, text_limit.date(), text_limit)
        result.key_figures = await key_figures.scrub_roles(s, ended)
        a = table_of(AuditLog).c
        r = await conn.execute(sa.delete(table_of(AuditLog)).where(a.at < audit_limit))
        result.audit_deleted = int(r.rowcount or 0)
        result.audit_scrubbed = await erasure.scrub_audit(s, a.at < text_limit)
    if result.changed:
        await purge_freed_bytes(services)
    return result


async def purge_freed_bytes(services: Services) -> None:
    """After text was erased or removed: make its bytes go (`erasure.purge_freed_bytes`)."""
    await erasure.purge_freed_bytes(services.engine)
