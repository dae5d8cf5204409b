"""Configuration from the environment (and an optional `.env`), validated once at start-up."""

from __future__ import annotations

import os
import re
import tempfile
from datetime import time
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_SQLITE_PATH = Path("data") / "ervaringsbot.db"


class ConfigError(Exception):
    """A configuration problem, with a one-line message meant for the operator."""


SQLITE_DRIVERS = ("inloop", "aiosqlite")


def sqlite_driver() -> str:
    """The driver for a plain `sqlite:///` URL: `inloop` (`bot/storage/sqlite_loop.py`, the
    default) or `aiosqlite`, from the environment variable SQLITE_DRIVER."""
    driver = os.environ.get("SQLITE_DRIVER", "").strip().lower() or "inloop"
    if driver not in SQLITE_DRIVERS:
        raise ConfigError(f"SQLITE_DRIVER must be one of {', '.join(SQLITE_DRIVERS)}")
    return driver


def async_database_url(url: str) -> str:
    """Map a plain `sqlite:///` or `postgresql://` URL onto the async driver we ship."""
    if url.startswith("sqlite:///") or url == "sqlite://":
        return f"sqlite+{sqlite_driver()}" + url[len("sqlite") :]
    for prefix in (
        "postgresql://",
        "postgres://",
        "postgresql+psycopg://",
        "postgresql+psycopg2://",
    ):
        if url.startswith(prefix):
            # libpq spells it sslmode, asyncpg spells it ssl (same values).
            return "postgresql+asyncpg://" + url[len(prefix) :].replace("sslmode=", "ssl=")
    if url.startswith(("sqlite+aiosqlite://", "sqlite+inloop://", "postgresql+asyncpg://")):
        return url
    raise ConfigError(
        "DATABASE_URL must start with sqlite:/// or postgresql:// (got an unsupported scheme)"
    )


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = Field(default=None)
    telegram_api_base_url: str = DEFAULT_API_BASE_URL
    telegram_file_base_url: str | None = None
    # The Bot API client: aiohttp (bot/http.py; about half the CPU per call) or ptb's httpx.
    telegram_http_backend: Literal["aiohttp", "httpx"] = "aiohttp"
    # Used for invite deep links when set; otherwise asked from Telegram (getMe).
    telegram_bot_username: str | None = None
    database_url: str = Field(default=f"sqlite:///{DEFAULT_SQLITE_PATH}", repr=False)
    bot_timezone: str = "Europe/Amsterdam"

    # How `run` gets updates: polling, or webhook (the same as `run --webhook`).
    bot_mode: Literal["polling", "webhook"] = "polling"
    # Webhook mode (optional; polling is the default).
    webhook_url: str | None = None
    webhook_secret_token: SecretStr | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    # Telegram posts to WEBHOOK_URL/WEBHOOK_PATH; the proxy forwards that path to the bot.
    webhook_path: str = Field(default="telegram", pattern=r"^[A-Za-z0-9_\-/]+$")

    invite_valid_days: int = Field(default=7, ge=1, le=90)
    max_back_days: int = Field(default=14, ge=0, le=366)
    max_day_hours: float = Field(default=10.0, gt=0, le=24)
    draft_timeout_hours: int = Field(default=24, ge=1, le=24 * 14)
    default_reminder_time: time = time(16, 30)
    # ISO weekdays, Monday=1; empty means no reminders for new experts.
    default_reminder_days: str = Field(default="12345", pattern=r"^[1-7]{0,7}$")
    digest_weekday: int = Field(default=1, ge=1, le=7)  # ISO weekday
    digest_time: time = time(8, 30)
    small_count_threshold: int = Field(default=5, ge=1)
    # Retention (docs/PRIVACY.md): free text of stories and signals, and audit rows.
    retention_free_text_months: int = Field(default=24, ge=1, le=120)
    retention_audit_months: int = Field(default=24, ge=1, le=120)

    # Operations (docs/OPERATIONS.md).
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # text: one readable line per record; json: one JSON object per line (bot/logs.py).
    log_format: Literal["text", "json"] = "text"
    # Prometheus metrics on http://METRICS_LISTEN:METRICS_PORT/metrics; off when unset.
    metrics_port: int | None = Field(default=None, ge=1, le=65535)
    metrics_listen: str = "0.0.0.0"
    # The running bot touches this file every 30 s from its scheduler; `health` reads it.
    heartbeat_file: Path = Path(tempfile.gettempdir()) / "ervaringsbot.heartbeat"

    @field_validator("log_level", "log_format", mode="before")
    @classmethod
    def _case(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        levels = {"debug", "info", "warning", "error"}
        return value.upper() if value.lower() in levels else value.lower()

    @field_validator("bot_timezone")
    @classmethod
    def _valid_tz(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("telegram_api_base_url")
    @classmethod
    def _base_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @field_validator("database_url")
    @classmethod
    def _db_url(cls, value: str) -> str:
        try:
            async_database_url(value)
        except ConfigError as exc:
            raise ValueError(str(exc)) from exc
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.bot_timezone)

    @property
    def async_database_url(self) -> str:
        return async_database_url(self.database_url)

    @property
    def file_base_url(self) -> str:
        if self.telegram_file_base_url:
            return self.telegram_file_base_url
        base = self.telegram_api_base_url
        return base[: -len("/bot")] + "/file/bot" if base.endswith("/bot") else base + "/file/bot"

    def require_token(self) -> str:
        if self.telegram_bot_token is None or not self.telegram_bot_token.get_secret_value():
            raise ConfigError("TELEGRAM_BOT_TOKEN is not set. Get one from @BotFather.")
        return self.telegram_bot_token.get_secret_value()

    def require_webhook_secret(self) -> str:
        secret = self.webhook_secret_token.get_secret_value() if self.webhook_secret_token else ""
        if len(secret) < 32:
            raise ConfigError("Webhook mode needs WEBHOOK_SECRET_TOKEN of at least 32 characters.")
        # Telegram accepts 1-256 characters of A-Z a-z 0-9 _ - only.
        if len(secret) > 256 or not re.fullmatch(r"[A-Za-z0-9_-]+", secret):
            raise ConfigError(
                "WEBHOOK_SECRET_TOKEN may only contain letters, digits, _ and - (max 256)."
            )
        return secret

    def require_webhook_url(self) -> str:
        if not self.webhook_url or not self.webhook_url.startswith("https://"):
            raise ConfigError("Webhook mode needs WEBHOOK_URL, the public https:// address.")
        return self.webhook_url.rstrip("/")


def load_settings(**overrides: Any) -> Settings:
    """Load settings, turning validation errors into one readable ConfigError line."""
    from pydantic import ValidationError

    try:
        return Settings(**overrides)
    except ValidationError as exc:
        parts = [
            f"{'.'.join(str(p) for p in err['loc']).upper()}: {err['msg']}" for err in exc.errors()
        ]
        raise ConfigError("Invalid configuration: " + "; ".join(parts)) from None


def safe_database_url(url: str) -> str:
    """The database URL with any password masked, for logs and error messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<unparsable database url>"
