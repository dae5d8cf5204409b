"""Contacts: saving and correcting one (the reference lists the dialogue offers are in
`contact_refs`, the reads of saved contacts in `contact_reads`; both importable from here).

Saving is one transaction: Contact + ContactTheme (+ Story, + a new Vindplek) + AuditLog, and the
draft is deleted in it. The draft's `submission_key` is the contact's unique key, so a second
save of the same draft (double tap, retry, stale button, a second process) returns the row that
is already there instead of inserting another.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from weakref import WeakKeyDictionary

import sqlalchemy as sa
from sqlalchemy import delete
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain import contact_deel
from bot.domain.contact_draft import ContactDraft
from bot.storage import audit, followups, rows
from bot.storage.contact_reads import (
    contact_as_draft,
    day_minutes,
    last_entry,
    linked_stories,
    non_use_codes,
    theme_codes,
)
from bot.storage.contact_refs import (
    VOCAB_MODELS,
    DeelRef,
    Place,
    RefData,
    active_deelopdrachten,
    deelopdracht,
    load_refdata,
    municipalities,
    place,
    vindplek,
    vindplek_by_name,
    vindplek_names,
    vindplekken,
    vocab,
)
from bot.storage.corrections import CONTACT_SHARED
from bot.storage.db import SessionFactory, transaction
from bot.storage.idempotent import insert_once
from bot.storage.models import (
    Contact,
    ContactNonUse,
    ContactReferral,
    ContactTheme,
    ConversationDraft,
    Story,
    Village,
    Vindplek,
    id_of,
    table_of,
)

__all__ = [
    "VOCAB_IDS_TTL",
    "VOCAB_MODELS",
    "DeelRef",
    "IncompleteDraft",
    "Place",
    "RefData",
    "SaveResult",
    "active_deelopdrachten",
    "audit_snapshot",
    "by_submission_key",
    "contact_as_draft",
    "day_minutes",
    "deelopdracht",
    "last_entry",
    "load_refdata",
    "municipalities",
    "non_use_codes",
    "place",
    "save_contact",
    "theme_codes",
    "update_contact",
    "village_id_of",
    "vindplek",
    "vindplek_by_name",
    "vindplek_names",
    "vindplekken",
    "vocab",
]


async def _add_non_use(s: AsyncSession, contact: Contact, draft: ContactDraft) -> None:
    _known, codes = contact_deel.stored_non_use(draft)
    ids = await _ids(s, "non_use_reasons", codes) if codes else {}
    for reason_id in ids.values():
        s.add(ContactNonUse(contact_id=id_of(contact), non_use_reason_id=reason_id))


async def update_contact(
    s: AsyncSession, *, expert_id: int, draft: ContactDraft, now: datetime
) -> bool:
    """Change every field of the expert's own contact ``draft.editing_id`` to the draft's,
    with one audit row (before / after). False when it is gone or nothing changed."""
    contact_id = draft.editing_id
    if contact_id is None:
        raise IncompleteDraft("not a correction")
    before_draft = await contact_as_draft(s, expert_id, contact_id)
    if before_draft is None:
        return False
    if before_draft.values() == draft.values():
        return False
    c = await s.get(Contact, contact_id)
    assert c is not None and c.id is not None
    stories = await linked_stories(s, c.id)
    before = audit_snapshot(c, before_draft, stories[0].id if stories else None)
    fields = await _columns(s, expert_id=expert_id, draft=draft, now=now)
    for key, value in fields.items():
        setattr(c, key, value)
    c.updated_at = now
    s.add(c)
    await s.execute(delete(ContactTheme).where(col(ContactTheme.contact_id) == c.id))
    await s.execute(delete(ContactReferral).where(col(ContactReferral.contact_id) == c.id))
    await s.execute(delete(ContactNonUse).where(col(ContactNonUse.contact_id) == c.id))
    await s.flush()
    await _add_non_use(s, c, draft)
    theme_ids = await _ids(s, "themes", list(dict.fromkeys(draft.themes)))
    for theme_id in theme_ids.values():
        s.add(ContactTheme(contact_id=c.id, theme_id=theme_id))
    for referral_id in (await _referral_ids(s, draft)).values():
        s.add(ContactReferral(contact_id=c.id, referral_target_id=referral_id))
    story_id = stories[0].id if stories else None
    if stories and draft.story != stories[0].text:
        story = stories[0]
        if draft.story:
            story.text, story.updated_at = draft.story, now
        else:
            story.deleted_at = now
            story_id = None
        s.add(story)
    elif not stories and draft.story:
        key = f"{c.submission_key}:v{int(now.timestamp())}"
        story_id = await _add_story(s, c, key, theme_ids[draft.themes[0]], draft.story, now)
    for story in stories[:1]:
        if story.deleted_at is None:  # the story shares the contact's date and place
            story.work_date, story.municipality_id = c.work_date, c.municipality_id
            s.add(story)
    await s.flush()
    after = audit_snapshot(c, draft, story_id)
    audit.record(s, expert_id, now, "contact", id_of(c), "edit", before, after)
    await followups.sync(s, c)
    return True


_BY_KEY = select(Contact).where(Contact.submission_key == sa.bindparam("key"))


async def by_submission_key(s: AsyncSession, key: str) -> Contact | None:
    return (await s.exec(_BY_KEY, params={"key": key})).first()


# --------------------------------------------------------------------------- saving


class IncompleteDraft(ValueError):
    """The draft misses a required field or names an unknown code."""


@dataclass(frozen=True)
class SaveResult:
    contact: Contact
    created: bool  # False: this draft had been saved before (double tap, retry ...)
    story_id: int | None = None


# code -> id of every entry (active or not) per list, per database: a save needs ids for the
# codes a draft holds, and these lists change rarely. Read again after VOCAB_IDS_TTL, or at once
# when a code is not known yet (an entry added since).
VOCAB_IDS_TTL = 60.0
_vocab_ids: WeakKeyDictionary[Any, dict[str, tuple[float, dict[str, int]]]] = WeakKeyDictionary()


async def _ids(s: AsyncSession, kind: str, codes: list[str]) -> dict[str, int]:
    per_db = _vocab_ids.setdefault(s.get_bind().engine, {})
    cached = per_db.get(kind)
    now = time.monotonic()
    if cached is None or cached[0] <= now or any(c not in cached[1] for c in codes):
        table = table_of(VOCAB_MODELS[kind])
        conn = await s.connection()
        rows = await conn.execute(sa.select(table.c.code, table.c.id))
        cached = per_db[kind] = (now + VOCAB_IDS_TTL, {code: id_ for code, id_ in rows})
    known = cached[1]
    missing = [c for c in codes if c not in known]
    if missing:
        raise IncompleteDraft(f"unknown {kind} code(s): {missing}")
    return {c: known[c] for c in codes}


async def village_id_of(s: AsyncSession, municipality_id: int, name: str) -> int | None:
    """The id of a kern of the municipality by its name (None: not one of its kernen)."""
    row = (
        await s.exec(
            select(Village.id).where(
                Village.municipality_id == municipality_id, Village.name == name
            )
        )
    ).first()
    return row


async def _add_story(
    s: AsyncSession, contact: Contact, key: str, theme_id: int, text: str, now: datetime
) -> int:
    """The story told with a contact: it shares the contact's expert, and its date, place and
    deelopdracht (`CONTACT_SHARED`)."""
    shared = {column: getattr(contact, column) for column in CONTACT_SHARED}
    return await rows.inserted(
        s,
        Story(
            submission_key=key,
            expert_id=contact.expert_id,
            theme_id=theme_id,
            contact_id=contact.id,
            text=text,
            created_at=now,
            **shared,
        ),
    )


async def _referral_ids(s: AsyncSession, draft: ContactDraft) -> dict[str, int]:
    referrals = list(dict.fromkeys(draft.referrals))
    return await _ids(s, "referral_targets", referrals) if referrals else {}


async def _columns(
    s: AsyncSession, *, expert_id: int, draft: ContactDraft, now: datetime
) -> dict[str, Any]:
    """The contact's columns from a complete draft (a new vindplek is added here)."""
    if draft.work_date is None or draft.municipality_id is None or draft.activity is None:
        raise IncompleteDraft("date, municipality and activity are required")
    if not draft.themes or draft.duration_minutes is None:
        raise IncompleteDraft("themes and duration are required")
    if draft.residents_count is None or draft.residents_new is None:
        raise IncompleteDraft("residents are required")
    activity_id = (await _ids(s, "activity_types", [draft.activity]))[draft.activity]
    reach_id = (
        (await _ids(s, "reach_channels", [draft.reach]))[draft.reach] if draft.reach else None
    )
    referral_ids = await _referral_ids(s, draft)
    village_id = (
        await village_id_of(s, draft.municipality_id, draft.village) if draft.village else None
    )
    non_use_known, non_use = contact_deel.stored_non_use(draft)
    non_use_ids = await _ids(s, "non_use_reasons", non_use) if non_use else {}
    vindplek_id = draft.vindplek_id
    if vindplek_id is None and draft.new_vindplek:
        existing = await vindplek_by_name(s, draft.municipality_id, draft.new_vindplek)
        vindplek_id = existing.id if existing is not None else None
        if vindplek_id is None:
            vindplek_id = await rows.inserted(
                s,
                Vindplek(
                    municipality_id=draft.municipality_id,
                    name=draft.new_vindplek,
                    created_by_id=expert_id,
                    created_at=now,
                ),
            )
    return {
        "work_date": draft.work_date,
        "duration_minutes": draft.duration_minutes,
        "municipality_id": draft.municipality_id,
        "village_id": village_id,
        "vindplek_id": vindplek_id,
        "activity_type_id": activity_id,
        "residents_count": draft.residents_count,
        "residents_new": draft.residents_new,
        "reach_channel_id": reach_id,
        "referral_target_id": referral_ids[draft.referrals[0]] if referral_ids else None,
        "deelopdracht_id": draft.deelopdracht_id,
        "non_use_known": non_use_known,
        "non_use_reason_id": non_use_ids[non_use[0]] if non_use else None,
        "care_relation": draft.care_relation,
    }


