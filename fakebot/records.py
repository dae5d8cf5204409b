"""What the fake Telegram server records: API calls, chats, messages, callback queries.

These are plain dataclasses; tests read them through :class:`~fakebot.server.FakeTelegram`
(``tg.calls``, ``tg.chat(id).messages`` ...) or the friendlier scenario API.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "ApiCall",
    "BotMessage",
    "CallbackAnswer",
    "CallbackQueryRecord",
    "Chat",
    "ChatEvent",
    "EventKind",
    "MessageVersion",
    "Stats",
    "UploadedFile",
    "UserMessage",
]

JSON = dict[str, Any]


@dataclass(frozen=True)
class UploadedFile:
    """A file the bot uploaded (or a user "sent"), with its bytes."""

    file_id: str
    file_unique_id: str
    data: bytes
    filename: str | None = None
    mime_type: str | None = None
    url: str | None = None  # set when the bot sent an HTTP URL instead of bytes
    file_path: str = ""

    @property
    def size(self) -> int:
        return len(self.data)

    def to_json(self) -> JSON:
        """The fields every Telegram file object has (File, PhotoSize, Document)."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.size,
        }


@dataclass
class ApiCall:
    """One HTTP request to the Bot API, as the server understood it."""

    seq: int
    method: str  # as requested (Telegram method names are case-insensitive)
    params: JSON  # decoded and typed (JSON strings inside form data are parsed)
    files: dict[str, UploadedFile]  # multipart uploads by part name
    token: str
    started_at: float  # time.monotonic()
    finished_at: float | None = None
    status: int | None = None  # HTTP status of the answer
    response: JSON | None = None  # the JSON envelope sent back

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def chat_id(self) -> int | str | None:
        return self.params.get("chat_id")

    @property
    def result(self) -> Any:
        return (self.response or {}).get("result")

    @property
    def description(self) -> str | None:
        return (self.response or {}).get("description")

    def __repr__(self) -> str:
        shown = {k: v for k, v in self.params.items() if k not in ("reply_markup",)}
        return f"<ApiCall #{self.seq} {self.method} {shown} -> {self.status}>"


@dataclass(frozen=True)
class MessageVersion:
    """One state of a bot message (the original, or the result of an edit)."""

    text: str | None  # visible text (HTML/Markdown removed); caption for media messages
    source_text: str | None  # text exactly as the bot sent it
    parse_mode: str | None
    entities: list[JSON]
    reply_markup: JSON | None
    edit_date: int | None
    seq: int  # global event sequence number


@dataclass(eq=False)
class BotMessage:
    """A message the bot sent, with edits applied (``versions[-1]`` is current)."""

    chat_id: int
    message_id: int
    date: int
    kind: str  # "text", "photo" or "document"
    versions: list[MessageVersion]
    protect_content: bool = False
    disable_notification: bool = False
    photo_file: UploadedFile | None = None
    document_file: UploadedFile | None = None
    reply_to_message_id: int | None = None
    deleted: bool = False
    params: JSON = field(default_factory=dict)  # the parameters of the send call

    # -- current state ---------------------------------------------------------------
    @property
    def current(self) -> MessageVersion:
        return self.versions[-1]

    @property
    def text(self) -> str:
        """Visible text (caption for photos/documents); ``""`` when there is none."""
        return self.current.text or ""

    @property
    def caption(self) -> str | None:
        return self.current.text if self.kind != "text" else None

    @property
    def source_text(self) -> str | None:
        return self.current.source_text

    @property
    def parse_mode(self) -> str | None:
        return self.current.parse_mode

    @property
    def entities(self) -> list[JSON]:
        return self.current.entities

    @property
    def reply_markup(self) -> JSON | None:
        return self.current.reply_markup

    @property
    def edited(self) -> bool:
        return len(self.versions) > 1

    @property
    def history(self) -> list[MessageVersion]:
        return list(self.versions)

    # -- keyboards -------------------------------------------------------------------
    @property
    def keyboard(self) -> list[list[JSON]]:
        """Raw inline keyboard rows (button dicts), ``[]`` when there is none."""
        markup = self.reply_markup or {}
        return [list(row) for row in markup.get("inline_keyboard", [])]

    @property
    def buttons(self) -> list[list[str]]:
        """Inline keyboard labels, row by row."""
        return [[button.get("text", "") for button in row] for row in self.keyboard]

    @property
    def button_labels(self) -> list[str]:
        """Inline keyboard labels, flattened."""
        return [label for row in self.buttons for label in row]

    @property
    def reply_keyboard(self) -> list[list[str]]:
        """Labels of a reply (custom) keyboard, row by row; ``[]`` when there is none."""
        markup = self.reply_markup or {}
        rows = markup.get("keyboard", [])
        return [[b if isinstance(b, str) else b.get("text", "") for b in row] for row in rows]

    @property
    def photo(self) -> bytes | None:
        return self.photo_file.data if self.photo_file else None

    @property
    def document(self) -> bytes | None:
        return self.document_file.data if self.document_file else None

    @property
    def document_name(self) -> str | None:
        return self.document_file.filename if self.document_file else None

    def __repr__(self) -> str:
        flags = " deleted" if self.deleted else ""
        return (
            f"<BotMessage chat={self.chat_id} #{self.message_id} {self.kind}{flags} "
            f"text={self.text!r} buttons={self.buttons}>"
        )


