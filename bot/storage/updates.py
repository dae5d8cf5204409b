"""Update ids already handled: Telegram may deliver an update twice (after a timeout or a
restart); the second delivery must not act again."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, func
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage import lists
from bot.storage.models import ProcessedUpdate, User

# Every update runs this statement: build it once per dialect, so each call only binds values.
_RECORD: dict[str, Any] = {}


def _record_statement(dialect: str) -> Any:
    stmt = _RECORD.get(dialect)
    if stmt is None:
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        stmt = _RECORD[dialect] = (
            insert(ProcessedUpdate)
            .values(update_id=bindparam("update_id"), at=bindparam("at"))
            .on_conflict_do_nothing(index_elements=["update_id"])
        )
    return stmt


async def record(s: AsyncSession, update_id: int, now: datetime) -> bool:
    """True the first time an update id is seen. One statement, no exception on a repeat."""
    stmt = _record_statement(s.get_bind().dialect.name)
    # Core execution on the session's connection: the ORM path would not report the rowcount.
    conn = await s.connection()
    result = await conn.execute(stmt, {"update_id": update_id, "at": now})
    return bool(result.rowcount)


# The user lookup of every update, with the list version (`lists.VERSION_COLUMN`) beside it.
_USER = select(User, lists.VERSION_COLUMN).where(
    col(User.telegram_user_id) == bindparam("tg_id"),
    col(User.deleted_at).is_(None),
)

_RECORD_AND_USER: list[Any] = []


def _record_and_user_statement() -> Any:
    """PostgreSQL: the update-id insert (a data-modifying WITH) and the user lookup in one
    statement, one round trip: ``(fresh, User or None, list version)``, one row whatever
    happens."""
    if not _RECORD_AND_USER:
        inserted = (
            _record_statement("postgresql")
            .returning(col(ProcessedUpdate.update_id))
            .cte("inserted")
        )
        fresh = select(func.count()).select_from(inserted).scalar_subquery().label("fresh")
        one = select(fresh).subquery("one")
        _RECORD_AND_USER.append(
            select(one.c.fresh, User, lists.VERSION_COLUMN)
            .select_from(one)
            .outerjoin(
                User,
                and_(
                    col(User.telegram_user_id) == bindparam("tg_id"),
                    col(User.deleted_at).is_(None),
                ),
            )
        )
    return _RECORD_AND_USER[0]


async def record_and_load_user(
    s: AsyncSession, update_id: int, now: datetime, telegram_user_id: int
) -> tuple[bool, User | None]:
    """`record` and the user lookup (the gatekeeper's two reads of every update), with the list
    version for `lists.version`. One statement on PostgreSQL, where each is a round trip; two on
    SQLite (no INSERT in a WITH there, and a statement costs no round trip). The user is None
    on a repeat."""
    if s.get_bind().dialect.name != "postgresql":
        if not await record(s, update_id, now):
            return False, None
        row = (await s.exec(_USER, params={"tg_id": telegram_user_id})).first()
        if row is None:
            return True, None
        lists.remember_version(s, row[1])
        return True, row[0]
    params = {"update_id": update_id, "at": now, "tg_id": telegram_user_id}
    fresh, user, list_version = (await s.exec(_record_and_user_statement(), params=params)).one()
    if not fresh:
        return False, None
    lists.remember_version(s, list_version)
    return True, user
