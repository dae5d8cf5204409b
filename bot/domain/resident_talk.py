"""What a resident's message is about when it is not (only) a walk-in time question.

* a place outside the pool's 14 municipalities ("Maastricht", "ik woon in Geleen");
* a question about the pool ("wat is een inloop?", "wat is een ervaringsdeskundige?",
  "wie zijn jullie?", "who are you");
* a help-seeking sentence ("ik heb schulden, kan iemand helpen?", "I feel lonely");
* "stop" and "bedankt";
* a wish to be called back, or a resident who gives their name or number ("callback":
  "kunnen jullie me bellen?", "mijn naam is ...", "mijn nummer is ..."). Personal data the
  privacy checker finds (`bot.domain.privacy`) is looked for by `walkin_query`.

Pure functions over `textmatch` tokens; the handler decides what to say. Dutch and English.

Decisions:

* Outside places match exactly (no typo tolerance: a typo of a region village must never be
  sent away) and only when no region place is named. Names that are also everyday words
  ("Born", "Beek", "Grave", "Mill") count only as the whole text or after a place preposition.
* "stop" and "bedankt" count only in a short message (≤ 4 and ≤ 8 words): in a longer one they
  are part of a sentence ("ik wil stoppen met drinken" is a help-seeking sentence).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal

from bot.data import OutsidePlaceRef, outside_places
from bot.domain.textmatch import normalize, tokenize

__all__ = ["Topic", "find_outside_place", "has_seq", "topic_of"]

Topic = Literal[
    "stop",
    "thanks",
    "about_inloop",
    "about_spreekuur",
    "about_expert",
    "about_us",
    "help",
    "callback",
]

# Outside names that are also ordinary words: only as the whole text or after a preposition.
_AMBIGUOUS = frozenset(
    {"born", "beek", "stein", "grave", "mill", "haps", "bree", "pelt", "luik", "eys", "epen"}
)
_PREPOSITIONS = frozenset(
    {"in", "te", "uit", "naar", "bij", "rond", "vanuit", "gemeente", "dorp", "from", "near"}
)

_STOP_FIRST = frozenset({"stop", "stoppen", "quit", "cancel", "exit", "genoeg", "doei", "bye"})
_STOP_SEQS = (("laat", "maar"), ("hoeft", "niet"), ("tot", "ziens"), ("stop", "maar"))
_THANKS = frozenset(
    {
        "bedankt",
        "bedankd",
        "dank",
        "dankje",
        "dankjewel",
        "danku",
        "dankuwel",
        "thanks",
        "thank",
        "thx",
        "merci",
    }
)
# Asking to be called (back), or offering one's own name or number.
_CALL_WORDS = frozenset(
    {"bel", "bellen", "belt", "terugbellen", "terugbelt", "opbellen", "opbelt", "call"}
)
_CALL_SEQS = (
    ("mijn", "naam", "is"),
    ("ik", "heet"),
    ("mijn", "nummer"),
    ("mijn", "telefoonnummer"),
    ("mijn", "tel"),
    ("mijn", "mobiel"),
    ("mijn", "06"),
    ("my", "name", "is"),
    ("my", "number"),
    ("my", "phone"),
)  # "bel …", "call …": the call words alone decide (_CALL_WORDS)
_EXPERT_WORDS = frozenset(
    {
        "ervaringsdeskundige",
        "ervaringsdeskundigen",
        "ervaringsdeskundig",
        "ervaringsdeskundigheid",
    }
)
_EXPERT_SEQS = (("peer", "expert"), ("peer", "support"), ("lived", "experience"))
_WHAT = frozenset({"wat", "what", "whats"})
_ABOUT_SEQS = (
    ("wie", "zijn", "jullie"),
    ("wie", "ben", "je"),
    ("wie", "ben", "jij"),
    ("wat", "ben", "je"),
    ("wat", "ben", "jij"),
    ("wat", "doen", "jullie"),
    ("wat", "doe", "je"),
    ("wat", "is", "dit"),
    ("wat", "kan", "ik", "hier"),
    ("wat", "kun", "je"),
    ("wat", "kan", "je"),
    ("who", "are", "you"),
    ("what", "is", "this"),
    ("what", "do", "you", "do"),
    ("what", "can", "you"),
)
# How a walk-in works: free, no appointment, no name.
_HOW_SEQS = (
    ("afspraak", "maken"),
    ("kost", "het"),
    ("is", "het", "gratis"),
    ("hoe", "werkt"),
    ("moet", "ik", "me", "aanmelden"),
    ("need", "an", "appointment"),
    ("how", "does", "it", "work"),
    ("is", "it", "free"),
)
_HELP_WORDS = frozenset(
    """
    schulden schuld geldzorgen geldproblemen rekeningen rekening huurachterstand huur
    eenzaam eenzaamheid depressief somber zorgen stress overspannen burnout werkloos
    ontslagen uitkering toeslagen armoede verslaafd verslaving ruzie problemen probleem
    moeilijk help helpen hulp praten luisteren advies steun vastgelopen wanhopig bang
    debt debts lonely money depressed struggling bills worried anxious support
    """.split()
)


def has_seq(words: Sequence[str], *seq: str) -> bool:
    n = len(seq)
    return any(tuple(words[i : i + n]) == seq for i in range(len(words) - n + 1))


def _any_seq(words: Sequence[str], seqs: Sequence[tuple[str, ...]]) -> bool:
    return any(has_seq(words, *s) for s in seqs)


def topic_of(text: str) -> Topic | None:
    """The topic of a short resident message, or None (a plain time question, or unknown)."""
    words = [t.norm for t in tokenize(text)]
    if not words:
        return None
    wordset = set(words)
    if wordset & _CALL_WORDS or _any_seq(words, _CALL_SEQS):
        return "callback"
    if len(words) <= 8 and wordset & _THANKS:
        return "thanks"
    if len(words) <= 4 and (words[0] in _STOP_FIRST or _any_seq(words, _STOP_SEQS)):
        return "stop"
    if wordset & _EXPERT_WORDS or _any_seq(words, _EXPERT_SEQS):
        return "about_expert"
    walkin_word = (
        any(w.startswith("inloop") for w in words)
        or bool(wordset & {"walkin", "dropin"})
        or _any_seq(words, (("walk", "in"), ("drop", "in")))
    )
    spreekuur_word = any(w.startswith("spreekuur") for w in words)
    asks_what = bool(wordset & _WHAT) and bool(
        wordset & {"is", "betekent", "bedoel", "bedoelen", "houdt", "means", "mean", "a", "een"}
    )
    if asks_what and spreekuur_word and not walkin_word:
        return "about_spreekuur"
    if (asks_what and walkin_word) or _any_seq(words, _HOW_SEQS):
        return "about_inloop"
    if _any_seq(words, _ABOUT_SEQS):
        return "about_us"
    if wordset & _HELP_WORDS or has_seq(words, "ik", "wil", "stoppen"):
        return "help"
    return None


@dataclass(frozen=True)
class _OutsideName:
    tokens: tuple[str, ...]
    ref: OutsidePlaceRef


@cache
def _outside_index() -> dict[str, tuple[_OutsideName, ...]]:
    grouped: dict[str, list[_OutsideName]] = {}
    for ref in outside_places():
        forms = {normalize(ref.name)}
        for form in list(forms):
            if form.startswith("s "):  # "'s-Hertogenbosch" typed without the 's
                forms.add(form[2:])
            if " " in form:
                forms.add(form.replace(" ", ""))
        for form in forms:
            toks = tuple(form.split())
            if toks:
                grouped.setdefault(toks[0], []).append(_OutsideName(toks, ref))
    return {k: tuple(sorted(v, key=lambda n: -len(n.tokens))) for k, v in grouped.items()}


def find_outside_place(text: str) -> OutsidePlaceRef | None:
    """The first place outside the region named in `text` (exact spelling), else None."""
    words = [t.norm for t in tokenize(text)]
    index = _outside_index()
    for i, w in enumerate(words):
        for name in index.get(w, ()):
            k = len(name.tokens)
            if tuple(words[i : i + k]) != name.tokens:
                continue
            if k == 1 and w in _AMBIGUOUS:
                whole = len(words) == 1
                if not whole and not (i and words[i - 1] in _PREPOSITIONS):
                    continue
            return name.ref
    return None
