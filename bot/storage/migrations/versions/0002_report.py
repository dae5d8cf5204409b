"""half-yearly report: story selection per municipality and period, narrative paragraphs

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 02:40:00

"""

from collections.abc import Sequence

from bot.storage.migrations.kit import Index, create_table, drop_table, integer, string, utc

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


SELECTION_INDEXES: list[Index] = [("ix_story_selection_period", ["period_key", "municipality_id"])]


def upgrade() -> None:
    create_table(
        "report_story_selection",
        integer("story_id"),
        integer("municipality_id"),
        string("period_key", 32),
        integer("selected_by_id", nullable=True),
        utc("selected_at"),
        fks=[
            ("story_id", "story"),
            ("municipality_id", "municipality"),
            ("selected_by_id", "app_user"),
        ],
        named_unique={"uq_story_selection": ("story_id", "municipality_id", "period_key")},
        indexes=SELECTION_INDEXES,
    )
    create_table(
        "report_narrative",
        integer("municipality_id", nullable=True),
        integer("scope_id"),
        string("period_key", 32),
        string("text", 4000),
        integer("author_id", nullable=True),
        utc("updated_at"),
        fks=[("municipality_id", "municipality"), ("author_id", "app_user")],
        named_unique={"uq_report_narrative_scope": ("scope_id", "period_key")},
    )


def downgrade() -> None:
    drop_table("report_narrative")
    drop_table("report_story_selection", SELECTION_INDEXES)
