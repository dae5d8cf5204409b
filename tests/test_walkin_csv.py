"""CSV import of weekly walk-in sessions: good files, Excel quirks, and every error code."""

from __future__ import annotations

from datetime import date, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.walkin import occurrences
from bot.domain.walkin_csv import (
    MAX_ROWS,
    CsvError,
    SessionRow,
    parse_boolean,
    parse_date,
    parse_sessions_csv,
    parse_time,
    parse_weekday,
)
from tests.support import table

GOOD = """gemeente,plek,adres,weekdag,begin,einde
Venlo,Buurthuis De Kolk,Kolkstraat 1,di,10:00,12:00
Blerick,Bibliotheek Blerick,Markt 3,Donderdag,13.30,15.00
Peel en Maas,Dorpshuis,Kerkstraat 5,WO,9:30,11:00
"""


def codes(result) -> list[tuple[int, str | None, str]]:
    return [(e.line, e.column, e.code) for e in result.errors]


def test_good_file() -> None:
    r = parse_sessions_csv(GOOD)
    assert r.ok and r.errors == []
    assert r.rows == [
        SessionRow("Venlo", "Buurthuis De Kolk", "Kolkstraat 1", 1, time(10), time(12)),
        SessionRow("Venlo", "Bibliotheek Blerick", "Markt 3", 3, time(13, 30), time(15)),
        SessionRow("Peel en Maas", "Dorpshuis", "Kerkstraat 5", 2, time(9, 30), time(11)),
    ]
    assert [row.line for row in r.rows] == [2, 3, 4]
    assert all(row.kind == "inloop" and not row.open_on_holidays for row in r.rows)


def test_all_optional_columns_semicolon_bom_crlf() -> None:
    text = (
        "\ufeffGemeente;Plek;Adres;Weekdag;Begin;Einde;Geldig_vanaf;Geldig_tot;"
        "Open_op_feestdagen;Opmerking;Soort\r\n"
        "Weert;Wijkcentrum;Markt 1;vrijdag;10:00;12:00;2026-01-01;31-12-2026;WAAR;"
        '"Koffie staat klaar; iedereen welkom";Spreekuur\r\n'
        "Stramproy;Gemeenschapshuis;Dorpsstraat 2;za;10:00:00;11:30:00;;;nee;;\r\n"
    )
    r = parse_sessions_csv(text)
    assert r.ok, r.errors
    a, b = r.rows
    assert (a.municipality, a.weekday, a.valid_from, a.valid_until) == (
        "Weert",
        4,
        date(2026, 1, 1),
        date(2026, 12, 31),
    )
    assert a.open_on_holidays and a.kind == "spreekuur"
    assert a.note == "Koffie staat klaar; iedereen welkom"
    assert (b.municipality, b.start, b.end, b.note, b.kind) == (
        "Weert",
        time(10),
        time(11, 30),
        None,
        "inloop",
    )


def test_excel_sep_line_blank_lines_and_trailing_empty_columns() -> None:
    text = (
        "sep=;\n\ngemeente;plek;adres;weekdag;begin;einde;;\n\nVenray;Huis;Straat 1;ma;10;12u;;\n"
    )
    r = parse_sessions_csv(text)
    assert r.ok, r.errors
    (row,) = r.rows
    assert row.line == 5 and row.start == time(10) and row.end == time(12)


def test_header_aliases_and_order() -> None:
    text = "dag,van,tot,plaats,adres,gemeente\ndinsdags,10:00,11:00,Kerk,Kerkplein 1,Tegelen\n"
    (row,) = parse_sessions_csv(text).rows
    assert (row.municipality, row.weekday, row.place) == ("Venlo", 1, "Kerk")


def test_village_and_spelling_variants_resolved() -> None:
    text = (
        "gemeente,plek,adres,weekdag,begin,einde\n"
        "Panningen,A,B,ma,10:00,11:00\n"
        "VENRAY,A,B,ma,10:00,11:00\n"
        "St. Odiliënberg,A,B,ma,10:00,11:00\n"
        "horst a/d maas,A,B,ma,10:00,11:00\n"
        "IJsselsteyn,A,B,di,10:00,11:00\n"
        "Echt,A,B,ma,10:00,11:00\n"
    )
    r = parse_sessions_csv(text)
    assert r.ok, r.errors
    assert [row.municipality for row in r.rows] == [
        "Peel en Maas",
        "Venray",
        "Roerdalen",
        "Horst aan de Maas",
        "Venray",
        "Echt-Susteren",
    ]


