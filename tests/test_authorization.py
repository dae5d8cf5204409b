"""Authorization, table-driven: every role against every command and every button family.

The gatekeeper reads `bot.commands`; this test derives the expectations from the same table
and checks what a user actually sees through the fake Bot API."""

from __future__ import annotations

import pytest

from bot.commands import (
    CALLBACK_ROLES,
    COMMANDS,
    COORDINATOR,
    DEACTIVATED,
    EXPERT,
    RESIDENT,
    grants,
)
from bot.storage import team
from bot.storage.db import session_factory, transaction

BOTH = "coordinator+expert"  # a coordinator who also works as an expert
DENIAL = {
    RESIDENT: "alleen voor ervaringsdeskundigen",
    EXPERT: "alleen de coördinator",
    COORDINATOR: "Jij bent aangemeld als coördinator",
    DEACTIVATED: "toegang tot de bot is gestopt",
    BOTH: "Jij bent aangemeld als coördinator",
}
HELD = {
    RESIDENT: frozenset({RESIDENT}),
    EXPERT: frozenset({EXPERT}),
    COORDINATOR: frozenset({COORDINATOR}),
    DEACTIVATED: frozenset(),  # nothing at all, not even what residents may do
    BOTH: grants(COORDINATOR, also_expert=True),
}
ALL_PERSONAS = [RESIDENT, EXPERT, COORDINATOR, DEACTIVATED, BOTH]


async def _person(bot, role):
    if role == RESIDENT:
        return bot.resident("Sam")
    if role == EXPERT:
        return await bot.expert("Anna")
    if role == DEACTIVATED:
        person = await bot.expert("Dirk")
        await _change(bot, person, active=False)
        return person
    person = await bot.coordinator("Carla")
    if role == BOTH:
        await _change(bot, person, also_expert=True)
    return person


async def _change(bot, person, **values):
    user = await bot.app_user(person)
    async with transaction(session_factory(bot.engine)) as s:
        await team.change(s, user.id, None, bot.clock.now(), **values)


def _allowed(role: str, roles: frozenset[str]) -> bool:
    return bool(HELD[role] & roles)


def test_every_command_and_prefix_has_a_rule():
    assert {c.name for c in COMMANDS} >= {
        "start",
        "help",
        "annuleer",
        "inloop",
        "contact",
        "uren",
        "signaal",
        "verhaal",
        "week",
        "corrigeer",
        "herinnering",
        "pauze",
        "inloopbeheer",
        "privacy",
        "mijngegevens",
        "wisexpert",
    }
    for roles in CALLBACK_ROLES.values():
        assert roles and roles <= {RESIDENT, EXPERT, COORDINATOR}


@pytest.mark.parametrize("role", ALL_PERSONAS)
async def test_commands_by_role(bot, role):
    person = await _person(bot, role)
    for spec in COMMANDS:
        replies = await person.says(f"/{spec.name}")
        denied = any(DENIAL[role] in r.text for r in replies)
        allowed = _allowed(role, spec.roles)
        assert denied != allowed, (
            f"/{spec.name} for {role}: expected {'allowed' if allowed else 'denied'}\n"
            + person.transcript()
        )
        await person.says("/annuleer")  # leave no dialogue open for the next command


@pytest.mark.parametrize("role", ALL_PERSONAS)
async def test_buttons_by_role(bot, role):
    person = await _person(bot, role)
    anchor = (await person.says("/help")).last
    for prefix, roles in sorted(CALLBACK_ROLES.items()):
        # A well-formed but stale button of each family: allowed roles get past the gate
        # (and get some other answer), the rest get the refusal.
        await person.press_data(f"{prefix}:0:0:x", anchor)
        answer = person.last_callback_answer
        assert answer is not None, f"{prefix}: not answered\n{person.transcript()}"
        denied = DENIAL[role] in (answer.text or "")
        assert denied != _allowed(role, roles), f"button {prefix}: for {role}: {answer.text!r}"
    person.assert_callbacks_answered()


@pytest.mark.parametrize("role", ALL_PERSONAS)
async def test_unknown_button_family_is_refused(bot, role):
    person = await _person(bot, role)
    anchor = (await person.says("/help")).last
    await person.press_data("zz:1:2:3", anchor)
    assert person.last_callback_answer is not None
    person.assert_callbacks_answered()


async def test_walkin_management_buttons_work_only_for_coordinators(bot):
    """A coordinator's live /inloopbeheer button, pressed by anyone else, is refused and leaves
    the coordinator's dialogue as it was."""
    carla = await bot.coordinator("Carla")
    menu = (await carla.says("/inloopbeheer")).only
    data = menu.keyboard[0][0]["callback_data"]
    assert data.startswith("b:")
    for role, person in ((RESIDENT, bot.resident("Sam")), (EXPERT, await bot.expert("Anna"))):
        denied = (await person.says("/inloopbeheer")).only
        assert DENIAL[role] in denied.text
        anchor = (await person.says("/help")).last
        await person.press_data(data, anchor)
        assert DENIAL[role] in (person.last_callback_answer.text or "")
        person.assert_callbacks_answered()
    assert (await carla.press("Nieuwe inloop of spreekuur")).only.text.startswith("Welke gemeente?")


@pytest.mark.parametrize("role", [RESIDENT, EXPERT, COORDINATOR])
async def test_editing_a_message_into_a_command_does_nothing(bot, role):
    """An edit is never acted on: no command runs, whatever the role."""
    person = await _person(bot, role)
    await person.says("hallo")
    for spec in COMMANDS:
        before = len(bot.tg.messages(person.chat_id))
        await person.edits(None, f"/{spec.name}")
        new = bot.tg.messages(person.chat_id)[before:]
        assert len(new) == 1 and "aangepast bericht" in new[0].text, (
            f"/{spec.name} by edit for {role}\n" + person.transcript()
        )


def test_registered_handlers_match_the_table(bot):
    """Every command the bot answers has a row in the table, and every row has a handler."""
    from telegram.ext import CallbackQueryHandler, CommandHandler

    commands: set[str] = set()
    patterns: list[str] = []
    for group in bot.app.handlers.values():
        for handler in group:
            if isinstance(handler, CommandHandler):
                commands |= set(handler.commands)
            elif isinstance(handler, CallbackQueryHandler) and handler.pattern is not None:
                patterns.append(handler.pattern.pattern)
    assert commands == {c.name for c in COMMANDS}
    for prefix in CALLBACK_ROLES:
        assert any(p.startswith(f"^{prefix}:") or p.startswith(f"^{prefix}") for p in patterns), (
            prefix
        )


@pytest.mark.parametrize("role", [RESIDENT, EXPERT, COORDINATOR, BOTH])
async def test_allowed_commands_are_answered_by_their_own_handler(bot, role):
    person = await _person(bot, role)
    for spec in COMMANDS:
        if not _allowed(role, spec.roles):
            continue
        replies = await person.says(f"/{spec.name}")
        assert replies, f"/{spec.name}: no answer for {role}"
        assert not any("ken ik niet" in r.text for r in replies), f"/{spec.name} for {role}"
        await person.says("/annuleer")


async def test_group_chats_are_refused_and_register_nobody(bot):
    from sqlmodel import select

    from bot.storage.models import User

    code = await bot.invite_code("expert")
    group = bot.tg.group("Team Venlo")
    await bot.tg.driver.deliver(bot.tg, bot.tg.message_update(group.id, f"/start {code}"))
    assert "privégesprek" in bot.tg.messages(group.id)[-1].text
    async with bot.services.sessions() as s:
        assert (await s.exec(select(User))).all() == []
