"""The issue-10 target bench still runs: tiny numbers, one repeat, every phase (bot and replay
in their own processes, the pacing pair, `python -m bot run` for the RSS). It checks that the
bench works — dialogues saved, the replay app makes the bot's calls, every figure printed —
not how fast anything is."""

from __future__ import annotations

import pytest

from bench import bench_targets


async def test_target_bench_runs_every_phase(capsys: pytest.CaptureFixture[str]) -> None:
    args = bench_targets.parser().parse_args(
        [
            "--repeat=1",
            "--experts=2",
            "--latency-experts=3",
            "--latency-seconds=1",
            "--pacing-experts=2",
            "--rss-settle=0.2",
            "--other-request=httpx",
        ]
    )
    assert await bench_targets.main_async(args) == 0
    out = capsys.readouterr().out
    assert "PROBLEM" not in out
    for heading in (
        "1. CPU per dialogue step",
        "2. p95 update latency",
        "3. Throughput with the production pacing",
        "4. Idle RSS of `python -m bot run`",
    ):
        assert heading in out
    assert "SQLite      bot " in out and "replay" in out
    assert "the bot on httpx" in out
