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

import sqlalchemy as sa
import sqlmodel
from alembic import op

import bot.storage.types

revision: str = "deel_1"
down_revision: str | Sequence[str] | None = "report_1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TS = bot.storage.types.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("deelopdracht", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("followup_weeks", sa.Integer(), server_default="6", nullable=False)
        )
        batch_op.add_column(sa.Column("created_at", UTC_TS, nullable=True))
        batch_op.add_column(sa.Column("updated_at", UTC_TS, nullable=True))
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.add_column(sa.Column("non_use_known", sa.Boolean(), nullable=True))
        batch_op.add_column(
            sa.Column("care_relation", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True)
        )
        batch_op.create_index("ix_contact_deelopdracht_id", ["deelopdracht_id"])
    op.create_table(
        "deelopdracht_measure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deelopdracht_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("label", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("target", sa.Float(), nullable=False),
        sa.Column("window_months", sa.Integer(), nullable=True),
        sa.Column("filter", sa.JSON(), nullable=True),
        sa.Column("deleted_at", UTC_TS, nullable=True),
        sa.CheckConstraint("target >= 0", name="ck_measure_target"),
        sa.ForeignKeyConstraint(["deelopdracht_id"], ["deelopdracht.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_deelopdracht_measure_deelopdracht_id", "deelopdracht_measure", ["deelopdracht_id"]
    )
    op.create_table(
        "deelopdracht_moment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deelopdracht_id", sa.Integer(), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("reminded_at", UTC_TS, nullable=True),
        sa.ForeignKeyConstraint(["deelopdracht_id"], ["deelopdracht.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("deelopdracht_id", "on_date", name="uq_deel_moment"),
    )
    op.create_index(
        "ix_deelopdracht_moment_deelopdracht_id", "deelopdracht_moment", ["deelopdracht_id"]
    )
    op.create_table(
        "contact_non_use",
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("non_use_reason_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"]),
        sa.ForeignKeyConstraint(["non_use_reason_id"], ["non_use_reason.id"]),
        sa.PrimaryKeyConstraint("contact_id", "non_use_reason_id"),
    )
    op.create_index(
        "ix_contact_non_use_non_use_reason_id", "contact_non_use", ["non_use_reason_id"]
    )
    op.create_table(
        "key_figure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("village_id", sa.Integer(), nullable=True),
        sa.Column("vindplek_id", sa.Integer(), nullable=True),
        sa.Column("deelopdracht_id", sa.Integer(), nullable=True),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("quality", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("created_at", UTC_TS, nullable=False),
        sa.Column("updated_at", UTC_TS, nullable=True),
        sa.Column("deleted_at", UTC_TS, nullable=True),
        sa.ForeignKeyConstraint(["expert_id"], ["app_user.id"]),
        sa.ForeignKeyConstraint(["municipality_id"], ["municipality.id"]),
        sa.ForeignKeyConstraint(["village_id"], ["village.id"]),
        sa.ForeignKeyConstraint(["vindplek_id"], ["vindplek.id"]),
        sa.ForeignKeyConstraint(["deelopdracht_id"], ["deelopdracht.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("submission_key"),
    )
    for col in ("expert_id", "municipality_id", "deelopdracht_id"):
        op.create_index(f"ix_key_figure_{col}", "key_figure", [col])
    op.create_table(
        "contact_followup",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("asked_at", UTC_TS, nullable=True),
        sa.Column("answered_at", UTC_TS, nullable=True),
        sa.Column("went_on", sa.Integer(), nullable=True),
        sa.Column("service_kind_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("went_on IS NULL OR went_on >= 0", name="ck_followup_went_on"),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"]),
        sa.ForeignKeyConstraint(["expert_id"], ["app_user.id"]),
        sa.ForeignKeyConstraint(["service_kind_id"], ["referral_target.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("contact_id"),
    )
    op.create_index("ix_contact_followup_expert_id", "contact_followup", ["expert_id"])
    op.create_index("ix_followup_due", "contact_followup", ["due_on", "answered_at"])
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
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_index("ix_contact_deelopdracht_id")
        batch_op.drop_column("care_relation")
        batch_op.drop_column("non_use_known")
    with op.batch_alter_table("deelopdracht", schema=None) as batch_op:
        batch_op.drop_column("updated_at")
        batch_op.drop_column("created_at")
        batch_op.drop_column("followup_weeks")
