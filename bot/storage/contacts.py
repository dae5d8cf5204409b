"""Contacts: the reference lists the dialogue offers, the expert's last entry, and saving.

Saving is one transaction: Contact + ContactTheme (+ Story, + a new Vindplek) + AuditLog, and the
draft is deleted in it. The draft's `submission_key` is the contact's unique key, so a second
save of the same draft (double tap, retry, stale button, a second process) returns the row that
is already there instead of inserting another.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from weakref import WeakKeyDictionary

import sqlalchemy as sa
from sqlalchemy import delete, func, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain import contact_deel
from bot.domain.contact_deel import DeelChoice
from bot.domain.contact_draft import ContactDraft, LastEntry, VocabItem
from bot.storage import audit, followups
from bot.storage.db import SessionFactory, transaction
from bot.storage.idempotent import insert_once
from bot.storage.models import (
    ActivityType,
    Contact,
    ContactNonUse,
    ContactReferral,
    ContactTheme,
    ConversationDraft,
    Deelopdracht,
    DeelopdrachtMeasure,
    IndirectHours,
    Municipality,
    NonUseReason,
    ReachChannel,
    ReferralTarget,
    Story,
    Theme,
    Village,
    Vindplek,
    id_of,
    table_of,
)
from bot.storage.vocab import load_vocabulary

VOCAB_MODELS = {
    "themes": Theme,
    "activity_types": ActivityType,
    "reach_channels": ReachChannel,
    "referral_targets": ReferralTarget,
    "non_use_reasons": NonUseReason,
}


# --------------------------------------------------------------------------- reference lists


async def vocab(s: AsyncSession, kind: str) -> list[VocabItem]:
    """Active entries of one list (themes, activity_types, ...) in their display order."""
    rows = (await load_vocabulary(s))[kind]
    return [VocabItem(id=r.id, code=r.code, label=r.label, aliases=r.aliases) for r in rows]


@dataclass(frozen=True)
class Place:
    id: int
    name: str


@dataclass(frozen=True)
class DeelRef:
    id: int
    municipality_id: int
    title: str
    starts_on: date | None
    ends_on: date | None
    code: str = ""
    measures: frozenset[str] = frozenset()  # kinds of its measures
    vindplek_ids: frozenset[int] = frozenset()  # vindplekken its measures' filters name
    followup_weeks: int = 6

    @property
    def choice(self) -> DeelChoice:
        return DeelChoice(self.id, self.measures, self.vindplek_ids)

    def runs_on(self, on: date) -> bool:
        return (self.starts_on is None or self.starts_on <= on) and (
            self.ends_on is None or self.ends_on >= on
        )


@dataclass(frozen=True)
class RefData:
    """The lists the dialogue offers, loaded at once (they change rarely; see the handler's
    short-lived cache)."""

    vocab: dict[str, list[VocabItem]]
    municipalities: list[Place]
    deelopdrachten: list[DeelRef]

    def active_deelopdrachten(self, municipality_id: int | None, on: date | None) -> list[DeelRef]:
        if municipality_id is None or on is None:
            return []
        return [
            d for d in self.deelopdrachten if d.municipality_id == municipality_id and d.runs_on(on)
        ]

    def choices(self, municipality_id: int | None, on: date | None) -> list[DeelChoice]:
        return [d.choice for d in self.active_deelopdrachten(municipality_id, on)]

    def deelopdracht(self, deelopdracht_id: int | None) -> DeelRef | None:
        return next((d for d in self.deelopdrachten if d.id == deelopdracht_id), None)

    def items(self, kind: str) -> list[VocabItem]:
        return self.vocab[kind]

    def by_id(self, kind: str, item_id: int) -> VocabItem | None:
        return next((v for v in self.vocab[kind] if v.id == item_id), None)

    def by_code(self, kind: str, code: str | None) -> VocabItem | None:
        return next((v for v in self.vocab[kind] if v.code == code), None)

    def municipality(self, municipality_id: int | None) -> Place | None:
        return next((m for m in self.municipalities if m.id == municipality_id), None)

    def municipality_named(self, name: str | None) -> Place | None:
        if not name:
            return None
        return next((m for m in self.municipalities if m.name.lower() == name.lower()), None)


async def load_refdata(s: AsyncSession) -> RefData:
    """Active vocabularies, municipalities and deelopdrachten, in display order."""
    vocabs = {kind: await vocab(s, kind) for kind in VOCAB_MODELS}
    munis = [Place(id_of(m), m.name) for m in await municipalities(s)]
    rows = (
        await s.exec(select(Deelopdracht).where(Deelopdracht.active).order_by(Deelopdracht.title))
    ).all()
    kinds: dict[int, set[str]] = {}
    places: dict[int, set[int]] = {}
    measures = (
        await s.exec(
            select(DeelopdrachtMeasure).where(col(DeelopdrachtMeasure.deleted_at).is_(None))
        )
    ).all()
    for m in measures:
        kinds.setdefault(m.deelopdracht_id, set()).add(m.kind)
        named = (m.filter or {}).get("vindplek") or []
        places.setdefault(m.deelopdracht_id, set()).update(
            int(v) for v in named if isinstance(v, int) or str(v).isdigit()
        )
    deel = [
        DeelRef(
            id_of(d),
            d.municipality_id,
            d.title,
            d.starts_on,
            d.ends_on,
            code=d.code,
            measures=frozenset(kinds.get(id_of(d), ())),
            vindplek_ids=frozenset(places.get(id_of(d), ())),
            followup_weeks=d.followup_weeks,
        )
        for d in rows
    ]
    return RefData(vocab=vocabs, municipalities=munis, deelopdrachten=deel)


async def vocab_by_codes(s: AsyncSession, kind: str, codes: list[str]) -> dict[str, VocabItem]:
    """Entries by code, active or not (a draft may name one deactivated since)."""
    if not codes:
        return {}
    model = VOCAB_MODELS[kind]
    rows = (await s.exec(select(model).where(col(model.code).in_(codes)))).all()
    return {r.code: VocabItem(id=id_of(r), code=r.code, label=r.label) for r in rows}


async def municipalities(s: AsyncSession) -> list[Municipality]:
    return list(
        (
            await s.exec(
                select(Municipality).where(Municipality.active).order_by(Municipality.name)
            )
        ).all()
    )


async def vindplekken(
    s: AsyncSession, municipality_id: int, expert_id: int | None = None, limit: int = 10
) -> list[Vindplek]:
    """Active vindplekken of a municipality, the expert's most used first (one statement:
    the expert's count per place comes from a correlated subquery)."""
    query = select(Vindplek).where(Vindplek.municipality_id == municipality_id, Vindplek.active)
    if expert_id is not None:
        used = (
            select(func.count())
            .where(
                Contact.expert_id == expert_id,
                Contact.municipality_id == municipality_id,
                Contact.vindplek_id == Vindplek.id,
                col(Contact.deleted_at).is_(None),
            )
            .correlate(Vindplek)
            .scalar_subquery()
        )
        query = query.order_by(used.desc())
    query = query.order_by(Vindplek.name)
    if limit:
        query = query.limit(limit)
    return list((await s.exec(query)).all())


