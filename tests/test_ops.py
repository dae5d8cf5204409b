"""Running the bot without its author (issue 17): compose file and settings documented, the
health command, JSON logs without personal data, Prometheus metrics, backup/restore, copy-db,
pending digest deliveries, and the CLI's help pages and pipes."""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import logging
import os
import re
import shlex
import sqlite3
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, timedelta
from pathlib import Path

import jsonschema
import pytest
import yaml
from prometheus_client import REGISTRY
from sqlalchemy import text
from telegram import Bot
from telegram.error import Forbidden, RetryAfter

from bot import metrics
from bot.backup import BackupError, backup, check_backup, restore, sqlite_path
from bot.cli import _load_extensions, build_parser, main
from bot.cli_digest import deliver_digest, html_to_text
from bot.config import Settings
from bot.copy_db import CopyError, copy_db, count_rows
from bot.domain.periods import parse_period, year_to_date
from bot.health import (
    HEARTBEAT_MAX_AGE,
    database_checks,
    heartbeat_check,
    telegram_check,
    write_heartbeat,
)
from bot.http import telegram_request
from bot.logs import configure_logging
from bot.scheduler import CLAIM_LEASE, digest_pass
from bot.storage.db import session_factory, transaction
from bot.storage.migrate import migrate
from bot.storage.models import DigestDelivery
from bot.storage.report_queries import load_report_data
from fakebot.bot import settings_for
from fakebot.server import DEFAULT_TOKEN
from tests.conftest import BotHarness
from tests.support import fresh_engine
from tests.test_digest import MONDAY_0830, W47, delivery_rows, digests_of, setup_pool
from tests.test_report import seed as seed_report

ROOT = Path(__file__).resolve().parent.parent
H1 = parse_period("2026-H1")


# --------------------------------------------------------------------------- files for operators


def test_compose_file_is_valid_against_the_compose_schema():
    schema = json.loads((ROOT / "tests/data/compose/compose-spec.json").read_text())
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    jsonschema.validate(compose, schema)
    db, bot = compose["services"]["db"], compose["services"]["bot"]
    assert db["image"].startswith("postgres:16")
    assert any(v.startswith("pgdata:") for v in db["volumes"]) and "pgdata" in compose["volumes"]
    assert db["healthcheck"]["test"] and db["restart"] == bot["restart"] == "unless-stopped"
    assert bot["depends_on"]["db"]["condition"] == "service_healthy"
    assert bot["env_file"] == ".env" and "profiles" not in bot  # polling: the default
    assert compose["services"]["caddy"]["profiles"] == ["webhook"]
    assert (ROOT / "deploy/Caddyfile").is_file()
    # A broken file is caught: the check is not vacuous.
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"services": {"bot": {"restart": 3}}}, schema)


def test_dockerfile_has_a_healthcheck_running_the_health_command():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r'HEALTHCHECK .*\\\n\s+CMD \["python", "-m", "bot", "health"', dockerfile)


def test_env_example_documents_every_setting():
    example = (ROOT / ".env.example").read_text()
    documented = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", example, re.M))
    settings = {name.upper() for name in Settings.model_fields}
    assert settings - documented == set()
    # Every setting line has a comment right above it (or shares the one of its group).
    lines = example.splitlines()
    for i, line in enumerate(lines):
        if re.match(r"^#? ?[A-Z][A-Z0-9_]+=", line):
            assert lines[i - 1].startswith("#"), line
    # The file is loadable as it is (the required values are filled with placeholders).
    loaded = Settings(_env_file=ROOT / ".env.example")
    assert loaded.telegram_bot_token is not None and loaded.bot_mode == "polling"


def _documented_commands(text: str) -> list[list[str]]:
    """Every `python -m bot …` command line in a document's code, as arguments."""
    found = []
    text = re.sub(r"\\\n\s*", " ", text)  # continued lines
    for match in re.finditer(r"python -m bot ([^`\n|#]*?)(?:\s*\n|`|\s#|\s*$)", text, re.M):
        line = match.group(1).strip()
        line = re.sub(r"<[^>]*>", "X", line)  # placeholders
        line = re.sub(r"\$\([^)]*\)", "X", line)
        if not line or line.startswith("…"):
            continue
        found.append(shlex.split(line))
    return found


