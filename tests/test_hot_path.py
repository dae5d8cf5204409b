"""The gatekeeper's per-update reads (`updates.record_and_load_user`): one statement on
PostgreSQL, two on SQLite, the same answers on both."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import event
from sqlmodel import select

from bot.storage import lists, updates
from bot.storage.db import session_factory, transaction
from bot.storage.models import ProcessedUpdate, User

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


async def test_record_and_load_user(engine):
    factory = session_factory(engine)
    async with transaction(factory) as s:
        s.add(User(telegram_user_id=42, chat_id=42, role="expert", display_name="Anna"))
        s.add(User(telegram_user_id=43, chat_id=43, role="expert", deleted_at=NOW))
    statements: list[str] = []
    event.listen(engine.sync_engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    async with transaction(factory) as s:
        fresh, user = await updates.record_and_load_user(s, 1, NOW, 42)
        assert fresh and user is not None and user.display_name == "Anna"
        one_update = len(statements)
        assert await updates.record_and_load_user(s, 2, NOW, 99) == (True, None)  # resident
        assert await updates.record_and_load_user(s, 3, NOW, 43) == (True, None)  # deleted
        assert await updates.record_and_load_user(s, 1, NOW, 42) == (False, None)  # repeat
    assert one_update == (1 if engine.dialect.name == "postgresql" else 2)
    with_rollback = False
    try:
        async with transaction(factory) as s:
            assert (await updates.record_and_load_user(s, 4, NOW, 42))[0]
            with_rollback = True
            raise RuntimeError
    except RuntimeError:
        pass
    assert with_rollback
    async with factory() as s:
        ids = (await s.exec(select(ProcessedUpdate.update_id))).all()
        assert sorted(ids) == [1, 2, 3]
        assert (await s.exec(select(ProcessedUpdate.at))).first() == NOW


async def test_the_user_lookup_brings_the_list_version(engine):
    """The contact dialogue's cached lists are keyed by the list version: the gatekeeper's
    lookup reads it along, so `lists.version` costs no statement of its own; a bump (a list
    change in this update) is read again."""
    factory = session_factory(engine)
    async with transaction(factory) as s:
        s.add(User(telegram_user_id=42, chat_id=42, role="expert", display_name="Anna"))
        await lists.bump(s)
    async with factory() as s:
        start = await lists.version(s)
    statements: list[str] = []
    event.listen(engine.sync_engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    async with transaction(factory) as s:
        await updates.record_and_load_user(s, 10, NOW, 42)
        counted = len(statements)
        assert await lists.version(s) == start
        assert len(statements) == counted  # no statement of its own
        await lists.bump(s)
        assert await lists.version(s) == start + 1  # read again after the bump
    async with transaction(factory) as s:  # a resident: no user row
        await updates.record_and_load_user(s, 11, NOW, 99)
        counted = len(statements)
        assert await lists.version(s) == start + 1
        # PostgreSQL's one statement always gives one row; on SQLite it is read on its own.
        assert len(statements) == counted + (0 if engine.dialect.name == "postgresql" else 1)
