"""pytest fixtures for the fake Telegram server.

Enable with ``pytest_plugins = ["fakebot.fixtures"]`` in ``tests/conftest.py``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from fakebot.server import FakeTelegram

__all__ = ["fake_telegram"]


@pytest_asyncio.fixture
async def fake_telegram() -> AsyncIterator[FakeTelegram]:
    """A started :class:`FakeTelegram` (own server per test), stopped afterwards."""
    async with FakeTelegram() as tg:
        yield tg
