"""Corrections: the worklog repository (own entries only, soft delete, audit before/after) and
the /corrigeer journey through the fake Telegram Bot API, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import text
from sqlmodel import select

from bot.storage import worklog
from bot.storage.db import session_factory, transaction
from bot.storage.models import (
    ActivityType,
    AuditLog,
    Contact,
    IndirectHours,
    IndirectKind,
    Municipality,
    Signal,
    SignalKind,
    User,
)

NOW = datetime(2026, 11, 17, 12, 0, tzinfo=UTC)
TODAY = date(2026, 11, 17)


async def _setup(engine):
    factory = session_factory(engine)
    async with transaction(factory) as s:
        anna = User(telegram_user_id=1, chat_id=1, role="expert", display_name="Anna")
        bob = User(telegram_user_id=2, chat_id=2, role="expert", display_name="Bob")
        s.add(anna)
        s.add(bob)
    async with factory() as s:
        munis = {m.name: m.id for m in (await s.exec(select(Municipality))).all()}
        kinds = {k.code: k.id for k in (await s.exec(select(IndirectKind))).all()}
        sig = {k.code: k.id for k in (await s.exec(select(SignalKind))).all()}
        act = (await s.exec(select(ActivityType).where(ActivityType.code == "inloop"))).one()
    return factory, anna, bob, munis, kinds, sig, act.id


async def test_recent_entries_are_own_newest_first_and_skip_deleted(engine):
    factory, anna, bob, munis, kinds, sig, act = await _setup(engine)
    async with transaction(factory) as s:
        s.add(
            Contact(
                submission_key="c1",
                expert_id=anna.id,
                work_date=TODAY,
                duration_minutes=45,
                municipality_id=munis["Venlo"],
                activity_type_id=act,
                created_at=NOW,
            )
        )
        await worklog.add_indirect_hours(
            s,
            submission_key="h1",
            expert_id=anna.id,
            work_date=TODAY,
            minutes=90,
            kind_id=kinds["overleg"],
            municipality_id=None,
            now=NOW + timedelta(minutes=1),
        )
        await worklog.add_signal(
            s,
            submission_key="s1",
            expert_id=anna.id,
            work_date=TODAY,
            kind_id=sig["trend"],
            municipality_id=munis["Venray"],
            theme_id=None,
            text="Meer jongeren met schulden.",
            now=NOW + timedelta(minutes=2),
        )
        await worklog.add_story(
            s,
            submission_key="v1",
            expert_id=bob.id,
            work_date=TODAY,
            municipality_id=None,
            theme_id=None,
            text="Bob's verhaal",
            now=NOW + timedelta(minutes=3),
        )
    async with transaction(factory) as s:
        entries = await worklog.recent_entries(s, anna.id)
    assert [(e.entity, e.kind, e.minutes, e.municipality) for e in entries] == [
        ("signal", "trend", None, "Venray"),
        ("indirect_hours", "overleg", 90, None),
        ("contact", "inloop", 45, "Venlo"),
    ]
    assert entries[0].text == "Meer jongeren met schulden."
    # Bob's story is not Anna's; Anna cannot load it even by id.
    async with transaction(factory) as s:
        bobs = await worklog.recent_entries(s, bob.id)
        assert [e.entity for e in bobs] == ["story"]
        assert await worklog.get_entry(s, "story", bobs[0].id, anna.id) is None
        assert not await worklog.delete_entry(s, "story", bobs[0].id, anna.id, NOW)
        assert not await worklog.update_entry(s, "story", bobs[0].id, anna.id, {"text": "x"}, NOW)
    async with transaction(factory) as s:
        assert await worklog.delete_entry(s, "signal", entries[0].id, anna.id, NOW)
        assert not await worklog.delete_entry(s, "signal", entries[0].id, anna.id, NOW)
    async with transaction(factory) as s:
        assert [e.entity for e in await worklog.recent_entries(s, anna.id)] == [
            "indirect_hours",
            "contact",
        ]
        row = await s.get(Signal, entries[0].id)
        assert row.deleted_at is not None  # soft: the row stays for reports and the audit


async def test_edit_writes_audit_with_before_and_after(engine):
    factory, anna, _bob, munis, kinds, _sig, _act = await _setup(engine)
    async with transaction(factory) as s:
        row, created = await worklog.add_indirect_hours(
            s,
            submission_key="h1",
            expert_id=anna.id,
            work_date=TODAY,
            minutes=90,
            kind_id=kinds["overleg"],
            municipality_id=munis["Venlo"],
            now=NOW,
        )
        assert created
    later = NOW + timedelta(hours=1)
    async with transaction(factory) as s:
        changed = await worklog.update_entry(
            s,
            "indirect_hours",
            row.id,
            anna.id,
            {"duration_minutes": 60, "municipality_id": None},
            later,
        )
        assert changed
    async with transaction(factory) as s:
        again = await s.get(IndirectHours, row.id)
        assert again.duration_minutes == 60 and again.municipality_id is None
        assert again.updated_at == later
        audit = (await s.exec(select(AuditLog))).one()
    assert (audit.entity, audit.entity_id, audit.action, audit.actor_id) == (
        "indirect_hours",
        row.id,
        "edit",
        anna.id,
    )
    assert audit.before["duration_minutes"] == 90
    assert audit.before["municipality_id"] == munis["Venlo"]
    assert audit.after["duration_minutes"] == 60 and audit.after["municipality_id"] is None
    assert audit.before["work_date"] == "2026-11-17"


async def test_delete_audit_and_no_edit_of_columns_not_allowed(engine):
    factory, anna, _bob, _munis, kinds, _sig, _act = await _setup(engine)
    async with transaction(factory) as s:
        row, _ = await worklog.add_indirect_hours(
            s,
            submission_key="h1",
            expert_id=anna.id,
            work_date=TODAY,
            minutes=30,
            kind_id=kinds["reistijd"],
            municipality_id=None,
            now=NOW,
        )
    try:
        async with transaction(factory) as s:
            await worklog.update_entry(s, "indirect_hours", row.id, anna.id, {"expert_id": 2}, NOW)
        raise AssertionError("expert_id must not be editable")
    except ValueError:
        pass
    async with transaction(factory) as s:
        assert await worklog.delete_entry(s, "indirect_hours", row.id, anna.id, NOW)
    async with factory() as s:
        audit = (await s.exec(select(AuditLog))).one()
        assert audit.action == "delete"
        assert audit.before["deleted_at"] is None and audit.after["deleted_at"] is not None


async def test_submission_key_makes_saving_idempotent(engine):
    factory, anna, _bob, _munis, kinds, _sig, _act = await _setup(engine)
    for _ in range(2):
        async with transaction(factory) as s:
            await worklog.add_indirect_hours(
                s,
                submission_key="same",
                expert_id=anna.id,
                work_date=TODAY,
                minutes=30,
                kind_id=kinds["reistijd"],
                municipality_id=None,
                now=NOW,
            )
    async with factory() as s:
        n = (await s.exec(text("SELECT count(*) FROM indirect_hours"))).scalar()
    assert n == 1


async def test_day_minutes_counts_contacts_and_hours_not_deleted(engine):
    factory, anna, bob, munis, kinds, _sig, act = await _setup(engine)
    async with transaction(factory) as s:
        s.add(
            Contact(
                submission_key="c1",
                expert_id=anna.id,
                work_date=TODAY,
                duration_minutes=120,
                municipality_id=munis["Venlo"],
                activity_type_id=act,
            )
        )
        s.add(
            Contact(
                submission_key="c2",
                expert_id=anna.id,
                work_date=TODAY,
                duration_minutes=60,
                municipality_id=munis["Venlo"],
                activity_type_id=act,
                deleted_at=NOW,
            )
        )
        for key, who, minutes, day in (
            ("h1", anna.id, 90, TODAY),
            ("h2", anna.id, 30, TODAY - timedelta(days=1)),
            ("h3", bob.id, 300, TODAY),
        ):
            await worklog.add_indirect_hours(
                s,
                submission_key=key,
                expert_id=who,
                work_date=day,
                minutes=minutes,
                kind_id=kinds["overleg"],
                municipality_id=None,
                now=NOW,
            )
    async with factory() as s:
        assert await worklog.day_minutes(s, anna.id, TODAY) == 210
        hours = (
            await s.exec(select(IndirectHours).where(IndirectHours.submission_key == "h1"))
        ).one()
        assert (
            await worklog.day_minutes(s, anna.id, TODAY, exclude=("indirect_hours", hours.id))
            == 120
        )
