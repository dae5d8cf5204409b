"""Walk-in sessions (inloop / spreekuur): load schedules as domain objects, manage, import.

Reads (here) return `bot.domain.walkin` rules and exceptions, so handlers never see rows when
they answer residents. Writes live beside it and are re-exported from here, the module callers
import: the weekly sessions and their CSV import in `bot.storage.walkin_sessions`, cancelled
and extra dates in `bot.storage.walkin_dates`. Writes by coordinators leave an `AuditLog` row
(who changed what). Stopping a session is soft (`active = False` or a `valid_until`): nothing
is deleted.
"""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy import and_, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.walkin import ScheduleException, SessionRule
from bot.storage.models import Municipality, WalkInException, WalkInSession, id_of
from bot.storage.walkin_dates import (
    EXCEPTION,
    add_extra_date,
    cancel_date,
    get_exception,
    remove_exception,
)
from bot.storage.walkin_sessions import (
    COLUMN_OF,
    EDITABLE,
    PREFERRED_FIRST,
    SESSION,
    ImportSummary,
    NaturalKey,
    NewSession,
    SessionClash,
    SessionDetails,
    add_or_restore_session,
    add_session,
    import_rows,
    is_live,
    natural_key,
    same_sessions,
    stop_session,
    update_session,
)

__all__ = [
    "EDITABLE",
    "EXCEPTION",
    "PREFERRED_FIRST",
    "SESSION",
    "ImportSummary",
    "NaturalKey",
    "NewSession",
    "SessionClash",
    "SessionDetails",
    "add_extra_date",
    "add_or_restore_session",
    "add_session",
    "cancel_date",
    "exceptions_from",
    "get_exception",
    "get_session",
    "import_rows",
    "is_live",
    "load_schedule",
    "municipalities",
    "municipality_by_code",
    "municipality_by_id",
    "municipality_by_name",
    "natural_key",
    "remove_exception",
    "same_sessions",
    "session_rule",
    "sessions_in",
    "stop_session",
    "update_session",
]

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------- municipalities


async def municipalities(s: AsyncSession) -> list[Municipality]:
    """Active municipalities, alphabetically (the resident's buttons)."""
    q = select(Municipality).where(Municipality.active).order_by(Municipality.name)
    return list((await s.exec(q)).all())


async def municipality_by_code(s: AsyncSession, code: str) -> Municipality | None:
    return (await s.exec(select(Municipality).where(Municipality.code == code))).first()


async def municipality_by_name(s: AsyncSession, name: str) -> Municipality | None:
    return (await s.exec(select(Municipality).where(Municipality.name == name))).first()


async def municipality_by_id(s: AsyncSession, municipality_id: int) -> Municipality | None:
    return await s.get(Municipality, municipality_id)


# --------------------------------------------------------------------------- reading


def session_rule(row: WalkInSession, municipality: str) -> SessionRule | None:
    fields = {name: getattr(row, column) for name, column in COLUMN_OF.items()}
    fields["kind"] = "spreekuur" if row.kind == "spreekuur" else "inloop"
    try:
        return SessionRule(id=id_of(row), municipality=municipality, **fields)
    except ValueError:
        # Only rows written around the checks below can get here; skip, never crash an answer.
        log.warning("skipping invalid walk-in session %s", row.id)
        return None


def _exception(
    row: WalkInException,
    session: WalkInSession | None,
    session_muni: str | None,
    own_muni: str | None,
    active_ids: set[int],
) -> ScheduleException | None:
    municipality = own_muni or session_muni
    try:
        if row.kind == "cancelled":
            return ScheduleException(
                date=row.on_date,
                kind="cancelled",
                session_id=row.session_id,
                municipality=municipality,
            )
        if row.session_id is not None and row.session_id in active_ids:
            # The rule is loaded too: the domain fills in what the extra leaves empty.
            return ScheduleException(
                date=row.on_date,
                kind="extra",
                session_id=row.session_id,
                municipality=municipality,
                place=row.place,
                address=row.address,
                start=row.start_time,
                end=row.end_time,
                note=row.note,
            )
        # A stand-alone extra, or one whose session has since stopped: it still takes place.
        return ScheduleException(
            date=row.on_date,
            kind="extra",
            municipality=municipality,
            place=row.place or (session.place if session else None),
            address=row.address or (session.address if session else None),
            start=row.start_time or (session.start_time if session else None),
            end=row.end_time or (session.end_time if session else None),
            note=row.note,
            session_kind="spreekuur" if session and session.kind == "spreekuur" else None,
        )
    except ValueError:
        log.warning("skipping invalid walk-in exception %s", row.id)
        return None


