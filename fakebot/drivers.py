"""How the fake server hands an update to the bot under test, and waits until the bot is done
with it: straight to ``Application.process_update`` (:meth:`Driver.direct`), through ptb's
Updater and getUpdates (:meth:`Driver.polling`) or by POSTing to its webhook
(:meth:`Driver.webhook`). A handler's exception is re-raised as :class:`BotRaised`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from telegram.ext import Application

    from fakebot.server import FakeTelegram

__all__ = [
    "FAILURE_CONTEXT_EVENTS",
    "BotRaised",
    "DirectDriver",
    "Driver",
    "PollingDriver",
    "WebhookDriver",
]

JSON = dict[str, Any]

FAILURE_CONTEXT_EVENTS = 60
"""How many recent chat events assertion messages include."""


class BotRaised(AssertionError):
    """A handler raised while processing an update (the original is ``__cause__``)."""


def _recent(tg: FakeTelegram, chat_id: int | None) -> str:
    """The chat's last events, for a failure message ("" for no known chat)."""
    return tg.transcript(chat_id, last=FAILURE_CONTEXT_EVENTS) if chat_id in tg.chats else ""


class _ErrorCapture:
    """Registers an error handler on the Application and remembers what it was given."""

    def __init__(self, app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        self.app = app
        self.errors: list[BaseException] = []
        app.add_error_handler(self._on_error)

    async def _on_error(self, update: object, context: Any) -> None:
        if context.error is not None:
            self.errors.append(context.error)

    def raise_pending(self, tg: FakeTelegram, chat_id: int | None) -> None:
        if not self.errors:
            return
        error = self.errors[0]
        self.errors.clear()
        raise BotRaised(
            f"the bot raised {type(error).__name__}: {error}\n\n{_recent(tg, chat_id)}"
        ) from error

    def close(self) -> None:
        if self._on_error in self.app.error_handlers:
            self.app.remove_error_handler(self._on_error)


def _chat_of(update: JSON) -> int | None:
    for value in update.values():
        if isinstance(value, dict):
            chat = value.get("chat") or (value.get("message") or {}).get("chat")
            if isinstance(chat, dict):
                return chat.get("id")
    return None


class Driver:
    """Delivers updates to the bot under test.  Create with the static constructors."""

    _errors: _ErrorCapture | None = None  # set when the driver re-raises handler errors
    quiet: float = 0.0  # seconds without a request from the bot that mean it is done
    timeout: float = 5.0
    _drain: Application[Any, Any, Any, Any, Any, Any] | None = None  # its queue must empty too

    async def deliver(self, tg: FakeTelegram, update: JSON) -> None:
        raise NotImplementedError

    async def _settle(
        self,
        tg: FakeTelegram,
        chat_id: int | None,
        *,
        since: Callable[[], float],
        what: str,
        ready: Callable[[], bool] | None = None,
    ) -> None:
        """Wait until the bot is done with the update (see `_wait_quiet`), then re-raise what
        a handler raised meanwhile."""
        await _wait_quiet(
            tg,
            quiet=self.quiet,
            deadline=time.monotonic() + self.timeout,
            app=self._drain,
            ready=ready,
            since=since,
            what=what,
            chat_id=chat_id,
        )
        self._raise_pending(tg, chat_id)

    def close(self) -> None:
        """Undo what the driver did to the Application (its error handler)."""
        if self._errors is not None:
            self._errors.close()

    def _raise_pending(self, tg: FakeTelegram, chat_id: int | None) -> None:
        """Re-raise what a handler raised while the update was handled."""
        if self._errors is not None:
            self._errors.raise_pending(tg, chat_id)

    @staticmethod
    def direct(
        app: Application[Any, Any, Any, Any, Any, Any],
        *,
        raise_errors: bool = True,
        settle: float = 0.0,
        timeout: float = 5.0,
    ) -> DirectDriver:
        """Deliver via ``await app.process_update(...)`` (``app`` must be initialized).

        Args:
            raise_errors: re-raise handler exceptions as :class:`BotRaised` (ptb would
                otherwise only pass them to error handlers).  Registers an error handler.
            settle: additionally wait until the bot made no request for this many seconds
                (only needed for handlers with ``block=False`` or background tasks).
            timeout: give up waiting for in-flight requests after this many seconds.
        """
        return DirectDriver(app, raise_errors=raise_errors, settle=settle, timeout=timeout)

    @staticmethod
    def polling(
        app: Application[Any, Any, Any, Any, Any, Any] | None = None,
        *,
        quiet: float = 0.05,
        timeout: float = 5.0,
        raise_errors: bool = True,
    ) -> PollingDriver:
        """Deliver via getUpdates to a bot running ptb's Updater.

        ``app`` is optional (e.g. the bot runs in a subprocess); when given, the driver also
        waits for its update queue to drain and re-raises handler errors."""
        return PollingDriver(app, quiet=quiet, timeout=timeout, raise_errors=raise_errors)

    @staticmethod
    def webhook(
        app: Application[Any, Any, Any, Any, Any, Any] | None = None,
        *,
        url: str | None = None,
        quiet: float = 0.05,
        timeout: float = 5.0,
        raise_errors: bool = True,
    ) -> WebhookDriver:
        """Deliver by POSTing to the bot's webhook (from setWebhook, or ``url``)."""
        return WebhookDriver(app, url=url, quiet=quiet, timeout=timeout, raise_errors=raise_errors)


async def _wait_quiet(
    tg: FakeTelegram,
    *,
    quiet: float,
    deadline: float,
    app: Application[Any, Any, Any, Any, Any, Any] | None,
    ready: Callable[[], bool] | None = None,
    since: Callable[[], float],
    what: str,
    chat_id: int | None,
) -> None:
    """Wait until ``ready()`` holds, nothing is in flight and the bot made no request for
    ``quiet`` seconds, counted from the later of its last request and ``since()`` (the moment
    the update reached the bot)."""
    while True:
        now = time.monotonic()
        done = (ready is None or ready()) and tg.inflight == 0
        if done and app is not None:
            done = app.update_queue.empty()
        if done and now - max(tg.last_activity, since()) >= quiet:
            return
        if now > deadline:
            raise TimeoutError(
                f"timed out waiting for the bot to finish {what} "
                f"(in flight: {tg.inflight}, pending updates: {len(tg.pending_updates)})"
                f"\n\n{_recent(tg, chat_id)}"
            )
        await asyncio.sleep(0.005)


class DirectDriver(Driver):
    """See :meth:`Driver.direct`."""

    def __init__(
        self,
        app: Application[Any, Any, Any, Any, Any, Any],
        *,
        raise_errors: bool,
        settle: float,
        timeout: float,
    ) -> None:
        self.app = app
        self.quiet = settle
        self.timeout = timeout
        self._errors = _ErrorCapture(app) if raise_errors else None

    async def deliver(self, tg: FakeTelegram, update: JSON) -> None:
        from telegram import Update

        chat_id = _chat_of(update)
        await self.app.process_update(Update.de_json(update, self.app.bot))
        if self.quiet > 0 or tg.inflight:
            await self._settle(tg, chat_id, since=lambda: 0.0, what=f"update {update['update_id']}")
        else:
            self._raise_pending(tg, chat_id)


class _UpdaterDriver(Driver):
    """The bot receives updates through ptb's Updater (perhaps in another process): wait
    until it is quiet and, when ``app`` is given, its update queue is empty."""

    def __init__(
        self,
        app: Application[Any, Any, Any, Any, Any, Any] | None,
        *,
        quiet: float,
        timeout: float,
        raise_errors: bool,
    ) -> None:
        self.app = self._drain = app
        self.quiet = quiet
        self.timeout = timeout
        self._errors = _ErrorCapture(app) if app is not None and raise_errors else None


class PollingDriver(_UpdaterDriver):
    """See :meth:`Driver.polling`."""

    async def deliver(self, tg: FakeTelegram, update: JSON) -> None:
        update_id = tg.push_update(update)
        chat_id = _chat_of(update)

        def fetched_and_polled_past() -> bool:
            if update_id in tg.filtered_update_ids:
                return True  # allowed_updates excluded it; the bot will never see it
            return tg.update_consumed(update_id) and tg.max_poll_offset > update_id

        await self._settle(
            tg,
            chat_id,
            ready=fetched_and_polled_past,
            # ptb polls again right after handing the update to the Application.
            since=lambda: tg.last_poll_at or 0.0,
            what=f"update {update_id} (is the bot polling?)",
        )


class WebhookDriver(_UpdaterDriver):
    """See :meth:`Driver.webhook`."""

    def __init__(
        self,
        app: Application[Any, Any, Any, Any, Any, Any] | None,
        *,
        url: str | None,
        quiet: float,
        timeout: float,
        raise_errors: bool,
    ) -> None:
        super().__init__(app, quiet=quiet, timeout=timeout, raise_errors=raise_errors)
        self.url = url

    async def deliver(self, tg: FakeTelegram, update: JSON) -> None:
        chat_id = _chat_of(update)
        status = await tg.post_webhook(update, url=self.url)
        if status != 200:
            raise AssertionError(f"webhook answered HTTP {status} to update {update['update_id']}")
        posted_at = time.monotonic()
        await self._settle(
            tg, chat_id, since=lambda: posted_at, what=f"update {update['update_id']}"
        )
