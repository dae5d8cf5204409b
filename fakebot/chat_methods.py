"""Bot API methods about the bot and its chats: commands, menu button, getChat(Member), pins and
the bot's name/description texts.
"""

from __future__ import annotations

from fakebot.records import BotMessage, Chat, UploadedFile, UserMessage
from fakebot.state import JSON, MethodHandler, RecordedState
from fakebot.validation import bad_request, validate_commands, validate_language_code

# setMyName / setMyDescription / setMyShortDescription: what Telegram accepts at most.
BOT_TEXT_LIMITS = {"name": 64, "description": 512, "short_description": 120}


class ChatMethods(RecordedState):
    """Command menus, menu buttons, chat info, pins and bot texts."""

    def commands_for(
        self,
        scope: str | JSON = "default",
        language_code: str = "",
        *,
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> list[tuple[str, str]]:
        """Commands stored for exactly this scope + language (like getMyCommands)."""
        if isinstance(scope, str):
            scope_type = scope
        else:
            scope_type = scope["type"]
            chat_id = scope.get("chat_id", chat_id)
            user_id = scope.get("user_id", user_id)
        key = (scope_type, chat_id, user_id, language_code)
        return [(c["command"], c["description"]) for c in self.commands.get(key, [])]

    def effective_commands(
        self, chat_id: int, language_code: str | None = None
    ) -> list[tuple[str, str]]:
        """The command menu a user sees in a private chat, resolved like Telegram clients do.

        Order: chat scope + language, chat scope, all_private_chats + language,
        all_private_chats, default + language, default.
        """
        chat = self.chat(chat_id)
        lang = chat.language_code if language_code is None else language_code
        lang = (lang or "")[:2]
        broad = "all_private_chats" if chat.type == "private" else "all_group_chats"
        candidates = [
            ("chat", chat_id, None, lang),
            ("chat", chat_id, None, ""),
            (broad, None, None, lang),
            (broad, None, None, ""),
            ("default", None, None, lang),
            ("default", None, None, ""),
        ]
        for key in candidates:
            if self.commands.get(key):
                return [(c["command"], c["description"]) for c in self.commands[key]]
        return []

    def menu_button(self, chat_id: int | None = None) -> JSON:
        if chat_id is not None and self.chat(chat_id).menu_button is not None:
            return dict(self.chat(chat_id).menu_button or {})
        return dict(self.default_menu_button or {"type": "default"})

    def _scope_key(self, params: JSON) -> tuple[str, int | None, int | None, str]:
        scope = params.get("scope") or {"type": "default"}
        if not isinstance(scope, dict) or "type" not in scope:
            raise bad_request("can't parse BotCommandScope JSON object")
        scope_type = scope["type"]
        language = validate_language_code(params.get("language_code"))
        if scope_type in ("default", "all_private_chats", "all_group_chats"):
            return scope_type, None, None, language
        if scope_type == "all_chat_administrators":
            return scope_type, None, None, language
        if scope_type in ("chat", "chat_administrators", "chat_member"):
            chat = self._target_chat({"chat_id": scope.get("chat_id")}, sending=False)
            user_id = None
            if scope_type == "chat_member":
                user_id = scope.get("user_id")
                if not isinstance(user_id, int):
                    raise bad_request("user not found")
            return scope_type, chat.id, user_id, language
        raise bad_request("wrong bot command scope type specified")

    def _set_my_commands(self, params: JSON, files: dict[str, UploadedFile]) -> bool:
        commands = validate_commands(params.get("commands"))
        key = self._scope_key(params)
        if commands:
            self.commands[key] = commands
        else:
            self.commands.pop(key, None)
        return True

    def _get_my_commands(self, params: JSON, files: dict[str, UploadedFile]) -> list[JSON]:
        return [dict(c) for c in self.commands.get(self._scope_key(params), [])]

    def _delete_my_commands(self, params: JSON, files: dict[str, UploadedFile]) -> bool:
        self.commands.pop(self._scope_key(params), None)
        return True

    def _set_chat_menu_button(self, params: JSON, files: dict[str, UploadedFile]) -> bool:
        button = params.get("menu_button") or {"type": "default"}
        if not isinstance(button, dict) or button.get("type") not in (
            "default",
            "commands",
            "web_app",
        ):
            raise bad_request("can't parse menu button JSON object")
        if params.get("chat_id") is not None:
            self._target_chat(params, sending=False).menu_button = button
        else:
            self.default_menu_button = button
        return True

    def _get_chat_menu_button(self, params: JSON, files: dict[str, UploadedFile]) -> JSON:
        if params.get("chat_id") is not None:
            return self.menu_button(self._target_chat(params, sending=False).id)
        return self.menu_button()

    def _get_chat(self, params: JSON, files: dict[str, UploadedFile]) -> JSON:
        chat = self._target_chat(params, sending=False)
        return {
            **chat.to_json(),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    def _get_chat_member(self, params: JSON, files: dict[str, UploadedFile]) -> JSON:
        chat = self._target_chat(params, sending=False)
        user_id = params.get("user_id")
        bot_id = self.bot_user["id"]
        if user_id == bot_id:
            status = "kicked" if chat.blocked else "member"
            member: JSON = {"status": status, "user": self.bot_user}
        elif chat.type == "private" and user_id == chat.id:
            member = {"status": "member", "user": chat.user_json()}
        elif user_id in self.chats and self.chats[user_id].type == "private":
            member = {"status": "left", "user": self.chats[user_id].user_json()}
        else:
            raise bad_request("user not found")
        if member["status"] == "kicked":
            member["until_date"] = 0
        return member

    def _pinned_message(self, params: JSON) -> tuple[Chat, BotMessage | UserMessage]:
        chat = self._target_chat(params, sending=False)
        message_id = params.get("message_id")
        if not isinstance(message_id, int):
            raise bad_request("message identifier is not specified")
        message: BotMessage | UserMessage | None = chat.messages.get(message_id)
        if message is None:
            message = chat.user_messages.get(message_id)
        if message is None or message.deleted:
            raise bad_request("message to pin not found")
        return chat, message

    def _pin_chat_message(self, params: JSON, files: dict[str, UploadedFile]) -> bool:
        chat, message = self._pinned_message(params)
        if message.message_id not in chat.pinned:
            chat.pinned.append(message.message_id)
        return True

    def _unpin_chat_message(self, params: JSON, files: dict[str, UploadedFile]) -> bool:
        chat = self._target_chat(params, sending=False)
        if params.get("message_id") is None:
            if chat.pinned:
                chat.pinned.pop()
        elif params["message_id"] in chat.pinned:
            chat.pinned.remove(params["message_id"])
        return True

    def _unpin_all_chat_messages(self, params: JSON, files: dict[str, UploadedFile]) -> bool:
        self._target_chat(params, sending=False).pinned.clear()
        return True

    def _bot_text_setter(self, field_name: str) -> MethodHandler:
        limit = BOT_TEXT_LIMITS[field_name]

        def handler(params: JSON, files: dict[str, UploadedFile]) -> bool:
            language = validate_language_code(params.get("language_code"))
            value = params.get(field_name) or ""
            if len(str(value)) > limit:  # Telegram counts characters here
                raise bad_request(f"{field_name.replace('_', ' ')} is too long")
            if value:
                self.bot_texts[(field_name, language)] = str(value)
            else:
                self.bot_texts.pop((field_name, language), None)
            return True

        return handler

    def _bot_text_getter(self, field_name: str) -> MethodHandler:
        def handler(params: JSON, files: dict[str, UploadedFile]) -> JSON:
            language = validate_language_code(params.get("language_code"))
            value = self.bot_texts.get((field_name, language)) or self.bot_texts.get(
                (field_name, ""), ""
            )
            return {field_name: value}

        return handler
