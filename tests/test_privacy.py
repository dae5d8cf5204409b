"""Identifiers in free text: a corpus of realistic Dutch report snippets."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
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

POSITIVE: list[tuple[str, FindingKind, str]] = [
    # (text, kind, the flagged part)
    ("Mevrouw belde vanaf 0612345678", K.PHONE, "0612345678"),
    ("bel hem terug op 06-12345678 morgen", K.PHONE, "06-12345678"),
    ("nummer 06 1234 5678", K.PHONE, "06 1234 5678"),
    ("nummer 06 12 34 56 78 gekregen", K.PHONE, "06 12 34 56 78"),
    ("tel +31 6 12345678", K.PHONE, "+31 6 12345678"),
    ("tel: +31612345678", K.PHONE, "+31612345678"),
    ("0031 6 1234 5678 is haar nummer", K.PHONE, "0031 6 1234 5678"),
    ("+31 (0)6 1234 5678", K.PHONE, "+31 (0)6 1234 5678"),
    ("vaste lijn 077-1234567", K.PHONE, "077-1234567"),
    ("bellen naar 0475 123456", K.PHONE, "0475 123456"),
    ("(0475) 123456 na vijven", K.PHONE, "(0475) 123456"),
    ("077 123 45 67", K.PHONE, "077 123 45 67"),
    ("mailde naar jan@example.nl", K.EMAIL, "jan@example.nl"),
    ("zijn mail is j.de.vries+post@mail.example.com.", K.EMAIL, "j.de.vries+post@mail.example.com"),
    ("Contact: Petra_1980@hotmail.com", K.EMAIL, "Petra_1980@hotmail.com"),
    ("bsn 111222333 doorgegeven", K.BSN, "111222333"),
    ("BSN: 123.456.782", K.BSN, "123.456.782"),
    ("burgerservicenummer 123 456 782", K.BSN, "123 456 782"),
    ("nummer 1234.56.782", K.BSN, "1234.56.782"),
    ("bsn 12345672 (zonder nul)", K.BSN, "12345672"),
    ("rekening NL91 ABNA 0417 1643 00", K.IBAN, "NL91 ABNA 0417 1643 00"),
    ("NL91ABNA0417164300 overgemaakt", K.IBAN, "NL91ABNA0417164300"),
    ("iban nl91abna0417164300", K.IBAN, "nl91abna0417164300"),
    ("Belgische rekening BE68 5390 0754 7034", K.IBAN, "BE68 5390 0754 7034"),
    ("Duitse rekening DE89 3704 0044 0532 0130 00.", K.IBAN, "DE89 3704 0044 0532 0130 00"),
    ("NL12 RABO 0123 4567 89 (typo in checksum)", K.IBAN, "NL12 RABO 0123 4567 89"),
    ("woont op 5911 AB 12", K.POSTCODE_HOUSE, "5911 AB 12"),
    ("adres 5911AB 12a", K.POSTCODE_HOUSE, "5911AB 12a"),
    ("postcode 5911ab", K.POSTCODE_HOUSE, "5911ab"),
    ("5981 xz 3 in Panningen", K.POSTCODE_HOUSE, "5981 xz 3"),
    ("Kerkstraat 12, 5911 AB", K.ADDRESS, "Kerkstraat 12"),
    ("Kerkstraat 12, 5911 AB Venlo", K.POSTCODE_HOUSE, "5911 AB"),
    ("woont aan de Laan van Nieuw Oosten 3", K.ADDRESS, "Laan van Nieuw Oosten 3"),
    ("langs geweest bij Venloseweg 112b", K.ADDRESS, "Venloseweg 112b"),
    ("huisbezoek Kerkstr. 4", K.ADDRESS, "Kerkstr. 4"),
    ("ze woont op de Groenmarkt 3 boven de bakker", K.ADDRESS, "Groenmarkt 3"),
    ("flat aan de Maasboulevard 45", K.ADDRESS, "Maasboulevard 45"),
    ("Maasdijk 45a in Arcen", K.ADDRESS, "Maasdijk 45a"),
    ("geboren 12-03-1985", K.BIRTH_DATE, "geboren 12-03-1985"),
    ("geb. 12 maart 1985", K.BIRTH_DATE, "geb. 12 maart 1985"),
    ("zoon is van 12-03-1985", K.BIRTH_DATE, "12-03-1985"),
    ("12/3/1990 jarig", K.BIRTH_DATE, "12/3/1990"),
    ("geboren in 1985", K.BIRTH_DATE, "geboren in 1985"),
    ("geboortedatum: 3-4-85", K.BIRTH_DATE, "geboortedatum: 3-4-85"),
    ("1985-03-12 in het dossier", K.BIRTH_DATE, "1985-03-12"),
    ("op 4 juli 1970 geboren", K.BIRTH_DATE, "4 juli 1970"),
    ("gesprek met mevrouw Jansen", K.NAME_TITLE, "mevrouw Jansen"),
    ("dhr. de Vries kwam langs", K.NAME_TITLE, "dhr. de Vries"),
    ("familie Bakker heeft schulden", K.NAME_TITLE, "familie Bakker"),
    ("Meneer Van den Berg belde", K.NAME_TITLE, "Meneer Van den Berg"),
    ("mw. Peters weer gezien", K.NAME_TITLE, "mw. Peters"),
]

NEGATIVE: list[str] = [
    "Gesprek over schulden, 1,5 uur, doorverwezen naar schuldhulp",
    "2 uur",
    "45 min",
    "in 2025",
    "in 2025 de inloop gestart",
    "groep van 12",
    "5 nieuwe bewoners",
    "week 47",
    "€ 1.250",
    "€ 123.456.782 begroting",
    "123456782 euro subsidie",
    "10:00-12:00",
    "tussen 10.00 en 12.00 open",
    "Wmo",
    "Mevrouw Wmo-consulent gebeld",
    "80% van de bewoners",
    "Mevrouw belde over haar huur",
    "Meneer vertelde over zijn zoon",
    "op straat 2 uur gesproken",
    "onderweg 3 bewoners gesproken",
    "12 maart gesprek gehad",
    "op 12-03-2026 inloop",
    "de vergadering 2 keer verzet",
    "3 keer naar de voedselbank geweest",
    "in de bibliotheek 4 mensen gesproken",
    "Inloop Buurthuis De Kolk, di 10:00–12:00",
    "eenzaamheid en armoede, 2 nieuw 1 bekend",
    "1 op 1 gesprek van 45 minuten",
    "samen naar het wijkteam, 1u30",
    "ervaring gedeeld over verslaving, 20 jaar clean",
    "huur is met 5,5% gestegen",
    "schuld van 12.500 euro",
    "voedselbank pakket voor 4 personen",
    "de wachtlijst is 6 maanden",
    "inloop gestart in 2019 met 8 deelnemers",
    "bus 62 rijdt niet meer naar Ospel",
    "trein van 8.15 gemist",
    "versie 2.0 van de folder",
    "score 7/10 op tevredenheid",
    "het gesprek duurde 1:30",
    "Gemist aanbod: geen schuldhulp in Gennep",
    "signaal: jongeren 16-18 jaar buiten beeld",
    "2 x per week langs de markt",
    "straat 3 keer rondgelopen",
    "Plein 1992 is een buurthuis",
    "dinsdag 3 maart 2026 overleg",
    "de kinderen van 4 en 6",
    "nummer 7 van de cursus",
    "familie en vrienden helpen",
    "de huisarts verwees door",
]


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


# --- regressions from review ---------------------------------------------------------------

REGRESSION_POSITIVE: list[tuple[str, FindingKind, str]] = [
    # Names after a title: non-ASCII letters and lowercase surnames.
    ("gesprek met mevrouw Öztürk", K.NAME_TITLE, "mevrouw Öztürk"),
    ("meneer Çelik belde", K.NAME_TITLE, "meneer Çelik"),
    ("mevrouw Yılmaz kwam langs", K.NAME_TITLE, "mevrouw Yılmaz"),
    ("dhr. Öztürk", K.NAME_TITLE, "dhr. Öztürk"),
    ("mw. Şahin weer gezien", K.NAME_TITLE, "mw. Şahin"),
    ("mevrouw Dąbrowska", K.NAME_TITLE, "mevrouw Dąbrowska"),
    ("mevrouw jansen heeft schulden", K.NAME_TITLE, "mevrouw jansen"),
    ("meneer pietersen", K.NAME_TITLE, "meneer pietersen"),
    ("mevrouw de vries", K.NAME_TITLE, "mevrouw de vries"),
    ("familie el amrani", K.NAME_TITLE, "familie el amrani"),
    ("mevrouw O'Brien", K.NAME_TITLE, "mevrouw O'Brien"),
    # Phone numbers after a glued label, and German and Belgian numbers.
    ("tel:0612345678", K.PHONE, "0612345678"),
    ("Tel:06-12345678", K.PHONE, "06-12345678"),
    ("tel.0612345678", K.PHONE, "0612345678"),
    ("+49 2831 123456", K.PHONE, "+49 2831 123456"),
    ("0049 2831 123456 in Kevelaer", K.PHONE, "0049 2831 123456"),
    ("+49 151 12345678", K.PHONE, "+49 151 12345678"),
    ("+32 470 12 34 56", K.PHONE, "+32 470 12 34 56"),
    ("0032 470 12 34 56 (Belgisch)", K.PHONE, "0032 470 12 34 56"),
    ("+32 2 123 45 67", K.PHONE, "+32 2 123 45 67"),
    # Birth cues.
    ("zoon is van 1985", K.BIRTH_DATE, "1985"),
    ("verjaardag 3 mei", K.BIRTH_DATE, "verjaardag 3 mei"),
    ("op 4 juli 2020 geboren", K.BIRTH_DATE, "4 juli 2020"),
    ("dochter 03-05-1990, zoon 7-9-1993", K.BIRTH_DATE, "7-9-1993"),
    # A BSN is still a BSN when it is no calendar date.
    ("bsn 12-34-56.782", K.BSN, "12-34-56.782"),
]

REGRESSION_NEGATIVE: list[str] = [
    # Recent full dates pass the 11-proef now and then: they are no BSN.
    "Sinds 07-11-2026 is de inloop in Blerick dicht",
    "op 07-11-2026 gesloten",
    "07.11.2026 overleg",
    "2026-11-07 overleg",
    # Public service lines.
    "de hulplijn 0800-8115 gebeld",
    "bel 0800 8115",
    "0900-1234 is betaald",
    # Old dates that are moments in time, not birthdays.
    "sinds 01-01-2010 open",
    "De wet van 1 juli 2013",
    "per 1 januari 2013 nieuw beleid",
    "tot en met 31-12-2013 gesloten",
    "vanaf 1-1-2000 in de wijk",
    "De wet is van 2013",
    # Words after a title that are no name.
    "mevrouw was blij",
    "meneer is boos",
    "mevrouw had geen geld",
    "mevrouw heeft een zoon",
    "meneer kwam langs",
    "mevrouw zei dat",
    "mevrouw wil verhuizen",
    "meneer kon niet komen",
    "mevrouw zegt nee",
    "meneer belde terug",
    "mevrouw vertelde haar verhaal",
    "meneer vond het fijn",
    "mevrouw werd geholpen",
    "meneer weet het niet",
    "familie helpt mee",
    "mevrouw voelt zich eenzaam",
    "mevrouw huilde",
    "meneer gebeld",
    "mevrouw uit Blerick",
    "meneer van de voedselbank",
    "mevrouw van het wijkteam",
    "mevrouw ook",
    "mevrouw zelf wil niet",
    # Times and decimals right before a phone-length number are no label.
    "10:0612345678",
    "2.0612345678",
]


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
