"""`python -m bot health [--offline]`: is this bot healthy? One line per check, exit code 0
when all pass, 1 when one fails (the Docker HEALTHCHECK and scripts use the code).

Checks: the database answers; its schema is at the newest migration; when the last update was
handled (information: a quiet week is not a fault); the scheduler of the bot running here is
alive (its heartbeat file is fresh: the bot touches `HEARTBEAT_FILE` every 30 s from a job, so
a stuck event loop or a dead scheduler shows); and, unless `--offline`, Telegram accepts the
token (getMe).
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bot.config import Settings, safe_database_url

HEARTBEAT_JOB_ID = "heartbeat"
HEARTBEAT_INTERVAL = 30  # seconds
HEARTBEAT_MAX_AGE = 150  # seconds: five missed beats
CHECK_TIMEOUT = 10.0


def write_heartbeat(path: Path) -> None:
    """Atomically replace the heartbeat file: `{"pid", "at"}` (wall-clock seconds)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_text(json.dumps({"pid": os.getpid(), "at": time.time()}))
    os.replace(tmp, path)


async def heartbeat_job(context: Any) -> None:
    write_heartbeat(context.application.bot_data.services.settings.heartbeat_file)


def schedule_heartbeat(application: Any) -> None:
    jq = application.job_queue
    if jq is None:
        return
    jq.run_repeating(
        heartbeat_job,
        interval=HEARTBEAT_INTERVAL,
        first=0,
        name=HEARTBEAT_JOB_ID,
        job_kwargs={"id": HEARTBEAT_JOB_ID, "replace_existing": True, "coalesce": True},
    )


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{'ok  ' if self.ok else 'FAIL'}  {self.name:<10} {self.detail}"


def _ago(seconds: float) -> str:
    seconds = max(0, int(seconds))
    if seconds < 120:
        return f"{seconds} s ago"
    if seconds < 2 * 3600:
        return f"{seconds // 60} min ago"
    if seconds < 2 * 86400:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86400} days ago"


def heartbeat_check(path: Path, now: float | None = None) -> Check:
    try:
        beat = json.loads(path.read_text())
        age = (now if now is not None else time.time()) - float(beat["at"])
    except FileNotFoundError:
        return Check("scheduler", False, f"no heartbeat at {path} (is the bot running here?)")
    except (ValueError, KeyError, TypeError, OSError) as exc:
        return Check("scheduler", False, f"unreadable heartbeat {path}: {type(exc).__name__}")
    if age > HEARTBEAT_MAX_AGE:
        return Check("scheduler", False, f"last heartbeat {_ago(age)} (pid {beat.get('pid')})")
    return Check("scheduler", True, f"heartbeat {_ago(age)} (pid {beat.get('pid')})")


def head_revisions(database_url: str) -> set[str]:
    from alembic.script import ScriptDirectory

    from bot.storage.migrate import alembic_config

    return set(ScriptDirectory.from_config(alembic_config(database_url)).get_heads())


async def database_checks(settings: Settings) -> list[Check]:
    from bot.storage.db import create_engine

    url = settings.database_url
    engine = create_engine(url)
    checks = []
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
            checks.append(Check("database", True, safe_database_url(url)))
            try:
                have = set(
                    (await conn.execute(text("SELECT version_num FROM alembic_version")))
                    .scalars()
                    .all()
                )
            except Exception:
                await conn.rollback()
                have = set()
            heads = head_revisions(url)
            if have == heads:
                checks.append(Check("schema", True, "at " + ", ".join(sorted(heads))))
            else:
                shown = ", ".join(sorted(have)) or "none"
                checks.append(
                    Check("schema", False, f"at {shown}, newest is {', '.join(sorted(heads))}")
                )
            last = None
            if have:
                last = (await conn.execute(text("SELECT MAX(at) FROM processed_update"))).scalar()
            if last is None:
                checks.append(Check("updates", True, "none handled recently"))
            else:
                age = (datetime.now(UTC) - _aware(last)).total_seconds()
                checks.append(Check("updates", True, f"last handled {_ago(age)}"))
            if have:
                checks.append(await pending_check(conn))
    except Exception as exc:
        checks.append(Check("database", False, f"{safe_database_url(url)}: {type(exc).__name__}"))
    finally:
        await engine.dispose()
    return checks


async def pending_check(conn: Any) -> Check:
    """Reminders and digests claimed but not sent yet: normal for a moment (a pass is sending),
    stuck when the claim is older than its lease (the sender died; a later pass retries)."""
    from bot.scheduler import CLAIM_LEASE

    parts = []
    for table, what in (("reminder_delivery", "reminders"), ("digest_delivery", "digests")):
        rows = (
            await conn.execute(text(f"SELECT claimed_at FROM {table} WHERE status = 'claimed'"))
        ).scalars()
        claimed = [_aware(at) for at in rows if at is not None]
        if claimed:
            retry = min(claimed) + CLAIM_LEASE
            parts.append(
                f"{len(claimed)} {what} claimed, not sent yet (retried from "
                f"{retry.strftime('%Y-%m-%d %H:%M')} UTC)"
            )
    return Check("pending", True, "; ".join(parts) or "nothing waiting to be sent")


def _aware(value: Any) -> datetime:
    if isinstance(value, str):  # SQLite hands the stored text back
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


async def telegram_check(settings: Settings) -> Check:
    from telegram import Bot

    try:
        bot = Bot(settings.require_token(), base_url=settings.telegram_api_base_url)
        async with bot:
            return Check("telegram", True, f"@{bot.username}")
    except Exception as exc:  # the message may repeat the token: the type only
        return Check("telegram", False, type(exc).__name__)


async def run_checks(settings: Settings, *, offline: bool) -> list[Check]:
    async def bounded(coro: Any, name: str) -> list[Check]:
        try:
            got = await asyncio.wait_for(coro, CHECK_TIMEOUT)
        except TimeoutError:
            return [Check(name, False, f"no answer within {CHECK_TIMEOUT:g} s")]
        return got if isinstance(got, list) else [got]

    checks = await bounded(database_checks(settings), "database")
    checks.append(heartbeat_check(settings.heartbeat_file))
    if not offline:
        checks += await bounded(telegram_check(settings), "telegram")
    return checks
