"""The fair-share ledger: yearly budget, MGR keys, agreed deviations."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Column, Field, SQLModel

from bot.storage.models.base import PerMunicipality, created, ts


class LedgerYear(SQLModel, table=True):
    """The pool's budget for one calendar year: hours, or euros with an hourly rate."""

    __tablename__ = "ledger_year"

    year: int = Field(sa_column=Column(sa.Integer, primary_key=True, autoincrement=False))
    budget_hours: float | None = None
    budget_euros: float | None = None
    hourly_rate: float | None = None
    # Hours without a municipality (regional) spread over the municipalities by the key.
    spread_regional: bool = Field(default=False)
    updated_at: datetime = created()


class MgrKey(PerMunicipality, table=True):
    """A municipality's MGR key (percent) from a date on; the latest on or before a day holds."""

    __tablename__ = "mgr_key"
    __table_args__ = (sa.UniqueConstraint("municipality_id", "valid_from", name="uq_mgr_key"),)

    valid_from: date
    pct: float


class ShareDeviation(PerMunicipality, table=True):
    """An agreed deviation from the key: extra (or, negative, fewer) hours over a period."""

    __tablename__ = "share_deviation"

    starts_on: date
    ends_on: date
    hours: float
    reason: str = Field(default="", max_length=300)
    created_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = created()
    deleted_at: datetime | None = ts()
