"""The weekly digest: SQL aggregates, and exactly-once delivery to every coordinator through the
fake Bot API (restarts, catch-up, two processes, a crash after the claim, 429 and 403)."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time as wall
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select as sm_select
from telegram.error import TimedOut

from bot.domain.digest import IsoWeek
from bot.scheduler import CLAIM_LEASE, digest_pass, run_digest
from bot.sender import Pacer, Sender
from bot.storage import reports
from bot.storage.db import session_factory, transaction
from bot.storage.models import (
    ContactReferral,
    DayOff,
    DigestDelivery,
    Signal,
    Story,
    User,
)
from tests import helpers, support
from tests.conftest import BotHarness
from tests.support import run_on_engine

TZ = ZoneInfo("Europe/Amsterdam")
W47 = IsoWeek(2026, 47)  # Monday 16 - Sunday 22 November 2026
_keys = itertools.count(1)


# --------------------------------------------------------------------------- seeding helpers


async def refs(engine: AsyncEngine) -> dict[str, dict[str, int]]:
    """Ids of seeded reference rows by name/code."""
    async with session_factory(engine)() as s:
        return await helpers.reference_ids(s)


async def add_user(
    engine: AsyncEngine,
    name: str,
    role: str = "expert",
    *,
    muni_id: int | None = None,
    created_at: datetime = datetime(2026, 1, 1, tzinfo=UTC),
    **extra: Any,
) -> User:
    return await support.add_user(
        engine, name, role, home_municipality_id=muni_id, created_at=created_at, **extra
    )


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
    referrals: tuple[str, ...] = (),
    deleted: bool = False,
) -> None:
    async with transaction(session_factory(engine)) as s:
        # As the bot writes a contact: every referral in contact_referral, the first also on
        # the contact.
        c = await helpers.add_contact(
            s,
            expert.id,
            day,
            minutes,
            r["muni"][muni],
            r["activity"][activity] if activity else min(r["activity"].values()),
            [r["theme"][code] for code in themes],
            residents_count=residents,
            residents_new=new,
            referral_target_id=r["referral"][referrals[0]] if referrals else None,
            deleted_at=datetime(2026, 11, 20, tzinfo=UTC) if deleted else None,
        )
        for code in referrals:
            s.add(ContactReferral(contact_id=c.id, referral_target_id=r["referral"][code]))


async def add_indirect(
    engine: AsyncEngine, r: dict, expert: User, day: date, minutes: int, muni: str | None
) -> None:
    async with transaction(session_factory(engine)) as s:
        s.add(
            helpers.hours_row(
                expert.id,
                day,
                minutes,
                min(r["indirect"].values()),
                r["muni"][muni] if muni else None,
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
        referrals=("schuldhulp",),
    )
    # Two referrals: counts under both targets (a contact per target, not the first only).
    await add_contact(
        engine,
        r,
        anna,
        mon + timedelta(days=2),
        30,
        "Venlo",
        themes=("armoede",),
        referrals=("wmo", "schuldhulp"),
    )
    await add_contact(engine, r, bert, W47.sunday, 60, "Horst aan de Maas", residents=2, new=1)
    # Soft-deleted: ignored, its referral too.
    await add_contact(engine, r, bert, mon, 600, "Venlo", referrals=("wmo",), deleted=True)
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
    assert (by["Venlo"].counts.minutes, by["Venlo"].indirect_minutes) == (120, 60)
    venlo = by["Venlo"].counts
    assert (venlo.contacts, venlo.residents, venlo.new, venlo.known) == (2, 4, 2, 2)
    assert by["Horst aan de Maas"].counts.minutes == 60
    assert by["Venlo"].key_pct == pytest.approx(28.47)
    assert d.regional_indirect_minutes == 120
    assert d.totals.minutes == 120 + 60 + 60 + 120
    themes = {t.label: (t.counts.contacts, t.counts.residents, t.counts.new) for t in d.themes}
    assert themes == {"armoede (geldzorgen)": (2, 4, 2), "schulden": (1, 3, 2)}
    assert [(a.count, a.minutes) for a in d.activities] == [(3, 180)]
    # schuldhulp: both Venlo contacts (one of them as its second referral); Wmo: one (the
    # deleted contact's is left out). Largest first.
    assert [(x.label, x.count) for x in d.referrals] == [("schuldhulp", 2), ("Wmo-consulent", 1)]
    assert [n.text for n in d.signals] == ["Geen <inloop> in Arcen & Velden"]
    assert d.signals[0].municipality == "Venlo" and d.signals[0].kind
    assert [n.text for n in d.stories] == ["Ze durfde weer te bellen"]
    assert [e.name for e in d.silent_experts] == ["Silent Sam"]
    assert d.silent_experts[0].municipality == "Beesel"
    assert [e.name for e in d.blocked_experts] == ["Blocked Bo"]
    assert [(w.week, t.minutes) for w, t in d.trend] == [(44, 0), (45, 240), (46, 45), (47, 360)]
    assert d.previous is not None and d.previous.contacts == 1


async def test_day_off_and_a_pause_over_the_week_are_not_silence(engine):
    r = await refs(engine)
    await seed_week(engine)
    olga = await add_user(engine, "Off Olga", muni_id=r["muni"]["Venlo"])
    await add_user(engine, "Paused Piet", pause_until=W47.sunday + timedelta(days=10))
    await add_user(engine, "Paused Till Sunday", pause_until=W47.sunday)
    # A pause that ended mid-week: the rest of the week was silent.
    await add_user(engine, "Short Pause Pim", pause_until=W47.monday + timedelta(days=2))
    async with transaction(session_factory(engine)) as s:
        s.add(DayOff(expert_id=olga.id, work_date=W47.monday + timedelta(days=1)))
        # A day off in another week does not count for week 47.
        s.add(DayOff(expert_id=olga.id, work_date=W47.monday + timedelta(days=7)))
    async with session_factory(engine)() as s:
        d = await reports.week_digest(s, W47, TZ)
    assert [e.name for e in d.silent_experts] == ["Short Pause Pim", "Silent Sam"]
    async with session_factory(engine)() as s:
        d48 = await reports.week_digest(s, W47.shift(1), TZ)
    assert "Off Olga" not in [e.name for e in d48.silent_experts]
    assert "Short Pause Pim" in [e.name for e in d48.silent_experts]


# --------------------------------------------------------------------------- delivery


MONDAY_0830 = datetime(2026, 11, 23, 8, 30, tzinfo=TZ)  # the digest of week 47 is due
PNG = b"\x89PNG\r\n\x1a\n"


def fast(bot) -> None:
    bot.services.pacer = Pacer(rate=1000, per_chat=0)


async def setup_pool(bot, coordinators=("Carla",)):
    """Week 47 data, experts and coordinators registered during week 47."""
    bot.clock.set(datetime(2026, 11, 17, 10, tzinfo=TZ))
    people = [await bot.coordinator(name) for name in coordinators]
    await seed_week(bot.engine)
    fast(bot)
    return people


def digests_of(person) -> list:
    return [r for r in person.replies if "Weekoverzicht week" in (r.text or "")]


async def delivery_rows(bot) -> list[DigestDelivery]:
    async with session_factory(bot.engine)() as s:
        return list((await s.exec(sm_select(DigestDelivery))).all())


async def test_digest_goes_to_every_coordinator_once(bot):
    carla, dirk = await setup_pool(bot, ("Carla", "Dirk"))
    bot.clock.set(MONDAY_0830 - timedelta(minutes=1))
    early = await digest_pass(bot.app)
    # Week 46's digest was due before these coordinators joined: nothing to send.
    assert early.period == "2026-W46" and early.sent == 0
    bot.clock.set(MONDAY_0830)
    report = await digest_pass(bot.app)
    assert report.period == "2026-W47" and report.sent == 2
    for person in (carla, dirk):
        (text_msg,) = digests_of(person)
        assert text_msg.protect_content
        assert "Venlo: 3 uur" in text_msg.text
        assert "Geen <inloop> in Arcen & Velden" in text_msg.text  # escaped, shown as typed
        assert "Silent Sam (Beesel)" in text_msg.text
        assert "Blocked Bo" in text_msg.text.split("Bot geblokkeerd")[1]
        photo = person.last_reply
        assert photo.kind == "photo" and photo.photo.startswith(PNG)
        assert photo.protect_content and "Week 47" in photo.caption
    # Again, later that day, and after a restart: nothing more.
    bot.clock.advance(hours=3)
    assert (await digest_pass(bot.app)).sent == 0
    await bot.restart()
    fast(bot)
    assert (await digest_pass(bot.app)).sent == 0
    assert [len(digests_of(p)) for p in (carla, dirk)] == [1, 1]
    rows = await delivery_rows(bot)
    assert sorted((r.period, r.status, r.attempts) for r in rows) == [("2026-W47", "sent", 1)] * 2


async def test_missed_digest_is_caught_up_on_start(bot):
    (carla,) = await setup_pool(bot)
    # The bot was down from Sunday to Wednesday; the start-up pass catches up.
    bot.clock.set(datetime(2026, 11, 25, 14, tzinfo=TZ))
    report = await digest_pass(bot.app)
    assert (report.period, report.sent) == ("2026-W47", 1)
    assert len(digests_of(carla)) == 1


async def test_two_processes_deliver_once(bot):
    people = await setup_pool(bot, ("Carla", "Dirk", "Eva"))
    other = BotHarness(bot.tg, bot.db_url, bot.clock)
    await other.start()
    try:
        fast(other)
        bot.clock.set(MONDAY_0830)
        a, b = await asyncio.gather(digest_pass(bot.app), digest_pass(other.app))
    finally:
        await other.stop()
        bot.tg.attach(bot.app)
    assert a.sent + b.sent == 3
    assert set(a.recipient_ids).isdisjoint(b.recipient_ids)
    assert [len(digests_of(p)) for p in people] == [1, 1, 1]
    assert len(bot.tg.calls_to("sendPhoto")) == 3


async def test_claim_of_a_crashed_process_is_retried_after_the_lease(bot):
    (carla,) = await setup_pool(bot)
    user = await bot.app_user(carla)
    claimed_at = MONDAY_0830.astimezone(UTC)
    async with transaction(bot.services.sessions) as s:
        s.add(
            DigestDelivery(
                recipient_id=user.id,
                period="2026-W47",
                status="claimed",
                claimed_at=claimed_at,
                attempts=1,
                owner="dead-process",
            )
        )
    bot.clock.set(MONDAY_0830 + timedelta(minutes=5))
    assert (await digest_pass(bot.app)).sent == 0  # maybe still sending: leave it
    bot.clock.set(MONDAY_0830 + CLAIM_LEASE + timedelta(minutes=1))
    assert (await digest_pass(bot.app)).sent == 1
    assert len(digests_of(carla)) == 1
    (row,) = await delivery_rows(bot)
    assert (row.status, row.attempts) == ("sent", 2) and row.owner != "dead-process"


async def test_429_is_waited_out(bot):
    (carla,) = await setup_pool(bot)
    bot.tg.fail_next("sendMessage", 429, retry_after=1)
    bot.clock.set(MONDAY_0830)
    started = wall.monotonic()
    report = await digest_pass(bot.app)
    assert report.sent == 1 and wall.monotonic() - started >= 1.0
    assert len(digests_of(carla)) == 1
    assert bot.tg.stats.injected_failures == 1


async def test_403_marks_the_coordinator_and_the_rest_goes_on(bot):
    carla, dirk = await setup_pool(bot, ("Carla", "Dirk"))
    bot.tg.block(carla.chat_id)
    bot.clock.set(MONDAY_0830)
    report = await digest_pass(bot.app)
    assert (report.sent, report.blocked) == (1, 1)
    assert len(digests_of(dirk)) == 1
    assert (await bot.app_user(carla)).blocked_bot
    statuses = {r.recipient_id: r.status for r in await delivery_rows(bot)}
    assert statuses[(await bot.app_user(carla)).id] == "blocked"
    # Not retried: blocked is final for this week.
    bot.clock.advance(minutes=30)
    assert (await digest_pass(bot.app)).sent == 0


async def test_failed_first_message_is_retried_by_a_later_pass(bot):
    (carla,) = await setup_pool(bot)
    bot.tg.fail_next("sendMessage", 400, description="Bad Request: something odd")
    bot.clock.set(MONDAY_0830)
    assert (await digest_pass(bot.app)).failed == 1
    assert digests_of(carla) == []
    bot.clock.advance(minutes=15)
    assert (await digest_pass(bot.app)).sent == 1
    (row,) = await delivery_rows(bot)
    assert (row.status, row.attempts) == ("sent", 2)
    assert len(digests_of(carla)) == 1
    assert carla.last_reply.kind == "photo"


async def test_a_failed_chart_never_brings_the_text_twice(bot):
    (carla,) = await setup_pool(bot)
    bot.tg.fail_next("sendPhoto", 400, description="Bad Request: something odd")
    bot.clock.set(MONDAY_0830)
    first = await digest_pass(bot.app)
    # The text went out: delivered (the chart is a nice-to-have), logged as partial.
    assert (first.sent, first.partial, first.failed) == (1, 1, 0)
    for minutes in (15, 15, 60):
        bot.clock.advance(minutes=minutes)
        assert (await digest_pass(bot.app)).sent == 0
    assert len(digests_of(carla)) == 1
    assert len(bot.tg.calls_to("sendPhoto")) == 1
    (row,) = await delivery_rows(bot)
    assert (row.status, row.attempts) == ("sent", 1)


class HeldSender(Sender):
    """Holds sends until `release` is set, like a long paced batch or a long 429 wait; the
    first `let_through` sends go at once. `waiting` is set once a send is held."""

    def __init__(self, let_through: int = 0) -> None:
        super().__init__(Pacer(rate=1000, per_chat=0))
        self.let_through = let_through
        self.waiting = asyncio.Event()
        self.release = asyncio.Event()

    async def deliver(self, chat_id, call):
        if self.let_through > 0:
            self.let_through -= 1
        else:
            self.waiting.set()
            await self.release.wait()
        return await super().deliver(chat_id, call)


async def test_a_pass_outlasting_its_lease_does_not_send_a_copy(bot):
    (carla,) = await setup_pool(bot)
    held = HeldSender()
    bot.clock.set(MONDAY_0830)
    slow = asyncio.create_task(digest_pass(bot.app, sender=held))
    await asyncio.wait_for(held.waiting.wait(), 30)
    # The lease has run out: the retry pass takes the claim over and delivers.
    bot.clock.advance(minutes=CLAIM_LEASE.seconds // 60 + 1)
    assert (await digest_pass(bot.app)).sent == 1
    held.release.set()
    late = await asyncio.wait_for(slow, 30)
    assert (late.sent, late.skipped) == (0, 1)  # saw the claim was no longer its own
    assert len(digests_of(carla)) == 1
    assert len(bot.tg.calls_to("sendPhoto")) == 1
    (row,) = await delivery_rows(bot)
    assert (row.status, row.attempts) == ("sent", 2)


async def test_each_outcome_is_recorded_right_after_its_send(bot):
    carla, dirk = await setup_pool(bot, ("Carla", "Dirk"))
    held = HeldSender(let_through=1)  # Carla's text goes; Dirk's text and her chart are held
    bot.clock.set(MONDAY_0830)
    dying = asyncio.create_task(digest_pass(bot.app, sender=held))
    await asyncio.wait_for(held.waiting.wait(), 30)
    carla_id = (await bot.app_user(carla)).id
    for _ in range(100):  # Carla's outcome is written without waiting for Dirk's
        if any(r.recipient_id == carla_id and r.status == "sent" for r in await delivery_rows(bot)):
            break
        await asyncio.sleep(0.05)
    dying.cancel()  # the process dies mid-batch
    with contextlib.suppress(asyncio.CancelledError):
        await dying
    bot.clock.advance(minutes=CLAIM_LEASE.seconds // 60 + 1)
    report = await digest_pass(bot.app)
    assert (report.sent, report.skipped) == (1, 1)
    assert [len(digests_of(p)) for p in (carla, dirk)] == [1, 1]


async def test_a_timed_out_send_is_not_sent_again(bot):
    (carla,) = await setup_pool(bot)
    sender = TimingOutSender()
    bot.clock.set(MONDAY_0830)
    report = await digest_pass(bot.app, sender=sender)
    assert (report.sent, report.failed, report.unknown) == (0, 1, 1)
    assert sender.requests == 1  # not retried: it may have arrived (here it did)
    for minutes in (15, 15, 60):
        bot.clock.advance(minutes=minutes)
        assert (await digest_pass(bot.app)).sent == 0
    assert len(digests_of(carla)) == 1
    (row,) = await delivery_rows(bot)
    assert (row.status, row.attempts) == ("unknown", 1)


class TimingOutSender(Sender):
    """Every request reaches Telegram, but its answer does not come back in time (ptb's
    TimedOut after the request was written)."""

    def __init__(self) -> None:
        super().__init__(Pacer(rate=1000, per_chat=0))
        self.requests = 0

    async def deliver(self, chat_id, call):
        async def call_then_time_out():
            self.requests += 1
            await call()
            raise TimedOut

        return await super().deliver(chat_id, call_then_time_out)


async def test_long_digest_is_split_within_telegram_limits(bot):
    (carla,) = await setup_pool(bot)
    r = await refs(bot.engine)
    anna = await add_user(bot.engine, "Writer")
    for i in range(30):
        await add_signal(bot.engine, r, anna, W47.monday, f"Signaal {i}: " + "lange tekst " * 40)
    bot.clock.set(MONDAY_0830)
    await digest_pass(bot.app)
    replies = carla.replies
    start = next(i for i, m in enumerate(replies) if "Weekoverzicht week" in (m.text or ""))
    texts = [m for m in replies[start:] if m.kind == "text"]
    assert len(texts) >= 3
    assert [m.protect_content for m in texts] == [True] * len(texts)
    assert max(len(m.source_text) for m in texts) <= 4096, [len(m.source_text) for m in texts]
    joined = "\n".join(m.text for m in texts)
    assert "Signaal 0:" in joined and "Signaal 29:" in joined
    assert texts[0].text.startswith("Weekoverzicht week 47")


async def test_overzicht_on_demand_with_paging(bot):
    (carla,) = await setup_pool(bot)
    bot.clock.set(datetime(2026, 11, 25, 10, tzinfo=TZ))
    replies = await carla.says("/overzicht")
    assert "Weekoverzicht week 47" in replies[0].text
    assert replies.last.kind == "photo" and replies.last.button_labels == ["« Week 46", "Week 48 »"]
    older = await carla.press("« Week 46")
    assert "Weekoverzicht week 46" in older[0].text
    now = await carla.says("/overzicht 48")
    assert "nog niet voorbij" in now[0].text and "Weekoverzicht week 48" in now[1].text
    bad = (await carla.says("/overzicht 60")).only
    assert "/overzicht 47" in bad.text
    carla.assert_callbacks_answered()
    # On demand is not a delivery: the scheduled digest still goes out.
    assert await delivery_rows(bot) == []


async def test_experts_cannot_see_the_digest(bot):
    await setup_pool(bot)
    anna = await bot.expert("Anna")
    reply = (await anna.says("/overzicht")).only
    assert "coördinator" in reply.text


def test_cli_digest_dry_run_prints_and_records_nothing(db_url, monkeypatch, capsys):
    from bot.cli import main

    run_on_engine(db_url, seed_week)
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    assert main(["digest", "--week", "2026-W47", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "<b>Weekoverzicht week 47</b>" in out
    assert "Geen &lt;inloop&gt; in Arcen &amp; Velden" in out
    assert main(["digest", "--week", "2026-W99", "--dry-run"]) == 1
    assert "ISO week" in capsys.readouterr().err

    async def count(engine: AsyncEngine) -> int:
        async with session_factory(engine)() as s:
            return len((await s.exec(sm_select(DigestDelivery))).all())

    assert run_on_engine(db_url, count) == 0


def test_cli_digest_refuses_a_week_that_is_not_over(db_url, monkeypatch, capsys):
    from bot.cli import main

    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:TEST")
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:9/bot")  # never reached
    current = IsoWeek.of(datetime.now(TZ).date())
    for week in (current, current.shift(1), IsoWeek(2099, 10)):
        assert main(["digest", "--week", str(week)]) == 1
        err = capsys.readouterr().err
        assert "not over yet" in err and "--dry-run" in err and len(err.strip().splitlines()) == 1
    # Looking at the running week is fine.
    assert main(["digest", "--week", str(current), "--dry-run"]) == 0
    assert f"Weekoverzicht week {current.week}" in capsys.readouterr().out


async def test_run_digest_refuses_a_week_that_is_not_over(bot):
    (carla,) = await setup_pool(bot)
    bot.clock.set(datetime(2026, 11, 22, 23, 30, tzinfo=TZ))  # Sunday night: week 47 runs
    with pytest.raises(ValueError, match="not over"):
        await run_digest(bot.services, bot.app.bot, week=W47)
    assert await delivery_rows(bot) == []
    bot.clock.set(MONDAY_0830)
    assert (await digest_pass(bot.app)).sent == 1  # the real digest still goes out
    assert len(digests_of(carla)) == 1


async def test_each_active_deelopdracht_has_a_line_with_its_progress(bot):
    """The WIJ-Groningen fixture (tests/deel_fixture.py) on Sunday 22 November 2026, the last
    day of week 47: 29 new residents of 40 (expected 40 × 326 / 365 = 35,7); key figures K1, K2,
    K6 and K8 = 4 (expected 5 × 326 / 365 = 4,47); reasons known 20 / 29; went on 19 / 23."""
    from tests.deel_fixture import add_deelopdracht, seed_wij

    (carla,) = await setup_pool(bot)
    wij = await seed_wij(bot.engine)
    # Ended before week 47, and one that is not active: no line.
    before = W47.monday - timedelta(days=1)
    await add_deelopdracht(bot.engine, wij.venlo, "oud", "Oud", [], ends_on=before)
    await add_deelopdracht(bot.engine, wij.venlo, "gestopt", "Gestopt", [], active=False)
    await add_deelopdracht(bot.engine, wij.venray, "zonder", "Zonder doelen", [], ends_on=None)
    bot.clock.set(MONDAY_0830)
    await digest_pass(bot.app)
    (text_msg,) = digests_of(carla)
    section = text_msg.text.split("Deelopdrachten\n")[1].split("\n\n")[0].split("\n")
    assert section == [
        "• WIJ-Groningen West (Venlo): "
        "Nieuwe inwoners bereikt (eerste 6 maanden) 17 van 25 (doel niet gehaald) · "
        "Nieuwe inwoners bereikt 29 van 40 (achter op schema) · "
        "Sleutelfiguren met goed contact 4 van 5 (achter op schema) · "
        "Reden van niet-gebruik bekend 69 % (doel 80 %) (achter op schema) · "
        "Doorgestroomd naar voorzieningen 83 % (doel 80 %) (doel gehaald)",
        "• Zonder doelen (Venray): geen meetbare doelen",
    ]
