"""Callback data of dialogue buttons: `<prefix>:<draft id>:<revision>:<action>[:<arg>...]`.

One encoder and one parser for every flow. The draft id and revision make a button from an
older step or another (deleted) draft recognisable; Telegram allows at most 64 bytes, which the
encoder checks so a too long button fails in tests, not in the field.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_CALLBACK_BYTES = 64
_MAX_NUMBER_DIGITS = 18  # ids and revisions fit a 64-bit integer


class CallbackTooLong(ValueError):
    """The encoded callback data is over Telegram's 64 bytes."""


@dataclass(frozen=True, slots=True)
class Callback:
    """A parsed button: which draft, which revision of it, and what to do."""

    prefix: str
    draft_id: int
    revision: int
    action: str
    args: tuple[str, ...] = ()

    @property
    def arg(self) -> str:
        """The first argument, "" when there is none."""
        return self.args[0] if self.args else ""

    @property
    def tail(self) -> str:
        """Action and arguments as one string ("e:date")."""
        return ":".join((self.action, *self.args))

    def encode(self) -> str:
        return encode(self.prefix, self.draft_id, self.revision, self.action, *self.args)


def encode(prefix: str, draft_id: int | None, revision: int, action: str, *args: object) -> str:
    """The callback data of a button; ``ValueError`` for a malformed part, `CallbackTooLong`
    beyond 64 bytes. A prefix may itself contain ":" (e.g. "r:s"); action and args may not."""
    if not prefix or not action or ":" in action:
        raise ValueError(f"bad prefix or action: {prefix!r} {action!r}")
    tail = [str(a) for a in args]
    if any(":" in a for a in tail):
        raise ValueError(f"':' in a callback argument: {tail!r}")
    if draft_id is None or draft_id < 0 or revision < 0:
        raise ValueError("draft id and revision must be non-negative integers")
    data = ":".join([prefix, str(draft_id), str(revision), action, *tail])
    if len(data.encode("utf-8")) > MAX_CALLBACK_BYTES:
        raise CallbackTooLong(f"callback data over {MAX_CALLBACK_BYTES} bytes: {data!r}")
    return data


def _number(text: str) -> int | None:
    # ASCII digits only: "²" is a digit to str.isdigit, not to int().
    if text.isascii() and text.isdigit() and len(text) <= _MAX_NUMBER_DIGITS:
        return int(text)
    return None


def draft_id_of(data: str) -> int | None:
    """The draft id a dialogue button names, whatever its prefix (which may contain ":"):
    the first ``<number>:<number>:<action>`` run. A guess for other buttons: used only to read
    the draft ahead (`bot.storage.drafts.prefetch`); `parse` decides what a button is."""
    parts = data.split(":")
    for i in range(1, len(parts) - 2):
        if parts[i + 2] and _number(parts[i]) is not None and _number(parts[i + 1]) is not None:
            return _number(parts[i])
    return None


def parse(data: str, prefix: str) -> Callback | None:
    """The button ``data`` names if it is one of ``prefix``'s, else None (never raises)."""
    head = prefix + ":"
    if not data.startswith(head):
        return None
    parts = data[len(head) :].split(":")
    if len(parts) < 3:
        return None
    draft_id, revision = _number(parts[0]), _number(parts[1])
    if draft_id is None or revision is None or not parts[2]:
        return None
    return Callback(prefix, draft_id, revision, parts[2], tuple(parts[3:]))
