"""The coordinator's lists: vocabulary items (add, rename, aliases, retire) and vindplekken
(rename, merge, retire), each change audited and bumping the list version, so every process's
cached lists (the contact dialogue's) are read again on their next use. Codes never change; a
retired item leaves the buttons and stays in history and reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, update
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain import lists as dl
from bot.domain.contact_draft import VocabItem
from bot.storage import audit
from bot.storage.models import (
    VOCAB_TABLES,
    Contact,
    ListVersion,
    Municipality,
    Vindplek,
    _Vocab,
    id_of,
)

_VERSION_KEY = "list_version"

# The version as a column of another statement: the gatekeeper reads it with the user, so an
# update that shows lists pays no statement (and on PostgreSQL no round trip) of its own for it.
VERSION_COLUMN = (
    select(ListVersion.version).where(col(ListVersion.id) == 1).scalar_subquery().label("lv")
)


def remember_version(s: AsyncSession, value: int | None) -> None:
    """Keep a version read along with another statement (`VERSION_COLUMN`) for `version`."""
    if value is not None:
        s.info[_VERSION_KEY] = value


async def version(s: AsyncSession) -> int:
    """The list version, read at most once per session (one update): usually already read
    by the gatekeeper's user lookup (`VERSION_COLUMN`)."""
    cached = s.info.get(_VERSION_KEY)
    if cached is None:
        row = await s.get(ListVersion, 1)
        cached = s.info[_VERSION_KEY] = row.version if row is not None else 0
    return int(cached)


async def bump(s: AsyncSession) -> None:
    bumped = await s.exec(
        update(ListVersion)
        .where(col(ListVersion.id) == 1)
        .values(version=col(ListVersion.version) + 1)
    )
    if bumped.rowcount == 0:  # the migration's row is gone: start again (1 > the 0 read)
        s.add(ListVersion(id=1, version=1))
        await s.flush()
    s.info.pop(_VERSION_KEY, None)


class ListError(ValueError):
    """Unknown list or item, or a name that is taken."""


def _model(kind: str) -> type[_Vocab]:
    if kind not in VOCAB_TABLES:
        raise ListError(f"unknown list {kind}")
    return VOCAB_TABLES[kind]


@dataclass(frozen=True)
class Item(VocabItem):
    """A vocabulary entry as the coordinator manages it: retired ones (not active) too."""

    active: bool = field(kw_only=True)


def _item(row: _Vocab) -> Item:
    return Item(id_of(row), row.code, row.label, dl.split_aliases(row.aliases), active=row.active)


_vocab_state = audit.columns("code", "label", "aliases", "active")


async def _refuse_taken(
    s: AsyncSession, model: Any, column: Any, value: str, own_id: int, *where: Any
) -> None:
    """Raise ListError when another row of `model` has this name (case-insensitive)."""
    clash = (
        await s.exec(
            select(model.id).where(
                func.lower(column) == value.lower(), col(model.id) != own_id, *where
            )
        )
    ).first()
    if clash is not None:
        raise ListError(f"{value!r} is already in the list")


async def items(s: AsyncSession, kind: str) -> list[Item]:
    """Every item of a list, retired ones too, in display order."""
    model = _model(kind)
    rows = (await s.exec(select(model).order_by(col(model.sort_order), col(model.id)))).all()
    return [_item(r) for r in rows]


async def add_item(
    s: AsyncSession,
    kind: str,
    label: str,
    aliases: tuple[str, ...],
    *,
    actor_id: int | None,
    now: datetime,
    code: str | None = None,
    active: bool = True,
) -> Item:
    model = _model(kind)
    label = label.strip()[: dl.MAX_LABEL]
    existing = (await s.exec(select(model.code, model.label, model.sort_order))).all()
    if any(lbl.lower() == label.lower() for _code, lbl, _order in existing):
        raise ListError(f"{label!r} is already in {kind}")
    taken = {c for c, _lbl, _order in existing}
    row = model(
        code=code or dl.new_code(label, taken),
        label=label,
        aliases=dl.join_aliases(aliases),
        sort_order=max((o for _c, _l, o in existing), default=-1) + 1,
        active=active,
    )
    s.add(row)
    await s.flush()
    audit.record(s, actor_id, now, kind, id_of(row), "create", None, _vocab_state(row))
    await bump(s)
    return _item(row)