def test_the_documented_deployment_path_uses_real_commands():
    readme = (ROOT / "README.md").read_text()
    deployment = readme.split("## Deployment", 1)[1].split("\n## ", 1)[0]
    for step in (
        "cp .env.example .env",
        "docker compose up -d --build",
        "python -m bot invite --role coordinator",
        "docs/OPERATIONS.md",
    ):
        assert step in deployment, step
    operations = (ROOT / "docs/OPERATIONS.md").read_text()
    for topic in (
        "first coordinator",
        "Backups",
        "Upgrades and rollbacks",
        "Rotating the bot token",
        "From SQLite to PostgreSQL",
        "What to watch",
        "alembic downgrade",
        "pg_dump",
        "pg_restore",
    ):
        assert topic in operations, topic
    _load_extensions()
    parser = build_parser()
    commands = _documented_commands(deployment) + _documented_commands(operations)
    assert len(commands) >= 10
    for args in commands:
        # Each parses: the sub-command and its options exist as written.
        parsed = parser.parse_args(args)
        assert callable(parsed.func), args


# --------------------------------------------------------------------------- CLI polish


def _subparsers(
    parser: argparse.ArgumentParser | None = None, prefix: str = ""
) -> dict[str, argparse.ArgumentParser]:
    """Every sub-command, nested ones (`inloop import`) included."""
    if parser is None:
        _load_extensions()
        parser = build_parser()
    found = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found[prefix + name] = sub
                found.update(_subparsers(sub, prefix + name + " "))
    return found


def test_every_sub_command_describes_itself_and_each_option():
    found = _subparsers()
    assert {"run", "migrate", "invite", "demo", "digest", "health", "backup", "restore"} <= set(
        found
    )
    assert {"copy-db", "inloop import", "inloop list", "rapport"} <= set(found)
    for name, sub in found.items():
        assert sub.description and len(sub.description) > 40, name
        for action in sub._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            assert action.help, f"{name} {action.option_strings or action.dest}"
        # and it prints
        page = sub.format_help()
        assert sub.description.split()[0] in page


def test_dry_run_html_becomes_plain_text():
    html = "<b>Weekoverzicht week 47</b>\nGeen &lt;inloop&gt; in <i>Arcen</i> &amp; Velden"
    assert html_to_text(html) == "Weekoverzicht week 47\nGeen <inloop> in Arcen & Velden"


def _migrated_sqlite(path: Path) -> str:
    url = f"sqlite:///{path}"
    asyncio.run(migrate(url))
    return url


