"""Schedule arithmetic for inloop/spreekuur: holidays, exceptions, 'now', DST."""

from __future__ import annotations

import time as _time
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain import holidays_nl, walkin
from bot.domain.holidays_nl import holiday_name, holidays_between, is_public_holiday
from bot.domain.walkin import (
    TZ,
    Schedule,
    ScheduleException,
    SessionRule,
    day_label,
    group_by_day,
    is_open_now,
    occurrences,
)


def rule(
    id: int = 1,
    weekday: int = 1,
    start: str = "10:00",
    end: str = "12:00",
    municipality: str = "Venlo",
    **kw,
) -> SessionRule:
    return SessionRule(
        id=id,
        municipality=municipality,
        place=kw.pop("place", f"Buurthuis {id}"),
        address=kw.pop("address", "Kerkstraat 1"),
        weekday=weekday,
        start=time.fromisoformat(start),
        end=time.fromisoformat(end),
        **kw,
    )


def local(y: int, m: int, d: int, hh: int = 0, mm: int = 0, fold: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TZ, fold=fold)


def dates(occs: list[walkin.Occurrence]) -> list[date]:
    return [o.date for o in occs]


# ----------------------------------------------------------------------------- holidays


class TestHolidays:
    @pytest.mark.parametrize(
        ("d", "name"),
        [
            (date(2026, 1, 1), "Nieuwjaarsdag"),
            (date(2026, 4, 5), "Eerste paasdag"),
            (date(2026, 4, 6), "Tweede paasdag"),
            (date(2026, 4, 27), "Koningsdag"),  # a Monday
            (date(2025, 4, 26), "Koningsdag"),  # 27 April 2025 was a Sunday
            (date(2026, 5, 14), "Hemelvaartsdag"),
            (date(2026, 5, 24), "Eerste pinksterdag"),
            (date(2026, 5, 25), "Tweede pinksterdag"),
            (date(2026, 12, 25), "Eerste kerstdag"),
            (date(2026, 12, 26), "Tweede kerstdag"),
            (date(2025, 5, 5), "Bevrijdingsdag"),  # lustrum year
            (date(2026, 4, 3), "Goede vrijdag"),  # listed by the holidays package for NL
        ],
    )
    def test_known_holidays(self, d: date, name: str) -> None:
        assert is_public_holiday(d)
        assert holiday_name(d) is not None
        assert holiday_name(d).casefold() == name.casefold()

    @pytest.mark.parametrize(
        "d",
        [
            date(2026, 5, 5),  # Bevrijdingsdag only every five years as a public holiday
            date(2025, 4, 27),  # Sunday; Koningsdag moved to the 26th
            date(2026, 4, 28),
            date(2026, 12, 24),
            date(2026, 12, 31),
        ],
    )
    def test_not_holidays(self, d: date) -> None:
        assert not is_public_holiday(d)
        assert holiday_name(d) is None

    def test_cached_per_year(self) -> None:
        assert holidays_nl.holidays_in_year(2026) is holidays_nl.holidays_in_year(2026)

    def test_between_spans_years(self) -> None:
        got = holidays_between(date(2025, 12, 20), date(2026, 1, 2))
        assert list(got) == [date(2025, 12, 25), date(2025, 12, 26), date(2026, 1, 1)]
        assert holidays_between(date(2026, 1, 2), date(2026, 1, 1)) == {}


# ----------------------------------------------------------------------------- rules


class TestValidation:
    def test_bad_weekday(self) -> None:
        with pytest.raises(ValueError):
            rule(weekday=7)

    def test_end_before_start(self) -> None:
        with pytest.raises(ValueError):
            rule(start="12:00", end="10:00")
        with pytest.raises(ValueError):
            rule(start="12:00", end="12:00")

    def test_validity_order(self) -> None:
        with pytest.raises(ValueError):
            rule(valid_from=date(2026, 2, 1), valid_until=date(2026, 1, 1))

    def test_extra_needs_fields_without_session(self) -> None:
        with pytest.raises(ValueError):
            ScheduleException(date=date(2026, 1, 1), kind="extra", municipality="Venlo")

    def test_naive_now_rejected(self) -> None:
        with pytest.raises(ValueError):
            Schedule([rule()], []).next_sessions(datetime(2026, 3, 2, 10, 0))


