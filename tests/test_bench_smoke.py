"""The /contact benchmark still runs: two experts, one repeat, every bot. It checks that the
bench works (dialogues saved, the replay bot finds the real bot's buttons), not how fast."""

from __future__ import annotations

import argparse

import pytest

from bench import bench_contact


async def test_contact_bench_runs_every_bot(capsys: pytest.CaptureFixture[str]) -> None:
    args = argparse.Namespace(experts=2, rounds=1, repeat=1, database_url=None, sqlite_thread=False)
    assert await bench_contact.main_async(args) == 0
    out = capsys.readouterr().out
    assert "contacts saved: 2 (expected 2)" in out
    for name in ("ervaringsbot", "echo bot", "echo + commit", "replay + commit"):
        assert name in out
    assert "PROBLEM" not in out
