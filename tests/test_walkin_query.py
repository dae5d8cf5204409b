"""Residents' walk-in questions: parsing plain Dutch, and the structured answer."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.holidays_nl import in_sentence
from bot.domain.walkin import TZ, ScheduleException, SessionRule, occurrences
from bot.domain.walkin_query import DayFilter, WalkinQuery, answer, parse_walkin_query
from tests.helpers import FALL_BACK_2026, SPRING_FORWARD_2026, local_time

# Wednesday 4 March 2026, 09:30 in Amsterdam.
NOW = datetime(2026, 3, 4, 9, 30, tzinfo=TZ)
WED = date(2026, 3, 4)
THU, FRI, SAT, SUN = (WED + timedelta(days=i) for i in range(1, 5))
MON2, TUE2, WED2 = (date(2026, 3, 9) + timedelta(days=i) for i in range(3))

# (text, municipality, village, (first, last) of the day filter or None, now_requested).
# village is None when the kern has the municipality's own name (places.PlaceMatch semantics).
CORPUS: list[tuple[str, str | None, str | None, tuple[date, date] | None, bool]] = [
    ("wanneer is de inloop in venray", "Venray", None, None, False),
    ("is er vandaag iets in Weert?", "Weert", None, (WED, WED), False),
    ("inloop panningen morgen", "Peel en Maas", "Panningen", (THU, THU), False),
    ("spreekuur roermond", "Roermond", None, None, False),
    ("/inloop Blerick", "Venlo", "Blerick", None, False),
    ("/inloop@ErvaringsBot tegelen", "Venlo", "Tegelen", None, False),
    ("is het nu open in tegelen", "Venlo", "Tegelen", (WED, WED), True),
    ("Is Het NU Open In TEGELEN??", "Venlo", "Tegelen", (WED, WED), True),
    ("waar kan ik binnenlopen in horst", "Horst aan de Maas", "Horst", None, False),
    ("inloop venrai", "Venray", None, None, False),
    ("spreekuur roermnd morgen", "Roermond", None, (THU, THU), False),
    ("inloop weerd vandaag", "Weert", None, (WED, WED), False),
    ("inloop in baarlo vanmiddag", "Peel en Maas", "Baarlo", (WED, WED), False),
    ("sevenum morgenochtend", "Horst aan de Maas", "Sevenum", (THU, THU), False),
    ("Swalmen vanavond 🙂", "Roermond", "Swalmen", (WED, WED), False),
    ("stramproy overmorgen!", "Weert", "Stramproy", (FRI, FRI), False),
    ("👋 inloop Stramproy?", "Weert", "Stramproy", None, False),
    ("wanneer kan ik langskomen in Venlo", "Venlo", None, None, False),
    ("is er dinsdag inloop in blerick", "Venlo", "Blerick", (TUE2, TUE2), False),
    ("woensdag inloop tegelen", "Venlo", "Tegelen", (WED, WED), False),  # today counts
    ("volgende woensdag venlo", "Venlo", None, (WED2, WED2), False),
    ("zaterdag open in venray?", "Venray", None, (SAT, SAT), False),
    ("dit weekend iets in Roermond?", "Roermond", None, (SAT, SUN), False),
    ("volgende week in weert", "Weert", None, (MON2, date(2026, 3, 15)), False),
    ("volgende week dinsdag spreekuur roermond", "Roermond", None, (TUE2, TUE2), False),
    ("deze week inloop echt-susteren", "Echt-Susteren", None, (WED, SUN), False),
    ("inloop in Echt morgen", "Echt-Susteren", "Echt", (THU, THU), False),
    ("Inloop Horst aan de Maas donderdagmiddag", "Horst aan de Maas", None, (THU, THU), False),
    ("donderdg inloop venlo", "Venlo", None, (THU, THU), False),  # typo'd weekday
    ("vrijdags in Gennep", "Gennep", None, (FRI, FRI), False),
    ("'s avonds spreekuur in Maasbree", "Peel en Maas", "Maasbree", None, False),
    ("op dit moment iets open in Nederweert?", "Nederweert", None, (WED, WED), True),
    ("is het open in Reuver", "Beesel", "Reuver", (WED, WED), True),
    ("wanneer is het open in reuver", "Beesel", "Reuver", None, False),
    ("hoe laat is de inloop in Kessel", "Peel en Maas", "Kessel", None, False),
    ("momenteel inloop in venlo", "Venlo", None, (WED, WED), True),
    ("inloop venlo 12 mei", "Venlo", None, (date(2026, 5, 12), date(2026, 5, 12)), False),
    ("inloop venlo 12-5", "Venlo", None, (date(2026, 5, 12), date(2026, 5, 12)), False),
    ("inloop venlo 2026-05-12", "Venlo", None, (date(2026, 5, 12), date(2026, 5, 12)), False),
    ("inloop venlo van 10-12 uur", "Venlo", None, None, False),  # a time range, not a date
    ("morgen of overmorgen in Bergen", "Bergen", None, (THU, FRI), False),
    ("inloop Sint Odiliënberg", "Roerdalen", "Sint Odiliënberg", None, False),
    ("st odilienberg spreekuur vrijdag", "Roerdalen", "Sint Odiliënberg", (FRI, FRI), False),
    ("is er vandaag iets?", None, None, (WED, WED), False),
    ("wanneer is de inloop", None, None, None, False),
    ("/inloop", None, None, None, False),
    ("INLOOP BLERICK MORGEN!!!", "Venlo", "Blerick", (THU, THU), False),
    ("inloop,venlo,morgen", "Venlo", None, (THU, THU), False),
    ("waar is nu iets open in Leudal", "Leudal", None, (WED, WED), True),
    ("wanneer is nu de inloop in venlo", "Venlo", None, None, False),  # "nu" as filler
]


@pytest.mark.parametrize(("text", "muni", "village", "days", "now_req"), CORPUS)
def test_corpus(
    text: str,
    muni: str | None,
    village: str | None,
    days: tuple[date, date] | None,
    now_req: bool,
) -> None:
    q = parse_walkin_query(text, NOW)
    assert q.municipality == muni
    assert q.village == village
    assert (None if q.day is None else (q.day.first, q.day.last)) == days
    assert q.now_requested is now_req
    assert q.is_walkin_question


def test_corpus_is_big_enough() -> None:
    assert len(CORPUS) >= 40


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("inloop in baarlo vanmiddag", "middag"),
        ("sevenum morgenochtend", "ochtend"),
        ("Swalmen vanavond", "avond"),
        ("'s avonds spreekuur in Maasbree", "avond"),
        ("'s morgens in venlo", "ochtend"),
        ("morgen ochtend venlo", "ochtend"),
        ("donderdagmiddag horst", "middag"),
        ("goedemiddag, wanneer is de inloop in venlo", None),  # a greeting, not a filter
        ("ochtend of middag in venlo", None),
        ("inloopochtend venlo", None),  # name of a session, not a hard filter
    ],
)
def test_part_of_day(text: str, part: str | None) -> None:
    assert parse_walkin_query(text, NOW).part_of_day == part


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("spreekuur roermond", "spreekuur"),
        ("spreekuren in venlo", "spreekuur"),
        ("wanneer is de inloop in venray", "inloop"),
        ("inloopochtend venlo", "inloop"),
        ("inloopspreekuur venlo", None),
        ("inloop of spreekuur in weert", None),
        ("wanneer kan ik binnenlopen in horst", None),
        ("/inloop blerick", None),  # the command itself is not a kind preference
    ],
)
def test_kind(text: str, kind: str | None) -> None:
    assert parse_walkin_query(text, NOW).kind == kind


@pytest.mark.parametrize(
    "text",
    [
        "hallo",
        "Goedemorgen!",
        "ok",
        "",
        "   ",
        "👍",
    ],
)
def test_not_a_walkin_question(text: str) -> None:
    q = parse_walkin_query(text, NOW)
    assert not q.is_walkin_question
    assert q.municipality is None and q.day is None


def test_weekday_today_counts_and_sunday_weekend() -> None:
    sunday = datetime(2026, 3, 8, 12, tzinfo=TZ)
    assert parse_walkin_query("zondag venlo", sunday).day == DayFilter(SUN, SUN, "weekday")
    assert parse_walkin_query("dit weekend venlo", sunday).day == DayFilter(SUN, SUN, "weekend")
    nxt = parse_walkin_query("volgend weekend venlo", sunday).day
    assert nxt is not None and (nxt.first, nxt.last) == (date(2026, 3, 14), date(2026, 3, 15))
    saturday = datetime(2026, 3, 7, 12, tzinfo=TZ)
    assert parse_walkin_query("weekend venlo", saturday).day == DayFilter(SAT, SUN, "weekend")


def test_date_without_year_in_past_means_next_year() -> None:
    q = parse_walkin_query("inloop venlo 3 januari", NOW)
    assert q.day is not None and q.day.single == date(2027, 1, 3)
    assert parse_walkin_query("inloop venlo 31-2", NOW).day is None  # no such date


def test_utc_now_uses_amsterdam_date() -> None:
    utc_now = datetime(2026, 3, 4, 23, 30, tzinfo=UTC)  # 00:30 Thursday in Amsterdam
    assert parse_walkin_query("vandaag venlo", utc_now).day == DayFilter(THU, THU, "today")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_parse_never_crashes(text: str) -> None:
    q = parse_walkin_query(text, NOW)
    assert isinstance(q, WalkinQuery)
    if q.day is not None:
        assert q.day.first <= q.day.last


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            "inloop spreekuur venlo blerick morgen vandaag nu open dinsdag weekend 12-5 31/2 "
            "volgende week deze 's avonds middag / @ 🙂 ? wanneer echt heel 2026-02-30".split()
        ),
        max_size=8,
    )
)
def test_parse_never_crashes_on_vocabulary_mixes(words: list[str]) -> None:
    parse_walkin_query(" ".join(words), NOW)


# ----------------------------------------------------------------------------- answer


def _rule(id: int, muni: str, weekday: int, start: str, end: str, **kw) -> SessionRule:
    return SessionRule(
        id=id,
        municipality=muni,
        place=kw.pop("place", f"Plek {id}"),
        address="Straat 1",
        weekday=weekday,
        start=time.fromisoformat(start),
        end=time.fromisoformat(end),
        **kw,
    )


RULES = [
    _rule(1, "Venlo", 2, "09:00", "11:00"),  # Wed morning: running at NOW
    _rule(2, "Venlo", 2, "19:00", "21:00"),  # Wed evening
    _rule(3, "Venlo", 4, "13:00", "15:00", kind="spreekuur"),  # Fri afternoon
    _rule(4, "Peel en Maas", 0, "10:00", "12:00"),  # Mon
    _rule(5, "Weert", 1, "08:00", "09:00"),  # Tue early
]


def ask(text: str, now: datetime = NOW, rules: list[SessionRule] = RULES, exc=(), **kw):
    return answer(rules, list(exc), parse_walkin_query(text, now), now, **kw)


def test_answer_needs_place() -> None:
    a = ask("wanneer is de inloop?")
    assert a.needs_place and not a.nothing_found and a.groups == () and a.municipality is None


def test_answer_upcoming_grouped() -> None:
    a = ask("inloop blerick")
    assert not a.needs_place and a.municipality == "Venlo" and a.village == "Blerick"
    summary = [(g.date, g.label, [o.session_id for o in g.occurrences]) for g in a.groups]
    # "inloop" finds every kind: the Friday spreekuur too.
    assert summary == [
        (WED, "today", [1, 2]),
        (FRI, "this_week", [3]),
        (WED2, "next_week", [1, 2]),
        (date(2026, 3, 13), "next_week", [3]),
    ]
    assert [o.session_id for o in a.open_now] == [1]


@pytest.mark.parametrize(
    "text", ["inloop venlo", "spreekuur venlo", "binnenlopen venlo", "langskomen in venlo"]
)
def test_every_word_finds_every_kind(text: str) -> None:
    a = ask(text)
    assert [o.session_id for o in a.occurrences] == [1, 2, 3, 1, 2, 3]
    assert {o.kind for o in a.occurrences} == {"inloop", "spreekuur"}


def test_a_cancelled_date_is_kept_with_the_next_date() -> None:
    cancel = ScheduleException(WED2, "cancelled", session_id=1)
    a = answer(RULES, [cancel], parse_walkin_query("inloop venlo", NOW), NOW)
    assert [o.session_id for o in a.occurrences] == [1, 2, 3, 2, 3]
    (dropped,) = a.cancelled
    assert dropped.occurrence.session_id == 1 and dropped.occurrence.date == WED2
    assert dropped.next is not None and dropped.next.date == WED2 + timedelta(days=7)
    assert [g.date for g in a.groups if g.cancelled] == [WED2]


def test_answer_no_kind_shows_all() -> None:
    a = ask("/inloop venlo")
    assert [o.session_id for o in a.occurrences] == [1, 2, 3, 1, 2, 3]
    assert [o.session_id for o in a.open_now] == [1]
    assert [g.label for g in a.groups] == ["today", "this_week", "next_week", "next_week"]


def test_answer_now() -> None:
    a = ask("is het nu open in venlo")
    assert a.now_requested and [o.session_id for o in a.open_now] == [1]
    assert [o.session_id for o in a.occurrences] == [1, 2]  # and later today
    later = ask("is het nu open in venlo", now=datetime(2026, 3, 4, 12, tzinfo=TZ))
    assert later.open_now == () and [o.session_id for o in later.occurrences] == [2]
    night = ask("is het nu open in venlo", now=datetime(2026, 3, 4, 22, tzinfo=TZ))
    assert night.nothing_found and night.next_occurrence is not None
    assert night.next_occurrence.session_id == 3 and night.next_occurrence.date == FRI


def test_answer_ended_session_left_out() -> None:
    a = ask("vandaag venlo", now=datetime(2026, 3, 4, 11, 0, tzinfo=TZ))
    assert [o.session_id for o in a.occurrences] == [2]


def test_answer_part_of_day() -> None:
    a = ask("vanavond venlo")
    assert [o.session_id for o in a.occurrences] == [2] and a.part_of_day == "avond"
    none = ask("morgenavond venlo")
    assert none.nothing_found
    assert none.next_occurrence is not None and none.next_occurrence.session_id == 2
    # The next *evening* session (tonight 19:00), not the session running now; counted from
    # now, not from the day asked about.
    assert none.next_occurrence.date == WED


def test_answer_nothing_tomorrow_next_occurrence() -> None:
    a = ask("inloop panningen morgen")
    assert a.nothing_found and a.groups == ()
    assert a.next_occurrence is not None and a.next_occurrence.date == MON2


def test_answer_holiday_nothing_then_next() -> None:
    # Monday 27 April 2026 is Koningsdag: the Peel en Maas session does not run.
    now = datetime(2026, 4, 26, 12, tzinfo=TZ)
    a = ask("maandag panningen", now=now)
    assert a.nothing_found and a.next_occurrence is not None
    assert a.next_occurrence.date == date(2026, 5, 4)


def test_answer_cancelled_and_extra() -> None:
    exc = [
        ScheduleException(date=THU + timedelta(days=4), kind="cancelled", session_id=4),
        ScheduleException(
            date=THU,
            kind="extra",
            municipality="Peel en Maas",
            place="Bieb",
            start=time(14),
            end=time(16),
        ),
    ]
    a = ask("inloop panningen morgen", exc=exc)
    assert not a.nothing_found and a.occurrences[0].is_extra
    b = ask("maandag panningen", exc=exc)
    assert b.nothing_found and b.next_occurrence is not None
    assert b.next_occurrence.is_extra and b.next_occurrence.date == THU


def test_answer_past_date_nothing_found() -> None:
    a = ask("inloop venlo 2026-03-01")
    assert a.nothing_found and a.next_occurrence is not None and a.next_occurrence.session_id == 1


def test_answer_limit() -> None:
    a = ask("venlo", limit=2)
    assert a.truncated and len(a.occurrences) == 2
    assert not ask("venlo", limit=50).truncated


def test_answer_no_sessions_at_all() -> None:
    a = ask("inloop gennep")
    assert a.nothing_found and a.next_occurrence is None and not a.needs_place


# ------------------------------------------------------------------ far dates stay bounded


@pytest.mark.parametrize(
    "text",
    [
        "inloop venlo 31-12-9999",
        "inloop venlo 9999-12-31",
        "inloop venlo 31 december 9999",
        "inloop venlo 1-1-1900",
        "inloop venlo 5-3-2028",  # two years ahead
    ],
)
def test_dates_more_than_a_year_away_are_no_day(text: str) -> None:
    assert parse_walkin_query(text, NOW).day is None


def test_a_far_date_next_to_today_leaves_only_today() -> None:
    # Regression: "vandaag en 31-12-9999" gave a range to the year 9999 and `answer` computed
    # every session (and every year's holidays) up to it before applying `limit`.
    q = parse_walkin_query("inloop venlo vandaag en 31-12-9999", NOW)
    assert q.day == DayFilter(WED, WED, "today")
    a = answer(RULES, [], q, NOW, limit=15)
    assert [o.session_id for o in a.occurrences] == [1, 2]


def test_dates_within_a_year_still_count() -> None:
    q = parse_walkin_query("inloop venlo 5-3-2027", NOW)
    assert q.day is not None and q.day.single == date(2027, 3, 5)


def test_answer_caps_a_long_range_at_the_horizon() -> None:
    # A hand-made query up to the end of the calendar: never more than `horizon_days` days of
    # sessions are computed, and the answer says where it stopped.
    q = parse_walkin_query("/inloop venlo", NOW)  # all kinds
    q = WalkinQuery(**{**q.__dict__, "day": DayFilter(WED, date.max, "range")})
    a = answer(RULES, [], q, NOW, horizon_days=90)
    last = WED + timedelta(days=89)
    assert a.day == DayFilter(WED, last, "range")
    assert max(o.date for o in a.occurrences) <= last
    # Exactly the 90 days' sessions: 13 weeks of Wednesdays (2) and Fridays (1) but Goede
    # vrijdag.
    assert len(a.occurrences) == len(occurrences(RULES, [], WED, last, municipality="Venlo"))
    assert len(a.occurrences) == 13 * 2 + 12
    # A range that starts at the end of the calendar does not overflow.
    q_end = WalkinQuery(**{**q.__dict__, "day": DayFilter(date.max, date.max, "date")})
    assert [o.date for o in answer(RULES, [], q_end, NOW).occurrences] == [date.max]  # a Friday


@pytest.mark.parametrize("text", ["inloop leuwen", "swolmen morgen", "is er inloop in heiden"])
def test_a_typo_tie_between_municipalities_is_no_place(text: str) -> None:
    q = parse_walkin_query(text, NOW)
    assert q.municipality is None and q.is_walkin_question
    assert answer(RULES, [], q, NOW).needs_place


# ------------------------------------------------------- a weekday asked on that very day


def test_a_weekday_asked_after_its_sessions_today_answers_for_next_week() -> None:
    # Wednesday 22:00: both Wednesday sessions are over; "woensdag" is not "nothing".
    late = datetime(2026, 3, 4, 22, tzinfo=TZ)
    a = ask("is er iets in venlo op woensdag?", now=late)
    assert a.moved_from == WED and [o.session_id for o in a.over_today] == [1, 2]
    assert not a.nothing_found and a.day == DayFilter(WED2, WED2, "weekday")
    assert [(o.session_id, o.date) for o in a.occurrences] == [(1, WED2), (2, WED2)]
    # With the part of the day: only the morning session was "today".
    morning = ask("woensdagochtend venlo", now=late)
    assert [o.session_id for o in morning.over_today] == [1]
    assert [o.session_id for o in morning.occurrences] == [1]
    # A session still to come today keeps the day; "vandaag" is not moved either.
    noon = ask("woensdag venlo", now=datetime(2026, 3, 4, 12, tzinfo=TZ))
    assert noon.moved_from is None and [o.session_id for o in noon.occurrences] == [2]
    assert ask("vandaag venlo", now=late).moved_from is None
    # "open" with today's weekday is no "now" question once the answer is next week's.
    is_open = ask("is het woensdag open in venlo", now=late)
    assert is_open.moved_from == WED and not is_open.now_requested


def test_a_weekday_asked_on_that_day_with_nothing_over_stays_that_day() -> None:
    """Only sessions that were on today and are over move the answer a week on: a weekday or
    a part of the day without sessions is answered for today, as any day ("geen", then the
    eerstvolgende), not for a day the resident did not ask about."""
    thursday = datetime(2026, 3, 5, 10, tzinfo=TZ)  # Venlo has no Thursday session
    a = ask("donderdag venlo", now=thursday)
    assert a.moved_from is None and not a.over_today
    assert a.day == DayFilter(date(2026, 3, 5), date(2026, 3, 5), "weekday")
    assert not a.occurrences and a.next_occurrence is not None
    # Wednesday 10:00, the afternoon asked: nothing that afternoon, the morning is not over.
    afternoon = ask("woensdagmiddag venlo", now=datetime(2026, 3, 4, 10, tzinfo=TZ))
    assert afternoon.moved_from is None and not afternoon.over_today


SUNDAY_RULE = [_rule(7, "Venlo", 6, "10:00", "12:00", kind="inloop")]


@pytest.mark.parametrize(
    ("now", "moved"),
    # The Sundays the clocks went forward (UTC+2 from 02:00) and back (UTC+1 from 03:00):
    # a minute before the session's end, and at its end.
    [
        (local_time(day, hhmm), moved)
        for day in (SPRING_FORWARD_2026, FALL_BACK_2026)
        for hhmm, moved in (("11:59", False), ("12:00", True))
    ],
)
def test_over_today_to_the_minute_across_dst(now: datetime, moved: bool) -> None:
    a = ask("inloop venlo zondag", now=now, rules=SUNDAY_RULE)
    assert (a.moved_from is not None) is moved
    if not moved:
        assert [o.date for o in a.occurrences] == [now.date()]
        return
    assert [o.date for o in a.over_today] == [now.date()]
    week_later = now.date() + timedelta(days=7)
    if week_later == date(2026, 4, 5):  # Eerste paasdag: closed, the next one after it
        assert a.nothing_found and a.next_occurrence is not None
        assert a.next_occurrence.date == date(2026, 4, 12)
    else:
        assert [o.date for o in a.occurrences] == [week_later]


# ------------------------------------------------------- the asked kind in the fallback


def test_the_next_session_is_of_the_asked_kind() -> None:
    late = datetime(2026, 3, 4, 22, tzinfo=TZ)
    # Nothing on Thursday; the Friday spreekuur is not the next *inloop*.
    a = ask("inloop venlo morgen", now=late)
    assert a.nothing_found and not a.kind_missing
    assert a.next_occurrence is not None and a.next_occurrence.session_id == 1
    assert a.next_occurrence.date == WED2
    b = ask("spreekuur venlo morgen", now=late)
    assert b.next_occurrence is not None and b.next_occurrence.session_id == 3
    # No kind asked: simply the next one.
    c = ask("venlo morgen", now=late)
    assert c.next_occurrence is not None and c.next_occurrence.session_id == 3


def test_a_kind_the_municipality_does_not_have_is_said() -> None:
    a = ask("spreekuur panningen morgen")
    assert a.nothing_found and a.kind_missing
    assert a.next_occurrence is not None and a.next_occurrence.kind == "inloop"
    assert not ask("inloop panningen morgen").kind_missing


# ------------------------------------------------------------------ holidays by name


def _one_day(day: date, *texts: str) -> list[tuple[str, date, date]]:
    return [(text, day, day) for text in texts]


HOLIDAY_NAMES = [
    *_one_day(
        date(2026, 12, 25),
        "inloop venlo eerste kerstdag",
        "inloop venlo Eerste Kerstdag",
        "inloop venlo 1e kerstdag",
    ),
    *_one_day(date(2026, 12, 26), "venlo tweede kerstdag"),
    ("is er met kerst iets in venlo", date(2026, 12, 25), date(2026, 12, 26)),
    *_one_day(date(2026, 12, 24), "venlo kerstavond"),
    ("inloop venlo pasen", date(2026, 4, 5), date(2026, 4, 6)),
    *_one_day(date(2026, 4, 6), "venlo tweede paasdag", "venlo paasmaandag"),
    *_one_day(date(2026, 4, 3), "venlo goede vrijdag"),  # not "vrijdag" 6 March
    *_one_day(date(2026, 4, 27), "venlo Koningsdag"),
    *_one_day(date(2026, 5, 5), "venlo bevrijdingsdag"),
    *_one_day(date(2026, 5, 14), "venlo hemelvaart", "venlo Hemelvaartsdag"),
    ("venlo pinksteren", date(2026, 5, 24), date(2026, 5, 25)),
    *_one_day(date(2026, 5, 25), "venlo pinkster-maandag", "venlo 2e pinksterdag"),
    *_one_day(date(2026, 12, 31), "venlo oudejaarsdag"),
    *_one_day(date(2027, 1, 1), "venlo nieuwjaarsdag"),  # the next one
]


@pytest.mark.parametrize(("text", "first", "last"), HOLIDAY_NAMES)
def test_holiday_names_are_days(text: str, first: date, last: date) -> None:
    q = parse_walkin_query(text, NOW)
    assert q.municipality == "Venlo"
    assert q.day is not None and (q.day.first, q.day.last) == (first, last)


def test_a_holiday_that_passed_this_year_means_next_year() -> None:
    q = parse_walkin_query("inloop venlo eerste kerstdag", datetime(2026, 12, 26, 9, tzinfo=TZ))
    assert q.day is not None and q.day.single == date(2027, 12, 25)
    today = parse_walkin_query("inloop venlo kerst", datetime(2026, 12, 26, 9, tzinfo=TZ))
    assert today.day is not None and today.day.single == date(2026, 12, 26)


@pytest.mark.parametrize(
    ("name", "written"),
    [
        ("Eerste kerstdag", "eerste kerstdag"),
        ("Tweede paasdag", "tweede paasdag"),
        ("Nieuwjaarsdag", "nieuwjaarsdag"),
        ("Koningsdag", "Koningsdag"),
        ("Hemelvaartsdag", "Hemelvaartsdag"),
        ("Goede vrijdag", "Goede vrijdag"),
        ("Bevrijdingsdag; Hemelvaartsdag", "Bevrijdingsdag; Hemelvaartsdag"),
        ("Eerste pinksterdag; Bevrijdingsdag", "eerste pinksterdag; Bevrijdingsdag"),
    ],
)
def test_holiday_names_mid_sentence(name: str, written: str) -> None:
    assert in_sentence(name) == written


# ------------------------------------------------------------------ personal data


def test_a_name_or_number_is_personal_data_not_a_place() -> None:
    q = parse_walkin_query(
        "mijn naam is Piet Jansen en mijn nummer is 0612345678, kunnen jullie me bellen?", NOW
    )
    assert q.personal_data and q.topic == "callback" and q.is_walkin_question
    assert q.municipality is None and q.day is None
    phone = parse_walkin_query("bel 06-12345678", NOW)
    assert phone.personal_data and phone.municipality is None and phone.day is None
    assert parse_walkin_query("jan@example.nl inloop venlo", NOW).personal_data
    # A bare postcode names a neighbourhood, not a person.
    assert not parse_walkin_query("inloop in de buurt van 5911 AB", NOW).personal_data
    assert not parse_walkin_query("inloop venlo morgen", NOW).personal_data


def test_every_spoken_holiday_name_names_a_known_day() -> None:
    """The spoken forms (walkin_days) and the holiday table (holidays_nl) are written apart:
    a key that is not in the table would swallow the word and ignore the day."""
    from bot.domain import holidays_nl, walkin_days

    assert set(walkin_days._HOLIDAY_SEQS.values()) == holidays_nl.NAMED_DAYS
