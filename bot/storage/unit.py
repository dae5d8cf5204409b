"""One unit of work per update: one session, opened on first use, shared by every block.

An update used to open a session (and commit) in the gatekeeper and again in each block of the
journey: 2-3 commits and as many session set-ups per update. Here every
``async with context.unit() as s`` of one update gets the same session:

- a block commits at its outermost exit, so a journey still commits its step before it sends
  the reply ("never lose a step"), and the SQLite connection goes back to the pool meanwhile;
- ``block(commit=False)`` (the gatekeeper) joins without committing: its work goes out with the
  journey's first commit, or at the end of the update;
- an exception leaving any block rolls back what the update had not committed yet;
- `finish` (end of the update) commits what is still pending and closes the session.

Work registered with `keep` (the gatekeeper's processed-update row) survives a rollback: if it
was rolled back before it was committed, `finish` does it again. Nested blocks share the
session, so nesting never waits for a second connection (SQLite has one).

A unit belongs to the task that runs the update. Another task (a job, a task started with
`asyncio.gather`) that inherits the context variable gets its own transaction instead: a
session must never be used by two tasks at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from contextvars import ContextVar
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.db import SessionFactory, transaction

log = logging.getLogger(__name__)

KeptWork = Callable[[AsyncSession], Awaitable[Any]]


class UnitOfWork:
    def __init__(self, factory: SessionFactory) -> None:
        self._factory = factory
        self._session: AsyncSession | None = None
        self._depth = 0
        self._kept: list[KeptWork] = []  # kept work not committed yet
        self._kept_undone = False  # ... and rolled back: to be done again
        self.owner = asyncio.current_task()

    @asynccontextmanager
    async def block(self, *, commit: bool = True) -> AsyncIterator[AsyncSession]:
        if self._session is None:
            self._session = self._factory()
        session = self._session
        self._depth += 1
        try:
            if self._kept_undone:
                self._kept_undone = False
                for work in self._kept:
                    await work(session)
            yield session
        except BaseException:
            self._depth -= 1
            await self._rollback()
            raise
        self._depth -= 1
        if commit and self._depth == 0:
            await self._commit()

    def keep(self, work: KeptWork) -> None:
        """Work already done in the open transaction that must be committed with this update
        even if a later block fails: redone by `finish` if a rollback undid it."""
        self._kept.append(work)

    async def finish(self) -> None:
        """The update is done: commit what is pending, close the session."""
        try:
            if self._kept_undone:
                async with self.block():
                    pass  # the block does the kept work again and commits it
            else:
                await self._commit()
        finally:
            session, self._session = self._session, None
            self._depth = 0
            if session is not None:
                await session.close()

    async def _commit(self) -> None:
        session = self._session
        if session is None or not session.in_transaction():
            return
        try:
            await session.commit()
        except BaseException:
            await self._rollback()
            raise
        self._kept.clear()
        # Like a fresh session for the next block: rows read there are read again, never
        # served stale from this one's identity map. The objects stay usable (detached).
        session.expunge_all()

    async def _rollback(self) -> None:
        session = self._session
        if session is None:
            return
        if self._kept:
            self._kept_undone = True
        try:
            await session.rollback()
        except Exception:
            # The connection is gone (e.g. the database restarted): start over with a new one.
            log.warning("rollback failed; the update's session is replaced")
            self._session = None
            await session.close()


# The update being handled in this task (set by `bot.app.BotApplication.process_update`).
current_unit: ContextVar[UnitOfWork | None] = ContextVar("current_unit", default=None)


def keep(work: KeptWork) -> None:
    """`UnitOfWork.keep` on the current update's unit; nothing outside an update (there the
    block committed already)."""
    unit = current_unit.get()
    if unit is not None and unit.owner is asyncio.current_task():
        unit.keep(work)


def unit_block(
    factory: SessionFactory, *, commit: bool = True
) -> AbstractAsyncContextManager[AsyncSession]:
    """A block of the current update's unit of work, or a transaction of its own outside an
    update (jobs, other tasks)."""
    unit = current_unit.get()
    if unit is not None and unit.owner is asyncio.current_task():
        return unit.block(commit=commit)
    return transaction(factory)
