"""The process under test for `bench.bench_targets`: one ptb Application that long-polls a fake
Bot API server in another process, so this process's CPU is the bot's own.

    python -m bench.botproc --kind bot --api-url http://127.0.0.1:PORT --database-url URL
    python -m bench.botproc --kind replay --api-url http://127.0.0.1:PORT --replies FILE

- ``bot``: the real Application (`bot.app.build_application`), as production wires it, minus
  menus and scheduled jobs (they would add calls the baseline does not make).
- ``replay``: a bare ptb Application that answers each update with the Bot API calls the real
  bot made at the same step of the same dialogue (recorded by the bench, read from
  ``--replies``), through the same typed ptb methods: no database, no dialogue logic.

Both take ``--rate-limit`` (production pacing: ``AIORateLimiter(overall_max_rate=30)``) and
``--request`` (the HTTP backend). A last-group handler writes ``D <update_id> <monotonic_ns>``
to stdout when an update is done (one small write, the same in both), so the bench measures
latency without a Bot API call of its own. ``READY`` is written once polling runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from telegram import InlineKeyboardMarkup, LinkPreviewOptions, Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

if TYPE_CHECKING:
    from bot.http import HttpBackend

DONE_GROUP = 10_000
TOKEN = "123456789:AAFakeTokenForErvaringsbotTests_0123"  # fakebot.DEFAULT_TOKEN
ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]
JSON = dict[str, Any]


def make_request(kind: HttpBackend, *, polling: bool = False) -> BaseRequest:
    """The HTTP backend under test, with the bot's production settings; both bots get it."""
    from bot.http import telegram_request

    return telegram_request(kind, polling=polling, trust_env=False)


def _done_writer() -> Any:
    async def done(update: Update, context: Any) -> None:
        os.write(1, b"D %d %d\n" % (update.update_id, time.monotonic_ns()))

    return done


# --------------------------------------------------------------------------- replay


class Replayer:
    """Answers the k-th update of a chat with the calls the real bot made for the k-th update
    of the same expert (by index), with ptb's typed methods as a bot would."""

    def __init__(self, path: str) -> None:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        self.first_id: int = data["first_user_id"]
        self.stride: int = data["stride"]
        # per expert, per step: the calls as JSON arrays [method, params]
        self.steps: list[list[list[list[Any]]]] = data["replies"]
        self.position: dict[int, int] = {}

    def _calls(self, chat_id: int) -> list[tuple[str, JSON]]:
        index = (chat_id - self.first_id) % self.stride % len(self.steps)
        k = self.position.get(chat_id, 0)
        self.position[chat_id] = k + 1
        steps = self.steps[index]
        return [(method, params) for method, params in steps[k % len(steps)]]

    async def _replay(self, bot: Any, chat_id: int, method: str, params: JSON) -> None:
        markup = params.get("reply_markup")
        keyboard = InlineKeyboardMarkup.de_json(markup, bot) if markup else None
        preview = params.get("link_preview_options")
        options: JSON = {}
        if preview:
            options["link_preview_options"] = LinkPreviewOptions.de_json(preview, bot)
        if params.get("parse_mode"):
            options["parse_mode"] = params["parse_mode"]
        if method == "sendMessage":
            await bot.send_message(chat_id, params["text"], reply_markup=keyboard, **options)
        elif method == "editMessageText":
            await bot.edit_message_text(
                params["text"],
                chat_id=chat_id,
                message_id=params["message_id"],
                reply_markup=keyboard,
                **options,
            )
        elif method == "editMessageReplyMarkup":
            await bot.edit_message_reply_markup(
                chat_id=chat_id, message_id=params["message_id"], reply_markup=keyboard
            )
        elif method == "deleteMessage":
            await bot.delete_message(chat_id, params["message_id"])
        else:
            await bot.do_api_request(method, api_kwargs={**params, "chat_id": chat_id})

    async def on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = update.effective_chat
        assert chat is not None
        calls = self._calls(chat.id)
        query = update.callback_query
        answers = [p for m, p in calls if m == "answerCallbackQuery"]
        rest = [(m, p) for m, p in calls if m != "answerCallbackQuery"]

        async def others() -> None:
            for method, params in rest:
                await self._replay(context.bot, chat.id, method, params)

        if query is not None and answers:
            a = answers[0]
            await asyncio.gather(
                query.answer(text=a.get("text"), show_alert=bool(a.get("show_alert"))), others()
            )
        else:
            await others()


