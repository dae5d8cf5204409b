"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23 08:43:15.342488

"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from bot.storage.migrations.kit import (
    Index,
    bigint,
    create_table,
    created_updated_deleted,
    drop_table,
    integer,
    string,
    typed,
    utc,
)

# revision identifiers, used by Alembic.
revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The tables in the order they are created (dropped in reverse), and their indexes.
TABLES = (
    "activity_type",
    "indirect_kind",
    "municipality",
    "non_use_reason",
    "processed_update",
    "reach_channel",
    "referral_target",
    "registration_attempt",
    "signal_kind",
    "theme",
    "app_user",
    "deelopdracht",
    "village",
    "walkin_session",
    "audit_log",
    "conversation_draft",
    "day_off",
    "digest_delivery",
    "indirect_hours",
    "invite",
    "reminder_delivery",
    "signal",
    "vindplek",
    "walkin_exception",
    "contact",
    "contact_theme",
    "story",
)
_BY_MUNICIPALITY = ["municipality_id"]
INDEXES: dict[str, list[Index]] = {
    "processed_update": [("ix_processed_update_at", ["at"])],
    "registration_attempt": [
        ("ix_registration_attempt_at", ["at"]),
        ("ix_registration_attempt_subject_key", ["subject_key"]),
    ],
    "deelopdracht": [("ix_deelopdracht_municipality_id", _BY_MUNICIPALITY)],
    "village": [("ix_village_municipality_id", _BY_MUNICIPALITY)],
    "walkin_session": [("ix_walkin_session_municipality_id", _BY_MUNICIPALITY)],
    "conversation_draft": [("ix_conversation_draft_user_id", ["user_id"])],
    "indirect_hours": [
        ("ix_indirect_date", ["work_date"]),
        ("ix_indirect_expert_date", ["expert_id", "work_date"]),
    ],
    "signal": [("ix_signal_date", ["work_date"])],
    "vindplek": [("ix_vindplek_municipality_id", _BY_MUNICIPALITY)],
    "walkin_exception": [("ix_walkin_exc_date", ["on_date"])],
    "contact": [
        ("ix_contact_date_muni", ["work_date", "municipality_id"]),
        ("ix_contact_expert_date", ["expert_id", "work_date"]),
    ],
    "contact_theme": [("ix_contact_theme_theme_id", ["theme_id"])],
    "story": [("ix_story_date", ["work_date"])],
}
_WALKIN_NATURAL_KEY = (
    "municipality_id",
    "place",
    "weekday",
    "start_time",
    "end_time",
    "valid_from",
)
_DURATION_CHECK = "duration_minutes > 0 AND duration_minutes <= 1440"


def _table(name: str, *columns: sa.Column, **parts: Any) -> None:
    create_table(name, *columns, indexes=INDEXES.get(name, ()), **parts)


def _per_municipality(
    name: str, *columns: sa.Column, fks: Sequence[tuple[str, str]] = (), **parts: Any
) -> None:
    """A table of rows that belong to one municipality: `municipality_id` leads the columns
    (after the id), and its foreign key follows the others."""
    _table(
        name,
        integer("municipality_id"),
        *columns,
        fks=[*fks, ("municipality_id", "municipality")],
        **parts,
    )


def _vocabulary(name: str) -> None:
    _table(
        name,
        string("code", 64),
        string("label", 120),
        string("aliases", 500),
        integer("sort_order"),
        typed("active", sa.Boolean),
        unique=[("code",)],
    )


def _entry(
    name: str, *columns: sa.Column, fks: list[tuple[str, str]], checks: Sequence[str] = ()
) -> None:
    """An expert's saved entry: keyed by its submission, dated, editable and soft-deleted."""
    _table(
        name,
        string("submission_key", 64),
        integer("expert_id"),
        typed("work_date", sa.Date),
        *columns,
        *created_updated_deleted(),
        checks=[sa.CheckConstraint(sql, name=check) for check, sql in checks],
        fks=fks,
        unique=[("submission_key",)],
    )


