"""The half-yearly report's coordinator content: selected stories, narrative paragraphs."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from bot.storage.models.base import created


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
