"""Generate a large, realistic pool database for benchmarks (fast bulk inserts).

    uv run python -m bench.gen_data --database-url sqlite:////tmp/bench.db \
        [--contacts 1000000] [--experts 2000] [--weeks 104] [--end 2026-11-22]

Migrates the database (schema + reference data), removes earlier benchmark rows, then inserts
experts, coordinators, contacts (1-2 themes each; 10 % with 1-2 referrals), indirect hours,
signals and stories spread over `--weeks` weeks ending on `--end`. SQLite: one `executemany`
transaction via the stdlib driver; PostgreSQL: COPY via asyncpg. Deterministic (seeded), so
runs are comparable.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.engine import make_url

from bot.storage.migrate import migrate

EXPERT_TG_BASE = 5_000_000
COORD_TG_BASE = 9_000_000
DURATIONS = (15, 30, 30, 45, 45, 60, 60, 60, 90, 120)
TABLES = (
    "reminder_delivery",
    "digest_delivery",
    "day_off",
    "contact_theme",
    "contact_referral",
    "story",
    "signal",
    "indirect_hours",
    "contact",
    "conversation_draft",
    "audit_log",
    "processed_update",
    "invite",
    "app_user",
)


@dataclass
class Refs:
    munis: list[tuple[int, float]]
    themes: list[int]
    activities: list[int]
    indirect_kinds: list[int]
    referrals: list[int]
    signal_kinds: list[int]


@dataclass
class Sizes:
    contacts: int
    experts: int
    weeks: int
    end: date
    coordinators: int = 3
    blocked: int = 0  # experts who blocked the bot (already known)
    # "logged": ids follow the work date, as when contacts are logged day by day (real life);
    # "random": work dates scattered over the ids (worst case for range scans).
    order: str = "logged"


def _ts(dt: datetime, sqlite_: bool) -> object:
    return dt.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite_ else dt


def _d(d: date, sqlite_: bool) -> object:
    return d.isoformat() if sqlite_ else d


def users(sizes: Sizes, refs: Refs, sqlite_: bool) -> Iterator[tuple]:
    rnd = random.Random(1)
    created = _ts(datetime(2024, 1, 1, tzinfo=UTC), sqlite_)
    at = "16:30:00.000000" if sqlite_ else datetime(2000, 1, 1, 16, 30).time()
    uid = 0
    for i in range(sizes.experts):
        uid += 1
        muni = rnd.choice(refs.munis)[0]
        blocked = i < sizes.blocked
        yield (
            uid, EXPERT_TG_BASE + i, EXPERT_TG_BASE + i, "expert", f"Expert {i:04d}", muni, "nl",
            "12345", at, True, None, True, blocked, None, created, None,
        )  # fmt: skip
    for i in range(sizes.coordinators):
        uid += 1
        yield (
            uid, COORD_TG_BASE + i, COORD_TG_BASE + i, "coordinator", f"Coord {i}", None, "nl",
            "12345", at, True, None, True, False, None, created, None,
        )  # fmt: skip


USER_COLS = (
    "id", "telegram_user_id", "chat_id", "role", "display_name", "home_municipality_id",
    "language", "reminder_days", "reminder_time", "reminders_enabled", "pause_until", "active",
    "blocked_bot", "blocked_at", "created_at", "deleted_at",
)  # fmt: skip

CONTACT_COLS = (
    "id", "submission_key", "expert_id", "work_date", "duration_minutes", "municipality_id",
    "activity_type_id", "residents_count", "residents_new", "referral_target_id", "created_at",
)  # fmt: skip
THEME_COLS = ("contact_id", "theme_id")
REFERRAL_COLS = ("contact_id", "referral_target_id")
INDIRECT_COLS = (
    "id", "submission_key", "expert_id", "work_date", "duration_minutes", "kind_id",
    "municipality_id", "created_at",
)  # fmt: skip
NOTE_COLS = (
    "id",
    "submission_key",
    "expert_id",
    "work_date",
    "municipality_id",
    "text",
    "created_at",
)


def work_rows(
    sizes: Sizes, refs: Refs, sqlite_: bool
) -> tuple[list[tuple], list[tuple], list[tuple], list[tuple], list[tuple], list[tuple]]:
    rnd = random.Random(2)
    start = sizes.end - timedelta(weeks=sizes.weeks) + timedelta(days=1)
    # Work days only (Mon-Fri), like the real pool.
    days = [
        start + timedelta(days=k)
        for k in range(sizes.weeks * 7)
        if (start + timedelta(days=k)).weekday() < 5
    ]
    day_vals = [_d(d, sqlite_) for d in days]
    muni_ids = [m for m, _k in refs.munis]
    muni_w = [max(k, 0.1) for _m, k in refs.munis]
    created = _ts(datetime(2025, 1, 1, tzinfo=UTC), sqlite_)
    n = sizes.contacts
    expert_ids = [rnd.randrange(1, sizes.experts + 1) for _ in range(n)]
    munis = rnd.choices(muni_ids, weights=muni_w, k=n)
    dates = [rnd.choice(day_vals) for _ in range(n)]
    if sizes.order == "logged":
        dates.sort()
    contacts = []
    themes = []
    referrals = []
    for i in range(n):
        residents = rnd.choice((1, 1, 1, 1, 2, 3))
        # As the bot writes it: every referral in contact_referral, the first also on the
        # contact. 10 % of contacts refer; a fifth of those to a second target too.
        ref = rnd.choice(refs.referrals) if rnd.random() < 0.1 else None
        contacts.append(
            (
                i + 1, f"b{i}", expert_ids[i], dates[i], rnd.choice(DURATIONS),
                munis[i], rnd.choice(refs.activities), residents, rnd.randint(0, residents),
                ref, created,
            )
        )  # fmt: skip
        if ref is not None:
            referrals.append((i + 1, ref))
            if rnd.random() < 0.2:
                other = rnd.choice(refs.referrals)
                if other != ref:
                    referrals.append((i + 1, other))
        first = rnd.choice(refs.themes)
        themes.append((i + 1, first))
        if rnd.random() < 0.5:
            second = rnd.choice(refs.themes)
            if second != first:
                themes.append((i + 1, second))
    indirect = [
        (
            i + 1, f"bi{i}", rnd.randrange(1, sizes.experts + 1), rnd.choice(day_vals),
            rnd.choice(DURATIONS), rnd.choice(refs.indirect_kinds),
            rnd.choice(muni_ids) if rnd.random() < 0.7 else None, created,
        )
        for i in range(n // 5)
    ]  # fmt: skip
    n_notes = max(10, sizes.weeks * 5)
    signals = [
        (
            i + 1, f"bs{i}", rnd.randrange(1, sizes.experts + 1), rnd.choice(day_vals),
            rnd.choice(muni_ids), f"Signaal {i}: geen inloop op woensdag & wachtlijst <6 weken>",
            created, rnd.choice(refs.signal_kinds),
        )
        for i in range(n_notes)
    ]  # fmt: skip
    stories = [
        (
            i + 1, f"bv{i}", rnd.randrange(1, sizes.experts + 1), rnd.choice(day_vals),
            rnd.choice(muni_ids), f"Verhaal {i}: ze durfde weer naar de huisarts te bellen.",
            created,
        )
        for i in range(n_notes)
    ]  # fmt: skip
    return contacts, themes, referrals, indirect, signals, stories


def _ins(table: str, cols: tuple[str, ...]) -> str:
    return f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"


Row = Sequence[Any]  # a result row: sqlite3's tuple or asyncpg's Record, copied to a tuple


def _refs_from(query: Callable[[str], Sequence[Row]]) -> Refs:
    return Refs(
        munis=[(r[0], float(r[1])) for r in query("SELECT id, mgr_key_pct FROM municipality")],
        themes=[r[0] for r in query("SELECT id FROM theme")],
        activities=[r[0] for r in query("SELECT id FROM activity_type")],
        indirect_kinds=[r[0] for r in query("SELECT id FROM indirect_kind")],
        referrals=[r[0] for r in query("SELECT id FROM referral_target")],
        signal_kinds=[r[0] for r in query("SELECT id FROM signal_kind")],
    )


def _fill_sqlite(path: str, sizes: Sizes) -> None:
    con = sqlite3.connect(path)
    try:
        refs = _refs_from(lambda q: con.execute(q).fetchall())
        con.execute("PRAGMA synchronous=OFF")
        con.execute("PRAGMA foreign_keys=OFF")
        with con:
            for t in TABLES:
                con.execute(f"DELETE FROM {t}")
            con.executemany(_ins("app_user", USER_COLS), users(sizes, refs, True))
            contacts, themes, referrals, indirect, signals, stories = work_rows(sizes, refs, True)
            con.executemany(_ins("contact", CONTACT_COLS), contacts)
            con.executemany(_ins("contact_theme", THEME_COLS), themes)
            con.executemany(_ins("contact_referral", REFERRAL_COLS), referrals)
            con.executemany(_ins("indirect_hours", INDIRECT_COLS), indirect)
            con.executemany(_ins("signal", (*NOTE_COLS, "kind_id")), signals)
            con.executemany(_ins("story", NOTE_COLS), stories)
        con.execute("ANALYZE")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()


async def _fill_pg(url: str, sizes: Sizes) -> None:
    import asyncpg  # type: ignore[import-untyped]  # ships no stubs or py.typed

    u = make_url(url)
    conn = await asyncpg.connect(
        user=u.username, password=u.password, host=u.host, port=u.port or 5432, database=u.database
    )
    try:
        refs = _refs_from_rows(await _pg_refs(conn))
        async with conn.transaction():
            await conn.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
            await conn.copy_records_to_table(
                "app_user", records=list(users(sizes, refs, False)), columns=list(USER_COLS)
            )
            contacts, themes, referrals, indirect, signals, stories = work_rows(sizes, refs, False)
            await conn.copy_records_to_table(
                "contact", records=contacts, columns=list(CONTACT_COLS)
            )
            await conn.copy_records_to_table(
                "contact_theme", records=themes, columns=list(THEME_COLS)
            )
            await conn.copy_records_to_table(
                "contact_referral", records=referrals, columns=list(REFERRAL_COLS)
            )
            await conn.copy_records_to_table(
                "indirect_hours", records=indirect, columns=list(INDIRECT_COLS)
            )
            await conn.copy_records_to_table(
                "signal", records=signals, columns=[*NOTE_COLS, "kind_id"]
            )
            await conn.copy_records_to_table("story", records=stories, columns=list(NOTE_COLS))
            for t in ("app_user", "contact", "indirect_hours", "signal", "story"):
                await conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {t}))"
                )
        await conn.execute("ANALYZE")
    finally:
        await conn.close()


async def _pg_refs(conn: Any) -> dict[str, list[Row]]:  # conn: an asyncpg.Connection (untyped)
    out: dict[str, list[Row]] = {}
    for q in (
        "SELECT id, mgr_key_pct FROM municipality",
        "SELECT id FROM theme",
        "SELECT id FROM activity_type",
        "SELECT id FROM indirect_kind",
        "SELECT id FROM referral_target",
        "SELECT id FROM signal_kind",
    ):
        out[q] = [tuple(r) for r in await conn.fetch(q)]
    return out


def _refs_from_rows(rows: dict[str, list[Row]]) -> Refs:
    return _refs_from(lambda q: rows[q])


async def generate(url: str, sizes: Sizes) -> float:
    """Migrate and fill; returns seconds spent inserting."""
    await migrate(url)
    t0 = time.perf_counter()
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        path = make_url(url).database
        assert path
        await asyncio.to_thread(_fill_sqlite, path, sizes)
    else:
        await _fill_pg(url, sizes)
    return time.perf_counter() - t0


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--database-url", required=True)
    p.add_argument("--contacts", type=int, default=1_000_000)
    p.add_argument("--experts", type=int, default=2_000)
    p.add_argument("--weeks", type=int, default=104)
    p.add_argument("--end", type=date.fromisoformat, default=date(2026, 11, 22))
    p.add_argument("--order", choices=["logged", "random"], default="logged")
    a = p.parse_args()
    sizes = Sizes(a.contacts, a.experts, a.weeks, a.end, order=a.order)
    secs = asyncio.run(generate(a.database_url, sizes))
    print(f"generated {a.contacts} contacts, {a.experts} experts in {secs:.1f}s")


if __name__ == "__main__":
    main()
