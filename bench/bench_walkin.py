"""Benchmark: residents' walk-in questions for a municipality with 50 weekly sessions.

    uv run python -m bench.bench_walkin [--questions 300] [--sessions 50] [--database-url URL]

In one run, on one fake Bot API server (fakebot, real HTTP to 127.0.0.1):

1. Baseline: a bare ptb echo bot (replies the text, answers + edits on a button press) gets
   the same sequence of updates (typed questions, /inloop commands, `i:` button presses).
2. The real bot (`bot.app.build_application`, no rate limiter) on a fresh migrated database
   with `--sessions` weekly sessions in Venlo, plus cancelled dates, extra dates and a public
   holiday inside the two weeks asked about.

Both are driven through `Application.process_update` (what polling/webhooks end in), one
update at a time; latency is measured around each update, Bot API round trip included.
Prints mean/p50/p95/max per bot, the difference (= the walk-in work: parsing, one database
read, schedule arithmetic, rendering), the ratio to the echo baseline, and the in-process cost
of the answer alone (parse + load + answer + render, no Telegram) against the 50 ms target.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot.clock import FrozenClock
from bot.domain.walkin import TZ
from bot.domain.walkin_query import answer, parse_walkin_query
from bot.handlers.walkin import MAX_SHOWN
from bot.i18n import translator
from bot.storage import walkin as repo
from bot.storage.db import create_engine, session_factory, transaction
from bot.storage.migrate import migrate
from bot.storage.models import id_of
from bot.walkin_text import render_answer
from fakebot import FakeTelegram, application_builder
from fakebot.bot import fake_application, settings_for

TARGET_MS = 50.0
# Tuesday 7 April 2026, 10:15 -- Easter Monday (6 April) was yesterday; Koningsdag (27 April)
# lies within "volgende week" lookups from later days.
NOW = datetime(2026, 4, 7, 10, 15, tzinfo=TZ)

QUESTIONS: list[tuple[str, str]] = [
    ("say", "wanneer is de inloop in venlo"),
    ("say", "is het nu open in blerick?"),
    ("say", "inloop tegelen morgen"),
    ("say", "spreekuur venlo vrijdagmiddag"),
    ("say", "/inloop Venlo"),
    ("say", "volgende week inloop in venlo"),
    ("say", "inloop venloo vanavond"),
    ("press", "i:venlo"),
]


# --------------------------------------------------------------------------- data


async def seed(url: str, sessions: int) -> None:
    await migrate(url)
    engine = create_engine(url)
    try:
        async with transaction(session_factory(engine)) as s:
            venlo = await repo.municipality_by_name(s, "Venlo")
            assert venlo is not None and venlo.id is not None
            ids: list[int] = []
            for i in range(sessions):
                start = dtime(9 + (i % 6) * 2, 0 if i % 2 else 30)
                row = await repo.add_session(
                    s,
                    municipality_id=venlo.id,
                    place=f"Buurthuis Locatie {i + 1}",
                    address=f"Dorpsstraat {i + 1} Venlo",
                    weekday=i % 6,
                    start=start,
                    end=dtime(start.hour + 2, start.minute),
                    kind="spreekuur" if i % 5 == 0 else "inloop",
                    open_on_holidays=i % 7 == 0,
                    note="Koffie staat klaar." if i % 3 == 0 else None,
                    now=NOW,
                )
                ids.append(id_of(row))
            for k, sid in enumerate(ids[:10]):
                await repo.cancel_date(s, sid, NOW.date() + timedelta(days=7 + k % 7), NOW)
            for k in range(5):
                await repo.add_extra_date(
                    s,
                    municipality_id=venlo.id,
                    on_date=NOW.date() + timedelta(days=3 + k),
                    start=dtime(13),
                    end=dtime(15),
                    place=f"Extra plek {k}",
                    address="Markt 1 Venlo",
                    now=NOW,
                )
    finally:
        await engine.dispose()


# --------------------------------------------------------------------------- driving


class Timer:
    def __init__(self) -> None:
        self.samples: list[float] = []


async def drive(
    tg: FakeTelegram,
    app: Application,
    questions: int,
    chat_id: int,
    timer: Timer,
    mix: list[tuple[str, str]] = QUESTIONS,
) -> None:
    """Feed the question mix to `app` one update at a time, timing each."""
    anchor: int | None = None
    for n in range(questions):
        kind, text = mix[n % len(mix)]
        if kind == "press" and anchor is not None:
            body = tg.callback_query_update(chat_id, anchor, text)
        else:
            body = tg.message_update(chat_id, text)
        update = Update.de_json(body, app.bot)
        started = time.perf_counter()
        await app.process_update(update)
        timer.samples.append(time.perf_counter() - started)
        if kind == "say":
            messages = tg.messages(chat_id)
            anchor = messages[-1].message_id if messages else None


def echo_app(tg: FakeTelegram) -> Application:
    async def echo(update: Update, context: Any) -> None:
        assert update.message is not None
        await update.message.reply_text(
            update.message.text or "",
            reply_markup=InlineKeyboardMarkup(
                [[InlineKeyboardButton("Venlo", callback_data="i:venlo")]]
            ),
        )

    async def press(update: Update, context: Any) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer()
        await query.edit_message_text(f"Je koos {query.data}")

    app = application_builder(tg).build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.add_handler(CallbackQueryHandler(press))
    return app


async def in_process(url: str, questions: int) -> Timer:
    """The answer alone: parse, load the municipality's schedule, compute, render."""
    engine = create_engine(url)
    factory = session_factory(engine)
    t = translator("nl")
    timer = Timer()
    try:
        for n in range(questions):
            kind, text = QUESTIONS[n % len(QUESTIONS)]
            started = time.perf_counter()
            query = parse_walkin_query("venlo" if kind == "press" else text, NOW)
            async with factory() as s:
                rules, exceptions = await repo.load_schedule(
                    s, query.municipality, since=NOW.date()
                )
            ans = answer(rules, exceptions, query, NOW, limit=MAX_SHOWN)
            render_answer(t, ans, NOW)
            timer.samples.append(time.perf_counter() - started)
    finally:
        await engine.dispose()
    return timer


