"""SQL for the coordinator's digest and for reminders: aggregates and delivery bookkeeping.

Aggregates are done in SQL (GROUP BY), so the digest costs a handful of indexed range queries
whatever the size of the contact table. Deliveries are decided by unique rows, never by memory:

* `reminder_delivery` is unique per (user, local_date): an INSERT ... ON CONFLICT DO NOTHING
  claims a day; only the process whose insert went through sends.
* `digest_delivery` is unique per (recipient, kind, period): same claim. A claim that was never
  finished (a crash after the claim) is taken over by a later pass once its lease has expired.
* A claim is identified by its `claimed_at` (and, for digests, the owner). Right before sending,
  the sender renews it (`renew_*_claim`: a conditional update that also restarts the lease) and
  does not send when it is no longer its own; the outcome is written under the same condition.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult
from sqlalchemy.sql import Executable, Select
from sqlmodel import SQLModel, col
from sqlmodel import select as orm_select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.digest import (
    ExpertName,
    IsoWeek,
    LabelCount,
    MunicipalityWeek,
    Note,
    ThemeRow,
    WeekDigest,
    WeekTotals,
)
from bot.storage import deel_progress, ledger
from bot.storage.models import (
    ActivityType,
    Contact,
    ContactReferral,
    ContactTheme,
    DayOff,
    DigestDelivery,
    IndirectHours,
    Municipality,
    ReferralTarget,
    ReminderDelivery,
    Role,
    Signal,
    SignalKind,
    Story,
    Theme,
    User,
    table_of,
)

TREND_WEEKS = 4


def _insert(s: AsyncSession, table: sa.Table) -> Any:
    """A dialect INSERT that supports ON CONFLICT DO NOTHING (SQLite and PostgreSQL)."""
    name = s.get_bind().dialect.name
    return (postgresql.insert if name == "postgresql" else sqlite.insert)(table)


_Row = TypeVar("_Row")


async def _core(s: AsyncSession, stmt: Executable) -> CursorResult[*tuple[Any, ...]]:
    """Run a Core statement on the session's connection, in its transaction: what `s.exec`
    does at run time for a statement without ORM entities, typed."""
    conn = await s.connection()
    return await conn.execute(stmt)


# --------------------------------------------------------------------------- digest data


async def week_digest(s: AsyncSession, week: IsoWeek, tz: ZoneInfo) -> WeekDigest:
    """Everything the weekly digest shows, for ISO `week`, with a 4-week trend."""
    start, end = week.monday, week.sunday
    trend_start = week.shift(-(TREND_WEEKS - 1)).monday

    munis = (
        await s.exec(
            orm_select(col(Municipality.id), col(Municipality.name), col(Municipality.mgr_key_pct))
            .where(col(Municipality.active))
            .order_by(col(Municipality.name))
        )
    ).all()

    # Per municipality and day over the trend range; folded into weeks below (≤ 14 × 28 rows).
    c = table_of(Contact).c
    contact_rows = (
        await _core(
            s,
            select(
                c.municipality_id,
                c.work_date,
                func.sum(c.duration_minutes),
                func.count(),
                func.sum(c.residents_count),
                func.sum(c.residents_new),
            )
            .where(c.work_date >= trend_start, c.work_date <= end, c.deleted_at.is_(None))
            .group_by(c.municipality_id, c.work_date),
        )
    ).all()
    i = table_of(IndirectHours).c
    indirect_rows = (
        await _core(
            s,
            select(i.municipality_id, i.work_date, func.sum(i.duration_minutes))
            .where(i.work_date >= trend_start, i.work_date <= end, i.deleted_at.is_(None))
            .group_by(i.municipality_id, i.work_date),
        )
    ).all()

    per_muni: dict[int | None, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    per_week: dict[IsoWeek, list[int]] = defaultdict(lambda: [0, 0, 0])
    regional = 0
    for muni_id, day, minutes, n, residents, new in contact_rows:
        day = _as_date(day)
        wk = IsoWeek.of(day)
        tot = per_week[wk]
        tot[0] += int(minutes or 0)
        tot[1] += int(n or 0)
        tot[2] += int(residents or 0)
        if wk == week:
            row = per_muni[muni_id]
            row[0] += int(minutes or 0)
            row[2] += int(n or 0)
            row[3] += int(residents or 0)
            row[4] += int(new or 0)
    for muni_id, day, minutes in indirect_rows:
        day = _as_date(day)
        wk = IsoWeek.of(day)
        per_week[wk][0] += int(minutes or 0)
        if wk == week:
            if muni_id is None:
                regional += int(minutes or 0)
            else:
                per_muni[muni_id][1] += int(minutes or 0)

    municipalities = []
    for muni_id, name, key in munis:
        v = per_muni.get(muni_id, [0, 0, 0, 0, 0])
        municipalities.append(MunicipalityWeek(name, float(key or 0), v[0], v[1], v[2], v[3], v[4]))
    trend = []
    for k in range(TREND_WEEKS - 1, -1, -1):
        wk = week.shift(-k)
        v = per_week.get(wk, [0, 0, 0])
        trend.append((wk, WeekTotals(v[0], v[1], v[2])))

    # Week-only aggregates group by ids and take labels from the (small) vocabularies: a join
    # on the label table makes SQLite loop over the vocabulary and rescan the week each time.
    in_week = and_(c.work_date >= start, c.work_date <= end, c.deleted_at.is_(None))
    ct = table_of(ContactTheme).c
    pg = s.get_bind().dialect.name == "postgresql"
    if pg:
        # PostgreSQL estimates hashing all of contact_theme (1.5M rows at pool scale, ~250 ms)
        # cheaper than probing its primary key for the week's ~10k contacts (~30 ms); the
        # same holds for contact_referral.
        await _core(s, sa.text("SET LOCAL enable_hashjoin = off"))
    theme_rows = (
        await _core(
            s,
            select(
                ct.theme_id,
                func.count(),
                func.sum(c.residents_count),
                func.sum(c.residents_new),
            )
            .select_from(table_of(Contact).join(table_of(ContactTheme), ct.contact_id == c.id))
            .where(in_week)
            .group_by(ct.theme_id),
        )
    ).all()
    # Every referral of a contact (contact_referral), not only the first on the contact: per
    # target the week's contacts referred to it; the report counts them the same way.
    cr = table_of(ContactReferral).c
    ref_rows = (
        await _core(
            s,
            select(cr.referral_target_id, func.count())
            .select_from(table_of(Contact).join(table_of(ContactReferral), cr.contact_id == c.id))
            .where(in_week)
            .group_by(cr.referral_target_id),
        )
    ).all()
    if pg:
        await _core(s, sa.text("RESET enable_hashjoin"))
    mix_rows = (
        await _core(
            s,
            select(c.activity_type_id, func.count(), func.sum(c.duration_minutes))
            .where(in_week)
            .group_by(c.activity_type_id),
        )
    ).all()
    theme_labels = await _labels(s, Theme)
    activity_labels = await _labels(s, ActivityType)
    referral_labels = await _labels(s, ReferralTarget)
    act: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    ref: dict[int, int] = defaultdict(int)
    for act_id, n, minutes in mix_rows:
        act[act_id][0] += int(n)
        act[act_id][1] += int(minutes or 0)
    for ref_id, n in ref_rows:
        ref[ref_id] += int(n)

    def order(labels: dict[int, tuple[str, int]], n: int, key: int) -> tuple[int, int, int]:
        return (-n, labels.get(key, ("", 0))[1], key)

    themes = [
        (theme_labels.get(tid, ("?", 0))[0], n, r, nw)
        for tid, n, r, nw in sorted(theme_rows, key=lambda row: order(theme_labels, row[1], row[0]))
    ]
    activities = [
        (activity_labels.get(k, ("?", 0))[0], v[0], v[1])
        for k, v in sorted(act.items(), key=lambda kv: order(activity_labels, kv[1][0], kv[0]))
    ]
    referrals = [
        (referral_labels.get(k, ("?", 0))[0], v)
        for k, v in sorted(ref.items(), key=lambda kv: order(referral_labels, kv[1], kv[0]))
    ]

    signals = await _notes(s, Signal, start, end, with_kind=True)
    stories = await _notes(s, Story, start, end, with_kind=False)
    silent, blocked = await _silent_and_blocked(s, start, end, tz)

    return WeekDigest(
        week=week,
        municipalities=municipalities,
        regional_indirect_minutes=regional,
        themes=[ThemeRow(lbl, int(n), int(r or 0), int(nw or 0)) for lbl, n, r, nw in themes],
        activities=[LabelCount(lbl, int(n), int(m or 0)) for lbl, n, m in activities],
        referrals=[LabelCount(lbl, int(n)) for lbl, n in referrals],
        signals=signals,
        stories=stories,
        silent_experts=silent,
        blocked_experts=blocked,
        trend=trend,
        ledger=await ledger.load(s, week.sunday),
        deelopdrachten=await deel_progress.active_progress(s, start, end, end, tz),
    )


async def _labels(s: AsyncSession, model: type[SQLModel]) -> dict[int, tuple[str, int]]:
    t = table_of(model).c
    rows = (await _core(s, select(t.id, t.label, t.sort_order))).all()
    return {i: (label, order) for i, label, order in rows}


def _as_date(value: Any) -> date:
    # SQLite hands grouped dates back as strings.
    return value if isinstance(value, date) else date.fromisoformat(str(value))


async def _notes(
    s: AsyncSession, model: type[SQLModel], start: date, end: date, with_kind: bool
) -> list[Note]:
    t = table_of(model).c
    m = table_of(Municipality).c
    cols = [t.text, m.name]
    frm = table_of(model).outerjoin(table_of(Municipality), m.id == t.municipality_id)
    if with_kind:
        k = table_of(SignalKind).c
        cols.append(k.label)
        frm = frm.join(table_of(SignalKind), k.id == t.kind_id)
    rows = (
        await _core(
            s,
            select(*cols)
            .select_from(frm)
            .where(t.work_date >= start, t.work_date <= end, t.deleted_at.is_(None))
            .order_by(t.work_date, t.id),
        )
    ).all()
    return [
        Note(text=r[0], municipality=r[1] or "", kind=(r[2] if with_kind else "") or "")
        for r in rows
    ]


async def _silent_and_blocked(
    s: AsyncSession, start: date, end: date, tz: ZoneInfo
) -> tuple[list[ExpertName], list[ExpertName]]:
    u = table_of(User).c
    m = table_of(Municipality).c
    c = table_of(Contact).c
    i = table_of(IndirectHours).c
    # Someone who joined after the week ended cannot have been silent in it.
    week_over = datetime.combine(end + timedelta(days=1), time(0), tzinfo=tz)
    off = table_of(DayOff).c
    # "Niets te melden" is an answer too: only who left the week empty is silent.
    logged = or_(
        exists().where(
            c.expert_id == u.id, c.work_date >= start, c.work_date <= end, c.deleted_at.is_(None)
        ),
        exists().where(
            i.expert_id == u.id, i.work_date >= start, i.work_date <= end, i.deleted_at.is_(None)
        ),
        exists().where(off.expert_id == u.id, off.work_date >= start, off.work_date <= end),
    )
    # A pause running to the end of the week (or later) was agreed: not silent. Pauses have no
    # start date, so a pause that began mid-week counts too.
    paused = and_(u.pause_until.is_not(None), u.pause_until >= end)
    base = (
        select(u.display_name, m.name)
        .select_from(
            table_of(User).outerjoin(table_of(Municipality), m.id == u.home_municipality_id)
        )
        .where(_logs_as_expert(u), u.active, u.deleted_at.is_(None))
        .order_by(u.display_name, u.id)
    )
    silent = (
        await _core(s, base.where(~u.blocked_bot, u.created_at < week_over, ~logged, ~paused))
    ).all()
    blocked = (await _core(s, base.where(u.blocked_bot))).all()
    return (
        [ExpertName(n or "?", mn or "") for n, mn in silent],
        [ExpertName(n or "?", mn or "") for n, mn in blocked],
    )


# --------------------------------------------------------------------------- digest delivery

FINISHED_DIGEST = ("sent", "blocked", "unknown")


@dataclass(frozen=True)
class Recipient:
    user_id: int
    chat_id: int
    language: str
    name: str


async def digest_recipients(s: AsyncSession, registered_before: datetime) -> list[Recipient]:
    """Active coordinators who were registered when the digest fell due."""
    u = table_of(User).c
    return await _by_user(
        s,
        Recipient,
        select(u.id, u.chat_id, u.language, u.display_name).where(
            u.role == Role.coordinator.value,
            u.active,
            u.deleted_at.is_(None),
            ~u.blocked_bot,
            u.created_at <= registered_before,
        ),
    )


async def _by_user(s: AsyncSession, cls: Callable[..., _Row], query: Select[Any]) -> list[_Row]:
    """The rows of `query` (on app_user) in user id order, each made into `cls`."""
    rows = (await _core(s, query.order_by(table_of(User).c.id))).all()
    return [cls(*row) for row in rows]


async def unfinished_digest_recipients(
    s: AsyncSession, recipients: Sequence[Recipient], kind: str, period: str
) -> list[Recipient]:
    """Recipients without a finished delivery for this period: a cheap check that lets a pass
    skip building the digest when all is done. Finished: sent, blocked, or "unknown" (the send
    timed out and may have arrived: never sent again)."""
    d = table_of(DigestDelivery).c
    done = set(
        (
            await _core(
                s,
                select(d.recipient_id).where(
                    d.kind == kind, d.period == period, d.status.in_(FINISHED_DIGEST)
                ),
            )
        ).scalars()
    )
    return [r for r in recipients if r.user_id not in done]


async def claim_digest(
    s: AsyncSession,
    recipient_id: int,
    kind: str,
    period: str,
    *,
    now: datetime,
    owner: str,
    lease: timedelta,
    max_attempts: int,
) -> bool:
    """Claim the delivery of one digest to one recipient. True: this process must send it.

    First claim: the unique insert. Afterwards a claim can only be taken over when it was never
    finished and its lease has run out (the claiming process died), or when sending failed.
    """
    ins = (
        _insert(s, table_of(DigestDelivery))
        .values(
            recipient_id=recipient_id,
            kind=kind,
            period=period,
            status="claimed",
            claimed_at=now,
            attempts=1,
            owner=owner,
        )
        .on_conflict_do_nothing(index_elements=["recipient_id", "kind", "period"])
        .returning(table_of(DigestDelivery).c.id)
    )
    if (await s.exec(ins)).first() is not None:
        return True
    d = table_of(DigestDelivery).c
    taken = await s.exec(
        update(table_of(DigestDelivery))
        .where(
            d.recipient_id == recipient_id,
            d.kind == kind,
            d.period == period,
            d.attempts < max_attempts,
            or_(
                and_(d.status == "claimed", d.claimed_at < now - lease),
                and_(d.status == "failed", d.claimed_at < now - lease / 2),
            ),
        )
        .values(status="claimed", claimed_at=now, owner=owner, attempts=d.attempts + 1)
    )
    return bool(taken.rowcount == 1)


@dataclass(frozen=True)
class DigestClaim:
    """One claim on a digest delivery row: who claimed it and when (see `claim_digest`)."""

    recipient_id: int
    kind: str
    period: str
    owner: str
    claimed_at: datetime


def _digest_claim_is(claim: DigestClaim) -> sa.ColumnElement[bool]:
    """The row is still claimed by this claim: same owner and the same claim moment (one
    process can claim a row twice, e.g. a retry pass after its own first pass's lease ran out)."""
    d = table_of(DigestDelivery).c
    return and_(
        d.recipient_id == claim.recipient_id,
        d.kind == claim.kind,
        d.period == claim.period,
        d.owner == claim.owner,
        d.status == "claimed",
        d.claimed_at == claim.claimed_at,
    )


async def renew_digest_claim(s: AsyncSession, claim: DigestClaim, now: datetime) -> bool:
    """Right before sending: True (and the lease starts again at `now`) when `claim` is still
    ours; False when another pass took it over (then don't send)."""
    return await _update_digest(s, claim, claimed_at=now)


async def finish_digest(s: AsyncSession, claim: DigestClaim, status: str, now: datetime) -> bool:
    """Record the outcome; only the current claim may (a stale claim changes nothing)."""
    return await _update_digest(s, claim, status=status, sent_at=now if status == "sent" else None)


async def _update_digest(s: AsyncSession, claim: DigestClaim, **values: Any) -> bool:
    res = await s.exec(
        update(table_of(DigestDelivery)).where(_digest_claim_is(claim)).values(**values)
    )
    return bool(res.rowcount == 1)


# --------------------------------------------------------------------------- reminders


@dataclass(frozen=True)
class ReminderTarget:
    user_id: int
    chat_id: int
    language: str
    name: str
    days: str
    at: time
    pause_until: date | None
    delivery_id: int | None = None
    snooze_count: int = 0
    due_at: datetime | None = None


def _nothing_logged(user_id: sa.ColumnElement[Any], day: date) -> sa.ColumnElement[bool]:
    c = table_of(Contact).c
    i = table_of(IndirectHours).c
    off = table_of(DayOff).c
    return and_(
        ~exists().where(c.expert_id == user_id, c.work_date == day, c.deleted_at.is_(None)),
        ~exists().where(i.expert_id == user_id, i.work_date == day, i.deleted_at.is_(None)),
        ~exists().where(off.expert_id == user_id, off.work_date == day),
    )


def _target_columns(u: Any) -> tuple[Any, ...]:
    """The user columns of a :class:`ReminderTarget`, in its field order."""
    return (
        u.id,
        u.chat_id,
        u.language,
        u.display_name,
        u.reminder_days,
        u.reminder_time,
        u.pause_until,
    )


def _due_again(r: Any, now: datetime, lease: timedelta) -> sa.ColumnElement[bool]:
    """A snoozed reminder whose time has come, or a claim whose sender died (lease over)."""
    return or_(
        and_(r.status == "snoozed", r.due_at <= now),
        and_(r.status == "claimed", r.claimed_at < now - lease),
    )


def _logs_as_expert(u: Any) -> sa.ColumnElement[bool]:
    """Experts, and coordinators who also work as one."""
    return or_(u.role == Role.expert.value, u.also_expert)


def _reminder_user_filter(u: Any, day: date) -> sa.ColumnElement[bool]:
    return and_(
        _logs_as_expert(u),
        u.active,
        u.deleted_at.is_(None),
        u.reminders_enabled,
        ~u.blocked_bot,
        or_(u.pause_until.is_(None), u.pause_until < day),
    )


async def new_reminder_candidates(
    s: AsyncSession, day: date, local_time: time
) -> list[ReminderTarget]:
    """Experts whose reminder time has come today, with no reminder row yet and nothing logged.

    Holidays and the late limit are decided by the caller (pure domain); this only narrows.
    """
    u = table_of(User).c
    r = table_of(ReminderDelivery).c
    return await _by_user(
        s,
        ReminderTarget,
        select(*_target_columns(u)).where(
            _reminder_user_filter(u, day),
            u.reminder_days.contains(str(day.isoweekday())),
            u.reminder_time <= local_time,
            ~exists().where(r.user_id == u.id, r.local_date == day),
            _nothing_logged(u.id, day),
        ),
    )


async def claim_new_reminders(
    s: AsyncSession, targets: Sequence[ReminderTarget], day: date, now: datetime
) -> list[ReminderTarget]:
    """Insert claim rows; returns the targets this process won (with their delivery ids)."""
    by_user = {t.user_id: t for t in targets}
    won: list[ReminderTarget] = []
    table = table_of(ReminderDelivery)
    batch = 500  # stays far below SQLite's bound-parameter limit
    items = list(targets)
    for k in range(0, len(items), batch):
        values = [
            dict(
                user_id=t.user_id,
                local_date=day,
                status="claimed",
                due_at=t.due_at or now,
                snooze_count=0,
                claimed_at=now,
            )
            for t in items[k : k + batch]
        ]
        stmt = (
            _insert(s, table)
            .values(values)
            .on_conflict_do_nothing(index_elements=["user_id", "local_date"])
            .returning(table.c.id, table.c.user_id)
        )
        for delivery_id, user_id in (await s.exec(stmt)).all():
            won.append(
                dataclasses.replace(by_user[user_id], delivery_id=delivery_id, snooze_count=0)
            )
    won.sort(key=lambda t: t.user_id)
    return won


async def pending_reminders(
    s: AsyncSession, day: date, now: datetime, lease: timedelta
) -> list[ReminderTarget]:
    """Today's rows to (re)send: snoozed ones that are due again, and claims whose sender died."""
    u = table_of(User).c
    r = table_of(ReminderDelivery).c
    rows = (
        await _core(
            s,
            select(*_target_columns(u), r.id, r.snooze_count, r.due_at)
            .select_from(table_of(ReminderDelivery).join(table_of(User), u.id == r.user_id))
            .where(
                r.local_date == day,
                _due_again(r, now, lease),
                _reminder_user_filter(u, day),
                _nothing_logged(u.id, day),
            )
            .order_by(u.id),
        )
    ).all()
    out = []
    for user_id, chat_id, language, name, days, at, pause_until, d_id, snoozes, due in rows:
        if due is not None and due.tzinfo is None:  # raw column: SQLite drops the zone
            due = due.replace(tzinfo=ZoneInfo("UTC"))
        out.append(
            ReminderTarget(
                user_id, chat_id, language, name, days, at, pause_until, d_id, snoozes, due
            )
        )
    return out


async def reclaim_reminder(
    s: AsyncSession, delivery_id: int, now: datetime, lease: timedelta
) -> bool:
    r = table_of(ReminderDelivery).c
    res = await s.exec(
        update(table_of(ReminderDelivery))
        .where(
            r.id == delivery_id,
            _due_again(r, now, lease),
        )
        .values(status="claimed", claimed_at=now)
    )
    return bool(res.rowcount == 1)


async def _update_own_claim(
    s: AsyncSession, delivery_id: int, claim: datetime, /, **values: Any
) -> bool:
    """Sets `values` only while the claim made at `claim` is still ours."""
    r = table_of(ReminderDelivery).c
    res = await s.exec(
        update(table_of(ReminderDelivery))
        .where(r.id == delivery_id, r.status == "claimed", r.claimed_at == claim)
        .values(**values)
    )
    return bool(res.rowcount == 1)


async def renew_reminder_claim(
    s: AsyncSession, delivery_id: int, claimed_at: datetime, now: datetime
) -> bool:
    """Right before sending: True (and the lease starts again at `now`) when the claim made at
    `claimed_at` is still ours; False when another pass took it over (then don't send)."""
    return await _update_own_claim(s, delivery_id, claimed_at, claimed_at=now)


async def set_reminder_status(
    s: AsyncSession,
    delivery_id: int,
    status: str,
    *,
    claimed_at: datetime,
    now: datetime | None = None,
    message_id: int | None = None,
) -> bool:
    """Record a send's outcome, only while the claim made at `claimed_at` is still ours."""
    values: dict[str, Any] = {"status": status}
    if status == "sent":
        values.update(sent_at=now, message_id=message_id)
    return await _update_own_claim(s, delivery_id, claimed_at, **values)


async def get_reminder(s: AsyncSession, delivery_id: int) -> ReminderDelivery | None:
    return await s.get(ReminderDelivery, delivery_id)


async def snooze_reminder(
    s: AsyncSession,
    delivery_id: int,
    user_id: int,
    expected_count: int,
    until: datetime,
    max_snoozes: int,
) -> bool:
    """Conditional: only the message with the current snooze count can snooze, and only while
    snoozes are left. A double tap or an old message changes nothing."""
    r = table_of(ReminderDelivery).c
    res = await s.exec(
        update(table_of(ReminderDelivery))
        .where(
            r.id == delivery_id,
            r.user_id == user_id,
            r.status.in_(("sent", "unknown")),  # unknown: a send timed out, yet arrived
            r.snooze_count == expected_count,
            r.snooze_count < max_snoozes,
        )
        .values(status="snoozed", snooze_count=r.snooze_count + 1, due_at=until)
    )
    return bool(res.rowcount == 1)


async def answer_reminder(s: AsyncSession, delivery_id: int, user_id: int) -> None:
    r = table_of(ReminderDelivery).c
    await s.exec(
        update(table_of(ReminderDelivery))
        .where(r.id == delivery_id, r.user_id == user_id)
        .values(status="answered")
    )


async def add_day_off(s: AsyncSession, expert_id: int, day: date, now: datetime) -> bool:
    """Store "Niets te melden" for a day; True when it was new."""
    table = table_of(DayOff)
    stmt = (
        _insert(s, table)
        .values(expert_id=expert_id, work_date=day, created_at=now)
        .on_conflict_do_nothing(index_elements=["expert_id", "work_date"])
        .returning(table.c.id)
    )
    return (await s.exec(stmt)).first() is not None


async def logged_anything(s: AsyncSession, expert_id: int, day: date) -> bool:
    u = table_of(User).c
    res = (
        await _core(s, select(sa.literal(1)).where(u.id == expert_id, ~_nothing_logged(u.id, day)))
    ).first()
    return res is not None


@dataclass(frozen=True)
class PendingDigest:
    """A digest delivery another pass holds (or one that failed), for the operator."""

    recipient_id: int
    name: str
    status: str
    claimed_at: datetime
    attempts: int
    owner: str | None


async def digest_claims(
    s: AsyncSession, recipient_ids: Sequence[int], kind: str, period: str
) -> list[PendingDigest]:
    """The unfinished delivery rows (claimed, failed) of these recipients for the period."""
    if not recipient_ids:
        return []
    d, u = table_of(DigestDelivery).c, table_of(User).c
    rows = await _core(
        s,
        select(d.recipient_id, u.display_name, d.status, d.claimed_at, d.attempts, d.owner)
        .join_from(table_of(DigestDelivery), table_of(User), u.id == d.recipient_id)
        .where(
            d.recipient_id.in_(recipient_ids),
            d.kind == kind,
            d.period == period,
            d.status.not_in(FINISHED_DIGEST),
        )
        .order_by(d.recipient_id),
    )
    return [PendingDigest(*r) for r in rows.all()]
