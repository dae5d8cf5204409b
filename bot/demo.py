"""`python -m bot demo`: talk to the real bot in the terminal, offline.

The real Application and handlers run against the in-process fake Telegram Bot API server
(the `fakebot` package), on a temporary SQLite database seeded with sample experts,
contacts and walk-in sessions. No token, no network. Buttons are shown as numbered choices:
type the number to press one.
"""

from __future__ import annotations

import asyncio
import re
import sys
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from bot.demo_data import seed_demo_data
from bot.storage import users
from bot.storage.db import create_engine, session_factory, transaction
from bot.storage.migrate import migrate
from bot.storage.models import Role

HELP = """\
Demo commands (everything else goes to the bot as a chat message):
  /als expert | /als coordinator | /als inwoner   switch persona (first time: registers with
                                                   a fresh invite code, like a new colleague)
  /menu            the "/" command menu this persona sees in Telegram
  /demo herinnering   send the 16:30 reminder to the expert persona now
  /demo overzicht     send last week's digest to the coordinator persona now
  /demo bewaar [map]  save the files this persona received (e.g. /rapport's PDF and Excel)
                      into a folder, default ./demo-bestanden
  .1, .2 … (or k1, k2 …)   press a button of the bot's last message; a plain number
                   ("8", "45") goes to the bot as typed text, like a count or a time
  /hulp            this text
  /stop            quit
"""

_BUTTON_RE = re.compile(r"^(?:\.|[kK])\s?([0-9]{1,2})$")


def button_choice(text: str) -> int | None:
    """The button number of ".3" or "k3" (a plain "3" is typed text for the bot), else None."""
    m = _BUTTON_RE.match(text.strip())
    return int(m.group(1)) if m else None


PERSONAS = {"expert": "Anna", "coordinator": "Carla", "inwoner": "Sam"}
ALIASES = {
    "coördinator": "coordinator",
    "coordinator": "coordinator",
    "expert": "expert",
    "inwoner": "inwoner",
    "resident": "inwoner",
}


def _lines(
    stream: TextIO, interactive: bool, prompt: Callable[[], str], out: TextIO
) -> Iterator[str]:
    while True:
        if interactive:
            try:
                line = input(prompt())
            except EOFError:
                return
        else:
            raw = stream.readline()
            if not raw:
                return
            line = raw.rstrip("\n")
            print(f"{prompt()}{line}", file=out)
        yield line


