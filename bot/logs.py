"""Logging for operators: `LOG_LEVEL` and `LOG_FORMAT=text|json`, secrets redacted.

What the bot logs is chosen so that a line never carries message text, resident data or the
token: handlers log exception types and update ids (`bot.handlers.errors`), jobs log counts.
`RedactSecrets` is the safety net under that rule: a secret that still reaches a record (ptb's
own errors repeat a rejected token verbatim) is replaced, tracebacks included.

JSON: one object per line, `{"ts", "level", "logger", "msg"}` plus `"exc"` (the redacted
traceback) when the record has one; for log shippers (Loki, Elasticsearch, journald).
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class RedactSecrets(logging.Filter):
    """Replaces secrets in every log line, tracebacks included."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [x for x in secrets if x]

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
            record.exc_text = None
        for secret in self.secrets:
            text = text.replace(secret, "<redacted>")
        record.msg, record.args = text, None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        data: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
        }
        # RedactSecrets folds a traceback into the message: give it its own key again.
        head, sep, trace = message.partition("\nTraceback (most recent call last):")
        data["msg"] = head
        if sep:
            data["exc"] = sep.lstrip("\n") + trace
        elif record.exc_info:
            data["exc"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


def configure_logging(
    level: int | str = logging.INFO, fmt: str = "text", secrets: list[str] | None = None
) -> None:
    """The root logger: one handler on stderr in the chosen format, secrets redacted, and
    libraries kept from logging what they carry: httpx logs request URLs (with the token),
    ptb's DEBUG lines hold whole updates, the database drivers' hold statements."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    handler.addFilter(RedactSecrets(secrets or []))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # Even at DEBUG: ptb logs whole updates (message text) at DEBUG, the drivers statements.
    logging.getLogger("telegram").setLevel(max(root.level, logging.INFO))
    quiet = ("httpx", "httpcore", "apscheduler", "aiohttp.access", "sqlalchemy", "aiosqlite")
    for name in (*quiet, "asyncpg"):
        logging.getLogger(name).setLevel(logging.WARNING)
