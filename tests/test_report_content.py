"""Report content the coordinator adds: story selections, anonymised wording, narratives; every
change audited (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import select

from bot.domain.periods import parse_period
from bot.storage import report_content as rc
from bot.storage.db import session_factory, transaction
from bot.storage.models import AuditLog, Municipality, Story, User

NOW = datetime(2026, 7, 2, 9, 0, tzinfo=UTC)
H1 = parse_period("2026-H1")


async def _setup(engine):
    async with transaction(session_factory(engine)) as s:
        munis = dict((await s.exec(select(Municipality.name, Municipality.id))).all())
        coord = User(telegram_user_id=1, chat_id=1, role="coordinator", display_name="C")
        expert = User(telegram_user_id=2, chat_id=2, role="expert", display_name="E")
        s.add_all([coord, expert])
        await s.flush()
        stories = []
        for i, (day, muni, deleted) in enumerate(
            [
                (date(2026, 3, 1), "Venlo", False),
                (date(2026, 5, 1), "Weert", False),
                (date(2026, 6, 1), "Venlo", True),
                (date(2026, 7, 1), "Venlo", False),  # after H1
            ]
        ):
            st = Story(
                submission_key=f"s{i}",
                expert_id=expert.id,
                work_date=day,
                municipality_id=munis[muni],
                text=f"verhaal {i}",
                deleted_at=NOW if deleted else None,
            )
            s.add(st)
            await s.flush()
            stories.append(st.id)
        return munis, coord.id, stories


async def _audit(engine, entity):
    async with session_factory(engine)() as s:
        rows = (
            await s.exec(select(AuditLog).where(AuditLog.entity == entity).order_by(AuditLog.id))
        ).all()
        return [(r.action, r.entity_id, r.before, r.after) for r in rows]


async def test_select_and_unselect_stories(engine):
    munis, coord, (s0, s1, s2, s3) = await _setup(engine)
    venlo, weert = munis["Venlo"], munis["Weert"]
    factory = session_factory(engine)
    async with transaction(factory) as s:
        assert await rc.select_story(s, s0, venlo, H1, actor_id=coord, now=NOW)
        assert not await rc.select_story(s, s0, venlo, H1, actor_id=coord, now=NOW)  # twice
        assert await rc.select_story(s, s0, weert, H1, actor_id=coord, now=NOW)  # two reports
        assert await rc.select_story(s, s1, venlo, H1, actor_id=coord, now=NOW)
        assert not await rc.select_story(s, s2, venlo, H1, actor_id=coord, now=NOW)  # deleted
        assert not await rc.select_story(s, s3, venlo, H1, actor_id=coord, now=NOW)  # not in H1
    async with factory() as s:
        rows = await rc.stories_of_period(s, H1)
        assert [(r.id, r.selected_for) for r in rows] == [
            (s0, tuple(sorted((venlo, weert)))),
            (s1, (venlo,)),
        ]
        # Venlo's: its own stories and the ones selected for it.
        assert [r.id for r in await rc.stories_of_period(s, H1, municipality_id=venlo)] == [s0, s1]
        assert [
            r.id
            for r in await rc.stories_of_period(s, H1, municipality_id=weert, selected_only=True)
        ] == [s0]
        # Another period key has its own selections.
        q1 = parse_period("2026-Q1")
        assert [r.selected_for for r in await rc.stories_of_period(s, q1)] == [()]
    async with transaction(factory) as s:
        assert await rc.unselect_story(s, s0, weert, H1, actor_id=coord, now=NOW)
        assert not await rc.unselect_story(s, s0, weert, H1, actor_id=coord, now=NOW)
    async with factory() as s:
        assert [r.selected_for for r in await rc.stories_of_period(s, H1)] == [(venlo,), (venlo,)]
    audit = await _audit(engine, rc.SELECTION)
    assert [a[0] for a in audit] == ["create", "create", "create", "delete"]
    assert audit[-1][2]["story_id"] == s0 and audit[-1][2]["municipality_id"] == weert
    assert audit[0][3]["selected_by_id"] == coord and audit[0][3]["period_key"] == "2026-H1"


async def test_story_wording_keeps_the_original_in_the_audit_log(engine):
    _munis, coord, (s0, _s1, s2, _s3) = await _setup(engine)
    factory = session_factory(engine)
    async with transaction(factory) as s:
        assert await rc.set_story_wording(
            s, s0, " Een inwoner durfde weer. ", actor_id=coord, now=NOW
        )
        assert not await rc.set_story_wording(
            s, s0, "Een inwoner durfde weer.", actor_id=coord, now=NOW
        )
        assert not await rc.set_story_wording(s, s2, "nieuw", actor_id=coord, now=NOW)
    async with factory() as s:
        assert (await s.get(Story, s0)).text == "Een inwoner durfde weer."
    [(action, entity_id, before, after)] = await _audit(engine, "story")
    assert (action, entity_id) == ("edit", s0)
    assert before["text"] == "verhaal 0" and after["text"] == "Een inwoner durfde weer."


async def test_narrative_per_municipality_and_region(engine):
    munis, coord, _ = await _setup(engine)
    venlo = munis["Venlo"]
    factory = session_factory(engine)
    async with transaction(factory) as s:
        assert await rc.set_narrative(s, venlo, H1, "Venlo tekst", actor_id=coord, now=NOW)
        assert await rc.set_narrative(s, None, H1, "Regio tekst", actor_id=coord, now=NOW)
        assert not await rc.set_narrative(s, None, H1, "Regio tekst ", actor_id=coord, now=NOW)
        assert await rc.set_narrative(s, None, H1, "Regio tekst 2", actor_id=coord, now=NOW)
        assert not await rc.set_narrative(s, munis["Weert"], H1, "  ", actor_id=coord, now=NOW)
    async with factory() as s:
        assert (await rc.get_narrative(s, None, H1)).text == "Regio tekst 2"
        assert (await rc.get_narrative(s, venlo, H1)).text == "Venlo tekst"
        assert await rc.get_narrative(s, venlo, parse_period("2026-Q1")) is None
        assert [(n.municipality_id, n.text) for n in await rc.list_narratives(s, H1)] == [
            (None, "Regio tekst 2"),
            (venlo, "Venlo tekst"),
        ]
    async with transaction(factory) as s:
        assert await rc.set_narrative(s, venlo, H1, "", actor_id=coord, now=NOW)  # removed
    async with factory() as s:
        assert await rc.get_narrative(s, venlo, H1) is None
    actions = [a[0] for a in await _audit(engine, rc.NARRATIVE)]
    assert actions == ["create", "create", "edit", "delete"]