async def vindplek(s: AsyncSession, vindplek_id: int) -> Vindplek | None:
    return await s.get(Vindplek, vindplek_id)


async def vindplek_names(s: AsyncSession, municipality_id: int) -> list[str]:
    return list(
        (
            await s.exec(
                select(Vindplek.name).where(
                    Vindplek.municipality_id == municipality_id, Vindplek.active
                )
            )
        ).all()
    )


async def vindplek_by_name(s: AsyncSession, municipality_id: int, name: str) -> Vindplek | None:
    return (
        await s.exec(
            select(Vindplek).where(
                Vindplek.municipality_id == municipality_id,
                func.lower(Vindplek.name) == name.lower(),
            )
        )
    ).first()


async def active_deelopdrachten(
    s: AsyncSession, municipality_id: int, on: date
) -> list[Deelopdracht]:
    return list(
        (
            await s.exec(
                select(Deelopdracht)
                .where(
                    Deelopdracht.municipality_id == municipality_id,
                    Deelopdracht.active,
                    or_(col(Deelopdracht.starts_on).is_(None), col(Deelopdracht.starts_on) <= on),
                    or_(col(Deelopdracht.ends_on).is_(None), col(Deelopdracht.ends_on) >= on),
                )
                .order_by(Deelopdracht.title)
            )
        ).all()
    )


