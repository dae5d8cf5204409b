"""Recognising municipalities and villages (kernen) in free Dutch text."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.data import municipalities
from bot.domain.places import (
    AMBIGUOUS_NAMES,
    PlaceMatch,
    find_place,
    find_places,
    match_from_candidates,
    normalize,
    resolve_municipality,
)
from bot.domain.textmatch import COMMON_WORDS, edit_distance, fuzzy_cost, tokenize


@pytest.mark.parametrize(
    ("text", "municipality", "matched", "exact"),
    [
        ("wanneer is de inloop in venray", "Venray", "Venray", True),
        ("inloop panningen morgen", "Peel en Maas", "Panningen", True),
        ("is er vandaag iets in Weert?", "Weert", "Weert", True),
        ("Blerick", "Venlo", "Blerick", True),
        ("horst a/d maas", "Horst aan de Maas", "Horst aan de Maas", True),
        ("Horst aan de Maas", "Horst aan de Maas", "Horst aan de Maas", True),
        ("horst ad maas", "Horst aan de Maas", "Horst aan de Maas", True),
        ("Horst", "Horst aan de Maas", "Horst", True),
        ("peel en maas", "Peel en Maas", "Peel en Maas", True),
        ("Peel & Maas", "Peel en Maas", "Peel en Maas", True),
        ("echt", "Echt-Susteren", "Echt", True),
        ("Echt-Susteren", "Echt-Susteren", "Echt-Susteren", True),
        ("echt susteren", "Echt-Susteren", "Echt-Susteren", True),
        ("sint odilienberg", "Roerdalen", "Sint Odiliënberg", True),
        ("St. Odiliënberg", "Roerdalen", "Sint Odiliënberg", True),
        ("odilienberg", "Roerdalen", "Sint Odiliënberg", True),
        ("venlow", "Venlo", "Venlo", False),
        ("roermnd", "Roermond", "Roermond", False),
        ("Nederweert-Eind", "Nederweert", "Nederweert-Eind", True),
        ("nederweert eind", "Nederweert", "Nederweert-Eind", True),
        ("nederweerteind", "Nederweert", "Nederweert-Eind", True),
        ("Nederweert", "Nederweert", "Nederweert", True),
        ("Kessel-Eik", "Peel en Maas", "Kessel-Eik", True),
        ("kessel", "Peel en Maas", "Kessel", True),
        ("Ohé en Laak", "Maasgouw", "Ohé en Laak", True),
        ("ohe en laak", "Maasgouw", "Ohé en Laak", True),
        ("Maria Hoop", "Echt-Susteren", "Maria Hoop", True),
        ("Sint Joost", "Echt-Susteren", "Sint Joost", True),
        ("st joost", "Echt-Susteren", "Sint Joost", True),
        ("Nieuw-Bergen", "Bergen", "Nieuw-Bergen", True),
        ("Ven-Zelderheide", "Gennep", "Ven-Zelderheide", True),
        ("Kelpen-Oler", "Leudal", "Kelpen-Oler", True),
        ("Steijl", "Venlo", "Steyl", True),
        ("IJsselsteyn", "Venray", "Ysselsteyn", True),
        ("Meyel", "Peel en Maas", "Meijel", True),
        ("tegeln", "Venlo", "Tegelen", False),
        ("blerik", "Venlo", "Blerick", False),
        ("panninge", "Peel en Maas", "Panningen", False),
        ("stramproij", "Weert", "Stramproy", True),
        ("Grubbenvorst", "Horst aan de Maas", "Grubbenvorst", True),
        ("maasbrcht", "Maasgouw", "Maasbracht", False),
        ("ik was in swalmen vandaag", "Roermond", "Swalmen", True),
        ("spreekuur in Heel morgen", "Maasgouw", "Heel", True),
        ("heel", "Maasgouw", "Heel", True),
        ("Heel?", "Maasgouw", "Heel", True),
        ("wat is er te doen in heel", "Maasgouw", "Heel", True),
        ("inloop uit Echt, morgen", "Echt-Susteren", "Echt", True),
        ("naar Neer op dinsdag", "Leudal", "Neer", True),
        ("gemeente Bergen", "Bergen", "Bergen", True),
        ("bij Thorn en Wessem", "Maasgouw", "Thorn", True),
        ("in Horn 2 uur", "Leudal", "Horn", True),
        ("inloop helden", "Peel en Maas", "Helden", True),
    ],
)
def test_find_place(text: str, municipality: str, matched: str, exact: bool) -> None:
    m = find_place(text)
    assert m is not None, text
    assert (m.municipality, m.matched, m.exact) == (municipality, matched, exact)
    # The span points at the place in the original text.
    assert normalize(text[m.start : m.end])


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "hallo",
        "wanneer is de inloop",
        "heel goed gesprek",
        "bij heel veel mensen",
        "in heel Limburg",
        "in heel de regio",
        "uit heel Nederland",
        "echt waar",
        "is de inloop echt dicht",
        "de heide",
        "naar bergen op zoom",
        "we gingen neer",
        "velden vol bloemen",
        "met de hoorn",
        "naar de huisarts",
        "gisteren gesprek gehad",
        "mevrouw wilde graag luisteren",
        "planningen maken",
        "melden bij de balie",
        "leuke dag gehad",
        "ze hielden van elkaar",
        "het smaakt goed",
        "naar maastricht",
        "in amerika",
        "de moeite weest",
        "armen en schulden",
        "45 min 1op1",
        "!!!",
    ],
)
def test_no_place(text: str) -> None:
    assert find_place(text) is None, find_places(text)


def test_ambiguous_name_in_a_longer_name_is_fine() -> None:
    # "Echt" inside "Echt-Susteren" and "Bergen" inside "Nieuw-Bergen" need no context.
    assert find_place("inloop echt-susteren").matched == "Echt-Susteren"
    assert find_place("inloop nieuw bergen").matched == "Nieuw-Bergen"


def test_ambiguous_names_are_never_fuzzy() -> None:
    assert find_place("in eht") is None
    assert find_place("naar Hele") is None
    assert find_place("ecth") is None


def test_longest_name_wins_and_spans() -> None:
    text = "Inloop Kessel-Eik en Nederweert-Eind"
    ms = find_places(text)
    assert [m.matched for m in ms] == ["Kessel-Eik", "Nederweert-Eind"]
    assert [text[m.start : m.end] for m in ms] == ["Kessel-Eik", "Nederweert-Eind"]


def test_find_places_in_order() -> None:
    ms = find_places("Venlo, Blerick en Tegelen")
    assert [(m.municipality, m.matched, m.village) for m in ms] == [
        ("Venlo", "Venlo", None),
        ("Venlo", "Blerick", "Blerick"),
        ("Venlo", "Tegelen", "Tegelen"),
    ]


def test_find_place_prefers_exact() -> None:
    m = find_place("venraj of Blerick")
    assert m is not None and m.matched == "Blerick"


def test_municipality_name_that_is_also_a_kern_reports_no_village() -> None:
    m = find_place("Venlo")
    assert m == PlaceMatch("Venlo", "Venlo", None, True, 0, 5)


@pytest.mark.parametrize(
    ("name", "municipality"),
    [
        ("Venlo", "Venlo"),
        ("blerick", "Venlo"),
        ("BLERICK", "Venlo"),
        ("venlow", "Venlo"),
        ("Sint Odiliënberg", "Roerdalen"),
        ("echt", "Echt-Susteren"),
        ("heel", "Maasgouw"),
        ("horst-aan-de-maas", "Horst aan de Maas"),
        ("peel-en-maas", "Peel en Maas"),
        ("  Weert ", "Weert"),
        ("America", "Horst aan de Maas"),
    ],
)
def test_resolve_municipality(name: str, municipality: str) -> None:
    assert resolve_municipality(name) == municipality


@pytest.mark.parametrize("name", ["", "Maastricht", "Amsterdam", "inloop in venlo", "xyz"])
def test_resolve_municipality_none(name: str) -> None:
    assert resolve_municipality(name) is None


VINDPLEKKEN = [
    "Buurthuis De Kolk",
    "Bibliotheek Venlo",
    "Voedselbank Blerick",
    "Huisartsenpraktijk Tegelen",
    "Inloop De Schakel",
    "MFC Kessel-Eik",
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Buurthuis De Kolk", "Buurthuis De Kolk"),
        ("buurthuis de kolk", "Buurthuis De Kolk"),
        ("gesprek in buurthuis de kolk vandaag", "Buurthuis De Kolk"),
        ("buurthuis de klok", "Buurthuis De Kolk"),  # swapped letters
        ("bibliotheek venlo", "Bibliotheek Venlo"),
        ("biblotheek venlo", "Bibliotheek Venlo"),
        ("kolk", "Buurthuis De Kolk"),
        ("voedselbank", "Voedselbank Blerick"),
        ("schakel", "Inloop De Schakel"),
        ("mfc kessel eik", "MFC Kessel-Eik"),
        ("straat", None),
        ("de", None),
        ("", None),
    ],
)
def test_match_from_candidates(text: str, expected: str | None) -> None:
    assert match_from_candidates(text, VINDPLEKKEN) == expected


def test_match_from_candidates_ambiguous_partial_is_none() -> None:
    cands = ["Buurthuis De Kolk", "Buurthuis Het Anker"]
    assert match_from_candidates("buurthuis", cands) is None
    assert match_from_candidates("anything", []) is None


def test_normalize() -> None:
    assert normalize("  Sint-Odiliënberg ") == "sint odilienberg"
    assert normalize("Horst a/d Maas") == "horst a d maas"
    assert normalize("Ohé  en\tLaak!") == "ohe en laak"


def test_edit_distance_and_budget() -> None:
    assert edit_distance("venlo", "venlow", 2) == 1
    assert edit_distance("klok", "kolk", 2) == 1  # adjacent swap counts once
    assert edit_distance("abc", "xyz", 1) == 2  # capped at limit + 1
    assert fuzzy_cost("ven", "vem") is None  # < 4 letters: exact only
    assert fuzzy_cost("venraj", "venray") == 1
    assert fuzzy_cost("roermnd", "roermond") == 1
    assert fuzzy_cost("week", "werk") is None  # common word


@pytest.mark.parametrize(
    "typo",
    [
        "leuwen",  # Leuken (Weert) or Leeuwen (Roermond, exact only: "lions")
        "heiden",  # Helden (Peel en Maas) or Heijen (Gennep)
        "swolmen",  # Swalmen (Roermond) or Swolgen (Horst aan de Maas)
        "swalgen",
        "heyden",  # Helden or Heyen, Heijen's other spelling
    ],
)
def test_typo_tie_between_municipalities_is_no_match(typo: str) -> None:
    # Regression: the tie went to whichever name sorted first, e.g. "leuwen" -> Weert.
    assert resolve_municipality(typo) is None
    assert find_place(typo) is None
    assert find_places(f"inloop in {typo} morgen") == []


def test_a_typo_close_to_one_place_only_still_matches() -> None:
    assert resolve_municipality("venlow") == "Venlo"
    assert find_place("inloop in leuken morgen").municipality == "Weert"  # exact
    assert find_place("inloop in leeuwen").municipality == "Roermond"  # exact, in context
    assert find_place("inloop in swalmen").municipality == "Roermond"


@pytest.mark.parametrize(
    ("name", "municipality"),
    [("Leeuwen", "Roermond"), ("Leuken", "Weert"), ("Heijen", "Gennep"), ("Heyen", "Gennep")],
)
def test_exact_names_are_never_blocked(name: str, municipality: str) -> None:
    assert resolve_municipality(name) == municipality
    assert resolve_municipality(name, fuzzy=False) == municipality


@pytest.mark.parametrize("name", ["venlow", "swolmen", "blerik", "leuwen"])
def test_resolve_without_typos(name: str) -> None:
    assert resolve_municipality(name, fuzzy=False) is None


# --- property tests ---------------------------------------------------------------------


def _all_names() -> list[tuple[str, str]]:
    out = []
    for ref in municipalities():
        out.append((ref.name, ref.name))
        out.extend((v, ref.name) for v in ref.villages)
    return out


ALL_NAMES = _all_names()


@pytest.mark.parametrize(("name", "municipality"), ALL_NAMES)
def test_every_name_resolves(name: str, municipality: str) -> None:
    assert resolve_municipality(name) == municipality
    assert resolve_municipality(name.upper()) == municipality
    assert find_place(f"inloop in {name.lower()} morgen").municipality == municipality


def _typo_variants(word: str) -> list[str]:
    """All single-edit typos of ``word`` that keep its first letter."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    out = set()
    for i in range(1, len(word) + 1):
        out.add(word[:i] + word[i + 1 :])  # deletion
        for ch in letters:
            out.add(word[:i] + ch + word[i:])  # insertion
            if i < len(word):
                out.add(word[:i] + ch + word[i + 1 :])  # substitution
        if i < len(word) - 1:
            out.add(word[:i] + word[i + 1] + word[i] + word[i + 2 :])  # swap
    out.discard(word)
    return sorted(out)


