# syntax=docker/dockerfile:1
# Build stage: resolve dependencies with uv from the lock file, then add the sources.
FROM python:3.11-slim AS build
COPY --from=ghcr.io/astral-sh/uv:0.9 /uv /usr/local/bin/uv
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never
WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY bot ./bot
# The fake Telegram Bot API server: `python -m bot demo` runs the bot against it offline.
COPY fakebot ./fakebot
COPY locales ./locales
COPY alembic.ini babel.cfg ./
RUN uv sync --frozen --no-dev \
    && uv run --no-sync pybabel compile -d locales -D messages

# Runtime stage: only the virtualenv and the app, as an unprivileged user.
FROM python:3.11-slim
RUN groupadd --system --gid 10001 bot && useradd --system --uid 10001 --gid bot --home-dir /app bot \
    && mkdir -p /app/data && chown 10001:10001 /app/data
WORKDIR /app
# Code and virtualenv stay root-owned (read-only for the bot); only /app/data is writable.
COPY --from=build /app /app
ENV PATH="/app/.venv/bin:$PATH" PYTHONUNBUFFERED=1 DATABASE_URL=sqlite:////app/data/ervaringsbot.db
USER 10001:10001
VOLUME ["/app/data"]
# 8443: webhook mode (with /healthz and /readyz); 9100: METRICS_PORT when set.
EXPOSE 8443 9100
# Database reachable, schema at head, scheduler alive (heartbeat). Offline: a Telegram outage
# is no reason to restart the bot.
HEALTHCHECK --interval=60s --timeout=30s --start-period=90s --retries=3 \
    CMD ["python", "-m", "bot", "health", "--offline"]
# `run` applies migrations before it starts polling (or the webhook); SIGTERM stops it
# gracefully (the update in hand is finished).
CMD ["python", "-m", "bot", "run"]
