"""Benchmark: the half-yearly report (issue 11) at pool scale.

    uv run python -m bench.bench_report [--contacts 1000000] [--experts 2000]
        [--periode 2026-H1] [--sqlite PATH] [--pg URL | --no-pg] [--regen] [--runs 3]

Generates (bench/gen_data.py) a database with `--contacts` contacts over two years, on SQLite
and, when reachable, PostgreSQL (BENCH_PG_URL or --pg); an existing one of the right size is
reused. Then, median of `--runs` (after one warm-up round):

* baseline: one indexed range scan of the period (`count(*), sum(duration)` of its contacts);
* the full pack: 14 municipality PDFs + the region's PDF + the workbook (target < 5 s);
* one municipality: Venlo's PDF + its workbook (target < 1 s);
and the share of the full pack spent in SQL.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from datetime import UTC, datetime

from sqlalchemy import func, select

from bench.bench_digest import DEFAULT_PG, END, _sizes_ok, databases
from bench.gen_data import Sizes, generate
from bot.domain.periods import Period, parse_period, year_to_date
from bot.report import build_pack
from bot.storage.db import create_engine, session_factory
from bot.storage.migrate import migrate
from bot.storage.models import Contact, table_of
from bot.storage.report_queries import load_report_data

TZ_NAME = "Europe/Amsterdam"


async def bench(url: str, period: Period, runs: int) -> dict[str, float]:
    from zoneinfo import ZoneInfo

    await migrate(url)  # a database generated before the report's indexes (report_1) gets them
    engine = create_engine(url)
    factory = session_factory(engine)
    c = table_of(Contact).c
    baseline_q = select(func.count(), func.sum(c.duration_minutes)).where(
        c.work_date >= period.start, c.work_date <= period.end_inclusive, c.deleted_at.is_(None)
    )
    tz = ZoneInfo(TZ_NAME)
    out: dict[str, list[float]] = {"baseline": [], "sql": [], "full": [], "one": []}
    files = size = contacts = 0
    try:
        for i in range(runs + 1):  # round 0 warms caches (and imports matplotlib, Typst)
            t0 = time.perf_counter()
            # A Core select: sqlmodel types exec() for its own select() (call-overload).
            async with factory() as s:
                contacts = int((await s.exec(baseline_q)).one()[0])  # type: ignore[call-overload]
            t1 = time.perf_counter()
            async with factory() as s:
                await load_report_data(s, period, year_to_date(period))
            t2 = time.perf_counter()
            async with factory() as s:
                got = [
                    f
                    async for f in build_pack(
                        s, period=period, municipality_codes=None, now=datetime.now(UTC),
                        tz=tz, threshold=5,
                    )
                ]  # fmt: skip
            t3 = time.perf_counter()
            async with factory() as s:
                one = [
                    f
                    async for f in build_pack(
                        s, period=period, municipality_codes=["venlo"], now=datetime.now(UTC),
                        tz=tz, threshold=5,
                    )
                ]  # fmt: skip
            t4 = time.perf_counter()
            if i:
                out["baseline"].append(t1 - t0)
                out["sql"].append(t2 - t1)
                out["full"].append(t3 - t2)
                out["one"].append(t4 - t3)
            files, size = len(got), sum(len(f.content) for f in got)
            assert len(one) == 2
    finally:
        await engine.dispose()
    med = {k: statistics.median(v) * 1000 for k, v in out.items()}
    med.update(files=files, kib=size / 1024, contacts=contacts)
    return med


async def main_async(a: argparse.Namespace) -> None:
    period = parse_period(a.periode)
    sizes = Sizes(a.contacts, a.experts, 104, END, blocked=a.experts // 100, order="logged")
    for name, url in await databases(a):
        print(f"\n== {name}: {sizes.contacts:,} contacts, {sizes.experts:,} experts ==")
        if a.regen or not await _sizes_ok(url, sizes):
            print(f"generated in {await generate(url, sizes):.1f}s")
        r = await bench(url, period, a.runs)
        print(f"period {period.key}: {int(r['contacts']):,} contacts in the period")
        print(f"  baseline (one indexed range scan)  {r['baseline']:8.1f} ms")
        print(f"  report SQL (all aggregates)        {r['sql']:8.1f} ms")
        ok = "OK" if r["full"] < 5000 else "MISSED"
        print(
            f"  full pack ({int(r['files'])} files, {r['kib']:.0f} KiB) {r['full']:8.1f} ms "
            f"(target < 5000 ms: {ok}) = {r['full'] / r['baseline']:.0f}x baseline"
        )
        ok = "OK" if r["one"] < 1000 else "MISSED"
        print(f"  one municipality (PDF + XLSX)      {r['one']:8.1f} ms (target < 1000 ms: {ok})")


def main() -> None:
    p = argparse.ArgumentParser(description="half-yearly report benchmark")
    p.add_argument("--contacts", type=int, default=1_000_000)
    p.add_argument("--experts", type=int, default=2_000)
    p.add_argument("--periode", default="2026-H1")
    p.add_argument("--sqlite", default="/tmp/ervaringsbot-bench.db")
    p.add_argument("--pg", help=f"PostgreSQL URL (default $BENCH_PG_URL or {DEFAULT_PG})")
    p.add_argument("--no-pg", action="store_true")
    p.add_argument("--regen", action="store_true")
    p.add_argument("--runs", type=int, default=3)
    asyncio.run(main_async(p.parse_args()))


if __name__ == "__main__":
    main()
