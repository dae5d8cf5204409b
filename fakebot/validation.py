"""Request decoding and Telegram-style validation for the fake Bot API server."""

from __future__ import annotations

import json
import re
from typing import Any

from fakebot.formatting import (
    EntityParseError,
    ParsedText,
    parse_formatted,
    strip_text,
    utf16_len,
)

__all__ = [
    "MAX_CALLBACK_ANSWER",
    "MAX_CAPTION",
    "MAX_TEXT",
    "ApiError",
    "bad_request",
    "coerce_params",
    "parse_text",
    "validate_commands",
    "validate_language_code",
    "validate_reply_markup",
]

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_ANSWER = 200
MAX_CALLBACK_DATA_BYTES = 64
MAX_BUTTONS_PER_ROW = 8
MAX_BUTTONS = 100

JSON = dict[str, Any]


class ApiError(Exception):
    """An error answer of the Bot API: ``{"ok": false, "error_code": ..., ...}``."""

    def __init__(self, error_code: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters

    def envelope(self) -> JSON:
        body: JSON = {"ok": False, "error_code": self.error_code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: {detail}")


# --------------------------------------------------------------------------- decoding

# Parameters whose values are JSON objects/arrays (form data carries them as JSON strings).
_JSON_PARAMS = {
    "reply_markup",
    "entities",
    "caption_entities",
    "commands",
    "scope",
    "menu_button",
    "link_preview_options",
    "reply_parameters",
    "allowed_updates",
    "media",
    "results",
    "prices",
    "options",
    "explanation_entities",
    "rights",
    "message_ids",
    "reaction",
    "input_message_content",
}
_INT_PARAMS = {
    "chat_id",
    "from_chat_id",
    "message_id",
    "message_thread_id",
    "reply_to_message_id",
    "user_id",
    "offset",
    "limit",
    "timeout",
    "cache_time",
    "max_connections",
    "until_date",
    "duration",
    "width",
    "height",
}
_FLOAT_PARAMS = {"timeout"}  # Telegram wants integers; ptb lets users pass floats here
_BOOL_PARAMS = {
    "protect_content",
    "disable_notification",
    "show_alert",
    "disable_web_page_preview",
    "drop_pending_updates",
    "allow_sending_without_reply",
    "has_spoiler",
    "disable_content_type_detection",
    "show_caption_above_media",
    "allow_paid_broadcast",
    "for_channels",
    "is_personal",
    "only_if_banned",
    "revoke_messages",
}


def _to_bool(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value != 0
    text = str(value).strip().lower()
    if text in ("true", "1"):
        return True
    if text in ("false", "0", ""):
        return False
    raise bad_request(f'field "{name}" must be of type Boolean')


def coerce_params(raw: dict[str, Any]) -> JSON:
    """Type the parameters of a request.

    ptb sends ``application/x-www-form-urlencoded`` (or ``multipart/form-data`` with files)
    where every value is a string and non-string values are JSON-encoded.  Telegram then
    types each field by its name; we do the same for the fields we know.  JSON requests
    pass through (with the same light coercion, harmless on already-typed values).
    """
    params: JSON = {}
    for name, value in raw.items():
        if name in _JSON_PARAMS and isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError as exc:
                if name == "reply_markup":
                    raise bad_request("can't parse reply keyboard markup JSON object") from exc
                if name in ("entities", "caption_entities"):
                    raise bad_request("can't parse entities JSON object") from exc
                raise bad_request(f"can't parse {name} JSON object") from exc
        elif name in _INT_PARAMS and isinstance(value, str):
            stripped = value.strip()
            if re.fullmatch(r"-?\d+", stripped):
                value = int(stripped)
            elif name in _FLOAT_PARAMS and re.fullmatch(r"-?\d+\.\d*", stripped):
                value = float(stripped)
            elif name in ("chat_id", "from_chat_id") and stripped.startswith("@"):
                value = stripped
            else:
                raise bad_request(f'field "{name}" must be of type Integer')
        elif name in _BOOL_PARAMS:
            value = _to_bool(name, value)
        params[name] = value
    return params


# --------------------------------------------------------------------------- text


def parse_text(
    text: Any,
    parse_mode: str | None,
    entities: list[JSON] | None,
    *,
    limit: int,
    caption: bool,
    strict_ampersand: bool,
) -> ParsedText:
    """Validate message text or caption; return the visible text and entities."""
    if text is None:
        text = ""
    if not isinstance(text, str):
        text = str(text)
    try:
        parsed = parse_formatted(text, parse_mode, entities, strict_ampersand=strict_ampersand)
    except EntityParseError as exc:
        raise bad_request(f"can't parse entities: {exc}") from exc
    except ValueError as exc:
        raise bad_request(str(exc)) from exc
    parsed = strip_text(parsed)
    if not parsed.text and not caption:
        raise bad_request("message text is empty")
    if utf16_len(parsed.text) > limit:
        raise bad_request("message caption is too long" if caption else "message is too long")
    return parsed


# --------------------------------------------------------------------------- keyboards

_INLINE_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)


def validate_reply_markup(markup: Any) -> JSON | None:
    """Validate ``reply_markup`` like Telegram; return it (None when absent)."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        _validate_inline_keyboard(markup["inline_keyboard"])
    elif "keyboard" in markup:
        rows = markup["keyboard"]
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise bad_request(
                'field "keyboard" of the ReplyKeyboardMarkup must be an Array of Arrays'
            )
        for row in rows:
            for button in row:
                label = button if isinstance(button, str) else (button or {}).get("text")
                if not isinstance(label, str) or not label:
                    raise bad_request("can't parse keyboard button: Text must be non-empty")
    elif "remove_keyboard" in markup or "force_reply" in markup:
        pass
    else:
        raise bad_request("can't parse reply keyboard markup JSON object")
    return markup


def _validate_inline_keyboard(rows: Any) -> None:
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise bad_request(
            'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
        )
    total = 0
    for row in rows:
        if len(row) > MAX_BUTTONS_PER_ROW:
            raise bad_request("REPLY_MARKUP_TOO_LONG")
        total += len(row)
        for button in row:
            _validate_inline_button(button)
    if total > MAX_BUTTONS:
        raise bad_request("REPLY_MARKUP_TOO_LONG")


def _validate_inline_button(button: Any) -> None:
    if not isinstance(button, dict):
        raise bad_request(
            "can't parse inline keyboard button: InlineKeyboardButton must be an Object"
        )
    text = button.get("text")
    if not isinstance(text, str):
        raise bad_request(
            'can\'t parse inline keyboard button: Field "text" must be of type String'
        )
    if not text.strip():
        raise bad_request("BUTTON_TEXT_INVALID")
    actions = [key for key in _INLINE_ACTIONS if key in button]
    if not actions:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if len(actions) > 1:
        raise bad_request(
            "can't parse inline keyboard button: exactly one of the optional fields must be "
            f"used, got {', '.join(actions)}"
        )
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= (
            MAX_CALLBACK_DATA_BYTES
        ):
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button:
        url = button["url"]
        if not isinstance(url, str) or not url or any(ch.isspace() for ch in url):
            raise bad_request("BUTTON_URL_INVALID")


# --------------------------------------------------------------------------- commands

_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
_LANG_RE = re.compile(r"[a-z]{2}")


def validate_commands(commands: Any) -> list[JSON]:
    if not isinstance(commands, list):
        raise bad_request('field "commands" must be an Array')
    if len(commands) > 100:
        raise bad_request("too many commands specified")
    result: list[JSON] = []
    for item in commands:
        if not isinstance(item, dict):
            raise bad_request("can't parse BotCommand: BotCommand must be an Object")
        command = item.get("command")
        description = item.get("description")
        if not isinstance(command, str) or not _COMMAND_RE.fullmatch(command):
            raise bad_request("BOT_COMMAND_INVALID")
        if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
            raise bad_request(
                "command description is empty"
                if not description
                else ("BOT_COMMAND_DESCRIPTION_INVALID")
            )
        result.append({"command": command, "description": description})
    return result


def validate_language_code(code: Any) -> str:
    if code is None or code == "":
        return ""
    if not isinstance(code, str) or not _LANG_RE.fullmatch(code):
        raise bad_request("invalid language code specified")
    return code
