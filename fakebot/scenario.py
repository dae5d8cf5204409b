"""Scenario API: tests that read like a user talking to the bot.

    tg.attach(app)                      # deliver updates straight to app.process_update
    anna = tg.user("Anna")
    replies = await anna.says("/start")
    assert "Welkom" in replies.only.text
    await anna.press("Ja")
    assert anna.last_reply.buttons == [["Terug"]]
    anna.assert_callbacks_answered()

Updates are delivered by a :class:`Driver` (`fakebot.drivers`):

* :meth:`Driver.direct` (default choice): builds ``telegram.Update`` objects and awaits
  ``Application.process_update``; deterministic and fast.  The bot's own API calls still go
  over real HTTP to the fake server.
* :meth:`Driver.polling`: queues the update for ``getUpdates``, for bots running ptb's real
  Updater (in-process or as a subprocess).  Waits until the update was fetched, the bot polled
  again past it, and no API request has been made for ``quiet`` seconds.
* :meth:`Driver.webhook`: POSTs the update to the webhook the bot registered, then waits
  like the polling driver.

Replies returned by ``says``/``press``/... are the bot messages sent or edited in that chat
while the update was processed (deleted ones left out), as live :class:`Reply` views.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from fakebot.drivers import (
    FAILURE_CONTEXT_EVENTS,
    BotRaised,
    DirectDriver,
    Driver,
    PollingDriver,
    WebhookDriver,
)
from fakebot.records import BotMessage, CallbackQueryRecord, Chat, UserMessage

if TYPE_CHECKING:
    from fakebot.server import FakeTelegram

__all__ = [
    "BotRaised",
    "ButtonNotFound",
    "ChatUser",
    "DirectDriver",
    "Driver",
    "PollingDriver",
    "Replies",
    "Reply",
    "WebhookDriver",
]

JSON = dict[str, Any]


class ButtonNotFound(AssertionError):
    """The button a test wanted to press is not there (message includes the transcript)."""


# --------------------------------------------------------------------------- replies


_T = TypeVar("_T")


class _FromMessage(Generic[_T]):
    """A read-only attribute of :class:`Reply` that reads the same attribute of its live
    :class:`BotMessage`, so a reply always shows the message as it is now."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, reply: None, owner: type) -> _FromMessage[_T]: ...
    @overload
    def __get__(self, reply: Reply, owner: type) -> _T: ...
    def __get__(self, reply: Reply | None, owner: type) -> _T | _FromMessage[_T]:
        if reply is None:
            return self
        return getattr(reply.message, self.name)


class Reply:
    """A live view of one bot message in a user's chat (edits show up as they happen)."""

    __slots__ = ("message", "user")

    def __init__(self, user: ChatUser, message: BotMessage) -> None:
        self.user = user
        self.message = message

    # Each of these reads the attribute of the same name of the live message.
    message_id = _FromMessage[int]()
    # Visible text (formatting removed); the caption for photos/documents.
    text = _FromMessage[str]()
    caption = _FromMessage[str | None]()
    # The text exactly as the bot sent it (e.g. with HTML tags).
    source_text = _FromMessage[str | None]()
    parse_mode = _FromMessage[str | None]()
    entities = _FromMessage[list[JSON]]()
    kind = _FromMessage[str]()
    reply_markup = _FromMessage[JSON | None]()
    # Raw inline keyboard rows.
    keyboard = _FromMessage[list[list[JSON]]]()
    # Inline button labels, row by row.
    buttons = _FromMessage[list[list[str]]]()
    button_labels = _FromMessage[list[str]]()
    reply_keyboard = _FromMessage[list[list[str]]]()
    protect_content = _FromMessage[bool]()
    photo = _FromMessage[bytes | None]()
    document = _FromMessage[bytes | None]()
    document_name = _FromMessage[str | None]()
    deleted = _FromMessage[bool]()
    edited = _FromMessage[bool]()

    @property
    def history(self) -> list[str | None]:
        """The visible text of every version, oldest first."""
        return [version.text for version in self.message.versions]

    def button(self, label: str) -> JSON:
        """The inline button matching ``label`` (exact, else unique substring)."""
        return self.user._find_button(self.message, label)

    def has_button(self, label: str) -> bool:
        return label in self.button_labels

    async def press(self, label: str) -> Replies:
        return await self.user.press(label, message=self)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Reply):
            return other.message is self.message
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.message.chat_id, self.message.message_id))

    def __repr__(self) -> str:
        return f"<Reply #{self.message_id} {self.text!r} buttons={self.buttons}>"


