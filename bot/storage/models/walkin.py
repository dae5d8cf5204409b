"""Walk-in hours (inloop, spreekuur) and their exceptions."""

from __future__ import annotations

from datetime import date, datetime, time

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from bot.storage.models.base import PerMunicipality, created, ts


class WalkInSession(PerMunicipality, table=True):
    """A weekly recurring inloop or spreekuur at a named place."""

    __tablename__ = "walkin_session"
    __table_args__ = (
        sa.UniqueConstraint(
            "municipality_id",
            "place",
            "weekday",
            "start_time",
            "end_time",
            "valid_from",
            name="uq_walkin_natural",
        ),
        sa.CheckConstraint("weekday >= 0 AND weekday <= 6", name="ck_weekday"),
    )

    kind: str = Field(default="inloop", max_length=20)  # inloop | spreekuur
    place: str = Field(max_length=120)
    address: str = Field(default="", max_length=200)
    weekday: int  # 0 = Monday
    start_time: time
    end_time: time
    valid_from: date | None = None
    valid_until: date | None = None
    open_on_holidays: bool = Field(default=False)
    note: str | None = Field(default=None, max_length=300)
    active: bool = Field(default=True)
    created_at: datetime = created()
    updated_at: datetime | None = ts()


class WalkInException(SQLModel, table=True):
    """A cancelled date of a session, or an extra date (with its own time and place)."""

    __tablename__ = "walkin_exception"
    __table_args__ = (sa.Index("ix_walkin_exc_date", "on_date"),)

    id: int | None = Field(default=None, primary_key=True)
    session_id: int | None = Field(default=None, foreign_key="walkin_session.id")
    on_date: date
    kind: str = Field(max_length=20)  # cancelled | extra
    municipality_id: int | None = Field(default=None, foreign_key="municipality.id")
    place: str | None = Field(default=None, max_length=120)
    address: str | None = Field(default=None, max_length=200)
    start_time: time | None = None
    end_time: time | None = None
    note: str | None = Field(default=None, max_length=300)
    created_at: datetime = created()