class TestOccurrences:
    def test_weekly_and_sorted(self) -> None:
        rules = [rule(1, weekday=1, start="14:00", end="16:00"), rule(2, weekday=1), rule(3, 3)]
        occs = occurrences(rules, [], date(2026, 3, 2), date(2026, 3, 15))
        assert [(o.date, o.session_id) for o in occs] == [
            (date(2026, 3, 3), 2),
            (date(2026, 3, 3), 1),
            (date(2026, 3, 5), 3),
            (date(2026, 3, 10), 2),
            (date(2026, 3, 10), 1),
            (date(2026, 3, 12), 3),
        ]
        o = occs[0]
        assert o.start_local == local(2026, 3, 3, 10) and o.end_local == local(2026, 3, 3, 12)
        assert o.start_local.tzinfo is TZ
        assert (o.municipality, o.place, o.kind, o.is_extra) == (
            "Venlo",
            "Buurthuis 2",
            "inloop",
            False,
        )

    def test_range_inclusive_and_empty(self) -> None:
        r = rule(weekday=1)
        assert dates(occurrences([r], [], date(2026, 3, 3), date(2026, 3, 3))) == [date(2026, 3, 3)]
        assert occurrences([r], [], date(2026, 3, 4), date(2026, 3, 3)) == []

    def test_koningsdag_monday_closed(self) -> None:
        r = rule(weekday=0)
        got = dates(occurrences([r], [], date(2026, 4, 20), date(2026, 5, 4)))
        assert got == [date(2026, 4, 20), date(2026, 5, 4)]

    def test_tweede_paasdag_closed(self) -> None:
        r = rule(weekday=0)
        assert date(2026, 4, 6) not in dates(
            occurrences([r], [], date(2026, 4, 1), date(2026, 4, 30))
        )

    def test_christmas_closed(self) -> None:
        fri, sat = rule(1, weekday=4), rule(2, weekday=5)
        got = occurrences([fri, sat], [], date(2026, 12, 21), date(2027, 1, 3))
        # Fri 25 Dec, Sat 26 Dec and Fri 1 Jan are closed; only Sat 2 Jan remains.
        assert dates(got) == [date(2027, 1, 2)]

    def test_open_on_holidays(self) -> None:
        r = rule(weekday=0, open_on_holidays=True)
        (o,) = occurrences([r], [], date(2026, 4, 27), date(2026, 4, 27))
        assert o.holiday == "Koningsdag"

    def test_extra_on_holiday_stays(self) -> None:
        r = rule(weekday=0)
        extra = ScheduleException(date=date(2026, 4, 27), kind="extra", session_id=1)
        (o,) = occurrences([r], [extra], date(2026, 4, 27), date(2026, 4, 27))
        assert o.is_extra and o.session_id == 1 and o.place == r.place and o.holiday == "Koningsdag"

    def test_cancelled_date(self) -> None:
        r, other = rule(1, weekday=1), rule(2, weekday=1)
        cancel = ScheduleException(date=date(2026, 3, 10), kind="cancelled", session_id=1)
        occs = occurrences([r, other], [cancel], date(2026, 3, 2), date(2026, 3, 15))
        assert [(o.date, o.session_id) for o in occs] == [
            (date(2026, 3, 3), 1),
            (date(2026, 3, 3), 2),
            (date(2026, 3, 10), 2),
        ]

    def test_cancelled_whole_municipality_or_region(self) -> None:
        rules = [rule(1, weekday=1), rule(2, weekday=1, municipality="Weert")]
        d = date(2026, 3, 10)
        muni = ScheduleException(date=d, kind="cancelled", municipality="venlo")
        assert [o.session_id for o in occurrences(rules, [muni], d, d)] == [2]
        everywhere = ScheduleException(date=d, kind="cancelled")
        assert occurrences(rules, [everywhere], d, d) == []

    def test_moved_session_is_cancel_plus_extra(self) -> None:
        d = date(2026, 3, 10)
        exc = [
            ScheduleException(date=d, kind="cancelled", session_id=1),
            ScheduleException(
                date=d, kind="extra", session_id=1, start=time(14), end=time(16), note="verplaatst"
            ),
        ]
        (o,) = occurrences([rule(1, weekday=1)], exc, d, d)
        assert o.is_extra and o.start_local == local(2026, 3, 10, 14) and o.note == "verplaatst"

    def test_extra_standalone(self) -> None:
        d = date(2026, 3, 11)
        extra = ScheduleException(
            date=d,
            kind="extra",
            municipality="Weert",
            place="Bibliotheek",
            address="Markt 2",
            start=time(13, 30),
            end=time(15),
            session_kind="spreekuur",
        )
        (o,) = occurrences([], [extra], date(2026, 3, 1), date(2026, 3, 31))
        assert (o.municipality, o.place, o.address, o.kind, o.session_id) == (
            "Weert",
            "Bibliotheek",
            "Markt 2",
            "spreekuur",
            None,
        )
        assert occurrences([], [extra], date(2026, 3, 12), date(2026, 3, 31)) == []

    def test_extra_for_unknown_rule_skipped(self) -> None:
        extra = ScheduleException(date=date(2026, 3, 11), kind="extra", session_id=99)
        assert occurrences([rule()], [extra], date(2026, 3, 11), date(2026, 3, 11)) == []

    def test_validity_window_inclusive(self) -> None:
        r = rule(weekday=1, valid_from=date(2026, 3, 10), valid_until=date(2026, 3, 24))
        got = dates(occurrences([r], [], date(2026, 3, 1), date(2026, 4, 30)))
        assert got == [date(2026, 3, 10), date(2026, 3, 17), date(2026, 3, 24)]

    def test_municipality_filter(self) -> None:
        rules = [rule(1, weekday=1), rule(2, weekday=1, municipality="Peel en Maas")]
        extra = ScheduleException(
            date=date(2026, 3, 4),
            kind="extra",
            municipality="Venlo",
            place="X",
            start=time(9),
            end=time(10),
        )
        got = occurrences(
            rules, [extra], date(2026, 3, 2), date(2026, 3, 8), municipality="peel en maas"
        )
        assert [o.session_id for o in got] == [2]


