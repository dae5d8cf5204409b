"""The app factory: builds a fully wired python-telegram-bot Application."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes, Defaults

from bot import health, jobs, metrics
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.context import BotContext, BotData
from bot.handlers import (
    contact,
    corrections,
    deelopdracht,
    digest,
    errors,
    followup,
    gate,
    hours,
    lists,
    logboek,
    mijngegevens,
    rapport,
    reminders,
    signals,
    sleutelfiguur,
    start,
    stories,
    team,
    toelichting,
    verhalen,
    walkin,
    walkin_admin,
    week,
)
from bot.http import telegram_request
from bot.menus import set_default_menus
from bot.router import TextRouter
from bot.services import Services
from bot.storage.db import create_engine
from bot.storage.unit import UnitOfWork, current_unit

log = logging.getLogger(__name__)


class BotApplication(Application[Any, BotContext, dict, dict, BotData, Any]):
    """ptb's Application with one unit of work per update (`bot.storage.unit`): every
    `context.unit()` of the update, the gatekeeper's and the error handler's included, shares
    one session; what is still pending when the update is done is committed here."""

    async def process_update(self, update: object) -> None:
        started = time.perf_counter()
        unit = UnitOfWork(self.bot_data.services.sessions)
        token = current_unit.set(unit)
        try:
            await super().process_update(update)
        finally:
            current_unit.reset(token)
            try:
                await unit.finish()
            except Exception as exc:  # the database is gone; the handlers have said so
                log.error("could not finish the unit of work: %s", type(exc).__name__)
            metrics.UPDATES.labels(metrics.update_kind(update)).inc()
            metrics.UPDATE_SECONDS.observe(time.perf_counter() - started)


def build_application(
    settings: Settings,
    *,
    clock: Clock | None = None,
    engine: AsyncEngine | None = None,
    rate_limit: bool = True,
    updater: bool = True,
    set_menus: bool = True,
    schedule_jobs: bool = True,
    customize: Callable[[ApplicationBuilder], ApplicationBuilder] | None = None,
) -> Application[Any, BotContext, dict, dict, BotData, Any]:
    """Wire settings, storage, handlers and jobs into an Application (not yet started)."""
    logging.getLogger("httpx").setLevel(logging.WARNING)
    owns_engine = engine is None
    services = Services(
        settings=settings,
        engine=engine or create_engine(settings.database_url),
        clock=clock or SystemClock(),
    )
    # Any bot type: the rate limiter below turns ExtBot[None] into ExtBot[int].
    builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
        ApplicationBuilder()
        .application_class(BotApplication)
        .token(settings.require_token())
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.file_base_url)
        .context_types(ContextTypes(context=BotContext, bot_data=BotData))
        .defaults(Defaults(tzinfo=settings.tz))
        .concurrent_updates(False)
        # Bot API error answers are counted for the metrics (bot.metrics).
        .request(metrics.MeteredRequest(telegram_request(settings.telegram_http_backend)))
        .get_updates_request(
            metrics.MeteredRequest(telegram_request(settings.telegram_http_backend, polling=True))
        )
    )
    if rate_limit:
        # Paces all sends under Telegram's limits and waits out a 429 before retrying.
        builder = builder.rate_limiter(AIORateLimiter(overall_max_rate=30, max_retries=3))
    if not updater:
        builder = builder.updater(None)
    if customize is not None:
        builder = customize(builder)  # e.g. tests: short timeouts, no proxy from the environment

    async def post_init(app: Application) -> None:
        if set_menus:
            try:
                await set_default_menus(app.bot)
            except Exception as exc:  # a menu is nice to have, not a reason to stop
                log.warning("could not set command menus: %s", type(exc).__name__)

    async def post_shutdown(app: Application) -> None:
        if owns_engine:
            await services.engine.dispose()

    builder = builder.post_init(post_init).post_shutdown(post_shutdown)
    application = builder.build()
    application.bot_data.services = services
    metrics.count_database_errors(services.engine)

    router = TextRouter()
    gate.register(application)
    for module in journey_modules():
        module.register(application, router)
    start.register_fallbacks(application, router)
    application.add_error_handler(errors.on_error)
    if schedule_jobs:
        jobs.register(application, set_menus=set_menus)
        health.schedule_heartbeat(application)
    return application


def journey_modules() -> list[Any]:
    """The handler modules (and the text flows /signaal and /verhaal), each with
    `register(application, router)`, in the order their handlers are tried."""
    return [
        start,
        contact,
        followup,
        hours,
        signals.SIGNAL,
        stories.STORY,
        week,
        corrections,
        walkin_admin,
        walkin,
        reminders,
        digest,
        rapport,
        verhalen,
        toelichting,
        team,
        lists,
        deelopdracht,
        logboek,
        mijngegevens,
        sleutelfiguur,
    ]
