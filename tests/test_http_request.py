"""bot.http.AiohttpRequest keeps ptb's request semantics: answers mapped to ptb's errors by
BaseRequest, timeouts -> TimedOut, transport failures -> NetworkError, files uploaded as
multipart, an HTTP proxy used when given; and a real Application long-polls through it.

Every test also runs with ptb's own HTTPXRequest: the reference for what the semantics are."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from telegram import Bot, Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters
from telegram.request import BaseRequest, HTTPXRequest

from bot.http import AiohttpRequest
from fakebot import DEFAULT_TOKEN, Driver, FakeTelegram

BACKEND = {"name": "aiohttp"}  # set by the autouse fixture for each test


@pytest.fixture(autouse=True, params=["aiohttp", "httpx"])
def backend(request: pytest.FixtureRequest) -> str:
    BACKEND["name"] = request.param
    return str(request.param)


def request(**kwargs: Any) -> BaseRequest:
    timeouts: dict[str, Any] = {
        "connect_timeout": 2.0,
        "read_timeout": 2.0,
        "write_timeout": 2.0,
        "pool_timeout": 1.0,
    }
    if BACKEND["name"] == "httpx":
        return HTTPXRequest(**timeouts, **kwargs, httpx_kwargs={"trust_env": False})
    return AiohttpRequest(**timeouts, **kwargs)


def make_bot(tg: FakeTelegram, req: BaseRequest, base_url: str | None = None) -> Bot:
    return Bot(
        DEFAULT_TOKEN,
        base_url=base_url or tg.api_base_url,
        base_file_url=tg.file_base_url,
        request=req,
        get_updates_request=request(),
    )


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server


async def test_calls_and_answers(tg: FakeTelegram) -> None:
    anna = tg.user("Anna")
    async with make_bot(tg, request()) as bot:
        assert bot.username == tg.bot_username
        message = await bot.send_message(anna.id, "<b>Hallo</b> &amp; welkom", parse_mode="HTML")
        assert message.text == "Hallo & welkom"
        edited = await message.edit_text("Tot ziens")
        assert isinstance(edited, type(message)) and edited.text == "Tot ziens"
    assert [c.method for c in tg.calls] == ["getMe", "sendMessage", "editMessageText"]
    assert tg.calls[1].status == 200


async def test_a_file_is_uploaded_as_multipart(tg: FakeTelegram) -> None:
    anna = tg.user("Anna")
    data = b"datum;uren\n2026-11-17;1,5\n" * 1000
    async with make_bot(tg, request()) as bot:
        sent = await bot.send_document(
            anna.id, data, filename="uren.csv", caption="Je uren", write_timeout=5
        )
    upload = tg.messages(anna.id)[-1].document_file
    assert upload is not None and upload.data == data and upload.filename == "uren.csv"
    assert sent.document is not None and sent.document.file_name == "uren.csv"
    assert sent.caption == "Je uren"


@pytest.mark.parametrize(
    ("code", "error"),
    [(400, BadRequest), (403, Forbidden), (429, RetryAfter)],
)
async def test_error_answers_become_ptb_errors(
    tg: FakeTelegram, code: int, error: type[Exception]
) -> None:
    anna = tg.user("Anna")
    tg.fail_next("sendMessage", code, retry_after=7 if code == 429 else None)
    async with make_bot(tg, request()) as bot:
        with pytest.raises(error) as raised:
            await bot.send_message(anna.id, "Hallo")
        if code == 429:
            assert isinstance(raised.value, RetryAfter)
            assert raised.value.retry_after in (7, timedelta(seconds=7))
        await bot.send_message(anna.id, "Nu wel")  # the failure was for one call only


async def test_a_slow_answer_is_a_timeout(tg: FakeTelegram) -> None:
    async def slow(params: dict[str, Any], files: Any) -> bool:
        await asyncio.sleep(3)
        return True

    tg.register_method("slowMethod", slow)
    async with make_bot(tg, request()) as bot:
        with pytest.raises(TimedOut):
            await bot.do_api_request("slowMethod", read_timeout=0.3)


async def test_a_full_pool_is_a_timeout(tg: FakeTelegram) -> None:
    async def slow(params: dict[str, Any], files: Any) -> bool:
        await asyncio.sleep(1)
        return True

    tg.register_method("slowMethod", slow)
    async with make_bot(tg, request(connection_pool_size=1)) as bot:
        busy = asyncio.create_task(bot.do_api_request("slowMethod", read_timeout=5))
        await asyncio.sleep(0.2)
        with pytest.raises(TimedOut):
            await bot.do_api_request("slowMethod", pool_timeout=0.2, connect_timeout=0.2)
        assert await busy is True


async def test_a_server_that_does_not_read_is_a_write_timeout() -> None:
    stalled: list[asyncio.StreamWriter] = []

    async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        stalled.append(writer)  # never reads: the client's send buffer fills up

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    req = request()
    await req.initialize()
    bot = Bot(DEFAULT_TOKEN, base_url=f"http://127.0.0.1:{port}/bot", request=req)
    try:
        started = asyncio.get_running_loop().time()
        with pytest.raises(TimedOut):
            await bot.send_document(
                1,
                b"x" * 20_000_000,  # more than the socket buffers take
                filename="groot.csv",
                write_timeout=0.3,
                read_timeout=0.3,
                connect_timeout=0.3,
                pool_timeout=0.3,
            )
        assert asyncio.get_running_loop().time() - started < 5
    finally:
        await req.shutdown()
        server.close()
        for writer in stalled:
            writer.close()


async def test_a_refused_connection_is_a_network_error(tg: FakeTelegram) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    req = request()
    bot = Bot(DEFAULT_TOKEN, base_url=f"http://127.0.0.1:{port}/bot", request=req)
    await req.initialize()
    try:
        with pytest.raises(NetworkError) as raised:
            await bot.get_me()
        assert not isinstance(raised.value, TimedOut)
    finally:
        await req.shutdown()


async def test_an_http_proxy_is_used(tg: FakeTelegram) -> None:
    # The API host does not exist; only the proxy (here: the fake server itself, which serves
    # absolute-form request targets) can answer.
    anna = tg.user("Anna")
    async with make_bot(
        tg, request(proxy=tg.url), base_url="http://api.telegram.invalid/bot"
    ) as bot:
        await bot.send_message(anna.id, "via de proxy")
    assert tg.messages(anna.id)[-1].text == "via de proxy"
    if BACKEND["name"] == "aiohttp":
        with pytest.raises(ValueError, match="http"):
            AiohttpRequest(proxy="socks5://127.0.0.1:1080")


async def test_an_application_long_polls_through_it(tg: FakeTelegram) -> None:
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_text(f"echo {update.message.text}")

    app = (
        ApplicationBuilder()
        .token(DEFAULT_TOKEN)
        .base_url(tg.api_base_url)
        .base_file_url(tg.file_base_url)
        .request(request())
        .get_updates_request(request(connection_pool_size=2))
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT, echo))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        try:
            tg.use(Driver.polling(timeout=20, quiet=0.2))
            anna = tg.user("Anna")
            await anna.says("hoi")
            assert anna.last_reply.text == "echo hoi"
        finally:
            await app.updater.stop()
            await app.stop()


def test_the_application_uses_the_configured_backend(tmp_path: Any) -> None:
    from bot.app import build_application
    from bot.config import Settings

    def settings(**extra: Any) -> Settings:
        return Settings(
            telegram_bot_token=DEFAULT_TOKEN,  # type: ignore[arg-type]
            database_url=f"sqlite:///{tmp_path / 'bot.db'}",
            _env_file=None,  # type: ignore[call-arg]
            **extra,
        )

    from bot.metrics import MeteredRequest

    # Wrapped, to count Bot API errors for the metrics (bot.metrics).
    default = build_application(settings(), schedule_jobs=False)
    assert isinstance(default.bot.request, MeteredRequest)
    assert isinstance(default.bot.request.inner, AiohttpRequest)
    plain = build_application(settings(telegram_http_backend="httpx"), schedule_jobs=False)
    assert isinstance(plain.bot.request, MeteredRequest)
    assert isinstance(plain.bot.request.inner, HTTPXRequest)