# ----------------------------------------------------------------------------- now / next


class TestNow:
    r = rule(weekday=1)  # Tuesday 10:00-12:00
    sched = Schedule([r], [])

    @pytest.mark.parametrize(
        ("hh", "mm", "expected"),
        [(9, 59, False), (10, 0, True), (11, 59, True), (12, 0, False)],
    )
    def test_open_to_the_minute(self, hh: int, mm: int, expected: bool) -> None:
        now = local(2026, 3, 3, hh, mm)
        (o,) = occurrences([self.r], [], now.date(), now.date())
        assert is_open_now(o, now) is expected
        assert is_open_now(o, now.astimezone(UTC)) is expected  # any timezone works
        assert bool(self.sched.open_now(now)) is expected

    def test_running_session_included(self) -> None:
        got = self.sched.next_sessions(local(2026, 3, 3, 11, 30))
        assert dates(got) == [date(2026, 3, 3), date(2026, 3, 10)]
        assert is_open_now(got[0], local(2026, 3, 3, 11, 30))

    def test_ended_session_excluded(self) -> None:
        got = self.sched.next_sessions(local(2026, 3, 3, 12, 0))
        assert dates(got) == [date(2026, 3, 10)]

    def test_days_and_limit(self) -> None:
        daily = Schedule([rule(i, weekday=i) for i in range(7)], [])
        now = local(2026, 3, 4, 8)  # Wednesday
        assert len(daily.next_sessions(now)) == 14
        assert dates(daily.next_sessions(now, days=1)) == [date(2026, 3, 4)]
        assert dates(daily.next_sessions(now, limit=2)) == [date(2026, 3, 4), date(2026, 3, 5)]
        assert daily.next_sessions(now, days=0) == []

    def test_utc_now_late_evening_is_next_local_day(self) -> None:
        # 23:30 UTC on Monday is 00:30 Tuesday in Amsterdam (winter): today is Tuesday.
        now = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)
        assert walkin.local_today(now) == date(2026, 3, 3)
        assert dates(self.sched.next_sessions(now, days=1)) == [date(2026, 3, 3)]

    def test_next_after_skips_holidays_and_far_away(self) -> None:
        june = Schedule([rule(weekday=0, valid_from=date(2026, 6, 1))], [])
        got = june.next_after(local(2026, 4, 20, 9))
        assert got is not None and got.date == date(2026, 6, 1)
        assert june.next_after(local(2026, 1, 1, 9), horizon_days=30) is None
        assert Schedule([], []).next_after(local(2026, 1, 1, 9)) is None

    def test_next_after_respects_municipality(self) -> None:
        rules = [rule(1, weekday=1), rule(2, weekday=3, municipality="Venray")]
        got = Schedule(rules, [], municipality="Venray").next_after(local(2026, 3, 2, 9))
        assert got is not None and got.session_id == 2


