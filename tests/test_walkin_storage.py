"""Walk-in repository on SQLite and PostgreSQL: schedules as domain objects, soft stops,
cancelled and extra dates, audit rows, and the idempotent all-or-nothing CSV import."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import select

from bot.domain.walkin import occurrences
from bot.domain.walkin_csv import parse_sessions_csv
from bot.storage import walkin as repo
from bot.storage.db import session_factory, transaction
from bot.storage.models import AuditLog, WalkInException, WalkInSession
from tests import helpers

NOW = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)  # Tuesday 3 March 2026
TUE, WED = date(2026, 3, 3), date(2026, 3, 4)
SAMPLE = Path(__file__).resolve().parent.parent / "bot" / "data" / "inloop_voorbeeld.csv"


async def _muni(s, name):
    m = await repo.municipality_by_name(s, name)
    assert m is not None
    return m


async def _add(factory, muni="Venlo", place="Buurthuis De Kolk", weekday=1, **kw):
    async with transaction(factory) as s:
        m = await _muni(s, muni)
        row = await repo.add_session(
            s,
            municipality_id=m.id,
            place=place,
            address=kw.pop("address", "Kolkstraat 14"),
            weekday=weekday,
            start=kw.pop("start", time(10)),
            end=kw.pop("end", time(12)),
            now=NOW,
            **kw,
        )
    return row


async def test_schedule_per_municipality_as_domain_rules(engine):
    factory = session_factory(engine)
    kolk = await _add(factory)
    await _add(factory, muni="Weert", place="Buurthuis Fatima", kind="spreekuur")
    async with factory() as s:
        rules, exceptions = await repo.load_schedule(s, "Venlo")
        everything, _ = await repo.load_schedule(s)
        unknown = await repo.load_schedule(s, "Amsterdam")
    assert [(r.id, r.municipality, r.place, r.weekday, r.start) for r in rules] == [
        (kolk.id, "Venlo", "Buurthuis De Kolk", 1, time(10))
    ]
    assert exceptions == []
    assert {(r.municipality, r.kind) for r in everything} == {
        ("Venlo", "inloop"),
        ("Weert", "spreekuur"),
    }
    assert unknown == ([], [])


async def test_stop_at_once_and_after_a_last_date(engine):
    factory = session_factory(engine)
    a = await _add(factory)
    b = await _add(factory, place="Bibliotheek", weekday=2)
    async with transaction(factory) as s:
        assert await repo.stop_session(s, a.id, NOW, actor_id=None)
        assert await repo.stop_session(s, b.id, NOW, last_date=date(2026, 3, 11))
    async with transaction(factory) as s:
        assert not await repo.stop_session(s, a.id, NOW)  # already stopped
        rules, _ = await repo.load_schedule(s, "Venlo")
        kept = await s.get(WalkInSession, a.id)
    assert kept is not None and kept.active is False  # soft: the row stays
    assert [(r.id, r.valid_until) for r in rules] == [(b.id, date(2026, 3, 11))]
    occ = occurrences(rules, [], TUE, date(2026, 3, 31))
    assert [o.date for o in occ] == [WED, date(2026, 3, 11)]


async def test_cancelled_date_is_idempotent_and_hides_that_day(engine):
    factory = session_factory(engine)
    kolk = await _add(factory)
    async with transaction(factory) as s:
        assert await repo.cancel_date(s, kolk.id, date(2026, 3, 10), NOW)
    async with transaction(factory) as s:
        assert not await repo.cancel_date(s, kolk.id, date(2026, 3, 10), NOW)
        rules, exceptions = await repo.load_schedule(s, "Venlo", since=TUE)
        n = (await s.exec(select(func.count()).select_from(WalkInException))).one()
    assert n == 1
    dates = [o.date for o in occurrences(rules, exceptions, TUE, date(2026, 3, 17))]
    assert dates == [TUE, date(2026, 3, 17)]


async def test_extra_dates_stand_alone_and_outlive_their_session(engine):
    factory = session_factory(engine)
    spreekuur = await _add(factory, place="Stadswinkel", kind="spreekuur", weekday=2)
    async with transaction(factory) as s:
        venlo = await _muni(s, "Venlo")
        extra, again = [
            await helpers.add_extra_date(
                s,
                venlo.id,
                date(2026, 3, 7),
                (10, 12),
                "Stadswinkel",
                "Markt 1",
                NOW,
                session_id=session_id,
            )
            for session_id in (spreekuur.id, None)
        ]
        assert extra is not None
        assert again is None  # the same extra date twice is one
        assert await repo.stop_session(s, spreekuur.id, NOW)
    async with factory() as s:
        rules, exceptions = await repo.load_schedule(s, "Venlo", since=TUE)
        weert = await repo.load_schedule(s, "Weert", since=TUE)
    assert rules == []
    occ = occurrences(rules, exceptions, TUE, date(2026, 3, 31))
    assert [(o.date, o.place, o.address, o.kind, o.is_extra) for o in occ] == [
        (date(2026, 3, 7), "Stadswinkel", "Markt 1", "spreekuur", True)
    ]
    assert weert == ([], [])  # another municipality does not see Venlo's extra date


async def test_since_skips_old_exceptions(engine):
    factory = session_factory(engine)
    kolk = await _add(factory)
    async with transaction(factory) as s:
        await repo.cancel_date(s, kolk.id, date(2026, 2, 24), NOW)
        await repo.cancel_date(s, kolk.id, date(2026, 3, 10), NOW)
    async with factory() as s:
        _, exceptions = await repo.load_schedule(s, "Venlo", since=TUE)
    assert [e.date for e in exceptions] == [date(2026, 3, 10)]


async def test_edits_leave_an_audit_trail(engine):
    factory = session_factory(engine)
    kolk = await _add(factory, actor_id=None)
    async with transaction(factory) as s:
        changed = await repo.update_session(
            s, kolk.id, {"start_time": time(9, 30), "address": "Kolkstraat 16"}, NOW
        )
        same = await repo.update_session(s, kolk.id, {"address": "Kolkstraat 16"}, NOW)
    assert changed and not same
    async with factory() as s:
        audit = (await s.exec(select(AuditLog).order_by(AuditLog.id))).all()
        row = await s.get(WalkInSession, kolk.id)
    assert [(a.entity, a.action) for a in audit] == [
        ("walkin_session", "create"),
        ("walkin_session", "edit"),
    ]
    assert audit[1].before["start_time"] == "10:00:00"
    assert audit[1].after["start_time"] == "09:30:00"
    assert row.start_time == time(9, 30) and row.updated_at == NOW
    with pytest.raises(ValueError):
        async with transaction(factory) as s:
            await repo.update_session(s, kolk.id, {"end_time": time(9)}, NOW)


async def test_import_is_idempotent_and_updates_by_natural_key(engine):
    factory = session_factory(engine)
    result = parse_sessions_csv(SAMPLE.read_text("utf-8"))
    assert result.ok and len(result.rows) >= 20
    async with transaction(factory) as s:
        first = await repo.import_rows(s, result.rows, NOW)
    async with transaction(factory) as s:
        second = await repo.import_rows(s, result.rows, NOW)
        count = (await s.exec(select(func.count()).select_from(WalkInSession))).one()
    assert (first.added, first.updated, first.unchanged) == (len(result.rows), 0, 0)
    assert (second.added, second.updated, second.unchanged) == (0, 0, len(result.rows))
    assert not second.changed and count == len(result.rows)

    # A new address for a known session updates it; a stopped session comes back.
    async with transaction(factory) as s:
        rows = await repo.sessions_in(s)
        kolk = next(r for r, _ in rows if r.place == "Buurthuis De Kolk")
        await repo.stop_session(s, kolk.id, NOW)
    edited = parse_sessions_csv(
        "gemeente,plek,adres,weekdag,begin,einde\n"
        "Venlo,buurthuis de kolk,Kolkstraat 99 Venlo,di,10:00,12:00\n"
    )
    async with transaction(factory) as s:
        third = await repo.import_rows(s, edited.rows, NOW)
    assert (third.added, third.updated, third.unchanged) == (0, 1, 0)
    async with factory() as s:
        again = await s.get(WalkInSession, kolk.id)
    assert again.active and again.address == "Kolkstraat 99 Venlo"


async def test_import_is_all_or_nothing(engine):
    factory = session_factory(engine)
    rows = parse_sessions_csv(SAMPLE.read_text("utf-8")).rows
    with pytest.raises(RuntimeError):
        async with transaction(factory) as s:
            await repo.import_rows(s, rows, NOW)
            raise RuntimeError("the disk is full")  # anything failing after the first rows
    async with factory() as s:
        assert (await s.exec(select(func.count()).select_from(WalkInSession))).one() == 0


# --------------------------------------------------------------------------- no twins


async def _active_kolks(factory) -> list[WalkInSession]:
    async with factory() as s:
        return [
            r for r, _ in await repo.sessions_in(s) if r.place.casefold() == "buurthuis de kolk"
        ]


async def _new_kolk(factory, **kw):
    async with transaction(factory) as s:
        m = await _muni(s, "Venlo")
        return await repo.add_or_restore_session(
            s,
            municipality_id=m.id,
            place=kw.pop("place", "Buurthuis De Kolk"),
            address=kw.pop("address", "Kolkstraat 14 Venlo"),
            weekday=1,
            start=time(10),
            end=time(12),
            now=kw.pop("now", NOW),
            **kw,
        )


async def test_new_brings_back_a_stopped_twin_and_import_keeps_one(engine):
    # Repro A: import -> stop -> "Nieuw" the same -> import again.
    factory = session_factory(engine)
    rows = parse_sessions_csv(SAMPLE.read_text("utf-8")).rows
    async with transaction(factory) as s:
        await repo.import_rows(s, rows, NOW)
    (kolk,) = await _active_kolks(factory)
    async with transaction(factory) as s:
        await repo.stop_session(s, kolk.id, NOW)
    row, outcome = await _new_kolk(factory, place="buurthuis de kolk", kind="spreekuur")
    assert (row.id, outcome) == (kolk.id, "restored")
    (back,) = await _active_kolks(factory)
    assert (back.id, back.place, back.kind, back.note) == (
        kolk.id,
        "buurthuis de kolk",
        "spreekuur",
        None,
    )
    row, outcome = await _new_kolk(factory)
    assert (row.id, outcome) == (kolk.id, "exists")
    async with transaction(factory) as s:
        again = await repo.import_rows(s, rows, NOW)
    assert (again.added, again.updated) == (0, 1)
    (one,) = await _active_kolks(factory)
    assert one.id == kolk.id
    async with factory() as s:
        assert (await s.exec(select(func.count()).select_from(WalkInSession))).one() == len(rows)
        r, _ = await repo.load_schedule(s, "Venlo")
    assert len(occurrences(r, [], TUE, TUE)) == 1


async def test_new_brings_back_a_session_past_its_last_date(engine):
    factory = session_factory(engine)
    old = await _add(factory, valid_until=date(2026, 2, 24))
    row, outcome = await _new_kolk(factory)
    assert (row.id, outcome) == (old.id, "restored")
    async with factory() as s:
        back = await s.get(WalkInSession, old.id)
    assert back.active and back.valid_until is None


async def test_new_with_a_live_twin_that_has_a_start_date_changes_nothing(engine):
    factory = session_factory(engine)
    dated = await _add(factory, valid_from=date(2026, 1, 1))
    row, outcome = await _new_kolk(factory)
    assert (row.id, outcome) == (dated.id, "exists")
    assert len(await _active_kolks(factory)) == 1


async def test_import_prefers_the_active_row_over_an_older_stopped_twin(engine):
    # Twins written before the fix: a stopped row and, later, an active one.
    factory = session_factory(engine)
    stopped = await _add(factory)
    async with transaction(factory) as s:
        await repo.stop_session(s, stopped.id, NOW)
    active = await _add(factory, place="buurthuis de kolk")
    rows = parse_sessions_csv(
        "gemeente,plek,adres,weekdag,begin,einde\n"
        "Venlo,Buurthuis De Kolk,Kolkstraat 14,di,10:00,12:00\n"
    ).rows
    async with transaction(factory) as s:
        summary = await repo.import_rows(s, rows, NOW)
    assert (summary.added, summary.updated) == (0, 1)  # the place's spelling
    async with factory() as s:
        assert (await s.get(WalkInSession, stopped.id)).active is False
        assert (await s.get(WalkInSession, active.id)).place == "Buurthuis De Kolk"


async def test_an_edit_onto_another_live_session_is_refused(engine):
    # Repro B: B's times changed to A's.
    factory = session_factory(engine)
    a = await _add(factory)
    b = await _add(factory, place="BUURTHUIS DE KOLK", start=time(14), end=time(16))
    async with transaction(factory) as s:
        with pytest.raises(repo.SessionClash) as caught:
            await repo.update_session(s, b.id, {"start_time": time(10), "end_time": time(12)}, NOW)
        assert caught.value.other.id == a.id
    async with factory() as s:
        assert (await s.get(WalkInSession, b.id)).start_time == time(14)
        audit = (await s.exec(select(AuditLog).where(AuditLog.action == "edit"))).all()
    assert audit == []
    # Once A has stopped, B may take its times; A cannot come back beside it.
    async with transaction(factory) as s:
        await repo.stop_session(s, a.id, NOW)
        assert await repo.update_session(
            s, b.id, {"start_time": time(10), "end_time": time(12)}, NOW
        )
    with pytest.raises(repo.SessionClash):
        async with transaction(factory) as s:
            await repo.update_session(s, a.id, {"active": True}, NOW)
    # Another start date is another session (as the unique key says).
    async with transaction(factory) as s:
        assert await repo.update_session(s, a.id, {"valid_from": date(2027, 1, 1)}, NOW)


async def test_undo_a_cancelled_or_extra_date_leaves_an_audit_row(engine):
    factory = session_factory(engine)
    kolk = await _add(factory)
    async with transaction(factory) as s:
        m = await _muni(s, "Venlo")
        await repo.cancel_date(s, kolk.id, date(2026, 3, 10), NOW)
        extra = await helpers.add_extra_date(
            s, m.id, date(2026, 3, 14), (10, 12), "Markt", "Markt 1", NOW
        )
        cancelled = (
            await s.exec(select(WalkInException).where(WalkInException.kind == "cancelled"))
        ).one()
        cancelled_id, extra_id = cancelled.id, extra.id
    async with transaction(factory) as s:
        assert not await repo.remove_exception(s, cancelled_id, NOW, kind="extra")
        assert await repo.remove_exception(s, cancelled_id, NOW, kind="cancelled", actor_id=None)
        assert not await repo.remove_exception(s, cancelled_id, NOW, kind="cancelled")
        assert await repo.remove_exception(s, extra_id, NOW, kind="extra")
    async with factory() as s:
        rules, exceptions = await repo.load_schedule(s, "Venlo")
        audit = (
            await s.exec(select(AuditLog).where(AuditLog.action == "delete").order_by(AuditLog.id))
        ).all()
    assert exceptions == []
    assert date(2026, 3, 10) in {o.date for o in occurrences(rules, [], TUE, date(2026, 3, 17))}
    assert [(a.entity, a.entity_id, a.before["kind"], a.after) for a in audit] == [
        ("walkin_exception", cancelled_id, "cancelled", None),
        ("walkin_exception", extra_id, "extra", None),
    ]
