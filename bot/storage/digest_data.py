"""SQL for the coordinator's weekly digest: aggregates over one ISO week and a 4-week trend.

Aggregates are done in SQL (GROUP BY), so the digest costs a handful of indexed range queries
whatever the size of the contact table. The half-yearly report (bot.storage.report_queries)
uses the same definitions, so the same days give the same figures.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy import and_, func, or_, select
from sqlmodel import SQLModel, col
from sqlmodel import select as orm_select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.counts import Counts
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
    IndirectHours,
    Municipality,
    ReferralTarget,
    Signal,
    SignalKind,
    Story,
    Theme,
    User,
    table_of,
)
from bot.storage.query_helpers import as_date, core, is_postgresql, live_in
from bot.storage.report_queries import counts_columns
from bot.storage.user_queries import current_expert, logged_on

__all__ = ["TREND_WEEKS", "week_digest"]

TREND_WEEKS = 4


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
        await core(
            s,
            select(c.municipality_id, c.work_date, *counts_columns(c))
            .where(live_in(c, trend_start, end))
            .group_by(c.municipality_id, c.work_date),
        )
    ).all()
    i = table_of(IndirectHours).c
    indirect_rows = (
        await core(
            s,
            select(i.municipality_id, i.work_date, func.sum(i.duration_minutes))
            .where(live_in(i, trend_start, end))
            .group_by(i.municipality_id, i.work_date),
        )
    ).all()

    per_muni: dict[int | None, Counts] = defaultdict(Counts)
    indirect_of: dict[int | None, int] = defaultdict(int)  # None: regional
    per_week: dict[IsoWeek, list[int]] = defaultdict(lambda: [0, 0, 0])  # all minutes, n, res.
    for muni_id, day, *vals in contact_rows:
        got = Counts.of(*vals)
        wk = IsoWeek.of(as_date(day))
        tot = per_week[wk]
        tot[0] += got.minutes
        tot[1] += got.contacts
        tot[2] += got.residents
        if wk == week:
            per_muni[muni_id].add(got)
    for muni_id, day, minutes in indirect_rows:
        wk = IsoWeek.of(as_date(day))
        per_week[wk][0] += int(minutes or 0)
        if wk == week:
            indirect_of[muni_id] += int(minutes or 0)

    regional = indirect_of.get(None, 0)
    municipalities = [
        MunicipalityWeek(
            name, float(key or 0), per_muni.get(muni_id, Counts()), indirect_of.get(muni_id, 0)
        )
        for muni_id, name, key in munis
    ]
    trend = []
    for k in range(TREND_WEEKS - 1, -1, -1):
        wk = week.shift(-k)
        v = per_week.get(wk, [0, 0, 0])
        trend.append((wk, WeekTotals(v[0], v[1], v[2])))

    # Week-only aggregates group by ids and take labels from the (small) vocabularies: a join
    # on the label table makes SQLite loop over the vocabulary and rescan the week each time.
    in_week = live_in(c, start, end)
    ct = table_of(ContactTheme).c
    pg = is_postgresql(s)
    if pg:
        # PostgreSQL estimates hashing all of contact_theme (1.5M rows at pool scale, ~250 ms)
        # cheaper than probing its primary key for the week's ~10k contacts (~30 ms); the
        # same holds for contact_referral.
        await core(s, sa.text("SET LOCAL enable_hashjoin = off"))
    theme_rows = (
        await core(
            s,
            select(ct.theme_id, *counts_columns(c))
            .select_from(table_of(Contact).join(table_of(ContactTheme), ct.contact_id == c.id))
            .where(in_week)
            .group_by(ct.theme_id),
        )
    ).all()
    # Every referral of a contact (contact_referral), not only the first on the contact: per
    # target the week's contacts referred to it; the report counts them the same way.
    cr = table_of(ContactReferral).c
    ref_rows = (
        await core(
            s,
            select(cr.referral_target_id, func.count())
            .select_from(table_of(Contact).join(table_of(ContactReferral), cr.contact_id == c.id))
            .where(in_week)
            .group_by(cr.referral_target_id),
        )
    ).all()
    if pg:
        await core(s, sa.text("RESET enable_hashjoin"))
    mix_rows = (
        await core(
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
        ThemeRow(theme_labels.get(tid, ("?", 0))[0], Counts.of(*vals))
        for tid, *vals in sorted(theme_rows, key=lambda row: order(theme_labels, row[2], row[0]))
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
        themes=themes,
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
    rows = (await core(s, select(t.id, t.label, t.sort_order))).all()
    return {i: (label, order) for i, label, order in rows}


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
        await core(
            s,
            select(*cols)
            .select_from(frm)
            .where(live_in(t, start, end))
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
    # Someone who joined after the week ended cannot have been silent in it.
    week_over = datetime.combine(end + timedelta(days=1), time(0), tzinfo=tz)
    # "Niets te melden" is an answer too: only who left the week empty is silent.
    logged = or_(*logged_on(u.id, start, end))
    # A pause running to the end of the week (or later) was agreed: not silent. Pauses have no
    # start date, so a pause that began mid-week counts too.
    paused = and_(u.pause_until.is_not(None), u.pause_until >= end)
    base = (
        select(u.display_name, m.name)
        .select_from(
            table_of(User).outerjoin(table_of(Municipality), m.id == u.home_municipality_id)
        )
        .where(current_expert(u))
        .order_by(u.display_name, u.id)
    )
    silent = (
        await core(s, base.where(~u.blocked_bot, u.created_at < week_over, ~logged, ~paused))
    ).all()
    blocked = (await core(s, base.where(u.blocked_bot))).all()
    return (
        [ExpertName(n or "?", mn or "") for n, mn in silent],
        [ExpertName(n or "?", mn or "") for n, mn in blocked],
    )
