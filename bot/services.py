"""What handlers and jobs need at hand, built once by the app factory."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.storage.db import SessionFactory, session_factory


@dataclass
class Services:
    settings: Settings
    engine: AsyncEngine
    clock: Clock = field(default_factory=SystemClock)
    extras: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.sessions: SessionFactory = session_factory(self.engine)

    def now(self) -> datetime:
        return self.clock.now()

    def local_now(self) -> datetime:
        return self.clock.now().astimezone(self.settings.tz)

    def today(self) -> date:
        return self.local_now().date()
