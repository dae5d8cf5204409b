"""`python -m fakebot serve`: the fake server in its own process, driven over `/_fake/`, with a
real ptb Application polling it from this process."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
from typing import Any

import httpx
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from fakebot import DEFAULT_TOKEN, fake_request


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def wait_for(check: Any, seconds: float = 10.0) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = await check()
        if result:
            return result
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


async def test_serve_in_its_own_process_with_a_polling_bot() -> None:
    port = free_port()
    server = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "fakebot", "serve", "--port", str(port), stdout=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    try:
        assert server.stdout is not None
        assert f"{base}/bot" in (await server.stdout.readline()).decode()

        async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            assert update.message is not None
            keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Ja", callback_data="yes")]])
            await update.message.reply_text(f"echo {update.message.text}", reply_markup=keyboard)

        async def on_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            query = update.callback_query
            assert query is not None
            await query.answer()
            await query.edit_message_text(f"pressed {query.data}")

        app = (
            ApplicationBuilder()
            .token(DEFAULT_TOKEN)
            .base_url(f"{base}/bot")
            .base_file_url(f"{base}/file/bot")
            .request(fake_request())
            .get_updates_request(fake_request(pool_size=2))
            .build()
        )
        app.add_handler(MessageHandler(filters.TEXT, on_text))
        app.add_handler(CallbackQueryHandler(on_press))
        async with app, httpx.AsyncClient(base_url=base, trust_env=False) as client:
            await app.start()
            assert app.updater is not None
            await app.updater.start_polling(poll_interval=0, timeout=1)
            chat_id = (await client.post("/_fake/users", json={"first_name": "Anna"})).json()[
                "chat_id"
            ]
            said = await client.post("/_fake/say", json={"chat_id": chat_id, "text": "hoi"})
            assert said.status_code == 200

            async def transcript() -> str:
                text = (await client.get(f"/_fake/transcript/{chat_id}")).text
                return text if "pressed yes" in text or "echo hoi" in text else ""

            assert "echo hoi" in await wait_for(transcript)
            pressed = await client.post("/_fake/press", json={"chat_id": chat_id, "label": "Ja"})
            assert pressed.status_code == 200
            missing = await client.post("/_fake/press", json={"chat_id": chat_id, "label": "Nee"})
            assert missing.status_code == 400

            async def edited() -> str:
                text = (await client.get(f"/_fake/transcript/{chat_id}")).text
                return text if "pressed yes" in text else ""

            assert "pressed yes" in await wait_for(edited)
            calls = (await client.get("/_fake/calls")).json()
            methods = [c["method"] for c in calls]
            assert "answerCallbackQuery" in methods and "editMessageText" in methods
            await app.updater.stop()
            await app.stop()
    finally:
        server.terminate()
        assert await asyncio.wait_for(server.wait(), 10) == 0
