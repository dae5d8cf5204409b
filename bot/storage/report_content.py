"""What the coordinator adds to a report: which stories go into which municipality's report of
a period, the anonymised wording of a story, and a narrative paragraph per municipality (or the
region) and period. Every change writes an `audit_log` row with before and after, like the
corrections of entries (bot.storage.worklog): the original wording of a story stays there.

Privacy checks of free text are the caller's (bot.domain.privacy), before calling in here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, delete, select
from sqlmodel import select as orm_select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.periods import Period
from bot.storage import audit
from bot.storage.audit import record as _audit
from bot.storage.audit import snapshot
from bot.storage.idempotent import insert_once
from bot.storage.models import (
    Municipality,
    ReportNarrative,
    ReportStorySelection,
    Story,
    table_of,
)
from bot.storage.query_helpers import as_date, core, equal, live_in

__all__ = [
    "NarrativeRow",
    "StoryRow",
    "get_narrative",
    "list_narratives",
    "select_story",
    "set_narrative",
    "set_story_wording",
    "stories_of_period",
    "unselect_story",
]

SELECTION = "report_story_selection"
NARRATIVE = "report_narrative"


# --------------------------------------------------------------------------- stories


@dataclass(frozen=True)
class StoryRow:
    """A not-deleted story of the period, with the municipalities whose report it is in."""

    id: int
    work_date: date
    municipality_id: int | None
    municipality_name: str | None
    theme_id: int | None
    deelopdracht_id: int | None
    text: str
    selected_for: tuple[int, ...]  # municipality ids, ascending


async def stories_of_period(
    s: AsyncSession,
    period: Period,
    *,
    municipality_id: int | None = None,
    selected_only: bool = False,
    limit: int | None = None,
    offset: int = 0,
) -> list[StoryRow]:
    """Stories dated in the period (oldest first), each with its selections for this period.

    `municipality_id`: only stories about that municipality or selected for it.
    `selected_only`: only stories selected for some municipality (or for `municipality_id`)."""
    st = table_of(Story).c
    sel = table_of(ReportStorySelection).c
    m = table_of(Municipality).c
    q = (
        select(
            st.id,
            st.work_date,
            st.municipality_id,
            m.name,
            st.theme_id,
            st.deelopdracht_id,
            st.text,
        )
        .select_from(table_of(Story).outerjoin(table_of(Municipality), m.id == st.municipality_id))
        .where(live_in(st, period.start, period.end_inclusive))
        .order_by(st.work_date, st.id)
    )
    mine = and_(sel.story_id == st.id, sel.period_key == period.key)
    if municipality_id is not None:
        chosen = select(sel.id).where(mine, sel.municipality_id == municipality_id).exists()
        q = q.where(chosen if selected_only else (st.municipality_id == municipality_id) | chosen)
    elif selected_only:
        q = q.where(select(sel.id).where(mine).exists())
    if limit is not None:
        q = q.limit(limit).offset(offset)
    rows = (await core(s, q)).all()
    ids = [r[0] for r in rows]
    chosen_by: dict[int, list[int]] = {i: [] for i in ids}
    if ids:
        for story_id, muni_id in (
            await core(
                s,
                select(sel.story_id, sel.municipality_id)
                .where(sel.story_id.in_(ids), sel.period_key == period.key)
                .order_by(sel.story_id, sel.municipality_id),
            )
        ).all():
            chosen_by[story_id].append(muni_id)
    return [
        StoryRow(
            id=r[0],
            work_date=as_date(r[1]),
            municipality_id=r[2],
            municipality_name=r[3],
            theme_id=r[4],
            deelopdracht_id=r[5],
            text=r[6],
            selected_for=tuple(chosen_by[r[0]]),
        )
        for r in rows
    ]


async def _live_story(s: AsyncSession, story_id: int) -> Story | None:
    story = await s.get(Story, story_id)
    return story if story is not None and story.deleted_at is None else None


def _selection(story_id: int, municipality_id: int, period: Period) -> dict[str, Any]:
    """The unique key of a story's selection for a municipality's report of `period`."""
    return {"story_id": story_id, "municipality_id": municipality_id, "period_key": period.key}


async def _selected(s: AsyncSession, key: dict[str, Any]) -> ReportStorySelection | None:
    q = orm_select(ReportStorySelection).where(*equal(table_of(ReportStorySelection), key))
    return (await s.exec(q)).first()


async def select_story(
    s: AsyncSession,
    story_id: int,
    municipality_id: int,
    period: Period,
    *,
    actor_id: int | None,
    now: datetime,
) -> bool:
    """Mark a story for a municipality's report of `period`. False when it already was, or the
    story is deleted / not dated in the period. A second tap changes nothing (unique row)."""
    story = await _live_story(s, story_id)
    if story is None or not period.contains(story.work_date):
        return False
    key = _selection(story_id, municipality_id, period)

    async def insert() -> ReportStorySelection:
        row = ReportStorySelection(**key, selected_by_id=actor_id, selected_at=now)
        s.add(row)
        await s.flush()
        assert row.id is not None
        _audit(s, actor_id, now, SELECTION, row.id, "create", None, snapshot(row))
        return row

    # insert_once: a concurrent identical selection meets the unique key in a savepoint (begun
    # properly on SQLite too), so it does not undo the caller's work.
    return (await insert_once(s, lambda: _selected(s, key), insert)).created


async def unselect_story(
    s: AsyncSession,
    story_id: int,
    municipality_id: int,
    period: Period,
    *,
    actor_id: int | None,
    now: datetime,
) -> bool:
    """Take a story out of a municipality's report of `period`. False when it was not in."""
    row = await _selected(s, _selection(story_id, municipality_id, period))
    if row is None:
        return False
    before = snapshot(row)
    t = table_of(ReportStorySelection)
    if (await core(s, delete(t).where(t.c.id == row.id))).rowcount != 1:
        return False
    _audit(s, actor_id, now, SELECTION, before["id"], "delete", before, None)
    return True


