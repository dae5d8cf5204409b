"""The whole domain as SQLModel tables.

Conventions:
- Timestamps (`*_at`) are UTC and timezone-aware (see `UTCDateTime`); `work_date` and similar
  `date` columns are calendar dates in the bot's local time zone (Europe/Amsterdam).
- Reference lists carry stable `code`s; labels may change, codes never do.
- Rows that reports rely on are soft-deleted (`deleted_at`), never removed.
- Anything an expert submits carries a unique `submission_key`, so a double tap, a re-delivered
  update or a retry can never create a second row.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, time
from functools import cache
from typing import Any, Protocol

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from bot.storage.types import UTCDateTime, utcnow


@cache
def table_of(model: type[SQLModel]) -> sa.Table:
    """The Core table of a table model, typed (SQLModel does not declare `__table__` for type
    checkers). For Core statements, which skip the ORM's per-statement work."""
    table = sa.inspect(model).local_table
    assert isinstance(table, sa.Table), model
    return table


class _HasId(Protocol):
    id: int | None


def id_of(row: _HasId) -> int:
    """The primary key of a row that is in the database (loaded, or added and flushed)."""
    if row.id is None:
        raise ValueError(f"{type(row).__name__} has no id yet: flush it first")
    return row.id


def ts(nullable: bool = True, index: bool = False) -> Any:
    return Field(default=None, sa_type=UTCDateTime, nullable=nullable, index=index)


def created() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class Role(enum.StrEnum):
    expert = "expert"
    coordinator = "coordinator"


# --------------------------------------------------------------------------- places


class Municipality(SQLModel, table=True):
    __tablename__ = "municipality"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=64, unique=True)
    name: str = Field(max_length=100, unique=True)
    # MGR verdeelsleutel in percent; the fair share of the pool's hours.
    mgr_key_pct: float = Field(default=0.0)
    active: bool = Field(default=True)


