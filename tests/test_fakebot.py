"""Tests of the fake Telegram Bot API server (tests/fakebot) with a real ptb Application."""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import struct
import time
import warnings
import zlib
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import pytest_asyncio
from hypothesis import given
from hypothesis import strategies as st
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.error import (
    BadRequest,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.helpers import escape_markdown

from fakebot import (
    DEFAULT_TOKEN,
    BotRaised,
    ButtonNotFound,
    Driver,
    FakeTelegram,
    application_builder,
    fake_request,
    fixtures,
)
from fakebot.formatting import EntityParseError, parse_html, parse_markdown_v2, utf16_len

fake_telegram = fixtures.fake_telegram  # the plugin fixture, usable without conftest

App = Application[Any, Any, Any, Any, Any, Any]


def make_png(width: int = 2, height: int = 3) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    raw = b"".join(b"\x00" + b"\x7f" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


PNG = make_png()
KEYBOARD = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("Ja", callback_data="yes"),
            InlineKeyboardButton("Nee", callback_data="no"),
        ],
        [InlineKeyboardButton("Twee keer antwoorden", callback_data="twice")],
        [InlineKeyboardButton("Website", url="https://example.org")],
    ]
)


# --------------------------------------------------------------------------- demo bot


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None and update.effective_user is not None
    name = html.escape(update.effective_user.first_name)
    await update.message.reply_html(
        f"<b>Welkom</b>, {name}!", reply_markup=KEYBOARD, protect_content=True
    )


async def photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None
    await update.message.reply_photo(PNG, caption="Grafiek")


async def document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None
    await update.message.reply_document(b"a;b\n1;2\n", filename="rapport.csv", caption="CSV")


async def boom(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    raise ValueError("kapot")


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer(f"gekozen: {query.data}")
    if query.data == "twice":
        try:
            await query.answer("nog een keer")
        except BadRequest as exc:
            context.bot_data["second_answer_error"] = exc
        return
    await query.edit_message_text(f"Je koos {query.data}")


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None and update.message.text is not None
    await update.message.reply_text(update.message.text)


async def edited(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.edited_message is not None and update.edited_message.text is not None
    await update.edited_message.reply_text(f"Bewerkt: {update.edited_message.text}")


async def member(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.my_chat_member is not None
    context.bot_data.setdefault("member", []).append(update.my_chat_member.new_chat_member.status)


def build_demo_app(tg: FakeTelegram) -> App:
    app = application_builder(tg).build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("photo", photo))
    app.add_handler(CommandHandler("doc", document))
    app.add_handler(CommandHandler("boom", boom))
    app.add_handler(CallbackQueryHandler(button))
    app.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE & filters.TEXT, edited))
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT, echo))
    app.add_handler(ChatMemberHandler(member, ChatMemberHandler.MY_CHAT_MEMBER))
    return app


@pytest_asyncio.fixture
async def app(fake_telegram: FakeTelegram) -> AsyncIterator[App]:
    application = build_demo_app(fake_telegram)
    await application.initialize()
    fake_telegram.attach(application)
    yield application
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    await application.shutdown()


@contextlib.contextmanager
def telegram_error(
    exc_type: type[TelegramError], text: str
) -> Iterator[pytest.ExceptionInfo[TelegramError]]:
    """Like pytest.raises, plus a case-insensitive substring check (ptb re-cases messages)."""
    with pytest.raises(exc_type) as info:
        yield info
    assert text.lower() in str(info.value).lower(), f"{text!r} not in {str(info.value)!r}"


def retry_seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


# --------------------------------------------------------------------------- basics


