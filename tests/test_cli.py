"""The command line as an operator uses it: real subprocesses against the fake Bot API."""

from __future__ import annotations

import asyncio
import io
import os
import re
import sys
from pathlib import Path

import pytest

from bot.cli import main
from fakebot.scenario import Driver
from fakebot.server import DEFAULT_TOKEN, FakeTelegram

ROOT = Path(__file__).resolve().parent.parent


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    for key in (
        "TELEGRAM_BOT_TOKEN",
        "DATABASE_URL",
        "TELEGRAM_API_BASE_URL",
        "TELEGRAM_BOT_USERNAME",
        "TEST_DATABASE_URL",
    ):
        env.pop(key, None)
    env.update(extra)
    return env


def _bot_env(tg: FakeTelegram, tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a bot on the fake server with a new SQLite database in tmp_path."""
    return _env(
        TELEGRAM_BOT_TOKEN=DEFAULT_TOKEN,
        TELEGRAM_API_BASE_URL=tg.api_base_url,
        DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}",
        **extra,
    )


async def _start(*args: str, env: dict[str, str], cwd: Path) -> asyncio.subprocess.Process:
    """`python -m bot ARGS`, its output piped."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def _run(
    *args: str, env: dict[str, str], limit: float = 60, cwd: Path | None = None
) -> tuple[int, str, str]:
    # Not the repository root: a developer's .env there must not leak into these runs.
    proc = await _start(*args, env=env, cwd=cwd or ROOT / "tests")
    out, err = await asyncio.wait_for(proc.communicate(), limit)
    return proc.returncode, out.decode(), err.decode()


async def test_run_answers_start_and_registers_with_an_invite_once(tmp_path: Path):
    async with FakeTelegram(bot_username="pool_bot") as tg:
        env = _bot_env(tg, tmp_path)
        rc, _, err = await _run("migrate", env=env)
        assert rc == 0, err
        rc, out, err = await _run("invite", "--role", "expert", "--gemeente", "Venlo", env=env)
        assert rc == 0, err
        code = re.search(r"Code: (\S+)", out).group(1)
        assert f"https://t.me/pool_bot?start={code}" in out
        assert DEFAULT_TOKEN not in out + err

        proc = await _start("run", env=env, cwd=tmp_path)
        try:
            tg.use(Driver.polling(timeout=60, quiet=0.3))
            anna = tg.user("Anna")
            await anna.says("/start")
            assert "zonder afspraak" in anna.last_reply.text, anna.transcript()
            await anna.says(f"/start {code}")
            assert "ervaringsdeskundige" in anna.last_reply.text, anna.transcript()
            bert = tg.user("Bert")
            await bert.says(f"/start {code}")
            assert "al gebruikt" in bert.last_reply.text, bert.transcript()
        finally:
            proc.terminate()
            _, err_bytes = await asyncio.wait_for(proc.communicate(), 30)
        logs = err_bytes.decode()
        assert DEFAULT_TOKEN not in logs
        assert "/start" not in logs and code not in logs  # no message text in the logs


