"""Checks of what an expert types or taps in the contact dialogue, and typed vocabulary.

Each check returns None when fine, else a short error code the handler turns into text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.domain import limits, vocabmatch
from bot.domain.contact_draft.draft import (
    MAX_CONTACT_MINUTES,
    MAX_RESIDENTS,
    MAX_STORY_CHARS,
    MAX_VINDPLEK_CHARS,
    MIN_STORY_CHARS,
)
from bot.domain.textmatch import NUMBER_WORDS

# --------------------------------------------------------------------------- validation


def check_date(d: date, today: date, max_back_days: int) -> str | None:
    return limits.check_work_date(d, today, max_back_days)


def check_duration(minutes: int) -> str | None:
    return limits.check_minutes(minutes, minimum=1, maximum=MAX_CONTACT_MINUTES)


def check_count(n: int) -> str | None:
    if n < 1:
        return "too_few"
    if n > MAX_RESIDENTS:
        return "too_many"
    return None


def check_new(n_new: int, count: int) -> str | None:
    if n_new < 0:
        return "too_few"
    if n_new > count:
        return "more_than_count"
    return None


def check_story_length(text: str) -> str | None:
    return limits.check_text_length(
        text.strip(), max_chars=MAX_STORY_CHARS, min_chars=MIN_STORY_CHARS
    )


def check_vindplek_name(text: str) -> str | None:
    name = clean_name(text)
    if len(name) < 2 or not any(ch.isalpha() for ch in name):
        return "no_letters"
    if len(name) > MAX_VINDPLEK_CHARS:
        return "too_long"
    return None


def clean_name(text: str) -> str:
    """A typed place name tidied up: single spaces, no control characters, first letter up."""
    name = " ".join("".join(ch for ch in text if ch.isprintable()).split())
    return name[:1].upper() + name[1:]


def parse_count(text: str) -> int | None:
    """A typed number of residents: digits ("7", " 12 ") or a small Dutch number word."""
    s = text.strip().lower()
    if s.endswith("+"):
        s = s[:-1].strip()
    if s in NUMBER_WORDS:
        return NUMBER_WORDS[s]
    return int(s) if s.isascii() and s.isdigit() and len(s) <= 6 else None


# The day's total (contacts + indirect hours + this one) against the limit.
day_total_too_high = limits.day_total_too_high


# --------------------------------------------------------------------------- vocabulary matching


@dataclass(frozen=True)
class VocabItem:
    id: int
    code: str
    label: str
    aliases: tuple[str, ...] = ()


def match_vocab(text: str, items: Sequence[VocabItem]) -> VocabItem | None:
    """The one entry a typed word means (see ``bot.domain.vocabmatch``)."""
    return vocabmatch.match_term(text, items)


def match_vocab_list(text: str, items: Sequence[VocabItem]) -> tuple[list[VocabItem], list[str]]:
    """Several entries typed in one line ("armoede, eenzaamheid"): matches and leftovers."""
    return vocabmatch.match_terms(text, items)