async def test_get_me_and_message_shape(fake_telegram: FakeTelegram, app: App) -> None:
    assert app.bot.username == "ervaringsbot_test_bot"
    assert app.bot.id == int(DEFAULT_TOKEN.split(":")[0])

    anna = fake_telegram.user("Anna")
    bob = fake_telegram.user("Bob", language_code="en")
    assert bob.id == anna.id + 1 and anna.id >= 100_000_001

    replies = await anna.says("hallo")
    assert replies.texts == ["hallo"]
    call = fake_telegram.last_call("sendMessage")
    assert call.params["chat_id"] == anna.id and call.params["text"] == "hallo"
    message = call.result
    assert message["from"]["username"] == "ervaringsbot_test_bot"
    assert message["from"]["is_bot"] is True
    assert message["message_id"] == 2  # the user's message was #1 in this chat
    assert isinstance(message["date"], int)
    assert (await bob.says("hi")).only.message_id == 2  # message ids are per chat


async def test_tokens_and_unknown_methods() -> None:
    async with FakeTelegram(token=DEFAULT_TOKEN) as tg:
        other = Bot("42:other-token", base_url=tg.api_base_url)
        with pytest.raises(InvalidToken):
            await other.get_me()
        async with httpx.AsyncClient(trust_env=False) as client:
            response = await client.post(f"{tg.api_base_url}{DEFAULT_TOKEN}/noSuchMethod")
            assert response.status_code == 404
            assert response.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
            response = await client.post(f"{tg.api_base_url}not-a-token/getMe")
            assert response.status_code == 404
            response = await client.post(f"{tg.api_base_url}42:other/getMe")
            assert response.status_code == 401
            # JSON bodies work too, and method names are case-insensitive like Telegram's.
            response = await client.post(f"{tg.api_base_url}{DEFAULT_TOKEN}/GETME", json={})
            assert response.json()["result"]["username"] == "ervaringsbot_test_bot"


async def test_direct_scenario_with_buttons(fake_telegram: FakeTelegram, app: App) -> None:
    anna = fake_telegram.user("Anna")
    welcome = (await anna.says("/start")).only
    assert welcome.text == "Welkom, Anna!"
    assert welcome.source_text == "<b>Welkom</b>, Anna!"
    assert welcome.entities == [{"type": "bold", "offset": 0, "length": 6}]
    assert welcome.buttons == [["Ja", "Nee"], ["Twee keer antwoorden"], ["Website"]]
    assert welcome.protect_content is True

    replies = await anna.press("Ja")
    assert replies == [welcome]
    assert welcome.text == "Je koos yes"
    assert welcome.buttons == []  # editMessageText without reply_markup drops the keyboard
    assert welcome.history == ["Welkom, Anna!", "Je koos yes"]
    assert anna.last_callback_answer.text == "gekozen: yes"
    anna.assert_callbacks_answered()
    fake_telegram.assert_all_callbacks_answered()

    transcript = anna.transcript()
    assert "Anna: /start" in transcript and "Anna presses [Ja]" in transcript


async def test_press_errors_are_readable(fake_telegram: FakeTelegram, app: App) -> None:
    anna = fake_telegram.user("Anna")
    with pytest.raises(ButtonNotFound, match="no bot message has an inline keyboard"):
        await anna.press("Ja")
    await anna.says("/start")
    with pytest.raises(ButtonNotFound) as info:
        await anna.press("Misschien")
    assert "[Ja] [Nee]" in str(info.value) and "--- transcript" in str(info.value)
    with pytest.raises(ButtonNotFound, match="not a callback button"):
        await anna.press("Website")
    # Unique substring / case-insensitive matching:
    await anna.press("twee keer")
    assert anna.last_callback_answer.data == "twice"


async def test_stale_button_and_user_edits(fake_telegram: FakeTelegram, app: App) -> None:
    anna = fake_telegram.user("Anna")
    welcome = (await anna.says("/start")).only
    await anna.press("Nee")
    assert welcome.buttons == []
    # An old client still shows the keyboard: pressing "yes" again on the same message.
    await anna.press_data("yes", welcome)
    assert welcome.text == "Je koos yes"

    await anna.says("typfout")
    replies = await anna.edits(None, "verbeterd")
    assert replies.only.text == "Bewerkt: verbeterd"


