"""Reads of an expert's contacts: the last one (defaults for the next), the minutes of a day,
and a saved contact as a draft to correct."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.contact_draft import ContactDraft, LastEntry
from bot.storage import rows
from bot.storage.models import (
    ActivityType,
    Contact,
    ContactNonUse,
    ContactReferral,
    ContactTheme,
    IndirectHours,
    NonUseReason,
    ReachChannel,
    ReferralTarget,
    Story,
    Theme,
    Village,
    id_of,
    table_of,
)

# --------------------------------------------------------------------------- the expert's entries


async def last_entry(s: AsyncSession, expert_id: int) -> LastEntry | None:
    """The expert's most recently created contact, as defaults for the next one."""
    row = (
        await s.exec(
            select(Contact, ActivityType.code, Village.name)
            .join(ActivityType, col(ActivityType.id) == Contact.activity_type_id)
            .outerjoin(Village, col(Village.id) == Contact.village_id)
            .where(Contact.expert_id == expert_id, col(Contact.deleted_at).is_(None))
            .order_by(col(Contact.created_at).desc(), col(Contact.id).desc())
            .limit(1)
        )
    ).first()
    if row is None:
        return None
    contact, activity_code, village = row
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
        village=village,
        vindplek_id=contact.vindplek_id,
        activity=activity_code,
        themes=tuple(themes),
        residents_count=contact.residents_count,
        residents_new=contact.residents_new,
        duration_minutes=contact.duration_minutes,
        reach=reach,
        deelopdracht_id=contact.deelopdracht_id,
    )


def _day_sum(table: sa.Table, *, except_contact: bool = False) -> sa.ScalarSelect[Any]:
    query = sa.select(sa.func.coalesce(sa.func.sum(table.c.duration_minutes), 0)).where(
        table.c.expert_id == sa.bindparam("expert"),
        table.c.work_date == sa.bindparam("day"),
        table.c.deleted_at.is_(None),
    )
    if except_contact:
        query = query.where(table.c.id != sa.bindparam("contact"))
    return query.scalar_subquery()


# Minutes of a day (contacts + indirect hours), built once: one statement, the two sums as
# scalar subqueries; the second without the contact being corrected.
_CONTACTS, _HOURS = table_of(Contact), table_of(IndirectHours)
_DAY = sa.select(_day_sum(_CONTACTS) + _day_sum(_HOURS))
_DAY_EXCEPT = sa.select(_day_sum(_CONTACTS, except_contact=True) + _day_sum(_HOURS))


async def day_minutes(
    s: AsyncSession, expert_id: int, work_date: date, *, except_contact: int | None = None
) -> int:
    """Minutes already logged on a day: contacts plus indirect hours (without the contact
    being corrected)."""
    params = {"expert": expert_id, "day": work_date, "contact": except_contact}
    conn = await s.connection()
    result = await conn.execute(_DAY if except_contact is None else _DAY_EXCEPT, params)
    return int(result.scalar_one())


async def _codes(s: AsyncSession, model: Any, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = await s.exec(select(model.id, model.code).where(col(model.id).in_(ids)))
    return {id_: code for id_, code in rows.all()}


async def contact_as_draft(s: AsyncSession, expert_id: int, contact_id: int) -> ContactDraft | None:
    """An expert's own saved contact as a draft of every field, to correct it (/corrigeer)."""
    c = await rows.live(s, Contact, contact_id, expert_id=expert_id)
    if c is None:
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
    story = (await linked_stories(s, id_of(c)))[:1]
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


async def linked_stories(s: AsyncSession, contact_id: int) -> list[Story]:
    return list(
        (
            await s.exec(
                select(Story)
                .where(Story.contact_id == contact_id, col(Story.deleted_at).is_(None))
                .order_by(col(Story.id))
            )
        ).all()
    )


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
