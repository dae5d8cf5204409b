"""A typed CallbackContext carrying services, the app user and a translator."""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram.ext import Application, CallbackContext, ExtBot

from bot.i18n import Translator, translator

if TYPE_CHECKING:
    from bot.services import Services
    from bot.storage.models import User


class BotData(dict):  # type: ignore[type-arg]
    """bot_data: ptb wants a mapping; we keep our services on an attribute."""

    services: Services


class BotContext(CallbackContext[ExtBot[None], dict, dict, BotData]):  # type: ignore[type-arg]
    """One context per update, shared by all handler groups (the gatekeeper fills it)."""

    def __init__(
        self,
        application: Application,  # type: ignore[type-arg]
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)
        self.app_user: User | None = None
        self.t: Translator = translator("nl")

    @property
    def services(self) -> Services:
        return self.bot_data.services

    @property
    def _(self):
        return self.t._