@pytest.mark.parametrize("typo", ["venrai", "Swolmen", "leuwen", "Blerik", "Roermnd"])
def test_a_typo_in_gemeente_is_refused_not_guessed(typo: str) -> None:
    # Regression: typos were resolved fuzzily, so "Swolmen" (Swalmen, Roermond? Swolgen,
    # Horst?) or "leuwen" (Leeuwen, Roermond) silently filed sessions under a municipality.
    text = f"gemeente,plek,adres,weekdag,begin,einde\n{typo},A,B,ma,10:00,11:00\n"
    r = parse_sessions_csv(text)
    assert r.rows == []
    assert r.errors == [CsvError(2, "gemeente", "unknown_municipality", typo)]


def test_missing_columns_reported_on_header() -> None:
    r = parse_sessions_csv("gemeente,plek,weekdag,begin\nVenlo,A,di,10:00\n")
    assert codes(r) == [(1, "adres", "missing_column"), (1, "einde", "missing_column")]
    assert r.rows == []


def test_unknown_and_duplicate_columns() -> None:
    text = "gemeente,plek,adres,weekdag,begin,einde,kleur,plek\nVenlo,A,B,di,10:00,11:00,rood,A\n"
    r = parse_sessions_csv(text)
    assert codes(r) == [(1, None, "unknown_column"), (1, "plek", "duplicate_column")]
    assert r.errors[0].value == "kleur"
    assert len(r.rows) == 1  # rows still parsed for a preview; import is all-or-nothing


@pytest.mark.parametrize("text", ["", "\ufeff", "\n\n  \n", "sep=;\n"])
def test_empty_file(text: str) -> None:
    assert codes(parse_sessions_csv(text)) == [(1, None, "empty_file")]


def test_header_only_is_no_rows_no_errors() -> None:
    r = parse_sessions_csv("gemeente,plek,adres,weekdag,begin,einde\n")
    assert r.ok and r.rows == []


BAD = """gemeente,plek,adres,weekdag,begin,einde,geldig_vanaf,geldig_tot,open_op_feestdagen,soort
Venlo,A,Straat 1,di,10:00,12:00,,,,
Amsterdam,A,Straat 1,di,10:00,12:00,,,,
Venlo,A,Straat 1,dinsdagmiddag,10:00,12:00,,,,
Venlo,A,Straat 1,di,25:00,12:00,,,,
Venlo,A,Straat 1,di,12:00,10:00,,,,
Venlo,A,Straat 1,di,10:00,10:00,,,,
Venlo,A,Straat 1,wo,10:00,12:00,2026-02-30,,,
Venlo,A,Straat 1,wo,10:00,12:00,2026-06-01,2026-05-01,,
Venlo,A,Straat 1,do,10:00,12:00,,,misschien,
Venlo,,Straat 1,vr,10:00,12:00,,,,
,A,,za,,12:00,,,,
Venlo,A,Straat 1,di,10:00,12:00,,,,
Venlo,a,Straat 2,di,10:00,12:00,,,,
Venlo,A,Straat 1,zo,10:00,12:00,,,,workshop
Venlo,A,Straat 1,zo,10:00,12:00,,,,,extra
"""


def test_bad_file_every_error_code() -> None:
    r = parse_sessions_csv(BAD)
    assert codes(r) == table("walkin_csv.yaml", "bad_file_every_error_code")
    assert r.errors[0].value == "Amsterdam"
    assert r.errors[12].value == "2"  # duplicate of line 2
    assert [row.line for row in r.rows] == [2]


def test_line_numbers_with_multiline_quoted_field() -> None:
    text = (
        "gemeente,plek,adres,weekdag,begin,einde,opmerking\n"
        'Venlo,A,B,di,10:00,12:00,"eerste regel\ntweede regel"\n'
        "Venlo,A,B,xx,10:00,12:00,\n"
    )
    r = parse_sessions_csv(text)
    assert codes(r) == [(4, "weekdag", "bad_weekday")]
    assert r.rows[0].note == "eerste regel tweede regel"


