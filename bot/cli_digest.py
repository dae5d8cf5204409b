"""`python -m bot digest [--week 2026-W47] [--dry-run] [--chart FILE]`

Sends the weekly digest to every coordinator, with the same exactly-once bookkeeping as the
scheduled job: a coordinator who already got this week's digest (from the running bot or an
earlier run) does not get it again. Without --week: the week whose digest is due now (last
week, once the configured weekday and time have passed). --week must be a week that is over:
sending a running week would count as that week's delivery, and the real digest would never
go out. --dry-run prints the messages to stdout instead (no token needed, nothing recorded;
any week, also the running one).
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any

from bot.config import Settings, load_settings


def extend(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("digest", help="send the weekly digest to every coordinator (once)")
    p.add_argument("--week", help="ISO week, e.g. 2026-W47 (default: the week due now)")
    p.add_argument("--dry-run", action="store_true", help="print the digest, send nothing")
    p.add_argument("--lang", default="nl", choices=["nl", "en"], help="language for --dry-run")
    p.add_argument("--chart", metavar="FILE", help="also write the chart PNG to FILE")
    p.set_defaults(func=cmd_digest)


def cmd_digest(args: argparse.Namespace) -> int:
    from bot.cli import CliError
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
    from bot.cli import CliError
    from bot.clock import SystemClock
    from bot.domain.digest import digest_due
    from bot.i18n import translator
    from bot.scheduler import load_digest, render_for, run_digest, week_is_over
    from bot.services import Services
    from bot.storage.db import create_engine

    services = Services(
        settings=settings, engine=create_engine(settings.database_url), clock=SystemClock()
    )
    try:
        if week is None:
            week, _due = digest_due(
                services.now(), settings.tz, settings.digest_weekday, settings.digest_time
            )
        if args.dry_run:
            data = await load_digest(services, week)
            rendered = await render_for(data, translator(args.lang), chart=bool(args.chart))
            for i, chunk in enumerate(rendered.chunks, 1):
                if len(rendered.chunks) > 1:
                    print(f"----- {i}/{len(rendered.chunks)} -----")
                print(chunk)
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
            report = await run_digest(services, bot, week=week)
        print(
            f"Digest {report.period}: sent {report.sent}, already delivered or busy "
            f"{report.skipped}, blocked {report.blocked}, failed {report.failed}."
        )
        return 0 if report.failed == 0 else 1
    finally:
        await services.engine.dispose()
