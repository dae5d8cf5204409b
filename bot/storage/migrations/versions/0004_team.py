"""team and lists: deactivation and a second role, revocable invites, the list version, and the
fair-share ledger (budget per year, MGR key per date, agreed deviations)

Revision ID: team_1
Revises: parse_1
Create Date: 2026-12-01 06:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.migrations import kit

revision: str = "team_1"
down_revision: str | Sequence[str] | None = "parse_1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


LEDGER_INDEXES: dict[str, list[kit.Index]] = {
    "mgr_key": [("ix_mgr_key_municipality_id", ["municipality_id"])],
    "share_deviation": [("ix_share_deviation_municipality_id", ["municipality_id"])],
}


def upgrade() -> None:
    kit.add_columns(
        "app_user",
        sa.Column("also_expert", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    kit.add_columns(
        "invite",
        kit.utc("revoked_at", nullable=True),
        kit.integer("created_by_id", nullable=True),
        fks=[("fk_invite_created_by", "created_by_id", "app_user")],
    )
    kit.create_table("list_version", kit.integer("version"))
    op.execute("INSERT INTO list_version (id, version) VALUES (1, 0)")
    kit.create_table(
        "ledger_year",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        kit.typed("budget_hours", sa.Float, nullable=True),
        kit.typed("budget_euros", sa.Float, nullable=True),
        kit.typed("hourly_rate", sa.Float, nullable=True),
        kit.typed("spread_regional", sa.Boolean),
        kit.utc("updated_at"),
        primary_key=["year"],
    )
    kit.create_table(
        "mgr_key",
        kit.integer("municipality_id"),
        kit.typed("valid_from", sa.Date),
        kit.typed("pct", sa.Float),
        fks=[("municipality_id", "municipality")],
        named_unique={"uq_mgr_key": ("municipality_id", "valid_from")},
        indexes=LEDGER_INDEXES["mgr_key"],
    )
    kit.create_table(
        "share_deviation",
        kit.integer("municipality_id"),
        kit.typed("starts_on", sa.Date),
        kit.typed("ends_on", sa.Date),
        kit.typed("hours", sa.Float),
        kit.string("reason", 300),
        kit.integer("created_by_id", nullable=True),
        kit.utc("created_at"),
        kit.utc("deleted_at", nullable=True),
        fks=[("municipality_id", "municipality"), ("created_by_id", "app_user")],
        indexes=LEDGER_INDEXES["share_deviation"],
    )


def downgrade() -> None:
    op.drop_table("share_deviation")
    op.drop_table("mgr_key")
    op.drop_table("ledger_year")
    op.drop_table("list_version")
    kit.drop_columns("invite", "revoked_at", "created_by_id", fks=["fk_invite_created_by"])
    kit.drop_columns("app_user", "also_expert")
