"""Jobs: the reminder pass and the weekly digest pass, and their registration on ptb's JobQueue.

Jobs are thin and stateless: every decision comes from the database (what is due, what was
claimed, what was sent), so a restart neither loses nor repeats work, and two bot processes on
one database cannot both send the same thing (unique claim rows, see `bot.storage.reports`).

* Reminder pass: every minute. Claims today's reminders that are due, sends them paced.
* Digest pass: weekly at `settings.digest_weekday`/`digest_time`, once shortly after start-up
  (catching up a digest missed while the bot was down), and every 15 minutes to retry a claim
  whose sender died (its lease has run out) or a send that failed.

The pass functions take `now` (default: `services.now()`), so tests drive them directly with a
FrozenClock. All times are decided in Europe/Amsterdam (`settings.tz`).
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode

from bot.domain import reminders as rdom
from bot.domain.digest import (
    IsoWeek,
    WeekDigest,
    chart_bars,
    digest_due,
    render_caption,
    render_digest,
    split_html,
)
from bot.domain.holidays_nl import is_public_holiday
from bot.i18n import Translator, translator
from bot.sender import Outcome, Sender, pacer_for
from bot.storage import reports, users
from bot.storage.db import transaction

if TYPE_CHECKING:
    from telegram.ext import Application

    from bot.services import Services

log = logging.getLogger(__name__)

REMINDER_JOB_ID = "reminder-pass"
DIGEST_WEEKLY_JOB_ID = "digest-weekly"
DIGEST_STARTUP_JOB_ID = "digest-catch-up"
DIGEST_RETRY_JOB_ID = "digest-retry"

# A claim older than this whose sender never reported back is taken over by another pass.
CLAIM_LEASE = timedelta(minutes=10)
DIGEST_MAX_ATTEMPTS = 5
DIGEST_KIND = "weekly"
OWNER_KEY = "delivery_owner"


def owner_id(services: Services) -> str:
    """Identifies this process (this Services) in claim rows."""
    owner = services.extras.get(OWNER_KEY)
    if owner is None:
        owner = f"{socket.gethostname()[:30]}:{os.getpid()}:{secrets.token_hex(4)}"
        services.extras[OWNER_KEY] = owner
    return owner


def _services(app: Application) -> Services:  # type: ignore[type-arg]
    return app.bot_data.services  # type: ignore[no-any-return]


# --------------------------------------------------------------------------- reminders


@dataclass
class ReminderReport:
    sent: int = 0
    blocked: int = 0
    failed: int = 0
    holiday: bool = False
    user_ids: list[int] = field(default_factory=list)


def reminder_callback(delivery_id: int, snooze_count: int, action: str) -> str:
    """`r:m:<delivery id>:<snooze count>:<action>`; the count plays the role of a revision."""
    return f"r:m:{delivery_id}:{snooze_count}:{action}"


def reminder_message(
    t: Translator, name: str, delivery_id: int, snooze_count: int
) -> tuple[str, InlineKeyboardMarkup]:
    from bot.handlers.common import esc

    _ = t._
    if name:
        text = _("Hoi {name}! Je hebt vandaag nog niets ingevuld.").format(name=esc(name))
    else:
        text = _("Hoi! Je hebt vandaag nog niets ingevuld.")
    text += "\n" + _("Wil je je werk van vandaag nu vastleggen?")
    row = [
        InlineKeyboardButton(
            _("Nu loggen"), callback_data=reminder_callback(delivery_id, snooze_count, "log")
        ),
        InlineKeyboardButton(
            _("Niets te melden"), callback_data=reminder_callback(delivery_id, snooze_count, "nil")
        ),
    ]
    if rdom.can_snooze(snooze_count):
        row.append(
            InlineKeyboardButton(
                _("Later"), callback_data=reminder_callback(delivery_id, snooze_count, "later")
            )
        )
    return text, InlineKeyboardMarkup([row])


async def reminder_pass(
    app: Application,  # type: ignore[type-arg]
    now: datetime | None = None,
    *,
    sender: Sender | None = None,
) -> ReminderReport:
    return await run_reminders(_services(app), app.bot, now, sender=sender)


async def run_reminders(
    services: Services, bot: Bot, now: datetime | None = None, *, sender: Sender | None = None
) -> ReminderReport:
    """Send every reminder that is due at `now` and not yet claimed (by any process)."""
    now = now or services.now()
    tz = services.settings.tz
    local = now.astimezone(tz)
    today = local.date()
    report = ReminderReport()
    if is_public_holiday(today):
        report.holiday = True
        return report

    # Read first, then claim in a transaction that starts with its write (no read-to-write
    # lock upgrade on SQLite); the unique claim decides races with other processes.
    async with services.sessions() as s:
        fresh = await reports.new_reminder_candidates(s, today, local.time())
        pending = await reports.pending_reminders(s, today, now, CLAIM_LEASE)
    due = []
    for c in fresh:
        prefs = rdom.ReminderPrefs(days=c.days, at=c.at, pause_until=c.pause_until)
        if rdom.reminder_due(prefs, now, tz, logged=False):
            due.append(replace(c, due_at=rdom.due_moment(today, c.at, tz)))
    won: list[reports.ReminderTarget] = []
    if due:
        async with transaction(services.sessions) as s:
            won = await reports.claim_new_reminders(s, due, today, now)
    for p in pending:
        if p.due_at is None or not rdom.within_send_window(p.due_at, now, today, tz):
            continue
        async with transaction(services.sessions) as s:
            if await reports.reclaim_reminder(s, p.delivery_id, now, CLAIM_LEASE):  # type: ignore[arg-type]
                won.append(p)
    if not won:
        return report

    sender = sender or Sender(pacer_for(services))

    async def one(target: reports.ReminderTarget) -> tuple[reports.ReminderTarget, Outcome]:
        t = translator(target.language)
        text, markup = reminder_message(
            t,
            target.name,
            target.delivery_id,
            target.snooze_count,  # type: ignore[arg-type]
        )
        outcome = await sender.deliver(
            target.chat_id,
            lambda: bot.send_message(
                target.chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup
            ),
        )
        return target, outcome

    results = await sender.run_all([lambda tg=tg: one(tg) for tg in won])
    sent_at = services.now()
    async with transaction(services.sessions) as s:
        for target, outcome in results:
            delivery_id = target.delivery_id
            assert delivery_id is not None
            if outcome.status == "sent":
                report.sent += 1
                report.user_ids.append(target.user_id)
                await reports.set_reminder_status(
                    s,
                    delivery_id,
                    "sent",
                    now=sent_at,
                    message_id=outcome.message.message_id if outcome.message else None,
                )
            elif outcome.status == "blocked":
                report.blocked += 1
                await reports.set_reminder_status(s, delivery_id, "blocked")
                await users.mark_blocked(s, target.user_id, sent_at)
            else:
                report.failed += 1
                # A refused message will be refused again; anything else (network trouble,
                # flood) stays claimed, so a pass retries it once the lease has run out.
                if outcome.error == "BadRequest":
                    await reports.set_reminder_status(s, delivery_id, "failed")
    if report.sent or report.blocked or report.failed:
        log.info(
            "reminders: %s sent, %s blocked, %s failed", report.sent, report.blocked, report.failed
        )
    return report


# --------------------------------------------------------------------------- digest


@dataclass
class DigestReport:
    period: str = ""
    sent: int = 0
    blocked: int = 0
    failed: int = 0
    skipped: int = 0  # already delivered, or claimed by another process
    recipient_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class RenderedDigest:
    chunks: list[str]
    caption: str
    png: bytes


async def load_digest(services: Services, week: IsoWeek) -> WeekDigest:
    async with services.sessions() as s:
        return await reports.week_digest(s, week, services.settings.tz)


def _chart_texts(t: Translator, d: WeekDigest) -> dict[str, str]:
    return {
        "title": t._("Uren per gemeente, week {week}").format(week=d.week.week),
        "hours_label": t._("uren"),
        "share_label": t._("eerlijk deel (MGR-sleutel)"),
    }


async def render_for(d: WeekDigest, t: Translator, *, chart: bool = True) -> RenderedDigest:
    """Text chunks, caption and chart PNG in the reader's language."""
    chunks = split_html(render_digest(d, t))
    png = b""
    if chart:
        from bot.chart import hours_vs_share_png

        # matplotlib is CPU-bound: keep the event loop free for updates meanwhile.
        png = await asyncio.to_thread(hours_vs_share_png, chart_bars(d), **_chart_texts(t, d))
    return RenderedDigest(chunks, render_caption(d, t), png)


