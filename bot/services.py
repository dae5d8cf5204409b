"""What handlers and jobs need at hand, built once by the app factory."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.storage.db import SessionFactory, session_factory

if TYPE_CHECKING:
    from bot.sender import Pacer
    from bot.storage.contacts import RefData


class AnsweredQueries:
    """Ids of callback queries already answered, bounded. Lives on the services (not on the
    context: ptb gives error handlers a fresh context) so the error handler knows whether the
    user still needs an answer."""

    def __init__(self, capacity: int = 4096) -> None:
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._capacity = capacity

    def add(self, query_id: str) -> bool:
        """Record an answer; False when it was already answered."""
        if query_id in self._ids:
            return False
        self._ids[query_id] = None
        if len(self._ids) > self._capacity:
            self._ids.popitem(last=False)
        return True

    def __contains__(self, query_id: object) -> bool:
        return query_id in self._ids


@dataclass
class Services:
    settings: Settings
    engine: AsyncEngine
    clock: Clock = field(default_factory=SystemClock)
    # Process-wide state, one per Services (per bot process):
    answered: AnsweredQueries = field(default_factory=AnsweredQueries)
    # The contact dialogue's vocabularies and municipalities: (valid until, monotonic; the
    # (list version, vocab generation) they were read at; data).
    contact_refdata: tuple[float, tuple[int, int], RefData] | None = None
    delivery_owner: str | None = None  # this process in claim rows (bot.scheduler.owner_id)
    pacer: Pacer | None = None  # paces all sending (bot.sender.pacer_for)

    def __post_init__(self) -> None:
        self.sessions: SessionFactory = session_factory(self.engine)

    def now(self) -> datetime:
        return self.clock.now()

    def local_now(self) -> datetime:
        return self.clock.now().astimezone(self.settings.tz)

    def today(self) -> date:
        return self.local_now().date()