class DemoClock:
    """Real time, shifted on request (to show the 16:30 reminder at any hour)."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset


class Demo:
    def __init__(self, out: TextIO) -> None:
        self.clock = DemoClock()
        self.out = out
        self.persona = "inwoner"
        self.people: dict[str, Any] = {}
        self.last_buttons: dict[str, Any] = {}

    def say(self, text: str = "") -> None:
        print(text, file=self.out)

    # ----------------------------------------------------------------- set-up

    async def start(self, workdir: Path) -> None:
        try:
            from fakebot.bot import settings_for, start_bot
            from fakebot.server import FakeTelegram
        except ImportError as exc:  # an install without the fake server package
            raise SystemExit(
                "The demo needs the fake Telegram server (the fakebot package and aiohttp): "
                f"run it from a source checkout with `uv run python -m bot demo` ({exc.name} "
                "missing)."
            ) from None

        db_url = f"sqlite:///{workdir / 'demo.db'}"
        await migrate(db_url)
        self.tg = FakeTelegram(bot_username="ervaringsbot_demo_bot")
        await self.tg.start()
        self.settings = settings_for(self.tg, db_url)
        self.engine = create_engine(db_url)
        await seed_demo_data(self.engine, datetime.now(self.settings.tz))
        self.app = await start_bot(
            self.tg, self.settings, clock=self.clock, engine=self.engine, raise_errors=False
        )
        for persona, name in PERSONAS.items():
            self.people[persona] = self.tg.user(name, language_code="nl")

    async def stop(self) -> None:
        await self.app.shutdown()
        await self.engine.dispose()
        await self.tg.stop()

    # ----------------------------------------------------------------- chat

    def show(self, replies: Any) -> None:
        for reply in replies:
            marker = "(bewerkt) " if getattr(reply, "edited", False) else ""
            self.say("")
            for line in (reply.text or "").splitlines() or [""]:
                self.say(f"  bot │ {marker}{line}")
                marker = ""
            if getattr(reply, "photo", None):
                self.say("  bot │ [afbeelding: grafiek]")
            if getattr(reply, "document_name", None):
                size = len(reply.document or b"")
                locked = ", niet door te sturen" if reply.protect_content else ""
                self.say(f"  bot │ [bestand: {reply.document_name}, {size:,} bytes{locked}]")
            labels = reply.button_labels
            if labels:
                self.last_buttons[self.persona] = reply
                for i, label in enumerate(labels, 1):
                    self.say(f"      [.{i}] {label}")
        self.say("")

    async def registered(self, persona: str) -> bool:
        async with session_factory(self.engine)() as s:
            return await users.get_by_telegram_id(s, self.people[persona].chat_id) is not None

    async def switch(self, persona: str) -> None:
        self.persona = persona
        self.say(f"— Je bent nu {PERSONAS[persona]} ({persona}). —")
        if persona != "inwoner" and not await self.registered(persona):
            async with transaction(session_factory(self.engine)) as s:
                muni = await users.municipality_by_name(s, "Venlo")
                code, _ = await users.create_invite(
                    s,
                    Role(persona),
                    datetime.now().astimezone(),
                    7,
                    muni.id if muni and persona == "expert" else None,
                )
            self.say(f"(De coördinator gaf {PERSONAS[persona]} een aanmeldlink met code {code}.)")
            self.show(await self.people[persona].says(f"/start {code}"))
        self.print_menu()

    def print_menu(self) -> None:
        person = self.people[self.persona]
        self.say(f"Menu van {PERSONAS[self.persona]}:")
        for name, description in self.tg.effective_commands(person.chat_id, "nl"):
            self.say(f"  /{name} – {description}")
        self.say("")

    async def press(self, number: int) -> None:
        reply = self.last_buttons.get(self.persona)
        labels = reply.button_labels if reply is not None else []
        if not 1 <= number <= len(labels):
            self.say("(Geen knop met dat nummer.)")
            return
        person = self.people[self.persona]
        self.show(await person.press(labels[number - 1], message=reply))

    async def trigger(self, what: str) -> None:
        from bot import scheduler

        now = self.clock.now().astimezone(self.settings.tz)
        if what == "herinnering":
            if not await self.registered("expert"):
                await self.switch("expert")
            self.persona = "expert"
            async with transaction(session_factory(self.engine)) as s:
                user = await users.get_by_telegram_id(s, self.people["expert"].chat_id)
                assert user is not None
                # Everyone may have a reminder today, whatever day the demo runs.
                user.reminder_days, user.pause_until = "1234567", None
                s.add(user)
            # The reminder is due at the expert's time, today: move the demo's clock there.
            due = now.replace(hour=16, minute=31, second=0, microsecond=0)
            self.clock.offset += due - now
            count = len(self.tg.messages(self.people["expert"].chat_id))
            await scheduler.reminder_pass(self.app, self.clock.now())
            self.say("— De herinnering van 16:30 (voor Anna, als ze nog niets logde): —")
            new = self.tg.messages(self.people["expert"].chat_id)[count:]
            self.show(new) if new else self.say("(Geen herinnering: Anna logde vandaag al.)")
        elif what == "overzicht":
            if not await self.registered("coordinator"):
                await self.switch("coordinator")
            self.persona = "coordinator"
            count = len(self.tg.messages(self.people["coordinator"].chat_id))
            from bot.domain.digest import IsoWeek

            last_week = IsoWeek.of(now.date() - timedelta(days=7))
            await scheduler.digest_pass(self.app, now, week=last_week)
            self.say("— Het weekoverzicht van vorige week, zoals Carla het maandag krijgt: —")
            self.show(self.tg.messages(self.people["coordinator"].chat_id)[count:])
        elif what.split()[:1] == ["bewaar"]:
            self.save_files(Path(what[len("bewaar") :].strip() or "demo-bestanden"))
        else:
            self.say("Gebruik /demo herinnering, /demo overzicht of /demo bewaar.")

    def save_files(self, folder: Path) -> None:
        """Write the documents the current persona received, to open them outside the demo."""
        person = self.people[self.persona]
        files = [r for r in person.replies if getattr(r, "document_name", None)]
        if not files:
            self.say("(Deze persona heeft nog geen bestanden gekregen. Probeer /rapport.)")
            return
        folder.mkdir(parents=True, exist_ok=True)
        for reply in files:
            path = folder / Path(reply.document_name).name  # never outside the folder
            path.write_bytes(reply.document or b"")
            self.say(f"  bewaard: {path}")

    async def handle(self, line: str) -> bool:
        text = line.strip()
        if not text:
            return True
        if text in {"/stop", "/quit", "/exit"}:
            return False
        if text in {"/hulp", "/demo"}:
            self.say(HELP)
        elif text.startswith("/als"):
            target = ALIASES.get(text[4:].strip().lower())
            if target is None:
                self.say("Kies: /als expert, /als coordinator of /als inwoner")
            else:
                await self.switch(target)
        elif text == "/menu":
            self.print_menu()
        elif text.startswith("/demo bewaar"):
            await self.trigger(text[6:].strip())  # a folder name keeps its case
        elif text.startswith("/demo "):
            await self.trigger(text[6:].strip().lower())
        elif (number := button_choice(text)) is not None:
            await self.press(number)
        else:
            self.show(await self.people[self.persona].says(text))
        return True


async def _main(stream: TextIO, interactive: bool, out: TextIO) -> int:
    demo = Demo(out)
    with tempfile.TemporaryDirectory(prefix="ervaringsbot-demo-") as tmp:
        await demo.start(Path(tmp))
        try:
            demo.say("Ervaringsbot demo — de echte bot, met een nep-Telegram op deze computer.")
            demo.say(HELP)
            await demo.switch("inwoner")
            lines = _lines(stream, interactive, lambda: f"{PERSONAS[demo.persona]}> ", out)
            while True:
                line = await asyncio.to_thread(next, lines, None)
                if line is None or not await demo.handle(line):
                    break
        finally:
            await demo.stop()
    demo.say("Tot ziens!")
    return 0


def run_demo(script: str | None = None, out: TextIO | None = None) -> int:
    import logging

    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    out = out or sys.stdout
    if script:
        with open(script, encoding="utf-8") as fh:
            return asyncio.run(_main(fh, False, out))
    return asyncio.run(_main(sys.stdin, sys.stdin.isatty(), out))


__all__ = ["run_demo", "seed_demo_data"]