async def test_handler_errors_surface(fake_telegram: FakeTelegram, app: App) -> None:
    anna = fake_telegram.user("Anna")
    with pytest.raises(BotRaised, match="ValueError: kapot") as info:
        await anna.says("/boom")
    assert isinstance(info.value.__cause__, ValueError)
    assert (await anna.says("nog steeds")).texts == ["nog steeds"]


async def test_concurrent_users(fake_telegram: FakeTelegram, app: App) -> None:
    users = [fake_telegram.user(f"User{i}") for i in range(5)]
    results = await asyncio.gather(*(u.says(f"bericht {i}") for i, u in enumerate(users)))
    assert [r.only.text for r in results] == [f"bericht {i}" for i in range(5)]


# --------------------------------------------------------------------------- polling


async def test_real_updater_polling(fake_telegram: FakeTelegram, app: App) -> None:
    driver = fake_telegram.use(Driver.polling(app))
    anna = fake_telegram.user("Anna")
    # An update queued before polling starts is delivered once polling begins.
    early = asyncio.create_task(
        driver.deliver(fake_telegram, fake_telegram.message_update(anna.id, "vroeg"))
    )
    await asyncio.sleep(0.02)
    assert len(fake_telegram.pending_updates) == 1
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1)
    await early
    assert anna.last_reply.text == "vroeg"

    welcome = (await anna.says("/start")).only
    assert welcome.text == "Welkom, Anna!"
    await anna.press("Ja")
    assert anna.last_reply.text == "Je koos yes"
    assert fake_telegram.pending_updates == []
    anna.assert_callbacks_answered()
    await app.updater.stop()


async def test_real_webhook(fake_telegram: FakeTelegram, app: App) -> None:
    """Webhook delivery into the production webhook server (bot/webhook.py, aiohttp): ptb's own
    webhook server needs tornado, which the bot does not install."""
    from bot.webhook import WebhookServer

    secret = "geheim-" + "x" * 32
    server = WebhookServer(app, listen="127.0.0.1", port=0, path="hook", secret=secret)
    port = await server.start()
    try:
        await app.start()
        await app.bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token=secret)
        fake_telegram.use(Driver.webhook(app))
        assert fake_telegram.webhook is not None
        assert fake_telegram.webhook["secret_token"] == secret
        anna = fake_telegram.user("Anna")
        assert (await anna.says("/start")).only.text == "Welkom, Anna!"
        await anna.press("Nee")
        assert anna.last_reply.text == "Je koos no"
    finally:
        await server.close()


async def test_json_and_form_requests(fake_telegram: FakeTelegram) -> None:
    anna = fake_telegram.add_private_chat("Anna")
    url = f"{fake_telegram.api_base_url}{DEFAULT_TOKEN}/sendMessage"
    keyboard = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
    async with httpx.AsyncClient(trust_env=False) as client:
        response = await client.post(
            url, json={"chat_id": anna.id, "text": "json", "reply_markup": keyboard}
        )
        assert response.json()["result"]["reply_markup"] == keyboard
        form = {"chat_id": str(anna.id), "text": "form", "reply_markup": json.dumps(keyboard)}
        response = await client.post(url, data=form)
        assert response.json()["result"]["text"] == "form"
        response = await client.post(url, data={**form, "reply_markup": "{kapot"})
        assert response.status_code == 400
        assert response.json()["description"] == (
            "Bad Request: can't parse reply keyboard markup JSON object"
        )
    assert [m.buttons for m in fake_telegram.messages(anna.id)] == [[["A"]], [["A"]]]


