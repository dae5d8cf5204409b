"""'Overzicht per gemeente': the sessions and coming exceptions of one municipality. It ends
the dialogue; a long overview goes out in several messages.

The dialogue kit shows one message per step; the rest of a long overview is queued here and
sent right after it by the wrappers around the kit's handlers (`with_follow_ups`)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from contextvars import ContextVar
from datetime import date
from typing import Any

from telegram import Update

from bot.context import BotContext
from bot.dialogue import Outcome, Turn
from bot.domain.digest import split_html
from bot.handlers.common import reply
from bot.handlers.walkin_admin.texts import exception_line, session_text
from bot.handlers.walkin_admin.view import AdminView
from bot.i18n import Translator
from bot.storage import walkin as repo
from bot.storage.models import WalkInException, WalkInSession
from bot.text import esc

_follow_ups: ContextVar[list[str] | None] = ContextVar("walkin_admin_follow_ups", default=None)

Handler = Callable[..., Coroutine[Any, Any, None]]


def with_follow_ups(handler: Handler) -> Handler:
    """`handler`, then the messages it queued (in order, after its own)."""

    async def run(update: Update, context: BotContext, *args: Any) -> None:
        token = _follow_ups.set([])
        try:
            await handler(update, context, *args)
            for text in _follow_ups.get() or []:
                await reply(update, context, text)
        finally:
            _follow_ups.reset(token)

    return run


def _ended(row: WalkInSession, today: date) -> bool:
    return row.valid_until is not None and row.valid_until < today


def overview_text(
    t: Translator,
    muni_name: str,
    sessions: list[tuple[WalkInSession, str]],
    exceptions: list[WalkInException],
    today: date,
) -> str:
    _ = t._
    by_id = {row.id: row for row, _n in sessions}
    lines = ["<b>" + _("Inloop en spreekuur in {muni}").format(muni=esc(muni_name)) + "</b>"]
    active = [row for row, _n in sessions if row.active and not _ended(row, today)]
    stopped = [row for row, _n in sessions if not row.active or _ended(row, today)]
    if not active:
        lines += ["", _("Er staat nu niets gepland.")]
    for row in active:
        line = session_text(t, row) + "\n" + esc(row.address)
        if row.kind == "spreekuur":
            line += " · " + _("spreekuur")
        if row.valid_until:
            line += " · " + _("tot en met {date}").format(date=t.fmt_short_date(row.valid_until))
        if row.open_on_holidays:
            line += " · " + _("ook op feestdagen")
        lines += ["", line]
    if exceptions:
        lines += ["", "<b>" + _("Afwijkende datums") + "</b>"]
        for exc in exceptions:
            base = by_id.get(exc.session_id) if exc.session_id else None
            lines.append(exception_line(t, exc, base))
    if stopped:
        lines += ["", _("Gestopt, niet meer zichtbaar: {n}").format(n=len(stopped))]
    lines += ["", _("Iets wijzigen? Typ /inloopbeheer.")]
    return "\n".join(lines)


async def overview(
    turn: Turn[AdminView], muni_id: int, muni_name: str, sessions: list[tuple[WalkInSession, str]]
) -> Outcome:
    """The overview of the municipality with `sessions` (stopped ones too); it ends the
    dialogue (it changes nothing)."""
    today = turn.today()
    exceptions = await repo.exceptions_from(turn.s, muni_id, today)
    # Cut between lines (never inside a tag or an entity, which Telegram would refuse).
    first, *rest = split_html(overview_text(turn.t, muni_name, sessions, exceptions, today))
    pending = _follow_ups.get()
    assert pending is not None, "run inside with_follow_ups"
    pending.extend(rest)
    return await turn.end(first)