async def load_schedule(
    s: AsyncSession, municipality: str | None = None, *, since: date | None = None
) -> tuple[list[SessionRule], list[ScheduleException]]:
    """Active rules and the exceptions that apply to them, for one municipality (canonical
    name) or all. `since` skips exceptions on earlier dates (they cannot matter any more)."""
    muni_id: int | None = None
    names = {m.id: m.name for m in (await s.exec(select(Municipality))).all()}
    if municipality is not None:
        muni_id = next((i for i, n in names.items() if n == municipality), None)
        if muni_id is None:
            return [], []

    q = select(WalkInSession).where(WalkInSession.active)
    if muni_id is not None:
        q = q.where(WalkInSession.municipality_id == muni_id)
    rules: list[SessionRule] = []
    for row in (await s.exec(q)).all():
        rule = session_rule(row, names[row.municipality_id])
        if rule is not None:
            rules.append(rule)
    active_ids = {r.id for r in rules}

    eq = select(WalkInException, WalkInSession).join(
        WalkInSession,
        col(WalkInException.session_id) == col(WalkInSession.id),
        isouter=True,
    )
    if since is not None:
        eq = eq.where(WalkInException.on_date >= since)
    if muni_id is not None:
        eq = eq.where(
            or_(
                col(WalkInException.municipality_id) == muni_id,
                col(WalkInSession.municipality_id) == muni_id,
                and_(
                    col(WalkInException.session_id).is_(None),
                    col(WalkInException.municipality_id).is_(None),
                ),
            )
        )
    exceptions: list[ScheduleException] = []
    for exc_row, sess in (await s.exec(eq)).all():
        exc = _exception(
            exc_row,
            sess,
            names.get(sess.municipality_id) if sess is not None else None,
            names.get(exc_row.municipality_id) if exc_row.municipality_id else None,
            active_ids,
        )
        if exc is not None:
            exceptions.append(exc)
    return rules, exceptions


async def get_session(s: AsyncSession, session_id: int) -> WalkInSession | None:
    return await s.get(WalkInSession, session_id)


async def sessions_in(
    s: AsyncSession, municipality_id: int | None = None, *, include_inactive: bool = False
) -> list[tuple[WalkInSession, str]]:
    """Session rows with their municipality name, by municipality, weekday and time."""
    q = select(WalkInSession, Municipality.name).join(
        Municipality,
        col(WalkInSession.municipality_id) == col(Municipality.id),
    )
    if municipality_id is not None:
        q = q.where(WalkInSession.municipality_id == municipality_id)
    if not include_inactive:
        q = q.where(WalkInSession.active)
    q = q.order_by(
        col(Municipality.name),
        col(WalkInSession.weekday),
        col(WalkInSession.start_time),
        col(WalkInSession.place),
        col(WalkInSession.id),
    )
    return [(row, name) for row, name in (await s.exec(q)).all()]


async def exceptions_from(
    s: AsyncSession, municipality_id: int, since: date
) -> list[WalkInException]:
    """Cancelled and extra dates from `since` on in one municipality (for the overview)."""
    q = (
        select(WalkInException)
        .join(
            WalkInSession,
            col(WalkInException.session_id) == col(WalkInSession.id),
            isouter=True,
        )
        .where(
            WalkInException.on_date >= since,
            or_(
                col(WalkInException.municipality_id) == municipality_id,
                col(WalkInSession.municipality_id) == municipality_id,
            ),
        )
        .order_by(col(WalkInException.on_date), col(WalkInException.id))
    )
    return list((await s.exec(q)).all())
