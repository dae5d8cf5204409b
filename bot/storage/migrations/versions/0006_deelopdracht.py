"""deelopdrachten: structured measures, reporting moments, reasons for non-use (several, or
"weet ik niet"), relation to professional care, key figures (sleutelfiguren) and follow-ups
(doorstroom)

Revision ID: deel_1
Revises: report_1
Create Date: 2026-12-01 10:50:00

Every existing contact stays valid: the new contact columns are nullable, and a contact's one
reason for non-use is copied into contact_non_use (with non_use_known true).
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from bot.storage.migrations.kit import (
    Index,
    add_columns,
    create_table,
    created_updated_deleted,
    drop_columns,
    integer,
    string,
    typed,
    utc,
)

revision: str = "deel_1"
down_revision: str | Sequence[str] | None = "report_1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY_FIGURE_INDEXES: list[Index] = [
    (f"ix_key_figure_{column}", [column])
    for column in ("expert_id", "municipality_id", "deelopdracht_id")
]


def _per_deelopdracht(name: str, *columns: sa.Column, **parts: Any) -> None:
    """A table of rows belonging to one deelopdracht, indexed by it."""
    create_table(
        name,
        integer("deelopdracht_id"),
        *columns,
        fks=[("deelopdracht_id", "deelopdracht")],
        indexes=[(f"ix_{name}_deelopdracht_id", ["deelopdracht_id"])],
        **parts,
    )


def upgrade() -> None:
    add_columns(
        "deelopdracht",
        sa.Column("followup_weeks", sa.Integer(), server_default="6", nullable=False),
        utc("created_at", nullable=True),
        utc("updated_at", nullable=True),
    )
    add_columns(
        "contact",
        typed("non_use_known", sa.Boolean, nullable=True),
        string("care_relation", 16, nullable=True),
        indexes=[("ix_contact_deelopdracht_id", ["deelopdracht_id"])],
    )
    _per_deelopdracht(
        "deelopdracht_measure",
        integer("position"),
        string("kind", 32),
        string("label", 200),
        typed("target", sa.Float),
        integer("window_months", nullable=True),
        typed("filter", sa.JSON, nullable=True),
        utc("deleted_at", nullable=True),
        checks=[sa.CheckConstraint("target >= 0", name="ck_measure_target")],
    )
    _per_deelopdracht(
        "deelopdracht_moment",
        typed("on_date", sa.Date),
        utc("reminded_at", nullable=True),
        named_unique={"uq_deel_moment": ("deelopdracht_id", "on_date")},
    )
    create_table(
        "contact_non_use",
        integer("contact_id"),
        integer("non_use_reason_id"),
        fks=[("contact_id", "contact"), ("non_use_reason_id", "non_use_reason")],
        primary_key=["contact_id", "non_use_reason_id"],
        indexes=[("ix_contact_non_use_non_use_reason_id", ["non_use_reason_id"])],
    )
    create_table(
        "key_figure",
        string("submission_key", 64),
        integer("expert_id"),
        integer("municipality_id"),
        integer("village_id", nullable=True),
        integer("vindplek_id", nullable=True),
        integer("deelopdracht_id", nullable=True),
        string("role", 80),
        typed("since", sa.Date),
        string("quality", 16),
        typed("ended_on", sa.Date, nullable=True),
        *created_updated_deleted(),
        fks=[
            ("expert_id", "app_user"),
            ("municipality_id", "municipality"),
            ("village_id", "village"),
            ("vindplek_id", "vindplek"),
            ("deelopdracht_id", "deelopdracht"),
        ],
        unique=[("submission_key",)],
        indexes=KEY_FIGURE_INDEXES,
    )
    create_table(
        "contact_followup",
        integer("contact_id"),
        integer("expert_id"),
        typed("due_on", sa.Date),
        utc("asked_at", nullable=True),
        utc("answered_at", nullable=True),
        integer("went_on", nullable=True),
        integer("service_kind_id", nullable=True),
        checks=[sa.CheckConstraint("went_on IS NULL OR went_on >= 0", name="ck_followup_went_on")],
        fks=[
            ("contact_id", "contact"),
            ("expert_id", "app_user"),
            ("service_kind_id", "referral_target"),
        ],
        unique=[("contact_id",)],
        indexes=[
            ("ix_contact_followup_expert_id", ["expert_id"]),
            ("ix_followup_due", ["due_on", "answered_at"]),
        ],
    )
    # A contact's one reason so far is its first (and only) reason, and a known one.
    op.execute(
        "INSERT INTO contact_non_use (contact_id, non_use_reason_id) "
        "SELECT id, non_use_reason_id FROM contact WHERE non_use_reason_id IS NOT NULL"
    )
    op.execute("UPDATE contact SET non_use_known = true WHERE non_use_reason_id IS NOT NULL")


def downgrade() -> None:
    op.drop_table("contact_followup")
    op.drop_table("key_figure")
    op.drop_table("contact_non_use")
    op.drop_table("deelopdracht_moment")
    op.drop_table("deelopdracht_measure")
    drop_columns(
        "contact", "non_use_known", "care_relation", indexes=["ix_contact_deelopdracht_id"]
    )
    drop_columns("deelopdracht", "followup_weeks", "created_at", "updated_at")