# Single-token names of 6+ letters that are not ambiguous: typo tolerance must find them.
TYPO_NAMES = [
    (name, mun)
    for name, mun in ALL_NAMES
    if len(tokenize(name)) == 1
    and len(normalize(name)) >= 6
    and normalize(name) not in AMBIGUOUS_NAMES
]


# Typos exactly as close to a name in another municipality that is written differently from
# its official name (Heijen is also "Heyen", Meijel "Meyel"): genuine ties, so no match.
SPELLING_TIES = frozenset({"haeyen", "helyen", "heyden", "mesel", "moeyel"})


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(TYPO_NAMES), st.data())
def test_single_typo_resolves(pair: tuple[str, str], data: st.DataObject) -> None:
    name, municipality = pair
    typo = data.draw(st.sampled_from(_typo_variants(normalize(name))))
    resolved = resolve_municipality(typo)
    if resolved == municipality:
        return
    # Documented exceptions: the typo is a common Dutch word ("leuke" is not "Leuken") or is at
    # least as close to another place name ("swalgen": Swalmen or Swolgen; then no match, see
    # `test_typo_tie_between_municipalities_is_no_match`).
    closer_other = any(
        other != name and fuzzy_cost(typo, normalize(other)) is not None for other, _ in ALL_NAMES
    )
    assert typo in COMMON_WORDS or closer_other or typo in SPELLING_TIES, (name, typo, resolved)
    # Never a wrong municipality for a typo that is not a tie.
    assert resolved in (None, municipality) or closer_other, (name, typo, resolved)


@settings(deadline=None)  # first calls build caches; CI machines vary
@given(st.text())
def test_never_crashes(text: str) -> None:
    for m in find_places(text):
        assert 0 <= m.start < m.end <= len(text)
    find_place(text)
    resolve_municipality(text)
    match_from_candidates(text, VINDPLEKKEN)
    normalize(text)


@settings(deadline=None)  # first calls build caches; CI machines vary
@given(st.text(alphabet=st.sampled_from("aeinorst -"), max_size=60))
def test_matches_do_not_overlap(text: str) -> None:
    ms = find_places(text)
    for a, b in itertools.pairwise(ms):
        assert a.end <= b.start
