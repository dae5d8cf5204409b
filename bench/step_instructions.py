"""Instructions per dialogue step (callgrind): a measure of the bot's CPU that load does not move.

    uv run python -m bench.step_instructions [--pg-url URL] [--experts 6] [--replay]

The same dialogues as `bench.bench_targets`'s CPU phase (``--experts`` experts, one first-time
/contact dialogue each, against a fake Bot API server in this process), but one update at a
time (at once, how many updates one getUpdates brings varies from run to run), with the bot
process (`bench.botproc`) under ``valgrind --tool=callgrind``, instrumentation off: start-up and
a warm-up round run uninstrumented, then ``callgrind_control`` switches it on for one measured
round and dumps the counts. Printed: instructions (Ir) per step, and with ``--replay`` the same
for the bare ptb replay app (the baseline) and the ratio. CPU seconds on a shared machine move
by ±20 % between runs; instruction counts move by well under 1 %, so a change of a few per cent
shows. They are not time (a cache miss costs no instruction), so the bench's ratios stay the
measure of the targets; this is for comparing two versions of the code.

``--profile PATH`` keeps the callgrind dump of the bot (``callgrind_annotate PATH``: C functions).
On PostgreSQL the database is WIPED, as in `bench.bench_targets`.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from bench.bench_targets import (
    FIRST_USER_ID,
    BotProcess,
    Calls,
    add_users,
    prepare_database,
    walk,
    write_replies,
)
from fakebot import FakeTelegram

TIMEOUT = 120.0  # for one update (or start-up) under callgrind


def valgrind(out: Path) -> tuple[str, ...]:
    return (
        "valgrind",
        "--tool=callgrind",
        "--instr-atstart=no",
        f"--callgrind-out-file={out}",
    )


async def dialogues(
    proc: BotProcess, users: list[int], record: list[list[Calls]] | None = None
) -> int:
    """Every expert walks one complete first-time dialogue, one update at a time; the number
    of updates."""
    latencies: list[float] = []
    for index, chat_id in enumerate(users):
        await walk(proc, index, chat_id, latencies, record)
    return len(latencies)


def control(pid: int, *options: str) -> None:
    subprocess.run(["callgrind_control", *options, str(pid)], check=True, capture_output=True)


def total_ir(dump: Path) -> int:
    """The Ir total of a callgrind dump (its ``summary:`` or ``totals:`` line)."""
    text = dump.read_text(errors="replace")
    found = re.search(r"^(?:summary|totals):\s+(\d+)", text, re.M)
    if found is None:
        raise RuntimeError(f"no totals in {dump}")
    return int(found.group(1))


async def measured_round(
    proc: BotProcess, users: list[int], out: Path, record: list[list[Calls]] | None = None
) -> int:
    """Instructions of one round of dialogues (warm-up done): instrument, run, dump."""
    assert proc.proc is not None
    pid = proc.proc.pid
    control(pid, "--instr=on")
    control(pid, "--zero")
    updates = await dialogues(proc, users, record=record)
    for old in out.parent.glob(out.name + "*"):
        old.unlink()
    control(pid, "--dump=measured")
    control(pid, "--instr=off")
    dumps = sorted(out.parent.glob(out.name + ".*"))
    if not dumps:
        raise RuntimeError("callgrind wrote no dump")
    return total_ir(dumps[-1]) // updates


async def instructions(
    tg: FakeTelegram,
    kind: str,
    args: list[str],
    work: Path,
    experts: int,
    record: list[list[Calls]] | None = None,
    keep: str | None = None,
) -> int:
    """Instructions per step of one process under callgrind: a warm-up round (``record``ed),
    then the measured one; ``keep``: where to copy its callgrind dump."""
    out = work / f"{kind}.callgrind"
    proc = BotProcess(tg, kind, ["--kind", kind, *args], work, valgrind(out), TIMEOUT)
    await proc.start()
    try:
        await dialogues(proc, add_users(tg, FIRST_USER_ID, experts), record=record)
        per_step = await measured_round(proc, add_users(tg, FIRST_USER_ID + experts, experts), out)
        if keep:
            shutil.copy(sorted(str(p) for p in work.glob(out.name + ".*"))[-1], keep)  # noqa: ASYNC240
    finally:
        await proc.stop()
    return per_step


async def run(args: argparse.Namespace) -> None:
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        url = args.pg_url or f"sqlite:///{work / 'bench.db'}"
        e = args.experts
        await prepare_database(url, 4 * e)
        replies: list[list[Calls]] = [[] for _ in range(e)]
        async with FakeTelegram() as tg, FakeTelegram() as tg_replay:
            bot_args = ["--database-url", url]
            bot_ir = await instructions(tg, "bot", bot_args, work, e, replies, args.profile)
            print(f"bot     {bot_ir:>12,} instructions per step ({e * 15} steps)")
            if not args.replay:
                return
            path = write_replies(work / "replies.json", replies, e, FIRST_USER_ID)
            replay_ir = await instructions(tg_replay, "replay", ["--replies", path], work, e)
            ratio = bot_ir / replay_ir
            print(f"replay  {replay_ir:>12,} instructions per step; ratio {ratio:.2f}x")


def main() -> None:
    p = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    p.add_argument("--pg-url", default=None, help="a PostgreSQL database the bench may WIPE")
    p.add_argument("--experts", type=int, default=6, help="experts at once (6)")
    p.add_argument("--replay", action="store_true", help="also the replay app, and the ratio")
    p.add_argument("--profile", default=None, help="keep the bot's callgrind dump here")
    asyncio.run(run(p.parse_args()))


if __name__ == "__main__":
    main()