async def _insert(
    s: AsyncSession,
    *,
    expert_id: int,
    draft: ContactDraft,
    submission_key: str,
    now: datetime,
) -> tuple[Contact, int | None]:
    columns = await _columns(s, expert_id=expert_id, draft=draft, now=now)
    theme_ids = await _ids(s, "themes", list(dict.fromkeys(draft.themes)))
    referral_ids = await _referral_ids(s, draft)
    assert draft.work_date is not None and draft.municipality_id is not None
    contact = Contact(submission_key=submission_key, expert_id=expert_id, created_at=now, **columns)
    s.add(contact)
    await s.flush()  # the unique submission_key fires here
    assert contact.id is not None
    for theme_id in theme_ids.values():
        s.add(ContactTheme(contact_id=contact.id, theme_id=theme_id))
    for referral_id in referral_ids.values():
        s.add(ContactReferral(contact_id=contact.id, referral_target_id=referral_id))
    await _add_non_use(s, contact, draft)
    await followups.sync(s, contact)
    story_id = None
    if draft.story:
        theme_id = theme_ids[draft.themes[0]]
        story_id = await _add_story(s, contact, f"{submission_key}:v", theme_id, draft.story, now)
    after = audit_snapshot(contact, draft, story_id)
    audit.record(s, expert_id, now, "contact", id_of(contact), "create", None, after)
    return contact, story_id


