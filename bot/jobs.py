"""Every scheduled job, registered in one place (`register`, called by `bot.app`).

Jobs (ptb JobQueue / APScheduler, Europe/Amsterdam) only trigger a pass; the pass decides
from the database what is due (see `bot.scheduler`). Stable ids with `replace_existing`:
registering twice, or a rebuilt Application, keeps one job each. `coalesce`: several missed
runs collapse into one; `max_instances=1`: never two at once.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram.ext import Application

from bot import deel_reminder, housekeeping, menus, scheduler
from bot.context import BotContext

log = logging.getLogger(__name__)

MENUS_JOB_ID = "refresh-menus"

__all__ = [
    "MENUS_JOB_ID",
    "register",
    "schedule_deel_moments",
    "schedule_digest",
    "schedule_followups",
    "schedule_housekeeping",
    "schedule_menus",
    "schedule_reminders",
]


def register(application: Application, *, set_menus: bool = True) -> None:
    """All jobs of the bot; `set_menus=False` when the app does not set command menus."""
    schedule_housekeeping(application)
    if set_menus:
        schedule_menus(application)
    schedule_reminders(application)
    schedule_digest(application)
    schedule_followups(application)
    schedule_deel_moments(application)


def _job_kwargs(job_id: str, grace: int) -> dict[str, Any]:
    return {
        "id": job_id,
        "replace_existing": True,
        "misfire_grace_time": grace,
        "coalesce": True,
        "max_instances": 1,
    }


# --------------------------------------------------------------------------- the jobs


async def _housekeeping_job(context: BotContext) -> None:
    services = context.application.bot_data.services
    pruned = await housekeeping.prune(services, services.now())
    log.info(
        "pruned %s update ids, %s attempts, %s drafts",
        pruned.updates,
        pruned.attempts,
        pruned.drafts,
    )


async def _retention_job(context: BotContext) -> None:
    services = context.application.bot_data.services
    done = await housekeeping.retain(services, services.now())
    log.info(
        "retention: %s stories, %s signals, %s key figure roles cleared, "
        "%s audit rows scrubbed, %s deleted",
        done.stories,
        done.signals,
        done.key_figures,
        done.audit_scrubbed,
        done.audit_deleted,
    )


def _pass_job(
    what: str, run: Callable[[Application], Awaitable[object]]
) -> Callable[[BotContext], Coroutine[Any, Any, None]]:
    """A job that runs a pass (`run(application)`) and logs, not raises, when it fails: a
    failed pass must not stop the next one."""

    async def job(context: BotContext) -> None:
        try:
            await run(context.application)
        except Exception as exc:
            log.error("%s pass failed: %s", what, type(exc).__name__, exc_info=exc)

    return job


async def _followup_pass(application: Application) -> object:
    from bot.handlers import followup  # the journey module imports the job registry's users

    return await followup.followup_pass(application)


# Each pass is looked up when its job runs, as a direct call would.
_reminder_job = _pass_job("reminder", lambda app: scheduler.reminder_pass(app))
_digest_job = _pass_job("digest", lambda app: scheduler.digest_pass(app))
_followup_job = _pass_job("follow-up", _followup_pass)
_deel_moment_job = _pass_job("reporting-moment", lambda app: deel_reminder.moment_pass(app))


# --------------------------------------------------------------------------- registration


def _repeat(jq: Any, job: Any, job_id: str, *, every: int, first: int, grace: int) -> None:
    jq.run_repeating(
        job, interval=every, first=first, name=job_id, job_kwargs=_job_kwargs(job_id, grace)
    )


def schedule_housekeeping(application: Application) -> None:
    """Hourly pruning of runtime tables (`bot.housekeeping`)."""
    jq = application.job_queue
    if jq is None:
        return
    _repeat(jq, _housekeeping_job, housekeeping.JOB_ID, every=3600, first=60, grace=600)
    # Retention once a day, and once shortly after start-up (both idempotent).
    _repeat(
        jq, _retention_job, housekeeping.RETENTION_JOB_ID, every=24 * 3600, first=120, grace=3600
    )


def schedule_menus(application: Application) -> None:
    """Once, shortly after start-up: every registered user's command menu."""
    jq = application.job_queue
    if jq is None:
        return
    jq.run_once(
        menus.refresh_user_menus,
        when=5,
        name=MENUS_JOB_ID,
        job_kwargs={"id": MENUS_JOB_ID, "replace_existing": True},
    )


def schedule_reminders(application: Application) -> None:
    """The reminder pass, every minute."""
    jq = application.job_queue
    if jq is None:
        log.warning("no job queue: reminders are not scheduled")
        return
    _repeat(jq, _reminder_job, scheduler.REMINDER_JOB_ID, every=60, first=5, grace=50)


def schedule_digest(application: Application) -> None:
    """The weekly digest at the configured weekday and time, a catch-up run at start-up and
    a retry every 15 minutes (each pass sends only what is due and not yet delivered)."""
    jq = application.job_queue
    if jq is None:
        log.warning("no job queue: the digest is not scheduled")
        return
    settings = application.bot_data.services.settings
    at = settings.digest_time.replace(tzinfo=settings.tz)
    jq.run_daily(
        _digest_job,
        time=at,
        days=(settings.digest_weekday % 7,),  # ptb: 0 = Sunday, ISO: 7 = Sunday
        name=scheduler.DIGEST_WEEKLY_JOB_ID,
        job_kwargs=_job_kwargs(scheduler.DIGEST_WEEKLY_JOB_ID, grace=6 * 3600),
    )
    jq.run_once(
        _digest_job,
        when=20,
        name=scheduler.DIGEST_STARTUP_JOB_ID,
        job_kwargs=_job_kwargs(scheduler.DIGEST_STARTUP_JOB_ID, grace=3600),
    )
    retry = 15 * 60
    _repeat(jq, _digest_job, scheduler.DIGEST_RETRY_JOB_ID, every=retry, first=retry, grace=600)


def schedule_followups(application: Application) -> None:
    """The follow-up (doorstroom) pass every 15 minutes; it asks only within its daytime
    window and only what is due and not yet asked (`bot.handlers.followup`)."""
    jq = application.job_queue
    if jq is None:
        return
    _repeat(jq, _followup_job, "followups", every=15 * 60, first=30, grace=600)


def schedule_deel_moments(application: Application) -> None:
    """Reminders of deelopdracht reporting moments (`bot.deel_reminder`): hourly, and shortly
    after start-up; each pass sends only what is due and not yet delivered."""
    jq = application.job_queue
    if jq is None:
        return
    _repeat(jq, _deel_moment_job, deel_reminder.JOB_ID, every=3600, first=90, grace=600)
