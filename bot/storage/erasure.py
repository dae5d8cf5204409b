"""Erasure of one person (GDPR art. 17) and removal of what is past its retention time.

`erase_expert` replaces the person by a stable pseudonym ("oud-collega 12", from the row id)
and removes what identifies them or what they wrote, in the caller's transaction:
- the user row: Telegram id and chat id (set to minus the row id: unique, never a real id),
  name, language, home municipality and every setting; the row stays, inactive and deleted;
- their free text: stories, signals, report paragraphs and the roles of their key figures
  (sleutelfiguren) become "[verwijderd]"; a story's
  report selections go (nothing of it is left to show); vindplek names they typed become
  "[verwijderd] <id>" unless colleagues use the place too (then only the link to them goes);
- audit snapshots about them (their entries, their vindplekken, their paragraphs, and
  everything they did themselves): free-text values become "[verwijderd]";
- drafts (what they were typing), reminder and digest delivery rows.
Contacts, hours, themes, days off, key figures (without their role) and follow-ups (counts
only, no text) stay, so the counts and hours of every report stay. Like every other table,
their `expert_id` keeps pointing at the person's row, which now holds only the pseudonym
(its Telegram ids are minus the row id).

SQLite keeps deleted bytes in free pages and in the WAL: `purge_freed_bytes` (after the
commit) rebuilds the file (VACUUM) and truncates the WAL. PostgreSQL: the rows are updated
or deleted; autovacuum reclaims the dead tuples and backups age out (docs/PRIVACY.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.models import (
    AuditLog,
    Contact,
    ConversationDraft,
    DigestDelivery,
    IndirectHours,
    KeyFigure,
    ReminderDelivery,
    ReportNarrative,
    ReportStorySelection,
    Signal,
    Story,
    User,
    Vindplek,
    id_of,
    table_of,
)
from bot.storage.query_helpers import core

PLACEHOLDER = "[verwijderd]"
# Keys of audit snapshots that may hold free text or a name.
FREE_TEXT_KEYS = frozenset({"text", "name", "display_name", "address", "note", "new_vindplek"})
# And per entity: a key figure's role is free text (an app_user's role is not).
ENTITY_TEXT_KEYS = {"key_figure": frozenset({"role"})}
ENTRY_MODELS: dict[str, Any] = {
    "contact": Contact,
    "indirect_hours": IndirectHours,
    "signal": Signal,
    "story": Story,
    "key_figure": KeyFigure,
}


def pseudonym(user_id: int) -> str:
    """The stable name an erased person keeps in the data: "oud-collega 12"."""
    return f"oud-collega {user_id}"


def is_erased(user: User) -> bool:
    return user.telegram_user_id < 0


@dataclass
class Erased:
    user_id: int
    pseudonym: str
    role: str
    stories: int = 0
    signals: int = 0
    narratives: int = 0
    vindplekken: int = 0
    audit_rows: int = 0
    drafts: int = 0
    key_figures: int = 0


async def _ids(s: AsyncSession, stmt: sa.Select[Any]) -> list[int]:
    return [int(r[0]) for r in (await core(s, stmt)).all()]


def scrub_snapshot(
    snapshot: dict[str, Any] | None, entity: str | None = None
) -> dict[str, Any] | None:
    """A copy of an audit snapshot (of `entity`) with free-text values replaced."""
    if snapshot is None:
        return None
    keys = FREE_TEXT_KEYS | ENTITY_TEXT_KEYS.get(entity or "", frozenset())
    return {
        k: PLACEHOLDER if k in keys and isinstance(v, str) and v else v for k, v in snapshot.items()
    }


async def scrub_audit(s: AsyncSession, condition: sa.ColumnElement[bool]) -> int:
    """Scrub the snapshots of the audit rows matching `condition`; the number changed."""
    a = table_of(AuditLog).c
    changed = 0
    rows = (await core(s, sa.select(a.id, a.entity, a.before, a.after).where(condition))).all()
    for row_id, entity, before, after in (tuple(r) for r in rows):
        new_before, new_after = scrub_snapshot(before, entity), scrub_snapshot(after, entity)
        if (new_before, new_after) != (before, after):
            await core(
                s,
                sa.update(table_of(AuditLog))
                .where(a.id == row_id)
                .values(before=new_before, after=new_after),
            )
            changed += 1
    return changed


def _about(entity: str, ids: Sequence[int]) -> sa.ColumnElement[bool]:
    a = table_of(AuditLog).c
    return sa.and_(a.entity == entity, a.entity_id.in_(ids)) if ids else sa.false()


async def blank_texts(s: AsyncSession, model: Any, ids: Iterable[int], column: str = "text") -> int:
    ids = list(ids)
    if not ids:
        return 0
    t = table_of(model)
    r = await core(
        s,
        sa.update(t)
        .where(t.c.id.in_(ids), t.c[column] != PLACEHOLDER)
        .values({column: PLACEHOLDER}),
    )
    return int(r.rowcount or 0)


async def drop_story_selections(s: AsyncSession, story_ids: Sequence[int]) -> None:
    if story_ids:
        sel = table_of(ReportStorySelection)
        await core(s, sa.delete(sel).where(sel.c.story_id.in_(story_ids)))


async def erase_expert(s: AsyncSession, user_id: int, now: datetime) -> Erased | None:
    """Erase one expert (or coordinator) in the caller's transaction; None when there is no
    such person or they were erased before. Idempotent."""
    user = await s.get(User, user_id)
    if user is None or is_erased(user):
        return None
    uid = id_of(user)
    result = Erased(uid, pseudonym(uid), user.role)

    entries = {
        entity: await _ids(s, sa.select(table_of(m).c.id).where(table_of(m).c.expert_id == uid))
        for entity, m in ENTRY_MODELS.items()
    }
    result.stories = await blank_texts(s, Story, entries["story"])
    await drop_story_selections(s, entries["story"])
    result.signals = await blank_texts(s, Signal, entries["signal"])
    result.key_figures = await blank_texts(s, KeyFigure, entries["key_figure"], "role")
    narrative_ids = await _ids(
        s,
        sa.select(table_of(ReportNarrative).c.id).where(
            table_of(ReportNarrative).c.author_id == uid
        ),
    )
    result.narratives = await blank_texts(s, ReportNarrative, narrative_ids)

    # Vindplekken they typed: the name goes, unless colleagues use the place too.
    v, c = table_of(Vindplek), table_of(Contact).c
    places = await _ids(s, sa.select(v.c.id).where(v.c.created_by_id == uid))
    shared = (
        set(
            await _ids(
                s,
                sa.select(c.vindplek_id)
                .where(c.vindplek_id.in_(places), c.expert_id != uid)
                .distinct(),
            )
        )
        if places
        else set()
    )
    for place_id in places:
        values: dict[str, Any] = {"created_by_id": None}
        if place_id not in shared:
            values |= {"name": f"{PLACEHOLDER} {place_id}", "address": None, "active": False}
            result.vindplekken += 1
        await core(s, sa.update(v).where(v.c.id == place_id).values(**values))

    a = table_of(AuditLog).c
    result.audit_rows = await scrub_audit(
        s,
        sa.or_(
            a.actor_id == uid,
            *(_about(entity, ids) for entity, ids in entries.items()),
            _about("vindplek", places),
            _about("report_narrative", narrative_ids),
            _about("app_user", [uid]),
        ),
    )

    for model, column in (
        (ConversationDraft, "user_id"),
        (ReminderDelivery, "user_id"),
        (DigestDelivery, "recipient_id"),
    ):
        t = table_of(model)
        r = await core(s, sa.delete(t).where(t.c[column] == uid))
        if model is ConversationDraft:
            result.drafts = int(r.rowcount or 0)

    await core(
        s,
        sa.update(table_of(User))
        .where(table_of(User).c.id == uid)
        .values(
            telegram_user_id=-uid,
            chat_id=-uid,
            display_name=result.pseudonym,
            language="nl",
            home_municipality_id=None,
            reminder_days="",
            reminder_time=time(0, 0),
            reminders_enabled=False,
            pause_until=None,
            active=False,
            blocked_bot=False,
            blocked_at=None,
            deleted_at=now,
        ),
    )
    await s.refresh(user)
    return result


async def find_person(
    s: AsyncSession, *, user_id: int | None = None, telegram_id: int | None = None
) -> User | None:
    if user_id is not None:
        return await s.get(User, user_id)
    if telegram_id is not None and telegram_id > 0:
        return (await s.exec(select(User).where(col(User.telegram_user_id) == telegram_id))).first()
    return None


async def purge_freed_bytes(engine: AsyncEngine) -> None:
    """After a commit that erased or removed text: make the bytes really go.

    SQLite: every connection runs with `secure_delete` (freed space is zeroed, see
    `bot.storage.db`); VACUUM rebuilds the file without free pages and a TRUNCATE checkpoint
    empties the WAL, which still holds old page images. PostgreSQL: nothing to do here
    (autovacuum; see docs/PRIVACY.md for backups)."""
    if engine.dialect.name != "sqlite":
        return
    async with engine.connect() as conn:
        auto = await conn.execution_options(isolation_level="AUTOCOMMIT")
        await auto.exec_driver_sql("VACUUM")
        await auto.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
