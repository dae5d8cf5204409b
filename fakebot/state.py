"""What the fake Telegram server knows and records: chats and users, every API call and chat
event, uploaded files, and the JSON Telegram would show for a bot message.

:class:`RecordedState` is the base of the :class:`~fakebot.server.FakeTelegram` mixins.
"""

from __future__ import annotations

import asyncio
import bisect
import hashlib
import struct
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, cast

from fakebot.records import (
    ApiCall,
    BotMessage,
    CallbackQueryRecord,
    Chat,
    ChatEvent,
    EventKind,
    Stats,
    UploadedFile,
)
from fakebot.transcript import render_transcript
from fakebot.validation import ApiError, bad_request

if TYPE_CHECKING:
    from telegram.ext import Application

    from fakebot.drivers import Driver
    from fakebot.scenario import ChatUser
    from fakebot.server import FakeTelegram


JSON = dict[str, Any]


DEFAULT_TOKEN = "123456789:AAFakeTokenForErvaringsbotTests_0123"
"""A well-formed token; the bot id (123456789) is its numeric prefix, as with real tokens."""


class ClockLike(Protocol):
    """Anything with ``now() -> aware datetime`` (matches ``bot.clock.Clock``)."""

    def now(self) -> datetime: ...


MethodHandler = Callable[[JSON, dict[str, UploadedFile]], Any | Awaitable[Any]]
"""Signature of a Bot API method implementation: ``(params, files) -> result``.

Raise :class:`ApiError` (e.g. ``bad_request("...")``) for error answers."""


def _image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG/GIF/JPEG, None when the bytes are not a known image."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return width, height
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return width, height
    if data.startswith(b"\xff\xd8\xff"):
        return 800, 600  # JPEG dimensions need a marker walk; not worth it here
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return 800, 600
    if data[:2] == b"BM":
        return 800, 600
    return None


