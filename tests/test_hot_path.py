"""The gatekeeper's per-update reads (`updates.record_and_load_user`): one statement on
PostgreSQL, two on SQLite, the same answers on both."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import event
from sqlmodel import select

from bot.storage import updates
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
