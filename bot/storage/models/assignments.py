"""Deelopdrachten with their measures and reporting moments, key figures and follow-ups."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from bot.storage.models.base import PerDeelopdracht, PerMunicipality, created, ts


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
