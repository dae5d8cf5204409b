"""Registration by code, role-aware /help and menus, /annuleer, and the error handler —
driven through the fake Bot API like a user would."""

from __future__ import annotations

from sqlmodel import select

from bot.storage.db import session_factory
from bot.storage.models import ProcessedUpdate, User


async def test_resident_start_gets_walkin_welcome(bot):
    sam = bot.resident("Sam")
    reply = (await sam.says("/start")).only
    assert "zonder afspraak" in reply.text
    assert "/inloop" in reply.text
    async with session_factory(bot.engine)() as s:
        assert (await s.exec(select(User))).all() == []


async def test_expert_registers_with_deep_link_code_once(bot):
    code = await bot.invite_code("expert", "Venlo")
    anna = bot.resident("Anna")
    welcome = (await anna.says(f"/start {code}")).only
    assert "ervaringsdeskundige" in welcome.text
    assert "/contact" in welcome.text
    user = await bot.app_user(anna)
    assert user.role == "expert" and user.display_name == "Anna"
    # The per-chat menu is the expert's.
    names = [name for name, _desc in bot.tg.effective_commands(anna.chat_id)]
    assert "contact" in names and "inloopbeheer" not in names

    # The same code a second time, by someone else: refused.
    bert = bot.resident("Bert")
    again = (await bert.says(f"/start {code}")).only
    assert "al gebruikt" in again.text
    async with session_factory(bot.engine)() as s:
        assert len((await s.exec(select(User))).all()) == 1


async def test_pasted_code_also_registers(bot):
    code = await bot.invite_code("coordinator")
    carla = bot.resident("Carla")
    reply = (await carla.says(code)).only
    assert "coördinator" in reply.text
    assert (await bot.app_user(carla)).role == "coordinator"


async def test_wrong_codes_are_throttled_then_refused(bot):
    code = await bot.invite_code("expert")
    eve = bot.resident("Eve")
    for i in range(5):
        reply = (await eve.says(f"/start {i:032x}")).only
        assert "klopt niet" in reply.text
    reply = (await eve.says(f"/start {code}")).only
    assert "Te vaak" in reply.text
    bot.clock.advance(minutes=16)
    reply = (await eve.says(f"/start {code}")).only
    assert "ervaringsdeskundige" in reply.text


async def test_default_menus_per_language(bot):
    nl = bot.tg.effective_commands(bot.resident("Sam").chat_id, "nl")
    en = bot.tg.effective_commands(bot.resident("John").chat_id, "en")
    assert [name for name, _ in nl] == ["start", "help", "inloop", "privacy"]  # no /annuleer
    assert dict(nl)["inloop"] != dict(en)["inloop"]


async def test_help_is_role_aware(bot):
    anna = await bot.expert()
    carla = await bot.coordinator()
    sam = bot.resident()
    expert_help = (await anna.says("/help")).only.text
    coord_help = (await carla.says("/help")).only.text
    resident_help = (await sam.says("/help")).only.text
    assert "/contact" in expert_help and "/inloopbeheer" not in expert_help
    assert "/inloopbeheer" in coord_help and "/contact" not in coord_help
    assert "/contact" not in resident_help and "/inloop" in resident_help


async def test_english_client_gets_english(bot):
    john = bot.resident("John", language_code="en")
    reply = (await john.says("/help")).only
    assert "walk in" in reply.text.lower() or "what you can do" in reply.text.lower()


async def test_cancel_without_dialogue(bot):
    anna = await bot.expert()
    assert "niets om te stoppen" in (await anna.says("/annuleer")).only.text


async def test_unknown_command_gets_hint(bot):
    sam = bot.resident()
    assert "/help" in (await sam.says("/onzin")).only.text


