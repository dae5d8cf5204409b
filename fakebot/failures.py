"""Failure injection (``fail_next``) and flood-limit simulation (429 with ``retry_after``)."""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from fakebot.state import JSON, RecordedState
from fakebot.validation import ApiError

_FLOOD_PREFIXES = ("send", "edit", "copy", "forward")


@dataclass
class FloodLimits:
    """Flood-limit simulation (leaky buckets, like ptb's AIORateLimiter/aiolimiter).

    A bucket of capacity ``burst`` drains at ``rate`` per second; each counted request adds 1.
    A request that would overflow any bucket gets 429 with ``parameters.retry_after``.
    ``None`` disables a limit.  Counted methods: those starting with send/edit/copy/forward
    (sendChatAction excluded), unless ``methods`` is given (lower-case names).
    """

    per_chat_per_sec: float | None = 1.0
    global_per_sec: float | None = 30.0
    per_group_per_min: float | None = 20.0
    per_chat_burst: float = 3.0  # Telegram tolerates short bursts in one chat
    methods: frozenset[str] | None = None
    tolerance: float = 0.05  # slack for timer jitter between client and server

    def counts(self, method: str) -> bool:
        if self.methods is not None:
            return method in self.methods
        return method.startswith(_FLOOD_PREFIXES) and method != "sendchataction"


@dataclass
class _Bucket:
    capacity: float
    rate: float  # drained per second
    level: float = 0.0
    updated: float = field(default_factory=time.monotonic)

    def drain(self, now: float) -> None:
        self.level = max(0.0, self.level - (now - self.updated) * self.rate)
        self.updated = now


@dataclass
class _Failure:
    method: str
    error_code: int
    description: str
    parameters: JSON | None
    remaining: int
    chat_id: int | str | None


def _default_description(error_code: int, retry_after: int | None) -> str:
    return {
        400: "Bad Request: injected failure",
        401: "Unauthorized",
        403: "Forbidden: bot was blocked by the user",
        404: "Not Found",
        409: "Conflict: terminated by other getUpdates request",
        429: f"Too Many Requests: retry after {retry_after}",
        500: "Internal Server Error",
        502: "Bad Gateway",
    }.get(error_code, f"Error {error_code}")


class FailureInjection(RecordedState):
    """Injected error answers and simulated flood limits."""

    _failures: list[_Failure]
    _flood: FloodLimits | None
    _buckets: dict[tuple[str, int | str | None], _Bucket]

    def fail_next(
        self,
        method: str,
        error_code: int = 429,
        *,
        retry_after: int | None = None,
        times: int = 1,
        description: str | None = None,
        chat_id: int | str | None = None,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` (optionally only for ``chat_id``)
        with an error.  For 429, ``retry_after`` (default 1) goes into ``parameters``, so
        ptb raises ``RetryAfter``."""
        parameters: JSON | None = None
        if error_code == 429:
            retry_after = 1 if retry_after is None else retry_after
            parameters = {"retry_after": retry_after}
        elif retry_after is not None:
            parameters = {"retry_after": retry_after}
        self._failures.append(
            _Failure(
                method=method.lower(),
                error_code=error_code,
                description=description or _default_description(error_code, retry_after),
                parameters=parameters,
                remaining=times,
                chat_id=chat_id,
            )
        )

    def enforce_flood_limits(
        self,
        per_chat_per_sec: float | None = 1.0,
        global_per_sec: float | None = 30.0,
        per_group_per_min: float | None = 20.0,
        *,
        per_chat_burst: float = 3.0,
        methods: Iterable[str] | None = None,
    ) -> FloodLimits:
        """Start answering 429 (``retry_after``) to requests that exceed these rates.

        The 429s issued are counted in ``tg.stats.flood_429s``.  See :class:`FloodLimits`."""
        self._flood = FloodLimits(
            per_chat_per_sec=per_chat_per_sec,
            global_per_sec=global_per_sec,
            per_group_per_min=per_group_per_min,
            per_chat_burst=per_chat_burst,
            methods=frozenset(m.lower() for m in methods) if methods is not None else None,
        )
        self._buckets.clear()
        return self._flood

    def disable_flood_limits(self) -> None:
        self._flood = None
        self._buckets.clear()

    def _maybe_fail(self, method: str, params: JSON) -> None:
        for failure in self._failures:
            if failure.method != method or failure.remaining <= 0:
                continue
            if failure.chat_id is not None and params.get("chat_id") != failure.chat_id:
                continue
            failure.remaining -= 1
            if failure.remaining <= 0:
                self._failures.remove(failure)
            self.stats.injected_failures += 1
            raise ApiError(failure.error_code, failure.description, failure.parameters)

    def _check_flood(self, method: str, params: JSON) -> None:
        limits = self._flood
        if limits is None or not limits.counts(method):
            return
        chat_id = params.get("chat_id")
        wanted: list[tuple[tuple[str, int | str | None], float, float]] = []
        if limits.global_per_sec:
            wanted.append((("global", None), limits.global_per_sec, limits.global_per_sec))
        is_group = isinstance(chat_id, str) or (isinstance(chat_id, int) and chat_id < 0)
        if chat_id is not None and limits.per_chat_per_sec and not is_group:
            wanted.append((("chat", chat_id), limits.per_chat_burst, limits.per_chat_per_sec))
        if chat_id is not None and limits.per_group_per_min and is_group:
            wanted.append(
                (("group", chat_id), limits.per_group_per_min, limits.per_group_per_min / 60)
            )
        now = time.monotonic()
        buckets: list[_Bucket] = []
        wait = 0.0
        for key, capacity, rate in wanted:
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = self._buckets[key] = _Bucket(capacity=capacity, rate=rate, updated=now)
            bucket.drain(now)
            overflow = bucket.level + 1 - bucket.capacity - limits.tolerance
            if overflow > 0:
                wait = max(wait, overflow / bucket.rate)
            buckets.append(bucket)
        if wait > 0:
            self.stats.flood_429s += 1
            retry_after = max(1, math.ceil(wait))
            raise ApiError(
                429,
                f"Too Many Requests: retry after {retry_after}",
                {"retry_after": retry_after},
            )
        for bucket in buckets:
            bucket.level += 1
