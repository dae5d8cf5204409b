"""Shorthands the migrations build their tables with.

A migration must keep producing the schema it produced when it was written, so these
helpers only ever gain new functions: never change what an existing one emits.

A table is written as its columns, then its check constraints, foreign keys, primary key and
unique constraints, in that order (the order Alembic's autogenerate wrote them in), followed
by its indexes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import bot.storage.types

# One index: (name, columns).
Index = tuple[str, Sequence[str]]


def integer(name: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.Integer(), nullable=nullable)


def bigint(name: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.BigInteger(), nullable=nullable)


def string(name: str, length: int | None = None, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sqlmodel.sql.sqltypes.AutoString(length=length), nullable=nullable)


def utc(name: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, bot.storage.types.UTCDateTime(timezone=True), nullable=nullable)


def typed(name: str, type_: type[sa.types.TypeEngine], *, nullable: bool = False) -> sa.Column:
    """A column of a plain SQLAlchemy type without arguments (Date, Time, Boolean, JSON, ...)."""
    return sa.Column(name, type_(), nullable=nullable)


def created_updated_deleted() -> list[sa.Column]:
    """The time stamps of an editable, soft-deleted row."""
    return [utc("created_at"), utc("updated_at", nullable=True), utc("deleted_at", nullable=True)]


def fk(column: str, table: str) -> sa.ForeignKeyConstraint:
    """`column` references `table`.id."""
    return sa.ForeignKeyConstraint([column], [f"{table}.id"])


def create_table(
    name: str,
    *columns: sa.Column,
    checks: Iterable[sa.CheckConstraint] = (),
    fks: Iterable[tuple[str, str]] = (),
    primary_key: Sequence[str] = ("id",),
    unique: Iterable[Sequence[str]] = (),
    named_unique: Mapping[str, Sequence[str]] | None = None,
    indexes: Iterable[Index] = (),
) -> None:
    """Create a table; with the default primary key, an integer `id` column comes first.

    `unique` lists the columns of unnamed unique constraints, `named_unique` maps a constraint
    name to its columns. SQLAlchemy emits constraints in the order they were made, so they
    are made here, in the order above.
    """
    leading = [integer("id")] if tuple(primary_key) == ("id",) else []
    op.create_table(
        name,
        *leading,
        *columns,
        *checks,
        *(fk(column, table) for column, table in fks),
        sa.PrimaryKeyConstraint(*primary_key),
        *(sa.UniqueConstraint(*columns) for columns in unique),
        *(sa.UniqueConstraint(*cols, name=name) for name, cols in (named_unique or {}).items()),
    )
    create_indexes(name, indexes)


def link_table(name: str, left: tuple[str, str], right: tuple[str, str]) -> None:
    """A many-to-many table between two tables: `left` and `right` are (column, referenced
    table); keyed by both columns (left first), with an index `ix_<name>_<column>` on the
    right one."""
    create_table(
        name,
        integer(left[0]),
        integer(right[0]),
        fks=[left, right],
        primary_key=[left[0], right[0]],
        indexes=[link_index(name, right[0])],
    )


def link_index(table: str, column: str) -> Index:
    """The index :func:`link_table` makes on its right column."""
    return (f"ix_{table}_{column}", [column])


def create_indexes(table: str, indexes: Iterable[Index]) -> None:
    indexes = list(indexes)
    if not indexes:
        return
    with op.batch_alter_table(table, schema=None) as batch_op:
        for name, columns in indexes:
            batch_op.create_index(name, list(columns), unique=False)


def drop_table(name: str, indexes: Iterable[Index] = ()) -> None:
    """Undo :func:`create_table`: the indexes in reverse order, then the table."""
    indexes = list(indexes)
    if indexes:
        with op.batch_alter_table(name, schema=None) as batch_op:
            for index_name, _columns in reversed(indexes):
                batch_op.drop_index(index_name)
    op.drop_table(name)


# A named foreign key: (constraint name, column, referenced table); it references `table`.id.
NamedFk = tuple[str, str, str]


def add_columns(
    table: str,
    *columns: sa.Column,
    fks: Iterable[NamedFk] = (),
    indexes: Iterable[Index] = (),
) -> None:
    """Add columns to an existing table, then their named foreign keys, then indexes."""
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            batch_op.add_column(column)
        for fk_name, column_name, target in fks:
            batch_op.create_foreign_key(fk_name, target, [column_name], ["id"])
        for index_name, index_columns in indexes:
            batch_op.create_index(index_name, list(index_columns))


def drop_columns(
    table: str, *columns: str, fks: Iterable[str] = (), indexes: Iterable[str] = ()
) -> None:
    """Undo :func:`add_columns` (given the same columns, in the same order): the foreign keys
    and indexes by name, then the columns, the last added first."""
    with op.batch_alter_table(table, schema=None) as batch_op:
        for fk_name in fks:
            batch_op.drop_constraint(fk_name, type_="foreignkey")
        for index_name in indexes:
            batch_op.drop_index(index_name)
        for column in reversed(columns):
            batch_op.drop_column(column)
