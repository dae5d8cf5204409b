"""Webhook mode on our own small aiohttp server, ptb's documented "custom webhook" pattern: the
server puts each update on `application.update_queue` and ptb's Application (started without
an Updater) handles them one at a time, as in polling mode.

Why not ptb's `run_webhook`: its tornado server is internal to ptb's Updater and has no public
way to add routes, and a load balancer needs `/healthz` and `/readyz` on the same port.

Routes (one port, `WEBHOOK_LISTEN:WEBHOOK_PORT`):

* `POST /<WEBHOOK_PATH>`: an update from Telegram; refused (403) without the right
  `X-Telegram-Bot-Api-Secret-Token`, 503 once shutting down (Telegram retries it, through the
  load balancer on another replica).
* `GET /healthz`: liveness; 200 while the process serves requests.
* `GET /readyz`: readiness; 200 when the Application runs, the process is not shutting down
  and the database answers within 2 s; 503 otherwise, with the reason.

SIGTERM or SIGINT: stop taking updates (503), let the Application finish the update in hand
and those already queued, wait for running jobs, then close the server and the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import signal

from aiohttp import web
from sqlalchemy import text
from telegram import Update
from telegram.ext import Application

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
READY_TIMEOUT = 2.0


class WebhookServer:
    def __init__(
        self, application: Application, *, listen: str, port: int, path: str, secret: str
    ) -> None:
        self.application = application
        self.listen = listen
        self.port = port
        self.path = "/" + path.strip("/")
        self.secret = secret
        self.accepting = False
        self._runner: web.AppRunner | None = None

    def routes(self) -> web.Application:
        app = web.Application(client_max_size=1024 * 1024)
        app.router.add_post(self.path, self.on_update)
        app.router.add_get("/healthz", self.on_healthz)
        app.router.add_get("/readyz", self.on_readyz)
        return app

    async def on_update(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            return web.Response(status=403)
        if not self.accepting:
            return web.Response(status=503, text="shutting down")
        try:
            data = await request.json()
            update = Update.de_json(data, self.application.bot)
        except Exception:  # not JSON, or not an update: nothing to queue
            return web.Response(status=400)
        await self.application.update_queue.put(update)
        return web.Response(status=200)

    async def on_healthz(self, request: web.Request) -> web.Response:
        return web.Response(text="ok")

    async def on_readyz(self, request: web.Request) -> web.Response:
        problems = []
        if not self.accepting:
            problems.append("shutting down")
        elif not self.application.running:
            problems.append("application not running")
        else:
            try:
                await asyncio.wait_for(database_ping(self.application), READY_TIMEOUT)
            except Exception as exc:
                problems.append(f"database: {type(exc).__name__}")
        if problems:
            return web.Response(status=503, text="; ".join(problems))
        return web.Response(text="ready")

    async def start(self) -> int:
        self._runner = web.AppRunner(self.routes(), access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.listen, self.port)
        await site.start()
        self.accepting = True
        addresses = self._runner.addresses  # the bound port: WEBHOOK_PORT=0 picks a free one
        return int(addresses[0][1]) if addresses else self.port

    async def close(self) -> None:
        self.accepting = False
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


async def database_ping(application: Application) -> None:
    engine = application.bot_data.services.engine
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))


async def serve(
    application: Application,
    *,
    listen: str,
    port: int,
    path: str,
    webhook_url: str,
    secret: str,
    allowed_updates: list[str],
    stop: asyncio.Event | None = None,
) -> None:
    """Run until SIGTERM/SIGINT (or `stop` is set), then shut down gracefully."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    server = WebhookServer(application, listen=listen, port=port, path=path, secret=secret)
    await application.initialize()
    try:
        if application.post_init:
            await application.post_init(application)
        bound = await server.start()
        await application.bot.set_webhook(
            url=webhook_url, secret_token=secret, allowed_updates=allowed_updates
        )
        await application.start()
        log.info("webhook server listening on %s:%s", listen, bound)
        await stop.wait()
        log.info("stopping: no new updates; finishing the ones in hand")
    finally:
        server.accepting = False
        if application.running:
            await application.stop()
            if application.post_stop:
                await application.post_stop(application)
        await server.close()
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)
        log.info("stopped")
