"""An in-process fake Telegram Bot API server for tests.

:class:`FakeTelegram` is a real HTTP server (aiohttp, 127.0.0.1, random free port).  A real
python-telegram-bot ``Application`` talks to it through its normal httpx stack once built with::

    ApplicationBuilder().token(TOKEN).base_url(tg.api_base_url).base_file_url(tg.file_base_url)

(:func:`tests.fakebot.ptb.application_builder` does this with short timeouts.)

The server answers the Bot API methods a bot like ours uses, validates requests the way
Telegram does (formatting, lengths, keyboards, callback answers, blocked users ...) and records
everything: every API call, every message per chat with edit history and deletions, every
callback query and its answers.  It also produces updates in Telegram's JSON shape and hands
them out through real long polling (``getUpdates``), a webhook POST, or -- via the scenario
drivers -- straight to ``Application.process_update``.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import hashlib
import inspect
import itertools
import logging
import math
import re
import socket
import struct
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from aiohttp import ClientSession, ClientTimeout, web

from tests.fakebot.formatting import EntityParseError, ParsedText, parse_formatted, utf16_len
from tests.fakebot.records import (
    ApiCall,
    BotMessage,
    CallbackAnswer,
    CallbackQueryRecord,
    Chat,
    ChatEvent,
    EventKind,
    MessageVersion,
    Stats,
    UploadedFile,
    UserMessage,
)
from tests.fakebot.transcript import render_transcript
from tests.fakebot.validation import (
    MAX_CALLBACK_ANSWER,
    MAX_CAPTION,
    MAX_TEXT,
    ApiError,
    bad_request,
    coerce_params,
    parse_text,
    validate_commands,
    validate_language_code,
    validate_reply_markup,
)

if TYPE_CHECKING:
    from telegram.ext import Application

    from tests.fakebot.scenario import ChatUser, Driver

__all__ = [
    "DEFAULT_TOKEN",
    "ApiError",
    "ClockLike",
    "FakeTelegram",
    "FloodLimits",
    "MethodHandler",
]

JSON = dict[str, Any]

DEFAULT_TOKEN = "123456789:AAFakeTokenForErvaringsbotTests_0123"
"""A well-formed token; the bot id (123456789) is its numeric prefix, as with real tokens."""

_LOGGER = logging.getLogger(__name__)
_TOKEN_RE = re.compile(r"\d+:[A-Za-z0-9_-]+")
_COMMAND_ENTITY_RE = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")


class ClockLike(Protocol):
    """Anything with ``now() -> aware datetime`` (matches ``bot.clock.Clock``)."""

    def now(self) -> datetime: ...


MethodHandler = Callable[[JSON, dict[str, UploadedFile]], Any | Awaitable[Any]]
"""Signature of a Bot API method implementation: ``(params, files) -> result``.