async def change_item(
    s: AsyncSession,
    kind: str,
    item_id: int,
    *,
    actor_id: int | None,
    now: datetime,
    label: str | None = None,
    aliases: tuple[str, ...] | None = None,
    active: bool | None = None,
) -> Item:
    """Rename, set the aliases or retire / bring back one item (its code stays)."""
    model = _model(kind)
    row = await s.get(model, item_id)
    if row is None:
        raise ListError(f"no item {item_id} in {kind}")
    before = _vocab_state(row)
    if label is not None:
        label = label.strip()[: dl.MAX_LABEL]
        await _refuse_taken(s, model, model.label, label, item_id)
        row.label = label
    if aliases is not None:
        row.aliases = dl.join_aliases(aliases)
    if active is not None:
        row.active = active
    await _save_edit(s, row, kind, item_id, before, _vocab_state(row), actor_id, now)
    return _item(row)


async def _save_edit(
    s: AsyncSession,
    row: SQLModel,
    kind: str,
    item_id: int,
    before: dict[str, Any],
    after: dict[str, Any],
    actor_id: int | None,
    now: datetime,
) -> None:
    """Store an edited list row, audited, and refresh the vocabulary; nothing when unchanged."""
    if after != before:
        s.add(row)
        await s.flush()
        audit.record(s, actor_id, now, kind, item_id, "edit", before, after)
        await bump(s)


# --------------------------------------------------------------------------- vindplekken


@dataclass(frozen=True)
class Place:
    id: int
    municipality_id: int
    municipality: str
    name: str
    address: str | None
    active: bool
    contacts: int


async def places(s: AsyncSession, municipality_id: int | None = None) -> list[Place]:
    """Vindplekken (retired too) with how many contacts name them."""
    used = (
        select(Contact.vindplek_id, func.count().label("n"))
        .where(col(Contact.deleted_at).is_(None), col(Contact.vindplek_id).is_not(None))
        .group_by(col(Contact.vindplek_id))
        .subquery()
    )
    q = (
        select(Vindplek, Municipality.name, func.coalesce(used.c.n, 0))
        .join(Municipality, col(Municipality.id) == Vindplek.municipality_id)
        .outerjoin(used, used.c.vindplek_id == Vindplek.id)
        .order_by(col(Municipality.name), col(Vindplek.name))
    )
    if municipality_id is not None:
        q = q.where(Vindplek.municipality_id == municipality_id)
    rows = (await s.exec(q)).all()
    return [
        Place(id_of(v), v.municipality_id, m, v.name, v.address, v.active, int(n))
        for v, m, n in rows
    ]


_place_state = audit.columns("name", "address", "active")


async def _place(s: AsyncSession, place_id: int) -> Vindplek:
    row = await s.get(Vindplek, place_id)
    if row is None:
        raise ListError(f"no vindplek {place_id}")
    return row


async def change_place(
    s: AsyncSession,
    place_id: int,
    *,
    actor_id: int | None,
    now: datetime,
    name: str | None = None,
    address: str | None = None,
    active: bool | None = None,
) -> Vindplek:
    row = await _place(s, place_id)
    before = _place_state(row)
    if name is not None:
        name = name.strip()[: dl.MAX_PLACE]
        await _refuse_taken(
            s,
            Vindplek,
            Vindplek.name,
            name,
            place_id,
            Vindplek.municipality_id == row.municipality_id,
        )
        row.name = name
    if address is not None:
        row.address = address[: dl.MAX_ADDRESS] or None
    if active is not None:
        row.active = active
    await _save_edit(s, row, "vindplek", place_id, before, _place_state(row), actor_id, now)
    return row


