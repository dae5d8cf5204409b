"""team and lists: deactivation and a second role, revocable invites, the list version, and the
fair-share ledger (budget per year, MGR key per date, agreed deviations)

Revision ID: team_1
Revises: parse_1
Create Date: 2026-12-01 06:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import bot.storage.types

revision: str = "team_1"
down_revision: str | Sequence[str] | None = "parse_1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("also_expert", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("invite", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("revoked_at", bot.storage.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("created_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_invite_created_by", "app_user", ["created_by_id"], ["id"])
    op.create_table(
        "list_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute("INSERT INTO list_version (id, version) VALUES (1, 0)")
    op.create_table(
        "ledger_year",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("budget_hours", sa.Float(), nullable=True),
        sa.Column("budget_euros", sa.Float(), nullable=True),
        sa.Column("hourly_rate", sa.Float(), nullable=True),
        sa.Column("spread_regional", sa.Boolean(), nullable=False),
        sa.Column("updated_at", bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("year"),
    )
    op.create_table(
        "mgr_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("pct", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["municipality_id"], ["municipality.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("municipality_id", "valid_from", name="uq_mgr_key"),
    )
    with op.batch_alter_table("mgr_key", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mgr_key_municipality_id"), ["municipality_id"], unique=False
        )
    op.create_table(
        "share_deviation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("hours", sa.Float(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", bot.storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["municipality_id"], ["municipality.id"]),
        sa.ForeignKeyConstraint(["created_by_id"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("share_deviation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_share_deviation_municipality_id"), ["municipality_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("share_deviation")
    op.drop_table("mgr_key")
    op.drop_table("ledger_year")
    op.drop_table("list_version")
    with op.batch_alter_table("invite", schema=None) as batch_op:
        batch_op.drop_constraint("fk_invite_created_by", type_="foreignkey")
        batch_op.drop_column("created_by_id")
        batch_op.drop_column("revoked_at")
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_column("also_expert")
