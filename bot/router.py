"""Where a typed (non-command) message goes.

1. An open dialogue of the user (its draft names the flow and the step).
2. Free-text handlers registered by journeys (e.g. a resident's walk-in question), in order.
3. A short hint.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

from telegram import Update

from bot.context import BotContext
from bot.storage import drafts
from bot.storage.models import ConversationDraft, id_of

DraftTextHandler = Callable[[Update, BotContext, ConversationDraft], Awaitable[None]]
FreeTextHandler = Callable[[Update, BotContext], Awaitable[bool]]


class TextRouter:
    def __init__(self) -> None:
        self._flows: dict[str, DraftTextHandler] = {}
        self._free: list[FreeTextHandler] = []
        self._expired: dict[str, Callable[[BotContext], str]] = {}

    def flow(self, name: str, handler: DraftTextHandler) -> None:
        self._flows[name] = handler

    def free_text(self, handler: FreeTextHandler) -> None:
        self._free.append(handler)

    async def route(self, update: Update, context: BotContext) -> None:
        user = context.app_user
        if user is not None:
            services = context.services
            now = services.now()
            # Joined, not committed: the dialogue's own block commits this with its step.
            async with context.unit(commit=False) as s:
                draft = await drafts.latest(s, id_of(user))
                expired = draft is not None and drafts.is_expired(draft, now)
                if expired and draft is not None:
                    await drafts.discard(s, draft)
            if expired:
                async with context.unit():
                    pass  # commit the discard before the user is told
                await context.bot.send_message(
                    update.effective_chat.id,  # type: ignore[union-attr]  # text has a chat
                    context.t._(
                        "Je vorige invoer is verlopen. Er is niets van opgeslagen. "
                        "Begin opnieuw met de opdracht, of kijk bij /help."
                    ),
                )
                return
            if draft is not None and draft.flow in self._flows:
                await self._flows[draft.flow](update, context, draft)
                return
        for handler in self._free:
            if await handler(update, context):
                return
        if user is None:
            text = context.t._(
                "Hallo! Wil je weten wanneer en waar je zonder afspraak kunt binnenlopen? "
                "Typ de naam van je dorp of stad, bijvoorbeeld: <i>inloop Venlo</i>. "
                "Of kies /inloop."
            )
        else:
            text = context.t._("Dat begrijp ik niet. Kies een opdracht uit het menu of typ /help.")
        await context.bot.send_message(
            update.effective_chat.id,  # type: ignore[union-attr]  # text has a chat
            text,
            parse_mode="HTML",
        )


def draft_ttl(context: BotContext) -> timedelta:
    return timedelta(hours=context.services.settings.draft_timeout_hours)
