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


async def open_person(carla, name: str):
    await carla.says("/team")
    return (await carla.press(name)).only


async def test_team_dialogue_stops_and_gives_access_changes_municipality_and_roles(bot):
    carla = await bot.coordinator("Carla")
    anna = await bot.expert("Anna")
    step = (await anna.says("/uren")).last
    listing = (await carla.says("/team")).only
    assert "Anna: ervaringsdeskundige, Venlo, laatst gelogd: nog nooit" in listing.text
    assert "Carla: coördinator, geen gemeente" in listing.text

    stopped = (await carla.press("Anna")).only
    stopped = (await carla.press("Toegang stoppen")).only
    assert "Anna kan de bot niet meer gebruiken" in stopped.text
    assert "⛔ gestopt" in stopped.text
    assert GONE in (await anna.says("/contact")).only.text
    await anna.press_data(step.keyboard[0][0]["callback_data"], step)
    assert GONE in (anna.last_callback_answer.text or "")

    assert "weer gebruiken" in (await carla.press("Weer toegang geven")).only.text
    assert (
        "Klopt dit?" in (await anna.says("/contact 1 uur inloop Venlo schulden 1 nieuw")).only.text
    )

    moved = (await carla.press("Gemeente wijzigen")).only
    assert "Wat is de gemeente van Anna?" in moved.text
    assert "Gemeente van Anna: Weert." in (await carla.press("Weert")).only.text
    assert (await bot.app_user(anna)).home_municipality_id is not None

    both = (await carla.press("Maak coördinator")).only
    assert "coördinator + ervaringsdeskundige" in both.text
    # The menu is set right after the update.
    for _ in range(100):
        menu = {n for n, _d in bot.tg.effective_commands(anna.chat_id)}
        if {"team", "contact"} <= menu:
            break
        await asyncio.sleep(0.05)
    assert {"team", "contact"} <= menu
    assert "alleen de coördinator" not in (await anna.says("/team")).last.text
    await anna.says("/annuleer")
    assert (
        "Klopt dit?" in (await anna.says("/contact 1 uur inloop Venlo schulden 1 nieuw")).last.text
    )
    await anna.says("/annuleer")
    only = (await carla.press("Geen ervaringsdeskundige meer")).only
    assert "Anna: coördinator, Weert" in only.text
    assert "Jij bent aangemeld als coördinator" in (await anna.says("/contact")).only.text

    # Nobody can take their own access or coordinator role.
    await carla.press("« Team")
    await carla.press("Carla")
    await carla.press("Toegang stoppen")
    assert "niet bij jezelf" in (carla.last_callback_answer.text or "")
    assert (await bot.app_user(carla)).active


async def test_invite_with_role_and_municipality_share_button_and_revoke(bot):
    carla = await bot.coordinator("Carla")
    await carla.says("/uitnodigen")
    await carla.press("Ervaringsdeskundige")
    made = (await carla.press("Beesel")).only
    [[share]] = made.keyboard
    assert share["url"].startswith("https://t.me/share/url?url=https%3A%2F%2Ft.me%2F")
    code = made.text.split("?start=")[1].split()[0]
    bram = bot.resident("Bram")
    await bram.says(f"/start {code}")
    user = await bot.app_user(bram)
    async with session_factory(bot.engine)() as s:
        from bot.storage.users import municipality_by_name

        beesel = await municipality_by_name(s, "Beesel")
    assert beesel is not None and user.home_municipality_id == beesel.id and user.role == "expert"

    await carla.says("/uitnodigen")
    await carla.press("Coördinator")
    made = (await carla.press("Geen vaste gemeente")).only
    code = made.text.split("?start=")[1].split()[0]
    await carla.says("/team")
    codes = (await carla.press("Open codes (1)")).only
    assert "coördinator, geen gemeente" in codes.text and "(door Carla)" in codes.text
    revoked = (await carla.press("Intrekken")).only
    assert "is ingetrokken" in revoked.text and "geen open codes" in revoked.text
    dirk = bot.resident("Dirk")
    assert "ingetrokken" in (await dirk.says(f"/start {code}")).only.text
    async with session_factory(bot.engine)() as s:
        audits = (await s.exec(select(AuditLog).where(AuditLog.entity == "invite"))).all()
    assert len(audits) == 1 and audits[0].actor_id == (await bot.app_user(carla)).id


async def test_logboek_shows_who_changed_what_before_and_after(bot, cli_env):
    carla = await bot.coordinator("Carla")
    await bot.expert("Anna")
    assert "nog geen wijzigingen" in (await carla.says("/logboek")).only.text
    await carla.says("/team")
    await carla.press("Anna")
    await carla.press("Toegang stoppen")
    assert await cli("team", "activate", "Anna") == 0
    log = (await carla.says("/logboek")).only.text
    newest, older = log.split("\n\n")[1:3]
    assert "opdrachtregel" in newest and "user Anna (edit): active: nee → ja" in newest
    assert "Carla" in older and "user Anna (edit): active: ja → nee" in older
