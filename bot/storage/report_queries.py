"""SQL for the half-yearly report: every figure is a GROUP BY over one date range.

Definitions are the weekly digest's (bot.storage.digest_data.week_digest), so the same days give
the same figures:

* hours of a municipality = contact minutes + indirect minutes booked on it; indirect minutes
  without a municipality are regional and stand on their own line;
* contacts = logged contacts; residents = the sum of `residents_count` (a group of 8 counts 8;
  a resident seen twice counts twice: repeat contacts are contacts, not new residents);
  new = `residents_new` (first time this expert spoke to them), known = residents − new;
* per theme: a contact counts under each of its themes;
* referrals (toeleiding) per target: the contacts referred to that target (`contact_referral`,
  every referral of a contact, not only the first on `contact.referral_target_id`); a contact
  with two referrals counts under both, so a total over the targets is a number of referrals.

Soft-deleted rows are left out; a correction made after the period counts (the report is a view
on today's data, not a snapshot). Labels come from the (small) vocabularies, never a join on
the large tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.counts import Counts
from bot.domain.measures import MeasureProgress
from bot.domain.periods import Period, selection_in
from bot.storage import deel_progress
from bot.storage.models import (
    ActivityType,
    Contact,
    ContactReferral,
    ContactTheme,
    Deelopdracht,
    IndirectHours,
    IndirectKind,
    Municipality,
    ReferralTarget,
    ReportNarrative,
    ReportStorySelection,
    Signal,
    SignalKind,
    Story,
    Theme,
    Vindplek,
    table_of,
)
from bot.storage.query_helpers import as_date, columns_for, core, is_postgresql, live_in

__all__ = [
    "DeelopdrachtRow",
    "Label",
    "NoteRow",
    "ReportData",
    "counts_columns",
    "load_report_data",
]


@dataclass(frozen=True)
class Label:
    id: int
    code: str
    label: str
    order: int


@dataclass(frozen=True)
class NoteRow:
    id: int
    work_date: date
    municipality_id: int | None
    theme_id: int | None
    kind_id: int | None
    text: str
    # Stories: the municipalities whose report of this period it was selected for.
    selected_for: tuple[int, ...] = ()


@dataclass(frozen=True)
class DeelopdrachtRow:
    id: int
    municipality_id: int
    code: str
    title: str
    goals: str
    monitoring: str
    frequency: str
    accounting: str
    starts_on: date | None
    ends_on: date | None


@dataclass
class ReportData:
    period: Period
    ytd: Period
    municipalities: list[tuple[int, str, str, float]]  # id, code, name, MGR key %
    themes: list[Label]
    activities: list[Label]
    indirect_kinds: list[Label]
    referral_targets: list[Label]
    signal_kinds: list[Label]
    months: list[date]
    # Contact figures: per municipality, per (municipality, activity), per (municipality,
    # theme), per (municipality, month "YYYY-MM"), per (municipality, referral target).
    by_muni: dict[int, Counts] = field(default_factory=dict)
    by_muni_activity: dict[tuple[int, int], Counts] = field(default_factory=dict)
    by_muni_theme: dict[tuple[int, int], Counts] = field(default_factory=dict)
    by_muni_month: dict[tuple[int, str], Counts] = field(default_factory=dict)
    referrals: dict[tuple[int, int], int] = field(default_factory=dict)
    # Indirect minutes per (municipality or None = regional, kind).
    indirect: dict[tuple[int | None, int], int] = field(default_factory=dict)
    # Year to date: contact and indirect minutes per municipality (None = regional indirect).
    ytd_contact_minutes: dict[int, int] = field(default_factory=dict)
    ytd_indirect_minutes: dict[int | None, int] = field(default_factory=dict)
    # Vindplekken used: (vindplek id, municipality id, name) -> Counts.
    vindplekken: dict[tuple[int, int, str], Counts] = field(default_factory=dict)
    signals: list[NoteRow] = field(default_factory=list)
    stories: list[NoteRow] = field(default_factory=list)
    narratives: dict[int | None, str] = field(default_factory=dict)
    deelopdrachten: list[DeelopdrachtRow] = field(default_factory=list)
    by_deelopdracht: dict[int, Counts] = field(default_factory=dict)
    # Each deelopdracht's measures on `measures_as_of` (bot.storage.deel_progress): the
    # period's last day, or today for a period not over yet (a running target is not "missed").
    deel_measures: dict[int, list[MeasureProgress]] = field(default_factory=dict)
    measures_as_of: date | None = None
    # Contact minutes of the period per municipality, all municipalities even when the counts
    # are restricted to some (the fair share needs the pool's hours).
    pool_contact_minutes: dict[int, int] = field(default_factory=dict)
    # False: the counts are of some municipalities only (no region totals may be shown).
    region: bool = True

    def muni_minutes(self, muni_id: int) -> int:
        contact = self.by_muni.get(muni_id, Counts()).minutes
        return contact + sum(m for (mid, _k), m in self.indirect.items() if mid == muni_id)

    @property
    def regional_minutes(self) -> int:
        return sum(m for (mid, _k), m in self.indirect.items() if mid is None)


def counts_columns(c: Any) -> tuple[Any, ...]:
    """The sums over contact columns `c` that `Counts.of` takes, in its order (minutes,
    contacts, residents, new); the weekly digest groups the same ones."""
    return (
        func.sum(c.duration_minutes),
        func.count(),
        func.sum(c.residents_count),
        func.sum(c.residents_new),
    )


async def _labels(s: AsyncSession, model: Any) -> list[Label]:
    t = model.__table__.c
    rows = (
        await core(s, select(t.id, t.code, t.label, t.sort_order).order_by(t.sort_order, t.id))
    ).all()
    return [Label(*r) for r in rows]


def _month(s: AsyncSession, col: Any) -> Any:
    """The month of a date, to group by. PostgreSQL: date_trunc (half the cost of to_char on
    a half year's contacts); read back with `_month_key`."""
    if is_postgresql(s):
        return func.date_trunc("month", col)
    return func.strftime("%Y-%m", col)


def _month_key(value: Any) -> str:
    """ "YYYY-MM" from what `_month` gives back (a timestamp or a string)."""
    if isinstance(value, date):  # datetime is a date too
        return value.strftime("%Y-%m")
    return str(value)[:7]


async def _minutes_per_muni(s: AsyncSession, start: date, end: date) -> dict[int, int]:
    """Contact minutes per municipality over some days: the pool's hours for the fair share
    (index ix_contact_live_minutes covers it: no table rows read)."""
    c = table_of(Contact).c
    rows = (
        await core(
            s,
            select(c.municipality_id, func.sum(c.duration_minutes))
            .where(live_in(c, start, end))
            .group_by(c.municipality_id),
        )
    ).all()
    return {muni_id: int(minutes or 0) for muni_id, minutes in rows}


async def load_report_data(
    s: AsyncSession,
    period: Period,
    ytd: Period,
    municipality_ids: Sequence[int] | None = None,
    *,
    today: date | None = None,
) -> ReportData:
    """Everything the report shows for `period` (and the hours of `ytd`).

    `municipality_ids`: only these municipalities' counts and texts (the SQL is restricted to
    them: one municipality's report reads its own contacts, not the region's). Hours per
    municipality stay region-wide (one cheap sum per municipality), as the fair share needs
    the pool's hours, and so do the indirect hours (few rows). A municipality's counts are
    suppressed from its own figures only (bot.report.plan), so its files hide the same cells
    whether made alone or in the full pack."""
    m = table_of(Municipality).c
    munis = [
        (r[0], r[1], r[2], float(r[3] or 0))
        for r in (
            await core(
                s, select(m.id, m.code, m.name, m.mgr_key_pct).where(m.active).order_by(m.name)
            )
        ).all()
    ]
    data = ReportData(
        period=period,
        ytd=ytd,
        municipalities=munis,
        themes=await _labels(s, Theme),
        activities=await _labels(s, ActivityType),
        indirect_kinds=await _labels(s, IndirectKind),
        referral_targets=await _labels(s, ReferralTarget),
        signal_kinds=await _labels(s, SignalKind),
        months=period.months(),
    )
    start, end = period.start, period.end_inclusive
    c = table_of(Contact).c
    in_period = live_in(c, start, end)
    wanted = set(municipality_ids) if municipality_ids is not None else None
    data.region = wanted is None
    live = in_period if wanted is None else and_(in_period, c.municipality_id.in_(wanted))
    agg = counts_columns(c)

    # One scan of the period's contacts, grouped finely enough to fold into every table that
    # needs no theme or referral: per municipality, activity, month, vindplek and deelopdracht.
    # Folding the groups (not the rows) in Python costs far less than one more scan each.
    month = _month(s, c.work_date)
    keys = (
        c.municipality_id,
        c.activity_type_id,
        month,
        c.vindplek_id,
        c.deelopdracht_id,
    )
    groups = (await core(s, select(*keys, *agg).where(live).group_by(*keys))).all()
    by_place: dict[int, Counts] = {}

    def add(target: dict[Any, Counts], key: Any, got: Counts) -> None:
        tot = target.get(key)
        if tot is None:
            target[key] = tot = Counts()
        tot.add(got)

    for muni_id, act_id, mon, place_id, dop_id, *vals in groups:
        got = Counts.of(*vals)
        add(data.by_muni, muni_id, got)
        add(data.by_muni_activity, (muni_id, act_id), got)
        add(data.by_muni_month, (muni_id, _month_key(mon)), got)
        if place_id is not None:
            add(by_place, place_id, got)
        if dop_id is not None:
            add(data.by_deelopdracht, dop_id, got)

    if wanted is None:
        data.pool_contact_minutes = {k: v.minutes for k, v in data.by_muni.items()}
    else:
        data.pool_contact_minutes = await _minutes_per_muni(s, start, end)
    ct = table_of(ContactTheme).c
    for muni_id, theme_id, *vals in (
        await core(
            s,
            select(c.municipality_id, ct.theme_id, *agg)
            .select_from(table_of(Contact).join(table_of(ContactTheme), ct.contact_id == c.id))
            .where(live)
            .group_by(c.municipality_id, ct.theme_id),
        )
    ).all():
        data.by_muni_theme[(muni_id, theme_id)] = Counts.of(*vals)

    # Every referral of a contact (not only the first, on the contact): per target the number
    # of contacts referred to it (the primary key makes a (contact, target) pair unique).
    cr = table_of(ContactReferral).c
    for muni_id, ref_id, n in (
        await core(
            s,
            select(c.municipality_id, cr.referral_target_id, func.count())
            .select_from(table_of(Contact).join(table_of(ContactReferral), cr.contact_id == c.id))
            .where(live)
            .group_by(c.municipality_id, cr.referral_target_id),
        )
    ).all():
        data.referrals[(muni_id, ref_id)] = int(n)

    v = table_of(Vindplek).c
    if by_place:
        for place_id, muni_id, name in (
            await core(s, select(v.id, v.municipality_id, v.name).where(v.id.in_(list(by_place))))
        ).all():
            data.vindplekken[(place_id, muni_id, name)] = by_place[place_id]

    i = table_of(IndirectHours).c
    for muni_id, kind_id, minutes in (
        await core(
            s,
            select(i.municipality_id, i.kind_id, func.sum(i.duration_minutes))
            .where(live_in(i, start, end))
            .group_by(i.municipality_id, i.kind_id),
        )
    ).all():
        data.indirect[(muni_id, kind_id)] = int(minutes or 0)

    # Year to date: hours only (the period's own when it is the same days, e.g. a first half).
    ys, ye = ytd.start, ytd.end_inclusive
    same = (ys, ye) == (start, end)
    if same:
        data.ytd_contact_minutes = dict(data.pool_contact_minutes)
        data.ytd_indirect_minutes = {}
        for (muni_id, _k), minutes in data.indirect.items():
            data.ytd_indirect_minutes[muni_id] = data.ytd_indirect_minutes.get(muni_id, 0) + minutes
    if not same:
        data.ytd_contact_minutes = await _minutes_per_muni(s, ys, ye)
    for muni_id, minutes in (
        ()
        if same
        else (
            await core(
                s,
                select(i.municipality_id, func.sum(i.duration_minutes))
                .where(live_in(i, ys, ye))
                .group_by(i.municipality_id),
            )
        ).all()
    ):
        data.ytd_indirect_minutes[muni_id] = int(minutes or 0)

    def mine(col: Any) -> Any:
        # Notes about the region (no municipality) go into every report.
        if wanted is None:
            return True
        return or_(col.is_(None), col.in_(wanted))

    sg = table_of(Signal).c
    data.signals = [
        NoteRow(r[0], as_date(r[1]), r[2], r[3], r[4], r[5])
        for r in (
            await core(
                s,
                select(sg.id, sg.work_date, sg.municipality_id, sg.theme_id, sg.kind_id, sg.text)
                .where(live_in(sg, start, end), mine(sg.municipality_id))
                .order_by(sg.kind_id, sg.theme_id, sg.work_date, sg.id),
            )
        ).all()
    ]

    # Stories: only the ones the coordinator selected for a report of a period inside this one
    # (a story chosen for 2026-H1 is in the 2026 report too; see `selection_in`).
    st = table_of(Story).c
    sel = table_of(ReportStorySelection).c
    chosen: dict[int, list[int]] = {}
    rows = (
        await core(
            s,
            select(
                st.id,
                st.work_date,
                st.municipality_id,
                st.theme_id,
                st.text,
                sel.municipality_id,
                sel.period_key,
            )
            .select_from(
                table_of(Story).join(table_of(ReportStorySelection), sel.story_id == st.id)
            )
            .where(live_in(st, start, end))
            .order_by(st.work_date, st.id, sel.municipality_id),
        )
    ).all()
    texts: dict[int, tuple[Any, ...]] = {}
    for sid, day, muni_id, theme_id, text, for_muni, for_period in rows:
        if not selection_in(for_period, period):
            continue
        texts[sid] = (day, muni_id, theme_id, text)
        chosen.setdefault(sid, []).append(for_muni)
    data.stories = [
        NoteRow(sid, as_date(day), muni_id, theme_id, None, text, tuple(chosen[sid]))
        for sid, (day, muni_id, theme_id, text) in texts.items()
        if wanted is None or wanted & set(chosen[sid])
    ]

    n = table_of(ReportNarrative).c
    data.narratives = {
        r[0]: r[1]
        for r in (
            await core(s, select(n.municipality_id, n.text).where(n.period_key == period.key))
        ).all()
    }

    d = table_of(Deelopdracht).c
    q = (
        select(*columns_for(DeelopdrachtRow, table_of(Deelopdracht)))
        .where(
            d.active,
            or_(d.starts_on.is_(None), d.starts_on <= end),
            or_(d.ends_on.is_(None), d.ends_on >= start),
        )
        .order_by(d.municipality_id, d.code)
    )
    if wanted is not None:
        q = q.where(d.municipality_id.in_(wanted))
    data.deelopdrachten = [DeelopdrachtRow(*r) for r in (await core(s, q)).all()]
    data.measures_as_of = end if today is None else min(end, today)
    data.deel_measures = await deel_progress.progress_many(
        s, [r.id for r in data.deelopdrachten], data.measures_as_of
    )
    return data
