"""One-line contact entries."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.data import VocabEntry, vocabulary
from bot.domain.quickentry import QuickEntry, QuickEntryProblem, parse_quick_entry

TODAY = date(2026, 3, 12)  # a Thursday
P = QuickEntryProblem
VINDPLEKKEN = [
    "Buurthuis De Kolk",
    "Bibliotheek Venlo",
    "Voedselbank Blerick",
    "Inloop De Schakel",
]


def parse(text: str, **kw) -> QuickEntry:
    return parse_quick_entry(text, TODAY, vindplekken=VINDPLEKKEN, **kw)


def test_the_example() -> None:
    e = parse("45 min inloop Blerick armoede, eenzaamheid 2 nieuw")
    assert e == QuickEntry(
        minutes=45,
        work_date=TODAY,
        municipality="Venlo",
        place="Blerick",
        village="Blerick",
        vindplek=None,
        activity_type="inloop",  # "inloop" is the activity type, not the reach channel
        themes=["armoede", "eenzaamheid"],
        residents_count=2,
        residents_new=2,
        reach_channel=None,
        referral=None,
        unknown_words=[],
        problems=[],
    )


@pytest.mark.parametrize(
    "text",
    [
        "45 min inloop Blerick armoede, eenzaamheid 2 nieuw",
        "2 nieuw eenzaamheid armoede Blerick inloop 45 min",
        "BLERICK 45MIN INLOOP ARMOEDE EENZAAMHEID 2 NIEUW",
        "inloop blerick, 45 minuten; armoed + eenzaamhied, 2 nieuwe",
        "armoede eenzaamheid 2 nieuwe bewoners inloop in Blerick drie kwartier",
    ],
)
def test_any_order_case_and_typos(text: str) -> None:
    e = parse(text)
    assert (e.minutes, e.municipality, e.activity_type) == (45, "Venlo", "inloop")
    assert sorted(e.themes) == ["armoede", "eenzaamheid"]
    assert (e.residents_count, e.residents_new) == (2, 2)
    assert e.problems == [] and e.unknown_words == []


@pytest.mark.parametrize(
    ("text", "count", "new"),
    [
        ("45 min inloop venlo", 1, None),
        ("45 min inloop venlo 2 nieuw", 2, 2),
        ("45 min inloop venlo 3 bekend", 3, 0),
        ("45 min inloop venlo 2 nieuw 1 bekend", 3, 2),
        ("45 min inloop venlo 1 bekende 2 nieuwe", 3, 2),
        ("45 min inloop venlo nieuw", 1, 1),
        ("45 min inloop venlo nieuwe bewoner", 1, 1),
        ("45 min inloop venlo bekend", 1, 0),
        ("45 min inloop venlo twee nieuw", 2, 2),
        ("45 min venlo groep van 8", 8, None),
        ("45 min venlo groep van 8, 2 nieuw", 8, 2),
        ("45 min inloop venlo 6 bewoners", 6, None),
        ("45 min inloop venlo 5 mensen 1 nieuw", 5, 1),
    ],
)
def test_resident_counts(text: str, count: int, new: int | None) -> None:
    e = parse(text)
    assert (e.residents_count, e.residents_new) == (count, new)


def test_group_count_implies_group_activity() -> None:
    e = parse("groep van 8 Panningen 2 uur rouw")
    assert (e.activity_type, e.residents_count, e.minutes) == ("groep", 8, 120)
    assert e.municipality == "Peel en Maas" and e.themes == ["rouw"]


def test_counts_conflict() -> None:
    assert P.COUNTS_CONFLICT not in parse("1 uur venlo groep van 3, 2 nieuw").problems
    e = parse("1 uur venlo groep van 2, 3 nieuw 1 bekend")
    assert (e.residents_count, e.residents_new) == (4, 3)
    assert P.COUNTS_CONFLICT in e.problems


@pytest.mark.parametrize(
    ("text", "referral", "reach", "themes"),
    [
        (
            "1 uur gesprek venlo schulden doorverwezen naar schuldhulp",
            "schuldhulp",
            None,
            ["schulden"],
        ),
        ("1 uur gesprek venlo naar wmo", "wmo", None, []),
        ("1 uur gesprek venlo wmo", "wmo", None, []),
        ("1 uur gesprek venlo naar de huisarts", "huisarts", None, []),
        ("1 uur gesprek venlo ggz", None, None, ["psychisch"]),  # bare ggz is the theme
        ("1 uur gesprek venlo ggz naar ggz", "ggz", None, ["psychisch"]),
        ("1 uur gesprek venlo warme overdracht naar wijkteam", "wijkteam", None, []),
        ("1 uur gesprek venlo veilig thuis", "veilig_thuis", None, []),
        ("1 uur gesprek venlo via netwerk", None, "netwerk", []),
        ("1 uur gesprek venlo via inloop", None, "inloop", []),
        ("1 uur gesprek venlo zelf gemeld", None, "zelf", []),
        ("1 uur gesprek venlo sleutelfiguur", None, "netwerk", []),
        ("1 uur gesprek venlo doorverwezen door de huisarts", None, "professional", []),
        ("1 uur gesprek venlo doorverwezen", None, "professional", []),
    ],
)
def test_referral_and_reach(
    text: str, referral: str | None, reach: str | None, themes: list[str]
) -> None:
    e = parse(text)
    assert (e.referral, e.reach_channel, e.themes) == (referral, reach, themes)
    assert e.activity_type == "een_op_een"
    assert e.unknown_words == []


@pytest.mark.parametrize(
    ("text", "activity"),
    [
        ("45 min venlo inloop", "inloop"),
        ("45 min venlo spreekuur", "inloop"),
        ("45 min venlo gesprek", "een_op_een"),
        ("45 min venlo 1-op-1", "een_op_een"),
        ("45 min venlo 1op1", "een_op_een"),
        ("45 min venlo een op een", "een_op_een"),
        ("45 min venlo zelfregiegroep", "groep"),
        ("45 min venlo straat", "outreach"),
        ("45 min venlo huis-aan-huis", "outreach"),
        ("45 min venlo voorlichting", "training"),
        ("45 min venlo trainig", "training"),  # typo
        ("45 min venlo intervisie", "intervisie"),
        ("45 min venlo netwerk", "netwerk"),  # activity, unless "via netwerk"
    ],
)
def test_activity_types(text: str, activity: str) -> None:
    assert parse(text).activity_type == activity


@pytest.mark.parametrize(
    ("text", "themes"),
    [
        ("1 uur gesprek venlo eenzaamhied", ["eenzaamheid"]),
        ("1 uur gesprek venlo armoed", ["armoede"]),
        ("1 uur gesprek venlo geldzorgen", ["armoede"]),
        ("1 uur gesprek venlo sociaal isolement", ["eenzaamheid"]),
        ("1 uur gesprek venlo huiselijk geweld", ["huiselijk_geweld"]),
        ("1 uur gesprek venlo verslaafd drugs", ["verslaving"]),
        ("1 uur gesprek venlo rouw en verlies", ["rouw"]),
        ("1 uur gesprek venlo statushouder", ["nieuwkomers"]),
        ("1 uur gesprek venlo schulden armoede", ["schulden", "armoede"]),
        ("1 uur gesprek venlo psychische kwetsbaarheid", ["psychisch"]),
    ],
)
def test_themes(text: str, themes: list[str]) -> None:
    assert parse(text).themes == themes


def test_common_words_are_not_typos_of_themes() -> None:
    e = parse("1 uur gesprek venlo mw gezien, werkt zelfs graag")
    assert e.themes == [] and e.reach_channel is None


def test_date_in_line() -> None:
    assert parse("gisteren 1 uur inloop venlo").work_date == date(2026, 3, 11)
    assert parse("di 1 uur inloop venlo").work_date == date(2026, 3, 10)
    assert parse("1 uur inloop venlo 9-3").work_date == date(2026, 3, 9)
    assert parse("1 uur inloop venlo").work_date == TODAY


def test_date_problems() -> None:
    e = parse("morgen 1 uur inloop venlo")
    assert e.work_date is None and P.DATE_FUTURE in e.problems
    e = parse("1-1 1 uur inloop venlo")
    assert e.work_date is None and P.DATE_TOO_OLD in e.problems
    assert parse("1-1 1 uur inloop venlo", max_back_days=90).work_date == date(2026, 1, 1)


def test_duration_problems() -> None:
    e = parse("inloop venlo armoede")
    assert e.minutes is None and e.problems == [P.NO_DURATION]
    e = parse("30 uur inloop venlo")
    assert e.minutes is None and P.DURATION_TOO_LONG in e.problems
    e = parse("0 min inloop venlo")
    assert e.minutes is None and P.DURATION_ZERO in e.problems


def test_missing_municipality_and_activity() -> None:
    e = parse("45 min armoede")
    assert P.NO_MUNICIPALITY in e.problems and P.NO_ACTIVITY_TYPE in e.problems


def test_several_municipalities() -> None:
    e = parse("45 min inloop venlo en venray")
    assert e.municipality == "Venlo" and P.SEVERAL_MUNICIPALITIES in e.problems
    e = parse("45 min inloop venlo blerick")  # same municipality: fine
    assert P.SEVERAL_MUNICIPALITIES not in e.problems


def test_several_activity_types() -> None:
    e = parse("45 min venlo training intervisie")
    assert e.activity_type == "training" and P.SEVERAL_ACTIVITY_TYPES in e.problems


@pytest.mark.parametrize(
    ("text", "municipality", "place"),
    [
        ("1 uur inloop Echt schulden", "Echt-Susteren", "Echt"),  # capitalised: a place
        ("1 uur inloop in echt schulden", "Echt-Susteren", "Echt"),
        ("45 min gesprek Horst a/d Maas", "Horst aan de Maas", "Horst aan de Maas"),
        ("45 min gesprek st odilienberg", "Roerdalen", "Sint Odiliënberg"),
        ("45 min gesprek venlow", "Venlo", "Venlo"),
    ],
)
def test_places(text: str, municipality: str, place: str) -> None:
    e = parse(text)
    assert (e.municipality, e.place) == (municipality, place)


def test_ambiguous_lowercase_word_is_not_a_place() -> None:
    e = parse("45 min gesprek heel eenzaam")
    assert e.municipality is None and e.unknown_words == ["heel"]
    assert e.themes == ["eenzaamheid"]


@pytest.mark.parametrize(
    ("text", "vindplek", "municipality", "activity"),
    [
        ("45 min buurthuis de kolk venlo eenzaam", "Buurthuis De Kolk", "Venlo", None),
        ("45 min gesprek buurthuis de klok venlo", "Buurthuis De Kolk", "Venlo", "een_op_een"),
        ("45 min gesprek kolk venray", "Buurthuis De Kolk", "Venray", "een_op_een"),
        ("1 uur gesprek voedselbank armoede", "Voedselbank Blerick", "Venlo", "een_op_een"),
        ("1 uur gesprek bibliotheek venlo", "Bibliotheek Venlo", "Venlo", "een_op_een"),
        ("45 min de schakel roermond", "Inloop De Schakel", "Roermond", "inloop"),
    ],
)
def test_vindplek(text: str, vindplek: str, municipality: str, activity: str | None) -> None:
    e = parse(text)
    assert (e.vindplek, e.municipality, e.activity_type) == (vindplek, municipality, activity)
    assert e.unknown_words == []


def test_no_vindplekken_given() -> None:
    e = parse_quick_entry("45 min gesprek kolk venlo", TODAY)
    assert e.vindplek is None and e.unknown_words == ["kolk"]


def test_unknown_words_keep_original_spelling() -> None:
    e = parse("45 min gesprek Venlo Blablabla iets moois")
    assert e.unknown_words == ["Blablabla", "iets", "moois"]


def test_custom_vocabulary() -> None:
    vocab = dict(vocabulary())
    vocab["themes"] = (
        *vocab["themes"],
        VocabEntry("energiearmoede", "energiearmoede", ("energiearmoede", "energierekening")),
    )
    e = parse("45 min gesprek venlo energierekening", vocabulary=vocab)
    assert e.themes == ["energiearmoede"]
    # Without the custom term it is an unknown word.
    assert parse("45 min gesprek venlo energierekening").unknown_words == ["energierekening"]


def test_empty_and_noise() -> None:
    e = parse("")
    assert e.minutes is None and e.work_date == TODAY
    assert set(e.problems) == {P.NO_DURATION, P.NO_MUNICIPALITY, P.NO_ACTIVITY_TYPE}
    assert parse("!!! ???").unknown_words == []


# --- property tests ---------------------------------------------------------------------


@settings(deadline=None)  # first calls build caches; CI machines vary
@given(st.text())
def test_never_crashes(text: str) -> None:
    e = parse(text)
    assert e.residents_count >= 0
    assert all(w for w in e.unknown_words)


@settings(deadline=None, max_examples=60)
@given(
    st.lists(
        st.sampled_from(
            [
                "45 min",
                "1u30",
                "inloop",
                "Blerick",
                "venlo",
                "armoede",
                "eenzaamhied",
                "2 nieuw",
                "1 bekend",
                "groep van 8",
                "naar wmo",
                "via netwerk",
                "gisteren",
                "kolk",
                "di",
                ",",
            ]
        ),
        max_size=12,
    )
)
def test_word_salad_never_crashes_and_is_consistent(words: list[str]) -> None:
    e = parse(" ".join(words))
    if e.residents_new is not None:
        assert 0 <= e.residents_new <= e.residents_count
    assert (e.minutes is None) == any(
        p in e.problems for p in (P.NO_DURATION, P.DURATION_ZERO, P.DURATION_TOO_LONG)
    )


def test_long_input() -> None:
    parse("45 min inloop Blerick armoede 2 nieuw " * 120)


@pytest.mark.parametrize(
    ("text", "minutes", "work_date"),
    [
        ("inloop Venlo armoede 2 uur 16 nov", 120, date(2025, 11, 16)),
        ("inloop Venlo 1 uur 16-11 armoede", 60, date(2025, 11, 16)),
        ("inloop Venlo armoede 2 uur 16/11", 120, date(2025, 11, 16)),
        ("inloop Venlo armoede 10-12 uur", 120, TODAY),
        ("inloop Venlo armoede 10-12 uur 9-3", 120, date(2026, 3, 9)),
    ],
)
def test_date_digits_are_not_minutes(text: str, minutes: int, work_date: date) -> None:
    e = parse(text, max_back_days=365)
    assert (e.minutes, e.work_date) == (minutes, work_date)
    assert e.unknown_words == [] and e.problems == []


# --------------------------------------------------------------------------- deelopdrachten

DEEL_CODES = ["wij-venlo", "wij-groningen", "jongeren_venray"]
LINE_PARTS = ["45 min", "inloop", "armoede", "2 nieuw", "Blerick", "eenzaamheid", "gisteren"]


@settings(max_examples=60, deadline=None)
@given(
    parts=st.permutations(LINE_PARTS),
    code=st.sampled_from(DEEL_CODES),
    at=st.integers(0, len(LINE_PARTS)),
    upper=st.booleans(),
)
def test_a_code_anywhere_in_the_line_names_its_deelopdracht(parts, code, at, upper) -> None:
    """Wherever the code stands, in any case: found, and the rest of the line parses as
    without it."""
    named = code.upper() if upper else code
    words = [*parts[:at], named, *parts[at:]]
    e = parse(" ".join(words), deelopdrachten=DEEL_CODES)
    plain = parse(" ".join(parts))
    assert e.deelopdracht == code
    assert (e.minutes, e.activity_type, e.themes, e.residents_new) == (
        plain.minutes,
        plain.activity_type,
        plain.themes,
        plain.residents_new,
    )
    assert not e.questions


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=80))
def test_any_text_with_deelopdrachten_never_raises(text: str) -> None:
    e = parse(text, deelopdrachten=DEEL_CODES)
    assert e.deelopdracht in (None, *DEEL_CODES)


# --------------------------------------------------------------------------- audit #10, #11


@pytest.mark.parametrize(
    ("text", "taken"),
    [
        ("45 min inloop Blerick armoede 99999 nieuw", None),
        ("1 uur groep van 1.000 venlo", None),
        ("1 uur venlo 501 bewoners", None),
        ("45 min inloop Blerick armoede 500 nieuw", 500),  # the limit itself
    ],
)
def test_a_count_up_to_the_limit_is_taken_above_it_a_problem(text: str, taken: int | None) -> None:
    e = parse(text)
    if taken is None:
        assert QuickEntryProblem.COUNT_TOO_HIGH in e.problems
        assert e.residents_new is None
        assert not e.questions  # the number is not asked about as an unknown word
    else:
        assert e.residents_count == taken and e.residents_new == taken
        assert QuickEntryProblem.COUNT_TOO_HIGH not in e.problems


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("45 min inloop Venlo armoede 1 nieuw mevrouw Jansen 0612345678", {"name_title", "phone"}),
        ("1 uur inloop venlo armoede 3 nieuw piet@voorbeeld.nl", {"email"}),
        ("1 uur inloop Kerkstraat 12 venlo armoede", {"address"}),
    ],
)
def test_identifiers_are_left_out_and_reported(text: str, kinds: set[str]) -> None:
    e = parse(text)
    assert set(e.private) == kinds
    assert not e.questions and not e.unknown_words
    assert e.municipality == "Venlo" and e.activity_type == "inloop" and e.themes == ["armoede"]


def test_no_identifiers_in_a_plain_entry() -> None:
    assert parse("45 min inloop Blerick armoede, eenzaamheid 2 nieuw").private == []
