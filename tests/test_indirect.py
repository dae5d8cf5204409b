"""Entries without a resident: typed municipalities and the one-line `/uren` entry (pure)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.contact_draft import VocabItem
from bot.domain.durations import format_duration
from bot.domain.indirect import HoursLine, match_kind, parse_hours_line, typed_municipality

TODAY = date(2026, 11, 17)  # a Tuesday


KINDS = [
    VocabItem(1, "overleg", "overleg", ("vergadering",)),
    VocabItem(2, "scholing", "scholing", ("cursus", "opleiding")),
    VocabItem(3, "reistijd", "reistijd", ("reizen",)),
]
MUNIS = {"venlo": 10, "venray": 11, "peel en maas": 12, "horst aan de maas": 13}


def test_match_kind_by_label_code_or_alias() -> None:
    assert match_kind("overleg", KINDS) == 1
    assert match_kind("vergadering", KINDS) == 1
    assert match_kind("cursus", KINDS) == 2
    assert match_kind("koffie", KINDS) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Venlo", (True, 10)),
        ("venray", (True, 11)),
        ("Blerick", (True, 10)),  # a village of Venlo
        ("Panningen", (True, 12)),
        ("regionaal", (True, None)),
        ("Regio", (True, None)),
        ("Amsterdam", (False, None)),
        ("Beesel", (False, None)),  # a municipality, but not one we have
        ("", (False, None)),
    ],
)
def test_typed_municipality(text: str, expected: tuple[bool, int | None]) -> None:
    assert typed_municipality(text, MUNIS) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "1,5 uur overleg Venray gisteren",
            HoursLine(
                minutes=90,
                kind_id=1,
                municipality_set=True,
                municipality_id=11,
                work_date=TODAY - timedelta(days=1),
            ),
        ),
        (
            "45 min reistijd regionaal",
            HoursLine(minutes=45, kind_id=3, municipality_set=True, municipality_id=None),
        ),
        (
            "2 uur vergadering in Blerick",
            HoursLine(minutes=120, kind_id=1, municipality_set=True, municipality_id=10),
        ),
        ("1 uur koffie", HoursLine(minutes=60, unknown=["koffie"])),
        ("30 uur overleg", HoursLine(bad_duration="too_long", kind_id=1)),
        ("2 min overleg", HoursLine(bad_duration="too_short", kind_id=1)),
        ("overleg Venlo", HoursLine(kind_id=1, municipality_set=True, municipality_id=10)),
        # A second kind word is not taken as the kind: it is not understood.
        ("overleg scholing", HoursLine(kind_id=1, unknown=["scholing"])),
    ],
)
def test_parse_hours_line(text: str, expected: HoursLine) -> None:
    assert parse_hours_line(text, KINDS, MUNIS, TODAY) == expected


def test_a_date_ahead_is_found_but_not_judged() -> None:
    # Range checks are the caller's (limits.check_work_date): the date is reported as typed.
    line = parse_hours_line("1 uur overleg 30-12-2026", KINDS, MUNIS, TODAY)
    assert line.work_date == date(2026, 12, 30) and line.unknown == []


# --------------------------------------------------------------------------- properties

PARTS = st.tuples(
    st.integers(min_value=5, max_value=24 * 60),
    st.sampled_from(KINDS),
    st.sampled_from(["Venlo", "Venray", "Horst aan de Maas", "regionaal"]),
    st.integers(min_value=0, max_value=14),
    st.permutations(range(4)),
)


@settings(deadline=None)
@given(PARTS)
def test_parts_in_any_order_are_all_recognised(parts: tuple) -> None:
    minutes, kind, muni, back, order = parts
    day = TODAY - timedelta(days=back)
    words = [format_duration(minutes), kind.label, muni, day.strftime("%d-%m-%Y")]
    line = parse_hours_line(" ".join(words[i] for i in order), KINDS, MUNIS, TODAY)
    assert line == HoursLine(
        minutes=minutes,
        kind_id=kind.id,
        municipality_set=True,
        municipality_id=MUNIS.get(muni.lower()),
        work_date=day,
    )


@settings(deadline=None)
@given(st.text(max_size=200))
def test_any_text_parses_to_a_consistent_line(text: str) -> None:
    line = parse_hours_line(text, KINDS, MUNIS, TODAY)
    assert line.minutes is None or 5 <= line.minutes <= 24 * 60
    assert line.minutes is None or line.bad_duration is None
    assert line.municipality_set or line.municipality_id is None
    assert line.municipality_id in (None, *MUNIS.values())
    assert line.kind_id in (None, *(k.id for k in KINDS))
