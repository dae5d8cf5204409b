"""Human-readable chat transcripts for assertion messages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fakebot.records import ChatEvent
    from fakebot.server import FakeTelegram

__all__ = ["render_transcript"]

_INDENT = "      "


def _indent_text(text: str, prefix: str) -> list[str]:
    lines = (text or "").splitlines() or [""]
    return [prefix + lines[0]] + [_INDENT + line for line in lines[1:]]


def _keyboard_lines(detail: dict[str, Any]) -> list[str]:
    lines = [_INDENT + " ".join(f"[{label}]" for label in row) for row in detail.get("buttons", [])]
    for row in detail.get("reply_keyboard", []):
        lines.append(_INDENT + " ".join(f"<{label}>" for label in row))
    return lines


def _render_event(event: ChatEvent, user: str) -> list[str]:
    detail = event.detail
    ref = f"#{event.message_id}" if event.message_id is not None else ""
    kind = event.kind
    if kind == "user_message":
        text = detail.get("text")
        extra = detail.get("extra") or {}
        if text is None:
            text = "<" + ", ".join(sorted(extra)) + ">" if extra else "<empty message>"
        elif extra:
            text += "  <" + ", ".join(sorted(extra)) + ">"
        return _indent_text(text, f"{ref:>5} {user}: ")
    if kind == "user_edit":
        return _indent_text(detail.get("text") or "", f"{ref:>5} {user} edits: ")
    if kind == "user_callback":
        label = detail.get("label")
        what = f"[{label}]" if label is not None else "a button"
        return [f"{ref:>5} {user} presses {what} (data={detail.get('data')!r})"]
    if kind == "callback_answer":
        answer = detail["answer"]
        if not answer.accepted:
            return [f"{_INDENT}(answerCallbackQuery rejected: {answer.error})"]
        shown = "" if answer.text is None else f" {answer.text!r}"
        alert = " as alert" if answer.show_alert else ""
        return [f"{_INDENT}(callback answered{shown}{alert})"]
    if kind in ("bot_message", "bot_edit"):
        verb = "bot" if kind == "bot_message" else "bot edits"
        text = detail.get("text") or ""
        if detail.get("file"):
            text = f"<{detail['file']}> {text}".rstrip()
        if detail.get("protect_content"):
            text += "  <protected>"
        return _indent_text(text, f"{ref:>5} {verb}: ") + _keyboard_lines(detail)
    if kind == "bot_delete":
        return [f"{ref:>5} bot deletes its message"]
    if kind == "user_message_deleted":
        return [f"{ref:>5} bot deletes {user}'s message"]
    if kind == "user_blocked":
        return [f"      {user} blocks the bot"]
    if kind == "user_unblocked":
        return [f"      {user} unblocks the bot"]
    return [f"{ref:>5} {kind} {detail}"]


def render_transcript(tg: FakeTelegram, chat_id: int, *, last: int | None = None) -> str:
    """Render the events of one chat, oldest first (only the ``last`` N when given)."""
    chat = tg.chat(chat_id)
    events = tg.events_for(chat_id)
    header = f"--- transcript: chat {chat.id} with {chat.display_name} ---"
    lines = [header]
    if last is not None and len(events) > last:
        lines.append(f"      ({len(events) - last} earlier events left out)")
        events = events[-last:]
    for event in events:
        lines.extend(_render_event(event, chat.first_name or chat.display_name))
    if not events:
        lines.append("      (nothing happened in this chat yet)")
    lines.append("-" * len(header))
    return "\n".join(lines)
