"""What the command-line modules (`bot.cli`, `bot.cli_*`) share: the one-line error, opening
the configured database for one piece of work, reading and writing the files they take, and
the argparse shapes of a command and of a command with actions (`team list`, `inloop import`).

Imported lazily by the commands (like everything heavy), so `--help` stays quick."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy.exc import DBAPIError, OperationalError

from bot.config import Settings, load_settings, safe_database_url

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine
    from sqlmodel.ext.asyncio.session import AsyncSession

T = TypeVar("T")
D = TypeVar("D")
E = TypeVar("E", bound=Exception)

Command = Callable[[argparse.Namespace], int]


class CliError(Exception):
    """Shown to the operator as one line, exit code 1."""


# --------------------------------------------------------------------------- the database


@contextmanager
def database_errors(url: str) -> Iterator[None]:
    """Turn a database that can't be reached into one line naming it (password masked)."""
    try:
        yield
    except (OperationalError, DBAPIError, OSError) as exc:
        raise CliError(
            f"cannot use the database {safe_database_url(url)}: {type(exc).__name__}"
        ) from None


@asynccontextmanager
async def open_engine(url: str, *, migrate: bool = False) -> AsyncIterator[AsyncEngine]:
    """An engine on `url` (migrated first with `migrate`), disposed of afterwards."""
    from bot.storage.db import create_engine

    if migrate:
        from bot.storage.migrate import migrate as run_migrations

        await run_migrations(url)
    engine = create_engine(url)
    try:
        yield engine
    finally:
        await engine.dispose()


def with_database(
    work: Callable[[AsyncSession], Awaitable[T]],
    *,
    commit: bool = True,
    migrate: bool = False,
    settings: Settings | None = None,
) -> T:
    """Run `work` with one session on the configured database: in one transaction, committed
    when `work` returns (`commit=False`: a plain session, for reading). A database that
    can't be reached is one line (CliError)."""
    from bot.storage.db import session_factory, transaction

    url = (settings or load_settings()).database_url

    async def run() -> T:
        async with open_engine(url, migrate=migrate) as engine:
            sessions = session_factory(engine)
            async with transaction(sessions) if commit else sessions() as s:
                return await work(s)

    with database_errors(url):
        return asyncio.run(run())


async def municipality_id(s: AsyncSession, name: str, unknown: str) -> int:
    """The id of the municipality `name` names (a village or a small typo names its
    municipality too); CliError `unknown` (formatted with `name`) when there is none."""
    from bot.domain.places import resolve_municipality
    from bot.storage import users

    muni = await users.municipality_by_name(s, resolve_municipality(name) or name)
    if muni is None or muni.id is None:
        raise CliError(unknown.format(name=name))
    return muni.id


# --------------------------------------------------------------------------- Telegram


async def bot_username(settings: Settings) -> str:
    """TELEGRAM_BOT_USERNAME, or else the name Telegram gives for the token."""
    if settings.telegram_bot_username:
        return settings.telegram_bot_username.lstrip("@")
    from telegram import Bot
    from telegram.error import TelegramError

    bot = Bot(settings.require_token(), base_url=settings.telegram_api_base_url)
    try:
        async with bot:
            return bot.username
    except TelegramError as exc:
        raise CliError(
            "Could not reach Telegram to look up the bot's name "
            f"({type(exc).__name__}); set TELEGRAM_BOT_USERNAME."
        ) from None


# --------------------------------------------------------------------------- files


def read_text(file: str) -> str:
    """A UTF-8 file's text; one line when it can't be read."""
    try:
        return Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"cannot read {file}: {type(exc).__name__}") from None


def import_file(
    file: str,
    parse: Callable[[str], D],
    apply: Callable[[AsyncSession, D], Awaitable[T]],
    error: type[E],
    refused: Callable[[E], str],
) -> T:
    """All or nothing: `file` parsed whole first, then applied in one transaction. A bad file
    (an `error` from either step) is one line, `refused(error)`, and nothing is stored."""
    text = read_text(file)
    try:
        parsed = parse(text)
        return with_database(lambda s: apply(s, parsed))
    except error as exc:
        raise CliError(refused(exc)) from None


def write_text(file: str, text: str, written: str) -> None:
    """`text` to stdout (`file` "-"), or to `file` and then the line `written`."""
    if file == "-":
        print(text, end="")
    else:
        Path(file).write_text(text, encoding="utf-8")
        print(written)


# --------------------------------------------------------------------------- argparse


def add_command(
    sub: argparse._SubParsersAction,
    name: str,
    func: Command | None,
    *,
    help: str,
    description: str,
) -> argparse.ArgumentParser:
    """A (sub)command `name` that runs `func` (None: it has actions, see `add_actions`)."""
    p: argparse.ArgumentParser = sub.add_parser(name, help=help, description=description)
    if func is not None:
        p.set_defaults(func=func)
    return p


def add_actions(
    sub: argparse._SubParsersAction,
    name: str,
    *,
    dest: str,
    help: str,
    description: str,
    actions_help: str = "what to do",
) -> argparse._SubParsersAction:
    """A command with actions (`team list`, `lijsten import`): where its actions go."""
    p = add_command(sub, name, None, help=help, description=description)
    return p.add_subparsers(dest=dest, required=True, metavar="ACTION", help=actions_help)
