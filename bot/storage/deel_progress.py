"""Live progress of deelopdracht measures, counted in SQL on any date.

`progress(s, id, as_of)` / `progress_many(s, ids, as_of)` read the deelopdrachten and their live
measures (two queries), then count every measure in one statement of scalar subqueries (per
40 measures), the same SQL on SQLite and PostgreSQL. Windows, pace and status are
`bot.domain.measures`.

What counts, per measure (its window: see `bot.domain.measures`):

* contacts: live contacts (`deleted_at IS NULL`) logged under the deelopdracht
  (`contact.deelopdracht_id`), `work_date` in the window and ≤ `as_of`, passing the filter:
  activity, reach and theme codes, vindplek ids, referral codes (a contact passes a referral
  filter when one of its referrals, `contact_referral`, is to one of those targets). An absent
  or empty key filters nothing.
* new_residents = SUM(residents_new); residents = SUM(residents_count); contacts = COUNT;
  hours = SUM(duration_minutes) / 60; referrals = contacts with at least one referral (to the
  filter's targets, when given): each contact once, however many referrals it has.
* key_figures: key figures with quality "goed", active on the day counted (`since` ≤ day,
  `ended_on` empty or after it, not deleted); the day is `as_of`, or the window's end when
  that came first. Which key figures: those registered under the deelopdracht; when it has none
  (no live key figure linked to it at all), those of its municipality that are linked to no
  deelopdracht (a key figure of another deelopdracht belongs to that one). A vindplek filter
  applies to them too; the other filter keys do not (key figures have no activity or theme).
* non_use_known (percent) = 100 × new residents of contacts whose reasons for non-use are
  known (`non_use_known` true) / new residents of all counted contacts with new residents.
  A contact answered "weet ik niet" (false) and a contact that was never asked (NULL: logged
  before the question existed, or without it) count in the base: "known for 80 %" means known,
  and not asking is not knowing.
* went_on (percent) = 100 × residents who went on (`contact_followup.went_on`) / new residents
  of the counted contacts whose follow-up was answered with a number by the end of `as_of`
  (Europe/Amsterdam). A follow-up not answered yet, or answered "weet ik niet" (went_on NULL),
  is left out of both: it tells nothing yet. A count above the contact's new residents is
  capped at it, so the share never exceeds 100 %.
* A percentage of an empty base is None ("nog geen gegevens").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy import and_, case, exists, func, or_, select
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.measures import (
    DeelProgress,
    MeasureProgress,
    Window,
    make_progress,
    measure_window,
)
from bot.storage.models import (
    ActivityType,
    Contact,
    ContactFollowup,
    ContactReferral,
    ContactTheme,
    Deelopdracht,
    DeelopdrachtMeasure,
    DeelopdrachtMoment,
    KeyFigure,
    KeyFigureQuality,
    MeasureKind,
    Municipality,
    ReachChannel,
    ReferralTarget,
    Theme,
    table_of,
)
from bot.storage.query_helpers import as_date, core

__all__ = [
    "DeelInfo",
    "DueMoment",
    "active_progress",
    "due_moments",
    "mark_reminded",
    "progress",
    "progress_many",
]

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# Measures counted per statement (each is one or two scalar subqueries).
CHUNK = 40


@dataclass(frozen=True)
class DeelInfo:
    id: int
    municipality_id: int
    starts_on: date | None
    ends_on: date | None


@dataclass(frozen=True)
class _Measure:
    id: int
    deelopdracht_id: int
    kind: str
    label: str
    target: float
    window_months: int | None
    filter: dict[str, Any]


async def progress(
    s: AsyncSession, deelopdracht_id: int, as_of: date, tz: ZoneInfo = AMSTERDAM
) -> list[MeasureProgress]:
    """The progress of one deelopdracht's live measures on `as_of`, in their order."""
    return (await progress_many(s, [deelopdracht_id], as_of, tz)).get(deelopdracht_id, [])


