"""Registration codes: 128-bit random, shown once, stored only as a hash.

Hex, so a code is recognisable when pasted (never mistaken for a word or a place name) and
fits a Telegram deep-link payload."""

from __future__ import annotations

import hashlib
import secrets

CODE_BYTES = 16  # 128 bits
CODE_LENGTH = 2 * CODE_BYTES
HEX = frozenset("0123456789abcdef")


def new_code() -> str:
    return secrets.token_hex(CODE_BYTES)


def hash_code(code: str) -> str:
    return hashlib.sha256(code.strip().encode("utf-8")).hexdigest()


def looks_like_code(text: str) -> bool:
    text = text.strip().lower()
    return len(text) == CODE_LENGTH and set(text) <= HEX


def deep_link(bot_username: str, code: str) -> str:
    return f"https://t.me/{bot_username}?start={code}"
