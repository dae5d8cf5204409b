"""Deelopdrachten: read, create, change, end; their measures and reporting moments; and the
file (`bot.domain.deel_spec`) in and out. Every change is audited (entities "deelopdracht",
"deelopdracht_measure", "deelopdracht_moment") and bumps the list version, so the contact
dialogue's cached deelopdrachten are read again at once, also in another process.

Everything runs in the caller's transaction (the file: `bot.storage.deel_file`). Writes are
idempotent: a change to the same values writes nothing; a measure is removed by a soft delete
(`deleted_at`), a reporting moment on a date that is there is not added twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain import deel_values as dv
from bot.storage import audit, lists, rows
from bot.storage.models import (
    AuditLog,
    Deelopdracht,
    DeelopdrachtMeasure,
    DeelopdrachtMoment,
    Municipality,
    Vindplek,
    id_of,
)
from bot.storage.query_helpers import as_date

ENTITY = "deelopdracht"
MEASURE = "deelopdracht_measure"
MOMENT = "deelopdracht_moment"
# The columns that are plain values (no reference or short name to resolve): a file
# (`bot.storage.deel_file`) holds them as they are, read into the row and written back out.
PLAIN_COLUMNS = (
    "title",
    "starts_on",
    "ends_on",
    "goals",
    "monitoring",
    "frequency",
    "accounting",
    "followup_weeks",
    "active",
)
# The columns a coordinator may set directly (edit), besides the measures and moments.
FIELDS = ("municipality_id", "code", *PLAIN_COLUMNS)


class DeelError(ValueError):
    """A change that the data does not allow (a short name taken, an unknown id)."""


@dataclass(frozen=True)
class Summary:
    id: int
    municipality_id: int
    code: str
    title: str
    starts_on: date | None
    ends_on: date | None
    active: bool

    def ended(self, today: date) -> bool:
        return not self.active or (self.ends_on is not None and self.ends_on < today)


@dataclass(frozen=True)
class Measure:
    id: int
    position: int
    kind: str
    label: str
    target: float
    window_months: int | None
    filter: dict[str, list[Any]]


@dataclass(frozen=True)
class Detail:
    row: Deelopdracht
    municipality: str
    measures: list[Measure]
    moments: list[date]
    vindplek_names: dict[int, str]  # of the filters' ids

    @property
    def id(self) -> int:
        return id_of(self.row)

    def ended(self, today: date) -> bool:
        return _summary(self.row).ended(today)


def _summary(d: Deelopdracht) -> Summary:
    return Summary(id_of(d), d.municipality_id, d.code, d.title, d.starts_on, d.ends_on, d.active)


async def by_municipality(s: AsyncSession, municipality_id: int) -> list[Summary]:
    """A municipality's deelopdrachten, running ones first, then by start."""
    rows = (
        await s.exec(
            select(Deelopdracht)
            .where(Deelopdracht.municipality_id == municipality_id)
            .order_by(
                col(Deelopdracht.active).desc(),
                col(Deelopdracht.starts_on),
                col(Deelopdracht.id),
            )
        )
    ).all()
    return [_summary(d) for d in rows]


async def counts(s: AsyncSession) -> dict[int, int]:
    """How many deelopdrachten each municipality has (ended ones too)."""
    rows = (
        await s.exec(
            select(Deelopdracht.municipality_id, func.count()).group_by(
                col(Deelopdracht.municipality_id)
            )
        )
    ).all()
    return {int(m): int(n) for m, n in rows}


async def codes(s: AsyncSession) -> set[str]:
    return set((await s.exec(select(Deelopdracht.code))).all())


async def by_code(s: AsyncSession, code: str) -> Deelopdracht | None:
    return (
        await s.exec(select(Deelopdracht).where(Deelopdracht.code == dv.normal_code(code)))
    ).first()


async def _row(s: AsyncSession, deel_id: int) -> Deelopdracht:
    row = await s.get(Deelopdracht, deel_id)
    if row is None:
        raise DeelError(f"no deelopdracht {deel_id}")
    return row