class TestDST:
    """Europe/Amsterdam: 2026-03-29 02:00 -> 03:00, 2026-10-25 03:00 -> 02:00."""

    def test_sunday_morning_on_change_days(self) -> None:
        r = rule(weekday=6, start="10:00", end="12:00")
        (spring,) = occurrences([r], [], date(2026, 3, 29), date(2026, 3, 29))
        assert spring.start_utc == datetime(2026, 3, 29, 8, tzinfo=UTC)
        assert spring.start_local.utcoffset() == timedelta(hours=2)
        (autumn,) = occurrences([r], [], date(2026, 10, 25), date(2026, 10, 25))
        assert autumn.start_utc == datetime(2026, 10, 25, 9, tzinfo=UTC)
        assert autumn.end_utc - autumn.start_utc == timedelta(hours=2)

    @pytest.mark.parametrize(
        ("utc", "expected"),
        [
            (datetime(2026, 3, 29, 7, 59, tzinfo=UTC), False),  # 09:59 CEST
            (datetime(2026, 3, 29, 8, 0, tzinfo=UTC), True),  # 10:00 CEST
            (datetime(2026, 3, 29, 9, 59, tzinfo=UTC), True),
            (datetime(2026, 3, 29, 10, 0, tzinfo=UTC), False),  # 12:00 CEST
            (datetime(2026, 3, 29, 9, 0, tzinfo=UTC), True),  # 11:00 CEST (10:00 CET: wrong)
            (datetime(2026, 10, 25, 8, 59, tzinfo=UTC), False),  # 09:59 CET
            (datetime(2026, 10, 25, 9, 0, tzinfo=UTC), True),  # 10:00 CET
            (datetime(2026, 10, 25, 10, 59, tzinfo=UTC), True),
            (datetime(2026, 10, 25, 11, 0, tzinfo=UTC), False),  # 12:00 CET
            (datetime(2026, 10, 25, 8, 30, tzinfo=UTC), False),  # 10:30 CEST wall would be wrong
        ],
    )
    def test_open_now_to_the_minute(self, utc: datetime, expected: bool) -> None:
        assert bool(Schedule([rule(weekday=6)], []).open_now(utc)) is expected

    def test_weekdays_around_change(self) -> None:
        r = rule(weekday=4)  # Friday
        (before,) = occurrences([r], [], date(2026, 3, 27), date(2026, 4, 3))  # 3/4 Goede Vrijdag
        assert before.start_utc == datetime(2026, 3, 27, 9, tzinfo=UTC)
        assert before.start_local.utcoffset() == timedelta(hours=1)
        occ = occurrences([rule(weekday=0)], [], date(2026, 3, 30), date(2026, 3, 30))
        assert occ[0].start_utc == datetime(2026, 3, 30, 8, tzinfo=UTC)

    def test_spring_gap_whole_session_does_not_exist(self) -> None:
        r = rule(weekday=6, start="02:00", end="03:00")
        assert occurrences([r], [], date(2026, 3, 29), date(2026, 3, 29)) == []
        # The week before and after it runs normally.
        got = occurrences([r], [], date(2026, 3, 22), date(2026, 4, 5))
        assert dates(got) == [date(2026, 3, 22)]  # 5 April is Eerste paasdag

    def test_spring_gap_partial_session(self) -> None:
        r = rule(weekday=6, start="01:30", end="02:30")
        (o,) = occurrences([r], [], date(2026, 3, 29), date(2026, 3, 29))
        # 02:30 does not exist; fold=0 reads it with the winter offset -> 03:30 CEST.
        assert o.start_local == datetime(2026, 3, 29, 1, 30, tzinfo=TZ)
        assert (o.end_local.hour, o.end_local.minute) == (3, 30)
        assert o.end_local.utcoffset() == timedelta(hours=2)
        assert o.end_utc - o.start_utc == timedelta(hours=1)
        assert is_open_now(o, datetime(2026, 3, 29, 1, 15, tzinfo=UTC))  # 03:15 CEST
        assert not is_open_now(o, datetime(2026, 3, 29, 1, 30, tzinfo=UTC))  # 03:30 CEST

    def test_spring_gap_start(self) -> None:
        r = rule(weekday=6, start="02:30", end="04:00")
        (o,) = occurrences([r], [], date(2026, 3, 29), date(2026, 3, 29))
        assert (o.start_local.hour, o.start_local.minute) == (3, 30)

    def test_autumn_repeated_hour(self) -> None:
        r = rule(weekday=6, start="02:00", end="03:00")
        (o,) = occurrences([r], [], date(2026, 10, 25), date(2026, 10, 25))
        # From the first 02:00 (CEST) until the clock shows 03:00 (CET): two real hours.
        assert o.start_utc == datetime(2026, 10, 25, 0, tzinfo=UTC)
        assert o.end_utc == datetime(2026, 10, 25, 2, tzinfo=UTC)
        assert is_open_now(o, local(2026, 10, 25, 2, 30, fold=1))

    def test_autumn_short_session_first_pass_only(self) -> None:
        r = rule(weekday=6, start="02:15", end="02:45")
        (o,) = occurrences([r], [], date(2026, 10, 25), date(2026, 10, 25))
        assert is_open_now(o, local(2026, 10, 25, 2, 30, fold=0))  # 00:30 UTC
        # Same wall time in the second pass: Python's naive same-tz comparison would say True.
        assert not is_open_now(o, local(2026, 10, 25, 2, 30, fold=1))  # 01:30 UTC
        assert Schedule([r], []).next_sessions(local(2026, 10, 25, 2, 50, fold=0), days=1) == []