def test_dry_run_as_text_and_into_a_closed_pipe(tmp_path):
    url = _migrated_sqlite(tmp_path / "bot.db")
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    cmd = [sys.executable, "-m", "bot", "digest", "--week", "2026-W47", "--dry-run"]
    text_out = subprocess.run(
        [*cmd, "--format", "text"], env=env, capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    assert "Weekoverzicht week 47" in text_out and "<b>" not in text_out
    # `| head -1`: the reader goes away after one line.
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0, err
    assert err == ""


# --------------------------------------------------------------------------- logs


async def test_json_logs_carry_no_message_text_and_no_token(fake_telegram, db_url, clock):
    bot = BotHarness(fake_telegram, db_url, clock)
    bot.raise_errors = False  # the bot's own error handler logs (and answers)
    await bot.start()
    stream = io.StringIO()
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    try:
        configure_logging("DEBUG", "json", secrets=[DEFAULT_TOKEN])
        (handler,) = root.handlers
        assert isinstance(handler, logging.StreamHandler)
        handler.setStream(stream)
        anna = await bot.expert("Anna")
        secret_words = "mijn buurvrouw Jolanda van de Heuvelstraat 12"
        await anna.says(secret_words)
        await anna.says("/contact")
        # Telegram refuses a reply: the error handler logs it.
        bot.tg.fail_next("sendMessage", 400)
        await anna.says("/help " + secret_words)
        logging.getLogger("bot.test").error("token in a record: %s", DEFAULT_TOKEN)
        try:
            raise ValueError("boom")
        except ValueError:
            logging.getLogger("bot.test").exception("with a traceback")
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
        await bot.stop()
    lines = stream.getvalue().splitlines()
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    assert any(r["logger"] == "bot.errors" and "BadRequest" in r["msg"] for r in records)
    assert all({"ts", "level", "logger", "msg"} <= set(r) for r in records)
    assert any(r["msg"] == "token in a record: <redacted>" for r in records)
    assert any("ValueError" in r.get("exc", "") for r in records)
    everything = stream.getvalue()
    assert DEFAULT_TOKEN not in everything
    assert "Jolanda" not in everything and "Heuvelstraat" not in everything
    assert "Anna" not in everything


# --------------------------------------------------------------------------- health


def test_health_command_exit_codes(tmp_path, monkeypatch, capsys):
    beat = tmp_path / "beat"
    monkeypatch.setenv("HEARTBEAT_FILE", str(beat))
    # Not migrated: the schema check fails.
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    write_heartbeat(beat)
    assert main(["health", "--offline"]) == 1
    out = capsys.readouterr().out
    assert re.search(r"^FAIL  schema .*at none, newest is", out, re.M), out
    # Migrated, with a fresh heartbeat: healthy.
    monkeypatch.setenv("DATABASE_URL", _migrated_sqlite(tmp_path / "bot.db"))
    assert main(["health", "--offline"]) == 0
    out = capsys.readouterr().out
    for name in ("database", "schema", "updates", "pending", "scheduler"):
        assert re.search(rf"^ok  +{name} ", out, re.M), out
    assert "nothing waiting to be sent" in out
    # A stale heartbeat (the scheduler stopped) or none at all: unhealthy.
    beat.write_text(json.dumps({"pid": 1, "at": time.time() - HEARTBEAT_MAX_AGE - 5}))
    assert main(["health", "--offline"]) == 1
    assert "FAIL  scheduler  last heartbeat" in capsys.readouterr().out
    beat.unlink()
    assert main(["health", "--offline"]) == 1
    # No database at all: one failing line, no traceback.
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody:secret@127.0.0.1:1/none")
    write_heartbeat(beat)
    assert main(["health", "--offline"]) == 1
    out = capsys.readouterr().out
    assert re.search(r"^FAIL  database .*\*\*\*.*: ", out, re.M) and "secret" not in out


def test_heartbeat_age():
    path = Path("/nonexistent/beat")
    assert not heartbeat_check(path).ok


async def test_health_telegram_check(fake_telegram, tmp_path):
    settings = settings_for(fake_telegram, f"sqlite:///{tmp_path / 'x.db'}")
    check = await telegram_check(settings)
    assert check.ok and check.detail == f"@{fake_telegram.bot_username}"
    fake_telegram.fail_next("getMe", 401)
    check = await telegram_check(settings)
    assert not check.ok and DEFAULT_TOKEN not in check.detail


# --------------------------------------------------------------------------- metrics


def _scrape(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        return str(response.read().decode())


def _sample(page: str, name: str, **labels: str) -> float:
    want = ",".join(f'{k}="{v}"' for k, v in labels.items())
    pattern = rf"^{name}{{{want}}} (\S+)$" if labels else rf"^{name} (\S+)$"
    found = re.search(pattern, page, re.M)
    return float(found.group(1)) if found else 0.0


def test_metrics_are_off_until_enabled_and_then_counted_once():
    # A process without METRICS_PORT never imports prometheus-client (the bench's idle RSS).
    code = (
        "import sys, bot.app, bot.metrics as m; "
        "assert 'prometheus_client' not in sys.modules; "
        "m.UPDATES.labels('message').inc(); m.UPDATE_SECONDS.observe(0.1); "
        "assert 'prometheus_client' not in sys.modules; "
        "m.enable(); counter = m.UPDATES; m.enable(); assert m.UPDATES is counter; "
        "m.UPDATES.labels('message').inc(); "
        "from prometheus_client import REGISTRY; "
        "assert REGISTRY.get_sample_value('edbot_updates_total', {'kind': 'message'}) == 1"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


async def test_metrics_are_counted_and_scraped(bot):
    server = metrics.serve(0, "127.0.0.1")
    port = server.server_port
    try:
        before = await asyncio.to_thread(_scrape, port)
        anna = await bot.expert("Anna")
        await anna.says("/help")
        # Bot API errors by code, through the request wrapper the app uses.
        request = metrics.MeteredRequest(telegram_request(trust_env=False))
        tg_bot = Bot(DEFAULT_TOKEN, base_url=bot.tg.api_base_url, request=request)
        async with tg_bot:
            bot.tg.fail_next("sendMessage", 403)
            with pytest.raises(Forbidden):
                await tg_bot.send_message(anna.chat_id, "x")
            bot.tg.fail_next("sendMessage", 429, retry_after=1)
            with pytest.raises(RetryAfter):
                await tg_bot.send_message(anna.chat_id, "x")
        # A database error.
        with pytest.raises(Exception):  # noqa: B017
            async with bot.engine.connect() as conn:
                await conn.execute(text("SELECT * FROM no_such_table"))
        after = await asyncio.to_thread(_scrape, port)
    finally:
        server.shutdown()
        server.server_close()

    def grew(name: str, **labels: str) -> float:
        return _sample(after, name, **labels) - _sample(before, name, **labels)

    assert grew("edbot_updates_total", kind="message") == 2  # /start, /help
    assert grew("edbot_update_seconds_count") == 2
    assert grew("edbot_bot_api_errors_total", code="403") == 1
    assert grew("edbot_bot_api_errors_total", code="429") == 1

    def total(page: str, name: str) -> float:
        return sum(float(v) for v in re.findall(rf"^{name}{{.*}} (\S+)$", page, re.M))

    # OperationalError on SQLite, ProgrammingError on PostgreSQL.
    assert (
        total(after, "edbot_database_errors_total") - total(before, "edbot_database_errors_total")
        == 1
    )
    assert "edbot_sent_total" in after


async def test_sent_metrics_count_digests(bot):
    metrics.enable()  # as serve() does when METRICS_PORT is set
    await setup_pool(bot, ("Carla", "Dirk"))

    def sent() -> float:
        return REGISTRY.get_sample_value("edbot_sent_total", {"kind": "digest"}) or 0.0

    before = sent()
    bot.clock.set(MONDAY_0830)
    assert (await digest_pass(bot.app)).sent == 2
    assert sent() - before == 2


# --------------------------------------------------------------------------- pending deliveries


async def test_pending_digest_deliveries_are_named_and_retried_when_the_lease_ends(bot):
    carla, dirk, eva = await setup_pool(bot, ("Carla", "Dirk", "Eva"))
    # A run that was killed after its first message: Carla has hers, Dirk and Eva are claimed.
    claimed_at = MONDAY_0830.astimezone(UTC)
    async with transaction(bot.services.sessions) as s:
        for person, status in ((carla, "sent"), (dirk, "claimed"), (eva, "claimed")):
            user = await bot.app_user(person)
            s.add(
                DigestDelivery(
                    recipient_id=user.id,
                    period=str(W47),
                    status=status,
                    claimed_at=claimed_at,
                    sent_at=claimed_at if status == "sent" else None,
                    attempts=1,
                    owner="host:4242:dead",
                )
            )
    # `health` shows them too.
    checks = {c.name: c for c in await database_checks(bot.settings)}
    assert checks["pending"].detail == (
        "2 digests claimed, not sent yet (retried from 2026-11-23 07:40 UTC)"
    )
    bot.clock.set(MONDAY_0830 + timedelta(minutes=2))
    out: list[str] = []
    slept: list[float] = []

    async def sleep(seconds: float) -> None:  # the clock moves instead of the test waiting
        slept.append(seconds)
        bot.clock.advance(seconds=seconds)

    report = await deliver_digest(bot.services, bot.app.bot, W47, sleep=sleep, out=out.append)
    until = (MONDAY_0830 + CLAIM_LEASE).strftime("%H:%M:%S")
    assert out[0] == (
        "Digest 2026-W47: sent 0, already delivered 1, still pending 2 (held by another run 2), "
        "blocked 0, failed 0."
    )
    assert out[1] == f"  Dirk: claimed by host:4242:dead, retried from 2026-11-23 {until}"
    assert out[2] == f"  Eva: claimed by host:4242:dead, retried from 2026-11-23 {until}"
    assert out[3].startswith(f"Waiting until {until} to retry")
    assert slept == [pytest.approx((CLAIM_LEASE - timedelta(minutes=2)).total_seconds() + 1)]
    assert out[4].startswith("Digest 2026-W47: sent 2, already delivered 1, still pending 0")
    assert report.sent == 2 and report.pending == []
    assert [len(digests_of(p)) for p in (carla, dirk, eva)] == [0, 1, 1]
    assert sorted(r.status for r in await delivery_rows(bot)) == ["sent"] * 3
    # Nothing pending: no waiting.
    out.clear()
    await deliver_digest(bot.services, bot.app.bot, W47, sleep=sleep, out=out.append)
    assert len(out) == 1 and "sent 0, already delivered 3, still pending 0" in out[0]


# --------------------------------------------------------------------------- backup and restore


async def _filled_sqlite(path: Path) -> str:
    url = f"sqlite:///{path}"
    await migrate(url)
    async with fresh_engine(url) as engine:
        await seed_report(engine)
    return url


def test_backup_restore_round_trip_keeps_every_row(tmp_path, monkeypatch, capsys):
    url = asyncio.run(_filled_sqlite(tmp_path / "bot.db"))
    monkeypatch.setenv("DATABASE_URL", url)
    with sqlite3.connect(sqlite_path(url)) as conn:
        original = {
            name: conn.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        }
    assert original["contact"] > 5 and original["app_user"] == 3
    # Backup while a connection holds the database open (the bot keeps running).
    live = sqlite3.connect(sqlite_path(url))
    try:
        assert main(["backup", str(tmp_path / "b" / "backup.db")]) == 0
    finally:
        live.close()
    assert f"{sum(original.values())} rows" in capsys.readouterr().out
    revision, counts = check_backup(tmp_path / "b" / "backup.db")
    assert counts == original and revision
    # Damage the live database after the backup: rows go, a table is emptied.
    with sqlite3.connect(sqlite_path(url)) as conn:
        conn.execute("DELETE FROM contact_theme")
        conn.execute("DELETE FROM audit_log")
    assert main(["restore", str(tmp_path / "b" / "backup.db")]) == 0
    out = capsys.readouterr().out
    assert "the same as in the backup" in out and "before-restore-" in out
    with sqlite3.connect(sqlite_path(url)) as conn:
        from bot.backup import row_counts

        assert row_counts(conn) == original
    kept = list(tmp_path.glob("bot.db.before-restore-*"))
    assert len(kept) == 1


def test_restore_checks_the_file_first(tmp_path, monkeypatch, capsys):
    url = _migrated_sqlite(tmp_path / "bot.db")
    monkeypatch.setenv("DATABASE_URL", url)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    assert main(["restore", str(junk)]) == 1
    assert "not an SQLite database" in capsys.readouterr().err
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    assert main(["restore", str(other)]) == 1
    assert "not an Ervaringsbot database" in capsys.readouterr().err
    newer = tmp_path / "newer.db"
    backup(url, newer)
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'from_the_future'")
    with pytest.raises(BackupError, match="does not know"):
        restore(url, newer)
    assert main(["restore", str(tmp_path / "missing.db")]) == 1
    # PostgreSQL: pointed to pg_dump.
    monkeypatch.setenv("DATABASE_URL", "postgresql://bot:pw@db/ervaringsbot")
    assert main(["backup", str(tmp_path / "x.db")]) == 1
    assert "pg_dump" in capsys.readouterr().err


# --------------------------------------------------------------------------- copy-db


async def _report_figures(url: str) -> object:
    async with fresh_engine(url) as engine, session_factory(engine)() as s:
        return await load_report_data(s, H1, year_to_date(H1))


async def _empty_everything(url: str) -> None:
    async with fresh_engine(url) as engine, engine.begin() as conn:
        names = (
            await conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))
        ).scalars()
        victims = [n for n in names if n != "alembic_version"]
        await conn.execute(text(f"TRUNCATE {', '.join(victims)} RESTART IDENTITY CASCADE"))


def _copy_and_compare(source: str, target: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["copy-db", "--van", source, "--naar", target]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Copied ")

    async def check() -> None:
        assert await _report_figures(target) == await _report_figures(source)
        async with fresh_engine(source) as copied, fresh_engine(target) as copy:
            counts = []
            for engine in (copied, copy):
                async with engine.connect() as conn:
                    counts.append(await count_rows(conn))
            assert counts[0] == counts[1] and counts[0]["contact"] > 5
            # New rows in the target get fresh ids (the sequences moved past the copied ones).
            async with transaction(session_factory(copy)) as s:
                from bot.storage.models import User

                user = User(telegram_user_id=999, chat_id=999, role="expert", display_name="N")
                s.add(user)
                await s.flush()
                assert user.id == counts[1]["app_user"] + 1

    asyncio.run(check())


def test_copy_db_between_sqlite_files(tmp_path, capsys):
    source = asyncio.run(_filled_sqlite(tmp_path / "from.db"))
    target = f"sqlite:///{tmp_path / 'to.db'}"
    _copy_and_compare(source, target, capsys)
    # A second copy into the now filled target is refused, nothing changes.
    assert main(["copy-db", "--van", source, "--naar", target]) == 1
    assert "not empty" in capsys.readouterr().err


def test_copy_db_refuses_a_source_behind_the_schema(tmp_path):
    with sqlite3.connect(tmp_path / "old.db") as conn:
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32))")
        conn.execute("INSERT INTO alembic_version VALUES ('0001')")
    with pytest.raises(CopyError, match="not at the newest schema"):
        asyncio.run(copy_db(f"sqlite:///{tmp_path / 'old.db'}", f"sqlite:///{tmp_path / 'n.db'}"))


def test_copy_db_sqlite_to_postgresql(tmp_path, capsys, pg_migrated):
    """The migration path of docs/OPERATIONS.md, with identical report figures."""
    source = asyncio.run(_filled_sqlite(tmp_path / "from.db"))
    asyncio.run(_empty_everything(pg_migrated))
    try:
        _copy_and_compare(source, pg_migrated, capsys)
    finally:
        # Leave the shared test database as the other tests expect it: migrated and seeded.
        asyncio.run(_empty_everything(pg_migrated))
        asyncio.run(migrate(pg_migrated))