class Village(SQLModel, table=True):
    """A kern: residents name villages more often than municipalities."""

    __tablename__ = "village"
    __table_args__ = (sa.UniqueConstraint("municipality_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    municipality_id: int = Field(foreign_key="municipality.id", index=True)
    name: str = Field(max_length=100)


class Vindplek(SQLModel, table=True):
    """A place where experts meet residents (buurthuis, inloop, straat, ...)."""

    __tablename__ = "vindplek"
    __table_args__ = (sa.UniqueConstraint("municipality_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    municipality_id: int = Field(foreign_key="municipality.id", index=True)
    name: str = Field(max_length=120)
    address: str | None = Field(default=None, max_length=200)
    active: bool = Field(default=True)
    created_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = created()


# --------------------------------------------------------------------------- vocabularies


class _Vocab(SQLModel):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=64, unique=True)
    label: str = Field(max_length=120)
    # Extra words the text parsers accept, separated by ';'.
    aliases: str = Field(default="", max_length=500)
    sort_order: int = Field(default=0)
    active: bool = Field(default=True)


class Theme(_Vocab, table=True):
    __tablename__ = "theme"


class ActivityType(_Vocab, table=True):
    __tablename__ = "activity_type"


class IndirectKind(_Vocab, table=True):
    __tablename__ = "indirect_kind"


class ReachChannel(_Vocab, table=True):
    __tablename__ = "reach_channel"


class ReferralTarget(_Vocab, table=True):
    __tablename__ = "referral_target"


class NonUseReason(_Vocab, table=True):
    __tablename__ = "non_use_reason"


class SignalKind(_Vocab, table=True):
    __tablename__ = "signal_kind"


VOCAB_TABLES: dict[str, type[_Vocab]] = {
    "themes": Theme,
    "activity_types": ActivityType,
    "indirect_kinds": IndirectKind,
    "reach_channels": ReachChannel,
    "referral_targets": ReferralTarget,
    "non_use_reasons": NonUseReason,
    "signal_kinds": SignalKind,
}


# --------------------------------------------------------------------------- people


class User(SQLModel, table=True):
    """An expert or a coordinator. Residents are never stored."""

    __tablename__ = "app_user"

    id: int | None = Field(default=None, primary_key=True)
    telegram_user_id: int = Field(sa_type=sa.BigInteger, unique=True)
    chat_id: int = Field(sa_type=sa.BigInteger)
    role: str = Field(max_length=20)  # Role
    display_name: str = Field(default="", max_length=120)
    home_municipality_id: int | None = Field(default=None, foreign_key="municipality.id")
    language: str = Field(default="nl", max_length=8)
    # ISO weekdays as digits ("12345" = Monday..Friday); empty means no reminders.
    reminder_days: str = Field(default="12345", max_length=7)
    reminder_time: time = Field(default=time(16, 30))
    reminders_enabled: bool = Field(default=True)
    pause_until: date | None = Field(default=None)
    active: bool = Field(default=True)
    # A coordinator who also works as an expert: logs, gets reminders and counts as one.
    also_expert: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    blocked_bot: bool = Field(default=False)
    blocked_at: datetime | None = ts()
    created_at: datetime = created()
    deleted_at: datetime | None = ts()


class Invite(SQLModel, table=True):
    """A single-use registration code; only its SHA-256 is stored."""

    __tablename__ = "invite"

    id: int | None = Field(default=None, primary_key=True)
    code_hash: str = Field(max_length=64, unique=True)
    role: str = Field(max_length=20)
    municipality_id: int | None = Field(default=None, foreign_key="municipality.id")
    created_at: datetime = created()
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    used_at: datetime | None = ts()
    used_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    revoked_at: datetime | None = ts()
    created_by_id: int | None = Field(default=None, foreign_key="app_user.id")


class RegistrationAttempt(SQLModel, table=True):
    """Failed code attempts, for throttling guessing; pruned after a day.

    Keyed by a keyed hash of the Telegram id, never the id itself: whoever types a wrong code
    is not registered, so nothing may identify them."""

    __tablename__ = "registration_attempt"

    id: int | None = Field(default=None, primary_key=True)
    subject_key: str = Field(max_length=64, index=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False, index=True)


# --------------------------------------------------------------------------- assignments


class Deelopdracht(SQLModel, table=True):
    """A municipality's sub-assignment: its own goals, monitoring, frequency and accounting."""

    __tablename__ = "deelopdracht"

    id: int | None = Field(default=None, primary_key=True)
    municipality_id: int = Field(foreign_key="municipality.id", index=True)
    code: str = Field(max_length=64, unique=True)
    title: str = Field(max_length=200)
    goals: str = Field(default="")
    monitoring: str = Field(default="")
    frequency: str = Field(default="", max_length=120)
    accounting: str = Field(default="")
    starts_on: date | None = None
    ends_on: date | None = None
    active: bool = Field(default=True)
    # Weeks after a contact with new residents before its expert is asked, once, how many of
    # them went on to use a service (doorstroom).
    followup_weeks: int = Field(default=6, sa_column_kwargs={"server_default": "6"})
    created_at: datetime | None = ts()
    updated_at: datetime | None = ts()


class MeasureKind(enum.StrEnum):
    """What a deelopdracht measure counts (see `bot.domain.measures`)."""

    new_residents = "new_residents"
    residents = "residents"
    contacts = "contacts"
    hours = "hours"
    referrals = "referrals"  # contacts referred, optionally to given targets (filter)
    key_figures = "key_figures"  # key figures with good contact
    non_use_known = "non_use_known"  # percent of new residents whose reasons are known
    went_on = "went_on"  # percent of followed-up new residents who went on to use services


class DeelopdrachtMeasure(SQLModel, table=True):
    """One structured, measurable goal of a deelopdracht.

    `filter` holds vocabulary codes and vindplek ids: {"activity": [...], "reach": [...],
    "theme": [...], "vindplek": [ids], "referral": [...]}; an absent or empty key filters
    nothing. `window_months` None: the whole period; N: within N months of the start."""

    __tablename__ = "deelopdracht_measure"
    __table_args__ = (sa.CheckConstraint("target >= 0", name="ck_measure_target"),)

    id: int | None = Field(default=None, primary_key=True)
    deelopdracht_id: int = Field(foreign_key="deelopdracht.id", index=True)
    position: int = Field(default=0)
    kind: str = Field(max_length=32)
    label: str = Field(default="", max_length=200)
    target: float
    window_months: int | None = None
    filter: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    deleted_at: datetime | None = ts()


class DeelopdrachtMoment(SQLModel, table=True):
    """A reporting moment; the coordinator is reminded 14 days before, once (`reminded_at`)."""

    __tablename__ = "deelopdracht_moment"
    __table_args__ = (sa.UniqueConstraint("deelopdracht_id", "on_date", name="uq_deel_moment"),)

    id: int | None = Field(default=None, primary_key=True)
    deelopdracht_id: int = Field(foreign_key="deelopdracht.id", index=True)
    on_date: date
    reminded_at: datetime | None = ts()


class KeyFigureQuality(enum.StrEnum):
    good = "goed"
    occasional = "af_en_toe"


class KeyFigure(SQLModel, table=True):
    """A sleutelfiguur: a role at a place, never a name ("kapper", "huisarts")."""

    __tablename__ = "key_figure"

    id: int | None = Field(default=None, primary_key=True)
    submission_key: str = Field(max_length=64, unique=True)
    expert_id: int = Field(foreign_key="app_user.id", index=True)
    municipality_id: int = Field(foreign_key="municipality.id", index=True)
    village_id: int | None = Field(default=None, foreign_key="village.id")
    vindplek_id: int | None = Field(default=None, foreign_key="vindplek.id")
    deelopdracht_id: int | None = Field(default=None, foreign_key="deelopdracht.id", index=True)
    role: str = Field(max_length=80)
    since: date
    quality: str = Field(default=KeyFigureQuality.good, max_length=16)
    ended_on: date | None = None
    created_at: datetime = created()
    updated_at: datetime | None = ts()
    deleted_at: datetime | None = ts()


class ContactFollowup(SQLModel, table=True):
    """Doorstroom: asked once, `due_on` after a contact with new residents under a deelopdracht;
    how many of them went on to use a service (and of which kind). Counts only, never who.
    Answered "weet ik niet": `answered_at` set, `went_on` None."""

    __tablename__ = "contact_followup"
    __table_args__ = (
        sa.CheckConstraint("went_on IS NULL OR went_on >= 0", name="ck_followup_went_on"),
        sa.Index("ix_followup_due", "due_on", "answered_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id", unique=True)
    expert_id: int = Field(foreign_key="app_user.id", index=True)
    due_on: date
    asked_at: datetime | None = ts()
    answered_at: datetime | None = ts()
    went_on: int | None = None
    service_kind_id: int | None = Field(default=None, foreign_key="referral_target.id")


# --------------------------------------------------------------------------- logging work


class Contact(SQLModel, table=True):
    """Time spent with one or more residents. Anonymous by construction."""

    __tablename__ = "contact"
    __table_args__ = (
        sa.CheckConstraint("duration_minutes > 0 AND duration_minutes <= 1440", name="ck_dur"),
        sa.CheckConstraint("residents_count >= 0", name="ck_res"),
        sa.CheckConstraint(
            "residents_new >= 0 AND residents_new <= residents_count", name="ck_new"
        ),
        sa.Index("ix_contact_date_muni", "work_date", "municipality_id"),
        sa.Index("ix_contact_expert_date", "expert_id", "work_date"),
        # The report (migration report_1): one municipality's contacts; the pool's minutes per
        # municipality from the index alone (live rows only).
        sa.Index("ix_contact_muni_date", "municipality_id", "work_date"),
        # Partial (live rows only): its WHERE is added for the database that creates it, see
        # `_live_rows_only` below.
        sa.Index("ix_contact_live_minutes", "work_date", "municipality_id", "duration_minutes"),
    )

    id: int | None = Field(default=None, primary_key=True)
    submission_key: str = Field(max_length=64, unique=True)
    expert_id: int = Field(foreign_key="app_user.id")
    work_date: date
    duration_minutes: int
    municipality_id: int = Field(foreign_key="municipality.id")
    # The kern the expert named ("Tegelen" in Venlo); None: only the municipality is known.
    village_id: int | None = Field(default=None, foreign_key="village.id")
    vindplek_id: int | None = Field(default=None, foreign_key="vindplek.id")
    activity_type_id: int = Field(foreign_key="activity_type.id")
    residents_count: int = Field(default=1)
    residents_new: int = Field(default=0)
    reach_channel_id: int | None = Field(default=None, foreign_key="reach_channel.id")
    # The first referral; every referral (also this one) is in contact_referral.
    referral_target_id: int | None = Field(default=None, foreign_key="referral_target.id")
    # The first reason for non-use; every reason is in contact_non_use. `non_use_known`: None
    # not asked, True reasons given, False the expert answered "weet ik niet".
    non_use_reason_id: int | None = Field(default=None, foreign_key="non_use_reason.id")
    non_use_known: bool | None = None
    deelopdracht_id: int | None = Field(default=None, foreign_key="deelopdracht.id", index=True)
    # Next to, instead of, before (prevention) or after professional care: see CareRelation.
    care_relation: str | None = Field(default=None, max_length=16)
    created_at: datetime = created()
    updated_at: datetime | None = ts()
    deleted_at: datetime | None = ts()


# The condition of the partial index ix_contact_live_minutes. SQLAlchemy checks a dialect's
# keyword arguments (`sqlite_where=`, `postgresql_where=`) by importing that dialect, so naming
# both on the index imported PostgreSQL's dialect in every SQLite process (≈ 2.5 MB) and
# SQLite's in every PostgreSQL one. The migrations (0005_report_indexes) create the index with
# its WHERE; for `metadata.create_all` it is added here, for the database at hand only (its
# dialect is loaded anyway), through the writable `Index.dialect_kwargs`.
LIVE_ROWS = "deleted_at IS NULL"
PARTIAL_INDEX_DIALECTS = ("sqlite", "postgresql")


def _live_rows_only(table: sa.Table, connection: sa.Connection, **_kw: Any) -> None:
    dialect = connection.dialect.name
    if dialect not in PARTIAL_INDEX_DIALECTS:
        return
    for index in table.indexes:
        if index.name == "ix_contact_live_minutes":
            index.dialect_kwargs[f"{dialect}_where"] = sa.text(LIVE_ROWS)


sa.event.listen(table_of(Contact), "before_create", _live_rows_only)


class ContactTheme(SQLModel, table=True):
    __tablename__ = "contact_theme"

    contact_id: int = Field(foreign_key="contact.id", primary_key=True)
    theme_id: int = Field(foreign_key="theme.id", primary_key=True, index=True)


class ContactReferral(SQLModel, table=True):
    """Every referral of a contact (several allowed); the first is also on the contact."""

    __tablename__ = "contact_referral"

    contact_id: int = Field(foreign_key="contact.id", primary_key=True)
    referral_target_id: int = Field(foreign_key="referral_target.id", primary_key=True, index=True)


class ContactNonUse(SQLModel, table=True):
    """Every reason for non-use (drempel) of a contact's new residents."""

    __tablename__ = "contact_non_use"

    contact_id: int = Field(foreign_key="contact.id", primary_key=True)
    non_use_reason_id: int = Field(foreign_key="non_use_reason.id", primary_key=True, index=True)


class CareRelation(enum.StrEnum):
    """How a contact relates to professional care (the funders' "expensive care avoided")."""

    next_to = "naast"
    instead_of = "in_plaats_van"
    prevention = "voorkoming"
    aftercare = "nazorg"


class IndirectHours(SQLModel, table=True):
    """Hours without a resident (overleg, scholing, reistijd ...); municipality None = regional."""

    __tablename__ = "indirect_hours"
    __table_args__ = (
        sa.CheckConstraint("duration_minutes > 0 AND duration_minutes <= 1440", name="ck_ind_dur"),
        sa.Index("ix_indirect_expert_date", "expert_id", "work_date"),
        sa.Index("ix_indirect_date", "work_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    submission_key: str = Field(max_length=64, unique=True)
    expert_id: int = Field(foreign_key="app_user.id")
    work_date: date
    duration_minutes: int
    kind_id: int = Field(foreign_key="indirect_kind.id")
    municipality_id: int | None = Field(default=None, foreign_key="municipality.id")
    created_at: datetime = created()
    updated_at: datetime | None = ts()
    deleted_at: datetime | None = ts()


class Signal(SQLModel, table=True):
    """A trend, missing service (gemist aanbod), bottleneck or opportunity."""

    __tablename__ = "signal"
    __table_args__ = (sa.Index("ix_signal_date", "work_date"),)

    id: int | None = Field(default=None, primary_key=True)
    submission_key: str = Field(max_length=64, unique=True)
    expert_id: int = Field(foreign_key="app_user.id")
    work_date: date
    kind_id: int = Field(foreign_key="signal_kind.id")
    municipality_id: int | None = Field(default=None, foreign_key="municipality.id")
    theme_id: int | None = Field(default=None, foreign_key="theme.id")
    text: str = Field(max_length=2000)
    created_at: datetime = created()
    updated_at: datetime | None = ts()
    deleted_at: datetime | None = ts()


class Story(SQLModel, table=True):
    """An anonymous story of added value (meerwaarde), report item c."""

    __tablename__ = "story"
    __table_args__ = (sa.Index("ix_story_date", "work_date"),)

    id: int | None = Field(default=None, primary_key=True)
    submission_key: str = Field(max_length=64, unique=True)
    expert_id: int = Field(foreign_key="app_user.id")
    work_date: date
    municipality_id: int | None = Field(default=None, foreign_key="municipality.id")
    theme_id: int | None = Field(default=None, foreign_key="theme.id")
    contact_id: int | None = Field(default=None, foreign_key="contact.id")
    deelopdracht_id: int | None = Field(default=None, foreign_key="deelopdracht.id")
    text: str = Field(max_length=2000)
    created_at: datetime = created()
    updated_at: datetime | None = ts()
    deleted_at: datetime | None = ts()


class DayOff(SQLModel, table=True):
    """An expert said "Niets te melden" for a day: no reminder, counted as answered."""

    __tablename__ = "day_off"
    __table_args__ = (sa.UniqueConstraint("expert_id", "work_date"),)

    id: int | None = Field(default=None, primary_key=True)
    expert_id: int = Field(foreign_key="app_user.id")
    work_date: date
    created_at: datetime = created()


# --------------------------------------------------------------------------- walk-in


class WalkInSession(SQLModel, table=True):
    """A weekly recurring inloop or spreekuur at a named place."""

    __tablename__ = "walkin_session"
    __table_args__ = (
        sa.UniqueConstraint(
            "municipality_id",
            "place",
            "weekday",
            "start_time",
            "end_time",
            "valid_from",
            name="uq_walkin_natural",
        ),
        sa.CheckConstraint("weekday >= 0 AND weekday <= 6", name="ck_weekday"),
    )

    id: int | None = Field(default=None, primary_key=True)
    municipality_id: int = Field(foreign_key="municipality.id", index=True)
    kind: str = Field(default="inloop", max_length=20)  # inloop | spreekuur
    place: str = Field(max_length=120)
    address: str = Field(default="", max_length=200)
    weekday: int  # 0 = Monday
    start_time: time
    end_time: time
    valid_from: date | None = None
    valid_until: date | None = None
    open_on_holidays: bool = Field(default=False)
    note: str | None = Field(default=None, max_length=300)
    active: bool = Field(default=True)
    created_at: datetime = created()
    updated_at: datetime | None = ts()


class WalkInException(SQLModel, table=True):
    """A cancelled date of a session, or an extra date (with its own time and place)."""

    __tablename__ = "walkin_exception"
    __table_args__ = (sa.Index("ix_walkin_exc_date", "on_date"),)

    id: int | None = Field(default=None, primary_key=True)
    session_id: int | None = Field(default=None, foreign_key="walkin_session.id")
    on_date: date
    kind: str = Field(max_length=20)  # cancelled | extra
    municipality_id: int | None = Field(default=None, foreign_key="municipality.id")
    place: str | None = Field(default=None, max_length=120)
    address: str | None = Field(default=None, max_length=200)
    start_time: time | None = None
    end_time: time | None = None
    note: str | None = Field(default=None, max_length=300)
    created_at: datetime = created()


# --------------------------------------------------------------------------- runtime state


class ConversationDraft(SQLModel, table=True):
    """A dialogue in progress. Lives in the database so a restart resumes it."""

    __tablename__ = "conversation_draft"
    __table_args__ = (sa.UniqueConstraint("user_id", "flow", name="uq_draft_user_flow"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    flow: str = Field(max_length=32)  # contact, uren, signaal, ...
    state: str = Field(max_length=64)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # Bumped on every change; buttons carry it so an old button is recognised.
    revision: int = Field(default=0)
    # Becomes the entry's submission_key when saved: the idempotency key.
    submission_key: str = Field(max_length=64, unique=True)
    message_id: int | None = Field(default=None, sa_type=sa.BigInteger)
    created_at: datetime = created()
    updated_at: datetime = created()
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False)


class ProcessedUpdate(SQLModel, table=True):
    """Update ids already handled, so a re-delivered update is not acted on twice."""

    __tablename__ = "processed_update"

    update_id: int = Field(sa_column=Column(sa.BigInteger, primary_key=True, autoincrement=False))
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False, index=True)


class ReminderDelivery(SQLModel, table=True):
    """One row per expert per local day: what was sent, snoozes, the answer."""

    __tablename__ = "reminder_delivery"
    __table_args__ = (sa.UniqueConstraint("user_id", "local_date", name="uq_reminder_day"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id")
    local_date: date
    status: str = Field(max_length=20)  # claimed | sent | snoozed | answered | failed | blocked
    due_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    snooze_count: int = Field(default=0)
    sent_at: datetime | None = ts()
    claimed_at: datetime | None = ts()
    message_id: int | None = Field(default=None, sa_type=sa.BigInteger)


class DigestDelivery(SQLModel, table=True):
    """Exactly-once delivery of a periodic report to one recipient."""

    __tablename__ = "digest_delivery"
    __table_args__ = (sa.UniqueConstraint("recipient_id", "kind", "period", name="uq_digest_once"),)

    id: int | None = Field(default=None, primary_key=True)
    recipient_id: int = Field(foreign_key="app_user.id")
    kind: str = Field(default="weekly", max_length=20)
    period: str = Field(max_length=16)  # e.g. 2026-W47
    status: str = Field(max_length=20)  # claimed | sent | failed | blocked
    claimed_at: datetime = created()
    sent_at: datetime | None = ts()
    attempts: int = Field(default=0)
    owner: str | None = Field(default=None, max_length=64)  # which process claimed it


class AuditLog(SQLModel, table=True):
    """Who changed or deleted what, with before and after."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    actor_id: int | None = Field(default=None, foreign_key="app_user.id")
    at: datetime = created()
    entity: str = Field(max_length=40)
    entity_id: int
    action: str = Field(max_length=20)  # create | edit | delete | restore
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


class ListVersion(SQLModel, table=True):
    """One row, bumped by every change of a list (vocabularies, vindplekken): a process that
    caches lists compares it, so a change shows at once, also in another process."""

    __tablename__ = "list_version"

    id: int = Field(default=1, primary_key=True)
    version: int = Field(default=0)


# --------------------------------------------------------------------------- fair-share ledger


class LedgerYear(SQLModel, table=True):
    """The pool's budget for one calendar year: hours, or euros with an hourly rate."""

    __tablename__ = "ledger_year"

    year: int = Field(sa_column=Column(sa.Integer, primary_key=True, autoincrement=False))
    budget_hours: float | None = None
    budget_euros: float | None = None
    hourly_rate: float | None = None
    # Hours without a municipality (regional) spread over the municipalities by the key.
    spread_regional: bool = Field(default=False)
    updated_at: datetime = created()


class MgrKey(SQLModel, table=True):
    """A municipality's MGR key (percent) from a date on; the latest on or before a day holds."""

    __tablename__ = "mgr_key"
    __table_args__ = (sa.UniqueConstraint("municipality_id", "valid_from", name="uq_mgr_key"),)

    id: int | None = Field(default=None, primary_key=True)
    municipality_id: int = Field(foreign_key="municipality.id", index=True)
    valid_from: date
    pct: float


class ShareDeviation(SQLModel, table=True):
    """An agreed deviation from the key: extra (or, negative, fewer) hours over a period."""

    __tablename__ = "share_deviation"

    id: int | None = Field(default=None, primary_key=True)
    municipality_id: int = Field(foreign_key="municipality.id", index=True)
    starts_on: date
    ends_on: date
    hours: float
    reason: str = Field(default="", max_length=300)
    created_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = created()
    deleted_at: datetime | None = ts()


# --------------------------------------------------------------------------- half-yearly report


class ReportStorySelection(SQLModel, table=True):
    """A story the coordinator marked for one municipality's report of one period.

    `period_key` is `Period.key` ("2026-H1", "2026-Q3", "2026", "2026-01-01..2026-03-31"): the
    report of that exact period shows the story. One story may go into several municipalities'
    reports (one row each)."""

    __tablename__ = "report_story_selection"
    __table_args__ = (
        sa.UniqueConstraint("story_id", "municipality_id", "period_key", name="uq_story_selection"),
        sa.Index("ix_story_selection_period", "period_key", "municipality_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    story_id: int = Field(foreign_key="story.id")
    municipality_id: int = Field(foreign_key="municipality.id")
    period_key: str = Field(max_length=32)
    selected_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    selected_at: datetime = created()


class ReportNarrative(SQLModel, table=True):
    """The coordinator's paragraph on the added value (item c) for one municipality and period;
    municipality None = the regional report. One per (municipality, period): a unique key on a
    NULL column lets NULLs repeat, so it is on `scope_id` (the municipality id, 0 = region),
    which only `bot.storage.report_content` writes."""

    __tablename__ = "report_narrative"
    __table_args__ = (
        sa.UniqueConstraint("scope_id", "period_key", name="uq_report_narrative_scope"),
    )

    id: int | None = Field(default=None, primary_key=True)
    municipality_id: int | None = Field(default=None, foreign_key="municipality.id")
    scope_id: int = Field(default=0)
    period_key: str = Field(max_length=32)
    text: str = Field(max_length=4000)
    author_id: int | None = Field(default=None, foreign_key="app_user.id")
    updated_at: datetime = created()
