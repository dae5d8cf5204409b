"""Places: municipalities, their villages (kernen) and vindplekken."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from bot.storage.models.base import PerMunicipality, created


class Municipality(SQLModel, table=True):
    __tablename__ = "municipality"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=64, unique=True)
    name: str = Field(max_length=100, unique=True)
    # MGR verdeelsleutel in percent; the fair share of the pool's hours.
    mgr_key_pct: float = Field(default=0.0)
    active: bool = Field(default=True)


class Village(PerMunicipality, table=True):
    """A kern: residents name villages more often than municipalities."""

    __tablename__ = "village"
    __table_args__ = (sa.UniqueConstraint("municipality_id", "name"),)

    name: str = Field(max_length=100)


class Vindplek(PerMunicipality, table=True):
    """A place where experts meet residents (buurthuis, inloop, straat, ...)."""

    __tablename__ = "vindplek"
    __table_args__ = (sa.UniqueConstraint("municipality_id", "name"),)

    name: str = Field(max_length=120)
    address: str | None = Field(default=None, max_length=200)
    active: bool = Field(default=True)
    created_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = created()
