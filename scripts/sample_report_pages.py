"""Render the README's sample report pages from the demo's seeded data.

    uv run python scripts/sample_report_pages.py docs/img

Seeds a temporary SQLite database as `python -m bot demo` does, builds the report of the
current quarter for Venlo (which has the demo deelopdracht) and writes its last page (item e,
the deelopdracht's measures) as PNG."""

from __future__ import annotations

import asyncio
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.demo import seed_demo_data
from bot.domain.periods import parse_period
from bot.i18n import translator
from bot.report import make_report
from bot.report.pdf import render_png_pages
from bot.storage.db import create_engine, session_factory
from bot.storage.migrate import migrate


async def last_page() -> bytes:
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/sample.db"
        await migrate(url)
        engine = create_engine(url)
        try:
            await seed_demo_data(engine, now)
            period = parse_period(f"{now.year}-Q{(now.month - 1) // 3 + 1}")
            async with session_factory(engine)() as s:
                chosen, _data, report = await make_report(
                    s,
                    period=period,
                    municipality_codes=["venlo"],
                    internal=False,
                    now=now,
                    tz=ZoneInfo("Europe/Amsterdam"),
                    threshold=5,
                )
        finally:
            await engine.dispose()
    assert chosen is not None
    return render_png_pages(report, translator("nl"), chosen[0][0], ppi=80)[-1]


def main(out: Path) -> None:
    png = asyncio.run(last_page())
    out.mkdir(parents=True, exist_ok=True)
    path = out / "rapport-venlo-deelopdracht-voorbeeld.png"
    path.write_bytes(png)
    print(path, len(png) // 1024, "KiB")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/img"))