Raise :class:`ApiError` (e.g. ``bad_request("...")``) for error answers."""

# Update types Telegram delivers when allowed_updates is empty/unset.
_DEFAULT_EXCLUDED_UPDATES = {"chat_member", "message_reaction", "message_reaction_count"}

_CHAT_ACTIONS = {
    "typing",
    "upload_photo",
    "record_video",
    "upload_video",
    "record_voice",
    "upload_voice",
    "upload_document",
    "choose_sticker",
    "find_location",
    "record_video_note",
    "upload_video_note",
}

_FLOOD_PREFIXES = ("send", "edit", "copy", "forward")
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
_QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"


@dataclass
class FloodLimits:
    """Flood-limit simulation (leaky buckets, like ptb's AIORateLimiter/aiolimiter).

    A bucket of capacity ``burst`` drains at ``rate`` per second; each counted request adds 1.
    A request that would overflow any bucket gets 429 with ``parameters.retry_after``.
    ``None`` disables a limit.  Counted methods: those starting with send/edit/copy/forward
    (sendChatAction excluded), unless ``methods`` is given (lower-case names).
    """

    per_chat_per_sec: float | None = 1.0
    global_per_sec: float | None = 30.0
    per_group_per_min: float | None = 20.0
    per_chat_burst: float = 3.0  # Telegram tolerates short bursts in one chat
    methods: frozenset[str] | None = None
    tolerance: float = 0.05  # slack for timer jitter between client and server

    def counts(self, method: str) -> bool:
        if self.methods is not None:
            return method in self.methods
        return method.startswith(_FLOOD_PREFIXES) and method != "sendchataction"


@dataclass
class _Bucket:
    capacity: float
    rate: float  # drained per second
    level: float = 0.0
    updated: float = field(default_factory=time.monotonic)

    def drain(self, now: float) -> None:
        self.level = max(0.0, self.level - (now - self.updated) * self.rate)
        self.updated = now


@dataclass
class _Failure:
    method: str
    error_code: int
    description: str
    parameters: JSON | None
    remaining: int
    chat_id: int | str | None


def _default_description(error_code: int, retry_after: int | None) -> str:
    return {
        400: "Bad Request: injected failure",
        401: "Unauthorized",
        403: "Forbidden: bot was blocked by the user",
        404: "Not Found",
        409: "Conflict: terminated by other getUpdates request",
        429: f"Too Many Requests: retry after {retry_after}",
        500: "Internal Server Error",
        502: "Bad Gateway",
    }.get(error_code, f"Error {error_code}")


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


class FakeTelegram:
    """A fake Telegram Bot API server plus a factory for users and updates.

    Use ``async with FakeTelegram() as tg:`` (or ``await tg.start()`` / ``await tg.stop()``,
    or the ``fake_telegram`` pytest fixture).

    Args:
        bot_username: ``username`` returned by getMe.
        bot_first_name: ``first_name`` returned by getMe.
        bot_id: the bot's user id; default: the numeric prefix of the first token seen.
        token: when set, only this token is accepted (others get 401 like Telegram);
            otherwise any well-formed ``<digits>:<chars>`` token is.
        strict_html_ampersand: reject a bare ``&`` in HTML (Telegram accepts it; being strict
            catches missing escaping).
        validate_images: reject sendPhoto bytes that are not PNG/JPEG/GIF/WEBP/BMP
            (Telegram answers IMAGE_PROCESS_FAILED).
        lenient_markdown_v2: accept MarkdownV2 the parser rejects (counting the raw text).
        clock: where message/update dates come from: any object with ``now() -> datetime``
            (e.g. ``bot.clock.FrozenClock``); default: the system time.  Settable later via
            ``tg.clock``.
    """

    def __init__(
        self,
        *,
        bot_username: str = "ervaringsbot_test_bot",
        bot_first_name: str = "Ervaringsbot",
        bot_id: int | None = None,
        token: str | None = None,
        strict_html_ampersand: bool = True,
        validate_images: bool = True,
        lenient_markdown_v2: bool = False,
        clock: ClockLike | None = None,
        host: str = "127.0.0.1",
    ) -> None:
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.bot_id = bot_id
        self.token = token
        self.strict_html_ampersand = strict_html_ampersand
        self.validate_images = validate_images
        self.lenient_markdown_v2 = lenient_markdown_v2
        self.clock = clock
        self._host = host

        # Recording.
        self.calls: list[ApiCall] = []
        self.events: list[ChatEvent] = []  # all chats, in seq order
        self._chat_events: dict[int, list[ChatEvent]] = {}
        self.chats: dict[int, Chat] = {}
        self.files: dict[str, UploadedFile] = {}
        self.callback_queries: dict[str, CallbackQueryRecord] = {}
        self.updates: list[JSON] = []  # every update created or pushed, in order
        self._known_update_ids: set[int] = set()
        self.stats = Stats()
        self.commands: dict[tuple[str, int | None, int | None, str], list[JSON]] = {}
        self.default_menu_button: JSON | None = None
        self.bot_texts: dict[tuple[str, str], str] = {}  # (name|description|..., lang)
        self.webhook: JSON | None = None
        self.driver: Driver | None = None

        self._seq = itertools.count(1)
        self._last_seq = 0
        # Above 2**31, like real Telegram ids today: a 32-bit column would fail the PostgreSQL run.
        self._user_ids = itertools.count(5_000_000_001)
        self._group_ids = itertools.count(1)
        self._update_ids = itertools.count(500_000_001)
        self._callback_ids = itertools.count(1)
        self._file_ids = itertools.count(1)

        # getUpdates state.
        self._queue: list[JSON] = []
        self._consumed: set[int] = set()  # delivered by getUpdates, or dropped by filters
        self.filtered_update_ids: set[int] = set()  # dropped because of allowed_updates
        self._allowed_updates: list[str] | None = None
        self._poll_generation = 0
        self._wakeup = asyncio.Event()
        self.max_poll_offset = 0  # highest offset any getUpdates asked for
        self.last_poll_at: float | None = None

        # Activity tracking (for drivers that wait until the bot is quiet).
        self.inflight = 0  # requests being handled, getUpdates excluded
        self.last_activity = time.monotonic()

        self.server_errors: list[Exception] = []  # bugs in the fake itself; should stay empty
        self._failures: list[_Failure] = []
        self._flood: FloodLimits | None = None
        self._buckets: dict[tuple[str, int | str | None], _Bucket] = {}

        self._methods: dict[str, MethodHandler] = {}
        self._register_builtin_methods()

        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._stopping = False
        self._client: ClientSession | None = None

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> FakeTelegram:
        """Start listening on a random free port on 127.0.0.1."""
        if self._runner is not None:
            return self
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_route("GET", "/file/bot{token}/{path:.+}", self._handle_file)
        app.router.add_route("*", "/{tail:.*}", self._handle_not_found)
        runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=0.5)
        await runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self._host, 0))
        self._port = sock.getsockname()[1]
        site = web.SockSite(runner, sock)
        await site.start()
        self._runner = runner
        self._stopping = False
        return self

    async def stop(self) -> None:
        """Stop the server; pending long polls are answered first."""
        if self._runner is None:
            return
        self._stopping = True
        self._wake_pollers()
        if self._client is not None:
            await self._client.close()
            self._client = None
        await asyncio.sleep(0)
        await self._runner.cleanup()
        self._runner = None

    async def __aenter__(self) -> FakeTelegram:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("FakeTelegram is not started")
        return self._port

    @property
    def url(self) -> str:
        """Root URL, e.g. ``http://127.0.0.1:43121``."""
        return f"http://{self._host}:{self.port}"

    @property
    def api_base_url(self) -> str:
        """Value for ``ApplicationBuilder.base_url`` / TELEGRAM_API_BASE_URL."""
        return f"{self.url}/bot"

    @property
    def file_base_url(self) -> str:
        """Value for ``ApplicationBuilder.base_file_url``."""
        return f"{self.url}/file/bot"

    def now(self) -> int:
        """Unix time for message dates (from ``clock`` when set)."""
        if self.clock is not None:
            return int(self.clock.now().timestamp())
        return int(time.time())

    # ------------------------------------------------------------------ drivers / users

    def use(self, driver: Driver) -> Driver:
        """Make ``driver`` deliver the updates of the scenario API."""
        self.driver = driver
        return driver

    def attach(self, app: Application[Any, Any, Any, Any, Any, Any], **options: Any) -> Driver:
        """Shortcut for ``tg.use(Driver.direct(app, **options))``."""
        from tests.fakebot.scenario import Driver

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
        from tests.fakebot.scenario import ChatUser

        chat = self.add_private_chat(
            first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
            user_id=user_id,
        )
        return ChatUser(self, chat.id)

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

    # ------------------------------------------------------------------ introspection

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
        return render_transcript(self, chat_id, last=last)

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

    # ------------------------------------------------------------------ failure injection

    def fail_next(
        self,
        method: str,
        error_code: int = 429,
        *,
        retry_after: int | None = None,
        times: int = 1,
        description: str | None = None,
        chat_id: int | str | None = None,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` (optionally only for ``chat_id``)
        with an error.  For 429, ``retry_after`` (default 1) goes into ``parameters``, so
        ptb raises ``RetryAfter``."""
        parameters: JSON | None = None
        if error_code == 429:
            retry_after = 1 if retry_after is None else retry_after
            parameters = {"retry_after": retry_after}
        elif retry_after is not None:
            parameters = {"retry_after": retry_after}
        self._failures.append(
            _Failure(
                method=method.lower(),
                error_code=error_code,
                description=description or _default_description(error_code, retry_after),
                parameters=parameters,
                remaining=times,
                chat_id=chat_id,
            )
        )

    def enforce_flood_limits(
        self,
        per_chat_per_sec: float | None = 1.0,
        global_per_sec: float | None = 30.0,
        per_group_per_min: float | None = 20.0,
        *,
        per_chat_burst: float = 3.0,
        methods: Iterable[str] | None = None,
    ) -> FloodLimits:
        """Start answering 429 (``retry_after``) to requests that exceed these rates.

        The 429s issued are counted in ``tg.stats.flood_429s``.  See :class:`FloodLimits`."""
        self._flood = FloodLimits(
            per_chat_per_sec=per_chat_per_sec,
            global_per_sec=global_per_sec,
            per_group_per_min=per_group_per_min,
            per_chat_burst=per_chat_burst,
            methods=frozenset(m.lower() for m in methods) if methods is not None else None,
        )
        self._buckets.clear()
        return self._flood

    def disable_flood_limits(self) -> None:
        self._flood = None
        self._buckets.clear()

    def register_method(self, name: str, handler: MethodHandler) -> None:
        """Add or replace a Bot API method: ``handler(params, files) -> result``
        (sync or async; raise :class:`ApiError` for errors)."""
        self._methods[name.lower()] = handler

    # ------------------------------------------------------------------ updates

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

    def _new_update(self, body: JSON) -> JSON:
        update = {"update_id": next(self._update_ids), **body}
        self.updates.append(update)
        self._known_update_ids.add(update["update_id"])
        return update

    def message_update(
        self,
        chat_id: int,
        text: str | None = None,
        *,
        reply_to_message_id: int | None = None,
        extra: JSON | None = None,
    ) -> JSON:
        """A ``message`` update: the chat's user sends ``text`` (and/or ``extra`` fields,
        e.g. ``{"document": {...}}``).  ``/commands`` get a ``bot_command`` entity."""
        chat = self.chat(chat_id)
        message_id = chat.take_message_id()
        message: JSON = {
            "message_id": message_id,
            "from": chat.user_json(),
            "chat": chat.to_json(),
            "date": self.now(),
        }
        if text is not None:
            message["text"] = text
            match = _COMMAND_ENTITY_RE.match(text)
            if match:
                message["entities"] = [
                    {"type": "bot_command", "offset": 0, "length": utf16_len(match.group())}
                ]
        if reply_to_message_id is not None:
            message["reply_to_message"] = self._message_json_by_id(chat, reply_to_message_id)
        if extra:
            message.update(extra)
        chat.user_messages[message_id] = UserMessage(chat.id, message_id, chat.id, message)
        self._event(chat.id, "user_message", message_id, text=text, extra=extra or {})
        return self._new_update({"message": message})

    def edited_message_update(self, chat_id: int, message_id: int, new_text: str) -> JSON:
        """An ``edited_message`` update: the user edits their message ``message_id``."""
        chat = self.chat(chat_id)
        original = chat.user_messages.get(message_id)
        if original is None or original.deleted:
            raise LookupError(f"user message #{message_id} does not exist in chat {chat_id}")
        message = {**original.json, "text": new_text, "edit_date": self.now()}
        message.pop("entities", None)
        match = _COMMAND_ENTITY_RE.match(new_text)
        if match:
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": utf16_len(match.group())}
            ]
        original.json = message
        original.edits.append(new_text)
        self._event(chat.id, "user_edit", message_id, text=new_text)
        return self._new_update({"edited_message": message})

    def callback_query_update(
        self,
        chat_id: int,
        message_id: int,
        data: str,
        *,
        label: str | None = None,
    ) -> JSON:
        """A ``callback_query`` update: the user presses a button with ``data`` on bot
        message ``message_id``.  The query id is registered for answerCallbackQuery."""
        chat = self.chat(chat_id)
        message = chat.messages.get(message_id)
        if message is None:
            raise LookupError(f"bot message #{message_id} does not exist in chat {chat_id}")
        if message.deleted:
            raise LookupError(f"bot message #{message_id} in chat {chat_id} was deleted")
        query_id = str(4_300_000_000_000_000_000 + next(self._callback_ids))
        event = self._event(chat.id, "user_callback", message_id, data=data, label=label)
        self.callback_queries[query_id] = CallbackQueryRecord(
            id=query_id,
            chat_id=chat.id,
            user_id=chat.id,
            message_id=message_id,
            data=data,
            seq=event.seq,
            label=label,
        )
        instance = hashlib.sha1(f"{chat.id}".encode()).hexdigest()[:16]
        query: JSON = {
            "id": query_id,
            "from": chat.user_json(),
            "message": self._message_json(chat, message),
            "chat_instance": str(int(instance, 16)),
            "data": data,
        }
        return self._new_update({"callback_query": query})

    def my_chat_member_update(self, chat_id: int, *, blocked: bool) -> JSON:
        """A ``my_chat_member`` update: the user blocked (kicked) or unblocked the bot.

        Also applies the block/unblock (so sends then get 403 / work again)."""
        chat = self.chat(chat_id)
        if blocked:
            self.block(chat_id)
        else:
            self.unblock(chat_id)
        member = {"status": "member", "user": self.bot_user}
        kicked = {"status": "kicked", "user": self.bot_user, "until_date": 0}
        old, new = (member, kicked) if blocked else (kicked, member)
        return self._new_update(
            {
                "my_chat_member": {
                    "chat": chat.to_json(),
                    "from": chat.user_json(),
                    "date": self.now(),
                    "old_chat_member": old,
                    "new_chat_member": new,
                }
            }
        )

    def push_update(self, update: JSON) -> int:
        """Queue an update for getUpdates; returns its update_id.

        Updates without ``update_id`` get one.  Waiting long polls return immediately."""
        if "update_id" not in update:
            update = self._new_update(update)
        elif int(update["update_id"]) not in self._known_update_ids:
            self.updates.append(update)
            self._known_update_ids.add(int(update["update_id"]))
        self._queue.append(update)
        self._queue.sort(key=lambda u: u["update_id"])
        self.stats.updates_pushed += 1
        self._wake_pollers()
        return int(update["update_id"])

    def update_consumed(self, update_id: int) -> bool:
        """True once getUpdates handed the update out (or filtered it via allowed_updates)."""
        return update_id in self._consumed

    @property
    def pending_updates(self) -> list[JSON]:
        """Updates queued and not yet confirmed by a getUpdates offset."""
        return list(self._queue)

    async def post_webhook(self, update: JSON, *, url: str | None = None) -> int:
        """POST an update to the webhook set with setWebhook (or ``url``); returns the HTTP
        status.  Sends ``X-Telegram-Bot-Api-Secret-Token`` when a secret was set."""
        target = url or (self.webhook or {}).get("url")
        if not target:
            raise RuntimeError("no webhook set (setWebhook) and no url given")
        headers = {}
        secret = (self.webhook or {}).get("secret_token")
        if secret:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        if self._client is None:
            self._client = ClientSession(timeout=ClientTimeout(total=10))
        async with self._client.post(target, json=update, headers=headers) as response:
            await response.read()
            return response.status

    def _wake_pollers(self) -> None:
        event, self._wakeup = self._wakeup, asyncio.Event()
        event.set()

    # ------------------------------------------------------------------ HTTP plumbing

    async def _handle_not_found(self, request: web.Request) -> web.Response:
        return web.json_response(ApiError(404, "Not Found").envelope(), status=404)

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        if not _TOKEN_RE.fullmatch(token) or (self.token and token != self.token):
            return web.json_response(ApiError(401, "Unauthorized").envelope(), status=401)
        path = request.match_info["path"]
        for upload in self.files.values():
            if upload.file_path == path:
                return web.Response(
                    body=upload.data, content_type=upload.mime_type or "application/octet-stream"
                )
        return web.json_response(ApiError(404, "Not Found").envelope(), status=404)

    async def _handle_api(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        method = request.match_info["method"]
        if not _TOKEN_RE.fullmatch(token):
            return web.json_response(ApiError(404, "Not Found").envelope(), status=404)
        if self.token is not None and token != self.token:
            return web.json_response(ApiError(401, "Unauthorized").envelope(), status=401)
        if self.bot_id is None:
            self.bot_id = int(token.split(":", 1)[0])

        polling = method.lower() == "getupdates"
        if not polling:
            self.inflight += 1
            self.last_activity = time.monotonic()
        call = ApiCall(
            seq=self._next_seq(),
            method=method,
            params={},
            files={},
            token=token,
            started_at=time.monotonic(),
        )
        self.calls.append(call)
        self.stats.calls += 1
        self.stats.by_method[method] += 1
        try:
            try:
                raw, call.files = await self._read_request(request)
                call.params = coerce_params(raw)
                result = await self._dispatch(method.lower(), call.params, call.files)
                envelope: JSON = {"ok": True, "result": result}
                status = 200
            except ApiError as exc:
                envelope = exc.envelope()
                status = exc.error_code
            except Exception as exc:  # a bug in the fake server (or a registered method)
                _LOGGER.exception("fake Telegram server failed on %s", method)
                self.server_errors.append(exc)
                envelope = ApiError(500, f"Internal Server Error: fake server: {exc!r}").envelope()
                status = 500
        finally:
            if not polling:
                self.inflight -= 1
                self.last_activity = time.monotonic()
        call.finished_at = time.monotonic()
        call.status = status
        call.response = envelope
        self.stats.by_status[status] += 1
        return web.json_response(envelope, status=status)

    async def _read_request(self, request: web.Request) -> tuple[JSON, dict[str, UploadedFile]]:
        raw: JSON = dict(request.query)
        files: dict[str, UploadedFile] = {}
        if not request.body_exists:
            return raw, files
        content_type = request.content_type
        if content_type == "application/json":
            try:
                body = await request.json()
            except ValueError as exc:
                raise bad_request("can't parse JSON object") from exc
            if not isinstance(body, dict):
                raise bad_request("can't parse JSON object")
            raw.update(body)
        elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            form = await request.post()
            for name, value in form.items():
                if isinstance(value, web.FileField):
                    data = value.file.read()
                    files[name] = UploadedFile(
                        file_id="",
                        file_unique_id="",
                        data=data,
                        filename=value.filename,
                        mime_type=value.content_type,
                    )
                else:
                    raw[name] = value
        return raw, files

    async def _dispatch(self, method: str, params: JSON, files: dict[str, UploadedFile]) -> Any:
        handler = self._methods.get(method)
        if handler is None:
            raise ApiError(404, "Not Found")
        self._maybe_fail(method, params)
        self._check_flood(method, params)
        result = handler(params, files)
        if inspect.isawaitable(result):
            result = await result
        return result

    def _maybe_fail(self, method: str, params: JSON) -> None:
        for failure in self._failures:
            if failure.method != method or failure.remaining <= 0:
                continue
            if failure.chat_id is not None and params.get("chat_id") != failure.chat_id:
                continue
            failure.remaining -= 1
            if failure.remaining <= 0:
                self._failures.remove(failure)
            self.stats.injected_failures += 1
            raise ApiError(failure.error_code, failure.description, failure.parameters)

    def _check_flood(self, method: str, params: JSON) -> None:
        limits = self._flood
        if limits is None or not limits.counts(method):
            return
        chat_id = params.get("chat_id")
        wanted: list[tuple[tuple[str, int | str | None], float, float]] = []
        if limits.global_per_sec:
            wanted.append((("global", None), limits.global_per_sec, limits.global_per_sec))
        is_group = isinstance(chat_id, str) or (isinstance(chat_id, int) and chat_id < 0)
        if chat_id is not None and limits.per_chat_per_sec and not is_group:
            wanted.append((("chat", chat_id), limits.per_chat_burst, limits.per_chat_per_sec))
        if chat_id is not None and limits.per_group_per_min and is_group:
            wanted.append(
                (("group", chat_id), limits.per_group_per_min, limits.per_group_per_min / 60)
            )
        now = time.monotonic()
        buckets: list[_Bucket] = []
        wait = 0.0
        for key, capacity, rate in wanted:
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = self._buckets[key] = _Bucket(capacity=capacity, rate=rate, updated=now)
            bucket.drain(now)
            overflow = bucket.level + 1 - bucket.capacity - limits.tolerance
            if overflow > 0:
                wait = max(wait, overflow / bucket.rate)
            buckets.append(bucket)
        if wait > 0:
            self.stats.flood_429s += 1
            retry_after = max(1, math.ceil(wait))
            raise ApiError(
                429,
                f"Too Many Requests: retry after {retry_after}",
                {"retry_after": retry_after},
            )
        for bucket in buckets:
            bucket.level += 1

    # ------------------------------------------------------------------ helpers

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

    def _input_file(
        self, params: JSON, files: dict[str, UploadedFile], name: str, kind: str
    ) -> UploadedFile:
        """Resolve a file parameter: multipart upload, attach://, known file_id or URL."""
        value = params.get(name)
        part = files.get(name)
        if part is None and isinstance(value, str) and value.startswith("attach://"):
            part = files.get(value[len("attach://") :])
        if part is not None:
            upload = self._new_file(
                part.data, filename=part.filename, mime_type=part.mime_type, kind=kind
            )
        elif isinstance(value, str) and value in self.files:
            return self.files[value]
        elif isinstance(value, str) and value.startswith(("http://", "https://")):
            upload = self._new_file(b"", filename=None, mime_type=None, kind=kind, url=value)
        elif isinstance(value, str) and value:
            raise bad_request("wrong file identifier/HTTP URL specified")
        else:
            raise bad_request(f"there is no {name} in the request")
        self.files[upload.file_id] = upload
        return upload

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

    def _reply_to(self, chat: Chat, params: JSON) -> int | None:
        reply_id = params.get("reply_to_message_id")
        allow_missing = bool(params.get("allow_sending_without_reply"))
        reply_parameters = params.get("reply_parameters")
        if isinstance(reply_parameters, dict):
            reply_id = reply_parameters.get("message_id", reply_id)
            allow_missing = bool(reply_parameters.get("allow_sending_without_reply", allow_missing))
        if reply_id is None:
            return None
        exists = (reply_id in chat.messages and not chat.messages[reply_id].deleted) or (
            reply_id in chat.user_messages and not chat.user_messages[reply_id].deleted
        )
        if not exists:
            if allow_missing:
                return None
            raise bad_request("message to be replied not found")
        return int(reply_id)

    def _text_params(
        self, params: JSON, key: str, *, caption: bool
    ) -> tuple[ParsedText, str | None]:
        parse_mode = params.get("parse_mode")
        if self.lenient_markdown_v2 and str(parse_mode).lower() == "markdownv2":
            try:
                parse_formatted(str(params.get(key) or ""), "MarkdownV2")
            except EntityParseError:
                parse_mode = None  # count the raw text instead of failing
        parsed = parse_text(
            params.get(key),
            parse_mode,
            params.get("caption_entities" if caption else "entities"),
            limit=MAX_CAPTION if caption else MAX_TEXT,
            caption=caption,
            strict_ampersand=self.strict_html_ampersand,
        )
        source = params.get(key)
        return parsed, None if source is None else str(source)

    def _add_bot_message(
        self,
        chat: Chat,
        kind: str,
        params: JSON,
        *,
        text_key: str,
        photo: UploadedFile | None = None,
        document: UploadedFile | None = None,
    ) -> BotMessage:
        parsed, source = self._text_params(params, text_key, caption=kind != "text")
        markup = validate_reply_markup(params.get("reply_markup"))
        reply_to = self._reply_to(chat, params)
        message_id = chat.take_message_id()
        seq = self._next_seq()
        version = MessageVersion(
            text=parsed.text if (parsed.text or kind == "text") else None,
            source_text=source,
            parse_mode=params.get("parse_mode"),
            entities=parsed.entities,
            reply_markup=markup,
            edit_date=None,
            seq=seq,
        )
        message = BotMessage(
            chat_id=chat.id,
            message_id=message_id,
            date=self.now(),
            kind=kind,
            versions=[version],
            protect_content=bool(params.get("protect_content")),
            disable_notification=bool(params.get("disable_notification")),
            photo_file=photo,
            document_file=document,
            reply_to_message_id=reply_to,
            params=dict(params),
        )
        chat.messages[message_id] = message
        self._record_event(
            ChatEvent(seq, chat.id, "bot_message", message_id, self._snapshot(message))
        )
        return message

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
            data["photo"] = [
                {
                    "file_id": message.photo_file.file_id,
                    "file_unique_id": message.photo_file.file_unique_id,
                    "file_size": message.photo_file.size,
                    "width": width,
                    "height": height,
                }
            ]
        if message.document_file is not None:
            document: JSON = {
                "file_id": message.document_file.file_id,
                "file_unique_id": message.document_file.file_unique_id,
                "file_size": message.document_file.size,
            }
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

    def _message_for_edit(self, chat: Chat, params: JSON) -> BotMessage:
        if params.get("inline_message_id"):
            raise bad_request("MESSAGE_ID_INVALID")
        message_id = params.get("message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        if message_id in chat.user_messages and not chat.user_messages[message_id].deleted:
            raise bad_request("message can't be edited")
        message = chat.messages.get(message_id)
        if message is None or message.deleted:
            raise bad_request("message to edit not found")
        return message

    def _apply_edit(
        self,
        chat: Chat,
        message: BotMessage,
        *,
        text: str | None,
        source: str | None,
        parse_mode: str | None,
        entities: list[JSON],
        markup: JSON | None,
    ) -> JSON:
        current = message.current
        if (
            text == current.text
            and entities == current.entities
            and markup == (current.reply_markup)
        ):
            raise bad_request(_NOT_MODIFIED)
        seq = self._next_seq()
        message.versions.append(
            MessageVersion(
                text=text,
                source_text=source,
                parse_mode=parse_mode,
                entities=entities,
                reply_markup=markup,
                edit_date=self.now(),
                seq=seq,
            )
        )
        self._record_event(
            ChatEvent(seq, chat.id, "bot_edit", message.message_id, self._snapshot(message))
        )
        return self._message_json(chat, message)

    # ------------------------------------------------------------------ Bot API methods

    def _register_builtin_methods(self) -> None:
        table: dict[str, MethodHandler] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "logOut": lambda params, files: True,
            "close": lambda params, files: True,
            "sendMessage": self._send_message,
            "sendPhoto": self._send_photo,
            "sendDocument": self._send_document,
            "editMessageText": self._edit_message_text,
            "editMessageCaption": self._edit_message_caption,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "deleteMessages": self._delete_messages,
            "answerCallbackQuery": self._answer_callback_query,
            "sendChatAction": self._send_chat_action,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "setChatMenuButton": self._set_chat_menu_button,
            "getChatMenuButton": self._get_chat_menu_button,
            "getChat": self._get_chat,
            "getChatMember": self._get_chat_member,
            "pinChatMessage": self._pin_chat_message,
            "unpinChatMessage": self._unpin_chat_message,
            "unpinAllChatMessages": self._unpin_all_chat_messages,
            "getFile": self._get_file,
        }
        for kind, field_name in (
            ("Name", "name"),
            ("Description", "description"),
            ("ShortDescription", "short_description"),
        ):
            table[f"setMy{kind}"] = self._bot_text_setter(field_name)
            table[f"getMy{kind}"] = self._bot_text_getter(field_name)
        for name, handler in table.items():
            self.register_method(name, handler)

    def _get_me(self, params: JSON, files: dict[str, UploadedFile]) -> JSON:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _get_updates(self, params: JSON, files: dict[str, UploadedFile]) -> list[JSON]:
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = params.get("offset")
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        if "allowed_updates" in params:
            allowed = params["allowed_updates"]
            self._allowed_updates = list(allowed) if allowed else None

        # A newer getUpdates terminates an older waiting one, like Telegram.
        self._poll_generation += 1
        generation = self._poll_generation
        self._wake_pollers()
        self.last_poll_at = time.monotonic()

        if offset is not None:
            offset = int(offset)
            if offset < 0:
                keep = self._queue[offset:]
                for update in self._queue[: len(self._queue) - len(keep)]:
                    self._consumed.add(update["update_id"])
                self._queue = keep
            else:
                self._queue = [u for u in self._queue if u["update_id"] >= offset]
                self.max_poll_offset = max(self.max_poll_offset, offset)

        deadline = time.monotonic() + timeout
        while True:
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            batch = self._deliverable(limit)
            remaining = deadline - time.monotonic()
            if batch or remaining <= 0 or self._stopping:
                break
            wakeup = self._wakeup
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wakeup.wait(), remaining)
        for update in batch:
            self._consumed.add(update["update_id"])
        self.stats.updates_delivered += len(batch)
        return batch

    def _deliverable(self, limit: int) -> list[JSON]:
        batch: list[JSON] = []
        kept: list[JSON] = []
        for update in self._queue:
            kind = next((k for k in update if k != "update_id"), "")
            allowed = (
                kind in self._allowed_updates
                if self._allowed_updates
                else kind not in _DEFAULT_EXCLUDED_UPDATES
            )
            if not allowed:
                self._consumed.add(update["update_id"])  # Telegram never stores these
                self.filtered_update_ids.add(update["update_id"])
                continue
            kept.append(update)
            if len(batch) < limit:
                batch.append(update)
        self._queue = kept
        return batch

    def _set_webhook(self, params: JSON, files: dict[str, UploadedFile]) -> bool:
        url = params.get("url") or ""
        if url and not str(url).startswith(("https://", "http://")):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        if params.get("drop_pending_updates"):
            self._drop_pending()
        if not url:
            self.webhook = None
            return True
        self.webhook = {
            "url": url,
            "secret_token": params.get("secret_token"),
            "max_connections": params.get("max_connections", 40),
            "allowed_updates": params.get("allowed_updates"),
            "ip_address": params.get("ip_address"),
        }
        self._poll_generation += 1
        self._wake_pollers()
        return True

    def _delete_webhook(self, params: JSON, files: dict[str, UploadedFile]) -> bool:
        self.webhook = None
        if params.get("drop_pending_updates"):
            self._drop_pending()
        return True

    def _drop_pending(self) -> None:
        for update in self._queue:
            self._consumed.add(update["update_id"])
        self._queue = []

    def _get_webhook_info(self, params: JSON, files: dict[str, UploadedFile]) -> JSON:
        info: JSON = {
            "url": (self.webhook or {}).get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._queue),
        }
        if self.webhook:
            info["max_connections"] = self.webhook["max_connections"]
            if self.webhook.get("allowed_updates"):
                info["allowed_updates"] = self.webhook["allowed_updates"]
        return info

    def _send_message(self, params: JSON, files: dict[str, UploadedFile]) -> JSON:
        chat = self._target_chat(params)
        message = self._add_bot_message(chat, "text", params, text_key="text")
        return self._message_json(chat, message)

    def _send_photo(self, params: JSON, files: dict[str, UploadedFile]) -> JSON:
        chat = self._target_chat(params)
        photo = self._input_file(params, files, "photo", "photo")
        if self.validate_images and photo.url is None and _image_size(photo.data) is None:
            raise bad_request("IMAGE_PROCESS_FAILED")
        message = self._add_bot_message(chat, "photo", params, text_key="caption", photo=photo)
        return self._message_json(chat, message)

    def _send_document(self, params: JSON, files: dict[str, UploadedFile]) -> JSON:
        chat = self._target_chat(params)
        document = self._input_file(params, files, "document", "document")
        message = self._add_bot_message(
            chat, "document", params, text_key="caption", document=document
        )
        return self._message_json(chat, message)

    def _edit_message_text(self, params: JSON, files: dict[str, UploadedFile]) -> JSON:
        chat = self._target_chat(params)
        message = self._message_for_edit(chat, params)
        if message.kind != "text":
            raise bad_request("there is no text in the message to edit")
        parsed, source = self._text_params(params, "text", caption=False)
        markup = validate_reply_markup(params.get("reply_markup"))
        return self._apply_edit(
            chat,
            message,
            text=parsed.text,
            source=source,
            parse_mode=params.get("parse_mode"),
            entities=parsed.entities,
            markup=markup,
        )

    def _edit_message_caption(self, params: JSON, files: dict[str, UploadedFile]) -> JSON:
        chat = self._target_chat(params)
        message = self._message_for_edit(chat, params)
        if message.kind == "text":
            raise bad_request("there is no caption in the message to edit")
        parsed, source = self._text_params(params, "caption", caption=True)
        markup = validate_reply_markup(params.get("reply_markup"))
        return self._apply_edit(
            chat,
            message,
            text=parsed.text or None,
            source=source,
            parse_mode=params.get("parse_mode"),
            entities=parsed.entities,
            markup=markup,
        )

    def _edit_message_reply_markup(self, params: JSON, files: dict[str, UploadedFile]) -> JSON:
        chat = self._target_chat(params)
        message = self._message_for_edit(chat, params)
        markup = validate_reply_markup(params.get("reply_markup"))
        current = message.current
        return self._apply_edit(
            chat,
            message,
            text=current.text,
            source=current.source_text,
            parse_mode=current.parse_mode,
            entities=current.entities,
            markup=markup,
        )

    def _delete_one(self, chat: Chat, message_id: Any) -> bool:
        message = chat.messages.get(message_id)
        if message is not None and not message.deleted:
            message.deleted = True
            self._event(chat.id, "bot_delete", message.message_id)
            return True
        user_message = chat.user_messages.get(message_id)
        if user_message is not None and not user_message.deleted:
            user_message.deleted = True
            self._event(chat.id, "user_message_deleted", user_message.message_id)
            return True
        return False

    def _delete_message(self, params: JSON, files: dict[str, UploadedFile]) -> bool:
        chat = self._target_chat(params, sending=False)
        if params.get("message_id") is None:
            raise bad_request("message identifier is not specified")
        if not self._delete_one(chat, params["message_id"]):
            raise bad_request("message to delete not found")
        return True

    def _delete_messages(self, params: JSON, files: dict[str, UploadedFile]) -> bool:
        chat = self._target_chat(params, sending=False)
        ids = params.get("message_ids")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise bad_request("message_ids must be a non-empty list of at most 100 ids")
        for message_id in ids:
            self._delete_one(chat, message_id)
        return True

    def _answer_callback_query(self, params: JSON, files: dict[str, UploadedFile]) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        record = self.callback_queries.get(query_id)
        text = params.get("text")
        show_alert = bool(params.get("show_alert"))

        def attempt(accepted: bool, error: str | None = None) -> CallbackAnswer:
            answer = CallbackAnswer(
                seq=self._next_seq(),
                text=text,
                show_alert=show_alert,
                url=params.get("url"),
                cache_time=params.get("cache_time"),
                accepted=accepted,
                error=error,
            )
            if record is not None:
                record.attempts.append(answer)
                self._record_event(
                    ChatEvent(
                        answer.seq,
                        record.chat_id,
                        "callback_answer",
                        record.message_id,
                        {"query_id": record.id, "answer": answer},
                    )
                )
            return answer

        if record is None or record.answered:
            attempt(False, _QUERY_INVALID)
            raise bad_request(_QUERY_INVALID)
        if text is not None and utf16_len(str(text)) > MAX_CALLBACK_ANSWER:
            attempt(False, "MESSAGE_TOO_LONG")
            raise bad_request("MESSAGE_TOO_LONG")
        attempt(True)
        return True

    def _send_chat_action(self, params: JSON, files: dict[str, UploadedFile]) -> bool:
        self._target_chat(params)
        if params.get("action") not in _CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

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

    def _get_file(self, params: JSON, files: dict[str, UploadedFile]) -> JSON:
        upload = self.files.get(str(params.get("file_id") or ""))
        if upload is None:
            raise bad_request("invalid file_id")
        return {
            "file_id": upload.file_id,
            "file_unique_id": upload.file_unique_id,
            "file_size": upload.size,
            "file_path": upload.file_path,
        }

    def _bot_text_setter(self, field_name: str) -> MethodHandler:
        def handler(params: JSON, files: dict[str, UploadedFile]) -> bool:
            language = validate_language_code(params.get("language_code"))
            value = params.get(field_name) or ""
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
