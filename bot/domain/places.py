"""Recognise the 14 municipalities and their villages (kernen) in free Dutch text.

Residents name villages more often than municipalities ("Blerick" means Venlo), type on a
phone ("venlow", "roermnd") and write names in many shapes ("horst a/d maas", "st odilienberg").
Several village names are also everyday Dutch words ("heel", "echt", "neer"); those only count
when the context makes a place reading clear, see ``AMBIGUOUS_NAMES``. A typo that is as
close to names in two municipalities ("swolmen": Swalmen or Swolgen) matches nothing: asking
is better than answering for the wrong municipality.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from bot.data import municipalities
from bot.domain.textmatch import COMMON_WORDS, Token, fuzzy_cost, normalize, tokenize

__all__ = [
    "AMBIGUOUS_NAMES",
    "PlaceMatch",
    "find_place",
    "find_places",
    "match_from_candidates",
    "normalize",
    "resolve_municipality",
]


@dataclass(frozen=True)
class PlaceMatch:
    municipality: str  # canonical municipality name as in gemeenten.csv, e.g. "Venlo"
    matched: str  # canonical name that matched (municipality or village), e.g. "Blerick"
    village: str | None  # village (kern) name if a village matched, else None
    exact: bool  # True if matched without typo tolerance
    start: int  # span in the input text (character offsets)
    end: int


# Normalised names that are also common Dutch (or English) words. They match only exactly and
# only as the whole text or right after a place preposition ("in Heel", "naar Echt"), and then
# only if the next word does not continue the everyday reading ("in heel Limburg", "bij heel veel").
AMBIGUOUS_NAMES: frozenset[str] = frozenset(
    {
        "america",  # "Amerika" is the country; the village is spelled with c
        "bergen",  # mountains; also Bergen (NH) and Bergen op Zoom
        "echt",  # really
        "ell",
        "heel",  # very / whole
        "heide",  # heath
        "herten",  # deer
        "hingen",  # hung
        "horn",
        "keent",
        "laar",
        "leeuwen",  # lions; surname "van Leeuwen"
        "leunen",  # to lean
        "linne",
        "lomm",
        "neer",  # down
        "ool",
        "pey",
        "roosteren",  # to toast
        "slek",
        "thorn",
        "velden",  # fields
        "veulen",  # foal
        "well",
    }
)

# Words that introduce a place; an ambiguous name must follow one of them (or be the whole text).
_PLACE_PREPOSITIONS = frozenset(
    {"in", "te", "uit", "naar", "bij", "rond", "rondom", "vanuit", "gemeente", "dorp", "kern"}
)

# Words that may follow an ambiguous place name without suggesting the everyday reading:
# time words and short function words ("in Heel morgen", "in Echt op dinsdag", "Thorn en Heel").
_FOLLOW_OK = frozenset(
    """
    vandaag morgen overmorgen gisteren eergisteren vanavond vanmiddag vanochtend vanmorgen
    straks nu deze volgende vorige komende elke iedere
    maandag dinsdag woensdag donderdag vrijdag zaterdag zondag ma di wo do vr za zo
    op om en of is was vanaf tot tussen open dicht gesloten ook nog geweest gehad gewerkt
    inloop spreekuur
    """.split()
)

# Extra spellings per canonical name (normalised, space-separated tokens).
_EXTRA_ALIASES: dict[str, tuple[str, ...]] = {
    "Sint Odiliënberg": ("odilienberg",),
    "Kelpen-Oler": ("kelpen", "oler"),
    "Ven-Zelderheide": ("zelderheide",),
    "Ysselsteyn": ("ijsselsteyn", "ijsselsteijn"),
    # How people say and shorten them (Limburgs, abbreviations).
    "Roermond": ("remunj", "rmnd"),
    "Tegelen": ("tegele",),
    "Venray": ("vinray",),
    "Horst aan de Maas": ("hadm",),
    "Peel en Maas": ("penm",),
    "Maasgouw": ("maasgauw",),
    "Weert": ("wieert",),
    "Sevenum": ("zevenum",),
    "Baarlo": ("baorle",),
}


@dataclass(frozen=True)
class _Name:
    tokens: tuple[str, ...]
    municipality: str
    canonical: str
    village: str | None
    fuzzy: bool  # typo tolerance allowed for this spelling

    @property
    def ambiguous(self) -> bool:
        return len(self.tokens) == 1 and self.tokens[0] in AMBIGUOUS_NAMES


def _variants(name: str) -> dict[tuple[str, ...], bool]:
    """Spelling variants people use for one canonical name: token tuple -> typos allowed.

    Rule-based rewrites of the official name may be matched with typos; hand-made aliases and
    y/ij swaps only exactly, since they are short or sit close to ordinary words.
    """
    base = normalize(name)
    forms = {base}
    for form in list(forms):
        if form.startswith("sint "):
            forms.add("st " + form[5:])
        if " aan de " in form:
            for short in (" a d ", " ad ", " a "):
                forms.add(form.replace(" aan de ", short))
        if " en " in form:  # "Peel & Maas", "Ohe & Laak"
            forms.add(form.replace(" en ", " "))
    for form in list(forms):
        if " " in form:  # typed without spaces/hyphens: "nederweerteind", "peelenmaas"
            forms.add(form.replace(" ", ""))
    exact_only = set(_EXTRA_ALIASES.get(name, ()))
    for form in [*forms, *exact_only]:
        # Limburg names mix "y" and "ij" (Steyl/Steijl, Meijel/Meyel).
        if "y" in form:
            exact_only.add(form.replace("y", "ij"))
        if "ij" in form:
            exact_only.add(form.replace("ij", "y"))
    result = {tuple(f.split()): False for f in exact_only - forms if f}
    result.update({tuple(f.split()): True for f in forms if f})
    return result


@cache
def _index() -> tuple[_Name, ...]:
    names: dict[tuple[str, ...], _Name] = {}
    for ref in municipalities():
        # Municipality first: for "Venlo" (both municipality and kern) report village=None.
        for toks, fuzzy in _variants(ref.name).items():
            names.setdefault(toks, _Name(toks, ref.name, ref.name, None, fuzzy))
        for village in ref.villages:
            for toks, fuzzy in _variants(village).items():
                names.setdefault(toks, _Name(toks, ref.name, village, village, fuzzy))
    return tuple(names.values())


@cache
def _by_first_token() -> dict[str, tuple[_Name, ...]]:
    grouped: dict[str, list[_Name]] = {}
    for n in _index():
        grouped.setdefault(n.tokens[0], []).append(n)
    return {k: tuple(v) for k, v in grouped.items()}


def _punct_between(text: str, a: Token, b: Token) -> bool:
    return any(ch in ",.;:!?()\n" for ch in text[a.end : b.start])


def _context_ok(text: str, tokens: list[Token], i: int, k: int) -> bool:
    """Whether an ambiguous name at tokens[i:i+k] reads as a place, see AMBIGUOUS_NAMES."""
    if i == 0 and i + k == len(tokens):
        return True
    if i == 0:
        return False
    prev = tokens[i - 1]
    if prev.norm not in _PLACE_PREPOSITIONS or _punct_between(text, prev, tokens[i]):
        return False
    if i + k == len(tokens):
        return True
    nxt = tokens[i + k]
    if _punct_between(text, tokens[i + k - 1], nxt):
        return True
    if tokens[i].norm == "bergen" and nxt.norm == "op":  # Bergen op Zoom (Noord-Brabant)
        return False
    return nxt.norm in _FOLLOW_OK or nxt.norm[0].isdigit()


@dataclass(frozen=True)
class _Candidate:
    name: _Name
    i: int  # first token index
    k: int  # number of tokens
    cost: int
    # A name that may not match here (an ambiguous name out of context, or a typo of an
    # exact-only spelling) but is as close as a real candidate: it only blocks, see `_agree`.
    blocker: bool = False

    def key(self) -> tuple[int, int, int, int]:
        # More words matched beats fewer ("Nederweert-Eind" over "Nederweert"), then exact over
        # fuzzy, then fewer typos, then the longer canonical name.
        return (self.k, self.cost == 0, -self.cost, len(self.name.canonical))


def _raw_candidates(text: str, tokens: list[Token]) -> list[_Candidate]:
    by_first = _by_first_token()
    out: list[_Candidate] = []
    for i, tok in enumerate(tokens):
        firsts: list[tuple[str, int]] = []
        if tok.norm in by_first:
            firsts.append((tok.norm, 0))
        if tok.norm not in COMMON_WORDS and len(tok.norm) >= 4:
            for first in by_first:
                if first != tok.norm and abs(len(first) - len(tok.norm)) <= 2:
                    c = fuzzy_cost(tok.norm, first)
                    if c is not None:
                        firsts.append((first, c))
        for first, first_cost in firsts:
            for name in by_first[first]:
                k = len(name.tokens)
                if i + k > len(tokens):
                    continue
                cost = first_cost
                for j in range(1, k):
                    c = fuzzy_cost(tokens[i + j].norm, name.tokens[j])
                    if c is None:
                        break
                    cost += c
                else:
                    strict = name.ambiguous or not name.fuzzy
                    blocker = (strict and cost > 0) or (
                        name.ambiguous and not _context_ok(text, tokens, i, k)
                    )
                    out.append(_Candidate(name, i, k, cost, blocker))
    return out


def _agree(cands: list[_Candidate]) -> list[_Candidate]:
    """Real candidates of the spans whose closest names all lie in one municipality.

    A typo that is as close to a name in another municipality ("swolmen": Swalmen in Roermond
    or Swolgen in Horst aan de Maas; "leuwen": Leuken in Weert or Leeuwen in Roermond) is no
    match at all: a wrong municipality is worse than asking.
    """
    best: dict[tuple[int, int], int] = {}
    for c in cands:
        span = (c.i, c.k)
        best[span] = min(best.get(span, c.cost), c.cost)
    munis: dict[tuple[int, int], set[str]] = {}
    for c in cands:
        if c.cost == best[(c.i, c.k)]:
            munis.setdefault((c.i, c.k), set()).add(c.name.municipality)
    return [
        c
        for c in cands
        if not c.blocker and c.cost == best[(c.i, c.k)] and len(munis[(c.i, c.k)]) == 1
    ]


def _candidates(text: str, tokens: list[Token]) -> list[_Candidate]:
    return _agree(_raw_candidates(text, tokens))


def _to_match(c: _Candidate, tokens: list[Token]) -> PlaceMatch:
    return PlaceMatch(
        municipality=c.name.municipality,
        matched=c.name.canonical,
        village=c.name.village,
        exact=c.cost == 0,
        start=tokens[c.i].start,
        end=tokens[c.i + c.k - 1].end,
    )


def find_places(text: str) -> list[PlaceMatch]:
    """All non-overlapping place mentions in ``text``, in text order."""
    tokens = tokenize(text)
    chosen: list[_Candidate] = []
    taken: set[int] = set()
    # Best candidates claim their tokens first; ties go to the earlier position.
    for c in sorted(_candidates(text, tokens), key=lambda c: (c.key(), -c.i), reverse=True):
        span = set(range(c.i, c.i + c.k))
        if span & taken:
            continue
        taken |= span
        chosen.append(c)
    chosen.sort(key=lambda c: c.i)
    return [_to_match(c, tokens) for c in chosen]


def find_place(text: str) -> PlaceMatch | None:
    """The place mentioned in ``text``: the first exact match, else the first fuzzy one."""
    matches = find_places(text)
    for m in matches:
        if m.exact:
            return m
    return matches[0] if matches else None


def resolve_municipality(name: str, *, fuzzy: bool = True) -> str | None:
    """Municipality for a single name (municipality, village or typo thereof), else None.

    The whole input must be the name; use ``find_place`` for names inside a sentence. With
    ``fuzzy=False`` only exact spellings count (case, accents, hyphens and the usual variants
    such as "St." or "a/d" aside): for data that must not be filed under a guess.
    """
    tokens = tokenize(name)
    if not tokens:
        return None
    best: _Candidate | None = None
    for c in _candidates(name, tokens):
        if c.i != 0 or c.k != len(tokens) or (c.cost and not fuzzy):
            continue
        if best is None or c.key() > best.key():
            best = c
    return best.name.municipality if best else None


def match_from_candidates(text: str, candidates: Sequence[str]) -> str | None:
    """Pick the candidate name (e.g. a stored vindplek) that ``text`` refers to, or None.

    In order of preference: the text equals a candidate; a candidate's words occur in the
    text (exactly, then with typos; longer candidates win); or every meaningful word of the
    text occurs in exactly one candidate ("kolk" -> "Buurthuis De Kolk").
    """
    words = [t.norm for t in tokenize(text)]
    if not words:
        return None
    norm_text = " ".join(words)
    cands = [(c, normalize(c).split()) for c in candidates]
    cands = [(c, toks) for c, toks in cands if toks]
    for c, toks in cands:
        if " ".join(toks) == norm_text:
            return c

    best: tuple[tuple[int, int], str] | None = None
    for c, toks in cands:
        k = len(toks)
        for i in range(len(words) - k + 1):
            cost = 0
            for w, t in zip(words[i : i + k], toks, strict=True):
                step = fuzzy_cost(w, t)
                if step is None:
                    break
                cost += step
            else:
                key = (-cost, sum(map(len, toks)))
                if best is None or key > best[0]:
                    best = (key, c)
    if best is not None:
        return best[1]

    meaningful = [w for w in words if len(w) >= 3 and w not in COMMON_WORDS]
    if not meaningful:
        return None
    hits = [
        c
        for c, toks in cands
        if all(any(fuzzy_cost(w, t) is not None for t in toks) for w in meaningful)
    ]
    return hits[0] if len(hits) == 1 else None
