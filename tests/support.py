"""Small helpers shared by tests (not fixtures: those live in conftest.py)."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import time
from pathlib import Path
from typing import Any, TypeVar

import yaml
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.db import create_engine, session_factory, transaction
from bot.storage.models import User

T = TypeVar("T")

DATA = Path(__file__).resolve().parent / "data"


class _Loader(yaml.SafeLoader):
    """Safe YAML plus `!time "16:30"` for clock times and `!repeat [x, 5000]` for a text
    repeated that often (an over-long input)."""


def _clock_time(loader: yaml.SafeLoader, node: yaml.Node) -> time:
    assert isinstance(node, yaml.ScalarNode)
    return time.fromisoformat(loader.construct_scalar(node))


def _repeat(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    assert isinstance(node, yaml.SequenceNode)
    text, times = loader.construct_sequence(node)
    return str(text) * int(times)


_Loader.add_constructor("!time", _clock_time)
_Loader.add_constructor("!repeat", _repeat)


def _load(name: str) -> Any:
    return yaml.load((DATA / name).read_text(encoding="utf-8"), Loader=_Loader)


def load_cases(name: str) -> list[dict[str, Any]]:
    """The list of cases in tests/data/NAME (YAML), each a mapping of field to value."""
    cases = _load(name)
    assert isinstance(cases, list) and all(isinstance(c, dict) for c in cases), name
    return cases


def table(name: str, key: str) -> list[Any]:
    """The cases of one test from tests/data/NAME: a list under KEY, each case a value or a
    list of the test's parameters (made a tuple for pytest.mark.parametrize)."""
    cases = _load(name)[key]
    assert isinstance(cases, list) and cases, (name, key)
    return [tuple(c) if isinstance(c, list) else c for c in cases]


@contextlib.asynccontextmanager
async def fresh_engine(url: str) -> AsyncIterator[AsyncEngine]:
    """An engine of its own for URL (another process's view, a CLI's), disposed of after."""
    engine = create_engine(url)
    try:
        yield engine
    finally:
        await engine.dispose()


def run_on_engine(db_url: str, work: Callable[[AsyncEngine], Awaitable[T]]) -> T:
    """Run `work` on a fresh engine for DB_URL from synchronous code (a CLI test)."""

    async def go() -> T:
        async with fresh_engine(db_url) as engine:
            return await work(engine)

    return asyncio.run(go())


_tg_ids = itertools.count(10_001)


async def add_user(
    engine: AsyncEngine,
    name: str,
    role: str = "expert",
    *,
    tg_id: int | None = None,
    **columns: Any,
) -> User:
    """A user straight into the database (no registration), with equal Telegram user and chat
    ids; `columns` are more of the user's columns."""
    tg_id = tg_id or next(_tg_ids)
    async with transaction(session_factory(engine)) as s:
        user = User(telegram_user_id=tg_id, chat_id=tg_id, role=role, display_name=name, **columns)
        s.add(user)
    return user


def assert_contains(text: str, *parts: str) -> None:
    """Every one of `parts` is in `text`; the failure names all that are missing."""
    missing = [part for part in parts if part not in text]
    assert not missing, (missing, text)


class LoopTicker:
    """Counts how often the event loop ran a task that sleeps `every` seconds, while the block
    runs: proof that the loop kept running while a statement waited."""

    def __init__(self, every: float) -> None:
        self.every, self.ticks = every, 0

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(self.every)
            self.ticks += 1

    async def __aenter__(self) -> LoopTicker:
        self._task = asyncio.create_task(self._tick())
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._task.cancel()
