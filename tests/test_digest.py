"""The weekly digest: SQL aggregates, and exactly-once delivery to every coordinator through the
fake Bot API (restarts, catch-up, two processes, a crash after the claim, 429 and 403)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain.digest import IsoWeek
from bot.storage import reports
from bot.storage.db import session_factory, transaction
from bot.storage.models import (
    ActivityType,
    Contact,
    ContactTheme,
    IndirectHours,
    IndirectKind,
    Municipality,
    ReferralTarget,
    Signal,
    SignalKind,
    Story,
    Theme,
    User,
)

TZ = ZoneInfo("Europe/Amsterdam")
W47 = IsoWeek(2026, 47)  # Monday 16 - Sunday 22 November 2026
_keys = itertools.count(1)


# --------------------------------------------------------------------------- seeding helpers


async def refs(engine: AsyncEngine) -> dict[str, dict[str, int]]:
    """Ids of seeded reference rows by name/code."""
    out: dict[str, dict[str, int]] = {}
    async with session_factory(engine)() as s:
        out["muni"] = dict((await s.exec(select(Municipality.name, Municipality.id))).all())
        for key, model in (
            ("theme", Theme),
            ("activity", ActivityType),
            ("indirect", IndirectKind),
            ("referral", ReferralTarget),
            ("signal", SignalKind),
        ):
            out[key] = dict((await s.exec(select(model.code, model.id))).all())
    return out


async def add_user(
    engine: AsyncEngine,
    name: str,
    role: str = "expert",
    *,
    tg_id: int | None = None,
    muni_id: int | None = None,
    created_at: datetime = datetime(2026, 1, 1, tzinfo=UTC),
    **extra: object,
) -> User:
    tg_id = tg_id or 10_000 + next(_keys)
    async with transaction(session_factory(engine)) as s:
        user = User(
            telegram_user_id=tg_id,
            chat_id=tg_id,
            role=role,
            display_name=name,
            home_municipality_id=muni_id,
            created_at=created_at,
            **extra,
        )
        s.add(user)
    return user


async def add_contact(
    engine: AsyncEngine,
    r: dict,
    expert: User,
    day: date,
    minutes: int,
    muni: str,
    *,
    residents: int = 1,
    new: int = 0,
    themes: tuple[str, ...] = (),
    activity: str | None = None,
    referral: str | None = None,
    deleted: bool = False,
) -> None:
    async with transaction(session_factory(engine)) as s:
        c = Contact(
            submission_key=f"c{next(_keys)}",
            expert_id=expert.id,
            work_date=day,
            duration_minutes=minutes,
            municipality_id=r["muni"][muni],
            activity_type_id=r["activity"][activity] if activity else min(r["activity"].values()),
            residents_count=residents,
            residents_new=new,
            referral_target_id=r["referral"][referral] if referral else None,
            deleted_at=datetime(2026, 11, 20, tzinfo=UTC) if deleted else None,
        )
        s.add(c)
        await s.flush()
        for code in themes:
            s.add(ContactTheme(contact_id=c.id, theme_id=r["theme"][code]))


async def add_indirect(
    engine: AsyncEngine, r: dict, expert: User, day: date, minutes: int, muni: str | None
) -> None:
    async with transaction(session_factory(engine)) as s:
        s.add(
            IndirectHours(
                submission_key=f"i{next(_keys)}",
                expert_id=expert.id,
                work_date=day,
                duration_minutes=minutes,
                kind_id=min(r["indirect"].values()),
                municipality_id=r["muni"][muni] if muni else None,
            )
        )


async def add_signal(engine, r, expert, day, text_, muni=None, story=False) -> None:
    async with transaction(session_factory(engine)) as s:
        kw = dict(
            submission_key=f"s{next(_keys)}",
            expert_id=expert.id,
            work_date=day,
            municipality_id=r["muni"][muni] if muni else None,
            text=text_,
        )
        if story:
            s.add(Story(**kw))
        else:
            s.add(Signal(kind_id=r["signal"]["gemist_aanbod"], **kw))


async def seed_week(engine: AsyncEngine) -> dict:
    """A small pool with a known week 47 and the weeks before it."""
    r = await refs(engine)
    anna = await add_user(engine, "Anna", muni_id=r["muni"]["Venlo"])
    bert = await add_user(engine, "Bert", muni_id=r["muni"]["Horst aan de Maas"])
    await add_user(engine, "Silent Sam", muni_id=r["muni"]["Beesel"])
    await add_user(engine, "Blocked Bo", blocked_bot=True)
    # Joined after week 47: not listed as silent for that week.
    await add_user(engine, "Late Lisa", created_at=datetime(2026, 11, 25, tzinfo=UTC))
    mon = W47.monday
    await add_contact(
        engine,
        r,
        anna,
        mon,
        90,
        "Venlo",
        residents=3,
        new=2,
        themes=("armoede", "schulden"),
        referral="schuldhulp",
    )
    await add_contact(engine, r, anna, mon + timedelta(days=2), 30, "Venlo", themes=("armoede",))
    await add_contact(engine, r, bert, W47.sunday, 60, "Horst aan de Maas", residents=2, new=1)
    await add_contact(engine, r, bert, mon, 600, "Venlo", deleted=True)  # soft-deleted: ignored
    await add_contact(engine, r, bert, mon - timedelta(days=1), 45, "Venlo")  # week 46
    await add_contact(engine, r, bert, mon + timedelta(days=7), 45, "Venlo")  # week 48
    await add_indirect(engine, r, anna, mon, 60, "Venlo")
    await add_indirect(engine, r, bert, mon, 120, None)  # regional
    await add_indirect(engine, r, anna, mon - timedelta(days=14), 240, None)  # week 45
    await add_signal(engine, r, anna, mon, "Geen <inloop> in Arcen & Velden", "Venlo")
    await add_signal(engine, r, bert, mon, "Ze durfde weer te bellen", story=True)
    return r


# --------------------------------------------------------------------------- aggregates


async def test_week_digest_aggregates_in_sql(engine):
    await seed_week(engine)
    async with session_factory(engine)() as s:
        d = await reports.week_digest(s, W47, TZ)
    by = {m.name: m for m in d.municipalities}
    assert len(by) == 14
    assert (by["Venlo"].contact_minutes, by["Venlo"].indirect_minutes) == (120, 60)
    assert (by["Venlo"].contacts, by["Venlo"].residents, by["Venlo"].residents_new) == (2, 4, 2)
    assert by["Horst aan de Maas"].contact_minutes == 60
    assert by["Venlo"].key_pct == pytest.approx(28.47)
    assert d.regional_indirect_minutes == 120
    assert d.totals.minutes == 120 + 60 + 60 + 120
    themes = {t.label: (t.contacts, t.residents, t.residents_new) for t in d.themes}
    assert themes == {"armoede (geldzorgen)": (2, 4, 2), "schulden": (1, 3, 2)}
    assert [(a.count, a.minutes) for a in d.activities] == [(3, 180)]
    assert [x.count for x in d.referrals] == [1] and "schuldhulp" in d.referrals[0].label.lower()
    assert [n.text for n in d.signals] == ["Geen <inloop> in Arcen & Velden"]
    assert d.signals[0].municipality == "Venlo" and d.signals[0].kind
    assert [n.text for n in d.stories] == ["Ze durfde weer te bellen"]
    assert [e.name for e in d.silent_experts] == ["Silent Sam"]
    assert d.silent_experts[0].municipality == "Beesel"
    assert [e.name for e in d.blocked_experts] == ["Blocked Bo"]
    assert [(w.week, t.minutes) for w, t in d.trend] == [(44, 0), (45, 240), (46, 45), (47, 360)]
    assert d.previous is not None and d.previous.contacts == 1
