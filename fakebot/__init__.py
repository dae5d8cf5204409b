"""A fake Telegram Bot API server and a scenario API for end-to-end bot tests.

Quick start::

    from fakebot import FakeTelegram, application_builder

    async with FakeTelegram() as tg:
        app = application_builder(tg).build()
        app.add_handler(...)
        await app.initialize()
        tg.attach(app)
        anna = tg.user("Anna")
        replies = await anna.says("/start")

See ``server.py`` (the HTTP fake), ``scenario.py`` (users and replies), ``drivers.py`` (how
updates reach the bot) and ``fixtures.py`` (the ``fake_telegram`` pytest fixture).
"""

from fakebot.formatting import EntityParseError, ParsedText, parse_html, utf16_len
from fakebot.ptb import application_builder, fake_request
from fakebot.records import (
    ApiCall,
    BotMessage,
    CallbackAnswer,
    CallbackQueryRecord,
    Chat,
    ChatEvent,
    MessageVersion,
    Stats,
    UploadedFile,
    UserMessage,
)
from fakebot.scenario import (
    BotRaised,
    ButtonNotFound,
    ChatUser,
    DirectDriver,
    Driver,
    PollingDriver,
    Replies,
    Reply,
    WebhookDriver,
)
from fakebot.server import DEFAULT_TOKEN, ApiError, FakeTelegram, FloodLimits
from fakebot.validation import bad_request

__all__ = [
    "DEFAULT_TOKEN",
    "ApiCall",
    "ApiError",
    "BotMessage",
    "BotRaised",
    "ButtonNotFound",
    "CallbackAnswer",
    "CallbackQueryRecord",
    "Chat",
    "ChatEvent",
    "ChatUser",
    "DirectDriver",
    "Driver",
    "EntityParseError",
    "FakeTelegram",
    "FloodLimits",
    "MessageVersion",
    "ParsedText",
    "PollingDriver",
    "Replies",
    "Reply",
    "Stats",
    "UploadedFile",
    "UserMessage",
    "WebhookDriver",
    "application_builder",
    "bad_request",
    "fake_request",
    "parse_html",
    "utf16_len",
]