async def test_get_updates_long_polling(fake_telegram: FakeTelegram) -> None:
    bot = Bot(
        DEFAULT_TOKEN,
        base_url=fake_telegram.api_base_url,
        get_updates_request=fake_request(pool_size=2),
    )
    async with bot:
        anna = fake_telegram.add_private_chat("Anna")
        assert await bot.get_updates(timeout=0) == ()

        async def push_later() -> None:
            await asyncio.sleep(0.1)
            fake_telegram.push_update(fake_telegram.message_update(anna.id, "hoi"))

        started = time.monotonic()
        task = asyncio.create_task(push_later())
        updates = await bot.get_updates(timeout=5)
        await task
        assert 0.05 < time.monotonic() - started < 2
        assert [u.message.text for u in updates if u.message] == ["hoi"]

        for text in ("a", "b", "c"):
            fake_telegram.push_update(fake_telegram.message_update(anna.id, text))
        # Not confirmed yet: the first update comes again.
        first = await bot.get_updates(timeout=0, limit=2)
        assert [u.message.text for u in first if u.message] == ["hoi", "a"]
        rest = await bot.get_updates(offset=first[-1].update_id + 1, timeout=0)
        assert [u.message.text for u in rest if u.message] == ["b", "c"]
        await bot.get_updates(offset=rest[-1].update_id + 1, timeout=0)
        assert fake_telegram.pending_updates == []

        # A second long poll terminates the first one with 409, like Telegram.
        waiting = asyncio.create_task(bot.get_updates(timeout=5))
        await asyncio.sleep(0.05)
        assert await bot.get_updates(timeout=0) == ()
        with pytest.raises(Conflict):
            await waiting

        # While a webhook is set, getUpdates is refused.
        await bot.set_webhook("https://example.org/hook", secret_token="s" * 32)
        assert (await bot.get_webhook_info()).url == "https://example.org/hook"
        with pytest.raises(Conflict):
            await bot.get_updates(timeout=0)
        await bot.delete_webhook()
        assert await bot.get_updates(timeout=0) == ()


async def test_stop_answers_pending_long_poll() -> None:
    tg = await FakeTelegram().start()
    bot = Bot(DEFAULT_TOKEN, base_url=tg.api_base_url)
    async with bot:
        waiting = asyncio.create_task(bot.get_updates(timeout=30))
        await asyncio.sleep(0.05)
        started = time.monotonic()
        await tg.stop()
        assert await waiting == ()
        assert time.monotonic() - started < 2


# --------------------------------------------------------------------------- validation


async def test_html_validation(fake_telegram: FakeTelegram, app: App) -> None:
    chat = fake_telegram.user("Anna").id
    message = await app.bot.send_message(chat, "<b>x</b> &amp; &lt;y&gt;", parse_mode="HTML")
    assert message.text == "x & <y>"
    for bad in ("a & b", "<foo>x</foo>", "<b>unclosed", "1 < 2", "<b>x</i>"):
        with telegram_error(BadRequest, "can't parse entities"):
            await app.bot.send_message(chat, bad, parse_mode="HTML")
    with telegram_error(BadRequest, 'Unsupported start tag "foo" at byte offset 0'):
        await app.bot.send_message(chat, "<foo>", parse_mode="HTML")
    # Plain text is not parsed; MarkdownV2 requires escaping.
    await app.bot.send_message(chat, "a & b <foo>")
    with telegram_error(BadRequest, "Character '.' is reserved"):
        await app.bot.send_message(chat, "Klaar.", parse_mode="MarkdownV2")
    await app.bot.send_message(chat, "*Klaar*\\.", parse_mode="MarkdownV2")
    fake_telegram.lenient_markdown_v2 = True
    await app.bot.send_message(chat, "Klaar.", parse_mode="MarkdownV2")
    with telegram_error(BadRequest, "message text is empty"):
        await app.bot.send_message(chat, "<b> </b>", parse_mode="HTML")


