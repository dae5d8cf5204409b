"""Rows the tests put straight into the database (the journeys themselves go through the fake
Telegram server): one builder per table, with the columns every such row needs; and the reads
the journey tests check the database with afterwards."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.walkin import TZ
from bot.storage import walkin
from bot.storage.db import session_factory, transaction
from bot.storage.models import (
    VOCAB_TABLES,
    Contact,
    ContactTheme,
    ConversationDraft,
    IndirectHours,
    Municipality,
    WalkInException,
)

_keys = itertools.count(1)

# The vocabularies `reference_ids` returns, under these keys (of VOCAB_TABLES).
VOCABULARIES = {
    "theme": "themes",
    "activity": "activity_types",
    "indirect": "indirect_kinds",
    "referral": "referral_targets",
    "signal": "signal_kinds",
}


# The Sundays of 2026 the Amsterdam clocks change: forward at 02:00 (UTC+2 from then on) and
# back at 03:00 (UTC+1 from then on).
SPRING_FORWARD_2026 = date(2026, 3, 29)
FALL_BACK_2026 = date(2026, 10, 25)


def local_time(day: date, hhmm: str) -> datetime:
    """`hhmm` ("09:30") on `day`, on the Amsterdam clock."""
    return datetime.combine(day, time.fromisoformat(hhmm), tzinfo=TZ)


def _key(prefix: str) -> str:
    return f"{prefix}{next(_keys)}"


async def reference_ids(s: AsyncSession) -> dict[str, dict[str, int]]:
    """Ids of the seeded reference rows: "muni" by name, each of VOCABULARIES by code."""
    out = {"muni": {m.name: m.id for m in (await s.exec(select(Municipality))).all()}}
    for key, table in VOCABULARIES.items():
        out[key] = {v.code: v.id for v in (await s.exec(select(VOCAB_TABLES[table]))).all()}
    return out


def _entry(model: type[Any], prefix: str, expert_id: int, day: date, minutes: int, **columns: Any):
    """A timed entry; `submission_key` is a fresh one unless given."""
    columns.setdefault("submission_key", _key(prefix))
    return model(expert_id=expert_id, work_date=day, duration_minutes=minutes, **columns)


def contact_row(
    expert_id: int,
    day: date,
    minutes: int,
    municipality_id: int,
    activity_type_id: int,
    **columns: Any,
) -> Contact:
    """A contact; `submission_key` is a fresh one unless given."""
    columns.update(municipality_id=municipality_id, activity_type_id=activity_type_id)
    return _entry(Contact, "c", expert_id, day, minutes, **columns)


async def add_contact(
    s: AsyncSession,
    expert_id: int,
    day: date,
    minutes: int,
    municipality_id: int,
    activity_type_id: int,
    theme_ids: Iterable[int] = (),
    **columns: Any,
) -> Contact:
    """Adds a contact with its themes (by id) and returns it, flushed (so it has an id)."""
    c = contact_row(expert_id, day, minutes, municipality_id, activity_type_id, **columns)
    s.add(c)
    await s.flush()
    for theme_id in theme_ids:
        s.add(ContactTheme(contact_id=c.id, theme_id=theme_id))
    return c


def hours_row(
    expert_id: int,
    day: date,
    minutes: int,
    kind_id: int,
    municipality_id: int | None = None,
    **columns: Any,
) -> IndirectHours:
    """Indirect hours; `submission_key` is a fresh one unless given."""
    columns.update(kind_id=kind_id, municipality_id=municipality_id)
    return _entry(IndirectHours, "h", expert_id, day, minutes, **columns)


async def add_extra_date(
    s: AsyncSession,
    municipality_id: int,
    on_date: date,
    hours: tuple[int, int],
    place: str,
    address: str,
    now: datetime,
    **columns: Any,
) -> WalkInException | None:
    """An extra walk-in date from hours[0]:00 to hours[1]:00 (None: it was already there)."""
    start, end = (time(hour) for hour in hours)
    return await walkin.add_extra_date(
        s,
        municipality_id=municipality_id,
        on_date=on_date,
        start=start,
        end=end,
        place=place,
        address=address,
        now=now,
        **columns,
    )


async def extra_date(
    bot: Any, gemeente: str, on_date: date, hours: tuple[int, int], place: str, address: str
) -> int:
    """`add_extra_date` in `gemeente` through the bot's database, now by its clock; the id."""
    async with transaction(bot.services.sessions) as s:
        muni = await walkin.municipality_by_name(s, gemeente)
        assert muni is not None, gemeente
        extra = await add_extra_date(s, muni.id, on_date, hours, place, address, bot.clock.now())
        assert extra is not None, (gemeente, on_date, "already there")
        return extra.id


# --------------------------------------------------------------------------- reads after a journey
# `bot` is the BotHarness fixture of conftest.py; `person` a ChatUser registered through it.


async def all_rows(bot: Any, model: type[Any], *where: Any, order_by: Any = None) -> list[Any]:
    """The rows of `model` (those matching `where`), oldest first unless `order_by` says."""
    query = select(model).where(*where).order_by(model.id if order_by is None else order_by)
    async with session_factory(bot.engine)() as s:
        return list((await s.exec(query)).all())


async def one_row(bot: Any, model: type[Any], *where: Any) -> Any:
    """The one row of `model` (matching `where`); fails when there are none or several."""
    async with session_factory(bot.engine)() as s:
        return (await s.exec(select(model).where(*where))).one()


async def count_rows(bot: Any, model: type[Any]) -> int:
    async with session_factory(bot.engine)() as s:
        return (await s.exec(select(func.count()).select_from(model))).one()


async def refs_of(bot: Any) -> dict[str, dict[str, int]]:
    """`reference_ids` of the bot's database."""
    async with session_factory(bot.engine)() as s:
        return await reference_ids(s)


async def ids_by(bot: Any, model: type[Any], column: str) -> dict[Any, int]:
    """Row ids of `model` by the value of `column` (e.g. Municipality by "name")."""
    return {getattr(row, column): row.id for row in await all_rows(bot, model)}


async def muni_id(bot: Any, name: str) -> int:
    return (await one_row(bot, Municipality, Municipality.name == name)).id


async def draft_of(bot: Any, person: Any, flow: str) -> ConversationDraft | None:
    """The person's open draft of `flow`, if any."""
    user = await bot.app_user(person)
    async with session_factory(bot.engine)() as s:
        found = await s.exec(
            select(ConversationDraft).where(
                ConversationDraft.user_id == user.id, ConversationDraft.flow == flow
            )
        )
        return found.first()


async def contact_codes(bot: Any, contact_id: int, vocab: type[Any], link_column: Any) -> set[str]:
    """Codes of the `vocab` rows a contact is linked to through `link_column`: the column of a
    contact's link table that names the vocabulary row (e.g. Theme, ContactTheme.theme_id)."""
    link = link_column.class_
    query = (
        select(vocab.code).join(link, link_column == vocab.id).where(link.contact_id == contact_id)
    )
    async with session_factory(bot.engine)() as s:
        return set((await s.exec(query)).all())