async def deelopdracht(s: AsyncSession, deelopdracht_id: int) -> Deelopdracht | None:
    return await s.get(Deelopdracht, deelopdracht_id)


# --------------------------------------------------------------------------- the expert's entries


async def last_entry(s: AsyncSession, expert_id: int) -> LastEntry | None:
    """The expert's most recently created contact, as defaults for the next one."""
    row = (
        await s.exec(
            select(Contact, ActivityType.code)
            .join(ActivityType, col(ActivityType.id) == Contact.activity_type_id)
            .where(Contact.expert_id == expert_id, col(Contact.deleted_at).is_(None))
            .order_by(col(Contact.created_at).desc(), col(Contact.id).desc())
            .limit(1)
        )
    ).first()
    if row is None:
        return None
    contact, activity_code = row
    themes = (
        await s.exec(
            select(Theme.code)
            .join(ContactTheme, col(ContactTheme.theme_id) == Theme.id)
            .where(ContactTheme.contact_id == contact.id, Theme.active)
            .order_by(col(Theme.sort_order))
        )
    ).all()
    reach = None
    if contact.reach_channel_id is not None:
        reach = (
            await s.exec(
                select(ReachChannel.code).where(
                    ReachChannel.id == contact.reach_channel_id, ReachChannel.active
                )
            )
        ).first()
    return LastEntry(
        municipality_id=contact.municipality_id,
        vindplek_id=contact.vindplek_id,
        activity=activity_code,
        themes=tuple(themes),
        residents_count=contact.residents_count,
        residents_new=contact.residents_new,
        duration_minutes=contact.duration_minutes,
        reach=reach,
        deelopdracht_id=contact.deelopdracht_id,
    )


async def day_minutes(
    s: AsyncSession, expert_id: int, work_date: date, *, except_contact: int | None = None
) -> int:
    """Minutes already logged on a day: contacts plus indirect hours (without the contact
    being corrected). One statement: the two sums as scalar subqueries."""
    sums = []
    for model in (Contact, IndirectHours):
        query = select(func.coalesce(func.sum(model.duration_minutes), 0)).where(
            model.expert_id == expert_id,
            model.work_date == work_date,
            col(model.deleted_at).is_(None),
        )
        if model is Contact and except_contact is not None:
            query = query.where(Contact.id != except_contact)
        sums.append(query.scalar_subquery())
    return int((await s.exec(select(sums[0] + sums[1]))).one())