def test_too_long_values() -> None:
    text = f"gemeente,plek,adres,weekdag,begin,einde\nVenlo,{'x' * 121},B,di,10:00,12:00\n"
    assert codes(parse_sessions_csv(text)) == [(2, "plek", "too_long")]


def test_too_many_rows() -> None:
    body = "".join(f"Venlo,Plek {i},B,di,10:00,12:00\n" for i in range(MAX_ROWS + 1))
    r = parse_sessions_csv("gemeente,plek,adres,weekdag,begin,einde\n" + body)
    assert codes(r) == [(MAX_ROWS + 2, None, "too_many_rows")]
    assert len(r.rows) == MAX_ROWS


def test_reimport_is_idempotent_by_natural_key() -> None:
    first = parse_sessions_csv(GOOD)
    # Same sessions, other delimiter, order and spelling: same natural keys.
    again = parse_sessions_csv(
        "gemeente;plek;adres;weekdag;begin;einde\n"
        "Peel en Maas;Dorpshuis;Kerkstraat 5;woensdag;09:30;11.00\n"
        "Venlo;Buurthuis  De Kolk;Kolkstraat 1;dinsdag;10.00;12:00\n"
        "venlo;Bibliotheek Blerick;Markt 3;do;13:30;15:00\n"
    )
    assert {r.natural_key() for r in first.rows} == {r.natural_key() for r in again.rows}
    key = first.rows[0].natural_key()
    assert key == ("Venlo", "Buurthuis De Kolk", 1, time(10), time(12), None)


def test_rows_become_rules_for_preview() -> None:
    rows = parse_sessions_csv(GOOD).rows
    rules = [row.to_rule(i) for i, row in enumerate(rows, 1)]
    occs = occurrences(rules, [], date(2026, 3, 2), date(2026, 3, 8))
    assert [(o.date, o.place) for o in occs] == [
        (date(2026, 3, 3), "Buurthuis De Kolk"),
        (date(2026, 3, 4), "Dorpshuis"),
        (date(2026, 3, 5), "Bibliotheek Blerick"),
    ]


def test_injectable_resolver() -> None:
    text = "gemeente,plek,adres,weekdag,begin,einde\nNieuwdorp,A,B,di,10:00,12:00\n"
    r = parse_sessions_csv(text, resolve=lambda v: "Nieuwgemeente" if v == "Nieuwdorp" else None)
    assert r.rows[0].municipality == "Nieuwgemeente"


@pytest.mark.parametrize(("value", "expected"), table("walkin_csv.yaml", "parse_time"))
def test_parse_time(value: str, expected: time | None) -> None:
    assert parse_time(value) == expected


@pytest.mark.parametrize(("value", "expected"), table("walkin_csv.yaml", "parse_weekday"))
def test_parse_weekday(value: str, expected: int | None) -> None:
    assert parse_weekday(value) == expected


@pytest.mark.parametrize(("value", "expected"), table("walkin_csv.yaml", "parse_date"))
def test_parse_date(value: str, expected: date | None) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(("value", "expected"), table("walkin_csv.yaml", "parse_boolean"))
def test_parse_boolean(value: str, expected: bool | None) -> None:
    assert parse_boolean(value) is expected


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_never_crashes(text: str) -> None:
    r = parse_sessions_csv(text)
    assert all(isinstance(e, CsvError) and e.line >= 1 for e in r.errors)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.lists(
            st.sampled_from(["Venlo", "Blerick", "xx", "", "di", "10:00", "12:00", "ja", '"']),
            min_size=6,
            max_size=8,
        ),
        max_size=6,
    )
)
def test_never_crashes_on_shaped_rows(rows: list[list[str]]) -> None:
    text = "gemeente,plek,adres,weekdag,begin,einde\n" + "\n".join(",".join(r) for r in rows)
    r = parse_sessions_csv(text)
    for row in r.rows:
        assert row.start < row.end
