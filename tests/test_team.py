"""The team (issue 13), end to end through the fake Bot API on SQLite and PostgreSQL: a
deactivated expert is refused on the next command, on an old button and on typed text, gets no
reminder, and logs again once reactivated; the CLI `team list|deactivate|activate`."""

from __future__ import annotations

import asyncio

import pytest
from sqlmodel import select

from bot.cli import main
from bot.storage.db import session_factory
from bot.storage.models import AuditLog, User
from tests.test_contact_dialogue import saved_contacts
from tests.test_reminders import fast, local, reminders_of, run_at

GONE = "toegang tot de bot is gestopt"


@pytest.fixture
def cli_env(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DATABASE_URL", db_url)
    return db_url


async def cli(*args: str) -> int:
    """`python -m bot …` in-process, in a thread (it runs its own event loop)."""
    return await asyncio.to_thread(main, list(args))


async def user_row_by_id(bot, user_id: int | None) -> User:
    async with session_factory(bot.engine)() as s:
        user = await s.get(User, user_id)
        assert user is not None
        return user


async def test_deactivated_expert_is_refused_everywhere_and_gets_no_reminder(bot, cli_env, capsys):
    bot.clock.set(local(2026, 11, 16, 9))
    anna = await bot.expert("Anna")
    await bot.expert("Bram")
    fast(bot)
    step = (await anna.says("/contact")).last
    assert step.keyboard, anna.transcript()

    assert await cli("team", "deactivate", "Anna") == 0
    assert "Anna: deactivated" in capsys.readouterr().out

    refused = (await anna.says("/week")).only
    assert GONE in refused.text
    assert GONE in (await anna.says("/start")).only.text
    assert GONE in (await anna.says("45 min inloop Venlo armoede")).only.text
    await anna.press_data(step.keyboard[0][0]["callback_data"], step)
    assert GONE in (anna.last_callback_answer.text or "")
    anna.assert_callbacks_answered()

    outcome = await run_at(bot, local(2026, 11, 16, 16, 31))
    assert outcome.sent == 1  # Bram only
    assert reminders_of(anna) == []

    assert await cli("team", "list") == 0
    listing = capsys.readouterr().out
    assert "Anna\texpert\tVenlo\tDEACTIVATED" in listing
    assert "Bram\texpert\tVenlo\tactive" in listing

    assert await cli("team", "activate", "Anna") == 0
    summary = (await anna.says("/contact 45 min inloop Blerick armoede 1 nieuw")).only
    assert "Klopt dit?" in summary.text
    await anna.press("Opslaan")
    assert len(await saved_contacts(bot)) == 1

    async with session_factory(bot.engine)() as s:
        audits = (await s.exec(select(AuditLog).where(AuditLog.entity == "user"))).all()
    assert [(a.before["active"], a.after["active"]) for a in audits] == [
        (True, False),
        (False, True),
    ]


async def test_cli_refuses_unknown_and_ambiguous_names(bot, cli_env, capsys):
    await bot.expert("Anna")
    await bot.expert("Anna", gemeente="Weert")
    assert await cli("team", "deactivate", "Nobody") == 1
    assert "nobody called 'Nobody'" in capsys.readouterr().err
    assert await cli("team", "deactivate", "anna") == 1
    assert "2 people called 'anna': use the id" in capsys.readouterr().err
    async with session_factory(bot.engine)() as s:
        first = (await s.exec(select(User).order_by(User.id))).first()
    assert first is not None
    assert await cli("team", "deactivate", str(first.id)) == 0
    assert not (await user_row_by_id(bot, first.id)).active