def upgrade() -> None:
    """Upgrade schema."""
    _vocabulary("activity_type")
    _vocabulary("indirect_kind")
    _table(
        "municipality",
        string("code", 64),
        string("name", 100),
        typed("mgr_key_pct", sa.Float),
        typed("active", sa.Boolean),
        unique=[("code",), ("name",)],
    )
    _vocabulary("non_use_reason")
    _table(
        "processed_update",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        utc("at"),
        primary_key=["update_id"],
    )
    _vocabulary("reach_channel")
    _vocabulary("referral_target")
    _table("registration_attempt", string("subject_key", 64), utc("at"))
    _vocabulary("signal_kind")
    _vocabulary("theme")
    _table(
        "app_user",
        bigint("telegram_user_id"),
        bigint("chat_id"),
        string("role", 20),
        string("display_name", 120),
        integer("home_municipality_id", nullable=True),
        string("language", 8),
        string("reminder_days", 7),
        typed("reminder_time", sa.Time),
        typed("reminders_enabled", sa.Boolean),
        typed("pause_until", sa.Date, nullable=True),
        typed("active", sa.Boolean),
        typed("blocked_bot", sa.Boolean),
        utc("blocked_at", nullable=True),
        utc("created_at"),
        utc("deleted_at", nullable=True),
        fks=[("home_municipality_id", "municipality")],
        unique=[("telegram_user_id",)],
    )
    _per_municipality(
        "deelopdracht",
        string("code", 64),
        string("title", 200),
        string("goals"),
        string("monitoring"),
        string("frequency", 120),
        string("accounting"),
        typed("starts_on", sa.Date, nullable=True),
        typed("ends_on", sa.Date, nullable=True),
        typed("active", sa.Boolean),
        unique=[("code",)],
    )
    _per_municipality(
        "village",
        string("name", 100),
        unique=[("municipality_id", "name")],
    )
    _per_municipality(
        "walkin_session",
        string("kind", 20),
        string("place", 120),
        string("address", 200),
        integer("weekday"),
        typed("start_time", sa.Time),
        typed("end_time", sa.Time),
        typed("valid_from", sa.Date, nullable=True),
        typed("valid_until", sa.Date, nullable=True),
        typed("open_on_holidays", sa.Boolean),
        string("note", 300, nullable=True),
        typed("active", sa.Boolean),
        utc("created_at"),
        utc("updated_at", nullable=True),
        checks=[sa.CheckConstraint("weekday >= 0 AND weekday <= 6", name="ck_weekday")],
        named_unique={"uq_walkin_natural": _WALKIN_NATURAL_KEY},
    )
    _table(
        "audit_log",
        integer("actor_id", nullable=True),
        utc("at"),
        string("entity", 40),
        integer("entity_id"),
        string("action", 20),
        typed("before", sa.JSON, nullable=True),
        typed("after", sa.JSON, nullable=True),
        fks=[("actor_id", "app_user")],
    )
    _table(
        "conversation_draft",
        integer("user_id"),
        string("flow", 32),
        string("state", 64),
        typed("data", sa.JSON),
        integer("revision"),
        string("submission_key", 64),
        bigint("message_id", nullable=True),
        utc("created_at"),
        utc("updated_at"),
        utc("expires_at"),
        fks=[("user_id", "app_user")],
        unique=[("submission_key",)],
        named_unique={"uq_draft_user_flow": ("user_id", "flow")},
    )
    _table(
        "day_off",
        integer("expert_id"),
        typed("work_date", sa.Date),
        utc("created_at"),
        fks=[("expert_id", "app_user")],
        unique=[("expert_id", "work_date")],
    )
    _table(
        "digest_delivery",
        integer("recipient_id"),
        string("kind", 20),
        string("period", 16),
        string("status", 20),
        utc("claimed_at"),
        utc("sent_at", nullable=True),
        integer("attempts"),
        string("owner", 64, nullable=True),
        fks=[("recipient_id", "app_user")],
        named_unique={"uq_digest_once": ("recipient_id", "kind", "period")},
    )
    _entry(
        "indirect_hours",
        integer("duration_minutes"),
        integer("kind_id"),
        integer("municipality_id", nullable=True),
        checks=[("ck_ind_dur", _DURATION_CHECK)],
        fks=[
            ("expert_id", "app_user"),
            ("kind_id", "indirect_kind"),
            ("municipality_id", "municipality"),
        ],
    )
    _table(
        "invite",
        string("code_hash", 64),
        string("role", 20),
        integer("municipality_id", nullable=True),
        utc("created_at"),
        utc("expires_at"),
        utc("used_at", nullable=True),
        integer("used_by_id", nullable=True),
        fks=[("municipality_id", "municipality"), ("used_by_id", "app_user")],
        unique=[("code_hash",)],
    )
    _table(
        "reminder_delivery",
        integer("user_id"),
        typed("local_date", sa.Date),
        string("status", 20),
        utc("due_at"),
        integer("snooze_count"),
        utc("sent_at", nullable=True),
        utc("claimed_at", nullable=True),
        bigint("message_id", nullable=True),
        fks=[("user_id", "app_user")],
        named_unique={"uq_reminder_day": ("user_id", "local_date")},
    )
    _entry(
        "signal",
        integer("kind_id"),
        integer("municipality_id", nullable=True),
        integer("theme_id", nullable=True),
        string("text", 2000),
        fks=[
            ("expert_id", "app_user"),
            ("kind_id", "signal_kind"),
            ("municipality_id", "municipality"),
            ("theme_id", "theme"),
        ],
    )
    _per_municipality(
        "vindplek",
        string("name", 120),
        string("address", 200, nullable=True),
        typed("active", sa.Boolean),
        integer("created_by_id", nullable=True),
        utc("created_at"),
        fks=[("created_by_id", "app_user")],
        unique=[("municipality_id", "name")],
    )
    _table(
        "walkin_exception",
        integer("session_id", nullable=True),
        typed("on_date", sa.Date),
        string("kind", 20),
        integer("municipality_id", nullable=True),
        string("place", 120, nullable=True),
        string("address", 200, nullable=True),
        typed("start_time", sa.Time, nullable=True),
        typed("end_time", sa.Time, nullable=True),
        string("note", 300, nullable=True),
        utc("created_at"),
        fks=[("municipality_id", "municipality"), ("session_id", "walkin_session")],
    )
    _entry(
        "contact",
        integer("duration_minutes"),
        integer("municipality_id"),
        integer("vindplek_id", nullable=True),
        integer("activity_type_id"),
        integer("residents_count"),
        integer("residents_new"),
        integer("reach_channel_id", nullable=True),
        integer("referral_target_id", nullable=True),
        integer("non_use_reason_id", nullable=True),
        integer("deelopdracht_id", nullable=True),
        checks=[
            ("ck_dur", _DURATION_CHECK),
            ("ck_res", "residents_count >= 0"),
            ("ck_new", "residents_new >= 0 AND residents_new <= residents_count"),
        ],
        fks=[
            ("activity_type_id", "activity_type"),
            ("deelopdracht_id", "deelopdracht"),
            ("expert_id", "app_user"),
            ("municipality_id", "municipality"),
            ("non_use_reason_id", "non_use_reason"),
            ("reach_channel_id", "reach_channel"),
            ("referral_target_id", "referral_target"),
            ("vindplek_id", "vindplek"),
        ],
    )
    _table(
        "contact_theme",
        integer("contact_id"),
        integer("theme_id"),
        fks=[("contact_id", "contact"), ("theme_id", "theme")],
        primary_key=["contact_id", "theme_id"],
    )
    _entry(
        "story",
        integer("municipality_id", nullable=True),
        integer("theme_id", nullable=True),
        integer("contact_id", nullable=True),
        integer("deelopdracht_id", nullable=True),
        string("text", 2000),
        fks=[
            ("contact_id", "contact"),
            ("deelopdracht_id", "deelopdracht"),
            ("expert_id", "app_user"),
            ("municipality_id", "municipality"),
            ("theme_id", "theme"),
        ],
    )


def downgrade() -> None:
    """Downgrade schema."""
    for name in reversed(TABLES):
        drop_table(name, INDEXES.get(name, ()))
