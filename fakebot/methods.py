"""Bot API methods that send, edit, delete and answer: sendMessage, sendPhoto, sendDocument,
editMessage*, deleteMessage(s), answerCallbackQuery, sendChatAction.
"""

from __future__ import annotations

from typing import Any, Literal

from fakebot.formatting import EntityParseError, ParsedText, parse_formatted, utf16_len
from fakebot.records import (
    BotMessage,
    CallbackAnswer,
    Chat,
    ChatEvent,
    MessageVersion,
    UploadedFile,
)
from fakebot.state import JSON, RecordedState, _image_size
from fakebot.validation import (
    MAX_CALLBACK_ANSWER,
    MAX_CAPTION,
    MAX_TEXT,
    bad_request,
    parse_text,
    validate_reply_markup,
)

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


_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


_QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"


class MessageMethods(RecordedState):
    """Sending, editing and deleting bot messages; answering button presses."""

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

    def _text_params(self, params: JSON, *, caption: bool) -> tuple[ParsedText, str | None]:
        """The message's text (``caption`` for a photo or document) as parsed and as sent."""
        key = "caption" if caption else "text"
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
        self, chat: Chat, kind: str, params: JSON, file: UploadedFile | None = None
    ) -> BotMessage:
        """Record a bot message of ``kind``: "text", or "photo" or "document" with its ``file``."""
        parsed, source = self._text_params(params, caption=kind != "text")
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
            photo_file=file if kind == "photo" else None,
            document_file=file if kind == "document" else None,
            reply_to_message_id=reply_to,
            params=dict(params),
        )
        chat.messages[message_id] = message
        self._record_event(
            ChatEvent(seq, chat.id, "bot_message", message_id, self._snapshot(message))
        )
        return message

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

    def _send_message(self, params: JSON, files: dict[str, UploadedFile]) -> JSON:
        chat = self._target_chat(params)
        message = self._add_bot_message(chat, "text", params)
        return self._message_json(chat, message)

    def _send_photo(self, params: JSON, files: dict[str, UploadedFile]) -> JSON:
        chat = self._target_chat(params)
        photo = self._input_file(params, files, "photo", "photo")
        if self.validate_images and photo.url is None and _image_size(photo.data) is None:
            raise bad_request("IMAGE_PROCESS_FAILED")
        message = self._add_bot_message(chat, "photo", params, photo)
        return self._message_json(chat, message)

    def _send_document(self, params: JSON, files: dict[str, UploadedFile]) -> JSON:
        chat = self._target_chat(params)
        document = self._input_file(params, files, "document", "document")
        message = self._add_bot_message(chat, "document", params, document)
        return self._message_json(chat, message)

    def _edit_message_text(self, params: JSON, files: dict[str, UploadedFile]) -> JSON:
        return self._edit_text_or_caption(params, "text")

    def _edit_message_caption(self, params: JSON, files: dict[str, UploadedFile]) -> JSON:
        return self._edit_text_or_caption(params, "caption")

    def _edit_text_or_caption(self, params: JSON, field: Literal["text", "caption"]) -> JSON:
        """editMessageText on a text message, editMessageCaption on any other kind."""
        chat = self._target_chat(params)
        message = self._message_for_edit(chat, params)
        caption = field == "caption"
        if (message.kind == "text") == caption:
            raise bad_request(f"there is no {field} in the message to edit")
        parsed, source = self._text_params(params, caption=caption)
        markup = validate_reply_markup(params.get("reply_markup"))
        return self._apply_edit(
            chat,
            message,
            text=(parsed.text or None) if caption else parsed.text,
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
