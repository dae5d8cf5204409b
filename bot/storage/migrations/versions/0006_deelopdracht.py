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

from bot.storage.migrations import kit

revision: str = "deel_1"
down_revision: str | Sequence[str] | None = "report_1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY_FIGURE_INDEXES: list[kit.Index] = [
    (f"ix_key_figure_{column}", [column])
    for column in ("expert_id", "municipality_id", "deelopdracht_id")
]


def _per_deelopdracht(name: str, *columns: sa.Column, **parts: Any) -> None:
    """A table of rows belonging to one deelopdracht, indexed by it."""
    kit.create_table(
        name,
        kit.integer("deelopdracht_id"),
        *columns,
        fks=[("deelopdracht_id", "deelopdracht")],
        indexes=[(f"ix_{name}_deelopdracht_id", ["deelopdracht_id"])],
        **parts,
    )


def upgrade() -> None:
    kit.add_columns(
        "deelopdracht",
        sa.Column("followup_weeks", sa.Integer(), server_default="6", nullable=False),
        kit.utc("created_at", nullable=True),
        kit.utc("updated_at", nullable=True),
    )
    kit.add_columns(
        "contact",
        kit.typed("non_use_known", sa.Boolean, nullable=True),
        kit.string("care_relation", 16, nullable=True),
        indexes=[("ix_contact_deelopdracht_id", ["deelopdracht_id"])],
    )
    _per_deelopdracht(
        "deelopdracht_measure",
        kit.integer("position"),
        kit.string("kind", 32),
        kit.string("label", 200),
        kit.typed("target", sa.Float),
        kit.integer("window_months", nullable=True),
        kit.typed("filter", sa.JSON, nullable=True),
        kit.utc("deleted_at", nullable=True),
        checks=[sa.CheckConstraint("target >= 0", name="ck_measure_target")],
    )
    _per_deelopdracht(
        "deelopdracht_moment",
        kit.typed("on_date", sa.Date),
        kit.utc("reminded_at", nullable=True),
        named_unique={"uq_deel_moment": ("deelopdracht_id", "on_date")},
    )
    kit.link_table(
        "contact_non_use", ("contact_id", "contact"), ("non_use_reason_id", "non_use_reason")
    )
    kit.create_table(
        "key_figure",
        kit.string("submission_key", 64),
        kit.integer("expert_id"),
        kit.integer("municipality_id"),
        kit.integer("village_id", nullable=True),
        kit.integer("vindplek_id", nullable=True),
        kit.integer("deelopdracht_id", nullable=True),
        kit.string("role", 80),
        kit.typed("since", sa.Date),
        kit.string("quality", 16),
        kit.typed("ended_on", sa.Date, nullable=True),
        *kit.created_updated_deleted(),
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
    kit.create_table(
        "contact_followup",
        kit.integer("contact_id"),
        kit.integer("expert_id"),
        kit.typed("due_on", sa.Date),
        kit.utc("asked_at", nullable=True),
        kit.utc("answered_at", nullable=True),
        kit.integer("went_on", nullable=True),
        kit.integer("service_kind_id", nullable=True),
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
    kit.drop_columns(
        "contact", "non_use_known", "care_relation", indexes=["ix_contact_deelopdracht_id"]
    )
    kit.drop_columns("deelopdracht", "followup_weeks", "created_at", "updated_at")
