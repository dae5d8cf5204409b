"""`backup FILE` and `restore FILE` for SQLite, with SQLite's online backup API: a consistent
copy while the bot keeps running (pages are copied under SQLite's own locking, WAL included).

PostgreSQL: use `pg_dump`/`pg_restore` (docs/OPERATIONS.md); these commands say so.

`restore` checks the file before it touches anything: SQLite's integrity check passes, it holds
the bot's tables and a schema revision this version knows (a backup made by a newer version is
refused). The current database is kept next to it (`….before-restore-<time>`), and afterwards
every table must hold as many rows as the backup did.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.config import ConfigError


class BackupError(Exception):
    """One line for the operator."""


def sqlite_path(database_url: str) -> Path:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        raise BackupError(
            "backup and restore work on SQLite; for PostgreSQL use pg_dump and pg_restore "
            "(see docs/OPERATIONS.md)"
        )
    if not url.database or url.database == ":memory:":
        raise ConfigError("DATABASE_URL names no SQLite file")
    return Path(url.database)


@contextlib.contextmanager
def _connect(path: Path, *, readonly: bool = False) -> Iterator[sqlite3.Connection]:
    uri = f"file:{path.resolve()}" + ("?mode=ro" if readonly else "")
    conn = sqlite3.connect(uri, uri=True, timeout=10)
    try:
        yield conn
    finally:
        conn.close()


def row_counts(conn: sqlite3.Connection) -> dict[str, int]:
    names = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    return {n: conn.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in names}


def _copy(src: sqlite3.Connection, dst: sqlite3.Connection) -> None:
    # 1024 pages a step: other connections (the running bot) get their turn in between.
    src.backup(dst, pages=1024)


def backup(database_url: str, dest: Path) -> dict[str, int]:
    """Copy the live database to `dest` (replaced atomically); returns its row counts."""
    src_path = sqlite_path(database_url)
    if not src_path.exists():
        raise BackupError(f"no database at {src_path}")
    if dest.resolve() == src_path.resolve():
        raise BackupError("the backup file must not be the database itself")
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".partial")
    tmp.unlink(missing_ok=True)
    with _connect(src_path) as src, _connect(tmp) as dst:
        _copy(src, dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    counts = check_backup(tmp)[1]
    tmp.replace(dest)
    return counts


def check_backup(file: Path) -> tuple[str, dict[str, int]]:
    """(schema revision, row counts) of a backup file, or BackupError saying what is wrong."""
    if not file.is_file():
        raise BackupError(f"no file {file}")
    try:
        with _connect(file, readonly=True) as conn:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            if result != "ok":
                raise BackupError(f"{file} is damaged (integrity check: {result})")
            counts = row_counts(conn)
            if "alembic_version" not in counts:
                raise BackupError(f"{file} is not an Ervaringsbot database")
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{file} is not an SQLite database ({type(exc).__name__})") from None
    if revision is None:
        raise BackupError(f"{file} has no schema revision")
    return str(revision[0]), counts


def restore(database_url: str, file: Path) -> tuple[dict[str, int], Path | None]:
    """Replace the database with the backup `file`; returns its row counts and where the
    previous database was kept (None when there was none)."""
    from bot.storage.migrate import alembic_config

    target = sqlite_path(database_url)
    revision, counts = check_backup(file)
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config(database_url))
    try:
        known = scripts.get_revision(revision) is not None
    except Exception:
        known = False
    if not known:
        raise BackupError(
            f"{file} has schema revision {revision}, which this version does not know "
            "(made by a newer version?)"
        )
    kept = None
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        kept = target.with_name(f"{target.name}.before-restore-{stamp}")
        with _connect(target) as live, _connect(kept) as copy:
            _copy(live, copy)
    with _connect(file, readonly=True) as src, _connect(target) as dst:
        _copy(src, dst)
        after = row_counts(dst)
    if after != counts:
        raise BackupError("restored database does not match the backup's row counts")
    return counts, kept
