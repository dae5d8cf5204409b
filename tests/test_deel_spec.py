"""The deelopdracht file and the values the chat shares (bot.domain.deel_spec): unit and
property tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain import deel_spec as ds
from bot.domain import deel_values as dv
from bot.i18n import translator

EXAMPLE = Path(__file__).parent.parent / "docs" / "deelopdracht-voorbeeld.yaml"

GOOD = """\
municipality: Venlo
code: Wij-Venlo
title: Outreach
period:
  starts_on: 2027-01-01
  ends_on: 2027-12-31
reporting_moments: [2027-09-15, 2027-04-15]
measures:
  - kind: new_residents
    target: 25
    window_months: 6
    filter:
      activity: [outreach]
      vindplek: De Kolk
  - kind: went_on
    target: 80%
  - kind: hours
    target: "12,5"
"""


def test_a_good_file_is_read_with_its_defaults():
    (spec,) = ds.parse(GOOD)
    assert spec.code == "wij-venlo"  # short names are lower case
    assert spec.moments == (date(2027, 4, 15), date(2027, 9, 15))  # sorted
    assert spec.followup_weeks == 6 and spec.active and spec.goals == ""
    first, share, hours = spec.measures
    assert first.filter == (("activity", ("outreach",)), ("vindplek", ("De Kolk",)))
    assert first.filter_lines == {"activity": (13,), "vindplek": (14,)}
    assert first.window_months == 6 and first.line == 9
    assert share.target == 80 and share.window_months is None
    assert hours.target == 12.5


def test_the_example_reads_and_dumps_to_the_same():
    specs = ds.parse(EXAMPLE.read_text(encoding="utf-8"))
    (spec,) = specs
    assert [(m.kind, m.target, m.window_months) for m in spec.measures] == [
        ("new_residents", 25, 6),
        ("new_residents", 40, 12),
        ("key_figures", 5, None),
        ("non_use_known", 80, None),
        ("went_on", 80, None),
    ]
    assert [d.month for d in spec.moments] == [4, 9]
    assert ds.parse(ds.dump(specs)) == specs
    assert ds.parse(ds.dump(specs * 1, many=True)) == specs


def test_several_under_deelopdrachten():
    two = "deelopdrachten:\n  - municipality: Venlo\n    code: a1\n    title: A\n" + (
        "  - municipality: Weert\n    code: b2\n    title: B\n"
    )
    assert [s.code for s in ds.parse(two)] == ["a1", "b2"]
    assert ds.parse(ds.dump(ds.parse(two))) == ds.parse(two)


HEAD = "municipality: Venlo\ncode: ab\ntitle: X\n"
BAD = [
    ("", 1, "het bestand is leeg"),
    ("a: [\n", 2, "geen geldige YAML"),
    ("code: ab\ntitle: X\n", 1, "'municipality' ontbreekt"),
    (HEAD + "title: Y\n", 4, "'title' staat er twee keer"),
    (HEAD + "kleur: rood\n", 4, "onbekend veld 'kleur'"),
    (HEAD + "goals: Bel mevrouw Jansen op 0612345678\n", 4, "in 'goals' staat iets waaraan"),
    (
        HEAD + "measures:\n  - kind: contacts\n    target: 1\n    label: Bij Kerkstraat 12\n",
        7,
        "in 'label' staat iets waaraan iemand te herkennen is",
    ),
    ("municipality: Venlo\ncode: a b\ntitle: X\n", 2, "Een korte naam heeft 2 tot 30 tekens"),
    (HEAD + "period:\n  starts_on: 2027-02-30\n", 5, "deze datum bestaat niet"),
    (HEAD + "period:\n  starts_on: 1 jan\n", 5, "'starts_on' moet een datum zijn"),
    (
        HEAD + "period:\n  starts_on: 2027-02-01\n  ends_on: 2027-01-01\n",
        6,
        "'ends_on' ligt voor 'starts_on'",
    ),
    (HEAD + "reporting_moments: [2027-04-15, 2027-04-15]\n", 4, "2027-04-15 staat er twee keer"),
    (HEAD + "followup_weeks: 0\n", 4, "'followup_weeks' moet een heel getal van 1 tot 52"),
    (HEAD + "active: misschien\n", 4, "'active' moet true of false"),
    (HEAD + "measures:\n  - kind: bezoekers\n    target: 3\n", 5, "'kind' moet een van deze"),
    (HEAD + "measures:\n  - kind: contacts\n", 5, "'target' ontbreekt"),
    (HEAD + "measures:\n  - kind: went_on\n    target: 120%\n", 6, "percentage van 0 tot 100"),
    (HEAD + "measures:\n  - kind: contacts\n    target: 25%\n", 6, "getal zonder %"),
    (HEAD + "measures:\n  - kind: contacts\n    target: 2.5\n", 6, "heel getal"),
    (
        HEAD + "measures:\n  - kind: contacts\n    target: 5\n    window_months: 6\n",
        7,
        "zet 'starts_on' onder 'period'",
    ),
    (
        HEAD + "measures:\n  - kind: contacts\n    target: 5\n    filter: {kleur: [rood]}\n",
        7,
        "onbekend veld 'kleur'",
    ),
    (
        HEAD + "measures:\n  - kind: contacts\n    target: 5\n    filter:\n      theme: 3\n",
        8,
        "'theme' moet een lijst met namen zijn",
    ),
    (
        "deelopdrachten:\n  - code: ab\n    municipality: Venlo\n    title: X\n"
        "  - code: AB\n    municipality: Weert\n    title: Y\n",
        5,
        "de korte naam 'ab' staat er twee keer",
    ),
]


@pytest.mark.parametrize(("text", "line", "message"), BAD)
def test_a_bad_file_names_its_line_and_what_is_wrong(text, line, message):
    with pytest.raises(dv.DeelSpecError) as caught:
        ds.parse(text)
    assert caught.value.line == line, caught.value.text()
    assert message in caught.value.text()
    assert caught.value.text().startswith(f"regel {line}: ")


def test_errors_translate():
    with pytest.raises(dv.DeelSpecError) as caught:
        ds.parse("code: ab\ntitle: X\n")
    assert caught.value.text(translator("en")).startswith("line 1: ")


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("25", "contacts", 25),
        (" 80 % ", "went_on", 80),
        ("80", "non_use_known", 80),
        ("12,5", "hours", 12.5),
        ("0", "key_figures", 0),
        # Dutch thousands points and decimal commas (audit finding 2: "1.000" became 1).
        ("1.000", "contacts", 1000),
        ("12.500", "residents", 12500),
        ("1.000.000", "contacts", 1_000_000),
        ("1.250,5", "hours", 1250.5),
        ("80,5%", "went_on", 80.5),
        ("80,5 %", "non_use_known", 80.5),
    ],
)
def test_targets(text, kind, value):
    assert dv.parse_target(text, kind) == value


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("", "contacts"),
        ("veel", "contacts"),
        ("-1", "contacts"),
        ("2,5", "residents"),
        ("101%", "went_on"),
        ("25%", "contacts"),
        ("1.2.3", "hours"),
        ("nan", "hours"),
        ("1.5", "contacts"),
        ("1,500", "contacts"),
        ("12.50", "hours"),
        ("80.5%", "went_on"),
        ("1.00", "residents"),
        ("10.00.000", "contacts"),
    ],
)
def test_bad_targets(text, kind):
    with pytest.raises(dv.DeelSpecError):
        dv.parse_target(text, kind)


@given(st.sampled_from(dv.KINDS), st.integers(min_value=0, max_value=100))
def test_target_text_reads_back(kind, n):
    assert dv.parse_target(dv.target_text(float(n), kind), kind) == n


@given(st.sampled_from(dv.KINDS), st.integers(min_value=0, max_value=1000).map(lambda n: n / 10))
def test_target_text_of_a_fraction_reads_back(kind, value):
    if dv.unit_of(kind) is dv.Unit.number and value != int(value):
        return
    text = dv.target_text(value, kind)  # a share as text, other kinds as a number in the file
    assert dv.parse_target(text if dv.is_share(kind) else float(text), kind) == value


def test_a_point_that_is_no_thousands_separator_is_refused_with_what_is_accepted():
    with pytest.raises(dv.DeelSpecError) as caught:
        dv.parse_target("1.5", "contacts")
    assert caught.value.text() == (
        "Ik weet niet zeker wat je met 1.5 bedoelt. Typ een heel getal, bijvoorbeeld 25 of 1.000."
    )
    with pytest.raises(dv.DeelSpecError) as caught:
        dv.parse_target("12.50", "hours")
    assert "Een punt staat alleen tussen duizendtallen (1.000)" in caught.value.text()
    assert "een komma voor de decimalen (12,5)" in caught.value.text()


@given(st.integers(min_value=0, max_value=dv.MAX_COUNT_TARGET))
def test_a_count_written_by_babel_in_dutch_reads_back(n):
    from babel.numbers import format_decimal

    assert dv.parse_target(format_decimal(n, locale="nl"), "contacts") == n


@given(st.integers(min_value=0, max_value=10 * dv.MAX_COUNT_TARGET))
def test_hours_written_by_babel_in_dutch_read_back(tenths):
    from babel.numbers import format_decimal

    hours = tenths / 10
    assert dv.parse_target(format_decimal(hours, format="#,##0.#", locale="nl"), "hours") == hours


@given(st.integers(min_value=0, max_value=1000))
def test_a_share_written_by_babel_in_dutch_reads_back(tenths):
    from babel.numbers import format_percent

    share = tenths / 10
    text = format_percent(share / 100, format="#,##0.#%", locale="nl")
    assert dv.parse_target(text, "went_on") == share


def test_a_file_number_is_taken_as_it_is():
    assert dv.parse_target(12.5, "hours") == 12.5
    assert dv.parse_target(1000, "contacts") == 1000
    with pytest.raises(dv.DeelSpecError):
        dv.parse_target(2.5, "contacts")


@given(st.text(max_size=60), st.sets(st.from_regex(r"[a-z]{2,8}", fullmatch=True), max_size=5))
def test_suggested_codes_are_valid_and_free(title, taken):
    code = dv.suggest_code(title, taken)
    assert dv.code_problem(code) is None and code not in taken


def test_suggested_code_from_the_title():
    assert dv.suggest_code("WIJ Venlo: outreach in de wijk") == "wij-venlo-outreach"
    assert dv.suggest_code("WIJ Venlo", {"wij-venlo"}) == "wij-venlo-2"
    assert dv.suggest_code("!!") == "deel"


def test_days_need_their_year():
    today = date(2026, 12, 1)
    assert dv.parse_day("1-1-2027", today) == date(2027, 1, 1)
    assert dv.parse_day("1 januari 2027", today) == date(2027, 1, 1)
    assert dv.parse_day("2027-03-31", today) == date(2027, 3, 31)
    for text in ("1 januari", "morgen", "31-2-2027", "later"):
        with pytest.raises(dv.DeelSpecError):
            dv.parse_day(text, today)


def test_windows():
    assert dv.parse_window(" 6 ") == 6
    for text in ("0", "121", "zes", "-1"):
        with pytest.raises(dv.DeelSpecError):
            dv.parse_window(text)


def test_the_kinds_are_the_models():
    from bot.storage.models import MeasureKind

    assert set(dv.KINDS) == {k.value for k in MeasureKind}


# No digits: the privacy check rightly refuses what looks like a phone number or an address.
texts = (
    st.text(
        alphabet=st.characters(categories=("L", "P", "Zs"), exclude_characters="\x85\u2028\u2029"),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(bool)
)
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
codes = st.from_regex(r"[a-z0-9][a-z0-9_-]{1,12}", fullmatch=True)
measures = st.builds(
    ds.MeasureSpec,
    kind=st.sampled_from(dv.KINDS),
    target=st.integers(min_value=0, max_value=100).map(float),
    label=st.one_of(st.just(""), texts),
    window_months=st.one_of(st.none(), st.integers(min_value=1, max_value=dv.MAX_WINDOW)),
    filter=st.lists(
        st.tuples(st.sampled_from(dv.FILTER_KEYS), st.lists(codes, min_size=1, max_size=3)),
        max_size=3,
        unique_by=lambda kv: kv[0],
    ).map(
        lambda kvs: tuple(
            (k, tuple(dict.fromkeys(v))) for k in dv.FILTER_KEYS for key, v in kvs if key == k
        )
    ),
)


@st.composite
def specs(draw):
    start = draw(days)
    end = draw(st.one_of(st.none(), days.filter(lambda d: d >= start)))
    return ds.DeelSpec(
        municipality=draw(texts),
        code=draw(codes),
        title=draw(texts),
        starts_on=start,
        ends_on=end,
        goals=draw(st.one_of(st.just(""), texts)),
        frequency=draw(st.one_of(st.just(""), texts)),
        moments=tuple(sorted(draw(st.sets(days, max_size=3)))),
        followup_weeks=draw(st.integers(min_value=1, max_value=dv.MAX_FOLLOWUP_WEEKS)),
        active=draw(st.booleans()),
        measures=tuple(draw(st.lists(measures, max_size=4))),
    )


@given(specs())
def test_any_spec_dumps_and_reads_back_the_same(spec):
    assert ds.parse(ds.dump([spec])) == [spec]


def test_an_end_date_without_a_year_is_its_next_occurrence():
    """Audit finding 12: reopening reads a date as /pauze does (bot.domain.dates)."""
    today = date(2026, 12, 1)
    assert dv.parse_end_day("31-12", today) == date(2026, 12, 31)
    assert dv.parse_end_day("30-11", today) == date(2027, 11, 30)  # past this year: next year
    assert dv.parse_end_day("31 december 2027", today) == date(2027, 12, 31)
    assert dv.parse_end_day("1-1-2026", today) == date(2026, 1, 1)  # the caller says: past
    for text in ("31-2", "later", "1-1-2040"):
        with pytest.raises(dv.DeelSpecError):
            dv.parse_end_day(text, today)
