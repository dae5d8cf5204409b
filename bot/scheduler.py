"""Jobs: the reminder pass and the weekly digest pass, and their registration on ptb's JobQueue.

Jobs are thin and stateless: every decision comes from the database (what is due, what was
claimed, what was sent), so a restart neither loses nor repeats work, and two bot processes on
one database cannot both send the same thing (unique claim rows, see `bot.storage.reports`).

* Reminder pass: every minute. Claims today's reminders that are due, sends them paced.

Sending outlasting a claim's lease (a long, paced batch; 429 waits) must not lead to copies: right
before each send the claim is renewed with a conditional update, and when another pass has
taken it over meanwhile nothing is sent. Each recipient's outcome is written in its own short
transaction right after the send (a crash mid-batch loses at most the one in flight). A send
that timed out after the request went out may have arrived: it is recorded as "unknown" and
never sent again.
* Digest pass: weekly at `settings.digest_weekday`/`digest_time`, once shortly after start-up
  (catching up a digest missed while the bot was down), and every 15 minutes to retry a claim
  whose sender died (its lease has run out) or a send that failed.

The pass functions take `now` (default: `services.now()`), so tests drive them directly with a
FrozenClock. All times are decided in Europe/Amsterdam (`settings.tz`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import secrets
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.constants import ParseMode

from bot import metrics
from bot.dialogue import codec
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
from bot.text import esc

if TYPE_CHECKING:
    from contextlib import AbstractAsyncContextManager

    from sqlmodel.ext.asyncio.session import AsyncSession
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


def owner_id(services: Services) -> str:
    """Identifies this process (this Services) in claim rows."""
    if services.delivery_owner is None:
        services.delivery_owner = (
            f"{socket.gethostname()[:30]}:{os.getpid()}:{secrets.token_hex(4)}"
        )
    return services.delivery_owner


def _services(app: Application) -> Services:
    return app.bot_data.services


# --------------------------------------------------------------------------- reminders


class TakenOver(Exception):
    """Raised right before a send whose claim another pass has taken over: nothing is sent."""


@dataclass
class Tally:
    """What became of a pass's sends."""

    sent: int = 0
    blocked: int = 0
    failed: int = 0  # includes `unknown`
    unknown: int = 0  # timed out after the request went out: maybe delivered, never resent
    skipped: int = 0  # claimed by another pass (or already finished): not sent by this one

    def count(self, status: str) -> None:
        """One send's outcome (`Outcome.status`)."""
        if status == "sent":
            self.sent += 1
        elif status == "blocked":
            self.blocked += 1
        else:
            self.failed += 1
            self.unknown += status == "unknown"


@dataclass
class ReminderReport(Tally):
    holiday: bool = False
    user_ids: list[int] = field(default_factory=list)


def reminder_callback(delivery_id: int, snooze_count: int, action: str) -> str:
    """`r:m:<delivery id>:<snooze count>:<action>`; the count plays the role of a revision."""
    return codec.encode("r:m", delivery_id, snooze_count, action)


def reminder_message(
    t: Translator, name: str, delivery_id: int, snooze_count: int, *, snooze: bool = True
) -> tuple[str, InlineKeyboardMarkup]:
    """The reminder with its buttons; "Later" only while `snooze` (see
    `rdom.snooze_allowed`)."""
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
    if snooze and rdom.can_snooze(snooze_count):
        row.append(
            InlineKeyboardButton(
                _("Later"), callback_data=reminder_callback(delivery_id, snooze_count, "later")
            )
        )
    return text, InlineKeyboardMarkup([row])