async def test_redelivered_update_is_ignored(bot):
    sam = bot.resident()
    update = bot.tg.message_update(sam.chat_id, "/help")
    await bot.tg.driver.deliver(bot.tg, update)
    assert len(bot.tg.messages(sam.chat_id)) == 1
    await bot.tg.driver.deliver(bot.tg, update)
    assert len(bot.tg.messages(sam.chat_id)) == 1
    async with session_factory(bot.engine)() as s:
        assert len((await s.exec(select(ProcessedUpdate))).all()) == 1


async def test_error_handler_tells_user_and_answers_callback(bot, monkeypatch):
    from bot.handlers import start

    bot.tg.attach(bot.app, raise_errors=False)
    carla = await bot.coordinator()
    await carla.says("/uitnodigen")

    async def boom(*a, **k):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(start.users, "create_invite", boom)
    await carla.press("Ervaringsdeskundige")
    await carla.press("Venlo")
    answer = carla.last_callback_answer
    assert answer is not None and "ging iets mis" in answer.text
    carla.assert_callbacks_answered()


async def test_menus_are_refreshed_for_every_user_at_start_up(bot):
    """A new version may change a role's menu: start-up gives every user their current one."""
    from types import SimpleNamespace

    from bot.menus import refresh_user_menus
    from bot.storage.db import transaction

    anna = await bot.expert()
    async with transaction(bot.services.sessions) as s:
        user = await s.get(User, (await bot.app_user(anna)).id)
        user.role = "coordinator"
    await refresh_user_menus(SimpleNamespace(application=bot.app))
    names = [name for name, _ in bot.tg.effective_commands(anna.chat_id)]
    assert "inloopbeheer" in names and "contact" not in names


async def test_a_resident_leaves_nothing_behind(bot):
    """Deep links that aren't codes, questions, a mistyped code: only update ids are kept,
    and those identify no one."""
    from sqlalchemy import inspect, text

    sam = bot.resident("Sam")
    await sam.says("/start poster-bibliotheek-venlo")
    assert "zonder afspraak" in sam.last_reply.text
    await sam.says("Venlo2Blerick2morgen")
    await sam.says(f"/start {'ab' * 16}")  # code-shaped but wrong: counted, not stored by id
    assert "klopt niet" in sam.last_reply.text

    def dump(conn):
        rows = {}
        for table in inspect(conn).get_table_names():
            rows[table] = [tuple(r) for r in conn.execute(text(f"SELECT * FROM {table}"))]
        return rows

    async with bot.engine.connect() as conn:
        rows = await conn.run_sync(dump)
    for table, content in rows.items():
        flat = " ".join(str(v) for row in content for v in row)
        assert str(sam.chat_id) not in flat, table
        assert "Blerick2morgen" not in flat and "poster" not in flat, table
    assert len(rows["registration_attempt"]) == 1


async def test_error_message_in_the_users_language_without_a_promise_to_residents(bot, monkeypatch):
    from bot.handlers import start

    bot.tg.attach(bot.app, raise_errors=False)

    def boom(*a, **k):
        raise RuntimeError("typed: " + "06" + "12345678")

    monkeypatch.setattr(start, "help_text", boom)
    john = bot.resident("John", language_code="en")
    reply = (await john.says("/help")).only
    assert reply.text == "Sorry, something went wrong. Please try again."


async def test_error_after_the_button_was_answered_still_tells_the_user(bot, monkeypatch, caplog):
    from bot.handlers import start

    bot.tg.attach(bot.app, raise_errors=False)
    carla = await bot.coordinator()
    await carla.says("/uitnodigen")

    def boom(*a, **k):
        raise RuntimeError("typed: " + "06" + "12345678")  # built at run time, not in source

    monkeypatch.setattr(start, "deep_link", boom)
    await carla.press("Ervaringsdeskundige")
    await carla.press("Venlo")
    assert "ging iets mis" in carla.last_reply.text
    carla.assert_callbacks_answered()
    assert "0612345678" not in caplog.text
    assert "RuntimeError" in caplog.text
