"""What the work consists of: deelopdrachten (measures, moments, key figures, follow-ups), the
logged work (contacts, indirect hours, signals, stories, days off) and walk-in hours."""

from __future__ import annotations

import enum
from datetime import date, datetime, time
from typing import Any

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from bot.storage.models.base import PerDeelopdracht, PerMunicipality, created, table_of, ts

# --------------------------------------------------------------------------- assignments


class Deelopdracht(PerMunicipality, table=True):
    """A municipality's sub-assignment: its own goals, monitoring, frequency and accounting."""

    __tablename__ = "deelopdracht"

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


class DeelopdrachtMeasure(PerDeelopdracht, table=True):
    """One structured, measurable goal of a deelopdracht.

    `filter` holds vocabulary codes and vindplek ids: {"activity": [...], "reach": [...],
    "theme": [...], "vindplek": [ids], "referral": [...]}; an absent or empty key filters
    nothing. `window_months` None: the whole period; N: within N months of the start."""

    __tablename__ = "deelopdracht_measure"
    __table_args__ = (sa.CheckConstraint("target >= 0", name="ck_measure_target"),)

    position: int = Field(default=0)
    kind: str = Field(max_length=32)
    label: str = Field(default="", max_length=200)
    target: float
    window_months: int | None = None
    filter: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    deleted_at: datetime | None = ts()


class DeelopdrachtMoment(PerDeelopdracht, table=True):
    """A reporting moment; the coordinator is reminded 14 days before, once (`reminded_at`)."""

    __tablename__ = "deelopdracht_moment"
    __table_args__ = (sa.UniqueConstraint("deelopdracht_id", "on_date", name="uq_deel_moment"),)

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


# A day's work at the most: a contact or indirect hours last a minute up to 24 hours.
DURATION_CHECK = "duration_minutes > 0 AND duration_minutes <= 1440"


class _Entry(SQLModel):
    """The leading columns of what an expert logs: keyed by its submission, by one expert, on
    one day. (Each table still lists its time stamps last, so the columns keep their order.)"""

    id: int | None = Field(default=None, primary_key=True)
    submission_key: str = Field(max_length=64, unique=True)
    expert_id: int = Field(foreign_key="app_user.id")
    work_date: date


class Contact(_Entry, table=True):
    """Time spent with one or more residents. Anonymous by construction."""

    __tablename__ = "contact"
    __table_args__ = (
        sa.CheckConstraint(DURATION_CHECK, name="ck_dur"),
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


class IndirectHours(_Entry, table=True):
    """Hours without a resident (overleg, scholing, reistijd ...); municipality None = regional."""

    __tablename__ = "indirect_hours"
    __table_args__ = (
        sa.CheckConstraint(DURATION_CHECK, name="ck_ind_dur"),
        sa.Index("ix_indirect_expert_date", "expert_id", "work_date"),
        sa.Index("ix_indirect_date", "work_date"),
    )

    duration_minutes: int
    kind_id: int = Field(foreign_key="indirect_kind.id")
    municipality_id: int | None = Field(default=None, foreign_key="municipality.id")
    created_at: datetime = created()
    updated_at: datetime | None = ts()
    deleted_at: datetime | None = ts()


class Signal(_Entry, table=True):
    """A trend, missing service (gemist aanbod), bottleneck or opportunity."""

    __tablename__ = "signal"
    __table_args__ = (sa.Index("ix_signal_date", "work_date"),)

    kind_id: int = Field(foreign_key="signal_kind.id")
    municipality_id: int | None = Field(default=None, foreign_key="municipality.id")
    theme_id: int | None = Field(default=None, foreign_key="theme.id")
    text: str = Field(max_length=2000)
    created_at: datetime = created()
    updated_at: datetime | None = ts()
    deleted_at: datetime | None = ts()


class Story(_Entry, table=True):
    """An anonymous story of added value (meerwaarde), report item c."""

    __tablename__ = "story"
    __table_args__ = (sa.Index("ix_story_date", "work_date"),)

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


class WalkInSession(PerMunicipality, table=True):
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