async def measure_rows(s: AsyncSession, deel_id: int) -> list[DeelopdrachtMeasure]:
    return list(
        (
            await s.exec(
                select(DeelopdrachtMeasure)
                .where(
                    DeelopdrachtMeasure.deelopdracht_id == deel_id,
                    col(DeelopdrachtMeasure.deleted_at).is_(None),
                )
                .order_by(col(DeelopdrachtMeasure.position), col(DeelopdrachtMeasure.id))
            )
        ).all()
    )


async def moment_rows(s: AsyncSession, deel_id: int) -> list[DeelopdrachtMoment]:
    return list(
        (
            await s.exec(
                select(DeelopdrachtMoment)
                .where(DeelopdrachtMoment.deelopdracht_id == deel_id)
                .order_by(col(DeelopdrachtMoment.on_date))
            )
        ).all()
    )


async def detail(s: AsyncSession, deel_id: int) -> Detail | None:
    row = await s.get(Deelopdracht, deel_id)
    if row is None:
        return None
    muni = await s.get(Municipality, row.municipality_id)
    measures = [
        Measure(id_of(m), m.position, m.kind, m.label, m.target, m.window_months, m.filter or {})
        for m in await measure_rows(s, deel_id)
    ]
    place_ids = {i for m in measures for i in m.filter.get(dv.VINDPLEK, [])}
    names: dict[int, str] = {}
    if place_ids:
        rows = await s.exec(select(Vindplek).where(col(Vindplek.id).in_(place_ids)))
        names = {id_of(v): v.name for v in rows.all()}
    moments = [m.on_date for m in await moment_rows(s, deel_id)]
    return Detail(row, muni.name if muni else "?", measures, moments, names)


# --------------------------------------------------------------------------- changes


async def _refuse_taken_code(s: AsyncSession, code: str, own_id: int | None) -> None:
    clash = await by_code(s, code)
    if clash is not None and clash.id != own_id:
        raise DeelError(f"code {code!r} is taken")


async def create(
    s: AsyncSession,
    municipality_id: int,
    code: str,
    title: str,
    starts_on: date | None,
    ends_on: date | None,
    *,
    actor_id: int | None,
    now: datetime,
    **values: Any,
) -> Deelopdracht:
    code = dv.normal_code(code)
    await _refuse_taken_code(s, code, None)
    row = Deelopdracht(
        municipality_id=municipality_id,
        code=code,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        created_at=now,
        updated_at=now,
        **values,
    )
    await audit.create(s, row, now, actor_id=actor_id, entity=ENTITY)
    await lists.bump(s)
    return row


async def change(
    s: AsyncSession, deel_id: int, *, actor_id: int | None, now: datetime, **changes: Any
) -> Deelopdracht:
    """Set some of FIELDS; nothing is written (or audited) when nothing changes."""
    row = await _row(s, deel_id)
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise DeelError(f"not a field: {sorted(unknown)}")
    if "code" in changes:
        changes["code"] = dv.normal_code(changes["code"])
        await _refuse_taken_code(s, changes["code"], deel_id)
    real = {k: v for k, v in changes.items() if getattr(row, k) != v}
    if real:
        await audit.change(s, row, real, now, actor_id=actor_id, entity=ENTITY)
        await lists.bump(s)
    return row


async def end(
    s: AsyncSession, deel_id: int, on: date, *, actor_id: int | None, now: datetime
) -> None:
    """End a deelopdracht: it stops on `on` (or its earlier end). Contacts dated after that
    can't choose it; back-dated ones from inside its period still can
    (`contact_deel.takes_contacts_on`)."""
    row = await _row(s, deel_id)
    ends_on = on if row.ends_on is None or row.ends_on > on else row.ends_on
    await change(s, deel_id, actor_id=actor_id, now=now, ends_on=ends_on, active=False)


async def planned_end(s: AsyncSession, deel_id: int) -> date | None:
    """The end date an ended deelopdracht had before it was ended (from the audit trail of its
    last ending), else its own end date: what reopening may offer."""
    row = await _row(s, deel_id)
    trail = (
        await s.exec(
            select(AuditLog)
            .where(AuditLog.entity == ENTITY, AuditLog.entity_id == deel_id)
            .order_by(col(AuditLog.at).desc(), col(AuditLog.id).desc())
        )
    ).all()
    for entry in trail:
        before, after = entry.before or {}, entry.after or {}
        if before.get("active") and after.get("active") is False:
            planned = before.get("ends_on")
            return date.fromisoformat(planned) if isinstance(planned, str) else None
    return as_date(row.ends_on)