# ----------------------------------------------------------------------------- grouping


class TestGrouping:
    def test_labels_from_wednesday(self) -> None:
        wed = date(2026, 3, 4)
        assert day_label(wed, wed) == "today"
        assert day_label(date(2026, 3, 5), wed) == "tomorrow"
        assert day_label(date(2026, 3, 8), wed) == "this_week"  # Sunday
        assert day_label(date(2026, 3, 9), wed) == "next_week"
        assert day_label(date(2026, 3, 15), wed) == "next_week"
        assert day_label(date(2026, 3, 16), wed) == "later"

    def test_labels_from_sunday(self) -> None:
        sun = date(2026, 3, 8)
        assert day_label(date(2026, 3, 9), sun) == "tomorrow"
        assert day_label(date(2026, 3, 10), sun) == "next_week"

    def test_group_by_day(self) -> None:
        rules = [rule(1, weekday=2), rule(2, weekday=2, start="09:00"), rule(3, weekday=4)]
        now = local(2026, 3, 4, 8)
        groups = group_by_day(Schedule(rules, []).next_sessions(now), now.date())
        assert [(d, label, [o.session_id for o in occs]) for d, label, occs in groups] == [
            (date(2026, 3, 4), "today", [2, 1]),
            (date(2026, 3, 6), "this_week", [3]),
            (date(2026, 3, 11), "next_week", [2, 1]),
            (date(2026, 3, 13), "next_week", [3]),
        ]
        assert group_by_day([], now.date()) == []


