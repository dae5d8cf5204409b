"""The limits every dialogue shares: work dates, durations, day totals and free text."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain import limits
from bot.domain.durations import format_duration
from bot.domain.privacy import FindingKind

TODAY = date(2026, 11, 17)  # a Tuesday

# --------------------------------------------------------------------------- dates


def test_check_work_date() -> None:
    assert limits.check_work_date(TODAY, TODAY, 14) is None
    assert limits.check_work_date(TODAY - timedelta(days=14), TODAY, 14) is None
    assert limits.check_work_date(TODAY - timedelta(days=15), TODAY, 14) == "too_old"
    assert limits.check_work_date(TODAY + timedelta(days=1), TODAY, 14) == "future"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("gisteren", (date(2026, 11, 16), None)),
        ("vandaag", (TODAY, None)),
        ("maandag", (date(2026, 11, 16), None)),
        ("3-11", (date(2026, 11, 3), None)),
        ("2-11", (None, "too_old")),
        ("1-1-2020", (None, "too_old")),
        ("morgen", (None, "future")),
        ("18-11-2026", (None, "future")),
        ("twee", (None, "unknown")),
        ("", (None, "unknown")),
        ("31-2", (None, "unknown")),
    ],
)
def test_read_work_date(text: str, expected: tuple[date | None, str | None]) -> None:
    assert limits.read_work_date(text, TODAY, 14) == expected


def test_read_work_date_a_day_just_ahead_was_meant_for_this_year() -> None:
    # "24-11" on 17-11 reads as last year's 24 November; they meant next week: the future.
    assert limits.read_work_date("24-11", TODAY, 14) == (None, "future")
    # Far ahead (more than a month): it really is long ago.
    assert limits.read_work_date("20-12", TODAY, 14) == (None, "too_old")


def test_read_work_date_with_a_year_is_that_year() -> None:
    # A typed year is taken as typed: 1-12-2025 is almost a year back, not next month.
    assert limits.read_work_date("1-12-2025", TODAY, 14) == (None, "too_old")
    assert limits.read_work_date("1-1-2026", date(2026, 12, 1), 14) == (None, "too_old")


# --------------------------------------------------------------------------- durations


def test_check_minutes() -> None:
    assert limits.check_minutes(1) is None
    assert limits.check_minutes(0) == "too_short"
    assert limits.check_minutes(24 * 60) is None
    assert limits.check_minutes(24 * 60 + 1) == "too_long"
    assert limits.check_minutes(4, minimum=limits.MIN_INDIRECT_MINUTES) == "too_short"
    assert limits.check_minutes(5, minimum=limits.MIN_INDIRECT_MINUTES) is None
    assert limits.check_minutes(13 * 60, maximum=limits.MAX_CONTACT_MINUTES) == "too_long"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("45 min", (45, None)),
        ("1,5 uur", (90, None)),
        ("2 min", (None, "too_short")),  # below the indirect-hours minimum
        ("0 min", (None, "too_short")),
        ("30 uur", (None, "too_long")),
        ("13 uur", (None, "too_long")),  # above the contact maximum used here
        ("twee", (None, "unknown")),
        ("🙂", (None, "unknown")),
    ],
)
def test_read_minutes(text: str, expected: tuple[int | None, str | None]) -> None:
    got = limits.read_minutes(
        text, minimum=limits.MIN_INDIRECT_MINUTES, maximum=limits.MAX_CONTACT_MINUTES
    )
    assert got == expected


def test_day_total_and_grows_day() -> None:
    assert limits.day_total_too_high(9 * 60, 45, 10) == (False, 585)
    assert limits.day_total_too_high(9 * 60 + 30, 45, 10) == (True, 615)
    # A correction: shorter on the same day never asks; longer or another day does.
    assert not limits.grows_day(TODAY, 60, TODAY, 45)
    assert not limits.grows_day(TODAY, 60, TODAY, 60)
    assert limits.grows_day(TODAY, 60, TODAY, 61)
    assert limits.grows_day(TODAY, 60, TODAY - timedelta(days=1), 30)


# --------------------------------------------------------------------------- text


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂", "no_letters"),
        ("12345678901", "no_letters"),
        ("kort", "too_short"),
        ("x" * 1001, "too_long"),
        ("Bel mevrouw Jansen op 0612345678 terug.", "identifying"),
    ],
)
def test_check_text_codes(text: str, code: str) -> None:
    problem = limits.check_text(text, max_chars=1000, today=TODAY)
    assert problem is not None and problem.code == code


def test_check_text_names_each_identifier_once_in_order() -> None:
    problem = limits.check_text(
        "Mevrouw Jansen belde, 06-12345678, en later weer 06-87654321.",
        max_chars=1000,
        today=TODAY,
    )
    assert problem == limits.TextProblem("identifying", (FindingKind.NAME_TITLE, FindingKind.PHONE))


def test_check_text_fine() -> None:
    assert limits.check_text("Veel jongeren zoeken werk.", max_chars=1000, today=TODAY) is None
    assert limits.check_text_length("x" * 10, max_chars=10) is None


# --------------------------------------------------------------------------- properties


@settings(deadline=None)
@given(st.text(max_size=60), st.integers(min_value=0, max_value=60))
def test_read_work_date_is_a_date_in_range_or_a_code(text: str, back: int) -> None:
    chosen, code = limits.read_work_date(text, TODAY, back)
    if chosen is None:
        assert code in ("unknown", "future", "too_old")
    else:
        assert code is None
        assert limits.check_work_date(chosen, TODAY, back) is None


@settings(deadline=None)
@given(
    st.dates(min_value=date(2001, 1, 1), max_value=date(2098, 12, 31)),
    st.integers(min_value=0, max_value=40),
    st.integers(min_value=0, max_value=40),
)
def test_read_work_date_round_trip(today: date, back: int, max_back: int) -> None:
    d = today - timedelta(days=back)
    chosen, code = limits.read_work_date(d.strftime("%d-%m-%Y"), today, max_back)
    if back <= max_back:
        assert (chosen, code) == (d, None)
    else:
        assert (chosen, code) == (None, "too_old")


@settings(deadline=None)
@given(
    st.text(max_size=60),
    st.integers(min_value=1, max_value=60),
    st.integers(min_value=60, max_value=24 * 60),
)
def test_read_minutes_is_in_range_or_a_code(text: str, minimum: int, maximum: int) -> None:
    minutes, code = limits.read_minutes(text, minimum=minimum, maximum=maximum)
    if minutes is None:
        assert code in ("unknown", "too_short", "too_long")
    else:
        assert code is None and minimum <= minutes <= maximum


@settings(deadline=None)
@given(st.integers(min_value=1, max_value=24 * 60), st.integers(min_value=1, max_value=24 * 60))
def test_read_minutes_round_trip(minutes: int, maximum: int) -> None:
    expected = (minutes, None) if minutes <= maximum else (None, "too_long")
    assert limits.read_minutes(format_duration(minutes), maximum=maximum) == expected


@settings(deadline=None)
@given(st.text(max_size=1200))
def test_check_text_accepts_only_what_passes_every_rule(text: str) -> None:
    problem = limits.check_text(text, max_chars=1000, today=TODAY)
    if problem is None:
        assert any(ch.isalpha() for ch in text)
        assert limits.MIN_TEXT_CHARS <= len(text) <= 1000
        assert limits.identifying(text, TODAY) == ()
    else:
        assert (problem.code == "identifying") == bool(problem.found)
