"""Telling the coordinators that a person was erased (from the bot and from the CLI)."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.i18n import N_, translator
from bot.storage.models import User
from bot.text import esc

log = logging.getLogger(__name__)

BY = {
    "self": N_("De collega heeft dit zelf gevraagd met /mijngegevens."),
    "coordinator": N_("Een coördinator heeft dit gedaan met /wisexpert."),
    "cli": N_("De beheerder heeft dit gedaan."),
}


def erasure_notice(language: str, pseudonym: str, by: str) -> str:
    _ = translator(language)._
    return esc(
        _(
            "Privacy: de gegevens van een collega zijn gewist. Naam, Telegram-id, "
            "instellingen en teksten zijn weg. De uren en aantallen blijven in de rapporten, "
            "onder de naam {name}."
        ).format(name=pseudonym)
        + " "
        + _(BY[by])
    )


async def tell_coordinators(
    bot: Bot, coordinators: Sequence[User], pseudonym: str, by: str, *, skip: int | None = None
) -> int:
    """Send the notice to each coordinator (but `skip`, a user id); the number reached."""
    sent = 0
    for c in coordinators:
        if c.id == skip or c.blocked_bot:
            continue
        try:
            await bot.send_message(
                c.chat_id, erasure_notice(c.language, pseudonym, by), parse_mode=ParseMode.HTML
            )
            sent += 1
        except TelegramError as exc:
            log.warning("erasure notice not delivered: %s", type(exc).__name__)
    return sent
