"""The fair-share ledger's settings (budget per year, MGR key per date, agreed deviations),
each change audited, and the ledger year to date (`bot.domain.ledger.compute`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain import ledger as dl
from bot.storage import audit, rows
from bot.storage.models import (
    Contact,
    IndirectHours,
    LedgerYear,
    MgrKey,
    Municipality,
    ShareDeviation,
    id_of,
)

_year_state = audit.columns("budget_hours", "budget_euros", "hourly_rate", "spread_regional")


async def set_budget(
    s: AsyncSession,
    year: int,
    *,
    actor_id: int | None,
    now: datetime,
    hours: float | None = None,
    euros: float | None = None,
    rate: float | None = None,
    spread: bool | None = None,
) -> LedgerYear:
    """Set the year's budget (hours, or euros with an hourly rate) and/or the spread flag."""
    row = await s.get(LedgerYear, year)
    before = _year_state(row) if row is not None else None
    if row is None:
        row = LedgerYear(year=year, updated_at=now)
    if hours is not None:
        row.budget_hours, row.budget_euros, row.hourly_rate = hours, None, None
    elif euros is not None:
        if not rate:
            raise ValueError("a budget in euros needs an hourly rate")
        row.budget_hours, row.budget_euros, row.hourly_rate = None, euros, rate
    if spread is not None:
        row.spread_regional = spread
    row.updated_at = now
    s.add(row)
    await s.flush()
    if _year_state(row) != before:
        action = "create" if before is None else "edit"
        audit.record(s, actor_id, now, "ledger_year", year, action, before, _year_state(row))
    return row


async def set_key(
    s: AsyncSession,
    municipality_id: int,
    valid_from: date,
    pct: float,
    *,
    actor_id: int | None,
    now: datetime,
) -> MgrKey:
    """A municipality's key from a date on (replaces a key set for that same date)."""
    if not 0 <= pct <= 100:
        raise ValueError("a key is a percentage between 0 and 100")
    row = (
        await s.exec(
            select(MgrKey).where(
                MgrKey.municipality_id == municipality_id, MgrKey.valid_from == valid_from
            )
        )
    ).first()
    before = None if row is None else {"pct": row.pct, "valid_from": str(row.valid_from)}
    if row is None:
        row = MgrKey(municipality_id=municipality_id, valid_from=valid_from, pct=pct)
    row.pct = pct
    s.add(row)
    await s.flush()
    after = {"pct": pct, "valid_from": str(valid_from), "municipality_id": municipality_id}
    audit.record(
        s, actor_id, now, "mgr_key", id_of(row), "edit" if before else "create", before, after
    )
    return row


async def add_deviation(
    s: AsyncSession,
    municipality_id: int,
    starts_on: date,
    ends_on: date,
    hours: float,
    reason: str,
    *,
    actor_id: int | None,
    now: datetime,
) -> ShareDeviation:
    if ends_on < starts_on:
        raise ValueError("a deviation ends on or after its first day")
    row = ShareDeviation(
        municipality_id=municipality_id,
        starts_on=starts_on,
        ends_on=ends_on,
        hours=hours,
        reason=reason[:300],
        created_by_id=actor_id,
        created_at=now,
    )
    s.add(row)
    await s.flush()
    after = {
        "municipality_id": municipality_id,
        "starts_on": str(starts_on),
        "ends_on": str(ends_on),
        "hours": hours,
        "reason": row.reason,
    }
    audit.record(s, actor_id, now, "share_deviation", id_of(row), "create", None, after)
    return row


async def remove_deviation(
    s: AsyncSession, deviation_id: int, *, actor_id: int | None, now: datetime
) -> bool:
    row = await rows.live(s, ShareDeviation, deviation_id)
    if row is None:
        return False
    row.deleted_at = now
    s.add(row)
    audit.record(
        s, actor_id, now, "share_deviation", deviation_id, "delete", {"hours": row.hours}, None
    )
    return True


async def _minutes(s: AsyncSession, model: Any, start: date, end: date) -> dict[int | None, int]:
    rows = (
        await s.exec(
            select(model.municipality_id, func.sum(model.duration_minutes))
            .where(
                col(model.work_date) >= start,
                col(model.work_date) <= end,
                col(model.deleted_at).is_(None),
            )
            .group_by(model.municipality_id)
        )
    ).all()
    return {mid: int(total or 0) for mid, total in rows}


async def load(s: AsyncSession, as_of: date) -> dl.Ledger | None:
    """The ledger of `as_of`'s year, from 1 January to `as_of`; None when no budget is set."""
    year = as_of.year
    setting = await s.get(LedgerYear, year)
    if setting is None:
        return None
    budget = dl.budget_hours(setting.budget_hours, setting.budget_euros, setting.hourly_rate)
    if budget is None:
        return None
    munis = [
        (id_of(m), m.name, m.mgr_key_pct)
        for m in (
            await s.exec(
                select(Municipality).where(Municipality.active).order_by(Municipality.name)
            )
        ).all()
    ]
    keys: dict[int, list[dl.KeyChange]] = {}
    for k in (await s.exec(select(MgrKey).order_by(col(MgrKey.valid_from)))).all():
        keys.setdefault(k.municipality_id, []).append(dl.KeyChange(k.valid_from, k.pct))
    start = date(year, 1, 1)
    deviations = [
        dl.Deviation(d.municipality_id, d.starts_on, d.ends_on, d.hours, d.reason)
        for d in (
            await s.exec(
                select(ShareDeviation).where(
                    col(ShareDeviation.deleted_at).is_(None),
                    col(ShareDeviation.starts_on) <= as_of,
                    col(ShareDeviation.ends_on) >= start,
                )
            )
        ).all()
    ]
    minutes = await _minutes(s, Contact, start, as_of)
    for mid, m in (await _minutes(s, IndirectHours, start, as_of)).items():
        minutes[mid] = minutes.get(mid, 0) + m
    return dl.compute(
        year=year,
        as_of=as_of,
        budget=budget,
        municipalities=munis,
        keys=keys,
        deviations=deviations,
        realised_minutes=minutes,
        spread=setting.spread_regional,
    )