async def merge_places(
    s: AsyncSession, source_id: int, survivor_id: int, *, actor_id: int | None, now: datetime
) -> int:
    """Move every contact of `source` to `survivor` (same municipality) and retire `source`.
    Returns how many contacts moved."""
    source, survivor = await _place(s, source_id), await _place(s, survivor_id)
    if source_id == survivor_id or source.municipality_id != survivor.municipality_id:
        raise ListError("merge two different vindplekken of one municipality")
    moved = await s.exec(
        update(Contact).where(col(Contact.vindplek_id) == source_id).values(vindplek_id=survivor_id)
    )
    source.active = False
    s.add(source)
    await s.flush()
    audit.record(
        s,
        actor_id,
        now,
        "vindplek",
        source_id,
        "merge",
        {"name": source.name, "contacts": moved.rowcount},
        {"into_id": survivor_id, "into": survivor.name, "active": False},
    )
    await bump(s)
    return int(moved.rowcount or 0)


# --------------------------------------------------------------------------- the file


async def export_document(s: AsyncSession) -> str:
    vocab = {
        kind: [dl.VocabLine(i.code, i.label, i.aliases, i.active, 0) for i in await items(s, kind)]
        for kind in dl.VOCAB_KINDS
    }
    places_ = [
        dl.PlaceLine(p.municipality, p.name, p.address, p.active, 0) for p in await places(s)
    ]
    return dl.dump(vocab, places_)


@dataclass
class ImportResult:
    added: int = 0
    changed: int = 0
    unchanged: int = 0


async def import_document(
    s: AsyncSession, doc: dl.Document, *, actor_id: int | None, now: datetime
) -> ImportResult:
    """Apply a checked file in the caller's transaction: items by code (new codes added),
    vindplekken by municipality and name. Nothing is removed. A problem that only the database
    can see (an unknown municipality, a label taken by another code) raises ListFileError
    with the line, and the caller rolls everything back."""
    result = ImportResult()
    for kind, lines in doc.vocab.items():
        model = _model(kind)
        by_code = {r.code: r for r in (await s.exec(select(model))).all()}
        for line in lines:
            row = by_code.get(line.code) if line.code else None
            try:
                if row is None:
                    await add_item(
                        s,
                        kind,
                        line.label,
                        line.aliases,
                        actor_id=actor_id,
                        now=now,
                        code=line.code,
                        active=line.active,
                    )
                    result.added += 1
                    continue
                before = _vocab_state(row)
                await change_item(
                    s,
                    kind,
                    id_of(row),
                    actor_id=actor_id,
                    now=now,
                    label=line.label,
                    aliases=line.aliases,
                    active=line.active,
                )
                if _vocab_state(row) == before:
                    result.unchanged += 1
                else:
                    result.changed += 1
            except ListError as exc:
                raise dl.ListFileError(line.line, str(exc)) from None
    munis = {m.name.lower(): m for m in (await s.exec(select(Municipality))).all()}
    for p in doc.places:
        muni = munis.get(p.municipality.lower())
        if muni is None:
            raise dl.ListFileError(p.line, f"unknown gemeente '{p.municipality}'")
        place = (
            await s.exec(
                select(Vindplek).where(
                    Vindplek.municipality_id == muni.id,
                    func.lower(Vindplek.name) == p.name.lower(),
                )
            )
        ).first()
        if place is None:
            place = Vindplek(
                municipality_id=id_of(muni), name=p.name, address=p.address, active=p.active
            )
            s.add(place)
            await s.flush()
            state = _place_state(place)
            audit.record(s, actor_id, now, "vindplek", id_of(place), "create", None, state)
            await bump(s)
            result.added += 1
            continue
        before = _place_state(place)
        await change_place(
            s, id_of(place), actor_id=actor_id, now=now, address=p.address or "", active=p.active
        )
        if _place_state(place) == before:
            result.unchanged += 1
        else:
            result.changed += 1
    return result
