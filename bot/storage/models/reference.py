"""Reference data: places (municipalities, villages, vindplekken), the vocabularies, and the
people (experts and coordinators, invites, registration attempts)."""

from __future__ import annotations

import enum
from datetime import date, datetime, time

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from bot.storage.models.base import PerMunicipality, created, ts
from bot.storage.types import UTCDateTime, utcnow

# --------------------------------------------------------------------------- places


class Municipality(SQLModel, table=True):
    __tablename__ = "municipality"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=64, unique=True)
    name: str = Field(max_length=100, unique=True)
    # MGR verdeelsleutel in percent; the fair share of the pool's hours.
    mgr_key_pct: float = Field(default=0.0)
    active: bool = Field(default=True)


class Village(PerMunicipality, table=True):
    """A kern: residents name villages more often than municipalities."""

    __tablename__ = "village"
    __table_args__ = (sa.UniqueConstraint("municipality_id", "name"),)

    name: str = Field(max_length=100)


class Vindplek(PerMunicipality, table=True):
    """A place where experts meet residents (buurthuis, inloop, straat, ...)."""

    __tablename__ = "vindplek"
    __table_args__ = (sa.UniqueConstraint("municipality_id", "name"),)

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


class Role(enum.StrEnum):
    expert = "expert"
    coordinator = "coordinator"


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
