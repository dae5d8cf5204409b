"""Work dates, pause dates and clock times typed in Dutch."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
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
from tests.support import table

TODAY = date(2026, 3, 12)  # a Thursday


@pytest.mark.parametrize(("text", "expected"), table("dates.yaml", "parse_work_date"))
def test_parse_work_date(text: str, expected: date) -> None:
    assert parse_work_date(text, TODAY) == expected


def test_year_is_most_recent_past_occurrence() -> None:
    today = date(2026, 1, 5)
    assert parse_work_date("30 dec", today) == date(2025, 12, 30)
    assert parse_work_date("3 jan", today) == date(2026, 1, 3)
    assert parse_work_date("31-12", today) == date(2025, 12, 31)


ERRORS = [(parse_work_date, *case) for case in table("dates.yaml", "parse_work_date_errors")] + [
    (parse_pause_until, *case) for case in table("dates.yaml", "parse_pause_until_errors")
]


@pytest.mark.parametrize(("parse", "text", "code"), ERRORS)
def test_errors(parse: Callable[[str, date], date], text: str, code: str) -> None:
    with pytest.raises(DateError) as exc:
        parse(text, TODAY)
    assert exc.value.code is DateErrorCode[code]


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


@pytest.mark.parametrize(("text", "expected", "span"), table("dates.yaml", "find_date"))
def test_find_date(text: str, expected: date, span: str) -> None:
    found = find_date(text, TODAY)
    assert found is not None
    d, start, end = found
    assert (d, text[start:end]) == (expected, span)


@pytest.mark.parametrize("text", table("dates.yaml", "find_date_none"))
def test_find_date_none(text: str) -> None:
    assert find_date(text, TODAY) is None


@pytest.mark.parametrize(("text", "expected"), table("dates.yaml", "parse_pause_until"))
def test_parse_pause_until(text: str, expected: date) -> None:
    assert parse_pause_until(text, TODAY) == expected


def test_leap_day() -> None:
    assert parse_pause_until("29-2", date(2026, 3, 1), max_days=3650) == date(2028, 2, 29)
    assert parse_work_date("29-2", date(2028, 3, 1)) == date(2028, 2, 29)
    with pytest.raises(DateError) as exc:
        parse_work_date("29-2", date(2026, 3, 1))
    assert exc.value.code is DateErrorCode.TOO_OLD


@pytest.mark.parametrize(("text", "expected"), table("dates.yaml", "parse_time"))
def test_parse_time(text: str, expected: time | None) -> None:
    assert parse_time(text) == expected


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
    _read_every_way(text, today)


def test_long_adversarial_input() -> None:
    # Bounded regexes: these 5,000-character inputs are scanned in linear time.
    for text in ("1-" * 2500, "12 " * 1700, "op " * 1700 + "x", "gisteren " * 560):
        _read_every_way(text, TODAY)


def _read_every_way(text: str, today: date) -> None:
    """Read `text` as a work date (a DateError is an answer too), find a date in it and read it
    as a clock time: none of them may raise anything else."""
    with contextlib.suppress(DateError):
        parse_work_date(text, today)
    find_date(text, today)
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
