"""The shape of /inloopbeheer: which steps each action takes, and what the current step shows
(loaded once per update, after the step is recorded, so rendering reads no database)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.dialogue import Turn, View
from bot.domain.walkin import SessionRule
from bot.domain.walkin_input import upcoming_dates
from bot.handlers.shared import StepLoader, load_step
from bot.storage import walkin as repo
from bot.storage.models import Municipality, WalkInException, WalkInSession

FLOW = "inloopbeheer"
PREFIX = "b"
SKIP_CHOICES = 6  # dates offered when cancelling one
SKIP_HORIZON_DAYS = 120

# What each undo action takes away: a cancelled date or an extra date.
UNDO_KIND = {"unskip": "cancelled", "unextra": "extra"}

# The states of the dialogue for each action, in order. "<field>": the state of the field
# chosen to change; "<own place>": place and address when an extra date is at another place.
SEQUENCES: dict[str, tuple[str, ...]] = {
    "new": ("menu", "muni", "place", "address", "weekday", "times", "confirm"),
    "edit": ("menu", "muni", "session", "field", "<field>", "confirm"),
    "stop": ("menu", "muni", "session", "date", "confirm"),
    "skip": ("menu", "muni", "session", "date", "confirm"),
    "extra": ("menu", "muni", "session", "<own place>", "date", "times", "confirm"),
    "unskip": ("menu", "muni", "exc", "confirm"),
    "unextra": ("menu", "muni", "exc", "confirm"),
    "imp": ("menu", "import", "confirm"),
}
_PLACEHOLDERS: dict[str, Callable[[dict[str, Any]], list[str]]] = {
    "<field>": lambda data: [data.get("field", "place")],
    "<own place>": lambda data: ["place", "address"] if data.get("other") else [],
}


def steps(data: dict[str, Any]) -> list[str]:
    """The states of the dialogue for its action, in order."""
    sequence = SEQUENCES.get(data.get("action") or "", ("menu", "muni"))
    out: list[str] = []
    for state in sequence:
        out += _PLACEHOLDERS[state](data) if state in _PLACEHOLDERS else [state]
    return out


def next_state(data: dict[str, Any], state: str) -> str:
    seq = steps(data)
    i = seq.index(state) if state in seq else 0
    return seq[min(i + 1, len(seq) - 1)]


@dataclass(kw_only=True)
class AdminView(View):
    today: date
    municipalities: list[Municipality] = field(default_factory=list)
    sessions: list[tuple[WalkInSession, str]] = field(default_factory=list)  # the muni's active
    # The muni's cancelled or extra dates (by the undo action) from today on, with sessions.
    coming: list[tuple[WalkInException, WalkInSession | None]] = field(default_factory=list)
    rule: SessionRule | None = None  # the chosen session's rule (cancelling a date)
    dates: list[date] = field(default_factory=list)  # its next dates
    session: WalkInSession | None = None  # the chosen session (summary)

    @property
    def data(self) -> dict[str, Any]:
        return self.draft.data


async def coming(turn: Turn[AdminView]) -> list[tuple[WalkInException, WalkInSession | None]]:
    data = turn.draft.data
    sessions = await repo.sessions_in(turn.s, data["muni_id"], include_inactive=True)
    exceptions = await repo.exceptions_from(turn.s, data["muni_id"], turn.today())
    by_id = {row.id: row for row, _n in sessions}
    kind = UNDO_KIND[data["action"]]
    return [
        (exc, by_id.get(exc.session_id) if exc.session_id else None)
        for exc in exceptions
        if exc.kind == kind
    ]


async def rule_of(turn: Turn[AdminView], session_id: int) -> SessionRule | None:
    row = await repo.get_session(turn.s, session_id)
    return repo.session_rule(row, "") if row is not None else None


async def _municipalities(turn: Turn[AdminView], view: AdminView) -> None:
    view.municipalities = await repo.municipalities(turn.s)


async def _sessions(turn: Turn[AdminView], view: AdminView) -> None:
    view.sessions = await repo.sessions_in(turn.s, view.data["muni_id"])


async def _coming(turn: Turn[AdminView], view: AdminView) -> None:
    view.coming = await coming(turn)


async def _dates(turn: Turn[AdminView], view: AdminView) -> None:
    if view.data["action"] != "skip":
        return
    view.rule = await rule_of(turn, view.data["session_id"])
    if view.rule is not None:
        view.dates = upcoming_dates(
            view.rule, view.today, count=SKIP_CHOICES, horizon_days=SKIP_HORIZON_DAYS
        )


async def _summary(turn: Turn[AdminView], view: AdminView) -> None:
    data = view.data
    if data.get("action") in UNDO_KIND:
        view.coming = await coming(turn)
    elif data.get("session_id"):
        view.session = await repo.get_session(turn.s, data["session_id"])


# What each step needs from the database (the others need nothing).
LOADERS: dict[str, StepLoader[AdminView]] = {
    "muni": _municipalities,
    "session": _sessions,
    "exc": _coming,
    "date": _dates,
    "confirm": _summary,
}


async def load(turn: Turn[AdminView]) -> AdminView:
    view = AdminView(context=turn.context, draft=turn.draft, prefix=PREFIX, today=turn.today())
    return await load_step(turn, view, LOADERS)
