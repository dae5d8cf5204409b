"""Benchmark: what the database layer costs per update, against the bare driver, in one run.

    uv run python -m bench.db_overhead [--pg-url URL] [--n 2000] [--repeat 3]

CPU of this process (user + system, `time.process_time_ns`) per operation, median of
``--repeat`` runs of ``--n`` operations after a warm-up, for SQLite (a file in a temporary
folder) and, with ``--pg-url``, PostgreSQL (that database is WIPED, as in `bench.bench_targets`):

1. one transaction with one trivial statement (``BEGIN; SELECT 1; COMMIT``), made by the bare
   driver (``sqlite3`` / ``asyncpg``), by SQLAlchemy Core (``engine.begin()``) and by an ORM
   session as the bot opens them (`bot.storage.db.session_factory`);
2. a button press's database work as the bot does it (`bot.storage.unit.UnitOfWork`: the
   gatekeeper's `updates.record_and_load_user` with the pressed draft, `drafts.save`, the
   commit), and the same statements compiled once by SQLAlchemy and sent by the bare driver in
   one transaction: the floor that no code on top of the driver goes below.

The ratios say how much of a dialogue step's CPU the ORM/Core layers take on their own (the bot
spends 2.8–3.7 ms per step in all, `bench.bench_targets`). The statements here are the bot's
own, from the bot's modules; only the driver-level rows bypass SQLAlchemy, to measure it.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import tempfile
import time
import warnings
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlmodel import select

from bench.bench_targets import FIRST_USER_ID, prepare_database
from bot.storage import drafts, updates
from bot.storage.db import create_engine, session_factory
from bot.storage.models import User, table_of
from bot.storage.unit import UnitOfWork, current_unit

Op = Callable[[], Awaitable[Any]]
NOW = datetime(2026, 11, 17, 13, 0, tzinfo=UTC)
TTL = timedelta(hours=2)


async def per_op_us(op: Op, n: int, repeat: int) -> float:
    """Median CPU microseconds of one ``op`` (after a warm-up of n/10)."""
    for _ in range(max(1, n // 10)):
        await op()
    runs = []
    for _ in range(repeat):
        start = time.process_time_ns()
        for _ in range(n):
            await op()
        runs.append((time.process_time_ns() - start) / n / 1000)
    return statistics.median(runs)


class Ids:
    """Fresh update ids: each press records a new one, as Telegram's would be."""

    def __init__(self) -> None:
        self.next = 900_000_000

    def __call__(self) -> int:
        self.next += 1
        return self.next


