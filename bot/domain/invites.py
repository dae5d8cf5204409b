"""Registration codes: 128-bit random, shown once, stored only as a hash."""

from __future__ import annotations

import hashlib
import secrets

CODE_BYTES = 16  # 128 bits
# Telegram deep-link payloads allow A-Z a-z 0-9 _ - and at most 64 characters.
MAX_PAYLOAD = 64


def new_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


def hash_code(code: str) -> str:
    return hashlib.sha256(code.strip().encode("utf-8")).hexdigest()


def looks_like_code(text: str) -> bool:
    text = text.strip()
    return 16 <= len(text) <= MAX_PAYLOAD and all(c.isalnum() or c in "_-" for c in text)


def deep_link(bot_username: str, code: str) -> str:
    return f"https://t.me/{bot_username}?start={code}"
