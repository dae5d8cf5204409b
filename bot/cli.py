"""Command line: `python -m bot run|migrate|invite|demo …` (also installed as `edbot`)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from bot.cli_common import CliError, database_errors, with_database
from bot.config import ConfigError, load_settings, safe_database_url

if TYPE_CHECKING:
    from sqlmodel.ext.asyncio.session import AsyncSession

log = logging.getLogger("bot.cli")

__all__ = ["CliError", "build_parser", "database_errors", "main"]


# --------------------------------------------------------------------------- run


# The update types the bot acts on; everything else is not even fetched.
ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]


def cmd_run(args: argparse.Namespace) -> int:
    from telegram.error import InvalidToken, NetworkError

    from bot.app import build_application
    from bot.logs import configure_logging

    settings = load_settings()
    token = settings.require_token()
    secret_values = [token]
    if settings.webhook_secret_token:
        secret_values.append(settings.webhook_secret_token.get_secret_value())
    configure_logging(settings.log_level, settings.log_format, secrets=secret_values)
    webhook_mode = args.webhook or settings.bot_mode == "webhook"
    if webhook_mode:
        secret = settings.require_webhook_secret()
        webhook_url = settings.require_webhook_url()
    # Migrate in a child process: Alembic, the migration scripts and their work stay out of the
    # long-running bot's memory (about 12 MB of resident memory it would keep for nothing).
    # The child reads the same environment and prints its own one-line error.
    migrated = subprocess.run([sys.executable, "-m", "bot", "migrate"], check=False)
    if migrated.returncode != 0:
        return migrated.returncode
    # Webhook mode runs our own server (bot.webhook), so no Updater.
    app = build_application(settings, updater=not webhook_mode)
    if settings.metrics_port:
        from bot.metrics import serve

        serve(settings.metrics_port, settings.metrics_listen)
    log.info(
        "starting (%s), database %s",
        "webhook" if webhook_mode else "polling",
        safe_database_url(settings.database_url),
    )
    try:
        if webhook_mode:
            from bot import webhook

            path = settings.webhook_path.strip("/")
            asyncio.run(
                webhook.serve(
                    app,
                    listen=settings.webhook_listen,
                    port=settings.webhook_port,
                    path=path,
                    webhook_url=f"{webhook_url}/{path}",
                    secret=secret,
                    allowed_updates=ALLOWED_UPDATES,
                )
            )
        else:
            app.run_polling(allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False)
    except InvalidToken:
        # ptb's message repeats the token; never print it.
        raise ConfigError("Telegram rejected TELEGRAM_BOT_TOKEN.") from None
    except NetworkError as exc:
        raise CliError(f"cannot reach the Telegram Bot API ({type(exc).__name__}).") from None
    return 0


# --------------------------------------------------------------------------- migrate


def cmd_migrate(args: argparse.Namespace) -> int:
    from bot.storage.migrate import migrate

    settings = load_settings()
    with database_errors(settings.database_url):
        added = asyncio.run(migrate(settings.database_url))
    new = {k: v for k, v in added.items() if v}
    print(f"Database is up to date ({safe_database_url(settings.database_url)}).")
    if new:
        print("Reference data added: " + ", ".join(f"{k} {v}" for k, v in new.items()))
    return 0


# --------------------------------------------------------------------------- invite


def cmd_invite(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from bot.cli_common import bot_username, municipality_id
    from bot.domain.invites import deep_link
    from bot.storage import users
    from bot.storage.models import Role

    settings = load_settings()
    with database_errors(settings.database_url):
        username = asyncio.run(bot_username(settings))

    async def work(s: AsyncSession) -> str:
        muni_id = None
        if args.gemeente:
            muni_id = await municipality_id(s, args.gemeente, "Unknown municipality: {name}")
        code, _ = await users.create_invite(
            s, Role(args.role), datetime.now(UTC), settings.invite_valid_days, muni_id
        )
        return code

    code = with_database(work, settings=settings)
    print(f"Code: {code}")
    print(f"Link: {deep_link(username, code)}")
    print(f"Single use, valid for {settings.invite_valid_days} days.")
    return 0


# --------------------------------------------------------------------------- demo


def cmd_demo(args: argparse.Namespace) -> int:
    from bot.demo import run_demo

    return run_demo(script=args.script)


# --------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Ervaringsbot: the Telegram bot of the regional pool of ervaringsdeskundigen.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "run",
        help="run the bot (long polling, or a webhook)",
        description="Migrate the database, then run the bot until SIGTERM or Ctrl-C: long "
        "polling by default, or a webhook server with /healthz and /readyz on the same port. "
        "Settings come from the environment and .env (see .env.example).",
    )
    p.add_argument(
        "--webhook",
        action="store_true",
        help="receive updates on a webhook (as BOT_MODE=webhook; needs WEBHOOK_URL and "
        "WEBHOOK_SECRET_TOKEN; listens on WEBHOOK_LISTEN:WEBHOOK_PORT)",
    )
    p.set_defaults(func=cmd_run)

    p = sub.add_parser(
        "migrate",
        help="create or upgrade the database and seed reference data",
        description="Bring the database (DATABASE_URL) to the newest schema with Alembic and "
        "add missing reference data (municipalities, vocabularies). Safe to run again; `run` "
        "does it at every start.",
    )
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser(
        "invite",
        help="make a single-use registration code and deep link",
        description="Print a single-use registration code and its https://t.me/<bot>?start="
        "<code> link. The new user opens the link (or sends /start <code>) to register. The "
        "first coordinator is made this way.",
    )
    p.add_argument(
        "--role",
        choices=["expert", "coordinator"],
        required=True,
        help="what the new user will be: expert or coordinator",
    )
    p.add_argument("--gemeente", help="home municipality of the new expert")
    p.set_defaults(func=cmd_invite)

    p = sub.add_parser(
        "demo",
        help="talk to the bot in the terminal, offline, no token needed",
        description="Run the real bot against an in-process fake Telegram with a temporary "
        "database full of sample data, and chat with it in the terminal.",
    )
    p.add_argument("--script", help="read the chat lines from this file instead of the keyboard")
    p.set_defaults(func=cmd_demo)

    for extend in EXTENSIONS:
        extend(sub)
    return parser


# Journeys add subcommands (digest, inloop …) by appending a function here.
EXTENSIONS: list[Callable[[argparse._SubParsersAction], None]] = []


def _load_extensions() -> None:
    import importlib

    for name in (
        "bot.cli_digest",
        "bot.cli_inloop",
        "bot.cli_report",
        "bot.cli_team",
        "bot.cli_privacy",
        "bot.cli_poster",
        "bot.cli_ops",
        "bot.cli_deelopdracht",
    ):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        if module.extend not in EXTENSIONS:
            EXTENSIONS.append(module.extend)


def quiet_stdout() -> None:
    """Point stdout at /dev/null (after the reader of a pipe has gone)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def main(argv: Sequence[str] | None = None) -> int:
    _load_extensions()
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (ConfigError, CliError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`… | head`): stop quietly, and keep Python from complaining
        # about the unflushed rest at exit.
        quiet_stdout()
        return 0
    except Exception as exc:
        if os.environ.get("EDBOT_DEBUG"):
            raise
        # No message: it may carry a URL with a password or a token.
        print(
            f"error: unexpected {type(exc).__name__}; run with EDBOT_DEBUG=1 for details",
            file=sys.stderr,
        )
        return 1