async def reminder_pass(
    app: Application,
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
            # A pending reminder has its delivery row (delivery_id is set).
            if await reports.reclaim_reminder(s, p.delivery_id, now, CLAIM_LEASE):  # type: ignore[arg-type]
                won.append(p)
    if not won:
        return report

    sender = sender or Sender(pacer_for(services))

    async def one(target: reports.ReminderTarget) -> None:
        delivery_id = target.delivery_id
        assert delivery_id is not None
        claimed_at = now  # this pass's claim; renewed right before the send
        t = translator(target.language)
        text, markup = reminder_message(
            t,
            target.name,
            delivery_id,
            target.snooze_count,
            snooze=rdom.snooze_allowed(target.snooze_count, services.now(), tz),
        )

        async def send() -> Message:
            nonlocal claimed_at
            at = services.now()
            async with transaction(services.sessions) as s:
                if not await reports.renew_reminder_claim(s, delivery_id, claimed_at, at):
                    raise TakenOver
            claimed_at = at
            return await bot.send_message(
                target.chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup
            )

        try:
            outcome = await sender.deliver(target.chat_id, send)
        except TakenOver:
            report.skipped += 1
            return
        done_at = services.now()
        report.count(outcome.status)
        async with transaction(services.sessions) as s:
            if outcome.status == "sent":
                report.user_ids.append(target.user_id)
                mine = await reports.set_reminder_status(
                    s,
                    delivery_id,
                    "sent",
                    claimed_at=claimed_at,
                    now=done_at,
                    message_id=outcome.message.message_id if outcome.message else None,
                )
            elif outcome.status == "blocked":
                mine = await reports.set_reminder_status(
                    s, delivery_id, "blocked", claimed_at=claimed_at
                )
                await users.mark_blocked(s, target.user_id, done_at)
            else:
                mine = True
                # A refused message will be refused again, and a timed-out one may have
                # arrived; anything else (network trouble, flood) stays claimed, so a pass
                # retries it once the lease has run out.
                if outcome.status == "unknown":
                    mine = await reports.set_reminder_status(
                        s, delivery_id, "unknown", claimed_at=claimed_at
                    )
                elif outcome.error == "BadRequest":
                    mine = await reports.set_reminder_status(
                        s, delivery_id, "failed", claimed_at=claimed_at
                    )
        if not mine:
            log.warning("reminder outcome not recorded: its claim was taken over meanwhile")

    await sender.run_all([partial(one, tg) for tg in won])
    metrics.SENT.labels("reminder").inc(report.sent)
    if report.sent or report.blocked or report.failed or report.skipped:
        log.info(
            "reminders: %s sent, %s blocked, %s failed (%s unknown), %s taken over",
            report.sent,
            report.blocked,
            report.failed,
            report.unknown,
            report.skipped,
        )
    return report


# --------------------------------------------------------------------------- digest


@dataclass
class DigestReport(Tally):
    """`unknown`: the first message timed out after it went out; `skipped`: already
    delivered, or claimed by another process."""

    period: str = ""
    partial: int = 0  # counted as sent: a later chunk or the chart did not go through
    recipient_ids: list[int] = field(default_factory=list)
    # Not delivered yet: claimed by another pass (maybe one that died) or failed; each with the
    # moment a pass may take it over (`retry_at`; None: given up after the last attempt).
    pending: list[PendingDigest] = field(default_factory=list)

    finished_before: int = 0  # of the skipped: delivered (or blocked, unknown) earlier

    @property
    def retry_at(self) -> datetime | None:
        """The first moment a pending delivery can be taken over (None: nothing to retry)."""
        return min((p.retry_at for p in self.pending if p.retry_at), default=None)


@dataclass(frozen=True)
class PendingDigest:
    name: str
    status: str  # claimed | failed
    retry_at: datetime | None
    owner: str | None


async def claim_recipients(
    services: Services,
    todo: list[reports.Recipient],
    kind: str,
    period: str,
    now: datetime,
    owner: str,
) -> list[reports.Recipient]:
    """The recipients this process won the delivery of (each claimed in its own transaction,
    with a lease, so two processes or a restart never send one twice)."""
    mine: list[reports.Recipient] = []
    for r in todo:
        async with transaction(services.sessions) as s:
            won = await reports.claim_digest(
                s,
                r.user_id,
                kind,
                period,
                now=now,
                owner=owner,
                lease=CLAIM_LEASE,
                max_attempts=DIGEST_MAX_ATTEMPTS,
            )
        if won:
            mine.append(r)
    return mine


@dataclass(frozen=True)
class ClaimedSend:
    outcome: Outcome
    recorded: bool  # False: the claim was taken over meanwhile (the other pass owns the row)


async def send_claimed(
    services: Services,
    sender: Sender,
    r: reports.Recipient,
    claim: reports.DigestClaim,
    call: Callable[[], Awaitable[Message]],
) -> ClaimedSend | None:
    """Send `call` to `r` under `claim` (a digest delivery row): the claim is renewed right
    before the send (None: another pass has taken it over, nothing was sent), and the outcome
    is written right after it, a recipient who blocked the bot marked so."""

    async def send() -> Message:
        nonlocal claim
        at = services.now()
        async with transaction(services.sessions) as s:
            renewed = await reports.renew_digest_claim(s, claim, now=at)
        if not renewed:
            raise TakenOver
        claim = dataclasses.replace(claim, claimed_at=at)
        return await call()

    try:
        outcome = await sender.deliver(r.chat_id, send)
    except TakenOver:
        return None
    done_at = services.now()
    async with transaction(services.sessions) as s:
        recorded = await reports.finish_digest(s, claim, outcome.status, now=done_at)
        if outcome.status == "blocked":
            await users.mark_blocked(s, r.user_id, done_at)
    return ClaimedSend(outcome, recorded)


async def _pending_digests(
    services: Services, recipient_ids: list[int], period: str
) -> list[PendingDigest]:
    async with services.sessions() as s:
        claims = await reports.digest_claims(s, recipient_ids, DIGEST_KIND, period)
    return [
        PendingDigest(
            name=c.name,
            status=c.status,
            retry_at=None
            if c.attempts >= DIGEST_MAX_ATTEMPTS
            else c.claimed_at + (CLAIM_LEASE if c.status == "claimed" else CLAIM_LEASE / 2),
            owner=c.owner,
        )
        for c in claims
    ]


@dataclass(frozen=True)
class RenderedDigest:
    chunks: list[str]
    caption: str
    png: bytes


def week_is_over(week: IsoWeek, now: datetime, tz: Any) -> bool:
    """Whether ISO `week` lies wholly before the local week of `now`."""
    return week < IsoWeek.of(now.astimezone(tz).date())


async def load_digest(
    services: Services,
    week: IsoWeek,
    unit: Callable[[], AbstractAsyncContextManager[AsyncSession]] | None = None,
) -> WeekDigest:
    """``unit``: a handler's `context.unit` (an update's session is the only one it may use:
    a second session would wait for SQLite's one connection while the update holds it)."""
    async with (unit or services.sessions)() as s:
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


def digest_calls(
    bot: Bot, chat_id: int, rendered: RenderedDigest, *, last_markup: Any = None
) -> list[Callable[[], Awaitable[Message]]]:
    """One request per message: all chunks, then the chart; protected (no forwarding or
    saving). `last_markup` goes on the last message."""
    calls: list[Callable[[], Awaitable[Message]]] = []
    for i, chunk in enumerate(rendered.chunks):
        markup = last_markup if i == len(rendered.chunks) - 1 and not rendered.png else None
        calls.append(
            partial(
                bot.send_message,
                chat_id,
                chunk,
                parse_mode=ParseMode.HTML,
                protect_content=True,
                disable_web_page_preview=True,
                reply_markup=markup,
            )
        )
    if rendered.png:
        calls.append(
            lambda: bot.send_photo(
                chat_id,
                rendered.png,
                caption=rendered.caption,
                protect_content=True,
                reply_markup=last_markup,
            )
        )
    return calls


async def send_digest(
    bot: Bot, sender: Sender, chat_id: int, rendered: RenderedDigest, *, last_markup: Any = None
) -> Outcome:
    """Send the digest (on demand); stops at the first message that does not go through and
    reports that."""
    outcome = Outcome("sent")
    for call in digest_calls(bot, chat_id, rendered, last_markup=last_markup):
        outcome = await sender.deliver(chat_id, call)
        if not outcome.ok:
            return outcome
    return outcome


async def digest_pass(
    app: Application,
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
    exactly once: a unique delivery row per coordinator and week decides who sends.

    An explicit `week` must be over (ValueError otherwise): its delivery row would stand for
    the real weekly digest, which then would never go out with the week's full figures."""
    settings = services.settings
    now = now or services.now()
    if week is None:
        period, due_at = digest_due(now, settings.tz, settings.digest_weekday, settings.digest_time)
    else:
        if not week_is_over(week, now, settings.tz):
            raise ValueError(f"week {week} is not over yet")
        period, due_at = week, now
    report = DigestReport(period=str(period))
    async with services.sessions() as s:
        everyone = await reports.digest_recipients(s, due_at)
        todo = await reports.unfinished_digest_recipients(s, everyone, DIGEST_KIND, str(period))
    report.skipped = report.finished_before = len(everyone) - len(todo)
    owner = owner_id(services)
    mine = await claim_recipients(services, todo, DIGEST_KIND, str(period), now, owner)
    report.skipped += len(todo) - len(mine)
    everyone_ids = [r.user_id for r in everyone]
    if not mine:
        if report.skipped:
            report.pending = await _pending_digests(services, everyone_ids, str(period))
        return report

    data = await load_digest(services, period)
    rendered: dict[str, RenderedDigest] = {}
    for lang in sorted({r.language for r in mine}):
        rendered[lang] = await render_for(data, translator(lang))
    sender = sender or Sender(pacer_for(services))

    async def one(r: reports.Recipient) -> None:
        # The digest counts as delivered once its first message is: the row is finished right
        # then, so no later pass (or a crash) can ever send a coordinator a second copy. A later
        # chunk or the chart that does not go through is logged, not retried.
        claim = reports.DigestClaim(r.user_id, DIGEST_KIND, str(period), owner, claimed_at=now)
        calls = digest_calls(bot, r.chat_id, rendered[r.language])
        done = await send_claimed(services, sender, r, claim, calls[0])
        if done is None:
            report.skipped += 1
            return
        status = done.outcome.status
        report.count(status)
        if status == "sent":
            report.recipient_ids.append(r.user_id)
        if not done.recorded:
            # Only when the first send outlasted the lease: the other pass owns the row now.
            log.warning("digest %s: outcome not recorded, the claim was taken over", period)
            return
        if status != "sent":
            return
        for n, call in enumerate(calls[1:], start=1):
            later = await sender.deliver(r.chat_id, call)
            if not later.ok:
                report.partial += 1
                log.warning(
                    "digest %s: %s of %s messages delivered to one coordinator, then %s (%s)",
                    period,
                    n,
                    len(calls),
                    later.status,
                    later.error,
                )
                if later.status == "blocked":
                    async with transaction(services.sessions) as s:
                        await users.mark_blocked(s, r.user_id, services.now())
                return

    await sender.run_all([partial(one, r) for r in mine])
    metrics.SENT.labels("digest").inc(report.sent)
    if report.skipped or report.failed:
        report.pending = await _pending_digests(services, everyone_ids, str(period))
    log.info(
        "digest %s: %s sent (%s partially), %s blocked, %s failed (%s unknown), %s skipped",
        period,
        report.sent,
        report.partial,
        report.blocked,
        report.failed,
        report.unknown,
        report.skipped,
    )
    return report
