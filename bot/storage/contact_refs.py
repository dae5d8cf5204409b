"""The reference lists the contact dialogue offers: vocabularies, municipalities, vindplekken
and deelopdrachten (read together as `RefData`, which the handler caches briefly)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy import and_, func, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.contact_deel import DeelChoice, takes_contacts_on
from bot.domain.contact_draft import VocabItem
from bot.storage.models import (
    ActivityType,
    Contact,
    Deelopdracht,
    DeelopdrachtMeasure,
    Municipality,
    NonUseReason,
    ReachChannel,
    ReferralTarget,
    Theme,
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
    return list((await load_vocabulary(s))[kind])


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
    active: bool = True  # False: ended (it still takes contacts dated up to its end date)

    @property
    def choice(self) -> DeelChoice:
        return DeelChoice(self.id, self.measures, self.vindplek_ids)

    def runs_on(self, on: date) -> bool:
        """Whether a contact on `on` can belong to it (`contact_deel.takes_contacts_on`)."""
        return takes_contacts_on(on, self.starts_on, self.ends_on, active=self.active)


@dataclass(frozen=True)
class RefData:
    """The lists the dialogue offers, loaded at once (they change rarely; see the handler's
    short-lived cache)."""

    vocab: dict[str, list[VocabItem]]
    municipalities: list[Place]
    deelopdrachten: list[DeelRef]

    def active_deelopdrachten(self, municipality_id: int | None, on: date | None) -> list[DeelRef]:
        """The deelopdrachten a contact on `on` in the municipality can belong to: by the
        contact's day, also one that has ended since (see `DeelRef.runs_on`)."""
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
    """Active vocabularies, municipalities and deelopdrachten (also ended ones with an end
    date: back-dated contacts from inside their period still belong to them), in display
    order."""
    vocabs = {kind: await vocab(s, kind) for kind in VOCAB_MODELS}
    munis = [Place(id_of(m), m.name) for m in await municipalities(s)]
    rows = (
        await s.exec(
            select(Deelopdracht)
            .where(or_(col(Deelopdracht.active), col(Deelopdracht.ends_on).is_not(None)))
            .order_by(Deelopdracht.title)
        )
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
            active=d.active,
        )
        for d in rows
    ]
    return RefData(vocab=vocabs, municipalities=munis, deelopdrachten=deel)


async def municipalities(s: AsyncSession) -> list[Municipality]:
    return list(
        (
            await s.exec(
                select(Municipality).where(Municipality.active).order_by(Municipality.name)
            )
        ).all()
    )


# The vindplek step's choices, built once (building an ORM select costs more than running
# it): the places of a municipality, the expert's most used first (a correlated count; no
# expert: all counts 0, so by name).
_V, _C = table_of(Vindplek), table_of(Contact)
_USED = (
    sa.select(sa.func.count())
    .where(
        _C.c.expert_id == sa.bindparam("expert"),
        _C.c.municipality_id == sa.bindparam("muni"),
        _C.c.vindplek_id == _V.c.id,
        _C.c.deleted_at.is_(None),
    )
    .correlate(_V)
    .scalar_subquery()
)
_PLACES = (
    sa.select(_V.c.id, _V.c.name)
    .where(_V.c.municipality_id == sa.bindparam("muni"), _V.c.active)
    .order_by(_USED.desc(), _V.c.name)
)
_PLACES_LIMITED = _PLACES.limit(sa.bindparam("limit"))
_PLACE = sa.select(_V.c.id, _V.c.name).where(_V.c.id == sa.bindparam("id"))


async def vindplekken(
    s: AsyncSession, municipality_id: int, expert_id: int | None = None, limit: int = 10
) -> list[Place]:
    """Active vindplekken of a municipality, the expert's most used first (one statement)."""
    params = {"muni": municipality_id, "expert": expert_id, "limit": limit}
    conn = await s.connection()
    rows = await conn.execute(_PLACES_LIMITED if limit else _PLACES, params)
    return [Place(id_, name) for id_, name in rows]


async def place(s: AsyncSession, vindplek_id: int) -> Place | None:
    """A vindplek's id and name (active or not: a draft may name one retired since)."""
    conn = await s.connection()
    row = (await conn.execute(_PLACE, {"id": vindplek_id})).first()
    return Place(row[0], row[1]) if row is not None else None


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
    """The municipality's deelopdrachten that take work dated `on` (its period holds the day;
    an ended one up to its end date), as `RefData.active_deelopdrachten` decides."""
    return list(
        (
            await s.exec(
                select(Deelopdracht)
                .where(
                    Deelopdracht.municipality_id == municipality_id,
                    or_(col(Deelopdracht.starts_on).is_(None), col(Deelopdracht.starts_on) <= on),
                    or_(
                        and_(col(Deelopdracht.ends_on).is_(None), col(Deelopdracht.active)),
                        col(Deelopdracht.ends_on) >= on,
                    ),
                )
                .order_by(Deelopdracht.title)
            )
        ).all()
    )


async def deelopdracht(s: AsyncSession, deelopdracht_id: int) -> Deelopdracht | None:
    return await s.get(Deelopdracht, deelopdracht_id)