async def _codes(s: AsyncSession, model: Any, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = await s.exec(select(model.id, model.code).where(col(model.id).in_(ids)))
    return {id_: code for id_, code in rows.all()}


async def contact_as_draft(s: AsyncSession, expert_id: int, contact_id: int) -> ContactDraft | None:
    """An expert's own saved contact as a draft of every field, to correct it (/corrigeer)."""
    c = await s.get(Contact, contact_id)
    if c is None or c.expert_id != expert_id or c.deleted_at is not None:
        return None
    theme_ids = list(
        (await s.exec(select(ContactTheme.theme_id).where(ContactTheme.contact_id == c.id))).all()
    )
    referral_ids = list(
        (
            await s.exec(
                select(ContactReferral.referral_target_id).where(ContactReferral.contact_id == c.id)
            )
        ).all()
    ) or ([c.referral_target_id] if c.referral_target_id else [])
    themes = await _codes(s, Theme, theme_ids)
    referrals = await _codes(s, ReferralTarget, referral_ids)
    activity = (await _codes(s, ActivityType, [c.activity_type_id]))[c.activity_type_id]
    reach = (await _codes(s, ReachChannel, [c.reach_channel_id])) if c.reach_channel_id else {}
    village = await s.get(Village, c.village_id) if c.village_id else None
    story = (await _linked_stories(s, id_of(c)))[:1]
    non_use = await non_use_codes(s, id_of(c))
    return ContactDraft(
        work_date=c.work_date,
        municipality_id=c.municipality_id,
        village=village.name if village else None,
        vindplek_id=c.vindplek_id,
        activity=activity,
        themes=[themes[i] for i in theme_ids if i in themes],
        residents_count=c.residents_count,
        residents_new=c.residents_new,
        duration_minutes=c.duration_minutes,
        reach=next(iter(reach.values()), None),
        referrals=[referrals[i] for i in referral_ids if i in referrals],
        deelopdracht_id=c.deelopdracht_id,
        story=story[0].text if story else None,
        non_use=non_use,
        non_use_known=c.non_use_known,
        care_relation=c.care_relation,
        deel_chosen=True,
        mode="edit",
        editing_id=c.id,
    )


async def non_use_codes(s: AsyncSession, contact_id: int) -> list[str]:
    """The contact's drempels (codes), the first one stored first."""
    rows = (
        await s.exec(
            select(NonUseReason.code, NonUseReason.id)
            .join(ContactNonUse, col(ContactNonUse.non_use_reason_id) == NonUseReason.id)
            .where(ContactNonUse.contact_id == contact_id)
        )
    ).all()
    first = await s.get(Contact, contact_id)
    first_id = first.non_use_reason_id if first is not None else None
    return [code for code, id_ in sorted(rows, key=lambda r: (r[1] != first_id, r[1]))]


async def _add_non_use(s: AsyncSession, contact: Contact, draft: ContactDraft) -> None:
    _known, codes = contact_deel.stored_non_use(draft)
    ids = await _ids(s, "non_use_reasons", codes) if codes else {}
    for reason_id in ids.values():
        s.add(ContactNonUse(contact_id=id_of(contact), non_use_reason_id=reason_id))


async def _linked_stories(s: AsyncSession, contact_id: int) -> list[Story]:
    return list(
        (
            await s.exec(
                select(Story)
                .where(Story.contact_id == contact_id, col(Story.deleted_at).is_(None))
                .order_by(col(Story.id))
            )
        ).all()
    )


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
    stories = await _linked_stories(s, c.id)
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


async def by_submission_key(s: AsyncSession, key: str) -> Contact | None:
    return (await s.exec(select(Contact).where(Contact.submission_key == key))).first()


async def theme_codes(s: AsyncSession, contact_id: int) -> list[str]:
    return list(
        (
            await s.exec(
                select(Theme.code)
                .join(ContactTheme, col(ContactTheme.theme_id) == Theme.id)
                .where(ContactTheme.contact_id == contact_id)
                .order_by(col(Theme.sort_order))
            )
        ).all()
    )


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
    """The story told with a contact: it shares the contact's expert, date and place."""
    story = Story(
        submission_key=key,
        expert_id=contact.expert_id,
        work_date=contact.work_date,
        municipality_id=contact.municipality_id,
        theme_id=theme_id,
        contact_id=contact.id,
        deelopdracht_id=contact.deelopdracht_id,
        text=text,
        created_at=now,
    )
    s.add(story)
    await s.flush()
    return id_of(story)


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
        if existing is None:
            existing = Vindplek(
                municipality_id=draft.municipality_id,
                name=draft.new_vindplek,
                created_by_id=expert_id,
                created_at=now,
            )
            s.add(existing)
            await s.flush()
        vindplek_id = existing.id
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