async def measure(url: str, n: int, repeat: int) -> list[tuple[str, float]]:
    await prepare_database(url, 1)
    postgres = url.startswith("postgres")
    engine = create_engine(url)
    sessions = session_factory(engine)
    async with sessions() as s, s.begin():
        user = (await s.exec(select(User).where(User.telegram_user_id == FIRST_USER_ID))).one()
        draft = await drafts.start(s, user.id or 0, "contact", "a", {"step": 1}, NOW, TTL)
        draft_id = draft.id
    ids = Ids()

    async def orm_select1() -> None:
        async with sessions() as s, s.begin():
            await (await s.connection()).execute(text("SELECT 1"))

    async def core_select1() -> None:
        async with engine.begin() as conn:
            await conn.execute(text("SELECT 1"))

    async def press() -> None:
        unit = UnitOfWork(sessions)
        token = current_unit.set(unit)
        try:
            async with unit.block(commit=False) as s:
                _, me = await updates.record_and_load_user(s, ids(), NOW, FIRST_USER_ID, draft_id)
                assert me is not None
                s.expunge(me)
            async with unit.block() as s:
                d = await drafts.get_by_id(s, draft_id or 0)
                assert d is not None
                await drafts.save(s, d, NOW, TTL, state="b" if d.state == "a" else "a")
        finally:
            current_unit.reset(token)
            await unit.finish()

    # The same statements, compiled once by SQLAlchemy for this dialect, sent by the driver.
    dialect = engine.dialect
    gate = (
        updates._record_and_user_statement(True) if postgres else updates._USER_AND_DRAFT
    ).compile(dialect=dialect)
    record = updates._record_statement(dialect.name).compile(dialect=dialect)
    save = drafts._SAVE.compile(dialect=dialect)
    revision = [10_000]

    def args(compiled: Any, values: dict[str, Any]) -> tuple[Any, ...]:
        merged = {**compiled.params, **values}
        return tuple(merged[name] for name in compiled.positiontup)

    def save_args() -> tuple[Any, ...]:
        revision[0] += 1
        values = {
            "b_id": draft_id,
            "b_revision": revision[0] - 1,
            "state": "a",
            "data": '{"step": 1}',
            "revision": revision[0],
            "updated_at": NOW if postgres else NOW.isoformat(" "),
            "expires_at": NOW + TTL if postgres else (NOW + TTL).isoformat(" "),
        }
        return args(save, values)

    rows: list[tuple[str, float]] = []
    if postgres:
        import asyncpg  # type: ignore[import-untyped]  # ships no stubs or py.typed

        conn = await asyncpg.connect(url.replace("+asyncpg", ""))
        table = table_of(drafts.ConversationDraft)
        await conn.execute(f"UPDATE {table.name} SET revision = $1 WHERE id = $2", 10_000, draft_id)

        async def driver_select1() -> None:
            async with conn.transaction():
                await conn.fetch("SELECT 1")

        async def driver_press() -> None:
            async with conn.transaction():
                at = {"update_id": ids(), "at": NOW, "tg_id": FIRST_USER_ID, "draft_id": draft_id}
                await conn.fetch(gate.string, *args(gate, at))
                await conn.execute(save.string, *save_args())

    else:
        path = url.split("///", 1)[1]
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute(f"UPDATE conversation_draft SET revision = 10000 WHERE id = {draft_id}")

        async def driver_select1() -> None:
            conn.execute("BEGIN")
            conn.execute("SELECT 1").fetchall()
            conn.execute("COMMIT")

        async def driver_press() -> None:
            conn.execute("BEGIN")
            conn.execute(record.string, args(record, {"update_id": ids(), "at": str(NOW)}))
            conn.execute(gate.string, args(gate, {"tg_id": FIRST_USER_ID, "draft_id": draft_id}))
            conn.execute(save.string, save_args()).fetchall()
            conn.execute("COMMIT")

    rows.append(("BEGIN; SELECT 1; COMMIT — driver", await per_op_us(driver_select1, n, repeat)))
    rows.append(("  SQLAlchemy Core", await per_op_us(core_select1, n, repeat)))
    rows.append(("  ORM session (as the bot's)", await per_op_us(orm_select1, n, repeat)))
    rows.append(("button press's DB work — driver", await per_op_us(driver_press, n, repeat)))
    # The driver's rows moved the draft's revision on: start the bot's rows from the database.
    async with sessions() as s, s.begin():
        await (await s.connection()).execute(
            text("UPDATE conversation_draft SET revision = 1 WHERE id = :i"), {"i": draft_id}
        )
    rows.append(("  as the bot does it (unit of work)", await per_op_us(press, n, repeat)))
    if postgres:
        await conn.close()
    else:
        conn.close()
    await engine.dispose()
    return rows


def report(label: str, rows: list[tuple[str, float]]) -> None:
    print(f"\n{label}: CPU per operation (this process, user + system)")
    base = 0.0
    for name, us in rows:
        if not name.startswith(" "):
            base = us
        ratio = f"{us / base:5.1f}x the driver" if name.startswith(" ") else ""
        print(f"  {name:<40} {us:8.0f} us  {ratio}")


async def run(args: argparse.Namespace) -> None:
    warnings.simplefilter("ignore")  # sqlmodel's "use exec()" note on Core text statements
    with tempfile.TemporaryDirectory() as tmp:
        sqlite_url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        report("SQLite", await measure(sqlite_url, args.n, args.repeat))
    if args.pg_url:
        report("PostgreSQL", await measure(args.pg_url, args.n, args.repeat))


def main() -> None:
    p = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    p.add_argument("--pg-url", default=None, help="a PostgreSQL database the bench may WIPE")
    p.add_argument("--n", type=int, default=2000, help="operations per run (2000)")
    p.add_argument("--repeat", type=int, default=3, help="runs; the median is shown (3)")
    asyncio.run(run(p.parse_args()))


if __name__ == "__main__":
    main()