class RecordedState:
    """Chats, users, recorded calls and events; shared by the server's mixins."""

    # Instance attributes, set in FakeTelegram.__init__ (declared here for the mixins).
    bot_username: str
    bot_first_name: str
    bot_id: int | None
    token: str | None
    strict_html_ampersand: bool
    validate_images: bool
    lenient_markdown_v2: bool
    clock: ClockLike | None
    _host: str
    calls: list[ApiCall]
    events: list[ChatEvent]
    _chat_events: dict[int, list[ChatEvent]]
    chats: dict[int, Chat]
    files: dict[str, UploadedFile]
    callback_queries: dict[str, CallbackQueryRecord]
    updates: list[JSON]
    _known_update_ids: set[int]
    stats: Stats
    commands: dict[tuple[str, int | None, int | None, str], list[JSON]]
    default_menu_button: JSON | None
    bot_texts: dict[tuple[str, str], str]
    webhook: JSON | None
    driver: Driver | None
    _seq: Iterator[int]
    _last_seq: int
    _user_ids: Iterator[int]
    _group_ids: Iterator[int]
    _update_ids: Iterator[int]
    _callback_ids: Iterator[int]
    _file_ids: Iterator[int]
    _queue: list[JSON]
    _consumed: set[int]
    filtered_update_ids: set[int]
    _allowed_updates: list[str] | None
    _poll_generation: int
    _wakeup: asyncio.Event
    max_poll_offset: int
    last_poll_at: float | None
    inflight: int
    last_activity: float
    server_errors: list[Exception]
    _stopping: bool

    def now(self) -> int:
        """Unix time for message dates (from ``clock`` when set)."""
        if self.clock is not None:
            return int(self.clock.now().timestamp())
        return int(time.time())

    def use(self, driver: Driver) -> Driver:
        """Make ``driver`` deliver the updates of the scenario API."""
        self.driver = driver
        return driver

    def attach(self, app: Application[Any, Any, Any, Any, Any, Any], **options: Any) -> Driver:
        """Shortcut for ``tg.use(Driver.direct(app, **options))``."""
        from fakebot.drivers import Driver

        return self.use(Driver.direct(app, **options))

    def user(
        self,
        first_name: str = "Anna",
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "nl",
        user_id: int | None = None,
    ) -> ChatUser:
        """Create a user with a private chat with the bot (chat id == user id)."""
        from fakebot.scenario import ChatUser

        chat = self.add_private_chat(
            first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
            user_id=user_id,
        )
        return ChatUser(cast("FakeTelegram", self), chat.id)

    def add_private_chat(
        self,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
        user_id: int | None = None,
    ) -> Chat:
        if user_id is None:
            user_id = next(self._user_ids)
            while user_id in self.chats:
                user_id = next(self._user_ids)
        if user_id in self.chats:
            raise ValueError(f"a chat with id {user_id} already exists")
        chat = Chat(
            id=user_id,
            type="private",
            first_name=first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
        )
        self.chats[user_id] = chat
        return chat

    def group(self, title: str = "Groep", *, chat_id: int | None = None) -> Chat:
        """Create a (super)group chat the bot is a member of, so the bot can post there."""
        if chat_id is None:
            chat_id = -1_001_000_000_000 - next(self._group_ids)
        chat = Chat(id=chat_id, type="supergroup", title=title)
        self.chats[chat_id] = chat
        return chat

    def chat(self, chat_id: int) -> Chat:
        try:
            return self.chats[chat_id]
        except KeyError:
            raise LookupError(f"no chat {chat_id}; known chats: {sorted(self.chats)}") from None

    def block(self, chat_id: int) -> None:
        """The user blocks the bot: sends to this chat get 403 from now on (no update)."""
        self.chat(chat_id).blocked = True
        self._event(chat_id, "user_blocked")

    def unblock(self, chat_id: int) -> None:
        self.chat(chat_id).blocked = False
        self._event(chat_id, "user_unblocked")

    @property
    def bot_user(self) -> JSON:
        """The bot's User object."""
        return {
            "id": self.bot_id if self.bot_id is not None else int(DEFAULT_TOKEN.split(":")[0]),
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    @property
    def current_seq(self) -> int:
        """Sequence number of the latest call/event (use to slice ``events``/``calls``)."""
        return self._last_seq

    def calls_to(self, method: str) -> list[ApiCall]:
        """All calls of ``method`` (case-insensitive), in order."""
        name = method.lower()
        return [c for c in self.calls if c.method.lower() == name]

    def last_call(self, method: str | None = None) -> ApiCall:
        calls = self.calls_to(method) if method else self.calls
        if not calls:
            raise AssertionError(f"no call to {method or 'any method'} was made")
        return calls[-1]

    def messages(self, chat_id: int, *, include_deleted: bool = False) -> list[BotMessage]:
        """Bot messages in a chat, in sending order, with edits applied."""
        return [m for m in self.chat(chat_id).bot_messages if include_deleted or not m.deleted]

    @property
    def sent_messages(self) -> list[BotMessage]:
        """All bot messages in all chats (deleted ones included), in chat order."""
        return [m for chat in self.chats.values() for m in chat.bot_messages]

    def events_for(self, chat_id: int, *, since: int = 0) -> list[ChatEvent]:
        events = self._chat_events.get(chat_id, [])
        return events[bisect.bisect_right(events, since, key=lambda e: e.seq) :]

    def transcript(self, chat_id: int, *, last: int | None = None) -> str:
        """Readable transcript of a chat (use in assertion messages)."""
        return render_transcript(cast("FakeTelegram", self), chat_id, last=last)

    def unanswered_callback_queries(self) -> list[CallbackQueryRecord]:
        return [q for q in self.callback_queries.values() if not q.answered]

    def assert_all_callbacks_answered(self) -> None:
        """Every callback query was answered exactly once (no missing, no second attempt)."""
        problems = [
            (q, len(q.attempts))
            for q in self.callback_queries.values()
            if len(q.attempts) != 1 or not q.answered
        ]
        if problems:
            lines = [
                f"callback query {q.id} (data={q.data!r}, chat {q.chat_id}): "
                f"{n} answerCallbackQuery attempt(s), answered={q.answered}"
                for q, n in problems
            ]
            chats = dict.fromkeys(q.chat_id for q, _ in problems)
            transcripts = "\n\n".join(self.transcript(c, last=60) for c in chats)
            raise AssertionError("\n".join(lines) + "\n\n" + transcripts)

    def _next_seq(self) -> int:
        self._last_seq = next(self._seq)
        return self._last_seq

    def _event(
        self,
        chat_id: int,
        kind: EventKind,
        message_id: int | None = None,
        **detail: Any,
    ) -> ChatEvent:
        event = ChatEvent(self._next_seq(), chat_id, kind, message_id, detail)
        self._record_event(event)
        return event

    def _record_event(self, event: ChatEvent) -> None:
        self.events.append(event)
        self._chat_events.setdefault(event.chat_id, []).append(event)

    def _target_chat(self, params: JSON, *, sending: bool = True) -> Chat:
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise bad_request("chat_id is empty")
        chat: Chat | None = None
        if isinstance(chat_id, str):
            chat = next(
                (c for c in self.chats.values() if c.username and f"@{c.username}" == chat_id),
                None,
            )
        else:
            chat = self.chats.get(chat_id)
        if chat is None:
            raise bad_request("chat not found")
        if sending and chat.blocked:
            if chat.type == "private":
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            raise ApiError(403, "Forbidden: bot was kicked from the supergroup chat")
        return chat

    def _new_file(
        self,
        data: bytes,
        *,
        filename: str | None,
        mime_type: str | None,
        kind: str,
        url: str | None = None,
    ) -> UploadedFile:
        number = next(self._file_ids)
        folder = {"photo": "photos", "document": "documents"}.get(kind, kind)
        extension = ""
        if filename and "." in filename:
            extension = "." + filename.rsplit(".", 1)[1]
        return UploadedFile(
            file_id=f"FAKE-{kind}-{number:06d}-{hashlib.sha1(data).hexdigest()[:12]}",
            file_unique_id=f"U{number:06d}",
            data=data,
            filename=filename,
            mime_type=mime_type,
            url=url,
            file_path=f"{folder}/file_{number}{extension}",
        )

    def register_file(
        self,
        data: bytes,
        *,
        filename: str | None = None,
        mime_type: str | None = None,
        kind: str = "document",
    ) -> UploadedFile:
        """Store a file (e.g. one a user sends) so getFile and downloads work."""
        upload = self._new_file(data, filename=filename, mime_type=mime_type, kind=kind)
        self.files[upload.file_id] = upload
        return upload

    def _get_file(self, params: JSON, files: dict[str, UploadedFile]) -> JSON:
        upload = self.files.get(str(params.get("file_id") or ""))
        if upload is None:
            raise bad_request("invalid file_id")
        return {**upload.to_json(), "file_path": upload.file_path}

    @staticmethod
    def _snapshot(message: BotMessage) -> JSON:
        detail: JSON = {
            "kind": message.kind,
            "text": message.text,
            "buttons": message.buttons,
            "reply_keyboard": message.reply_keyboard,
            "protect_content": message.protect_content,
        }
        if message.photo_file:
            detail["file"] = f"photo, {message.photo_file.size} bytes"
        if message.document_file:
            detail["file"] = (
                f"document {message.document_file.filename!r}, {message.document_file.size} bytes"
            )
        return detail

    def _message_json(self, chat: Chat, message: BotMessage, *, nested: bool = False) -> JSON:
        data: JSON = {
            "message_id": message.message_id,
            "from": self.bot_user,
            "chat": chat.to_json(),
            "date": message.date,
        }
        current = message.current
        if message.kind == "text":
            data["text"] = current.text or ""
            if current.entities:
                data["entities"] = current.entities
        else:
            if current.text:
                data["caption"] = current.text
                if current.entities:
                    data["caption_entities"] = current.entities
        if message.photo_file is not None:
            width, height = _image_size(message.photo_file.data) or (800, 600)
            data["photo"] = [{**message.photo_file.to_json(), "width": width, "height": height}]
        if message.document_file is not None:
            document = message.document_file.to_json()
            if message.document_file.filename:
                document["file_name"] = message.document_file.filename
            if message.document_file.mime_type:
                document["mime_type"] = message.document_file.mime_type
            data["document"] = document
        markup = current.reply_markup
        if markup and "inline_keyboard" in markup:
            data["reply_markup"] = markup
        if message.protect_content:
            data["has_protected_content"] = True
        if current.edit_date is not None:
            data["edit_date"] = current.edit_date
        if message.reply_to_message_id is not None and not nested:
            data["reply_to_message"] = self._message_json_by_id(
                chat, message.reply_to_message_id, nested=True
            )
        return data

    def _message_json_by_id(self, chat: Chat, message_id: int, *, nested: bool = True) -> JSON:
        if message_id in chat.messages:
            return self._message_json(chat, chat.messages[message_id], nested=nested)
        if message_id in chat.user_messages:
            return dict(chat.user_messages[message_id].json)
        raise LookupError(f"no message #{message_id} in chat {chat.id}")
