"""Person names in free text (stories, signals): a corpus of accepted and refused texts, and the
property that any accepted text with a first name and a surname added is refused."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain import key_figures, names
from bot.domain.names import FIRST_NAMES, SURNAMES, WORDLIKE_FIRST_NAMES, WORDLIKE_SURNAMES
from bot.domain.privacy import FindingKind, check_free_text
from bot.domain.walkin_input import check_csv, looks_personal

TODAY = date(2026, 11, 17)
_CORPUS = yaml.safe_load((Path(__file__).parent / "data" / "privacy_names.yaml").read_text("utf-8"))
ACCEPTED: list[str] = _CORPUS["accepted"]
REFUSED: list[tuple[str, str]] = [(text, part) for text, part in _CORPUS["refused"]]
# The texts of the first corpus in which nothing may be found stay clean too.
_FIRST = yaml.safe_load((Path(__file__).parent / "data" / "privacy_corpus.yaml").read_text("utf-8"))
FIRST_NEGATIVE: list[str] = _FIRST["negative"] + _FIRST["regression_negative"]


def _names(text: str) -> list[str]:
    return [text[f.start : f.end] for f in check_free_text(text, today=TODAY)]


def test_corpus_size() -> None:
    assert len(ACCEPTED) >= 30 and len(REFUSED) >= 20


@pytest.mark.parametrize("text", ACCEPTED + FIRST_NEGATIVE)
def test_accepted(text: str) -> None:
    assert check_free_text(text, today=TODAY) == [], _names(text)


@pytest.mark.parametrize(("text", "part"), REFUSED)
def test_refused(text: str, part: str) -> None:
    found = [(f.kind, text[f.start : f.end]) for f in check_free_text(text, today=TODAY)]
    assert (FindingKind.NAME, part) in found, found


def test_a_title_still_wins() -> None:
    # "mevrouw Jansen" stays a name with a title; the name rule does not add a second finding.
    found = check_free_text("gesprek met mevrouw Jansen", today=TODAY)
    assert [f.kind for f in found] == [FindingKind.NAME_TITLE]


def test_word_names_only_count_as_names() -> None:
    # A first name that is also a Dutch word counts when the writing makes it a name.
    assert check_free_text("Ben je er morgen?", today=TODAY) == []
    assert [f.kind for f in check_free_text("Ik sprak Ben gisteren.", today=TODAY)] == [
        FindingKind.NAME
    ]
    assert check_free_text("een bos bloemen en de boer", today=TODAY) == []


_PLAIN_FIRST = sorted(FIRST_NAMES - WORDLIKE_FIRST_NAMES)
_ALL_FIRST = sorted(FIRST_NAMES | WORDLIKE_FIRST_NAMES)
_ALL_SURNAMES = [*sorted(SURNAMES | WORDLIKE_SURNAMES), "van den Berg", "de Vries", "El Amrani"]


@settings(deadline=None, max_examples=300)
@given(
    st.sampled_from(ACCEPTED),
    st.sampled_from(_ALL_FIRST),
    st.sampled_from(_ALL_SURNAMES),
    st.sampled_from(["start", "middle", "end"]),
)
def test_adding_a_name_to_an_accepted_text_refuses_it(
    text: str, first: str, last: str, where: str
) -> None:
    surname = " ".join(w if w[0].isupper() else w.capitalize() for w in last.split())
    if last.startswith(("van ", "de ")):
        surname = last.split(" ", 1)[0] + " " + last.split(" ", 1)[1].title()
    name = f"{first.capitalize()} {surname}"
    if where == "start":
        changed = f"{name} zegt: {text}"
    elif where == "middle":
        # At a clause boundary, or after the first word: never inside a proper name.
        cut = min((text.find(b) for b in (", ", "; ", ": ", ". ") if b in text), default=-1)
        if cut < 0:
            cut = text.find(" ")
        changed = f"{text[:cut]}, samen met {name},{text[cut:]}"
    else:
        changed = f"{text} Dat vertelde {name}."
    found = [
        changed[f.start : f.end]
        for f in check_free_text(changed, today=TODAY)
        if f.kind is FindingKind.NAME
    ]
    assert any(first.capitalize() in part or surname.split()[-1] in part for part in found), (
        changed,
        found,
    )


@settings(deadline=None, max_examples=200)
@given(st.sampled_from(_PLAIN_FIRST), st.sampled_from(["", "zegt", "kwam langs", "(45)"]))
def test_every_plain_first_name_is_found_in_any_case(first: str, after: str) -> None:
    for spelled in (first, first.capitalize()):
        text = f"Gisteren sprak ik {spelled} {after}".strip()
        assert FindingKind.NAME in {f.kind for f in check_free_text(text, today=TODAY)}, text


def test_walk_in_places_named_after_someone_are_no_names() -> None:
    # Walk-in places are public buildings; their names pass, a name in a note does not.
    for place in ("Fatima", "Buurthuis Fatima", "Huiskamer Maria", "Buurthuis De Kolk"):
        assert not looks_personal(place, TODAY), place
    assert looks_personal("Vraag naar Jan Smeets bij de ingang", TODAY)
    sample = Path(__file__).parents[1] / "bot" / "data" / "inloop_voorbeeld.csv"
    result = check_csv(sample.read_text("utf-8"), TODAY)
    assert result.errors == [] and len(result.rows) == 23


@pytest.mark.parametrize(
    "text",
    [
        "Jan " * 1250,
        "Jan van " * 700,
        "de " * 2500,
        "van de Boer " * 400,
        "Dirk (45) " * 500,
        "Fatima " * 700,
        "Jan-Jan-Jan-" * 400,
        "Sint Jan " * 600,
    ],
)
def test_adversarial_names_5000_chars(text: str) -> None:
    found = check_free_text(text[:5000], today=TODAY)
    assert all(0 <= f.start < f.end <= 5000 for f in found)


def test_one_name_list_for_key_figures_and_free_text() -> None:
    assert key_figures.FIRST_NAMES is names.FIRST_NAMES
    assert key_figures.SURNAMES is names.SURNAMES
    # A role with only a name in it is a "name" problem, as before; a phone number beside it
    # is still reported as what it is.
    for role in ("jan de kapper", "Dirk", "bakker de Boer", "Piet van den Berg"):
        problem = key_figures.check_role(role, TODAY)
        assert problem is not None and problem.code == "name", role
    phone = key_figures.check_role("jan de kapper 06-12345678", TODAY)
    assert phone is not None and phone.code == "identifying"
    assert phone.found == (FindingKind.PHONE,)
    assert key_figures.check_role("voorzitter Buurtvereniging in Blerick", TODAY) is None
