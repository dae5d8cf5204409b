"""The pure rules of the key figures register: a role is never a name (nor anything the privacy
guard finds), "since when" in Dutch, and the coordinator's counts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.data import municipalities
from bot.domain.dates import MONTHS
from bot.domain.key_figures import (
    FIRST_NAMES,
    MAX_ROLE_CHARS,
    MAX_SINCE_YEARS,
    ROLE_WORDS,
    TITLES,
    check_role,
    clean_role,
    looks_like_name,
    parse_since,
    tally,
)
from bot.domain.privacy import FindingKind, check_free_text

TODAY = date(2026, 11, 17)
SURNAMES = [
    "Jansen",
    "Janssen",
    "de Vries",
    "van den Berg",
    "Peeters",
    "Hendriks",
    "Willems",
    "Smeets",
    "Yılmaz",
    "El Amrani",
    "van Dijk",
    "Pietersen",
]
ROLES = [
    "kapper",
    "huisarts",
    "voorzitter buurtvereniging",
    "Voorzitter Buurtvereniging",
    "imam van de moskee",
    "juf basisschool",
    "eigenaar van de snackbar",
    "wijkagent",
    "Wijkverpleegkundige",
    "pastoor",
    "beheerder buurthuis",
    "vrijwilliger voedselbank",
    "GGD-verpleegkundige",
    "medewerker AZC",
]
VILLAGES = [v for m in municipalities() for v in m.villages] + [m.name for m in municipalities()]


def name_of(text: str):
    problem = check_role(text, TODAY)
    return problem.code if problem else None


@pytest.mark.parametrize("role", ROLES)
def test_roles_are_accepted(role):
    assert check_role(role, TODAY) is None


@pytest.mark.parametrize(
    "text",
    [
        "Jan",
        "jan",
        "Jan Jansen",
        "Piet de Vries",
        "meneer X",
        "mevrouw Y",
        "mevrouw de Vries",
        "dhr. Jansen",
        "familie Bakker",
        "de heer Smeets",
        "huisarts Pietersen",
        "kapper de Vries",
        "Juf Anja",
        "buurvrouw van Fatima",
        "Mohammed van de moskee",
        "Jansen",
        "smeets",
        "Yilmaz",
    ],
)
def test_names_are_refused(text):
    assert name_of(text) == "name"


def test_other_problems():
    assert name_of("   ") == "no_letters"
    assert name_of("123") == "no_letters"
    assert name_of("xy") == "too_short"
    assert name_of("kapper " * 20) == "too_long"
    phone = check_role("kapper 06-12345678", TODAY)
    assert phone is not None and phone.code == "identifying"
    assert FindingKind.PHONE in phone.found
    mail = check_role("huisarts piet@example.nl", TODAY)
    assert mail is not None and mail.code == "identifying"
    assert clean_role("  voorzitter   buurtvereniging ") == "voorzitter buurtvereniging"


def test_places_of_the_region_are_no_names():
    assert check_role("kapper in Blerick", TODAY) is None
    assert check_role("huisarts Sint Joost", TODAY) is None
    assert check_role("Horst aan de Maas dorpsraad", TODAY) is None


@settings(deadline=None)
@given(st.sampled_from(sorted(FIRST_NAMES)), st.sampled_from(SURNAMES))
def test_a_first_name_with_a_surname_is_always_a_name(first, last):
    assert looks_like_name(f"{first.capitalize()} {last}")
    assert name_of(f"{first.capitalize()} {last}") == "name"
    assert name_of(first) == "name"


@settings(deadline=None)
@given(
    st.sampled_from(sorted(TITLES - {"mw."})),
    st.text(st.characters(categories=["L"]), min_size=1, max_size=12),
)
def test_a_form_of_address_is_always_refused(title, word):
    assert name_of(f"{title} {word}") in {"name", "identifying"}


@settings(deadline=None)
@given(st.sampled_from(sorted(ROLE_WORDS)), st.sampled_from(VILLAGES))
def test_a_role_in_a_village_is_accepted(role, village):
    text = f"{role} in {village}"
    if check_free_text(text, today=TODAY):  # the privacy guard's call, not this rule's
        return
    assert check_role(text, TODAY) is None, text


@settings(deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_read_without_error_and_what_passes_is_storable(text):
    problem = check_role(text, TODAY)
    if problem is None:
        role = clean_role(text)
        assert 3 <= sum(ch.isalpha() for ch in role) and len(role) <= MAX_ROLE_CHARS
        assert check_free_text(role, today=TODAY) == []
        assert not looks_like_name(role)


# --------------------------------------------------------------------------- since when


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("vandaag", TODAY),
        ("gisteren", date(2026, 11, 16)),
        ("1 maart", date(2026, 3, 1)),
        ("sinds 1 maart", date(2026, 3, 1)),
        ("Sinds maart", date(2026, 3, 1)),
        ("maart", date(2026, 3, 1)),
        ("december", date(2025, 12, 1)),  # still to come this year: last year's
        ("november", date(2026, 11, 1)),
        ("maart 2025", date(2025, 3, 1)),
        ("vanaf mei 2024", date(2024, 5, 1)),
        ("vorig jaar", date(2025, 1, 1)),
        ("dit jaar", date(2026, 1, 1)),
        ("vorige maand", date(2026, 10, 1)),
        ("deze maand", date(2026, 11, 1)),
        ("2024", date(2024, 1, 1)),
        ("sinds 2019", date(2019, 1, 1)),
        ("12-3-2025", date(2025, 3, 12)),
        ("12-3", date(2026, 3, 12)),
        ("2026-03-01", date(2026, 3, 1)),
        ("3 maanden geleden", date(2026, 8, 17)),
        ("twee jaar geleden", date(2024, 11, 17)),
        ("2 weken geleden", date(2026, 11, 3)),
    ],
)
def test_since(text, expected):
    assert parse_since(text, TODAY) == (expected, None)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("morgen", "future"),
        ("2027", "future"),
        ("1900", "too_old"),
        ("al een tijdje", "unknown"),
        ("", "unknown"),
        ("31-2-2025", "unknown"),
        ("maart 0000", "unknown"),
    ],
)
def test_since_refused(text, code):
    assert parse_since(text, TODAY) == (None, code)


def test_months_ago_clip_to_the_end_of_the_month():
    assert parse_since("1 maand geleden", date(2026, 3, 31)) == (date(2026, 2, 28), None)


@settings(deadline=None)
@given(st.dates(min_value=TODAY - timedelta(days=365 * MAX_SINCE_YEARS), max_value=TODAY))
def test_a_written_out_day_reads_back(day):
    month = next(name for name, n in MONTHS.items() if n == day.month and len(name) >= 3)
    for text in (
        f"{day.day}-{day.month}-{day.year}",
        day.isoformat(),
        f"sinds {day.day} {month} {day.year}",
    ):
        assert parse_since(text, TODAY) == (day, None), text


@settings(deadline=None)
@given(st.sampled_from(sorted(MONTHS)), st.dates(min_value=date(2000, 1, 1)))
def test_a_month_is_its_most_recent_first_day(month, today):
    since, code = parse_since(month, today)
    assert code is None and since is not None
    assert since.day == 1 and since.month == MONTHS[month]
    assert since <= today and (today - since).days < 366


@settings(deadline=None)
@given(st.text(max_size=60))
def test_since_never_raises_nor_lies_ahead(text):
    since, code = parse_since(text, TODAY)
    assert (since is None) != (code is None)
    if since is not None:
        assert since <= TODAY and TODAY.year - since.year <= MAX_SINCE_YEARS


# --------------------------------------------------------------------------- counts


def test_tally():
    counted = tally(
        [("kapper", "goed"), ("Kapper", "af_en_toe"), ("huisarts", "goed"), ("imam", "goed")]
    )
    assert (counted.good, counted.occasional, counted.total) == (3, 1, 4)
    assert counted.roles == [("kapper", 2), ("huisarts", 1), ("imam", 1)]
    assert tally([]).roles == []