async def reopen(
    s: AsyncSession, deel_id: int, ends_on: date, *, actor_id: int | None, now: datetime
) -> None:
    """Let an ended deelopdracht run again until `ends_on`: it is offered to the experts again
    (ended by mistake, or extended after its end). Audited as a change, like `end`."""
    await change(s, deel_id, actor_id=actor_id, now=now, ends_on=ends_on, active=True)


def clean_filter(filter_: dict[str, list[Any]]) -> dict[str, list[Any]] | None:
    out = {k: list(filter_[k]) for k in dv.FILTER_KEYS if filter_.get(k)}
    return out or None


async def add_measure(
    s: AsyncSession,
    deel_id: int,
    kind: str,
    target: float,
    *,
    window_months: int | None,
    filter_: dict[str, list[Any]],
    label: str = "",
    actor_id: int | None,
    now: datetime,
) -> DeelopdrachtMeasure:
    """Add a measure at the end (`filter_` holds codes and vindplek ids)."""
    await _row(s, deel_id)
    current = await measure_rows(s, deel_id)
    row = DeelopdrachtMeasure(
        deelopdracht_id=deel_id,
        position=max((m.position for m in current), default=-1) + 1,
        kind=kind,
        label=label,
        target=target,
        window_months=window_months,
        filter=clean_filter(filter_),
    )
    await audit.create(s, row, now, actor_id=actor_id, entity=MEASURE)
    await lists.bump(s)
    return row


async def _edit_measure(
    s: AsyncSession,
    deel_id: int,
    measure_id: int,
    changes: dict[str, Any],
    action: str,
    *,
    actor_id: int | None,
    now: datetime,
) -> bool:
    """Set ``changes`` on one live measure, audited as ``action``; False when it is gone (an
    old button). Nothing is written when nothing changes."""
    row = await rows.live(s, DeelopdrachtMeasure, measure_id, deelopdracht_id=deel_id)
    if row is None:
        return False
    if all(getattr(row, k) == v for k, v in changes.items()):
        return True
    before = audit.snapshot(row)
    for key, value in changes.items():
        setattr(row, key, value)
    s.add(row)
    await s.flush()
    audit.record(s, actor_id, now, MEASURE, measure_id, action, before, audit.snapshot(row))
    await lists.bump(s)
    return True


async def remove_measure(
    s: AsyncSession, deel_id: int, measure_id: int, *, actor_id: int | None, now: datetime
) -> bool:
    """Soft-delete one measure; False when it was already gone (an old button)."""
    changes = {"deleted_at": now}
    return await _edit_measure(
        s, deel_id, measure_id, changes, "delete", actor_id=actor_id, now=now
    )


async def change_target(
    s: AsyncSession,
    deel_id: int,
    measure_id: int,
    target: float,
    *,
    actor_id: int | None,
    now: datetime,
) -> bool:
    """Set one measure's target (its progress is worked out from the contacts, so nothing
    else changes); False when the measure is gone (an old button). Audited."""
    changes = {"target": target}
    return await _edit_measure(s, deel_id, measure_id, changes, "edit", actor_id=actor_id, now=now)


async def add_moment(
    s: AsyncSession, deel_id: int, on: date, *, actor_id: int | None, now: datetime
) -> bool:
    """Add a reporting moment; False when that date is there already."""
    await _row(s, deel_id)
    if any(m.on_date == on for m in await moment_rows(s, deel_id)):
        return False
    await audit.create(
        s,
        DeelopdrachtMoment(deelopdracht_id=deel_id, on_date=on),
        now,
        actor_id=actor_id,
        entity=MOMENT,
    )
    return True


async def remove_moment(
    s: AsyncSession, deel_id: int, on: date, *, actor_id: int | None, now: datetime
) -> bool:
    row = next((m for m in await moment_rows(s, deel_id) if m.on_date == on), None)
    if row is None:
        return False
    before = audit.snapshot(row)
    await s.delete(row)
    await s.flush()
    audit.record(s, actor_id, now, MOMENT, id_of(row), "delete", before, None)
    return True
