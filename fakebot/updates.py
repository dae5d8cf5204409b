"""Updates in Telegram's JSON shape (messages, edits, button presses, blocks) and their delivery
through long polling (getUpdates) or a webhook.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import re
import time

from fakebot.formatting import utf16_len
from fakebot.records import CallbackQueryRecord, UploadedFile, UserMessage
from fakebot.state import JSON, RecordedState
from fakebot.validation import ApiError, bad_request

# Update types Telegram delivers when allowed_updates is empty/unset.
_DEFAULT_EXCLUDED_UPDATES = {"chat_member", "message_reaction", "message_reaction_count"}


_COMMAND_ENTITY_RE = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")


def _command_entities(text: str) -> list[JSON]:
    """The ``bot_command`` entity Telegram gives a user's text that starts with a /command."""
    match = _COMMAND_ENTITY_RE.match(text)
    if match is None:
        return []
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(match.group())}]


class UpdateSource(RecordedState):
    """Creates updates and hands them out (getUpdates, setWebhook, deleteWebhook, ...)."""

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
            if entities := _command_entities(text):
                message["entities"] = entities
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
        if entities := _command_entities(new_text):
            message["entities"] = entities
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

    def _wake_pollers(self) -> None:
        event, self._wakeup = self._wakeup, asyncio.Event()
        event.set()

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
