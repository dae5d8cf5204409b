"""What every table module uses: typed access to a model's Core table, a row's id, the
time-stamp columns, and the leading columns of rows that belong to a municipality or to a
deelopdracht."""

from __future__ import annotations

from functools import cache
from typing import Any, Protocol

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from bot.storage.types import UTCDateTime, utcnow


@cache
def table_of(model: type[SQLModel]) -> sa.Table:
    """The Core table of a table model, typed (SQLModel does not declare `__table__` for type
    checkers). For Core statements, which skip the ORM's per-statement work."""
    table = sa.inspect(model).local_table
    assert isinstance(table, sa.Table), model
    return table


class _HasId(Protocol):
    id: int | None


def id_of(row: _HasId) -> int:
    """The primary key of a row that is in the database (loaded, or added and flushed)."""
    if row.id is None:
        raise ValueError(f"{type(row).__name__} has no id yet: flush it first")
    return row.id


def ts(nullable: bool = True, index: bool = False) -> Any:
    return Field(default=None, sa_type=UTCDateTime, nullable=nullable, index=index)


def created() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class PerMunicipality(SQLModel):
    """The leading columns of a row that belongs to one municipality, looked up by it."""

    id: int | None = Field(default=None, primary_key=True)
    municipality_id: int = Field(foreign_key="municipality.id", index=True)


class PerDeelopdracht(SQLModel):
    """The leading columns of a row that belongs to one deelopdracht, looked up by it."""

    id: int | None = Field(default=None, primary_key=True)
    deelopdracht_id: int = Field(foreign_key="deelopdracht.id", index=True)