async def test_length_limits(fake_telegram: FakeTelegram, app: App) -> None:
    chat = fake_telegram.user("Anna").id
    await app.bot.send_message(chat, "x" * 4096)
    with telegram_error(BadRequest, "message is too long"):
        await app.bot.send_message(chat, "x" * 4097)
    # Entities count as one visible character; tags do not count.
    await app.bot.send_message(chat, "&amp;" * 4096, parse_mode="HTML")
    await app.bot.send_message(chat, "<b>" + "x" * 4096 + "</b>", parse_mode="HTML")
    with telegram_error(BadRequest, "message is too long"):
        await app.bot.send_message(chat, "&amp;" * 4097, parse_mode="HTML")
    # UTF-16 code units: an emoji outside the BMP counts twice.
    await app.bot.send_message(chat, "😀" * 2048)
    with telegram_error(BadRequest, "message is too long"):
        await app.bot.send_message(chat, "😀" * 2048 + "x")
    # Captions: 1024.
    await app.bot.send_photo(chat, PNG, caption="c" * 1024)
    with telegram_error(BadRequest, "message caption is too long"):
        await app.bot.send_photo(chat, PNG, caption="c" * 1025)


async def test_keyboard_validation(fake_telegram: FakeTelegram, app: App) -> None:
    chat = fake_telegram.user("Anna").id

    def markup(*buttons: InlineKeyboardButton) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup([list(buttons)])

    await app.bot.send_message(
        chat, "ok", reply_markup=markup(InlineKeyboardButton("a", callback_data="x" * 64))
    )
    for data in ("x" * 65, "é" * 33):  # 65 and 66 bytes
        with telegram_error(BadRequest, "BUTTON_DATA_INVALID"):
            await app.bot.send_message(
                chat, "te lang", reply_markup=markup(InlineKeyboardButton("a", callback_data=data))
            )
    with telegram_error(BadRequest, "Text buttons are unallowed"):
        await app.bot.send_message(
            chat, "geen actie", reply_markup=markup(InlineKeyboardButton("a"))
        )
    with telegram_error(BadRequest, "BUTTON_TEXT_INVALID"):
        await app.bot.send_message(
            chat, "leeg", reply_markup=markup(InlineKeyboardButton("", callback_data="x"))
        )
    nine = [InlineKeyboardButton(str(i), callback_data=str(i)) for i in range(9)]
    with telegram_error(BadRequest, "REPLY_MARKUP_TOO_LONG"):
        await app.bot.send_message(chat, "rij te lang", reply_markup=markup(*nine))
    rows = [
        [InlineKeyboardButton(f"{r}.{c}", callback_data=f"{r}.{c}") for c in range(8)]
        for r in range(13)
    ]
    with telegram_error(BadRequest, "REPLY_MARKUP_TOO_LONG"):
        await app.bot.send_message(chat, "te veel", reply_markup=InlineKeyboardMarkup(rows))
    # Nothing invalid was recorded as sent.
    assert [m.text for m in fake_telegram.messages(chat)] == ["ok"]


async def test_edit_and_delete(fake_telegram: FakeTelegram, app: App) -> None:
    anna = fake_telegram.user("Anna")
    welcome = (await anna.says("/start")).only
    bot = app.bot
    with telegram_error(BadRequest, "message is not modified"):
        await bot.edit_message_text(
            "<b>Welkom</b>, Anna!",
            anna.id,
            welcome.message_id,
            parse_mode="HTML",
            reply_markup=KEYBOARD,
        )
    await bot.edit_message_reply_markup(anna.id, welcome.message_id, reply_markup=None)
    assert welcome.buttons == [] and welcome.text == "Welkom, Anna!"
    with telegram_error(BadRequest, "message is not modified"):
        await bot.edit_message_reply_markup(anna.id, welcome.message_id, reply_markup=None)
    with telegram_error(BadRequest, "message can't be edited"):
        await bot.edit_message_text("x", anna.id, 1)  # the user's own /start
    with telegram_error(BadRequest, "message to edit not found"):
        await bot.edit_message_text("x", anna.id, 999)

    assert await bot.delete_message(anna.id, welcome.message_id)
    assert welcome.deleted and anna.replies == []
    with telegram_error(BadRequest, "message to delete not found"):
        await bot.delete_message(anna.id, welcome.message_id)
    with telegram_error(BadRequest, "message to edit not found"):
        await bot.edit_message_text("x", anna.id, welcome.message_id)
    with telegram_error(BadRequest, "chat not found"):
        await bot.send_message(123, "niemand")


