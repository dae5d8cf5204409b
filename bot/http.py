"""A python-telegram-bot request backend on aiohttp (ptb's published ``BaseRequest`` extension
point), measured against the default ``HTTPXRequest`` in ``bench/`` (see bench/README.md).

Only ``do_request`` is ours: ptb's ``BaseRequest.post`` still builds the request and maps the
answer (400 ``BadRequest``, 403 ``Forbidden``, 429 ``RetryAfter`` …). Here: timeouts become
``TimedOut`` and transport failures ``NetworkError``, as in ``HTTPXRequest``.

aiohttp has no write timeout of its own: the write timeout bounds sending the request together
with the connect and read timeouts (the whole request gets at most their sum).
"""

from __future__ import annotations

import contextlib
import weakref
from typing import Any, Literal

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData

_DEFAULT = BaseRequest.DEFAULT_NONE


class AiohttpRequest(BaseRequest):
    """``BaseRequest`` on one ``aiohttp.ClientSession`` (created by ``initialize``).

    Args mirror ``HTTPXRequest``'s: ``connection_pool_size``, the four timeouts (seconds, None:
    no limit), ``media_write_timeout`` (write timeout when files are sent), ``proxy`` (an HTTP
    proxy URL) and ``trust_env`` (proxy settings from the environment, off by default).
    """

    def __init__(
        self,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
        proxy: str | None = None,
        trust_env: bool = False,
    ) -> None:
        if proxy is not None and not proxy.startswith(("http://", "https://")):
            raise ValueError("AiohttpRequest supports http:// and https:// proxies only")
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._proxy = proxy
        self._trust_env = trust_env
        self._session: aiohttp.ClientSession | None = None
        self._abandon: weakref.finalize[Any, Any] | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    @property
    def proxy(self) -> str | None:
        return self._proxy

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                headers={"User-Agent": self.USER_AGENT},
                trust_env=self._trust_env,
            )
            self._session = session
            # ptb never shuts the requests down when Bot.initialize fails (a rejected token):
            # then the pool is let go quietly when this object goes (or at exit), instead of
            # aiohttp's "Unclosed client session" on stderr.
            self._abandon = weakref.finalize(self, _abandon, session)

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            if self._abandon is not None:
                self._abandon.detach()
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = _DEFAULT,
        write_timeout: Any = _DEFAULT,
        connect_timeout: Any = _DEFAULT,
        pool_timeout: Any = _DEFAULT,
    ) -> tuple[int, bytes]:
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data else None
        read = self._read_timeout if read_timeout is _DEFAULT else read_timeout
        connect = self._connect_timeout if connect_timeout is _DEFAULT else connect_timeout
        pool = self._pool_timeout if pool_timeout is _DEFAULT else pool_timeout
        if write_timeout is _DEFAULT:
            write_timeout = self._media_write_timeout if files else self._write_timeout

        data: Any = None
        if request_data is not None:
            if files:
                form = aiohttp.FormData()
                for name, value in request_data.json_parameters.items():
                    form.add_field(name, value)
                for name, (filename, content, mime_type) in files.items():
                    form.add_field(name, content, filename=filename, content_type=mime_type)
                data = form
            else:
                data = request_data.json_parameters  # form-urlencoded, as HTTPXRequest sends
        timeout = aiohttp.ClientTimeout(
            total=_sum(connect, pool, write_timeout, read),
            connect=_sum(connect, pool),  # waiting for a pooled connection + connecting
            sock_connect=connect,
            sock_read=read,
        )
        try:
            async with session.request(
                method, url, data=data, timeout=timeout, proxy=self._proxy
            ) as response:
                return response.status, await response.read()
        except TimeoutError as exc:  # aiohttp's timeouts subclass it
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp.{type(exc).__name__}: {exc}") from exc


def _abandon(session: aiohttp.ClientSession) -> None:
    """Let go of a session nobody closed, without an event loop to await its closing on."""
    if session.closed:
        return
    connector = session.connector
    session.detach()  # the session no longer owns the connector: it counts as closed
    if connector is None:
        return
    # TCPConnector.close() is a coroutine whose first step closes the transports (or, when
    # the loop is already closed, just marks the connector closed); nothing else is awaited.
    closing: Any = connector.close()
    with contextlib.suppress(Exception):
        closing.send(None)
    with contextlib.suppress(Exception):
        closing.close()


def _sum(*parts: float | None) -> float | None:
    """None (no limit) when any part has no limit."""
    if any(p is None for p in parts):
        return None
    return float(sum(p for p in parts if p is not None))


HttpBackend = Literal["aiohttp", "httpx"]


def telegram_request(
    backend: HttpBackend = "aiohttp",
    *,
    polling: bool = False,
    trust_env: bool = True,
    timeout: float = 5.0,
) -> BaseRequest:
    """The Bot API client for the Application: ptb's defaults (a pool of 256 connections, one
    for getUpdates; ``timeout`` for read/write/connect, 1 s for the pool, 20 s to send files),
    on aiohttp (default: about half the CPU per call, bench/README.md) or ptb's httpx.
    ``trust_env``: proxy settings from the environment (HTTPS_PROXY, NO_PROXY), as httpx does
    by default."""
    common: dict[str, Any] = dict(
        connection_pool_size=1 if polling else 256,
        read_timeout=timeout,
        write_timeout=timeout,
        connect_timeout=timeout,
        pool_timeout=1.0,
        media_write_timeout=20.0,
    )
    if backend == "httpx":
        return HTTPXRequest(**common, httpx_kwargs={"trust_env": trust_env})
    return AiohttpRequest(**common, trust_env=trust_env)