async def send_digest(
    bot: Bot, sender: Sender, chat_id: int, rendered: RenderedDigest, *, last_markup: Any = None
) -> Outcome:
    """All chunks, then the chart; protected (no forwarding or saving). Stops at the first
    message that does not go through and reports that."""
    outcome = Outcome("sent")
    for i, chunk in enumerate(rendered.chunks):
        markup = last_markup if i == len(rendered.chunks) - 1 and not rendered.png else None
        outcome = await sender.deliver(
            chat_id,
            lambda chunk=chunk, markup=markup: bot.send_message(
                chat_id,
                chunk,
                parse_mode=ParseMode.HTML,
                protect_content=True,
                disable_web_page_preview=True,
                reply_markup=markup,
            ),
        )
        if not outcome.ok:
            return outcome
    if rendered.png:
        outcome = await sender.deliver(
            chat_id,
            lambda: bot.send_photo(
                chat_id,
                rendered.png,
                caption=rendered.caption,
                protect_content=True,
                reply_markup=last_markup,
            ),
        )
    return outcome


async def digest_pass(
    app: Application,  # type: ignore[type-arg]
    now: datetime | None = None,
    *,
    week: IsoWeek | None = None,
    sender: Sender | None = None,
) -> DigestReport:
    return await run_digest(_services(app), app.bot, now, week=week, sender=sender)


