"""ISO weeks ("2026-W47") and when a week's digest is due."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True, order=True)
class IsoWeek:
    year: int
    week: int

    @classmethod
    def parse(cls, text: str) -> IsoWeek:
        """'2026-W47' (also '2026W47', '2026-w47'); ValueError otherwise."""
        m = re.fullmatch(r"\s*(\d{4})-?[Ww](\d{1,2})\s*", text)
        if not m:
            raise ValueError(f"not an ISO week: {text!r}")
        year, week = int(m.group(1)), int(m.group(2))
        date.fromisocalendar(year, week, 1)  # raises ValueError for week 53 in a 52-week year
        return cls(year, week)

    @classmethod
    def of(cls, d: date) -> IsoWeek:
        iso = d.isocalendar()
        return cls(iso.year, iso.week)

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    def shift(self, weeks: int) -> IsoWeek:
        return IsoWeek.of(self.monday + timedelta(weeks=weeks))

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"


def digest_due(now: datetime, tz: ZoneInfo, weekday: int, at: time) -> tuple[IsoWeek, datetime]:
    """The week whose digest is due at `now`, and the moment it became due (UTC).

    The digest for week N is due on ISO `weekday` of week N+1 at local time `at`. The answer is
    the most recent such moment at or before `now`, so a bot that was down at that moment
    catches up as soon as it runs again.
    """
    local = now.astimezone(tz)
    this_week = IsoWeek.of(local.date())
    moment_day = this_week.monday + timedelta(days=weekday - 1)
    moment = datetime.combine(moment_day, at.replace(tzinfo=None), tzinfo=tz)
    if moment.astimezone(UTC) > now:  # compare instants, not wall clocks
        moment = datetime.combine(
            moment_day - timedelta(weeks=1), at.replace(tzinfo=None), tzinfo=tz
        )
    return IsoWeek.of(moment.date()).shift(-1), moment.astimezone(UTC)
