"""bot.domain.week: ISO week bounds in Europe/Amsterdam and the shape of the week overview."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.week import (
    REGIONAL,
    ContactRow,
    IndirectRow,
    current_week_start,
    iso_week,
    shape_week,
    shift_week,
    week_bounds,
    week_start,
)

AMS = ZoneInfo("Europe/Amsterdam")


def test_bounds_of_a_tuesday():
    assert week_bounds(date(2026, 11, 17)) == (date(2026, 11, 16), date(2026, 11, 22))


def test_sunday_belongs_to_the_week_before_monday():
    assert week_start(date(2026, 11, 22)) == date(2026, 11, 16)
    assert week_start(date(2026, 11, 23)) == date(2026, 11, 23)


def test_iso_week_across_new_year():
    # 31 December 2026 is a Thursday: ISO week 53 of 2026; 1 January 2027 too.
    assert iso_week(date(2026, 12, 31)) == (2026, 53)
    assert iso_week(date(2027, 1, 1)) == (2026, 53)
    # 29 December 2025 (Monday) starts week 1 of 2026.
    assert iso_week(date(2025, 12, 29)) == (2026, 1)


def test_current_week_is_decided_in_amsterdam():
    # Sunday 23:30 in Amsterdam is still Sunday there, though Monday-ish nowhere else matters:
    # 22:30 UTC on Sunday 22 November -> Sunday 23:30 local -> the week of 16 November.
    assert current_week_start(datetime(2026, 11, 22, 22, 30, tzinfo=UTC), AMS) == date(2026, 11, 16)
    # 23:30 UTC on Sunday is already Monday 00:30 in Amsterdam: a new week.
    assert current_week_start(datetime(2026, 11, 22, 23, 30, tzinfo=UTC), AMS) == date(2026, 11, 23)
    # Summer time (UTC+2): 22:30 UTC Sunday 28 June is Monday 00:30 local.
    assert current_week_start(datetime(2026, 6, 28, 22, 30, tzinfo=UTC), AMS) == date(2026, 6, 29)


def test_current_week_needs_aware_time():
    with pytest.raises(ValueError):
        current_week_start(datetime(2026, 11, 17, 12, 0), AMS)


def test_shift_week_never_passes_latest():
    this = date(2026, 11, 16)
    assert shift_week(this, -1) == date(2026, 11, 9)
    assert shift_week(date(2026, 11, 9), 1, latest=this) == this
    assert shift_week(this, 1, latest=this) == this
    assert shift_week(this, 5, latest=date(2026, 11, 18)) == this


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_bounds_property(d):
    monday, sunday = week_bounds(d)
    assert monday.weekday() == 0 and sunday.weekday() == 6
    assert monday <= d <= sunday and (sunday - monday) == timedelta(days=6)
    assert iso_week(monday) == iso_week(d) == iso_week(sunday)


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
    st.integers(-60, 60),
)
def test_shift_is_whole_weeks(d, n):
    shifted = shift_week(d, n)
    assert shifted.weekday() == 0
    assert (shifted - week_start(d)).days == 7 * n


def test_shape_week_hours_per_municipality_and_kind():
    contacts = [
        ContactRow("Venlo", 60, 1, 1, ("armoede", "eenzaamheid")),
        ContactRow("Venlo", 30, 3, 1, ("armoede",)),
        ContactRow("Horst aan de Maas", 45, 1, 0, ()),
    ]
    indirect = [
        IndirectRow("Venlo", "overleg", 90),
        IndirectRow(None, "reistijd", 30),
        IndirectRow(None, "reistijd", 15),
        IndirectRow("Horst aan de Maas", "scholing", 120),
        IndirectRow("Venlo", "administratie", 30),
    ]
    week = shape_week(date(2026, 11, 19), contacts, indirect, signals=2, stories=1)
    assert (week.start, week.end) == (date(2026, 11, 16), date(2026, 11, 22))
    names = [m.municipality for m in week.municipalities]
    assert names == ["Venlo", "Horst aan de Maas", REGIONAL]  # most hours first, regional last
    venlo = week.municipalities[0]
    assert venlo.contact_minutes == 90
    assert venlo.indirect_minutes == {"overleg": 90, "administratie": 30}
    assert list(venlo.indirect_minutes) == ["overleg", "administratie"]
    assert venlo.total == 210
    regional = week.municipalities[2]
    assert regional.contact_minutes == 0 and regional.indirect_minutes == {"reistijd": 45}
    assert week.counts.contacts == 3
    assert (week.counts.new, week.counts.known) == (2, 3)
    assert week.themes == (("armoede", 2), ("eenzaamheid", 1))
    assert week.contact_minutes == 135 and week.indirect_minutes == 285
    assert week.total_minutes == 420
    assert (week.signals, week.stories) == (2, 1)
    assert not week.is_empty


def test_shape_week_guards_inconsistent_counts_and_duplicate_themes():
    week = shape_week(date(2026, 11, 16), [ContactRow("Venlo", 30, 2, 5, ("a", "a"))], [])
    assert (week.counts.new, week.counts.known) == (2, 0)
    assert week.themes == (("a", 1),)


def test_empty_week():
    week = shape_week(date(2026, 11, 16), [], [])
    assert week.is_empty and week.total_minutes == 0 and week.counts.contacts == 0


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Venlo", "Venray", "Beesel"]),
            st.integers(1, 600),
            st.integers(0, 20),
            st.integers(0, 20),
        ),
        max_size=20,
    ),
    st.lists(
        st.tuples(
            st.sampled_from(["Venlo", None]),
            st.sampled_from(["overleg", "reistijd"]),
            st.integers(1, 600),
        ),
        max_size=20,
    ),
)
def test_shape_week_totals_are_preserved(contacts, indirect):
    crow = [ContactRow(m, n, r, new) for m, n, r, new in contacts]
    irow = [IndirectRow(m, k, n) for m, k, n in indirect]
    week = shape_week(date(2026, 11, 16), crow, irow)
    assert week.contact_minutes == sum(c.minutes for c in crow)
    assert week.indirect_minutes == sum(r.minutes for r in irow)
    assert week.counts.new + week.counts.known == sum(c.residents for c in crow)
    assert week.counts.contacts == len(crow)
