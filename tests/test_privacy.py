"""Identifiers in free text: a corpus of realistic Dutch report snippets."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.privacy import (
    Finding,
    FindingKind,
    bsn_valid,
    check_free_text,
    contains_identifiers,
    iban_valid,
)

TODAY = date(2026, 3, 12)
K = FindingKind

# The corpus (data/privacy_corpus.yaml): texts with the kind and part that must be flagged, and
# texts in which nothing may be; the regression lists came from review.
_CORPUS = yaml.safe_load(
    (Path(__file__).parent / "data" / "privacy_corpus.yaml").read_text("utf-8")
)


def _flagged(rows: list[list[str]]) -> list[tuple[str, FindingKind, str]]:
    return [(text, FindingKind[kind], part) for text, kind, part in rows]


POSITIVE = _flagged(_CORPUS["positive"])
NEGATIVE: list[str] = _CORPUS["negative"]
REGRESSION_POSITIVE = _flagged(_CORPUS["regression_positive"])
REGRESSION_NEGATIVE: list[str] = _CORPUS["regression_negative"]


def test_corpus_size() -> None:
    assert len(POSITIVE) >= 40 and len(NEGATIVE) >= 40


def test_several_findings_in_order_without_overlap() -> None:
    text = "Mevrouw Jansen, jan@example.nl, 06-12345678, Kerkstraat 12, 5911 AB Venlo"
    found = check_free_text(text, today=TODAY)
    assert [f.kind for f in found] == [
        K.NAME_TITLE,
        K.EMAIL,
        K.PHONE,
        K.ADDRESS,
        K.POSTCODE_HOUSE,
    ]
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


def test_birth_date_depends_on_today() -> None:
    # A full date 12+ years back is a birth date; a recent one is a work date.
    assert check_free_text("12-03-2014", today=TODAY) == [Finding(K.BIRTH_DATE, 0, 10)]
    assert check_free_text("12-03-2015", today=TODAY) == []


# Both corpora, the first and the regression one, run through the same two tests.
@pytest.mark.parametrize(("text", "kind", "part"), POSITIVE + REGRESSION_POSITIVE)
def test_positive(text: str, kind: FindingKind, part: str) -> None:
    found = check_free_text(text, today=TODAY)
    flagged = [(f.kind, text[f.start : f.end]) for f in found]
    assert (kind, part) in flagged, flagged


@pytest.mark.parametrize("text", NEGATIVE + REGRESSION_NEGATIVE)
def test_negative(text: str) -> None:
    found = check_free_text(text, today=TODAY)
    assert found == [], [(f.kind, text[f.start : f.end]) for f in found]


@pytest.mark.parametrize("day", [date(2026, 1, 1), date(2026, 7, 15), date(2026, 11, 7)])
def test_no_recent_date_is_a_bsn(day: date) -> None:
    # Every date of a year, in every separator, used to be a BSN about once in eleven tries.
    d = day
    for _ in range(366):
        for sep in "-./":
            text = f"sinds {d.day:02d}{sep}{d.month:02d}{sep}{d.year} open"
            kinds = {f.kind for f in check_free_text(text, today=TODAY)}
            assert K.BSN not in kinds, text
        d = date.fromordinal(d.toordinal() - 1)


def test_contains_identifiers() -> None:
    assert contains_identifiers("bel 0612345678", today=TODAY)
    assert not contains_identifiers("45 min inloop", today=TODAY)


@pytest.mark.parametrize(
    ("digits", "ok"),
    [("111222333", True), ("123456782", True), ("12345672", True), ("123456789", False)],
)
def test_bsn_valid(digits: str, ok: bool) -> None:
    assert bsn_valid(digits) is ok


def test_bsn_invalid_checksum_not_flagged() -> None:
    assert check_free_text("dossier 123456789", today=TODAY) == []


def test_iban_valid() -> None:
    assert iban_valid("NL91 ABNA 0417 1643 00")
    assert not iban_valid("NL91 ABNA 0417 1643 01")
    assert not iban_valid("XX00")


# --- robustness ---------------------------------------------------------------------------


@settings(deadline=None)  # first calls build caches; CI machines vary
@given(st.text())
def test_never_crashes(text: str) -> None:
    for f in check_free_text(text, today=TODAY):
        assert 0 <= f.start < f.end <= len(text)


@settings(deadline=None, max_examples=50)
@given(st.text(alphabet="0123456789 .-+()@/abAB:", max_size=300))
def test_never_crashes_on_number_soup(text: str) -> None:
    found = check_free_text(text, today=TODAY)
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


@pytest.mark.parametrize(
    "text",
    [
        "1 " * 2500,
        "a" * 5000,
        "a." * 2500,
        "a@" * 2500,
        "0" * 5000,
        "0 " * 2500,
        "NL" + "1" * 4998,
        "Kerkstraat " * 450,
        "mevrouw van " * 400,
        "Laan van de " * 450,
        "5911 " * 1000,
        ("x" * 60 + "@") * 80,
    ],
)
def test_adversarial_5000_chars(text: str) -> None:
    # Every pattern is bounded, so these complete in linear time by construction.
    check_free_text(text[:5000], today=TODAY)
