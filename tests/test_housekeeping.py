"""Runtime tables are pruned; recent rows stay."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.housekeeping import prune
from bot.storage.models import ProcessedUpdate, RegistrationAttempt


async def test_prune_keeps_recent_and_drops_old(bot):
    now = bot.clock.now()
    async with bot.services.sessions() as s, s.begin():
        s.add(ProcessedUpdate(update_id=1, at=now - timedelta(days=3)))
        s.add(ProcessedUpdate(update_id=2, at=now - timedelta(hours=1)))
        s.add(RegistrationAttempt(subject_key="k" * 64, at=now - timedelta(days=2)))
    pruned = await prune(bot.services, now)
    assert (pruned.updates, pruned.attempts) == (1, 1)
    async with bot.services.sessions() as s:
        ids = (await s.exec(select(ProcessedUpdate.update_id))).all()
    assert ids == [2]


async def test_jobs_are_registered_with_stable_ids(fake_telegram, db_url, clock):
    from tests.conftest import BotHarness

    harness = BotHarness(fake_telegram, db_url, clock)
    await harness.start(schedule_jobs=True)
    try:
        ids = {job.id for job in harness.app.job_queue.jobs()}
        assert "housekeeping" in ids
    finally:
        await harness.stop()
