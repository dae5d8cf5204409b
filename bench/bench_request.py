"""Benchmark: CPU per Bot API call of ptb's request backends, against a fake server in its own
process (`python -m fakebot serve`), so only the client's CPU is counted.

    uv run python -m bench.bench_request [--calls 400] [--repeat 3] [--concurrency 1,8]

Backends: ``httpx`` (ptb's default ``HTTPXRequest``) and ``aiohttp``
(``bot.http.AiohttpRequest``), both as ``bot.http.telegram_request`` builds them for the bot.
Each round makes ``--calls`` calls through a ptb ``Bot``: sendMessage with a small inline
keyboard, then editMessageText of it, alternately; ``--concurrency`` of them in flight at
once. The backends take turns; figures are medians.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import socket
import statistics
import sys
import time

import httpx
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.request import BaseRequest

from bench.botproc import TOKEN, make_request
from bot.http import HttpBackend


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def one_round(
    request: BaseRequest, base: str, chat_id: int, calls: int, at_once: int
) -> float:
    """CPU seconds of this process per call."""
    bot = Bot(TOKEN, base_url=f"{base}/bot", request=request, get_updates_request=request)
    markup = InlineKeyboardMarkup(
        [[InlineKeyboardButton(f"knop {i}", callback_data=f"k{i}") for i in range(3)]]
    )
    async with bot:

        async def worker(n: int) -> None:
            for i in range(n // 2):
                message = await bot.send_message(
                    chat_id, f"<b>stap</b> {i}", parse_mode="HTML", reply_markup=markup
                )
                await message.edit_text(
                    f"<b>stap</b> {i} klaar", parse_mode="HTML", reply_markup=markup
                )

        await worker(4)  # warm up: connections, first-call costs
        cpu = time.process_time()
        await asyncio.gather(*(worker(calls // at_once) for _ in range(at_once)))
        return (time.process_time() - cpu) / (calls // at_once // 2 * 2 * at_once)


async def main_async(args: argparse.Namespace) -> dict[tuple[str, int], float]:
    port = free_port()
    server = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "fakebot",
        "serve",
        "--port",
        str(port),
        stdout=asyncio.subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    results: dict[tuple[str, int], list[float]] = {}
    try:
        assert server.stdout is not None
        await asyncio.wait_for(server.stdout.readline(), 60)
        async with httpx.AsyncClient(base_url=base, trust_env=False) as client:
            chat_id = (await client.post("/_fake/users", json={"first_name": "Bench"})).json()[
                "chat_id"
            ]
        for _ in range(args.repeat):
            for at_once in args.concurrency:
                kinds: tuple[HttpBackend, ...] = ("httpx", "aiohttp")
                for kind in kinds:
                    request = make_request(kind)
                    per_call = await one_round(request, base, chat_id, args.calls, at_once)
                    results.setdefault((kind, at_once), []).append(per_call)
    finally:
        server.terminate()
        with contextlib.suppress(ProcessLookupError):
            await server.wait()
    medians = {key: statistics.median(values) for key, values in results.items()}
    print(f"\nCPU per Bot API call (client process), medians of {args.repeat} repeat(s)")
    for at_once in args.concurrency:
        h, a = medians[("httpx", at_once)], medians[("aiohttp", at_once)]
        each_h = " ".join(f"{v * 1000:.3f}" for v in results[("httpx", at_once)])
        each_a = " ".join(f"{v * 1000:.3f}" for v in results[("aiohttp", at_once)])
        print(
            f"  {at_once} at once: httpx {h * 1000:.3f} ms ({each_h})  aiohttp {a * 1000:.3f} ms "
            f"({each_a})  aiohttp / httpx {a / h:.2f}x"
        )
    return medians


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--calls", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--concurrency", type=lambda v: [int(x) for x in v.split(",")], default=[1, 8]
    )
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
