"""Report periods: names and date pairs, error codes, year-to-date (pure)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.periods import Period, PeriodError, parse_period, year_to_date


@pytest.mark.parametrize(
    ("text", "start", "end", "key"),
    [
        ("2026-H1", date(2026, 1, 1), date(2026, 6, 30), "2026-H1"),
        ("2026h2", date(2026, 7, 1), date(2026, 12, 31), "2026-H2"),
        ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31), "2026-Q1"),
        ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30), "2026-Q3"),
        (" 2028-q1 ", date(2028, 1, 1), date(2028, 3, 31), "2028-Q1"),
        ("2028-02", date(2028, 2, 1), date(2028, 2, 29), "2028-02"),
        ("2026", date(2026, 1, 1), date(2026, 12, 31), "2026"),
        ("2026-03-01..2026-04-15", date(2026, 3, 1), date(2026, 4, 15), "2026-03-01..2026-04-15"),
        ("2026-01-01..2026-06-30", date(2026, 1, 1), date(2026, 6, 30), "2026-H1"),
        ("1-3-2026 t/m 31-3-2026", date(2026, 3, 1), date(2026, 3, 31), "2026-03"),
    ],
)
def test_named_periods(text, start, end, key):
    p = parse_period(text)
    assert (p.start, p.end_inclusive, p.key) == (start, end, key)


def test_van_tot_gets_the_named_key_when_it_is_one():
    assert parse_period(van="2026-01-01", tot="2026-06-30").key == "2026-H1"
    assert parse_period(van="2026-07-01", tot="2026-09-30").key == "2026-Q3"
    assert parse_period(van="2026-01-01", tot="2026-12-31").key == "2026"
    assert parse_period(van=date(2026, 1, 2), tot=date(2026, 6, 30)).key == (
        "2026-01-02..2026-06-30"
    )


def test_label_is_dutch():
    assert parse_period("2026-H1").label == "1 januari – 30 juni 2026"
    assert parse_period(van="2025-12-01", tot="2026-01-31").label == (
        "1 december 2025 – 31 januari 2026"
    )


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"text": ""}, "empty"),
        ({"text": "   "}, "empty"),
        ({"text": "vorig jaar"}, "format"),
        ({"text": "2026-H3"}, "bad_half"),
        ({"text": "2026-Q0"}, "bad_quarter"),
        ({"text": "2026-Q5"}, "bad_quarter"),
        ({"text": "2026-13"}, "bad_month"),
        ({"text": "1850"}, "year_range"),
        ({"van": "2026-02-30", "tot": "2026-03-01"}, "bad_date"),
        ({"van": "gisteren", "tot": "2026-03-01"}, "bad_date"),
        ({"van": "2026-06-30", "tot": "2026-01-01"}, "end_before_start"),
        ({"van": "2000-01-01", "tot": "2099-01-01"}, "too_long"),
        ({"van": "2026-01-01"}, "half_open"),
        ({"tot": "2026-01-01"}, "half_open"),
        ({"text": "2026", "van": "2026-01-01", "tot": "2026-02-01"}, "both"),
    ],
)
def test_errors_have_codes(kwargs, code):
    with pytest.raises(PeriodError) as err:
        parse_period(kwargs.pop("text", None), **kwargs)
    assert err.value.code == code


def test_year_to_date():
    ytd = year_to_date(parse_period("2026-Q3"))
    assert (ytd.start, ytd.end_inclusive) == (date(2026, 1, 1), date(2026, 9, 30))
    assert year_to_date(parse_period("2026-H1")).days == parse_period("2026-H1").days
    # A period over new year: the year it ends in.
    ytd = year_to_date(parse_period(van="2025-12-01", tot="2026-02-15"))
    assert (ytd.start, ytd.end_inclusive) == (date(2026, 1, 1), date(2026, 2, 15))


def test_months():
    assert parse_period("2026-Q2").months() == [
        date(2026, 4, 1),
        date(2026, 5, 1),
        date(2026, 6, 1),
    ]
    assert parse_period(van="2026-01-31", tot="2026-02-01").months() == [
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]


dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


@given(dates, st.integers(min_value=0, max_value=800))
def test_van_tot_round_trips_through_the_key(start, length):
    end = start + timedelta(days=length)
    if end.year > 2100:
        return
    p = parse_period(van=start.isoformat(), tot=end.isoformat())
    assert (p.start, p.end_inclusive) == (start, end)
    assert p.days == length + 1
    # The key names the same period again (a story selection stored under it finds it).
    again = parse_period(p.key)
    assert (again.start, again.end_inclusive, again.key) == (start, end, p.key)


@given(st.integers(min_value=2000, max_value=2100), st.integers(min_value=1, max_value=4))
def test_quarters_tile_the_year(year, q):
    p = parse_period(f"{year}-Q{q}")
    assert isinstance(p, Period)
    if q < 4:
        assert parse_period(f"{year}-Q{q + 1}").start == p.end_inclusive + timedelta(days=1)
    halves = [parse_period(f"{year}-H{h}") for h in (1, 2)]
    assert sum(h.days for h in halves) == parse_period(str(year)).days


@given(st.text(max_size=30))
def test_any_text_is_a_period_or_a_period_error(text):
    try:
        p = parse_period(text)
    except PeriodError as exc:
        assert exc.code
    else:
        assert p.start <= p.end_inclusive


def test_not_started():
    from bot.domain.periods import not_started

    h1 = parse_period("2027-H1")
    assert not_started(h1, date(2026, 12, 31))
    assert not not_started(h1, date(2027, 1, 1))  # in progress: a partial report is allowed
    assert not not_started(h1, date(2027, 8, 1))
    assert not_started(parse_period(van="2026-12-02", tot="2026-12-31"), date(2026, 12, 1))
