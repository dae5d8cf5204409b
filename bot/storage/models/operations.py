"""Running the bot and the coordinator's bookkeeping: drafts, deliveries, the audit trail, the
list version, the fair-share ledger and the report's selected stories and narratives."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from bot.storage.models.base import PerMunicipality, created, ts
from bot.storage.types import UTCDateTime, utcnow

# --------------------------------------------------------------------------- runtime state


class ConversationDraft(SQLModel, table=True):
    """A dialogue in progress. Lives in the database so a restart resumes it."""

    __tablename__ = "conversation_draft"
    __table_args__ = (sa.UniqueConstraint("user_id", "flow", name="uq_draft_user_flow"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    flow: str = Field(max_length=32)  # contact, uren, signaal, ...
    state: str = Field(max_length=64)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # Bumped on every change; buttons carry it so an old button is recognised.
    revision: int = Field(default=0)
    # Becomes the entry's submission_key when saved: the idempotency key.
    submission_key: str = Field(max_length=64, unique=True)
    message_id: int | None = Field(default=None, sa_type=sa.BigInteger)
    created_at: datetime = created()
    updated_at: datetime = created()
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False)


class ProcessedUpdate(SQLModel, table=True):
    """Update ids already handled, so a re-delivered update is not acted on twice."""

    __tablename__ = "processed_update"

    update_id: int = Field(sa_column=Column(sa.BigInteger, primary_key=True, autoincrement=False))
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False, index=True)


class ReminderDelivery(SQLModel, table=True):
    """One row per expert per local day: what was sent, snoozes, the answer."""

    __tablename__ = "reminder_delivery"
    __table_args__ = (sa.UniqueConstraint("user_id", "local_date", name="uq_reminder_day"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id")
    local_date: date
    status: str = Field(max_length=20)  # claimed | sent | snoozed | answered | failed | blocked
    due_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    snooze_count: int = Field(default=0)
    sent_at: datetime | None = ts()
    claimed_at: datetime | None = ts()
    message_id: int | None = Field(default=None, sa_type=sa.BigInteger)


class DigestDelivery(SQLModel, table=True):
    """Exactly-once delivery of a periodic report to one recipient."""

    __tablename__ = "digest_delivery"
    __table_args__ = (sa.UniqueConstraint("recipient_id", "kind", "period", name="uq_digest_once"),)

    id: int | None = Field(default=None, primary_key=True)
    recipient_id: int = Field(foreign_key="app_user.id")
    kind: str = Field(default="weekly", max_length=20)
    period: str = Field(max_length=16)  # e.g. 2026-W47
    status: str = Field(max_length=20)  # claimed | sent | failed | blocked
    claimed_at: datetime = created()
    sent_at: datetime | None = ts()
    attempts: int = Field(default=0)
    owner: str | None = Field(default=None, max_length=64)  # which process claimed it


class AuditLog(SQLModel, table=True):
    """Who changed or deleted what, with before and after."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    actor_id: int | None = Field(default=None, foreign_key="app_user.id")
    at: datetime = created()
    entity: str = Field(max_length=40)
    entity_id: int
    action: str = Field(max_length=20)  # create | edit | delete | restore
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


class ListVersion(SQLModel, table=True):
    """One row, bumped by every change of a list (vocabularies, vindplekken): a process that
    caches lists compares it, so a change shows at once, also in another process."""

    __tablename__ = "list_version"

    id: int = Field(default=1, primary_key=True)
    version: int = Field(default=0)


# --------------------------------------------------------------------------- fair-share ledger


class LedgerYear(SQLModel, table=True):
    """The pool's budget for one calendar year: hours, or euros with an hourly rate."""

    __tablename__ = "ledger_year"

    year: int = Field(sa_column=Column(sa.Integer, primary_key=True, autoincrement=False))
    budget_hours: float | None = None
    budget_euros: float | None = None
    hourly_rate: float | None = None
    # Hours without a municipality (regional) spread over the municipalities by the key.
    spread_regional: bool = Field(default=False)
    updated_at: datetime = created()


class MgrKey(PerMunicipality, table=True):
    """A municipality's MGR key (percent) from a date on; the latest on or before a day holds."""

    __tablename__ = "mgr_key"
    __table_args__ = (sa.UniqueConstraint("municipality_id", "valid_from", name="uq_mgr_key"),)

    valid_from: date
    pct: float


class ShareDeviation(PerMunicipality, table=True):
    """An agreed deviation from the key: extra (or, negative, fewer) hours over a period."""

    __tablename__ = "share_deviation"

    starts_on: date
    ends_on: date
    hours: float
    reason: str = Field(default="", max_length=300)
    created_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = created()
    deleted_at: datetime | None = ts()


# --------------------------------------------------------------------------- half-yearly report


class ReportStorySelection(SQLModel, table=True):
    """A story the coordinator marked for one municipality's report of one period.

    `period_key` is `Period.key` ("2026-H1", "2026-Q3", "2026", "2026-01-01..2026-03-31"): the
    report of that exact period shows the story. One story may go into several municipalities'
    reports (one row each)."""

    __tablename__ = "report_story_selection"
    __table_args__ = (
        sa.UniqueConstraint("story_id", "municipality_id", "period_key", name="uq_story_selection"),
        sa.Index("ix_story_selection_period", "period_key", "municipality_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    story_id: int = Field(foreign_key="story.id")
    municipality_id: int = Field(foreign_key="municipality.id")
    period_key: str = Field(max_length=32)
    selected_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    selected_at: datetime = created()


class ReportNarrative(SQLModel, table=True):
    """The coordinator's paragraph on the added value (item c) for one municipality and period;
    municipality None = the regional report. One per (municipality, period): a unique key on a
    NULL column lets NULLs repeat, so it is on `scope_id` (the municipality id, 0 = region),
    which only `bot.storage.report_content` writes."""

    __tablename__ = "report_narrative"
    __table_args__ = (
        sa.UniqueConstraint("scope_id", "period_key", name="uq_report_narrative_scope"),
    )

    id: int | None = Field(default=None, primary_key=True)
    municipality_id: int | None = Field(default=None, foreign_key="municipality.id")
    scope_id: int = Field(default=0)
    period_key: str = Field(max_length=32)
    text: str = Field(max_length=4000)
    author_id: int | None = Field(default=None, foreign_key="app_user.id")
    updated_at: datetime = created()
