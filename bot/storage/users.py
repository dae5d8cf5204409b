"""Users, invites and registration throttling."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import bindparam, delete, func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.invites import hash_code, new_code
from bot.storage.models import Invite, Municipality, RegistrationAttempt, Role, User

# Throttling: this many failed codes within the window locks out further tries.
MAX_FAILED_ATTEMPTS = 5
ATTEMPT_WINDOW = timedelta(minutes=15)


# The live user of a Telegram id (the gatekeeper's statement in `updates` uses it too): built
# once, each call only binds the id.
BY_TELEGRAM_ID_WHERE = (
    col(User.telegram_user_id) == bindparam("tg_id"),
    col(User.deleted_at).is_(None),
)
_BY_TELEGRAM_ID = select(User).where(*BY_TELEGRAM_ID_WHERE)


async def get_by_telegram_id(s: AsyncSession, telegram_user_id: int) -> User | None:
    return (await s.exec(_BY_TELEGRAM_ID, params={"tg_id": telegram_user_id})).first()


async def get_user(s: AsyncSession, user_id: int) -> User | None:
    return await s.get(User, user_id)


async def municipality_by_name(s: AsyncSession, name: str) -> Municipality | None:
    return (
        await s.exec(select(Municipality).where(func.lower(Municipality.name) == name.lower()))
    ).first()


async def create_invite(
    s: AsyncSession,
    role: Role,
    now: datetime,
    valid_days: int,
    municipality_id: int | None = None,
    created_by_id: int | None = None,
) -> tuple[str, Invite]:
    """Returns the plain code (shown once, never stored) and the stored invite."""
    code = new_code()
    invite = Invite(
        code_hash=hash_code(code),
        role=role.value,
        municipality_id=municipality_id,
        created_by_id=created_by_id,
        created_at=now,
        expires_at=now + timedelta(days=valid_days),
    )
    s.add(invite)
    await s.flush()
    return code, invite


@dataclass(frozen=True)
class RedeemResult:
    ok: bool
    reason: str = ""  # throttled | invalid | expired | used | revoked | already_registered
    user: User | None = None


def attempt_key(telegram_user_id: int, secret: str) -> str:
    """HMAC of the Telegram id: lets us count one person's wrong codes without storing who."""
    return hmac.new(secret.encode(), str(telegram_user_id).encode(), hashlib.sha256).hexdigest()


async def failed_attempts(s: AsyncSession, subject_key: str, now: datetime) -> int:
    return (
        await s.exec(
            select(func.count())
            .select_from(RegistrationAttempt)
            .where(
                RegistrationAttempt.subject_key == subject_key,
                RegistrationAttempt.at > now - ATTEMPT_WINDOW,
            )
        )
    ).one()


@dataclass(frozen=True)
class NewUserDefaults:
    """Settings a newly registered user starts with."""

    reminder_days: str = "12345"
    reminder_time: time = time(16, 30)


async def redeem_invite(
    s: AsyncSession,
    code: str,
    *,
    telegram_user_id: int,
    chat_id: int,
    display_name: str,
    language: str,
    now: datetime,
    secret: str,
    defaults: NewUserDefaults | None = None,
) -> RedeemResult:
    """Register a user with a single-use code. The update of `used_at` is conditional, so two
    concurrent redemptions of one code cannot both succeed. `secret` keys the hash under which
    failed attempts are counted."""
    defaults = defaults or NewUserDefaults()
    if await get_by_telegram_id(s, telegram_user_id) is not None:
        return RedeemResult(False, "already_registered")
    subject = attempt_key(telegram_user_id, secret)
    if await failed_attempts(s, subject, now) >= MAX_FAILED_ATTEMPTS:
        return RedeemResult(False, "throttled")
    invite = (await s.exec(select(Invite).where(Invite.code_hash == hash_code(code)))).first()
    reason = ""
    if invite is None:
        reason = "invalid"
    elif invite.used_at is not None:
        reason = "used"
    elif invite.revoked_at is not None:
        reason = "revoked"
    elif invite.expires_at <= now:
        reason = "expired"
    if reason:
        s.add(RegistrationAttempt(subject_key=subject, at=now))
        return RedeemResult(False, reason)
    assert invite is not None
    claimed = await s.exec(
        update(Invite)
        .where(
            col(Invite.id) == invite.id,
            col(Invite.used_at).is_(None),
            col(Invite.revoked_at).is_(None),
        )
        .values(used_at=now)
    )
    if claimed.rowcount != 1:
        return RedeemResult(False, "used")
    user = User(
        telegram_user_id=telegram_user_id,
        chat_id=chat_id,
        role=invite.role,
        display_name=display_name[:120],
        home_municipality_id=invite.municipality_id,
        language=language,
        reminder_days=defaults.reminder_days,
        reminder_time=defaults.reminder_time,
        created_at=now,
    )
    try:
        # A savepoint: a clash with an existing (e.g. erased) row must not undo the caller's work.
        async with s.begin_nested():
            s.add(user)
    except IntegrityError:
        return RedeemResult(False, "already_registered")
    await s.exec(update(Invite).where(col(Invite.id) == invite.id).values(used_by_id=user.id))
    await s.exec(delete(RegistrationAttempt).where(col(RegistrationAttempt.subject_key) == subject))
    return RedeemResult(True, user=user)


async def active_users(s: AsyncSession, role: Role | None = None) -> list[User]:
    q = select(User).where(User.active, col(User.deleted_at).is_(None))
    if role is not None:
        q = q.where(User.role == role.value)
    return list((await s.exec(q.order_by(col(User.id)))).all())


async def mark_blocked(s: AsyncSession, user_id: int, now: datetime, blocked: bool = True) -> None:
    await s.exec(
        update(User)
        .where(col(User.id) == user_id)
        .values(blocked_bot=blocked, blocked_at=now if blocked else None)
    )


_REMINDER_FIELDS = frozenset({"reminders_enabled", "reminder_days", "reminder_time", "pause_until"})


async def set_reminder_settings(s: AsyncSession, user_id: int, **values: object) -> User:
    """Change a user's reminder settings (`reminders_enabled`, `reminder_days`,
    `reminder_time`, `pause_until`) and return the row as it is now."""
    unknown = set(values) - _REMINDER_FIELDS
    if unknown:
        raise ValueError(f"not a reminder setting: {sorted(unknown)}")
    user = await s.get(User, user_id)
    if user is None:
        raise LookupError(f"no user {user_id}")
    for name, value in values.items():
        setattr(user, name, value)
    s.add(user)
    return user