# --------------------------------------------------------------------------- build


def build(args: argparse.Namespace) -> Application:
    base = args.api_url.rstrip("/")

    def customize(builder: ApplicationBuilder) -> ApplicationBuilder:
        return builder.request(make_request(args.request)).get_updates_request(
            make_request(args.request, polling=True)
        )

    # The bot's Application has its own context type; the replay one has ptb's default.
    app: Application
    if args.kind == "bot":
        from pydantic import SecretStr

        from bot.app import build_application
        from bot.clock import FrozenClock
        from bot.config import Settings

        settings = Settings(
            telegram_bot_token=SecretStr(TOKEN),
            telegram_api_base_url=f"{base}/bot",
            telegram_file_base_url=f"{base}/file/bot",
            database_url=args.database_url,
            telegram_bot_username="ervaringsbot_test_bot",
            _env_file=None,
        )
        app = build_application(
            settings,
            clock=FrozenClock(datetime(2026, 11, 17, 13, 0, tzinfo=UTC)),
            rate_limit=args.rate_limit,
            set_menus=False,
            schedule_jobs=False,
            customize=customize,
        )
    else:
        builder = (
            customize(ApplicationBuilder())
            .token(TOKEN)
            .base_url(f"{base}/bot")
            .base_file_url(f"{base}/file/bot")
            .concurrent_updates(False)
        )
        if args.rate_limit:
            builder = builder.rate_limiter(AIORateLimiter(overall_max_rate=30, max_retries=3))
        app = builder.build()
        replayer = Replayer(args.replies)
        app.add_handler(MessageHandler(filters.TEXT, replayer.on_update))
        app.add_handler(CallbackQueryHandler(replayer.on_update))
    app.add_handler(TypeHandler(Update, _done_writer()), group=DONE_GROUP)
    return app


def count_statements(app: Application, path: str) -> Any:
    """``BENCH_SQL_LOG``: every SQL statement the bot runs, counted; written to ``path`` at
    the end (most frequent first)."""
    from collections import Counter

    from sqlalchemy import event

    counts: Counter[str] = Counter()
    engine = app.bot_data.services.engine.sync_engine
    event.listen(engine, "before_cursor_execute", lambda *a: counts.update([a[2]]))

    def write() -> None:
        with open(path, "w", encoding="utf-8") as f:
            for statement, n in counts.most_common():
                f.write(f"{n}\t{' '.join(statement.split())}\n")

    return write


async def run(args: argparse.Namespace) -> None:
    app = build(args)
    sql_log = os.environ.get("BENCH_SQL_LOG")
    write_sql_log = count_statements(app, sql_log) if sql_log and args.kind == "bot" else None
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(
            # A short long poll: stopping waits for the one in flight.
            poll_interval=0.0,
            timeout=2,
            allowed_updates=ALLOWED_UPDATES,
        )
        os.write(1, b"READY\n")
        await stop.wait()
        await app.updater.stop()
        await app.stop()
    if write_sql_log is not None:
        write_sql_log()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--kind", choices=["bot", "replay"], required=True)
    parser.add_argument("--api-url", required=True, help="root of the fake server")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--replies", default=None, help="replay: the recorded calls (JSON)")
    parser.add_argument("--rate-limit", action="store_true", help="AIORateLimiter, 30 msg/s")
    parser.add_argument("--request", choices=["aiohttp", "httpx"], default="aiohttp")
    args = parser.parse_args()
    profile = os.environ.get("BENCH_PROFILE")  # a path: the bot's cProfile stats go there
    if profile and args.kind == "bot":
        import cProfile

        # CPU time, not wall time: a send that wakes the fake server is often preempted (on
        # few cores), and wall time would charge that wait to the send.
        with cProfile.Profile(time.process_time) as prof:
            asyncio.run(run(args))
        prof.dump_stats(profile)
    else:
        asyncio.run(run(args))


if __name__ == "__main__":
    main()
