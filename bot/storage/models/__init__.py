"""The whole domain as SQLModel tables, one module per part of it; every name is importable
from here (`from bot.storage.models import Contact`).

Conventions:
- Timestamps (`*_at`) are UTC and timezone-aware (see `UTCDateTime`); `work_date` and similar
  `date` columns are calendar dates in the bot's local time zone (Europe/Amsterdam).
- Reference lists carry stable `code`s; labels may change, codes never do.
- Rows that reports rely on are soft-deleted (`deleted_at`), never removed.
- Anything an expert submits carries a unique `submission_key`, so a double tap, a re-delivered
  update or a retry can never create a second row.
"""

from __future__ import annotations

from bot.storage.models.base import created, id_of, table_of, ts
from bot.storage.models.operations import (
    AuditLog,
    ConversationDraft,
    DigestDelivery,
    LedgerYear,
    ListVersion,
    MgrKey,
    ProcessedUpdate,
    ReminderDelivery,
    ReportNarrative,
    ReportStorySelection,
    ShareDeviation,
)
from bot.storage.models.reference import (
    VOCAB_TABLES,
    ActivityType,
    IndirectKind,
    Invite,
    Municipality,
    NonUseReason,
    ReachChannel,
    ReferralTarget,
    RegistrationAttempt,
    Role,
    SignalKind,
    Theme,
    User,
    Village,
    Vindplek,
    _Vocab,
)
from bot.storage.models.work import (
    LIVE_ROWS,
    PARTIAL_INDEX_DIALECTS,
    CareRelation,
    Contact,
    ContactFollowup,
    ContactNonUse,
    ContactReferral,
    ContactTheme,
    DayOff,
    Deelopdracht,
    DeelopdrachtMeasure,
    DeelopdrachtMoment,
    IndirectHours,
    KeyFigure,
    KeyFigureQuality,
    MeasureKind,
    Signal,
    Story,
    WalkInException,
    WalkInSession,
)

__all__ = [
    "LIVE_ROWS",
    "PARTIAL_INDEX_DIALECTS",
    "VOCAB_TABLES",
    "ActivityType",
    "AuditLog",
    "CareRelation",
    "Contact",
    "ContactFollowup",
    "ContactNonUse",
    "ContactReferral",
    "ContactTheme",
    "ConversationDraft",
    "DayOff",
    "Deelopdracht",
    "DeelopdrachtMeasure",
    "DeelopdrachtMoment",
    "DigestDelivery",
    "IndirectHours",
    "IndirectKind",
    "Invite",
    "KeyFigure",
    "KeyFigureQuality",
    "LedgerYear",
    "ListVersion",
    "MeasureKind",
    "MgrKey",
    "Municipality",
    "NonUseReason",
    "ProcessedUpdate",
    "ReachChannel",
    "ReferralTarget",
    "RegistrationAttempt",
    "ReminderDelivery",
    "ReportNarrative",
    "ReportStorySelection",
    "Role",
    "ShareDeviation",
    "Signal",
    "SignalKind",
    "Story",
    "Theme",
    "User",
    "Village",
    "Vindplek",
    "WalkInException",
    "WalkInSession",
    "_Vocab",
    "created",
    "id_of",
    "table_of",
    "ts",
]
