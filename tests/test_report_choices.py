"""bot.domain.report_choices: the period buttons of /rapport, /verhalen and /toelichting."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.report_choices import (
    HALF,
    QUARTER,
    YEAR,
    PeriodChoice,
    choice_from_code,
    containing,
    page_bounds,
    recent_periods,
)


def test_offered_in_november_2026():
    codes = [p.code for p in recent_periods(date(2026, 11, 17))]
    assert codes == ["2026-H1", "2026-H2", "2026-Q3", "2026-Q4", "2025", "2026"]


def test_offered_on_new_years_day():
    codes = [p.code for p in recent_periods(date(2027, 1, 1))]
    assert codes == ["2026-H2", "2027-H1", "2026-Q4", "2027-Q1", "2026", "2027"]


def test_bounds():
    assert (PeriodChoice(HALF, 2026, 1).start, PeriodChoice(HALF, 2026, 1).end) == (
        date(2026, 1, 1),
        date(2026, 6, 30),
    )
    assert PeriodChoice(QUARTER, 2026, 4).end == date(2026, 12, 31)
    assert PeriodChoice(QUARTER, 2024, 1).end == date(2024, 3, 31)
    assert PeriodChoice(YEAR, 2026, 1).start == date(2026, 1, 1)
    assert PeriodChoice(YEAR, 2026, 1).end == date(2026, 12, 31)
    assert PeriodChoice(HALF, 2026, 2).running_on(date(2026, 11, 17))
    assert not PeriodChoice(HALF, 2026, 1).running_on(date(2026, 11, 17))


def test_codes_read_back():
    assert choice_from_code("2026-H1") == PeriodChoice(HALF, 2026, 1)
    assert choice_from_code("2026-q3") == PeriodChoice(QUARTER, 2026, 3)
    assert choice_from_code("2026") == PeriodChoice(YEAR, 2026, 1)
    for bad in ("2026-H3", "2026-Q5", "2026-Q0", "26-H1", "H1", "", "2026-H1x", "1999"):
        assert choice_from_code(bad) is None, bad


def test_pages():
    assert page_bounds(0, 0, 5) == (0, 0, 0)
    assert page_bounds(12, 0, 5) == (0, 5, 0)
    assert page_bounds(12, 2, 5) == (10, 12, 2)
    assert page_bounds(12, 7, 5) == (10, 12, 2)  # the list shrank: the last page
    assert page_bounds(10, -1, 5) == (0, 5, 0)


days = st.dates(min_value=date(2001, 1, 1), max_value=date(2998, 12, 31))


@given(days)
def test_recent_periods_hold_today_and_the_one_before(today):
    offered = recent_periods(today)
    assert len(offered) == 6
    for kind in (HALF, QUARTER, YEAR):
        mine = [p for p in offered if p.kind == kind]
        previous, current = mine
        assert current.start <= today <= current.end
        assert current.running_on(today) and not previous.running_on(today)
        assert previous.end + timedelta(days=1) == current.start
        assert containing(kind, today) == current


@given(days, st.sampled_from([HALF, QUARTER, YEAR]))
def test_codes_round_trip_and_periods_tile(day, kind):
    p = containing(kind, day)
    assert choice_from_code(p.code) == p
    assert p.previous().following() == p
    assert p.following().start == p.end + timedelta(days=1)
