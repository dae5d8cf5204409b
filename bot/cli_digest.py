"""`python -m bot digest [--week 2026-W47] [--dry-run] [--chart FILE]`

Sends the weekly digest to every coordinator, with the same exactly-once bookkeeping as the
scheduled job: a coordinator who already got this week's digest (from the running bot or an
earlier run) does not get it again. Without --week: the week whose digest is due now (last
week, once the configured weekday and time have passed). --week must be a week that is over:
sending a running week would count as that week's delivery, and the real digest would never
go out. --dry-run prints the messages to stdout instead (no token needed, nothing recorded;
any week, also the running one): plain text on a terminal, Telegram's HTML when piped.

Deliveries another run still holds (a run that was killed keeps its claims for the lease, 10
minutes) are listed with their owner and the moment they can be taken over; the command then
waits for that moment and retries them (--no-wait: report and stop; the running bot retries
too, every 15 minutes).
"""

from __future__ import annotations

import argparse
import asyncio
import html
import re
import sys
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.cli_common import CliError, open_engine
from bot.config import Settings, load_settings

if TYPE_CHECKING:
    from telegram import Bot

    from bot.domain.digest import IsoWeek
    from bot.scheduler import DigestReport
    from bot.services import Services


def extend(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "digest",
        help="send the weekly digest to every coordinator (once)",
        description="Send the weekly digest to every coordinator who has not had it yet (the "
        "running bot and earlier runs count: nobody gets it twice), or print it with "
        "--dry-run. Deliveries held by another run are listed and retried when their lease "
        "ends.",
    )
    p.add_argument("--week", help="ISO week, e.g. 2026-W47 (default: the week due now)")
    p.add_argument("--dry-run", action="store_true", help="print the digest, send nothing")
    p.add_argument("--lang", default="nl", choices=["nl", "en"], help="language for --dry-run")
    p.add_argument(
        "--format",
        default="auto",
        choices=["auto", "text", "html"],
        help="--dry-run output: plain text or Telegram's HTML (auto: text on a terminal)",
    )
    p.add_argument("--chart", metavar="FILE", help="also write the chart PNG to FILE")
    p.add_argument(
        "--no-wait",
        action="store_true",
        help="do not wait for deliveries another run still holds; report them and stop",
    )
    p.set_defaults(func=cmd_digest)


_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^>]*)?>")


def html_to_text(text: str) -> str:
    """Telegram HTML as plain text: tags dropped, entities (&amp; &lt; …) turned back."""
    return html.unescape(_TAG.sub("", text))


def _plain(fmt: str) -> bool:
    return fmt == "text" or (fmt == "auto" and sys.stdout.isatty())


def cmd_digest(args: argparse.Namespace) -> int:
    from bot.domain.digest import IsoWeek

    week = None
    if args.week:
        try:
            week = IsoWeek.parse(args.week)
        except ValueError:
            raise CliError(f"not an ISO week: {args.week!r} (use e.g. 2026-W47)") from None
    settings = load_settings()
    return asyncio.run(_run(settings, week, args))


async def _run(settings: Settings, week: Any, args: argparse.Namespace) -> int:
    from bot.clock import SystemClock
    from bot.domain.digest import digest_due
    from bot.i18n import translator
    from bot.scheduler import load_digest, render_for, week_is_over
    from bot.services import Services

    async with open_engine(settings.database_url) as engine:
        services = Services(settings=settings, engine=engine, clock=SystemClock())
        if week is None:
            week, _due = digest_due(
                services.now(), settings.tz, settings.digest_weekday, settings.digest_time
            )
        if args.dry_run:
            data = await load_digest(services, week)
            rendered = await render_for(data, translator(args.lang), chart=bool(args.chart))
            plain = _plain(args.format)
            for i, chunk in enumerate(rendered.chunks, 1):
                if len(rendered.chunks) > 1:
                    print(f"----- {i}/{len(rendered.chunks)} -----")
                print(html_to_text(chunk) if plain else chunk)
            if args.chart:
                Path(args.chart).write_bytes(rendered.png)  # noqa: ASYNC240
                print(f"(chart written to {args.chart})")
            return 0
        if not week_is_over(week, services.now(), settings.tz):
            raise CliError(
                f"week {week} is not over yet: only a past week can be sent "
                "(use --dry-run to look at it)"
            )
        from telegram import Bot

        bot = Bot(settings.require_token(), base_url=settings.telegram_api_base_url)
        async with bot:
            report = await deliver_digest(services, bot, week, wait=not args.no_wait)
        return 0 if report.failed == 0 and not report.pending else 1


def describe(report: DigestReport, tz: Any) -> list[str]:
    """What a run did, and who is still pending until when (local time)."""
    busy = sum(1 for p in report.pending if p.status == "claimed")
    lines = [
        f"Digest {report.period}: sent {report.sent}, already delivered "
        f"{report.finished_before}, still pending {len(report.pending)} "
        f"(held by another run {busy}), blocked {report.blocked}, failed {report.failed}."
    ]
    for p in report.pending:
        who = p.name or "(no name)"
        state = f"claimed by {p.owner}" if p.status == "claimed" else "failed"
        if p.retry_at is None:
            lines.append(f"  {who}: {state}, given up after the last attempt")
        else:
            at = p.retry_at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")
            lines.append(f"  {who}: {state}, retried from {at}")
    return lines


async def deliver_digest(
    services: Services,
    bot: Bot,
    week: IsoWeek,
    *,
    wait: bool = True,
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    out: Callable[[str], Any] = print,
) -> DigestReport:
    """Run the digest; while deliveries are pending (another run holds them, or they failed),
    wait until the first can be taken over and run again. Returns the last run's report."""
    from bot.scheduler import run_digest

    tz = services.settings.tz
    while True:
        report = await run_digest(services, bot, week=week)
        for line in describe(report, tz):
            out(line)
        retry_at = report.retry_at
        if not wait or retry_at is None:
            return report
        delay = max(0.0, (retry_at - services.now()).total_seconds()) + 1
        out(
            f"Waiting until {_local(retry_at, tz)} to retry (Ctrl-C stops; the running bot "
            "also retries every 15 minutes)."
        )
        await sleep(delay)


def _local(at: datetime, tz: Any) -> str:
    return at.astimezone(tz).strftime("%H:%M:%S")
