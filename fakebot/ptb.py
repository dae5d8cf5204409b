"""Helpers to point a python-telegram-bot Application at a :class:`FakeTelegram`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from telegram.ext import ApplicationBuilder
from telegram.request import HTTPXRequest

from fakebot.server import DEFAULT_TOKEN

if TYPE_CHECKING:
    from fakebot.server import FakeTelegram

__all__ = ["application_builder", "fake_request"]


def fake_request(*, timeout: float = 5.0, pool_size: int = 16) -> HTTPXRequest:
    """An HTTPXRequest with short timeouts that ignores proxy environment variables."""
    return HTTPXRequest(
        connection_pool_size=pool_size,
        connect_timeout=2.0,
        read_timeout=timeout,
        write_timeout=timeout,
        pool_timeout=2.0,
        media_write_timeout=timeout,
        httpx_kwargs={"trust_env": False},
    )


def application_builder(
    tg: FakeTelegram, token: str = DEFAULT_TOKEN, *, timeout: float = 5.0
) -> ApplicationBuilder[Any, Any, Any, Any, Any, Any]:
    """An ``ApplicationBuilder`` wired to the fake server, with short timeouts.

    Add handlers/persistence/rate limiter as usual, then ``.build()``.  For the Updater's
    long polling, ptb adds the ``timeout`` of ``start_polling`` to the read timeout."""
    return (
        ApplicationBuilder()
        .token(token)
        .base_url(tg.api_base_url)
        .base_file_url(tg.file_base_url)
        .request(fake_request(timeout=timeout))
        .get_updates_request(fake_request(timeout=timeout, pool_size=2))
    )