@dataclass
class UserMessage:
    """A message a (fake) user sent to the bot."""

    chat_id: int
    message_id: int
    from_id: int
    json: JSON  # the Message object as delivered in the update
    deleted: bool = False
    edits: list[str] = field(default_factory=list)

    @property
    def text(self) -> str | None:
        return self.json.get("text")


@dataclass(frozen=True)
class CallbackAnswer:
    """One answerCallbackQuery attempt."""

    seq: int
    text: str | None
    show_alert: bool
    url: str | None
    cache_time: int | None
    accepted: bool  # False when the server rejected it (already answered, too long ...)
    error: str | None = None


@dataclass
class CallbackQueryRecord:
    """A callback query the server issued (a button press), and how the bot answered it."""

    id: str
    chat_id: int
    user_id: int
    message_id: int | None
    data: str | None
    seq: int
    label: str | None = None  # the button label, when pressed via the scenario API
    attempts: list[CallbackAnswer] = field(default_factory=list)

    @property
    def answers(self) -> list[CallbackAnswer]:
        """Accepted answers (at most one)."""
        return [a for a in self.attempts if a.accepted]

    @property
    def answered(self) -> bool:
        return bool(self.answers)

    @property
    def answer(self) -> CallbackAnswer | None:
        return self.answers[0] if self.answers else None

    @property
    def text(self) -> str | None:
        return self.answer.text if self.answer else None

    @property
    def show_alert(self) -> bool:
        return bool(self.answer and self.answer.show_alert)


EventKind = Literal[
    "user_message",
    "user_edit",
    "user_callback",
    "user_blocked",
    "user_unblocked",
    "bot_message",
    "bot_edit",
    "bot_delete",
    "user_message_deleted",
    "callback_answer",
]


@dataclass(frozen=True)
class ChatEvent:
    """Something that happened in a chat, in global order (``seq``)."""

    seq: int
    chat_id: int
    kind: EventKind
    message_id: int | None = None
    detail: JSON = field(default_factory=dict)


@dataclass
class Chat:
    """A chat the server knows (private chat with a fake user, or a group)."""

    id: int
    type: str  # "private", "group" or "supergroup"
    first_name: str | None = None
    last_name: str | None = None
    username: str | None = None
    title: str | None = None
    language_code: str | None = None
    blocked: bool = False
    next_message_id: int = 1
    messages: dict[int, BotMessage] = field(default_factory=dict)  # bot messages by id
    user_messages: dict[int, UserMessage] = field(default_factory=dict)
    menu_button: JSON | None = None
    pinned: list[int] = field(default_factory=list)  # pinned message ids, oldest first

    def take_message_id(self) -> int:
        message_id = self.next_message_id
        self.next_message_id += 1
        return message_id

    @property
    def display_name(self) -> str:
        if self.title:
            return self.title
        return " ".join(p for p in (self.first_name, self.last_name) if p) or str(self.id)

    def to_json(self) -> JSON:
        """The Chat object as it appears inside messages."""
        data: JSON = {"id": self.id, "type": self.type}
        for key in ("title", "username", "first_name", "last_name"):
            value = getattr(self, key)
            if value:
                data[key] = value
        return data

    def user_json(self) -> JSON:
        """The User object of the private chat's user."""
        data: JSON = {"id": self.id, "is_bot": False, "first_name": self.first_name or "User"}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data

    @property
    def bot_messages(self) -> list[BotMessage]:
        """All bot messages in sending order, deleted ones included."""
        return sorted(self.messages.values(), key=lambda m: m.message_id)


@dataclass
class Stats:
    """Counters for benchmarks and sanity checks."""

    calls: int = 0
    by_method: Counter[str] = field(default_factory=Counter)
    by_status: Counter[int] = field(default_factory=Counter)
    flood_429s: int = 0  # 429s issued by the flood-limit simulation
    injected_failures: int = 0  # failures issued by fail_next()
    updates_pushed: int = 0
    updates_delivered: int = 0  # updates returned by getUpdates
