"""Durations typed by experts: parsing, finding inside a sentence, formatting."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.durations import (
    MAX_MINUTES,
    DurationError,
    DurationErrorCode,
    check_duration,
    find_duration,
    format_duration,
    parse_duration,
    validate_minutes,
)
from tests.support import table


@pytest.mark.parametrize(("text", "minutes"), table("durations.yaml", "parse_duration"))
def test_parse_duration(text: str, minutes: int) -> None:
    assert parse_duration(text) == minutes


@pytest.mark.parametrize("text", table("durations.yaml", "not_a_duration"))
def test_not_a_duration(text: str) -> None:
    assert parse_duration(text) is None
    with pytest.raises(DurationError) as exc:
        check_duration(text)
    assert exc.value.code is DurationErrorCode.NOT_A_DURATION


@pytest.mark.parametrize(("text", "code"), table("durations.yaml", "out_of_range"))
def test_out_of_range(text: str, code: str) -> None:
    with pytest.raises(DurationError) as exc:
        parse_duration(text)
    assert exc.value.code is DurationErrorCode[code]
    with pytest.raises(DurationError):
        check_duration(text)


@pytest.mark.parametrize(("text", "unit", "minutes"), table("durations.yaml", "bare_number_unit"))
def test_bare_number_unit(text: str, unit: str, minutes: int) -> None:
    assert parse_duration(text, bare_number_unit=unit) == minutes  # type: ignore[arg-type]


def test_validate_minutes() -> None:
    assert validate_minutes(1) == 1
    assert validate_minutes(MAX_MINUTES) == MAX_MINUTES
    with pytest.raises(DurationError):
        validate_minutes(0)
    with pytest.raises(DurationError):
        validate_minutes(MAX_MINUTES + 1)


@pytest.mark.parametrize(
    ("text", "minutes", "span"),
    table("durations.yaml", "find_duration")
    + table("durations.yaml", "find_duration_dates_and_hour_ranges"),
)
def test_find_duration(text: str, minutes: int, span: str) -> None:
    found = find_duration(text)
    assert found is not None
    got, start, end = found
    assert (got, text[start:end]) == (minutes, span)


@pytest.mark.parametrize("text", table("durations.yaml", "find_duration_none"))
def test_find_duration_none(text: str) -> None:
    assert find_duration(text) is None


@pytest.mark.parametrize("text", table("durations.yaml", "not_an_hour_range"))
def test_not_an_hour_range(text: str) -> None:
    # No range from A to B: at most "B uur" alone is found, never a span from A.
    found = find_duration(text)
    assert found is None or found[1] > 0


@pytest.mark.parametrize(("minutes", "text"), table("durations.yaml", "format_duration"))
def test_format_duration(minutes: int, text: str) -> None:
    assert format_duration(minutes) == text


def test_format_duration_english_numbers() -> None:
    assert format_duration(90, locale="en") == "1.5 hr"


def test_round_trip_every_minute() -> None:
    bad = [m for m in range(1, MAX_MINUTES + 1) if parse_duration(format_duration(m)) != m]
    assert bad == []


@settings(deadline=None)  # first calls build caches; CI machines vary
@given(st.integers(min_value=1, max_value=MAX_MINUTES))
def test_round_trip_inside_sentence(minutes: int) -> None:
    text = f"inloop Blerick {format_duration(minutes)} armoede"
    found = find_duration(text)
    assert found is not None and found[0] == minutes


@settings(deadline=None)  # first calls build caches; CI machines vary
@given(st.text())
def test_never_crashes(text: str) -> None:
    try:
        parse_duration(text)
        parse_duration(text, bare_number_unit="min")
        parse_duration(text, bare_number_unit="hour")
    except DurationError:
        pass
    found = find_duration(text)
    if found is not None:
        assert 0 <= found[1] < found[2] <= len(text)


@settings(deadline=None)  # first calls build caches; CI machines vary
@given(st.text(alphabet="0123456789 :.,-uurminkwartier", max_size=200))
def test_never_crashes_on_number_soup(text: str) -> None:
    try:
        parse_duration(text, bare_number_unit="hour")
    except DurationError:
        pass
    find_duration(text)


def test_long_input_is_linear() -> None:
    # Bounded regexes: a 5,000-character adversarial input is handled in one pass.
    text = ("1:" * 2500)[:5000]
    assert find_duration(text) is None or isinstance(find_duration(text), tuple)
    parse_duration("1 " * 2500)
