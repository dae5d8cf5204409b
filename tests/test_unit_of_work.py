"""One unit of work per update (bot.storage.unit): the gatekeeper and the journey share one
session and, normally, one commit; a failure rolls the step back; jobs keep their own
transactions. End to end through the fake Bot API, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event, func
from sqlmodel import select
from telegram import Update
from telegram.ext import ApplicationHandlerStop, MessageHandler, filters

from bot.context import BotContext
from bot.storage import drafts, updates
from bot.storage.db import session_factory
from bot.storage.models import ConversationDraft, ProcessedUpdate

PROBE_GROUP = -50  # after the gatekeeper (-100), before the journeys (0)


def probe(bot, handler: Callable[[Update, BotContext], Awaitable[Any]]) -> None:
    """A test handler for typed text starting with "probe"; nothing after it runs."""

    async def run(update: Update, context: BotContext) -> None:
        await handler(update, context)
        raise ApplicationHandlerStop

    bot.app.add_handler(MessageHandler(filters.Regex("^probe"), run), group=PROBE_GROUP)


class Commits:
    def __init__(self, bot) -> None:
        self.count = 0
        self.engine = bot.engine.sync_engine
        event.listen(self.engine, "commit", self._on_commit)

    def _on_commit(self, _conn: Any) -> None:
        self.count += 1

    def close(self) -> None:
        event.remove(self.engine, "commit", self._on_commit)


async def processed_ids(bot) -> set[int]:
    async with session_factory(bot.engine)() as s:
        return set((await s.exec(select(ProcessedUpdate.update_id))).all())


async def draft_count(bot) -> int:
    async with session_factory(bot.engine)() as s:
        return (await s.exec(select(func.count()).select_from(ConversationDraft))).one()


async def test_each_dialogue_step_is_one_commit(bot):
    anna = await bot.expert("Anna", gemeente="Venlo")
    await anna.says("/contact")
    commits = Commits(bot)
    try:
        for label in ("Vandaag", "Venlo"):
            before = commits.count
            await anna.press(label)
            # The gatekeeper's update row, the user lookup and the step: one commit.
            assert commits.count - before == 1, label
        before = commits.count
        await anna.says("buurthuis de kolk")  # a typed step
        assert commits.count - before >= 1
        before = commits.count
        await anna.says("/help")  # no database work in the journey: the gatekeeper's commit
        assert commits.count - before == 1
    finally:
        commits.close()
    anna.assert_callbacks_answered()


async def test_nested_units_share_the_session_and_commit_once_at_the_outer_exit(bot):
    anna = await bot.expert("Anna", gemeente="Venlo")
    user = await bot.app_user(anna)
    seen: dict[str, Any] = {}

    async def nested(update: Update, context: BotContext) -> None:
        async with context.unit() as outer:
            await drafts.start(
                outer, user.id, "probe", "a", {}, context.services.now(), timedelta(hours=1)
            )
            async with context.unit() as inner:
                seen["same"] = inner is outer
                seen["inner_sees_outer_row"] = await drafts.get(inner, user.id, "probe") is not None
            # The inner exit did not commit: another connection does not see the row yet
            # (on SQLite the one connection is ours, so this is asked on PostgreSQL only).
            if not bot.db_url.startswith("sqlite"):
                seen["committed_early"] = await draft_count(bot) > 0

    probe(bot, nested)
    commits = Commits(bot)
    try:
        await anna.says("probe nested")
    finally:
        commits.close()
    assert seen["same"] and seen["inner_sees_outer_row"]
    assert not seen.get("committed_early", False)
    assert commits.count == 1
    assert await draft_count(bot) == 1


async def test_a_failing_step_is_rolled_back_and_the_user_is_told(fake_telegram, db_url, clock):
    from tests.conftest import BotHarness

    bot = BotHarness(fake_telegram, db_url, clock)
    bot.raise_errors = False  # the error handler answers, as in production
    await bot.start()
    try:
        anna = await bot.expert("Anna", gemeente="Venlo")
        user = await bot.app_user(anna)

        async def fails(update: Update, context: BotContext) -> None:
            async with context.unit() as s:
                await drafts.start(
                    s, user.id, "probe", "a", {}, context.services.now(), timedelta(hours=1)
                )
                raise RuntimeError("the step failed half-way")

        probe(bot, fails)
        before = await processed_ids(bot)
        replies = await anna.says("probe fail")
        # (ptb goes on with the next group after an error: the router answers too.)
        assert "Sorry, er ging iets mis" in replies.texts[0]
        assert await draft_count(bot) == 0  # the half step is gone
        # The update was answered (the error message): a re-delivery must not run it again,
        # so its id is recorded although the journey's transaction rolled back.
        new = await processed_ids(bot) - before
        assert len(new) == 1
        async with session_factory(bot.engine)() as s, s.begin():
            assert not await updates.record(s, new.pop(), clock.now())
    finally:
        await bot.stop()


async def test_the_update_is_recorded_when_no_journey_handles_it(bot):
    anna = await bot.expert("Anna", gemeente="Venlo")
    before = await processed_ids(bot)
    replies = await anna.sends(dice={"emoji": "🎲", "value": 3})
    assert replies.texts == []  # nobody handles a dice
    assert len(await processed_ids(bot) - before) == 1


async def test_the_update_is_recorded_when_the_gatekeeper_stops_it(bot):
    anna = await bot.expert("Anna", gemeente="Venlo")
    await anna.says("hallo")
    before = await processed_ids(bot)
    await anna.edits(None, "hoi")  # the gatekeeper answers and stops it
    assert len(await processed_ids(bot) - before) == 1


async def test_a_job_during_an_update_gets_its_own_transaction_and_does_not_deadlock(bot):
    """A job (here a task started during the update, which inherits the update's context
    variables) needs the database while the update's transaction is open: it waits for the
    update's commit (on SQLite: for the one connection) and then commits on its own."""
    anna = await bot.expert("Anna", gemeente="Venlo")
    user = await bot.app_user(anna)
    order: list[str] = []

    async def job(context: BotContext) -> None:
        async with context.unit() as s:  # outside the update's task: a transaction of its own
            await drafts.start(
                s, user.id, "job", "a", {}, context.services.now(), timedelta(hours=1)
            )
        order.append("job committed")

    async def handler(update: Update, context: BotContext) -> None:
        task = asyncio.create_task(job(context))
        await asyncio.sleep(0.05)  # e.g. a Bot API call; the gatekeeper's work is pending
        async with context.unit() as s:
            await drafts.start(
                s, user.id, "probe", "a", {}, context.services.now(), timedelta(hours=1)
            )
        order.append("update committed")
        await asyncio.wait_for(task, timeout=5)

    probe(bot, handler)
    await asyncio.wait_for(anna.says("probe job"), timeout=8)
    assert await draft_count(bot) == 2
    if bot.db_url.startswith("sqlite"):
        assert order == ["update committed", "job committed"]
    else:
        assert sorted(order) == ["job committed", "update committed"]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_outside_an_update_each_unit_is_its_own_transaction(bot):
    """Jobs run with a context but no update: every block commits on its own."""
    from bot.storage.unit import current_unit

    assert current_unit.get() is None
    context = BotContext(bot.app)
    anna = await bot.expert("Anna", gemeente="Venlo")
    user = await bot.app_user(anna)
    async with context.unit() as s:
        await drafts.start(s, user.id, "job", "a", {}, bot.clock.now(), timedelta(hours=1))
    assert await draft_count(bot) == 1
