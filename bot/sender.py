"""Paced bulk sending for jobs (reminders, digests).

Telegram allows about 30 messages a second overall and about one a second per chat; above that
it answers 429 with `retry_after`. The `Pacer` hands out send slots that respect both limits
(evenly spaced, no bursts), and the `Sender` sends in parallel within those slots:

* 429: everyone waits `retry_after` (the flood wait applies to the whole bot), then it retries.
* 403 (blocked, or the account is gone): outcome "blocked"; the caller marks the user and the
  rest goes on.
* A timeout after the request went out (ptb's `TimedOut`): outcome "unknown", never retried:
  Telegram may well have delivered the message, and sending it again would show it twice.
  (A timeout while connecting or waiting for a pooled connection sent nothing: retried.)
* Other errors: outcome "failed" after a few tries for network trouble; the caller decides on
  retrying later (deliveries are in the database, so a later pass can pick them up).

Pacing uses the event loop's monotonic clock, not the business clock: the limits are about real
seconds even when tests freeze the calendar.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import httpx
from telegram import Message
from telegram.error import (
    BadRequest,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

T = TypeVar("T")

OVERALL_RATE = 28.0  # messages per second, a little under Telegram's ~30
PER_CHAT_INTERVAL = 1.0  # seconds between two messages to one chat
MAX_RETRIES = 5


class Pacer:
    """Lets sends through at most `rate` per second overall and `per_chat` seconds apart per
    chat, measured from the moments sends really went out.

    Senders pass one at a time through a gate spaced by real time, so a stalled event loop (a
    slow query, a busy machine) is never followed by a burst of overdue sends. The per-chat wait
    happens before the gate, so one chat waiting for its second never holds up other chats.
    """

    def __init__(
        self,
        rate: float = OVERALL_RATE,
        per_chat: float = PER_CHAT_INTERVAL,
        *,
        time: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        self.interval = 1.0 / rate
        self.per_chat = per_chat
        self._time = time
        self._sleep = sleep
        self._last = float("-inf")
        self._next_chat: dict[int, float] = {}
        self._blocked_until = 0.0
        self._gate = asyncio.Lock()

    def now(self) -> float:
        return self._time() if self._time else asyncio.get_running_loop().time()

    async def wait(self, chat_id: int) -> None:
        if len(self._next_chat) > 10_000:  # forget chats whose spacing has passed
            now = self.now()
            self._next_chat = {k: v for k, v in self._next_chat.items() if v > now}
        # Per chat: reserve the chat's next moment (concurrent sends to one chat queue up).
        now = self.now()
        slot = max(now, self._next_chat.get(chat_id, 0.0))
        self._next_chat[chat_id] = slot + self.per_chat
        if slot > now:
            await self._sleep(slot - now)
        # Overall: one at a time, spaced from the previous real send; a 429 blocks everyone.
        async with self._gate:
            while True:
                now = self.now()
                at = max(self._last + self.interval, self._blocked_until)
                if at <= now:
                    break
                await self._sleep(at - now)
            # Keep to the schedule when a sleep overshot a little (timer jitter would otherwise
            # lower the rate); start afresh after a real stall (no catch-up burst).
            self._last = at if now - at < self.interval else now
        self._next_chat[chat_id] = max(self._next_chat[chat_id], now + self.per_chat)

    def flood_wait(self, seconds: float) -> None:
        """Telegram said 429: nobody sends until `seconds` from now."""
        self._blocked_until = max(self._blocked_until, self.now() + seconds)


def pacer_for(services: Services) -> Pacer:
    """The process-wide pacer (one per Services), shared by all jobs."""
    if services.pacer is None:
        services.pacer = Pacer()
    return services.pacer


def _retry_after(exc: RetryAfter) -> float:
    with warnings.catch_warnings():  # ptb 22 warns that the type will become timedelta
        warnings.simplefilter("ignore")
        return _seconds(exc.retry_after)


def _nothing_sent(exc: TimedOut) -> bool:
    """A timeout before the request left (no connection yet): safe to send again."""
    return isinstance(exc.__cause__, (httpx.ConnectTimeout, httpx.PoolTimeout))


def _seconds(retry_after: int | float | timedelta) -> float:
    if isinstance(retry_after, timedelta):
        return retry_after.total_seconds()
    return float(retry_after)


Status = Literal["sent", "blocked", "failed", "unknown"]


@dataclass(frozen=True)
class Outcome:
    status: Status
    message: Message | None = None
    error: str = ""  # exception type name, never message text

    @property
    def ok(self) -> bool:
        return self.status == "sent"


@dataclass
class SendStats:
    sent: int = 0
    blocked: int = 0
    failed: int = 0
    unknown: int = 0
    flood_waits: int = 0


class Sender:
    def __init__(self, pacer: Pacer, max_retries: int = MAX_RETRIES) -> None:
        self.pacer = pacer
        self.max_retries = max_retries
        self.stats = SendStats()

    async def deliver(self, chat_id: int, call: Callable[[], Awaitable[Message]]) -> Outcome:
        """Send one message (`call` makes the request) within the limits, with retries."""
        attempt = 0
        while True:
            await self.pacer.wait(chat_id)
            try:
                message = await call()
            except RetryAfter as exc:
                self.stats.flood_waits += 1
                wait = _retry_after(exc)
                self.pacer.flood_wait(wait + 0.05)
                log.warning("429 from Telegram: waiting %ss", wait)
            except Forbidden:
                self.stats.blocked += 1
                return Outcome("blocked", error="Forbidden")
            except BadRequest as exc:
                # "chat not found" means the same as blocked: nobody to deliver to.
                if "chat not found" in str(exc).lower():
                    self.stats.blocked += 1
                    return Outcome("blocked", error="BadRequest")
                self.stats.failed += 1
                log.warning("bad request while sending: %s", type(exc).__name__)
                return Outcome("failed", error="BadRequest")
            except TimedOut as exc:
                if not _nothing_sent(exc):
                    # The message may have arrived: never send it twice.
                    self.stats.unknown += 1
                    log.warning("sending timed out: delivery unknown, not retried")
                    return Outcome("unknown", error="TimedOut")
                log.warning("connecting timed out, attempt %s", attempt + 1)
                if attempt >= 2:
                    self.stats.failed += 1
                    return Outcome("failed", error="TimedOut")
                await asyncio.sleep(0.5 * (attempt + 1))
            except (NetworkError, TelegramError) as exc:
                log.warning("sending failed (%s), attempt %s", type(exc).__name__, attempt + 1)
                if attempt >= 2:
                    self.stats.failed += 1
                    return Outcome("failed", error=type(exc).__name__)
                await asyncio.sleep(0.5 * (attempt + 1))
            else:
                self.stats.sent += 1
                return Outcome("sent", message)
            attempt += 1
            if attempt > self.max_retries:
                self.stats.failed += 1
                return Outcome("failed", error="RetryAfter")

    async def run_all(
        self, tasks: Iterable[Callable[[], Awaitable[T]]], concurrency: int = 32
    ) -> list[T]:
        """Run per-recipient coroutines side by side (the pacer keeps them within the limits).
        Each task may send several messages; its own messages stay in order."""
        sem = asyncio.Semaphore(concurrency)

        async def one(task: Callable[[], Awaitable[T]]) -> T:
            async with sem:
                return await task()

        return list(await asyncio.gather(*(one(t) for t in tasks)))