async def test_callback_answers(fake_telegram: FakeTelegram, app: App) -> None:
    anna = fake_telegram.user("Anna")
    await anna.says("/start")
    await anna.press("Twee keer")
    error = app.bot_data["second_answer_error"]
    assert "query is too old" in str(error).lower()
    query = anna.last_callback_answer
    assert query.text == "gekozen: twice" and len(query.attempts) == 2
    with pytest.raises(AssertionError, match="2 answerCallbackQuery attempt"):
        anna.assert_callbacks_answered()
    with telegram_error(BadRequest, "query is too old"):
        await app.bot.answer_callback_query(query.id)
    with telegram_error(BadRequest, "query is too old"):
        await app.bot.answer_callback_query("12345")

    # A press nobody answers is reported too.
    bob = fake_telegram.user("Bob")
    message = await app.bot.send_message(bob.id, "kies", reply_markup=KEYBOARD)
    fake_telegram.callback_query_update(bob.id, message.message_id, "yes")  # never delivered
    with pytest.raises(AssertionError, match="answered=False"):
        bob.assert_callbacks_answered()
    unanswered = fake_telegram.unanswered_callback_queries()
    with telegram_error(BadRequest, "MESSAGE_TOO_LONG"):
        await app.bot.answer_callback_query(unanswered[0].id, text="x" * 201)
    assert await app.bot.answer_callback_query(unanswered[0].id, text="x" * 200)
    assert unanswered[0].answered and unanswered[0].text == "x" * 200
    assert fake_telegram.unanswered_callback_queries() == []


async def test_blocked_user(fake_telegram: FakeTelegram, app: App) -> None:
    anna = fake_telegram.user("Anna")
    await anna.says("hoi")
    await anna.blocks_bot()
    assert app.bot_data["member"] == ["kicked"]
    with pytest.raises(AssertionError, match="has blocked the bot"):
        await anna.says("hallo?")
    with telegram_error(Forbidden, "bot was blocked by the user"):
        await app.bot.send_message(anna.id, "hallo?")
    with pytest.raises(Forbidden):
        await app.bot.send_chat_action(anna.id, "typing")
    await anna.unblocks_bot()
    assert app.bot_data["member"] == ["kicked", "member"]
    await app.bot.send_message(anna.id, "welkom terug")

    bob = fake_telegram.user("Bob")
    fake_telegram.block(bob.id)  # silently, no update
    with pytest.raises(Forbidden):
        await app.bot.send_message(bob.id, "hallo?")
    assert "Anna blocks the bot" in anna.transcript()


# --------------------------------------------------------------------------- rate limits


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_fail_next(fake_telegram: FakeTelegram, app: App) -> None:
    chat = fake_telegram.user("Anna").id
    fake_telegram.fail_next("sendMessage", 429, retry_after=7, times=2)
    for _ in range(2):
        with pytest.raises(RetryAfter) as info:
            await app.bot.send_message(chat, "x")
        assert retry_seconds(info.value) == 7
    await app.bot.send_message(chat, "nu wel")
    fake_telegram.fail_next("sendMessage", 502)
    with pytest.raises(NetworkError):
        await app.bot.send_message(chat, "x")
    assert fake_telegram.stats.injected_failures == 3
    assert [m.text for m in fake_telegram.messages(chat)] == ["nu wel"]


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_flood_limits(fake_telegram: FakeTelegram, app: App) -> None:
    users = [fake_telegram.user(f"U{i}").id for i in range(6)]
    fake_telegram.enforce_flood_limits(per_chat_per_sec=10, global_per_sec=5, per_chat_burst=1)
    await app.bot.send_message(users[0], "1")
    with pytest.raises(RetryAfter) as info:
        await app.bot.send_message(users[0], "2")  # same chat, immediately
    assert retry_seconds(info.value) == 1
    await asyncio.sleep(0.11)  # the per-chat bucket drained (10/s)
    await app.bot.send_message(users[0], "2")
    for chat in users[1:4]:
        await app.bot.send_message(chat, "x")
    with pytest.raises(RetryAfter):
        await app.bot.send_message(users[5], "global limit: 5 in a burst")
    assert fake_telegram.stats.flood_429s == 2
    fake_telegram.disable_flood_limits()
    await app.bot.send_message(users[5], "ok")


