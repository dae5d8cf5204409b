"""The kit's messaging helpers under the name the handler modules use."""

from bot.dialogue.messages import (
    MAX_CALLBACK_BYTES,
    MAX_TEXT,
    Button,
    answer,
    answered_queries,
    edit_or_send,
    esc,
    keyboard,
    reply,
    send,
)

__all__ = [
    "MAX_CALLBACK_BYTES",
    "MAX_TEXT",
    "Button",
    "answer",
    "answered_queries",
    "edit_or_send",
    "esc",
    "keyboard",
    "reply",
    "send",
]
