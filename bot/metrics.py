"""Prometheus metrics (the `prometheus-client` package), served when `METRICS_PORT` is set.

Counted only once metrics are on (`enable()`, which `serve()` calls): until then every metric
below is `OFF`, which counts nothing, and `prometheus-client` is not even imported (about 1 MB of
resident memory a bot without `METRICS_PORT` would keep for nothing). The metrics:

* `edbot_updates_total{kind}`: updates handled, by kind (message, edited_message,
  callback_query, my_chat_member, other);
* `edbot_update_seconds`: histogram of the time to handle one update (handlers and commit);
* `edbot_bot_api_errors_total{code}`: Bot API answers with an error status (429, 403, 400 …;
  `network`: no answer at all);
* `edbot_sent_total{kind}`: scheduled messages delivered: `reminder`, `digest` (once each);
* `edbot_database_errors_total{error}`: errors raised by the database driver, by type.

Plus the client's own process metrics (`process_*`: memory, CPU, open files).
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram.error import NetworkError
from telegram.request import BaseRequest, RequestData

log = logging.getLogger(__name__)


class Counting(Protocol):
    def labels(self, *values: Any) -> Counting: ...

    def inc(self, amount: float = 1) -> None: ...


class Observing(Protocol):
    def observe(self, amount: float) -> None: ...


class Off:
    """A metric while metrics are off: counts nothing."""

    def labels(self, *values: Any) -> Off:
        return self

    def inc(self, amount: float = 1) -> None:
        pass

    def observe(self, amount: float) -> None:
        pass


OFF = Off()
UPDATES: Counting = OFF
UPDATE_SECONDS: Observing = OFF
BOT_API_ERRORS: Counting = OFF
SENT: Counting = OFF
DATABASE_ERRORS: Counting = OFF


def enable() -> None:
    """Create the metrics in prometheus-client's registry (once a process) and count from now."""
    global UPDATES, UPDATE_SECONDS, BOT_API_ERRORS, SENT, DATABASE_ERRORS
    if UPDATES is not OFF:
        return
    from prometheus_client import Counter, Histogram

    UPDATES = Counter("edbot_updates", "Updates handled, by kind.", ["kind"])
    UPDATE_SECONDS = Histogram(
        "edbot_update_seconds",
        "Time to handle one update (all handlers and the commit).",
        buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    )
    BOT_API_ERRORS = Counter(
        "edbot_bot_api_errors", "Bot API answers with an error status, by HTTP code.", ["code"]
    )
    SENT = Counter("edbot_sent", "Scheduled messages delivered: reminder, digest.", ["kind"])
    DATABASE_ERRORS = Counter(
        "edbot_database_errors", "Errors raised by the database driver, by type.", ["error"]
    )


UPDATE_KINDS = ("message", "edited_message", "callback_query", "my_chat_member")


def update_kind(update: object) -> str:
    for kind in UPDATE_KINDS:
        if getattr(update, kind, None) is not None:
            return kind
    return "other"


class MeteredRequest(BaseRequest):
    """Counts error answers of the Bot API, then hands them on unchanged (ptb maps them to its
    exceptions). A wrapper around any `BaseRequest` (ptb's published extension point)."""

    def __init__(self, inner: BaseRequest) -> None:
        self.inner = inner

    @property
    def read_timeout(self) -> float | None:
        return self.inner.read_timeout

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        try:
            code, payload = await self.inner.do_request(
                url,
                method,
                request_data,
                read_timeout=read_timeout,
                write_timeout=write_timeout,
                connect_timeout=connect_timeout,
                pool_timeout=pool_timeout,
            )
        except NetworkError:
            BOT_API_ERRORS.labels("network").inc()
            raise
        if code >= 400:
            BOT_API_ERRORS.labels(str(code)).inc()
        return code, payload


def _on_database_error(context: Any) -> None:
    DATABASE_ERRORS.labels(type(context.original_exception).__name__).inc()


def count_database_errors(engine: AsyncEngine) -> None:
    """Count every error the engine's driver raises (SQLAlchemy's public `handle_error`)."""
    if not event.contains(engine.sync_engine, "handle_error", _on_database_error):
        event.listen(engine.sync_engine, "handle_error", _on_database_error)


def serve(port: int, listen: str = "0.0.0.0") -> Any:
    """Turn the metrics on and serve `/metrics` from a thread of its own (prometheus-client's
    server); returns the server."""
    enable()
    from prometheus_client import start_http_server

    server, _thread = start_http_server(port, addr=listen)
    log.info("metrics on port %s", server.server_port)
    return server
