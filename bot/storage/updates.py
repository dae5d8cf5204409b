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

from bot.storage import drafts, lists, users
from bot.storage.models import ConversationDraft, ProcessedUpdate, User

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


# The user lookup of every update, with the list version (`lists.VERSION_COLUMN`) beside it;
# on a button press also the draft the button names, if it is this user's (`drafts.prefetch`):
# the press then reads no draft of its own.
_USER_WHERE = users.BY_TELEGRAM_ID_WHERE
_DRAFT_JOIN = and_(
    col(ConversationDraft.id) == bindparam("draft_id"),
    col(ConversationDraft.user_id) == col(User.id),
)
_USER = select(User, lists.VERSION_COLUMN).where(*_USER_WHERE)
_USER_AND_DRAFT = (
    select(User, lists.VERSION_COLUMN, ConversationDraft)
    .outerjoin(ConversationDraft, _DRAFT_JOIN)
    .where(*_USER_WHERE)
)
# A draft read along replaces one the session may hold, as `drafts.get_by_id` reads.
_READ = drafts.READ

_RECORD_AND_USER: dict[bool, Any] = {}


def _record_and_user_statement(with_draft: bool) -> Any:
    """PostgreSQL: the update-id insert (a data-modifying WITH) and the user lookup in one
    statement, one round trip: ``(fresh, User or None, list version[, draft or None])``, one
    row whatever happens."""
    stmt = _RECORD_AND_USER.get(with_draft)
    if stmt is None:
        inserted = (
            _record_statement("postgresql")
            .returning(col(ProcessedUpdate.update_id))
            .cte("inserted")
        )
        fresh = select(func.count()).select_from(inserted).scalar_subquery().label("fresh")
        one = select(fresh).subquery("one")
        stmt = (
            select(one.c.fresh, User, lists.VERSION_COLUMN)
            .select_from(one)
            .outerjoin(User, and_(*_USER_WHERE))
        )
        if with_draft:
            stmt = stmt.add_columns(ConversationDraft).outerjoin(ConversationDraft, _DRAFT_JOIN)
        _RECORD_AND_USER[with_draft] = stmt
    return stmt


async def record_and_load_user(
    s: AsyncSession,
    update_id: int,
    now: datetime,
    telegram_user_id: int,
    draft_id: int | None = None,
) -> tuple[bool, User | None]:
    """`record` and the user lookup (the gatekeeper's two reads of every update), with the list
    version for `lists.version` and, given ``draft_id`` (a button's), that draft of the user's
    for `drafts.get_by_id`. One statement on PostgreSQL, where each is a round trip; two on
    SQLite (no INSERT in a WITH there, and a statement costs no round trip). The user is None
    on a repeat."""
    with_draft = draft_id is not None
    params: dict[str, Any] = {"tg_id": telegram_user_id}
    options = _READ if with_draft else {}
    if with_draft:
        params["draft_id"] = draft_id
    if s.get_bind().dialect.name != "postgresql":
        if not await record(s, update_id, now):
            return False, None
        stmt = _USER_AND_DRAFT if with_draft else _USER
        row = (await s.exec(stmt, params=params, execution_options=options)).first()
        if row is None:
            return True, None
        user, list_version = row[0], row[1]
    else:
        params.update(update_id=update_id, at=now)
        row = (
            await s.exec(
                _record_and_user_statement(with_draft), params=params, execution_options=options
            )
        ).one()
        if not row[0]:
            return False, None
        user, list_version = row[1], row[2]
    lists.remember_version(s, list_version)
    if with_draft and user is not None:
        drafts.prefetch(s, row[-1])
    return True, user
