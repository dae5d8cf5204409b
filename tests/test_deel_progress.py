"""Live progress of deelopdracht measures: the pure window/pace/status rules, and the SQL counts
on the hand-worked WIJ-Groningen fixture (tests/deel_fixture.py), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from bot.domain.measures import (
    MEASURES,
    MeasureProgress,
    Status,
    Unit,
    Window,
    add_months,
    expected_by_now,
    format_progress_line,
    make_progress,
    measure_window,
)
from bot.i18n import Translator
from bot.storage import deel_progress
from bot.storage.db import session_factory, transaction
from bot.storage.models import (
    ContactFollowup,
    ContactReferral,
    DeelopdrachtMeasure,
    MeasureKind,
    ReachChannel,
    Vindplek,
    id_of,
)
from tests import helpers
from tests.deel_fixture import (
    APRIL,
    END,
    START,
    add_deelopdracht,
    add_expert,
    seed_wij,
    utc,
)

NL = Translator("nl")


# --------------------------------------------------------------------------- pure rules


def test_first_six_months_end_the_day_before_start_plus_six_months() -> None:
    assert measure_window(START, END, 6) == Window(START, date(2026, 6, 30))
    assert measure_window(START, END, None) == Window(START, END)
    # Never beyond the period's end.
    assert measure_window(START, date(2026, 3, 31), 6) == Window(START, date(2026, 3, 31))
    assert measure_window(START, None, 12) == Window(START, END)
    # No start: the months cannot apply.
    assert measure_window(None, END, 6) == Window(None, END)


def test_every_measure_kind_has_a_definition() -> None:
    assert set(MEASURES) == {k.value for k in MeasureKind}
    assert {MEASURES[k].unit for k in ("non_use_known", "went_on")} == {Unit.percent}


def test_add_months_clips_to_the_end_of_the_month() -> None:
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert add_months(date(2026, 1, 1), 12) == date(2027, 1, 1)


@given(st.dates(date(2000, 1, 1), date(2100, 1, 1)), st.integers(0, 240))
def test_add_months_is_a_calendar_step(d: date, n: int) -> None:
    r = add_months(d, n)
    assert (r.year * 12 + r.month) - (d.year * 12 + d.month) == n
    assert r.day <= d.day


@given(
    st.dates(date(2020, 1, 1), date(2030, 1, 1)),
    st.integers(0, 800),
    st.integers(-100, 1000),
    st.floats(0, 1000),
)
def test_expected_by_now_grows_from_zero_to_the_target(
    start: date, days: int, offset: int, target: float
) -> None:
    window = Window(start, date.fromordinal(start.toordinal() + days))
    as_of = date.fromordinal(start.toordinal() + offset)
    e = expected_by_now(target, Unit.number, window, as_of)
    assert e is not None and 0 <= e <= target + 1e-9
    if as_of >= window.end:  # type: ignore[operator]
        assert e == pytest.approx(target)
    if as_of < start:
        assert e == 0
    later = expected_by_now(target, Unit.number, window, date.fromordinal(as_of.toordinal() + 1))
    assert later is not None and later >= e


def _p(
    kind: str,
    value: float | None,
    as_of: date,
    target: float = 25,
    months: int | None = 6,
    ends_on: date | None = END,
):
    return make_progress(
        measure_id=1,
        kind=kind,
        label="",
        target=target,
        value=value,
        starts_on=START,
        ends_on=ends_on,
        window_months=months,
        as_of=as_of,
    )


def test_status_follows_the_pace_of_the_window() -> None:
    assert _p("new_residents", 0, date(2025, 12, 31)).status is Status.not_started
    assert _p("new_residents", 12, APRIL).status is Status.behind  # expected 14,5
    assert _p("new_residents", 15, APRIL).status is Status.on_track
    assert _p("new_residents", 25, APRIL).status is Status.reached
    assert _p("new_residents", 24, date(2026, 6, 29)).status is Status.behind
    assert _p("new_residents", 24, date(2026, 6, 30)).status is Status.missed
    assert _p("new_residents", 24, date(2026, 7, 1)).status is Status.missed
    # Percentages: the target holds at any moment; an empty base is "no data".
    pct = _p("non_use_known", 79.5, APRIL, target=80, months=None)
    assert pct.expected_now == 80 and pct.status is Status.behind
    assert _p("went_on", None, APRIL, target=80, months=None).status is Status.no_data
    # No end date: no pace.
    open_ended = _p("hours", 3, APRIL, target=10, months=None, ends_on=None)
    assert open_ended.expected_now is None and open_ended.status is Status.unknown


def test_progress_lines_read_as_dutch() -> None:
    assert (
        format_progress_line(_p("new_residents", 18, date(2026, 5, 1)), NL)
        == "Nieuwe inwoners bereikt (eerste 6 maanden): 18 van 25 — op schema"
    )
    assert (
        format_progress_line(_p("non_use_known", 72.4, APRIL, target=80, months=None), NL)
        == "Reden van niet-gebruik bekend: 72 % (doel 80 %) — achter op schema"
    )
    assert (
        format_progress_line(_p("went_on", None, APRIL, target=80, months=None), NL)
        == "Doorgestroomd naar voorzieningen: nog geen gegevens (doel 80 %)"
    )
    hours = _p("hours", 12.5, END, target=40, months=None)
    assert format_progress_line(hours, NL) == "Uren contact: 12,5 van 40 uur — doel niet gehaald"
    own = MeasureProgress(
        measure_id=1,
        kind="key_figures",
        label="Sleutelfiguren in Selwerd",
        target=5,
        value=5,
        unit=Unit.number,
        window_start=START,
        window_end=END,
        expected_now=5,
        status=Status.reached,
        window_months=1,
    )
    assert format_progress_line(own, NL) == (
        "Sleutelfiguren in Selwerd (eerste 1 maand): 5 van 5 — doel gehaald"
    )
    en = Translator("en")
    assert "(first 6 months)" in format_progress_line(_p("new_residents", 18, APRIL), en)


# --------------------------------------------------------------------------- SQL: WIJ


def _figures(progress: list[MeasureProgress]) -> list[tuple[str, float | None, Status]]:
    return [(p.kind, None if p.value is None else round(p.value, 2), p.status) for p in progress]


async def _progress(engine: AsyncEngine, deel_id: int, as_of: date) -> list[MeasureProgress]:
    async with session_factory(engine)() as s:
        return await deel_progress.progress(s, deel_id, as_of)


async def test_wij_groningen_at_the_end_of_the_period(engine: AsyncEngine) -> None:
    wij = await seed_wij(engine)
    progress = await _progress(engine, wij.deel_id, END)
    assert [p.measure_id for p in progress] == wij.measure_ids
    assert _figures(progress) == [
        ("new_residents", 17, Status.missed),  # first six months
        ("new_residents", 29, Status.missed),
        ("key_figures", 3, Status.missed),
        ("non_use_known", round(100 * 20 / 29, 2), Status.missed),
        ("went_on", round(100 * 19 / 23, 2), Status.reached),
    ]
    first = progress[0]
    assert (first.window_start, first.window_end) == (START, date(2026, 6, 30))
    lines = [format_progress_line(p, NL) for p in progress]
    assert lines == [
        "Nieuwe inwoners bereikt (eerste 6 maanden): 17 van 25 — doel niet gehaald",
        "Nieuwe inwoners bereikt: 29 van 40 — doel niet gehaald",
        "Sleutelfiguren met goed contact: 3 van 5 — doel niet gehaald",
        "Reden van niet-gebruik bekend: 69 % (doel 80 %) — doel niet gehaald",
        "Doorgestroomd naar voorzieningen: 83 % (doel 80 %) — doel gehaald",
    ]


async def test_wij_groningen_at_the_april_report(engine: AsyncEngine) -> None:
    wij = await seed_wij(engine)
    progress = await _progress(engine, wij.deel_id, APRIL)
    assert _figures(progress) == [
        ("new_residents", 12, Status.behind),
        ("new_residents", 12, Status.on_track),
        ("key_figures", 3, Status.on_track),
        ("non_use_known", round(100 * 7 / 12, 2), Status.behind),
        ("went_on", round(100 * 2 / 3, 2), Status.behind),
    ]
    assert progress[0].expected_now == pytest.approx(25 * 105 / 181)
    assert progress[1].expected_now == pytest.approx(40 * 105 / 365)
    assert progress[2].expected_now == pytest.approx(5 * 105 / 365)


async def test_wij_groningen_around_the_end_of_the_first_six_months(engine: AsyncEngine) -> None:
    wij = await seed_wij(engine)
    on_the_last_day = await _progress(engine, wij.deel_id, date(2026, 6, 30))
    # C5 on 30 June is inside; K4 still active; went on: C1 and C2 (C4 answered "weet ik niet").
    assert _figures(on_the_last_day) == [
        ("new_residents", 17, Status.missed),  # the window's last day
        ("new_residents", 17, Status.behind),  # expected 40 × 181 / 365 = 19,84
        ("key_figures", 3, Status.on_track),  # K1, K2, K4; expected 5 × 181 / 365 = 2,48
        ("non_use_known", round(100 * 10 / 17, 2), Status.behind),  # (3 + 4 + 3) / 17
        ("went_on", 75.0, Status.behind),  # (2 + 4) / (3 + 5)
    ]
    day_after = await _progress(engine, wij.deel_id, date(2026, 7, 1))
    # C6 (1 July) is outside the first six months, inside the year.
    assert (day_after[0].value, day_after[0].status) == (17, Status.missed)
    assert day_after[1].value == 23
    before = await _progress(engine, wij.deel_id, date(2025, 12, 31))
    assert [(p.value, p.status) for p in before[:3]] == [(0, Status.not_started)] * 3


async def test_progress_many_counts_all_measures_in_few_statements(engine: AsyncEngine) -> None:
    wij = await seed_wij(engine)
    other, ids, _ = await add_deelopdracht(
        engine, wij.venlo, "leeg", "Zonder contacten", [("went_on", "", 80, None, None)]
    )
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        async with session_factory(engine)() as s:
            many = await deel_progress.progress_many(s, [wij.deel_id, other, 999_999], END)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)
    assert set(many) == {wij.deel_id, other}
    assert len([q for q in statements if q.lstrip().upper().startswith("SELECT")]) == 3
    assert _figures(many[wij.deel_id]) == _figures(await _progress(engine, wij.deel_id, END))
    [empty] = many[other]
    assert (empty.measure_id, empty.value, empty.status) == (ids[0], None, Status.no_data)
    assert format_progress_line(empty, NL).endswith("nog geen gegevens (doel 80 %)")


async def test_deleted_measures_are_left_out(engine: AsyncEngine) -> None:
    wij = await seed_wij(engine)
    async with transaction(session_factory(engine)) as s:
        m = await s.get(DeelopdrachtMeasure, wij.measure_ids[2])
        assert m is not None
        m.deleted_at = utc(2026, 12, 1)
    progress = await _progress(engine, wij.deel_id, END)
    assert [p.measure_id for p in progress] == [i for k, i in enumerate(wij.measure_ids) if k != 2]


# --------------------------------------------------------------------------- SQL: filters


async def test_filters_and_the_municipality_s_key_figures(engine: AsyncEngine) -> None:
    """A second deelopdracht in Venlo without key figures of its own: the municipality's key
    figures that belong to no deelopdracht count (K7 of the WIJ fixture, not Venray's K9 nor
    WIJ's own). Filters: theme, reach, vindplek, referral (any / to given targets)."""
    wij = await seed_wij(engine)
    async with session_factory(engine)() as s:
        r = await helpers.reference_ids(s)
        reach = {v.code: id_of(v) for v in (await s.exec(select(ReachChannel))).all()}
    measures: list[tuple[str, str, float, int | None, dict | None]] = [
        ("contacts", "", 10, None, {"theme": ["armoede"]}),
        ("residents", "", 10, None, {"reach": ["inloop"]}),
        ("hours", "", 10, None, {"vindplek": []}),  # filled below, with the vindplek's id
        ("referrals", "", 10, None, None),
        ("referrals", "Naar schuldhulp", 10, None, {"referral": ["schuldhulp"]}),
        ("key_figures", "", 2, None, None),
        ("contacts", "", 10, None, {"activity": [], "theme": []}),  # empty keys: no filter
    ]
    async with transaction(session_factory(engine)) as s:
        place = Vindplek(municipality_id=wij.venlo, name="Buurthuis De Kolk")
        s.add(place)
        await s.flush()
        place_id = id_of(place)
    measures[2] = ("hours", "", 10, None, {"vindplek": [place_id]})
    deel, ids, _ = await add_deelopdracht(engine, wij.venlo, "venlo-arm", "Armoede Venlo", measures)
    expert = await add_expert(engine, "Bram")
    t = r["theme"]
    rows = [
        # day, minutes, count, themes, reach, vindplek, referrals, deleted
        (1, 90, 2, ["armoede", "schulden"], "inloop", place_id, ["schuldhulp", "wmo"], False),
        (2, 30, 1, ["eenzaamheid"], "vindplek", place_id, ["wmo"], False),
        (3, 45, 3, ["armoede"], "inloop", None, [], False),
        (4, 60, 4, ["armoede"], "inloop", place_id, ["schuldhulp"], True),
    ]
    async with transaction(session_factory(engine)) as s:
        for day, minutes, count, themes, channel, vp, refs, deleted in rows:
            c = await helpers.add_contact(
                s,
                expert,
                date(2026, 2, day),
                minutes,
                wij.venlo,
                r["activity"]["groep"],
                theme_ids=[t[x] for x in themes],
                residents_count=count,
                reach_channel_id=reach[channel],
                vindplek_id=vp,
                deelopdracht_id=deel,
                deleted_at=utc(2026, 12, 1) if deleted else None,
            )
            for code in refs:
                s.add(ContactReferral(contact_id=id_of(c), referral_target_id=r["referral"][code]))
    progress = await _progress(engine, deel, END)
    assert [p.measure_id for p in progress] == ids
    assert [(p.kind, p.value) for p in progress] == [
        ("contacts", 2),  # F1, F3 (F4 deleted)
        ("residents", 5),  # 2 + 3
        ("hours", 2.0),  # (90 + 30) / 60
        ("referrals", 2),  # F1 once (two referrals), F2
        ("referrals", 1),  # F1
        ("key_figures", 1),  # K7
        ("contacts", 3),
    ]
    assert format_progress_line(progress[2], NL) == "Uren contact: 2 van 10 uur — doel niet gehaald"
    assert format_progress_line(progress[4], NL).startswith("Naar schuldhulp: 1 van 10")
    # WIJ still counts only its own key figures.
    assert (await _progress(engine, wij.deel_id, END))[2].value == 3


# --------------------------------------------------------------------------- SQL vs the words


@pytest.mark.parametrize("seed", [1, 2])
async def test_random_contacts_counted_as_the_definitions_say(engine: AsyncEngine, seed: int):
    """Random contacts (inside and outside the window, deleted, other activities, themes, reach,
    referrals, non-use answers, follow-ups) counted by a plain Python reading of the
    definitions in bot/storage/deel_progress.py: the SQL agrees on every measure."""
    import random

    rng = random.Random(seed)
    async with session_factory(engine)() as s:
        r = await helpers.reference_ids(s)
        reach = {v.code: id_of(v) for v in (await s.exec(select(ReachChannel))).all()}
    venlo = r["muni"]["Venlo"]
    measures: list[tuple[str, str, float, int | None, dict | None]] = [
        ("new_residents", "", 30, 3, {"activity": ["outreach"]}),
        ("residents", "", 30, None, {"theme": ["armoede", "schulden"]}),
        ("contacts", "", 30, 6, {"reach": ["inloop"]}),
        ("hours", "", 30, None, None),
        ("referrals", "", 30, None, {"referral": ["wmo"], "activity": ["outreach", "groep"]}),
        ("non_use_known", "", 80, None, {"activity": ["outreach"]}),
        ("went_on", "", 80, 6, None),
    ]
    deel, _ids, _ = await add_deelopdracht(engine, venlo, f"rnd{seed}", "Willekeurig", measures)
    expert = await add_expert(engine, "Rita")
    as_of = date(2026, 8, 20)
    answered_by = utc(2026, 8, 20, 22)  # 21 August 00:00 in Amsterdam
    rows = []
    async with transaction(session_factory(engine)) as s:
        for _ in range(60):
            day = date.fromordinal(date(2025, 12, 1).toordinal() + rng.randrange(300))
            count = rng.randint(1, 6)
            c = {
                "day": day,
                "minutes": rng.choice([15, 30, 45, 90]),
                "count": count,
                "new": rng.randint(0, count),
                "activity": rng.choice(["outreach", "groep", "inloop"]),
                "themes": rng.sample(["armoede", "schulden", "wonen"], rng.randint(0, 2)),
                "reach": rng.choice(["inloop", "vindplek", None]),
                "refs": rng.sample(["wmo", "ggz"], rng.randint(0, 2)),
                "known": rng.choice([True, False, None]),
                "deleted": rng.random() < 0.1,
                "mine": rng.random() < 0.9,
                "follow": rng.choice([None, "due", "unknown", "n", "late"]),
                "went_on": rng.randint(0, 7),
            }
            row = await helpers.add_contact(
                s,
                expert,
                day,
                c["minutes"],
                venlo,
                r["activity"][c["activity"]],
                theme_ids=[r["theme"][x] for x in c["themes"]],
                residents_count=count,
                residents_new=c["new"],
                reach_channel_id=reach[c["reach"]] if c["reach"] else None,
                non_use_known=c["known"],
                deelopdracht_id=deel if c["mine"] else None,
                deleted_at=utc(2026, 9, 1) if c["deleted"] else None,
            )
            for code in c["refs"]:
                s.add(
                    ContactReferral(contact_id=id_of(row), referral_target_id=r["referral"][code])
                )
            f = c["follow"]
            if f is not None:
                at = {"due": None, "unknown": utc(2026, 8, 1), "n": utc(2026, 8, 20, 21, 59)}
                s.add(
                    ContactFollowup(
                        contact_id=id_of(row),
                        expert_id=expert,
                        due_on=day,
                        answered_at=at.get(f, answered_by),
                        went_on=c["went_on"] if f in ("n", "late") else None,
                    )
                )
            rows.append(c)

    def live(c: dict, months: int | None) -> bool:
        end = date(2026, 12, 31) if months is None else add_months(START, months)
        last = min(as_of, end - timedelta(days=1) if months else end)
        return c["mine"] and not c["deleted"] and START <= c["day"] <= last

    def pct(num: float, den: float) -> float | None:
        return 100 * num / den if den else None

    c3 = [c for c in rows if live(c, 3) and c["activity"] == "outreach"]
    all_ = [c for c in rows if live(c, None)]
    c6 = [c for c in rows if live(c, 6)]
    nu = [c for c in all_ if c["activity"] == "outreach" and c["new"] > 0]
    wo = [c for c in c6 if c["new"] > 0 and c["follow"] == "n"]
    expected = [
        sum(c["new"] for c in c3),
        sum(c["count"] for c in all_ if {"armoede", "schulden"} & set(c["themes"])),
        len([c for c in c6 if c["reach"] == "inloop"]),
        sum(c["minutes"] for c in all_) / 60,
        len([c for c in all_ if "wmo" in c["refs"] and c["activity"] in ("outreach", "groep")]),
        pct(sum(c["new"] for c in nu if c["known"] is True), sum(c["new"] for c in nu)),
        pct(sum(min(c["went_on"], c["new"]) for c in wo), sum(c["new"] for c in wo)),
    ]
    got = [p.value for p in await _progress(engine, deel, as_of)]
    assert got == pytest.approx(expected)