async def test_missing_token_is_one_clear_line(tmp_path: Path):
    rc, _out, err = await _run("run", env=_env(DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}"))
    assert rc != 0
    assert err.strip().splitlines() == [
        "error: TELEGRAM_BOT_TOKEN is not set. Get one from @BotFather."
    ]
    assert "Traceback" not in err


async def test_unreachable_database_is_one_clear_line():
    rc, _, err = await _run(
        "migrate", env=_env(DATABASE_URL="postgresql://bot:secret@127.0.0.1:1/nope")
    )
    assert rc != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot use the database"), err
    assert "secret" not in err


def test_webhook_refuses_a_short_secret(monkeypatch, capsys):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", DEFAULT_TOKEN)
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org")
    monkeypatch.setenv("WEBHOOK_SECRET_TOKEN", "too-short")
    assert main(["run", "--webhook"]) == 1
    assert "at least 32" in capsys.readouterr().err


def test_bad_config_value_is_reported(monkeypatch, capsys):
    monkeypatch.setenv("BOT_TIMEZONE", "Mars/Olympus")
    assert main(["migrate"]) == 1
    err = capsys.readouterr().err
    assert "BOT_TIMEZONE" in err and "Traceback" not in err


@pytest.mark.parametrize("command", ["run", "migrate", "invite", "demo"])
def test_help_for_each_command(command, capsys):
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    assert "usage:" in capsys.readouterr().out


def test_settings_repr_masks_secrets():
    from bot.config import load_settings

    s = load_settings(
        telegram_bot_token=DEFAULT_TOKEN, database_url="postgresql://bot:hunter2@db/pool"
    )
    assert DEFAULT_TOKEN not in repr(s) and "hunter2" not in repr(s)


def test_demo_shows_every_persona():
    from bot.demo import run_demo

    script = ROOT / "tests" / "data" / "demo_script.txt"
    out = io.StringIO()
    assert run_demo(str(script), out=out) == 0
    text = out.getvalue()
    # A newcomer becomes an expert and sees the expert menu …
    assert "Je bent aangemeld als ervaringsdeskundige" in text
    assert "/contact – Contact met inwoner(s) vastleggen" in text
    # … the contact dialogue and its summary …
    assert "Opslaan" in text and "Thema's" in text
    # … the coordinator with their own menu, the digest and the reminder …
    assert "Je bent aangemeld als coördinator" in text and "/inloopbeheer" in text
    assert "Weekoverzicht" in text
    assert "Niets te melden" in text
    # … who puts a story in Venlo's report and makes the report of the last finished half
    # year for Venlo …
    assert "In het rapport van: Venlo." in text
    assert "Voor: Venlo: een PDF en een Excel-bestand" in text
    assert "Klaar: 2 bestanden." in text
    assert ".pdf, " in text and ".xlsx, " in text and "niet door te sturen]" in text
    # … and a resident who asks for walk-in times of the seeded sessions.
    assert "Buurthuis De Kolk" in text


async def test_rejected_token_is_one_line_without_the_token(tmp_path: Path):
    async with FakeTelegram(token="42:the-only-valid-token") as tg:
        env = _bot_env(tg, tmp_path)
        rc, out, err = await _run("run", env=env, cwd=tmp_path)
    assert rc == 1
    # ptb logs the failure too (redacted); the operator's last line says what to fix.
    assert err.strip().splitlines()[-1] == "error: Telegram rejected TELEGRAM_BOT_TOKEN."
    assert DEFAULT_TOKEN not in out + err
    assert "42:the-only-valid-token" not in out + err


def test_sslmode_is_translated_for_asyncpg():
    from bot.config import async_database_url

    url = async_database_url("postgresql://u:p@db:5432/pool?sslmode=require")
    assert url == "postgresql+asyncpg://u:p@db:5432/pool?ssl=require"


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_webhook_mode_registers_its_url_and_answers_with_the_secret(tmp_path: Path):
    import aiohttp

    port = _free_port()
    secret = "s" * 40
    async with FakeTelegram() as tg:
        env = _bot_env(
            tg,
            tmp_path,
            WEBHOOK_URL="https://bot.example.org",
            WEBHOOK_SECRET_TOKEN=secret,
            WEBHOOK_LISTEN="127.0.0.1",
            WEBHOOK_PORT=str(port),
        )
        proc = await _start("run", "--webhook", env=env, cwd=tmp_path)
        try:
            for _ in range(600):
                if tg.webhook and tg.webhook.get("url"):
                    break
                await asyncio.sleep(0.1)
            assert tg.webhook["url"] == "https://bot.example.org/telegram"
            assert tg.webhook.get("secret_token") == secret
            local = f"http://127.0.0.1:{port}/telegram"
            # Telegram's own posts carry the secret; anything else is refused.
            async with (
                aiohttp.ClientSession() as http,
                http.post(
                    local, json={"update_id": 1}, headers={"X-Telegram-Bot-Api-Secret-Token": "no"}
                ) as response,
            ):
                assert response.status == 403
            tg.use(Driver.webhook(url=local, timeout=60, quiet=0.3))
            sam = tg.user("Sam")
            await sam.says("/start")
            # Out of process the driver only sees the bot fall quiet; a cold first update on a
            # loaded machine can be slower than that, so wait for the reply itself.
            for _ in range(300):
                if tg.messages(sam.id):
                    break
                await asyncio.sleep(0.1)
            assert "zonder afspraak" in sam.last_reply.text, sam.transcript()
        finally:
            proc.terminate()
            _, err_bytes = await asyncio.wait_for(proc.communicate(), 30)
        assert secret not in err_bytes.decode() and DEFAULT_TOKEN not in err_bytes.decode()


def test_demo_coordinator_saves_the_report_files(tmp_path: Path):
    from bot.demo import run_demo

    script = tmp_path / "tour.txt"
    folder = tmp_path / "rapport"
    script.write_text(
        f"/als coordinator\n/demo bewaar {folder}\n/rapport 2026-H1 Venlo\n.1\n"
        f"/demo bewaar {folder}\n/stop\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    assert run_demo(str(script), out=out) == 0
    text = out.getvalue()
    assert "nog geen bestanden gekregen" in text
    saved = sorted(p.name for p in folder.iterdir())
    assert [name.rsplit(".", 1)[1] for name in saved] == ["pdf", "xlsx"]
    assert (folder / saved[0]).read_bytes().startswith(b"%PDF")
    assert f"bewaard: {folder / saved[0]}" in text


def test_demo_buttons_need_a_prefix_so_digits_reach_the_bot():
    from bot.demo import button_choice, run_demo

    assert [button_choice(t) for t in (".3", "k3", "K12", ". 2", "3", "45", "k", ".123")] == [
        3,
        3,
        12,
        2,
        None,
        None,
        None,
        None,
    ]
    script = "/als expert\n/contact\n.1\n.1\n.1\n8\n/stop\n"
    out = io.StringIO()
    path = ROOT / "tests" / "data" / "_digits_tour.txt"
    path.write_text(script, encoding="utf-8")
    try:
        assert run_demo(str(path), out=out) == 0
    finally:
        path.unlink()
    text = out.getvalue()
    assert "[.1]" in text
    assert "(Geen knop met dat nummer.)" not in text
    # The typed "8" went to the bot as text (an answer the step does not take), not as
    # button 8 (which would have been taken without a word).
    after = text.split("Anna> 8")[1]
    assert "ken ik niet" in after