async def progress_many(
    s: AsyncSession, ids: Iterable[int], as_of: date, tz: ZoneInfo = AMSTERDAM
) -> dict[int, list[MeasureProgress]]:
    """Per deelopdracht id (every id asked for that exists), its measures' progress."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    d = table_of(Deelopdracht).c
    deels = {
        r.id: DeelInfo(r.id, r.municipality_id, as_date(r.starts_on), as_date(r.ends_on))
        for r in (
            await core(
                s,
                select(d.id, d.municipality_id, d.starts_on, d.ends_on).where(d.id.in_(wanted)),
            )
        ).all()
    }
    m = table_of(DeelopdrachtMeasure).c
    measures = [
        _Measure(
            r.id,
            r.deelopdracht_id,
            r.kind,
            r.label or "",
            float(r.target),
            r.window_months,
            r.filter or {},
        )
        for r in (
            await core(
                s,
                select(
                    m.id, m.deelopdracht_id, m.kind, m.label, m.target, m.window_months, m.filter
                )
                .where(m.deelopdracht_id.in_(list(deels)), m.deleted_at.is_(None))
                .order_by(m.deelopdracht_id, m.position, m.id),
            )
        ).all()
    ]
    answered_before = datetime.combine(as_of + timedelta(days=1), time(0), tzinfo=tz)
    values: dict[int, float | None] = {}
    bases: dict[int, float] = {}
    for k in range(0, len(measures), CHUNK):
        chunk = measures[k : k + CHUNK]
        columns: list[Any] = []
        for ms in chunk:
            deel = deels[ms.deelopdracht_id]
            window = measure_window(deel.starts_on, deel.ends_on, ms.window_months)
            columns += _value_columns(ms, deel, window, as_of, answered_before)
        row = (await core(s, select(*columns))).one()
        i = 0
        for ms in chunk:
            if ms.kind in PERCENT_KINDS:
                num, den = row[i], row[i + 1]
                i += 2
                bases[ms.id] = float(den or 0)
                values[ms.id] = 100.0 * float(num or 0) / float(den) if den else None
            else:
                raw = float(row[i] or 0)
                i += 1
                values[ms.id] = raw / 60 if ms.kind == MeasureKind.hours else raw
    out: dict[int, list[MeasureProgress]] = {i: [] for i in deels}
    for ms in measures:
        deel = deels[ms.deelopdracht_id]
        out[ms.deelopdracht_id].append(
            make_progress(
                measure_id=ms.id,
                kind=ms.kind,
                label=ms.label,
                target=ms.target,
                value=values[ms.id],
                starts_on=deel.starts_on,
                ends_on=deel.ends_on,
                window_months=ms.window_months,
                as_of=as_of,
                base=bases.get(ms.id),
            )
        )
    return out


PERCENT_KINDS = frozenset({MeasureKind.non_use_known.value, MeasureKind.went_on.value})


def _codes(filt: dict[str, Any], key: str) -> list[Any]:
    v = filt.get(key) or []
    return list(v) if isinstance(v, list | tuple) else [v]


def _ids_of(model: type[SQLModel], codes: Sequence[str]) -> sa.Select[Any]:
    v = table_of(model).c
    return select(v.id).where(v.code.in_([str(x) for x in codes]))


def _contact_filter(
    ms: _Measure, deel: DeelInfo, window: Window, as_of: date
) -> list[sa.ColumnElement[bool]]:
    c = table_of(Contact).c
    conds: list[sa.ColumnElement[bool]] = [
        c.deelopdracht_id == deel.id,
        c.deleted_at.is_(None),
        c.work_date <= window.count_until(as_of),
    ]
    if window.start is not None:
        conds.append(c.work_date >= window.start)
    f = ms.filter
    if codes := _codes(f, "activity"):
        conds.append(c.activity_type_id.in_(_ids_of(ActivityType, codes)))
    if codes := _codes(f, "reach"):
        conds.append(c.reach_channel_id.in_(_ids_of(ReachChannel, codes)))
    if codes := _codes(f, "theme"):
        ct = table_of(ContactTheme).c
        conds.append(exists().where(ct.contact_id == c.id, ct.theme_id.in_(_ids_of(Theme, codes))))
    if ids := _codes(f, "vindplek"):
        conds.append(c.vindplek_id.in_([int(x) for x in ids]))
    if ms.kind == MeasureKind.referrals or _codes(f, "referral"):
        cr = table_of(ContactReferral).c
        ref = [cr.contact_id == c.id]
        if codes := _codes(f, "referral"):
            ref.append(cr.referral_target_id.in_(_ids_of(ReferralTarget, codes)))
        conds.append(exists().where(*ref))
    return conds


def _value_columns(
    ms: _Measure, deel: DeelInfo, window: Window, as_of: date, answered_before: datetime
) -> list[Any]:
    """The scalar subqueries that count `ms` (two for a percentage: numerator, base)."""
    c = table_of(Contact).c
    kind = ms.kind
    if kind == MeasureKind.key_figures:
        return [_key_figures(ms, deel, window, as_of)]
    conds = _contact_filter(ms, deel, window, as_of)
    zero = sa.literal(0)
    if kind == MeasureKind.non_use_known:
        with_new = [*conds, c.residents_new > 0]
        num = select(func.coalesce(func.sum(c.residents_new), zero)).where(
            *with_new, c.non_use_known.is_(True)
        )
        den = select(func.coalesce(func.sum(c.residents_new), zero)).where(*with_new)
        return [num.scalar_subquery(), den.scalar_subquery()]
    if kind == MeasureKind.went_on:
        f = table_of(ContactFollowup).c
        joined = table_of(Contact).join(table_of(ContactFollowup), f.contact_id == c.id)
        answered = [
            *conds,
            c.residents_new > 0,
            f.answered_at.is_not(None),
            f.answered_at < answered_before,
            f.went_on.is_not(None),
        ]
        capped = case((f.went_on > c.residents_new, c.residents_new), else_=f.went_on)
        num = select(func.coalesce(func.sum(capped), zero)).select_from(joined).where(*answered)
        den = (
            select(func.coalesce(func.sum(c.residents_new), zero))
            .select_from(joined)
            .where(*answered)
        )
        return [num.scalar_subquery(), den.scalar_subquery()]
    what: Any
    if kind == MeasureKind.new_residents:
        what = func.coalesce(func.sum(c.residents_new), zero)
    elif kind == MeasureKind.residents:
        what = func.coalesce(func.sum(c.residents_count), zero)
    elif kind == MeasureKind.hours:
        what = func.coalesce(func.sum(c.duration_minutes), zero)
    else:  # contacts, referrals (the referral condition is in the filter)
        what = func.count()
    return [select(what).where(*conds).scalar_subquery()]


def _key_figures(ms: _Measure, deel: DeelInfo, window: Window, as_of: date) -> Any:
    k = table_of(KeyFigure).c
    day = window.count_until(as_of)
    k2 = table_of(KeyFigure).alias("linked")
    has_linked = exists().where(k2.c.deelopdracht_id == deel.id, k2.c.deleted_at.is_(None))
    whose = or_(
        k.deelopdracht_id == deel.id,
        and_(
            ~has_linked,
            k.deelopdracht_id.is_(None),
            k.municipality_id == deel.municipality_id,
        ),
    )
    conds: list[sa.ColumnElement[bool]] = [
        whose,
        k.deleted_at.is_(None),
        k.quality == KeyFigureQuality.good.value,
        k.since <= day,
        or_(k.ended_on.is_(None), k.ended_on > day),
    ]
    if ids := _codes(ms.filter, "vindplek"):
        conds.append(k.vindplek_id.in_([int(x) for x in ids]))
    return select(func.count()).select_from(table_of(KeyFigure)).where(*conds).scalar_subquery()


# --------------------------------------------------------------------------- reporting moments


@dataclass(frozen=True)
class DueMoment:
    id: int
    deelopdracht_id: int
    on_date: date
    title: str
    municipality: str


async def due_moments(s: AsyncSession, today: date, days_ahead: int) -> list[DueMoment]:
    """Reporting moments from `today` up to `days_ahead` days later, of active deelopdrachten,
    whose coordinators were not all reminded yet (`reminded_at` empty)."""
    mo = table_of(DeelopdrachtMoment).c
    d = table_of(Deelopdracht).c
    mu = table_of(Municipality).c
    rows = (
        await core(
            s,
            select(mo.id, mo.deelopdracht_id, mo.on_date, d.title, mu.name)
            .select_from(
                table_of(DeelopdrachtMoment)
                .join(table_of(Deelopdracht), d.id == mo.deelopdracht_id)
                .join(table_of(Municipality), mu.id == d.municipality_id)
            )
            .where(
                mo.reminded_at.is_(None),
                d.active,
                mo.on_date >= today,
                mo.on_date <= today + timedelta(days=days_ahead),
            )
            .order_by(mo.on_date, mo.id),
        )
    ).all()
    return [
        DueMoment(r.id, r.deelopdracht_id, as_date(r.on_date) or today, r.title, r.name)
        for r in rows
    ]


async def mark_reminded(s: AsyncSession, moment_id: int, now: datetime) -> bool:
    """Record that every coordinator has the moment's reminder; True for the one pass that
    did (a conditional update: never overwritten)."""
    mo = table_of(DeelopdrachtMoment).c
    res = await core(
        s,
        sa.update(table_of(DeelopdrachtMoment))
        .where(mo.id == moment_id, mo.reminded_at.is_(None))
        .values(reminded_at=now),
    )
    return bool(res.rowcount == 1)


async def active_progress(
    s: AsyncSession, first: date, last: date, as_of: date, tz: ZoneInfo = AMSTERDAM
) -> list[DeelProgress]:
    """Active deelopdrachten whose period overlaps `first`..`last` (by municipality, title),
    each with its measures' progress on `as_of`: the weekly digest's lines."""
    d = table_of(Deelopdracht).c
    mu = table_of(Municipality).c
    rows = (
        await core(
            s,
            select(d.id, d.title, mu.name)
            .select_from(table_of(Deelopdracht).join(table_of(Municipality)))
            .where(
                d.active,
                or_(d.starts_on.is_(None), d.starts_on <= last),
                or_(d.ends_on.is_(None), d.ends_on >= first),
            )
            .order_by(mu.name, d.title, d.id),
        )
    ).all()
    if not rows:
        return []
    many = await progress_many(s, [r.id for r in rows], as_of, tz)
    return [DeelProgress(r.id, r.title, r.name, many.get(r.id, [])) for r in rows]
