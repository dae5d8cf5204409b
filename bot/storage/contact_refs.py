"""The reference lists the contact dialogue offers: vocabularies, municipalities, vindplekken
and deelopdrachten (read together as `RefData`, which the handler caches briefly)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.contact_deel import DeelChoice
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
