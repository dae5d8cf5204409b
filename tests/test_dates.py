"""Work dates, pause dates and clock times typed in Dutch."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.dates import (
    DateError,
    DateErrorCode,
    find_date,
    format_date_nl,
    parse_pause_until,
    parse_time,
    parse_work_date,
    validate_work_date,
)

TODAY = date(2026, 3, 12)  # a Thursday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("vandaag", date(2026, 3, 12)),
        ("Vandaag", date(2026, 3, 12)),
        ("vanmiddag", date(2026, 3, 12)),
        ("gisteren", date(2026, 3, 11)),
        ("gister", date(2026, 3, 11)),
        ("gisteravond", date(2026, 3, 11)),
        ("eergisteren", date(2026, 3, 10)),
        ("maandag", date(2026, 3, 9)),
        ("ma", date(2026, 3, 9)),
        ("di", date(2026, 3, 10)),
        ("di.", date(2026, 3, 10)),
        ("wo", date(2026, 3, 11)),
        ("woensdag", date(2026, 3, 11)),
        ("do", date(2026, 3, 12)),  # today counts as that weekday
        ("donderdag", date(2026, 3, 12)),
        ("vr", date(2026, 3, 6)),
        ("vrijdag", date(2026, 3, 6)),
        ("za", date(2026, 3, 7)),
        ("zaterdagochtend", date(2026, 3, 7)),
        ("zo", date(2026, 3, 8)),
        ("zondag", date(2026, 3, 8)),
        ("op dinsdag", date(2026, 3, 10)),
        ("afgelopen vrijdag", date(2026, 3, 6)),
        ("afgelopen donderdag", date(2026, 3, 5)),  # on a Thursday: a week ago, not today
        ("vorige donderdag", date(2026, 3, 5)),
        ("donderdag", date(2026, 3, 12)),  # plain: today
        ("vorige week dinsdag", date(2026, 3, 3)),
        ("12-3", date(2026, 3, 12)),
        ("12/3", date(2026, 3, 12)),
        ("1-3", date(2026, 3, 1)),
        ("01-03", date(2026, 3, 1)),
        ("12-03-2026", date(2026, 3, 12)),
        ("12-3-26", date(2026, 3, 12)),
        ("12.03.2026", date(2026, 3, 12)),
        ("12 maart", date(2026, 3, 12)),
        ("12 mrt", date(2026, 3, 12)),
        ("12 mrt.", date(2026, 3, 12)),
        ("5 Maart 2026", date(2026, 3, 5)),
        ("2026-03-12", date(2026, 3, 12)),
        ("2026-3-2", date(2026, 3, 2)),
        ("dinsdag 10 maart", date(2026, 3, 10)),
        ("  gisteren. ", date(2026, 3, 11)),
    ],
)
def test_parse_work_date(text: str, expected: date) -> None:
    assert parse_work_date(text, TODAY) == expected


def test_year_is_most_recent_past_occurrence() -> None:
    today = date(2026, 1, 5)
    assert parse_work_date("30 dec", today) == date(2025, 12, 30)
    assert parse_work_date("3 jan", today) == date(2026, 1, 3)
    assert parse_work_date("31-12", today) == date(2025, 12, 31)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", DateErrorCode.UNKNOWN),
        ("xyz", DateErrorCode.UNKNOWN),
        ("31-2", DateErrorCode.UNKNOWN),
        ("12-13", DateErrorCode.UNKNOWN),
        ("32 maart", DateErrorCode.UNKNOWN),
        ("12.3", DateErrorCode.UNKNOWN),  # a decimal number, not a date
        ("gisteren en vandaag", DateErrorCode.UNKNOWN),
        ("gisteren inloop", DateErrorCode.UNKNOWN),
        ("morgen", DateErrorCode.FUTURE),
        ("overmorgen", DateErrorCode.FUTURE),
        ("13-03-2026", DateErrorCode.FUTURE),
        ("2027-01-01", DateErrorCode.FUTURE),
        ("13-3", DateErrorCode.FUTURE),  # tomorrow, not last year's 13 March (issue 15)
        ("20 maart", DateErrorCode.FUTURE),
        ("12-4", DateErrorCode.FUTURE),  # within a month ahead: this year's
        ("13-4", DateErrorCode.TOO_OLD),  # further ahead: last year's
        ("3 jan", DateErrorCode.TOO_OLD),
        ("12-03-2025", DateErrorCode.TOO_OLD),
        ("1-1", DateErrorCode.TOO_OLD),
    ],
)
def test_parse_work_date_errors(text: str, code: DateErrorCode) -> None:
    with pytest.raises(DateError) as exc:
        parse_work_date(text, TODAY)
    assert exc.value.code is code


def test_max_back_days() -> None:
    assert parse_work_date("26-2", TODAY, max_back_days=14) == date(2026, 2, 26)
    with pytest.raises(DateError):
        parse_work_date("25-2", TODAY, max_back_days=14)
    assert parse_work_date("25-2", TODAY, max_back_days=30) == date(2026, 2, 25)


def test_validate_work_date() -> None:
    assert validate_work_date(TODAY, TODAY) == TODAY
    with pytest.raises(DateError) as exc:
        validate_work_date(TODAY + timedelta(days=1), TODAY)
    assert exc.value.code is DateErrorCode.FUTURE
    assert exc.value.date == TODAY + timedelta(days=1)


@pytest.mark.parametrize(
    ("text", "expected", "span"),
    [
        ("45 min inloop di blerick", date(2026, 3, 10), "di"),
        ("gisteren 1u30 inloop", date(2026, 3, 11), "gisteren"),
        ("inloop 12-3 venlo", date(2026, 3, 12), "12-3"),
        ("gesprek op 10 maart in Venlo", date(2026, 3, 10), "10 maart"),
        ("dinsdag 10 maart gesprek", date(2026, 3, 10), "dinsdag 10 maart"),
        ("gisteravond inloop", date(2026, 3, 11), "gisteravond"),
    ],
)
def test_find_date(text: str, expected: date, span: str) -> None:
    found = find_date(text, TODAY)
    assert found is not None
    d, start, end = found
    assert (d, text[start:end]) == (expected, span)


@pytest.mark.parametrize(
    "text",
    [
        "zo fijn gesprek",  # "zo" is "so" inside a sentence
        "1/2 uur",
        "10-12 uur",
        "inloop 10:00-12:00",
        "1,5 uur",
        "1.5u",
        "groep van 12",
        "week 47",
        "doorverwezen naar wmo",
        "maandelijks",
    ],
)
def test_find_date_none(text: str) -> None:
    assert find_date(text, TODAY) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12-8", date(2026, 8, 12)),
        ("tot 12-8", date(2026, 8, 12)),
        ("12 aug", date(2026, 8, 12)),
        ("12-3", date(2026, 3, 12)),  # today is fine
        ("11-3", date(2027, 3, 11)),  # next occurrence
        ("12-03-2027", date(2027, 3, 12)),
        ("maandag", date(2026, 3, 16)),
        ("donderdag", date(2026, 3, 19)),  # next week's, not today
        ("morgen", date(2026, 3, 13)),
        ("over 2 weken", date(2026, 3, 26)),
        ("3 dagen", date(2026, 3, 15)),
    ],
)
def test_parse_pause_until(text: str, expected: date) -> None:
    assert parse_pause_until(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("xyz", DateErrorCode.UNKNOWN),
        ("31-2", DateErrorCode.UNKNOWN),
        ("12-03-2025", DateErrorCode.PAST),
        ("gisteren", DateErrorCode.PAST),
        ("12-03-2028", DateErrorCode.TOO_FAR),
        ("over 60 weken", DateErrorCode.TOO_FAR),
    ],
)
def test_parse_pause_until_errors(text: str, code: DateErrorCode) -> None:
    with pytest.raises(DateError) as exc:
        parse_pause_until(text, TODAY)
    assert exc.value.code is code


def test_leap_day() -> None:
    assert parse_pause_until("29-2", date(2026, 3, 1), max_days=3650) == date(2028, 2, 29)
    assert parse_work_date("29-2", date(2028, 3, 1)) == date(2028, 2, 29)
    with pytest.raises(DateError) as exc:
        parse_work_date("29-2", date(2026, 3, 1))
    assert exc.value.code is DateErrorCode.TOO_OLD


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("16:30", time(16, 30)),
        ("16.30", time(16, 30)),
        ("1630", time(16, 30)),
        ("930", time(9, 30)),
        ("16u30", time(16, 30)),
        ("16h30", time(16, 30)),
        ("16 uur", time(16)),
        ("9u", time(9)),
        ("om 9:05", time(9, 5)),
        ("16:30 uur", time(16, 30)),
        ("0:00", time(0)),
    ],
)
def test_parse_time(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["", "16", "24:00", "16:60", "2530", "abc", "16:3", "1:30 pm"])
def test_parse_time_none(text: str) -> None:
    assert parse_time(text) is None


def test_format_date_nl() -> None:
    assert format_date_nl(date(2026, 3, 3)) == "dinsdag 3 maart"
    assert format_date_nl(date(2026, 12, 25)) == "vrijdag 25 december"


# --- property tests ---------------------------------------------------------------------

dates_in_range = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


@settings(deadline=None)  # first calls build caches; CI machines vary
@given(dates_in_range, st.integers(min_value=0, max_value=14))
def test_round_trip_format_parse(today: date, back: int) -> None:
    d = today - timedelta(days=back)
    for text in (
        format_date_nl(d),
        f"{d.day}-{d.month}",
        f"{d.day}-{d.month}-{d.year}",
        d.isoformat(),
    ):
        assert parse_work_date(text, today) == d, text


@settings(deadline=None)  # first calls build caches; CI machines vary
@given(dates_in_range, st.integers(min_value=0, max_value=366))
def test_pause_round_trip(today: date, ahead: int) -> None:
    d = today + timedelta(days=ahead)
    assert parse_pause_until(d.strftime("%d-%m-%Y"), today) == d
    if ahead < 365:
        assert parse_pause_until(f"{d.day}-{d.month}", today) == d


@settings(deadline=None)  # first calls build caches; CI machines vary
@given(dates_in_range, st.sampled_from(range(7)))
def test_weekday_is_within_last_week(today: date, wd: int) -> None:
    name = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"][wd]
    d = parse_work_date(name, today)
    assert d.weekday() == wd and 0 <= (today - d).days < 7


@settings(deadline=None)  # first calls build caches; CI machines vary
@given(st.text(), dates_in_range)
def test_never_crashes(text: str, today: date) -> None:
    for fn in (parse_work_date, parse_pause_until):
        try:
            fn(text, today)
        except DateError:
            pass
    found = find_date(text, today)
    if found is not None:
        assert 0 <= found[1] < found[2] <= len(text)
    parse_time(text)


@settings(deadline=None)  # first calls build caches; CI machines vary
@given(st.text(alphabet="0123456789-/. :uhmaart", max_size=200), dates_in_range)
def test_never_crashes_on_number_soup(text: str, today: date) -> None:
    try:
        parse_work_date(text, today)
    except DateError:
        pass
    find_date(text, today)
    parse_time(text)


def test_long_adversarial_input() -> None:
    # Bounded regexes: these 5,000-character inputs are scanned in linear time.
    for text in ("1-" * 2500, "12 " * 1700, "op " * 1700 + "x", "gisteren " * 560):
        try:
            parse_work_date(text, TODAY)
        except DateError:
            pass
        find_date(text, TODAY)
        parse_time(text)


def test_parse_date_has_no_range_check() -> None:
    from bot.domain.dates import parse_date

    assert parse_date("3 jan", TODAY) == date(2026, 1, 3)
    assert parse_date("morgen", TODAY) == date(2026, 3, 13)
    assert parse_date("geen datum", TODAY) is None


def test_find_impossible_date() -> None:
    from bot.domain.dates import find_impossible_date

    text = "2 uur 31-2 venlo"
    span = find_impossible_date(text)
    assert span is not None and text[span[0] : span[1]] == "31-2"
    assert find_impossible_date("30 februari") is not None
    assert find_impossible_date("29-2") is None  # a leap day exists
    assert find_impossible_date("2 uur 12-3 venlo") is None
