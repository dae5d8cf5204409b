"""``python -m fakebot serve --port 8081``: the fake Telegram Bot API server in its own process.

Point a bot at it with ``TELEGRAM_API_BASE_URL=http://127.0.0.1:8081/bot`` (and
``TELEGRAM_FILE_BASE_URL=http://127.0.0.1:8081/file/bot``); drive it through the ``/_fake/``
routes of :mod:`fakebot.control`, e.g.::

    curl -s -XPOST localhost:8081/_fake/users -d '{"first_name": "Anna"}'
    curl -s -XPOST localhost:8081/_fake/say -d '{"chat_id": 5000000001, "text": "/start"}'
    curl -s localhost:8081/_fake/transcript/5000000001
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal

from fakebot.server import FakeTelegram


async def serve(host: str, port: int, token: str | None) -> None:
    tg = FakeTelegram(host=host, port=port, token=token, control=True)
    await tg.start()
    print(f"fake Telegram Bot API on {tg.api_base_url} (files: {tg.file_base_url})", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await tg.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m fakebot")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("serve", help="run the fake Bot API server until interrupted")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8081, help="0: a random free port")
    run.add_argument("--token", default=None, help="accept only this token (default: any)")
    args = parser.parse_args(argv)
    asyncio.run(serve(args.host, args.port, args.token))


if __name__ == "__main__":
    main()
