"""The reference lists (vocabularies): stable codes, changeable labels, parser aliases."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


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
