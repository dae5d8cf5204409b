"""The real Ervaringsbot Application on a FakeTelegram: shared by the test harness and the
offline demo, so both run the bot exactly as production wires it (minus rate limiting)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram.request import BaseRequest

from bot.app import build_application
from bot.clock import Clock
from bot.config import Settings
from bot.http import telegram_request
from fakebot.server import DEFAULT_TOKEN, FakeTelegram


def settings_for(tg: FakeTelegram, database_url: str, **overrides: Any) -> Settings:
    """Settings pointing at the fake server; a developer's .env is not read."""
    return Settings(
        telegram_bot_token=DEFAULT_TOKEN,
        telegram_api_base_url=tg.api_base_url,
        telegram_file_base_url=tg.file_base_url,
        telegram_bot_username=tg.bot_username,
        database_url=database_url,
        _env_file=None,
        **overrides,
    )


def fake_application(
    settings: Settings,
    *,
    clock: Clock,
    engine: AsyncEngine,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    set_menus: bool = True,
    schedule_jobs: bool = False,
) -> Any:
    """The Application as production wires it, minus rate limiting and the Updater (updates
    are delivered directly). Requests default to the bot's own HTTP backend
    (settings.telegram_http_backend), without proxies from the environment."""
    backend = settings.telegram_http_backend
    calls = request or telegram_request(backend, trust_env=False)
    polls = get_updates_request or telegram_request(backend, polling=True, trust_env=False)
    return build_application(
        settings,
        clock=clock,
        engine=engine,
        rate_limit=False,
        updater=False,
        set_menus=set_menus,
        schedule_jobs=schedule_jobs,
        customize=lambda b: b.request(calls).get_updates_request(polls),
    )


async def start_bot(
    tg: FakeTelegram,
    settings: Settings,
    *,
    clock: Clock,
    engine: AsyncEngine,
    schedule_jobs: bool = False,
    raise_errors: bool = True,
) -> Any:
    """Build, initialise and attach the Application (updates delivered directly)."""
    app = fake_application(settings, clock=clock, engine=engine, schedule_jobs=schedule_jobs)
    await app.initialize()
    if app.post_init:
        await app.post_init(app)
    tg.attach(app, raise_errors=raise_errors)
    return app