def audit_snapshot(contact: Contact, draft: ContactDraft, story_id: int | None) -> dict[str, Any]:
    # No story text here: the audit log is about who saved what, not a second copy of content.
    return {
        "work_date": contact.work_date.isoformat(),
        "duration_minutes": contact.duration_minutes,
        "municipality_id": contact.municipality_id,
        "village_id": contact.village_id,
        "vindplek_id": contact.vindplek_id,
        "activity": draft.activity,
        "themes": list(draft.themes),
        "residents_count": contact.residents_count,
        "residents_new": contact.residents_new,
        "reach": draft.reach,
        "referrals": list(draft.referrals),
        "deelopdracht_id": contact.deelopdracht_id,
        "non_use_known": contact.non_use_known,
        "non_use": list(contact_deel.stored_non_use(draft)[1]),
        "care_relation": contact.care_relation,
        "story_id": story_id,
    }


async def save_contact(
    target: AsyncSession | SessionFactory,
    *,
    expert_id: int,
    draft: ContactDraft,
    submission_key: str,
    draft_id: int | None,
    now: datetime,
) -> SaveResult:
    """Insert the contact, or return the one this key already saved; the draft is deleted.

    ``target`` is the update's unit of work (the handler's session: the save commits with the
    rest of the update, before the reply) or a session factory (its own transaction)."""
    if not isinstance(target, AsyncSession):
        async with transaction(target) as s:
            return await save_contact(
                s,
                expert_id=expert_id,
                draft=draft,
                submission_key=submission_key,
                draft_id=draft_id,
                now=now,
            )
    s = target
    await _drop_draft(s, draft_id)
    story_ids: list[int | None] = [None]

    async def insert() -> Contact:
        contact, story_ids[0] = await _insert(
            s, expert_id=expert_id, draft=draft, submission_key=submission_key, now=now
        )
        return contact

    saved = await insert_once(s, lambda: by_submission_key(s, submission_key), insert)
    return SaveResult(contact=saved.row, created=saved.created, story_id=story_ids[0])


async def _drop_draft(s: AsyncSession, draft_id: int | None) -> None:
    if draft_id is not None:
        await s.exec(delete(ConversationDraft).where(col(ConversationDraft.id) == draft_id))