async def set_story_wording(
    s: AsyncSession, story_id: int, text: str, *, actor_id: int | None, now: datetime
) -> bool:
    """Replace a story's text by the coordinator's anonymised wording. The original stays in
    the audit row (`before`). False when the story is deleted or the text is unchanged."""
    text = text.strip()
    if not text:
        raise ValueError("empty story text")
    story = await _live_story(s, story_id)
    if story is None or story.text == text:
        return False
    await audit.change(s, story, {"text": text}, now, actor_id=actor_id, entity="story")
    return True


# --------------------------------------------------------------------------- narratives


@dataclass(frozen=True)
class NarrativeRow:
    municipality_id: int | None  # None = the region
    period_key: str
    text: str
    author_id: int | None
    updated_at: datetime


def _to_narrative(row: ReportNarrative) -> NarrativeRow:
    return NarrativeRow(
        row.municipality_id, row.period_key, row.text, row.author_id, row.updated_at
    )


async def _narrative_row(
    s: AsyncSession, municipality_id: int | None, period_key: str
) -> ReportNarrative | None:
    t = table_of(ReportNarrative).c
    q = orm_select(ReportNarrative).where(
        t.scope_id == (municipality_id or 0), t.period_key == period_key
    )
    return (await s.exec(q)).first()


async def get_narrative(
    s: AsyncSession, municipality_id: int | None, period: Period
) -> NarrativeRow | None:
    row = await _narrative_row(s, municipality_id, period.key)
    return _to_narrative(row) if row is not None else None


async def list_narratives(s: AsyncSession, period: Period) -> list[NarrativeRow]:
    """All narratives of the period; the region (None) first, then by municipality id."""
    t = table_of(ReportNarrative).c
    q = orm_select(ReportNarrative).where(t.period_key == period.key).order_by(t.scope_id)
    return [_to_narrative(r) for r in (await s.exec(q)).all()]


async def set_narrative(
    s: AsyncSession,
    municipality_id: int | None,
    period: Period,
    text: str,
    *,
    actor_id: int | None,
    now: datetime,
) -> bool:
    """Write (or replace) the paragraph; an empty text removes it. False when nothing changed."""
    text = text.strip()
    row = await _narrative_row(s, municipality_id, period.key)
    if row is None:
        if not text:
            return False
        row = ReportNarrative(
            municipality_id=municipality_id,
            scope_id=municipality_id or 0,
            period_key=period.key,
            text=text,
            author_id=actor_id,
            updated_at=now,
        )
        await audit.create(s, row, now, actor_id=actor_id, entity=NARRATIVE)
        return True
    if row.text == text:
        return False
    assert row.id is not None
    if not text:
        before = snapshot(row)
        t = table_of(ReportNarrative)
        await core(s, delete(t).where(t.c.id == row.id))
        _audit(s, actor_id, now, NARRATIVE, row.id, "delete", before, None)
        return True
    changes = {"text": text, "author_id": actor_id}
    await audit.change(s, row, changes, now, actor_id=actor_id, entity=NARRATIVE)
    return True