# ----------------------------------------------------------------------------- performance


def test_fifty_rules_next_sessions_cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    rules = [
        rule(i, weekday=i % 7, start=f"{8 + i % 10:02d}:00", end=f"{9 + i % 10:02d}:30")
        for i in range(50)
    ]
    calls = 0
    real = walkin.holidays_between

    def counting(start: date, end: date) -> dict[date, str]:
        nonlocal calls
        calls += 1
        return real(start, end)

    monkeypatch.setattr(walkin, "holidays_between", counting)
    now = local(2026, 4, 20, 9)
    got = Schedule(rules, [], municipality="Venlo").next_sessions(now)
    assert calls == 1  # holidays looked up once per query, not per rule or per day
    assert len(got) >= 90
    t0 = _time.perf_counter()
    for _ in range(20):
        Schedule(rules, [], municipality="Venlo").next_sessions(now)  # index built each time
    assert (_time.perf_counter() - t0) / 20 < 0.02


# ----------------------------------------------------------------------------- properties

_day = st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31))
_minutes = st.integers(min_value=0, max_value=24 * 60 - 2)


@st.composite
def _rules(draw: st.DrawFn) -> list[SessionRule]:
    out = []
    for i in range(draw(st.integers(0, 6))):
        a = draw(_minutes)
        b = draw(st.integers(a + 1, 24 * 60 - 1))
        vf = draw(st.none() | _day)
        vu = draw(st.none() | _day)
        if vf and vu and vf > vu:
            vf, vu = vu, vf
        out.append(
            SessionRule(
                id=i + 1,
                municipality=draw(st.sampled_from(["Venlo", "Weert"])),
                place="P",
                address="A",
                weekday=draw(st.integers(0, 6)),
                start=time(a // 60, a % 60),
                end=time(b // 60, b % 60),
                valid_from=vf,
                valid_until=vu,
                open_on_holidays=draw(st.booleans()),
            )
        )
    return out


@settings(max_examples=150, deadline=None)
@given(
    rules=_rules(),
    cancels=st.lists(st.tuples(st.integers(1, 6), _day), max_size=8),
    extras=st.lists(_day, max_size=4),
    start=_day,
    span=st.integers(0, 60),
)
def test_occurrence_properties(
    rules: list[SessionRule],
    cancels: list[tuple[int, date]],
    extras: list[date],
    start: date,
    span: int,
) -> None:
    end = start + timedelta(days=span)
    exc = [ScheduleException(date=d, kind="cancelled", session_id=i) for i, d in cancels]
    exc += [
        ScheduleException(
            date=d, kind="extra", municipality="Venlo", place="X", start=time(9), end=time(10)
        )
        for d in extras
    ]
    occs = occurrences(rules, exc, start, end)
    keys = [(o.start_utc, o.end_utc) for o in occs]
    assert keys == sorted(keys)
    cancelled = set(cancels)
    by_id = {r.id: r for r in rules}
    for o in occs:
        assert start <= o.date <= end
        assert o.start_utc < o.end_utc
        if o.is_extra:
            continue
        r = by_id[o.session_id]
        assert (r.id, o.date) not in cancelled
        assert o.date.weekday() == r.weekday and r.valid_on(o.date)
        assert r.open_on_holidays or not is_public_holiday(o.date)
    assert sum(o.is_extra for o in occs) == sum(start <= d <= end for d in extras)