# --------------------------------------------------------------------------- other methods


async def test_commands_per_scope_and_language(fake_telegram: FakeTelegram, app: App) -> None:
    anna = fake_telegram.user("Anna", language_code="nl")
    bob = fake_telegram.user("Bob", language_code="en")
    coordinator = fake_telegram.user("Carla", language_code="nl")
    bot = app.bot
    await bot.set_my_commands([BotCommand("start", "Start")])
    await bot.set_my_commands(
        [BotCommand("uren", "Uren doorgeven")],
        scope=BotCommandScopeAllPrivateChats(),
        language_code="nl",
    )
    await bot.set_my_commands(
        [BotCommand("uren", "Uren doorgeven"), BotCommand("beheer", "Beheer")],
        scope=BotCommandScopeChat(coordinator.id),
        language_code="nl",
    )
    assert fake_telegram.commands_for("default") == [("start", "Start")]
    assert fake_telegram.commands_for("chat", "nl", chat_id=coordinator.id)[1] == (
        "beheer",
        "Beheer",
    )
    assert [
        c.command for c in await bot.get_my_commands(BotCommandScopeChat(coordinator.id), "nl")
    ] == [
        "uren",
        "beheer",
    ]
    assert anna.menu_commands == [("uren", "Uren doorgeven")]
    assert bob.menu_commands == [("start", "Start")]  # no English private-chat menu
    assert [c for c, _ in coordinator.menu_commands] == ["uren", "beheer"]

    await bot.delete_my_commands(BotCommandScopeChat(coordinator.id), "nl")
    assert coordinator.menu_commands == anna.menu_commands
    with telegram_error(BadRequest, "BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand("Met Spatie", "x")])
    with telegram_error(BadRequest, "chat not found"):
        await bot.set_my_commands([BotCommand("x", "x")], scope=BotCommandScopeChat(5))

    from telegram import MenuButtonCommands

    await bot.set_chat_menu_button(anna.id, MenuButtonCommands())
    assert anna.menu_button == {"type": "commands"}
    assert fake_telegram.menu_button(bob.id) == {"type": "default"}
    info = await bot.get_chat(anna.id)
    assert info.first_name == "Anna" and info.type == "private"


async def test_photo_and_document(fake_telegram: FakeTelegram, app: App) -> None:
    anna = fake_telegram.user("Anna")
    chart = (await anna.says("/photo")).only
    assert chart.photo == PNG and chart.text == "Grafiek" and chart.kind == "photo"
    report = (await anna.says("/doc")).only
    assert report.document == b"a;b\n1;2\n" and report.document_name == "rapport.csv"
    assert report.caption == "CSV"

    # The files can be fetched back through getFile + the file URL.
    call = fake_telegram.last_call("sendDocument")
    file = await app.bot.get_file(call.result["document"]["file_id"])
    assert bytes(await file.download_as_bytearray()) == b"a;b\n1;2\n"
    # Resending by file_id works and reuses the bytes.
    photo_id = fake_telegram.calls_to("sendPhoto")[0].result["photo"][0]["file_id"]
    again = await app.bot.send_photo(anna.id, photo_id)
    assert fake_telegram.messages(anna.id)[-1].photo == PNG and again.photo

    with telegram_error(BadRequest, "IMAGE_PROCESS_FAILED"):
        await app.bot.send_photo(anna.id, b"not an image")
    with telegram_error(BadRequest, "wrong file identifier"):
        await app.bot.send_document(anna.id, "no-such-file-id")
    with telegram_error(BadRequest, "there is no text in the message to edit"):
        await app.bot.edit_message_text("x", anna.id, chart.message_id)
    await app.bot.edit_message_caption(anna.id, chart.message_id, caption="Nieuwe grafiek")
    assert chart.text == "Nieuwe grafiek"

    # A user can send a document, which the bot can download.
    received: list[bytes] = []

    async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None and update.message.document is not None
        document_file = await update.message.document.get_file()
        received.append(bytes(await document_file.download_as_bytearray()))

    app.add_handler(MessageHandler(filters.Document.ALL, on_document))
    await anna.sends_document(b"%PDF-1.4", "cv.pdf", mime_type="application/pdf")
    assert received == [b"%PDF-1.4"]


async def test_clock_pins_and_members(fake_telegram: FakeTelegram, app: App) -> None:
    class Clock:
        def now(self) -> datetime:
            return datetime(2025, 3, 3, 9, 30, tzinfo=UTC)

    fake_telegram.clock = Clock()
    stamp = int(datetime(2025, 3, 3, 9, 30, tzinfo=UTC).timestamp())
    anna = fake_telegram.user("Anna")
    reply = (await anna.says("hoi")).only
    assert anna.sent_messages[-1].json["date"] == stamp
    assert fake_telegram.last_call("sendMessage").result["date"] == stamp

    assert await app.bot.pin_chat_message(anna.id, reply.message_id)
    assert anna.chat.pinned == [reply.message_id]
    await app.bot.unpin_all_chat_messages(anna.id)
    assert anna.chat.pinned == []
    member = await app.bot.get_chat_member(anna.id, anna.id)
    assert member.status == "member" and member.user.first_name == "Anna"


async def test_chat_action_and_raw_calls(fake_telegram: FakeTelegram, app: App) -> None:
    anna = fake_telegram.user("Anna")
    await app.bot.send_chat_action(anna.id, "typing")
    with telegram_error(BadRequest, "wrong parameter action"):
        await app.bot.send_chat_action(anna.id, "dancing")
    assert [c.params["action"] for c in fake_telegram.calls_to("sendChatAction")] == [
        "typing",
        "dancing",
    ]
    keyboard = ReplyKeyboardMarkup([["Ja", "Nee"], ["Stop"]], one_time_keyboard=True)
    await app.bot.send_message(anna.id, "Kies", reply_markup=keyboard)
    assert anna.reply_keyboard == [["Ja", "Nee"], ["Stop"]]
    assert (await anna.says("Nee")).only.text == "Nee"  # pressing a reply button = text
    await app.bot.send_message(anna.id, "Weg", reply_markup=ReplyKeyboardRemove())
    assert anna.reply_keyboard == []
    assert fake_telegram.server_errors == []


# --------------------------------------------------------------------------- formatting


@given(st.text())
def test_escaped_html_round_trips(text: str) -> None:
    parsed = parse_html(html.escape(text))
    assert parsed.text == text and parsed.entities == []
    assert parsed.length == utf16_len(text)


@given(st.text(alphabet=st.characters(max_codepoint=0x2FF)))
def test_escaped_markdown_v2_round_trips(text: str) -> None:
    parsed = parse_markdown_v2(escape_markdown(text, version=2))
    assert parsed.text == text


def test_html_entity_offsets_are_utf16() -> None:
    parsed = parse_html('😀 <i>x</i> <a href="https://e.org/?a=1&amp;b=2">link</a>')
    assert parsed.text == "😀 x link"
    assert parsed.entities == [
        {"type": "italic", "offset": 3, "length": 1},
        {"type": "text_link", "offset": 5, "length": 4, "url": "https://e.org/?a=1&b=2"},
    ]
    with pytest.raises(
        EntityParseError, match='Can\'t find end tag corresponding to start tag "b"'
    ):
        parse_html("<b>x")
