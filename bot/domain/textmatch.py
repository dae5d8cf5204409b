"""Shared text helpers for tolerant matching of Dutch user input.

Pure functions: normalisation, tokenisation with character offsets into the original text,
and a bounded edit distance with a typo budget that scales with word length.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "COMMON_WORDS",
    "Token",
    "edit_distance",
    "fuzzy_cost",
    "max_typos",
    "normalize",
    "strip_accents",
    "tokenize",
]

# Letters and digits form words; everything else (hyphens, slashes, punctuation) separates them.
_WORD_RE = re.compile(r"[^\W_]+")
_NON_WORD_RE = re.compile(r"[\W_]+")


def strip_accents(text: str) -> str:
    """Remove diacritics: "Odiliënberg" -> "Odilienberg", "Ohé" -> "Ohe"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _fold(word: str) -> str:
    return strip_accents(word).casefold()


def normalize(text: str) -> str:
    """Lowercase, strip accents, turn hyphens/punctuation into single spaces, trim."""
    return _NON_WORD_RE.sub(" ", _fold(text)).strip()


@dataclass(frozen=True)
class Token:
    """A word in the original text: normalised form plus its character span."""

    norm: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Split into word tokens, keeping offsets into the *original* text."""
    tokens = []
    for m in _WORD_RE.finditer(text):
        # Folding may expand a character (e.g. "ß"); drop anything non-alphanumeric it yields.
        norm = _NON_WORD_RE.sub("", _fold(m.group()))
        if norm:
            tokens.append(Token(norm, m.start(), m.end()))
    return tokens


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (Levenshtein plus adjacent swaps), capped.

    Returns ``limit + 1`` as soon as the distance is known to exceed ``limit``, so the cost
    stays O(len * limit) in practice for the short words we compare.
    """
    if a == b:
        return 0
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] | None = None
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        row_min = cur[0]
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            val = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if prev2 is not None and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                val = min(val, prev2[j - 2] + 1)
            cur[j] = val
            row_min = min(row_min, val)
        if row_min > limit:
            return limit + 1
        prev2, prev = prev, cur
    return min(prev[-1], limit + 1)


def max_typos(length: int) -> int:
    """Typo budget by word length: none below 4 letters, 1 up to 7, 2 from 8 letters."""
    if length < 4:
        return 0
    if length < 8:
        return 1
    return 2


# Frequent Dutch words (and a few English ones) that must never be read as a typo of a
# place or vocabulary term: "melden" is not "Helden", "week" is not "werk", "leuke" is not
# "Leuken". Exact matches are unaffected: this only switches off typo tolerance.
COMMON_WORDS: frozenset[str] = frozenset(
    """
    aan aanbod aantal achter af afspraak al alle alleen alles als alsof altijd ander andere
    anders avond baan bedankt beetje beide bekend belde bellen ben benen beter bij binnen
    blijft blijven boek boeken bracht brengen brief buiten buurt daar daarna dag dagen dak
    dan dank dat de deed deel deze die dit doen dorp dus echt een eens eerst eigen eind
    elke enkele er erg even ga gaan gaat geen geld gelden geven gebeld geweest goed goede
    graag groep groot had hadden halen half hard harten heb hebben heeft heel heer helemaal
    helpen hem hen het hier hield hielden hij hoe hoor horen houden huis hun ik in is ja je
    jij jou jouw kan kant keer kent kerk kijken klein komen komt kon konden kort kunnen kwam
    kwamen laat laatste land lang langs later leven leuk leuke leuker lijkt maar maand maken
    man mee meer meest melden men met mij mijn moet moeten mogen morgen na naam naar nee
    neer nemen net niet niets nieuw nieuwe nog nooit nu of ok oke om omdat ook op open over
    paar per praten rond samen school snel soms staat stad steeds straat tegen tel terug
    thuis tijd toch toen tot twee uit uur vaak vak van veel velden ver verder via vind vinden
    vond voor vooral vraag vragen vrouw waar wanneer want waren was wat we week weer weet
    wel werd werk werken wie wij wil willen wordt zal ze zeer zei zelf zien ziet zij zijn zo
    zoals zou zouden zullen
    gisteren eergisteren luisteren sorteren planningen spanningen penningen winningen
    aanbracht afmelden afleiden afwerken beelden helen hallen heden heen heten heren heven
    hoest leken lekken leugen leuven kempen kessels mossel moezel steel steil stel stijl
    smaakt smart weest weegt weekt weent armen nieuws nieuwstad nieuwstraat paneel
    verstoord rogge meel merel ober
    maastricht kassel mierlo meerle montfoort helmond zelfs gezien
    groen greep griep groet groei werkt welk verliet verliep verliest versies scheiden
    schelden schudden huid huil wenen wonden zoek ziel meewerken omvang voorzichtig verklaring
    bereid geldt gele drang drink gewend geteld gemeld bespreking bedenking inkoop huwelijk
    heimelijk huisadres straal
    """.split()
)


@lru_cache(maxsize=65536)
def fuzzy_cost(word: str, target: str, *, first_letter: bool = True) -> int | None:
    """Number of typos needed to read normalised ``word`` as ``target``, or None if too many.

    Both must already be normalised tokens. No tolerance for words shorter than 4 letters or
    for common words. With ``first_letter`` (default) both must start with the same letter:
    first-letter typos are rare and allowing them pairs too many real words with names
    ("melden"/"Helden", "gisteren"/"Dieteren").
    """
    if word == target:
        return 0
    if word in COMMON_WORDS:
        return None
    budget = max_typos(min(len(word), len(target)))
    if budget == 0:
        return None
    if first_letter and word[0] != target[0]:
        return None
    # Digits are never typos of letters: "mei2" is not "mei".
    if any(ch.isdigit() for ch in word) != any(ch.isdigit() for ch in target):
        return None
    dist = edit_distance(word, target, budget)
    return dist if dist <= budget else None


def best_fuzzy(word: str, targets: Iterable[str]) -> tuple[str, int] | None:
    """Closest target for a single normalised word (ties: first in order)."""
    best: tuple[str, int] | None = None
    for t in targets:
        cost = fuzzy_cost(word, t)
        if cost is not None and (best is None or cost < best[1]):
            best = (t, cost)
            if cost == 0:
                break
    return best


def token_seq_cost(
    words: Sequence[str],
    target: Sequence[str],
    cost: Callable[[str, str], int | None] = fuzzy_cost,
) -> int | None:
    """Typo cost of reading token sequence ``words`` as ``target`` (same length), or None;
    ``cost`` reads one word as one target word."""
    if len(words) != len(target):
        return None
    total = 0
    for w, t in zip(words, target, strict=True):
        c = cost(w, t)
        if c is None:
            return None
        total += c
    return total


# Dutch number words up to twelve (the counts and hours people write out).
NUMBER_WORDS: dict[str, int] = {
    "een": 1,
    "één": 1,
    "twee": 2,
    "drie": 3,
    "vier": 4,
    "vijf": 5,
    "zes": 6,
    "zeven": 7,
    "acht": 8,
    "negen": 9,
    "tien": 10,
    "elf": 11,
    "twaalf": 12,
}
