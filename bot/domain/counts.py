"""Contact figures of one group (a municipality, theme, month, activity, ...): pure arithmetic.

The weekly digest and the half-yearly report count the same way (see
`bot.storage.report_queries`): contacts = logged contacts; residents = the sum of their
`residents_count` (a group of 8 counts 8; a resident seen twice counts twice); new = the sum of
`residents_new`; known = residents − new; minutes = the contacts' minutes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Counts"]


@dataclass
class Counts:
    """Contact figures of one group (municipality, theme, month, ...)."""

    minutes: int = 0
    contacts: int = 0
    residents: int = 0
    new: int = 0

    @classmethod
    def of(cls, minutes: Any, n: Any, residents: Any, new: Any) -> Counts:
        """From the sums of a GROUP BY (a sum over no rows is NULL)."""
        return cls(int(minutes or 0), int(n or 0), int(residents or 0), int(new or 0))

    def add(self, other: Counts) -> None:
        self.minutes += other.minutes
        self.contacts += other.contacts
        self.residents += other.residents
        self.new += other.new

    @property
    def known(self) -> int:
        return self.residents - self.new