def describe(name: str, samples: list[float]) -> tuple[float, str]:
    ms = sorted(x * 1000 for x in samples)
    mean = statistics.fmean(ms)
    p50 = ms[len(ms) // 2]
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    return (
        mean,
        f"{name:<34} mean {mean:7.2f} ms  p50 {p50:7.2f}  p95 {p95:7.2f}  max {ms[-1]:7.2f}",
    )


async def main_async(args: argparse.Namespace) -> int:
    logging.disable(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        await seed(url, args.sessions)
        async with FakeTelegram() as tg:
            resident = tg.user("Rita")

            echo = echo_app(tg)
            await echo.initialize()
            echo_timer = Timer()
            await drive(tg, echo, args.questions, resident.id, echo_timer)
            await echo.shutdown()

            settings = settings_for(tg, url)
            engine = create_engine(url)
            app = fake_application(settings, clock=FrozenClock(NOW), engine=engine, set_menus=False)
            await app.initialize()
            # The same bot answering /help: gatekeeper + one reply, no walk-in work.
            help_timer = Timer()
            await drive(tg, app, args.questions, resident.id, help_timer, [("say", "/help")])
            bot_timer = Timer()
            await drive(tg, app, args.questions, resident.id, bot_timer)
            last = tg.messages(resident.id)[-1].text or ""
            await app.shutdown()
            await engine.dispose()
        pure = await in_process(url, args.questions)

    print(
        f"Walk-in answers: {args.questions} updates, Venlo with {args.sessions} weekly sessions, "
        f"database {url.split(':', 1)[0]}"
    )
    echo_mean, line = describe("echo bot (baseline), per update", echo_timer.samples)
    print(line)
    help_mean, line = describe("real bot /help (gate + reply)", help_timer.samples)
    print(line)
    bot_mean, line = describe("walk-in bot, per update", bot_timer.samples)
    print(line)
    print(f"{'difference to echo':<34} mean {bot_mean - echo_mean:7.2f} ms")
    print(f"{'difference to /help (walk-in work)':<34} mean {bot_mean - help_mean:7.2f} ms")
    print(f"{'ratio walk-in / echo':<34} {bot_mean / echo_mean:7.2f}x")
    pure_mean, line = describe("answer only (no Telegram)", pure.samples)
    print(line)
    verdict = "within" if pure_mean < TARGET_MS else "OVER"
    print(f"target < {TARGET_MS:.0f} ms per answer: {verdict} ({pure_mean:.2f} ms)")
    if "Venlo" not in last:
        print("warning: the last reply does not look like a Venlo answer:", last[:80])
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    return asyncio.run(main_async(parser.parse_args(argv)))


if __name__ == "__main__":
    raise SystemExit(main())
