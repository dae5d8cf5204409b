"""The one matcher for vocabulary words (themes, activity types, indirect kinds, reach channels,
referral targets, ...) used by every command and every typed answer.

An entry is named by its code, its label (whole, or the part before " (" / around " / "), or
one of its aliases (seeded from ``bot/data/vocabulary.toml``, edited by the coordinator in the
database). A word matches exactly, inflected ("schulden", "groepen") or with a few typos
(``textmatch.fuzzy_cost``). Pure: the caller passes the entries it loaded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from bot.domain.textmatch import COMMON_WORDS, fuzzy_cost, normalize, token_seq_cost

__all__ = [
    "Term",
    "VocabAlias",
    "alias_table",
    "forms",
    "match_term",
    "match_terms",
    "token_cost",
]


class Term(Protocol):
    """A vocabulary entry as the matcher sees it."""

    @property
    def code(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def aliases(self) -> tuple[str, ...]: ...


T = TypeVar("T", bound=Term)

_SUFFIXES = ("en", "s", "e", "je", "jes", "tje", "tjes", "n")
_LABEL_PARTS = re.compile(r"\s*(?:/|\(|\))\s*")


def forms(entry: Term) -> frozenset[str]:
    """Every normalised spelling that names ``entry``."""
    raw = {entry.code.replace("_", " "), entry.label, *entry.aliases}
    raw.update(p for p in _LABEL_PARTS.split(entry.label) if p)
    out = {normalize(r) for r in raw}
    out.update(f.replace(" ", "") for f in list(out) if " " in f)  # "1op1", "huisaanhuis"
    return frozenset(f for f in out if f)


def token_cost(word: str, alias: str) -> int | None:
    """Typos needed to read one normalised word as one alias word (inflections are free)."""
    if word == alias:
        return 0
    if (
        len(alias) >= 4
        and word.startswith(alias)
        and word[len(alias) :] in _SUFFIXES
        and word not in COMMON_WORDS  # "zelfs" is not "zelf"
    ):
        return 0
    if word.isdigit() or alias.isdigit():
        return None
    return fuzzy_cost(word, alias)


def match_term(text: str, entries: Sequence[T]) -> T | None:
    """The one entry a typed answer names, or None (ties: the earlier entry wins)."""
    norm = normalize(text)
    if not norm:
        return None
    best: tuple[int, int, T] | None = None
    words = norm.split()
    for pos, entry in enumerate(entries):
        for form in forms(entry):
            cost = 0 if form == norm else token_seq_cost(words, form.split(), token_cost)
            if cost is not None and (best is None or (cost, pos) < best[:2]):
                best = (cost, pos, entry)
    return best[2] if best else None


def _split_list(text: str) -> Iterable[str]:
    for sep in (";", "/", "\n", " en ", " & ", "+"):
        text = text.replace(sep, ",")
    return (p.strip() for p in text.split(","))


def match_terms(text: str, entries: Sequence[T]) -> tuple[list[T], list[str]]:
    """Several entries in one answer ("armoede, eenzaamheid" or "schulden eenzaam"): the
    entries found, in order, and the parts that name none."""
    found: list[T] = []
    unknown: list[str] = []
    for part in _split_list(text):
        if not part:
            continue
        hit = match_term(part, entries)
        words = part.split()
        if hit is not None or len(words) == 1:
            hits = [hit]
        else:  # "armoede eenzaamheid" without a comma: word by word
            hits = [match_term(w, entries) for w in words]
        if any(h is None for h in hits):
            unknown.append(part)
            continue
        for h in hits:
            if h is not None and h not in found:
                found.append(h)
    return found, unknown


@dataclass(frozen=True)
class VocabAlias:
    """One spelling of one entry, as words, for scanning a line (the one-line entries)."""

    kind: str
    code: str
    tokens: tuple[str, ...]
    kind_rank: int


def alias_table(vocab: Mapping[str, Sequence[Term]], kinds: Sequence[str]) -> list[VocabAlias]:
    """Spellings of every entry of ``kinds`` (in that order of preference) from ``vocab``."""
    out: list[VocabAlias] = []
    for rank, kind in enumerate(kinds):
        for entry in vocab.get(kind, ()):
            for form in sorted(forms(entry)):
                out.append(VocabAlias(kind, entry.code, tuple(form.split()), rank))
    return out
