"""Reminder of a deelopdracht's reporting moment: 14 days before each moment the coordinators
get a message with the deelopdracht's current figures, each exactly once.

The pass (hourly, `bot.jobs`) decides everything from the database, in Europe/Amsterdam time:

* due: a moment of an active deelopdracht that is at most `DAYS_BEFORE` days away (a moment
  added later than that is reminded at once), not yet past, whose `reminded_at` is empty, from
  `SEND_FROM` local time on (no messages at night);
* each coordinator's copy is claimed like the weekly digest's (`digest_delivery`, kind
  `deel_moment`, period `m<moment id>`: a unique row, a lease, renewed right before the send,
  the outcome written right after it): two processes or a restart never send twice, and a
  claim of a process that died is taken over once its lease has run out;
* once every coordinator's copy is finished (sent, blocked, or "unknown": may have arrived),
  `reminded_at` is set with a conditional `UPDATE ... WHERE reminded_at IS NULL`, and the
  moment is never looked at again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import partial
from typing import TYPE_CHECKING

from telegram import Bot
from telegram.constants import ParseMode

from bot import metrics
from bot.domain.measures import MeasureProgress, format_progress_line
from bot.i18n import Translator, translator
from bot.scheduler import Tally, claim_recipients, owner_id, send_claimed
from bot.sender import Sender, pacer_for
from bot.storage import deel_progress, reports
from bot.storage.db import transaction
from bot.text import esc

if TYPE_CHECKING:
    from telegram.ext import Application

    from bot.services import Services

log = logging.getLogger(__name__)

JOB_ID = "deel-moment-reminders"
KIND = "deel_moment"
DAYS_BEFORE = 14
SEND_FROM = time(9, 0)


@dataclass
class MomentReport(Tally):
    done: list[int] = field(default_factory=list)  # moments whose reminded_at this pass set


def period_of(moment_id: int) -> str:
    return f"m{moment_id}"


def moment_message(
    t: Translator,
    moment: deel_progress.DueMoment,
    today: date,
    progress: list[MeasureProgress],
) -> str:
    """The reminder as HTML: when, which deelopdracht, and one line per measure."""
    _ = t._
    days = (moment.on_date - today).days
    if days == 0:
        when = _("vandaag")
    else:
        when = t.ngettext("over {n} dag", "over {n} dagen", days).format(n=days)
    head = _("Rapportagemoment {when} ({date}): {title} ({municipality}).").format(
        when=when,
        date=t.fmt_date(moment.on_date, "d MMMM yyyy"),
        title=moment.title,
        municipality=moment.municipality,
    )
    out = [f"<b>{esc(head)}</b>"]
    if progress:
        out.append(esc(_("Zo staat het er vandaag voor:")))
        out += [f"• {esc(format_progress_line(p, t))}" for p in progress]
    else:
        out.append(esc(_("Deze deelopdracht heeft geen meetbare doelen.")))
    out.append(esc(_("Meer zien of aanpassen: /deelopdracht")))
    return "\n".join(out)


async def moment_pass(app: Application, now: datetime | None = None) -> MomentReport:
    return await run_moment_reminders(app.bot_data.services, app.bot, now)


async def run_moment_reminders(
    services: Services, bot: Bot, now: datetime | None = None, *, sender: Sender | None = None
) -> MomentReport:
    now = now or services.now()
    local = now.astimezone(services.settings.tz)
    today = local.date()
    report = MomentReport()
    if local.time() < SEND_FROM:
        return report
    async with services.sessions() as s:
        moments = await deel_progress.due_moments(s, today, DAYS_BEFORE)
    if not moments:
        return report
    owner = owner_id(services)
    sender = sender or Sender(pacer_for(services))
    for moment in moments:
        period = period_of(moment.id)
        async with services.sessions() as s:
            everyone = await reports.digest_recipients(s, now)
            todo = await reports.unfinished_digest_recipients(s, everyone, KIND, period)
        report.skipped += len(everyone) - len(todo)
        mine = await claim_recipients(services, todo, KIND, period, now, owner)
        report.skipped += len(todo) - len(mine)
        if mine:
            async with services.sessions() as s:
                progress = await deel_progress.progress(
                    s, moment.deelopdracht_id, today, services.settings.tz
                )
            texts = {
                lang: moment_message(translator(lang), moment, today, progress)
                for lang in {r.language for r in mine}
            }
            for r in mine:
                await _send_one(
                    services, bot, sender, r, period, owner, now, texts[r.language], report
                )
        async with services.sessions() as s:
            left = await reports.unfinished_digest_recipients(
                s, await reports.digest_recipients(s, now), KIND, period
            )
        if not left:
            async with transaction(services.sessions) as s:
                if await deel_progress.mark_reminded(s, moment.id, services.now()):
                    report.done.append(moment.id)
    metrics.SENT.labels("deel_moment").inc(report.sent)
    if report.sent or report.failed or report.blocked:
        log.info(
            "reporting-moment reminders: %s sent, %s blocked, %s failed",
            report.sent,
            report.blocked,
            report.failed,
        )
    return report


async def _send_one(
    services: Services,
    bot: Bot,
    sender: Sender,
    r: reports.Recipient,
    period: str,
    owner: str,
    now: datetime,
    text: str,
    report: MomentReport,
) -> None:
    claim = reports.DigestClaim(r.user_id, KIND, period, owner, claimed_at=now)
    send = partial(
        bot.send_message,
        r.chat_id,
        text,
        parse_mode=ParseMode.HTML,
        disable_web_page_preview=True,
        protect_content=True,
    )
    done = await send_claimed(services, sender, r, claim, send)
    if done is None:
        report.skipped += 1
        return
    report.count(done.outcome.status)
    if not done.recorded:
        log.warning("reporting-moment reminder: outcome not recorded, the claim was taken over")
