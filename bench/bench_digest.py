"""Benchmark: the weekly digest (SQL aggregates + render) and the reminder pass, at pool scale.

    uv run python -m bench.bench_digest [--contacts 1000000] [--experts 2000]
        [--sqlite PATH] [--pg URL | --no-pg] [--regen] [--no-reminders] [--runs 5]

1. Generates (bench/gen_data.py) a database with `--contacts` contacts over two years and
   `--experts` experts, on SQLite and, when reachable, PostgreSQL (BENCH_PG_URL or --pg).
   An existing database of the right size is reused unless --regen.
2. Digest: times `reports.week_digest` (all SQL) and rendering + splitting into Telegram
   messages for the last week of the data, median of `--runs`. Baseline, same run: one
   indexed range query (`count(*), sum(duration)` of that week's contacts). Target < 1 s.
   The chart (matplotlib) is timed on its own.
3. Reminder pass: every expert is due (a Tuesday 16:31, nobody logged anything that day). The
   fake Bot API server enforces Telegram's flood limits (30/s overall, 1/s per chat) and
   answers 429 when they are exceeded. Prints time, messages/s, the number of 429s (target 0)
   and the ratio to the ideal time at 30 msg/s. A second pass right after must send nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlmodel import col

from bench.gen_data import EXPERT_TG_BASE, Sizes, generate
from bot.clock import FrozenClock
from bot.config import Settings
from bot.domain.digest import IsoWeek, render_digest, split_html
from bot.i18n import translator
from bot.services import Services
from bot.storage import reports
from bot.storage.db import create_engine
from bot.storage.models import Contact, User, table_of

WEEK = IsoWeek(2026, 47)
END = WEEK.sunday
REMINDER_DAY = date(2026, 11, 24)  # Tuesday after the data ends
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/bench_r4"


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


async def _sizes_ok(url: str, sizes: Sizes) -> bool:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            n = (await conn.execute(select(func.count()).select_from(Contact))).scalar()
            e = (
                await conn.execute(
                    select(func.count()).select_from(User).where(col(User.role) == "expert")
                )
            ).scalar()
            return n == sizes.contacts and e == sizes.experts
    except Exception:
        return False
    finally:
        await engine.dispose()


async def _pg_reachable(url: str) -> bool:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        return True
    except Exception:
        return False
    finally:
        await engine.dispose()


async def bench_digest(url: str, runs: int) -> dict[str, float]:
    settings = Settings(database_url=url)
    services = Services(settings=settings, engine=create_engine(url))
    t = translator("nl")
    c = table_of(Contact).c
    baseline_q = select(func.count(), func.sum(c.duration_minutes)).where(
        c.work_date >= WEEK.monday, c.work_date <= WEEK.sunday, c.deleted_at.is_(None)
    )
    base, query, render, chunks = [], [], [], 0
    try:
        for i in range(runs + 1):  # the first round warms caches and is not counted
            t0 = time.perf_counter()
            # A Core select: sqlmodel types exec() for its own select() (call-overload).
            async with services.sessions() as s:
                await s.exec(baseline_q)  # type: ignore[call-overload]
            t1 = time.perf_counter()
            async with services.sessions() as s:
                d = await reports.week_digest(s, WEEK, settings.tz)
            t2 = time.perf_counter()
            parts = split_html(render_digest(d, t))
            t3 = time.perf_counter()
            if i:
                base.append(t1 - t0)
                query.append(t2 - t1)
                render.append(t3 - t2)
            chunks = len(parts)
        from bot.chart import hours_vs_share_png
        from bot.domain.digest import chart_bars

        t0 = time.perf_counter()
        png = hours_vs_share_png(chart_bars(d), title="x", hours_label="uren", share_label="deel")
        chart = time.perf_counter() - t0
    finally:
        await services.engine.dispose()
    return {
        "baseline_ms": _median_ms(base),
        "query_ms": _median_ms(query),
        "render_ms": _median_ms(render),
        "chart_ms": chart * 1000,
        "chunks": chunks,
        "png_kb": len(png) / 1024,
        "contacts_in_week": d.totals.contacts,
    }


async def bench_reminders(
    url: str, experts: int, blocked_in_db: int, blocked_in_telegram: int
) -> dict[str, Any]:
    """Experts [0, blocked_in_db) are known to have blocked the bot (skipped); the next
    `blocked_in_telegram` blocked it without us knowing (403, marked during the pass)."""
    from telegram import Bot

    from bot.scheduler import run_reminders
    from bot.storage.models import DayOff, ReminderDelivery
    from fakebot.ptb import fake_request
    from fakebot.server import DEFAULT_TOKEN, FakeTelegram

    now = datetime(2026, 11, 24, 16, 31, tzinfo=ZONE).astimezone(UTC)
    clock = FrozenClock(now)
    settings = Settings(database_url=url)
    services = Services(settings=settings, engine=create_engine(url), clock=clock)
    async with services.engine.begin() as conn:  # a rerun starts clean
        deliveries, days_off, users = table_of(ReminderDelivery), table_of(DayOff), table_of(User)
        await conn.execute(deliveries.delete().where(deliveries.c.local_date == REMINDER_DAY))
        await conn.execute(days_off.delete().where(days_off.c.work_date == REMINDER_DAY))
        first = EXPERT_TG_BASE + blocked_in_db
        await conn.execute(
            users.update()
            .where(users.c.telegram_user_id >= first)
            .where(users.c.telegram_user_id < first + blocked_in_telegram)
            .values(blocked_bot=False, blocked_at=None)
        )
    async with FakeTelegram() as tg:
        for i in range(experts):
            tg.add_private_chat(f"Expert {i}", user_id=EXPERT_TG_BASE + i)
        for i in range(blocked_in_db, blocked_in_db + blocked_in_telegram):
            tg.block(EXPERT_TG_BASE + i)  # blocked the bot without us knowing yet: 403
        tg.enforce_flood_limits()
        bot = Bot(DEFAULT_TOKEN, base_url=tg.api_base_url, request=fake_request(pool_size=64))
        async with bot:
            t0 = time.perf_counter()
            report = await run_reminders(services, bot, now)
            elapsed = time.perf_counter() - t0
            again = await run_reminders(services, bot, now + timedelta(minutes=1))
        flood = tg.stats.flood_429s
    await services.engine.dispose()
    sent = report.sent
    attempted = sent + report.blocked + report.failed
    ideal = attempted / 30.0
    return {
        "sent": sent,
        "blocked": report.blocked,
        "failed": report.failed,
        "seconds": elapsed,
        "per_sec": attempted / elapsed if elapsed else 0.0,
        "ratio_to_ideal": elapsed / ideal if ideal else 0.0,
        "flood_429s": flood,
        "second_pass_sent": again.sent,
    }


ZONE = Settings().tz


async def databases(a: argparse.Namespace) -> list[tuple[str, str]]:
    """The databases to measure, by name: SQLite, and PostgreSQL unless --no-pg or it is not
    reachable (said so)."""
    targets = [("sqlite", f"sqlite:///{a.sqlite}")]
    pg = a.pg or os.environ.get("BENCH_PG_URL") or DEFAULT_PG
    if not a.no_pg:
        if await _pg_reachable(pg):
            targets.append(("postgresql", pg))
        else:
            print(f"PostgreSQL not reachable ({make_url(pg).render_as_string()}): skipped")
    return targets


async def main_async(a: argparse.Namespace) -> None:
    sizes = Sizes(a.contacts, a.experts, 104, END, blocked=a.experts // 100, order=a.order)
    for name, url in await databases(a):
        print(
            f"\n== {name}: {sizes.contacts:,} contacts ({sizes.order} order), "
            f"{sizes.experts:,} experts =="
        )
        if a.regen or not await _sizes_ok(url, sizes):
            secs = await generate(url, sizes)
            print(f"generated in {secs:.1f}s")
        r = await bench_digest(url, a.runs)
        total = r["query_ms"] + r["render_ms"]
        print(
            f"digest week {WEEK}: {r['contacts_in_week']:,} contacts in the week, "
            f"{r['chunks']} message(s)"
        )
        print(
            f"  SQL aggregates {r['query_ms']:.1f} ms + render/split {r['render_ms']:.1f} ms "
            f"= {total:.1f} ms (target < 1000 ms: {'OK' if total < 1000 else 'MISSED'})"
        )
        print(
            f"  baseline (one indexed range query) {r['baseline_ms']:.1f} ms -> "
            f"digest/baseline ratio {total / r['baseline_ms']:.1f}x"
        )
        print(f"  chart PNG {r['chart_ms']:.0f} ms ({r['png_kb']:.0f} KiB), off the event loop")
        if not a.no_reminders:
            blocked = max(1, a.experts // 400)
            rr = await bench_reminders(url, a.experts, sizes.blocked, blocked)
            print(
                f"reminder pass: {rr['sent']:,} sent, {rr['blocked']} blocked (403), "
                f"{rr['failed']} failed in {rr['seconds']:.1f}s = {rr['per_sec']:.1f} msg/s; "
                f"429s: {rr['flood_429s']} (target 0); time / ideal at 30 msg/s: "
                f"{rr['ratio_to_ideal']:.2f}; second pass sent {rr['second_pass_sent']}"
            )


def main() -> None:
    p = argparse.ArgumentParser(description="digest and reminder benchmark")
    p.add_argument("--contacts", type=int, default=1_000_000)
    p.add_argument("--experts", type=int, default=2_000)
    p.add_argument("--sqlite", default="/tmp/ervaringsbot-bench.db")
    p.add_argument("--pg", help=f"PostgreSQL URL (default $BENCH_PG_URL or {DEFAULT_PG})")
    p.add_argument("--no-pg", action="store_true")
    p.add_argument("--regen", action="store_true")
    p.add_argument(
        "--order",
        choices=["logged", "random"],
        default="logged",
        help="contact ids in work-date order (as logged day by day) or scattered (worst case)",
    )
    p.add_argument("--no-reminders", action="store_true")
    p.add_argument("--runs", type=int, default=5)
    a = p.parse_args()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    asyncio.run(main_async(a))


if __name__ == "__main__":
    main()