async def run_digest(
    services: Services,
    bot: Bot,
    now: datetime | None = None,
    *,
    week: IsoWeek | None = None,
    sender: Sender | None = None,
) -> DigestReport:
    """Deliver the weekly digest that is due at `now` (or of `week`) to every coordinator
    exactly once: a unique delivery row per coordinator and week decides who sends."""
    settings = services.settings
    now = now or services.now()
    if week is None:
        period, due_at = digest_due(now, settings.tz, settings.digest_weekday, settings.digest_time)
    else:
        period, due_at = week, now
    report = DigestReport(period=str(period))
    async with services.sessions() as s:
        everyone = await reports.digest_recipients(s, due_at)
        todo = await reports.unfinished_digest_recipients(s, everyone, DIGEST_KIND, str(period))
    report.skipped = len(everyone) - len(todo)
    owner = owner_id(services)
    mine: list[reports.Recipient] = []
    for r in todo:
        async with transaction(services.sessions) as s:
            won = await reports.claim_digest(
                s,
                r.user_id,
                DIGEST_KIND,
                str(period),
                now=now,
                owner=owner,
                lease=CLAIM_LEASE,
                max_attempts=DIGEST_MAX_ATTEMPTS,
            )
        if won:
            mine.append(r)
        else:
            report.skipped += 1
    if not mine:
        return report

    data = await load_digest(services, period)
    rendered: dict[str, RenderedDigest] = {}
    for lang in sorted({r.language for r in mine}):
        rendered[lang] = await render_for(data, translator(lang))
    sender = sender or Sender(pacer_for(services))

    async def one(r: reports.Recipient) -> tuple[reports.Recipient, Outcome]:
        return r, await send_digest(bot, sender, r.chat_id, rendered[r.language])

    results = await sender.run_all([lambda r=r: one(r) for r in mine])
    done_at = services.now()
    async with transaction(services.sessions) as s:
        for r, outcome in results:
            status = outcome.status
            await reports.finish_digest(
                s, r.user_id, DIGEST_KIND, str(period), owner=owner, status=status, now=done_at
            )
            if status == "sent":
                report.sent += 1
                report.recipient_ids.append(r.user_id)
            elif status == "blocked":
                report.blocked += 1
                await users.mark_blocked(s, r.user_id, done_at)
            else:
                report.failed += 1
    log.info(
        "digest %s: %s sent, %s blocked, %s failed, %s skipped",
        period,
        report.sent,
        report.blocked,
        report.failed,
        report.skipped,
    )
    return report


# --------------------------------------------------------------------------- job registration


def _job_kwargs(job_id: str, grace: int) -> dict[str, Any]:
    # Stable ids + replace_existing: registering twice (or a rebuilt Application) keeps one job.
    # coalesce: several missed runs collapse into one; max_instances: never two at once.
    return {
        "id": job_id,
        "replace_existing": True,
        "misfire_grace_time": grace,
        "coalesce": True,
        "max_instances": 1,
    }


async def _reminder_job(context: Any) -> None:
    try:
        await reminder_pass(context.application)
    except Exception as exc:  # a failed pass must not stop the next one
        log.error("reminder pass failed: %s", type(exc).__name__, exc_info=exc)


async def _digest_job(context: Any) -> None:
    try:
        await digest_pass(context.application)
    except Exception as exc:
        log.error("digest pass failed: %s", type(exc).__name__, exc_info=exc)


def schedule_reminders(application: Application) -> None:  # type: ignore[type-arg]
    jq = application.job_queue
    if jq is None:
        log.warning("no job queue: reminders are not scheduled")
        return
    jq.run_repeating(
        _reminder_job,
        interval=60,
        first=5,
        name=REMINDER_JOB_ID,
        job_kwargs=_job_kwargs(REMINDER_JOB_ID, grace=50),
    )


def schedule_digest(application: Application) -> None:  # type: ignore[type-arg]
    jq = application.job_queue
    if jq is None:
        log.warning("no job queue: the digest is not scheduled")
        return
    settings = _services(application).settings
    at = settings.digest_time.replace(tzinfo=settings.tz)
    jq.run_daily(
        _digest_job,
        time=at,
        days=(settings.digest_weekday % 7,),  # ptb: 0 = Sunday, ISO: 7 = Sunday
        name=DIGEST_WEEKLY_JOB_ID,
        job_kwargs=_job_kwargs(DIGEST_WEEKLY_JOB_ID, grace=6 * 3600),
    )
    jq.run_once(
        _digest_job,
        when=20,
        name=DIGEST_STARTUP_JOB_ID,
        job_kwargs=_job_kwargs(DIGEST_STARTUP_JOB_ID, grace=3600),
    )
    jq.run_repeating(
        _digest_job,
        interval=15 * 60,
        first=15 * 60,
        name=DIGEST_RETRY_JOB_ID,
        job_kwargs=_job_kwargs(DIGEST_RETRY_JOB_ID, grace=600),
    )