class Replies(list[Reply]):
    """The bot's messages in response to one update (a plain list with helpers)."""

    def __init__(self, user: ChatUser, replies: Iterable[Reply] = ()) -> None:
        super().__init__(replies)
        self.user = user

    @property
    def transcript(self) -> str:
        return self.user._context()

    @property
    def texts(self) -> list[str]:
        return [reply.text for reply in self]

    @property
    def only(self) -> Reply:
        """The single reply; fails readably when there were none or several."""
        if len(self) != 1:
            raise AssertionError(
                f"expected exactly one reply, got {len(self)}: {self.texts}\n\n{self.transcript}"
            )
        return self[0]

    @property
    def last(self) -> Reply:
        if not self:
            raise AssertionError(f"the bot did not reply\n\n{self.transcript}")
        return self[-1]


# --------------------------------------------------------------------------- users


MessageRef = Reply | BotMessage | int


class ChatUser:
    """A Telegram user in a private chat with the bot.  Create with ``tg.user(...)``."""

    def __init__(self, tg: FakeTelegram, user_id: int) -> None:
        self.tg = tg
        self.id = user_id

    # -- identity --------------------------------------------------------------------
    @property
    def chat_id(self) -> int:
        return self.id

    @property
    def chat(self) -> Chat:
        return self.tg.chat(self.id)

    @property
    def first_name(self) -> str:
        return self.chat.first_name or ""

    @property
    def language_code(self) -> str | None:
        return self.chat.language_code

    @property
    def blocked(self) -> bool:
        return bool(self.chat.blocked)

    def __repr__(self) -> str:
        return f"<ChatUser {self.first_name} id={self.id}>"

    # -- actions ---------------------------------------------------------------------
    def _require_unblocked(self) -> None:
        if self.chat.blocked:
            raise AssertionError(
                f"{self.first_name} has blocked the bot and cannot talk to it; "
                "call unblocks_bot() first"
            )

    async def _deliver(self, update: JSON) -> Replies:
        driver = self.tg.driver
        if driver is None:
            raise RuntimeError(
                "no driver: call tg.attach(app) (direct delivery) or "
                "tg.use(Driver.polling(...)) before letting users talk"
            )
        start = self.tg.current_seq
        await driver.deliver(self.tg, update)
        return self._replies_since(start)

    def _replies_since(self, start: int) -> Replies:
        seen: dict[int, BotMessage] = {}
        for event in self.tg.events_for(self.id, since=start):
            if event.kind in ("bot_message", "bot_edit") and event.message_id is not None:
                seen.setdefault(event.message_id, self.chat.messages[event.message_id])
        return Replies(self, (Reply(self, m) for m in seen.values() if not m.deleted))

    async def says(self, text: str, *, reply_to: MessageRef | None = None) -> Replies:
        """Send a text message (a ``/command`` gets its bot_command entity)."""
        self._require_unblocked()
        reply_id = self._message_id(reply_to) if reply_to is not None else None
        return await self._deliver(
            self.tg.message_update(self.id, text, reply_to_message_id=reply_id)
        )

    async def command(self, name: str, *args: str) -> Replies:
        """``await user.command("start", "payload")`` == ``says("/start payload")``."""
        text = "/" + name.lstrip("/")
        if args:
            text += " " + " ".join(args)
        return await self.says(text)

    async def sends(self, text: str | None = None, **fields: Any) -> Replies:
        """Send a message with arbitrary Message fields, e.g. ``contact={...}``."""
        self._require_unblocked()
        return await self._deliver(self.tg.message_update(self.id, text, extra=fields))

    async def sends_document(
        self,
        data: bytes,
        filename: str,
        *,
        mime_type: str = "application/octet-stream",
        caption: str | None = None,
    ) -> Replies:
        """Send a document; the bot can getFile/download it from the fake server."""
        self._require_unblocked()
        upload = self.tg.register_file(data, filename=filename, mime_type=mime_type)
        document = {**upload.to_json(), "file_name": filename, "mime_type": mime_type}
        fields: JSON = {"document": document}
        if caption is not None:
            fields["caption"] = caption
        return await self._deliver(self.tg.message_update(self.id, None, extra=fields))

    async def sends_photo(self, data: bytes, *, caption: str | None = None) -> Replies:
        """Send a photo (stored so the bot can getFile/download it)."""
        self._require_unblocked()
        upload = self.tg.register_file(data, filename="photo.jpg", kind="photo")
        fields: JSON = {"photo": [{**upload.to_json(), "width": 800, "height": 600}]}
        if caption is not None:
            fields["caption"] = caption
        return await self._deliver(self.tg.message_update(self.id, None, extra=fields))

    async def edits(self, message: UserMessage | int | None, new_text: str) -> Replies:
        """Edit one of the user's own messages (None: the latest) -> ``edited_message``."""
        self._require_unblocked()
        if message is None:
            mine = self.sent_messages
            if not mine:
                raise AssertionError(f"{self.first_name} has not sent anything to edit")
            message = mine[-1]
        message_id = message.message_id if isinstance(message, UserMessage) else message
        return await self._deliver(self.tg.edited_message_update(self.id, message_id, new_text))

    async def press(self, label: str, *, message: MessageRef | None = None) -> Replies:
        """Press the inline button ``label`` (exact label, else a unique substring) on
        ``message`` or on the latest bot message with an inline keyboard."""
        self._require_unblocked()
        target = self._resolve(message) if message is not None else self._keyboard_message()
        if target is None:
            raise ButtonNotFound(
                f"{self.first_name} wants to press {label!r}, but no bot message has an "
                f"inline keyboard\n\n{self._context()}"
            )
        if target.deleted:
            raise ButtonNotFound(
                f"message #{target.message_id} was deleted; its buttons cannot be pressed"
                f"\n\n{self._context()}"
            )
        button = self._find_button(target, label)
        data = button.get("callback_data")
        if data is None:
            raise ButtonNotFound(
                f"button {button.get('text')!r} on #{target.message_id} is not a callback "
                f"button: {button}\n\n{self._context()}"
            )
        update = self.tg.callback_query_update(
            self.id, target.message_id, data, label=button.get("text")
        )
        return await self._deliver(update)

    async def press_data(self, data: str, message: MessageRef) -> Replies:
        """Send a callback query with raw ``data`` from ``message`` (e.g. a stale button
        from an older keyboard version) without checking that the button exists."""
        self._require_unblocked()
        target = self._resolve(message)
        return await self._deliver(self.tg.callback_query_update(self.id, target.message_id, data))

    async def blocks_bot(self) -> Replies:
        """Block the bot: sends get 403 from now on; the bot gets ``my_chat_member``."""
        return await self._deliver(self.tg.my_chat_member_update(self.id, blocked=True))

    async def unblocks_bot(self) -> Replies:
        """Unblock the bot (``my_chat_member`` kicked -> member).  Real clients then also
        send /start; do that explicitly with ``says("/start")`` if wanted."""
        return await self._deliver(self.tg.my_chat_member_update(self.id, blocked=False))

    # -- what the user sees ------------------------------------------------------------
    @property
    def replies(self) -> list[Reply]:
        """All bot messages in this chat still visible (not deleted), oldest first."""
        return [Reply(self, m) for m in self.tg.messages(self.id)]

    @property
    def last_reply(self) -> Reply:
        """The latest visible bot message (edits applied); fails readably if none."""
        messages = self.tg.messages(self.id)
        if not messages:
            raise AssertionError(
                f"the bot has not sent {self.first_name} anything\n\n{self._context()}"
            )
        return Reply(self, messages[-1])

    @property
    def reply_keyboard(self) -> list[list[str]]:
        """Labels of the custom (reply) keyboard currently shown, ``[]`` when none.

        The latest bot message carrying a ``keyboard`` or ``remove_keyboard`` decides."""
        for message in reversed(self.chat.bot_messages):
            markup = message.versions[0].reply_markup or {}
            if "keyboard" in markup:
                return message.reply_keyboard
            if markup.get("remove_keyboard"):
                return []
        return []

    @property
    def sent_messages(self) -> list[UserMessage]:
        """Messages this user sent, oldest first (deleted ones included)."""
        return sorted(self.chat.user_messages.values(), key=lambda m: m.message_id)

    @property
    def callback_answers(self) -> list[CallbackQueryRecord]:
        """This user's callback queries (button presses) with their answers, oldest first."""
        return [q for q in self.tg.callback_queries.values() if q.chat_id == self.id]

    @property
    def last_callback_answer(self) -> CallbackQueryRecord:
        queries = self.callback_answers
        if not queries:
            raise AssertionError(f"{self.first_name} has not pressed any button")
        return queries[-1]

    def assert_callbacks_answered(self) -> None:
        """Each of this user's button presses got exactly one answerCallbackQuery."""
        bad = [q for q in self.callback_answers if len(q.attempts) != 1 or not q.answered]
        if bad:
            lines = [
                f"press of {q.label or q.data!r} (query {q.id}): {len(q.attempts)} "
                f"answerCallbackQuery attempt(s), answered={q.answered}"
                for q in bad
            ]
            raise AssertionError("\n".join(lines) + "\n\n" + self._context())

    @property
    def menu_commands(self) -> list[tuple[str, str]]:
        """The command menu this user sees (scope/language resolution like Telegram)."""
        return self.tg.effective_commands(self.id)

    @property
    def menu_button(self) -> JSON:
        return self.tg.menu_button(self.id)

    def transcript(self, *, last: int | None = None) -> str:
        """The chat so far, readable (only the ``last`` N events when given)."""
        return self.tg.transcript(self.id, last=last)

    def _context(self) -> str:
        return self.transcript(last=FAILURE_CONTEXT_EVENTS)

    # -- helpers ---------------------------------------------------------------------
    def _message_id(self, ref: MessageRef) -> int:
        if isinstance(ref, Reply):
            return ref.message_id
        if isinstance(ref, BotMessage):
            return ref.message_id
        return int(ref)

    def _resolve(self, ref: MessageRef) -> BotMessage:
        message_id = self._message_id(ref)
        message = self.chat.messages.get(message_id)
        if message is None:
            raise AssertionError(
                f"no bot message #{message_id} in {self.first_name}'s chat\n\n{self._context()}"
            )
        return message

    def _keyboard_message(self) -> BotMessage | None:
        for message in reversed(self.tg.messages(self.id)):
            if message.keyboard:
                return message
        return None

    def _find_button(self, message: BotMessage, label: str) -> JSON:
        buttons = [button for row in message.keyboard for button in row]
        exact = [b for b in buttons if b.get("text") == label]
        if len(exact) == 1:
            return exact[0]
        candidates = exact or [b for b in buttons if label in b.get("text", "")]
        if not candidates:
            folded = label.casefold()
            candidates = [b for b in buttons if folded in b.get("text", "").casefold()]
        if len(candidates) == 1:
            return candidates[0]
        problem = "is ambiguous" if candidates else "is not there"
        raise ButtonNotFound(
            f"button {label!r} {problem} on bot message #{message.message_id}; "
            f"available: {_labels(message.buttons)}\n\n{self._context()}"
        )


def _labels(rows: Iterable[Iterable[str]]) -> str:
    return " / ".join(" ".join(f"[{label}]" for label in row) for row in rows) or "(none)"
