"""A typed CallbackContext carrying services, the app user and a translator."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING

from telegram.ext import Application, CallbackContext, ExtBot

from bot.i18n import Translator, translator

if TYPE_CHECKING:
    from sqlmodel.ext.asyncio.session import AsyncSession

    from bot.services import Services
    from bot.storage.models import User


class BotData(dict):
    """bot_data: ptb wants a mapping; we keep our services on an attribute."""

    services: Services


class BotContext(CallbackContext[ExtBot[None], dict, dict, BotData]):
    """One context per update, shared by all handler groups (the gatekeeper fills it)."""

    def __init__(
        self,
        application: Application,
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)
        self.app_user: User | None = None
        self.t: Translator = translator("nl")

    @property
    def services(self) -> Services:
        return self.bot_data.services

    def unit(self, *, commit: bool = True) -> AbstractAsyncContextManager[AsyncSession]:
        """The update's unit of work: every handler reads and writes through this (never
        through the engine or a session factory), so how an update's work is grouped into
        transactions is decided in one place (`bot.storage.unit`): one session per update,
        shared by every block; a block commits when its outermost level exits (before the
        reply is sent) and rolls back on an exception. ``commit=False`` joins without
        committing (the gatekeeper: its work goes out with the journey's commit). Outside an
        update (a job) each block is a transaction of its own."""
        from bot.storage.unit import unit_block

        return unit_block(self.services.sessions, commit=commit)

    @property
    def _(self) -> Callable[[str], str]:
        return self.t._
