"""What a coordinator types or uploads (bot.domain.walkin_input), the one weekday table and
the HTML escape below the handlers: pure functions, unit and property tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.domain import dates, walkin_csv, walkin_query, weekdays
from bot.domain.walkin import SessionRule
from bot.domain.walkin_input import (
    check_csv,
    decode_csv,
    from_hhmm,
    hhmm,
    looks_personal,
    parse_time_range,
    upcoming_dates,
)
from bot.i18n import translator
from bot.text import esc

NOON = datetime(2026, 3, 3, 11, tzinfo=UTC)
HEADER = "gemeente,plek,adres,weekdag,begin,einde,opmerking\n"


def rule(weekday: int, **kw) -> SessionRule:
    return SessionRule("Venlo", "De Kolk", "Markt 1", weekday, time(10), time(12), id=1, **kw)


def test_upcoming_dates_follow_the_weekday_and_validity():
    tuesday = date(2026, 3, 3)
    assert upcoming_dates(rule(1), tuesday, count=3, horizon_days=120) == [
        tuesday,
        tuesday + timedelta(days=7),
        tuesday + timedelta(days=14),
    ]
    until = tuesday + timedelta(days=7)
    assert upcoming_dates(rule(1, valid_until=until), tuesday, count=6, horizon_days=120) == [
        tuesday,
        until,
    ]
    later = rule(4, valid_from=date(2026, 9, 1))
    assert upcoming_dates(later, tuesday, count=6, horizon_days=120) == []  # beyond the horizon


@given(
    st.integers(0, 23 * 60 + 58).flatmap(
        lambda a: st.tuples(st.just(a), st.integers(a + 1, 23 * 60 + 59))
    ),
    st.sampled_from(["{}-{}", "{} - {}", "{}–{}", "van {} tot {}"]),
)
def test_a_typed_range_reads_back_as_written(minutes, pattern):
    start, end = (time(m // 60, m % 60) for m in minutes)
    assert parse_time_range(pattern.format(hhmm(start), hhmm(end))) == (start, end)
    assert from_hhmm(hhmm(start)) == start


def test_privacy_rule_lets_addresses_through_but_not_people():
    assert not looks_personal("Buurthuis De Kolk, Kerkstraat 12, 5911 AB Venlo")
    assert looks_personal("Bel mevrouw Jansen 06-12345678")
    result = check_csv(
        HEADER
        + "Venlo,De Kolk,Kerkstraat 12,dinsdag,10:00,12:00,\n"
        + "Venlo,Het Perron,Markt 1,woensdag,10:00,12:00,vraag naar piet@example.nl\n"
    )
    assert [r.place for r in result.rows] == ["De Kolk"]
    assert [(e.line, e.column, e.code) for e in result.errors] == [
        (3, "opmerking", "personal_data")
    ]


def test_decode_csv_reads_utf8_with_bom_and_windows_1252():
    assert decode_csv("\ufeffplek,é\n".encode()) == "plek,é\n"
    assert decode_csv("Café".encode("cp1252")) == "Café"


def test_one_weekday_table_for_every_parser():
    for i, name in enumerate(weekdays.NAMES):
        assert dates.WEEKDAYS[name] == i
        assert walkin_csv.parse_weekday(name) == i
        assert walkin_csv.parse_weekday(weekdays.ABBREVIATIONS[i]) == i
        assert walkin_query.parse_walkin_query(f"inloop venlo {name}", NOON).day is not None
    for short, i in weekdays.LONGER_ABBREVIATIONS.items():
        assert walkin_csv.parse_weekday(short) == i


def test_weekday_names_shown_in_the_users_language():
    nl, en = translator("nl"), translator("en")
    assert [nl.weekday(i) for i in (0, 6)] == ["maandag", "zondag"]
    assert [nl.weekday(i, short=True) for i in (0, 2)] == ["ma", "wo"]
    assert [en.weekday(1), en.weekday(1, short=True)] == ["Tuesday", "Tue"]


def test_esc_escapes_markup_but_not_quotes():
    assert esc("Zaal & Co <1> \"x\" 'y'") == "Zaal &amp; Co &lt;1&gt; \"x\" 'y'"
    assert esc(3) == "3"


def test_a_venue_may_carry_a_persons_name_its_note_may_not():
    """ "Café bij Jan" is a public place's name; "Vraag naar Jan Smeets" in a note names a
    person, and a title or a phone number is refused everywhere (domain.md, privacy)."""
    for venue in ("Café bij Jan", "Huiskamer Mia", "Buurthuis De Kolk"):
        assert not looks_personal(venue, venue_name=True), venue
    assert looks_personal("Café bij Jan")  # as a note or an address
    assert looks_personal("Mevrouw Jansen", venue_name=True)
    assert looks_personal("Bij Jan, 06-12345678", venue_name=True)
    csv = "gemeente;dag;van;tot;plek;adres;opmerking\n"
    ok = check_csv(csv + "Venlo;dinsdag;10:00;12:00;Café bij Jan;Markt 1, Venlo;\n")
    assert not ok.errors and len(ok.rows) == 1
    bad = check_csv(csv + "Venlo;dinsdag;10:00;12:00;De Kolk;Markt 1;Vraag naar Jan Smeets\n")
    assert [(e.column, e.code) for e in bad.errors] == [("opmerking", "personal_data")]
