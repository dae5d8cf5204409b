"""The dialogue kit's pure parts (callback codec) and its storage parts (press states,
saving once) on a real database. The journeys themselves are end-to-end tests elsewhere."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func
from sqlmodel import select

from bot.dialogue import MAX_CALLBACK_BYTES, Callback, CallbackTooLong, Problem, encode, parse
from bot.dialogue.press import first_revision, load_press
from bot.storage import drafts
from bot.storage.db import session_factory, transaction
from bot.storage.idempotent import insert_once
from bot.storage.models import ConversationDraft, IndirectHours, IndirectKind, User

NOW = datetime(2026, 11, 17, 12, 0, tzinfo=UTC)
TTL = timedelta(hours=2)

# --------------------------------------------------------------------------- codec

_part = st.text(
    alphabet=st.characters(blacklist_characters=":", blacklist_categories=("Cs",)),
    min_size=1,
    max_size=8,
)
_prefix = st.from_regex(r"[a-z]{1,2}(:[a-z])?", fullmatch=True)
_number = st.integers(min_value=0, max_value=10**12)


@given(_prefix, _number, _number, _part, st.lists(_part, max_size=3))
def test_encode_then_parse_gives_the_button_back(prefix, draft_id, revision, action, args):
    try:
        data = encode(prefix, draft_id, revision, action, *args)
    except CallbackTooLong:
        assert len(":".join([prefix, str(draft_id), str(revision), action, *args]).encode()) > 64
        return
    assert len(data.encode("utf-8")) <= MAX_CALLBACK_BYTES
    assert parse(data, prefix) == Callback(prefix, draft_id, revision, action, tuple(args))


@given(st.text(max_size=80), _prefix)
def test_parse_never_raises_and_only_takes_its_own_prefix(data, prefix):
    callback = parse(data, prefix)
    if callback is not None:
        assert data.startswith(prefix + ":")
        assert callback.encode() == data


def test_the_parts_of_a_callback():
    cb = parse("u:12:345:e:date", "u")
    assert cb == Callback("u", 12, 345, "e", ("date",))
    assert cb.arg == "date" and cb.tail == "e:date"
    assert parse("c:0:0:new", "c").arg == ""
    assert parse("r:s:7:8:ok", "r:s") == Callback("r:s", 7, 8, "ok")


@pytest.mark.parametrize(
    "data",
    ["", "u", "u:", "u:1:2", "u:1:2:", "u:x:2:a", "u:1:-2:a", "u:²:2:a", "uu:1:2:a", "v:1:2:a"],
)
def test_malformed_callbacks_are_refused(data):
    assert parse(data, "u") is None


def test_encode_checks_the_64_byte_limit_in_bytes_not_characters():
    assert len(encode("c", 1, 2, "p", "x" * 56)) == 64
    with pytest.raises(CallbackTooLong):
        encode("c", 1, 2, "p", "x" * 57)
    assert len(encode("c", 1, 2, "p", "é" * 28).encode()) == 64
    with pytest.raises(CallbackTooLong):
        encode("c", 1, 2, "p", "é" * 29)  # 37 characters, 66 bytes


@pytest.mark.parametrize(
    "args", [("", 1, 2, "a"), ("c", 1, 2, ""), ("c", 1, 2, "a:b"), ("c", None, 2, "a")]
)
def test_encode_refuses_malformed_parts(args):
    with pytest.raises(ValueError):
        encode(*args)
    with pytest.raises(ValueError):
        encode("c", 1, 2, "a", "x:y")


def test_the_first_revision_comes_from_the_submission_key():
    assert first_revision("000000" + "f" * 26) == 1
    assert first_revision("ffffff" + "0" * 26) == 2**24
    assert first_revision("00000a") == 11


# --------------------------------------------------------------------------- press states


async def _user(s, telegram_id: int) -> int:
    user = User(telegram_user_id=telegram_id, chat_id=telegram_id, role="expert")
    s.add(user)
    await s.flush()
    assert user.id is not None
    return user.id


async def test_a_press_is_ok_stale_gone_saved_expired_or_unknown(engine):
    factory = session_factory(engine)
    async with transaction(factory) as s:
        anna, bert = await _user(s, 1), await _user(s, 2)
        draft = await drafts.start(s, anna, "uren", "kind", {}, NOW, TTL)
        draft_id, revision, key = draft.id, draft.revision, draft.submission_key

    async def press(data: str, user_id: int | None = anna, now: datetime = NOW):
        async with transaction(factory) as s:
            return await load_press(
                s,
                data,
                user_id=user_id,
                now=now,
                flow="uren",
                prefix="u",
                keyed={"save"},
                was_saved=saved,
            )

    saved_keys: set[str] = set()

    async def saved(_s, submission_key: str) -> bool:
        return submission_key in saved_keys

    ok = await press(f"u:{draft_id}:{revision}:k5")
    assert ok.problem is None and ok.draft.id == draft_id and ok.action == "k5"
    assert (await press(f"u:{draft_id}:{revision}:save:{key}")).problem is None
    assert (await press(f"u:{draft_id}:{revision + 1}:k5")).problem is Problem.STALE
    assert (await press(f"u:{draft_id}:{revision}:k5", user_id=bert)).problem is Problem.GONE
    assert (await press(f"u:{draft_id + 1}:1:k5")).problem is Problem.GONE
    assert (await press(f"s:{draft_id}:{revision}:k5")).problem is Problem.UNKNOWN
    assert (await press(f"u:{draft_id}:{revision}:k5", user_id=None)).problem is Problem.UNKNOWN
    # A save button of another draft (same id, e.g. reused by SQLite): gone, or saved.
    assert (await press(f"u:{draft_id}:{revision}:save:other")).problem is Problem.GONE
    saved_keys.add("other")
    assert (await press(f"u:{draft_id}:{revision}:save:other")).problem is Problem.SAVED
    assert (await press(f"u:{draft_id + 1}:1:save:other")).problem is Problem.SAVED
    # Expired: refused, and the draft is discarded.
    late = NOW + TTL
    assert (await press(f"u:{draft_id}:{revision}:k5", now=late)).problem is Problem.EXPIRED
    assert (await press(f"u:{draft_id}:{revision}:k5")).problem is Problem.GONE


# --------------------------------------------------------------------------- saving once


async def _hours(s, user_id: int, key: str) -> IndirectHours:
    kind = (await s.exec(select(IndirectKind))).first()
    row = IndirectHours(
        submission_key=key,
        expert_id=user_id,
        work_date=date(2026, 11, 17),
        duration_minutes=30,
        kind_id=kind.id,
        municipality_id=None,
        created_at=NOW,
    )
    s.add(row)
    await s.flush()
    return row


async def _find(s, key: str) -> IndirectHours | None:
    return (await s.exec(select(IndirectHours).where(IndirectHours.submission_key == key))).first()


async def _count(factory, model) -> int:
    async with factory() as s:
        return (await s.exec(select(func.count()).select_from(model))).one()


async def test_insert_once_creates_then_finds(engine):
    factory = session_factory(engine)
    async with transaction(factory) as s:
        anna = await _user(s, 1)
    for created in (True, False):
        async with transaction(factory) as s:
            saved = await insert_once(s, lambda: _find(s, "k"), lambda: _hours(s, anna, "k"))
        assert saved.created is created and saved.row.submission_key == "k"
    assert await _count(factory, IndirectHours) == 1


async def test_a_lost_race_returns_the_winner_and_keeps_the_callers_work(engine):
    factory = session_factory(engine)
    async with transaction(factory) as s:
        anna = await _user(s, 1)
        await _hours(s, anna, "k")  # the other update won
    async with transaction(factory) as s:
        draft = await drafts.start(s, anna, "uren", "summary", {}, NOW, TTL)
        looked: list[str] = []

        async def blind_first_time():
            looked.append("k")
            return None if len(looked) == 1 else await _find(s, "k")

        saved = await insert_once(s, blind_first_time, lambda: _hours(s, anna, "k"))
        assert not saved.created and len(looked) == 2
        await drafts.discard(s, draft)  # the unit of work goes on after the clash
    assert await _count(factory, IndirectHours) == 1
    assert await _count(factory, ConversationDraft) == 0


async def test_the_insert_rolls_back_with_the_unit_of_work(engine):
    """The savepoint is inside the update's transaction (also on SQLite, where Python's
    sqlite3 would otherwise make the savepoint the outermost transaction and commit it)."""
    factory = session_factory(engine)
    async with transaction(factory) as s:
        anna = await _user(s, 1)
    with pytest.raises(RuntimeError):
        async with transaction(factory) as s:
            await insert_once(s, lambda: _find(s, "k"), lambda: _hours(s, anna, "k"))
            raise RuntimeError("the reply could not be prepared")
    assert await _count(factory, IndirectHours) == 0


_PREFIXES = st.sampled_from(["c", "u", "r:s", "deel:m", "x"])
_ACTIONS = st.text("abcdefghij_", min_size=1, max_size=6)
_ARGS = st.lists(st.text("abc0123456789-", max_size=5), max_size=3)


@given(_PREFIXES, st.integers(0, 10**12), st.integers(0, 10**6), _ACTIONS, _ARGS)
def test_draft_id_of_reads_the_draft_of_every_encoded_button(
    prefix, draft_id, revision, action, args
):
    from bot.dialogue.codec import draft_id_of

    try:
        data = encode(prefix, draft_id, revision, action, *args)
    except CallbackTooLong:
        return
    assert draft_id_of(data) == draft_id == parse(data, prefix).draft_id


def test_draft_id_of_is_none_for_buttons_without_a_draft():
    from bot.dialogue.codec import draft_id_of

    for data in ("menu", "menu:open", "r:12", "x:12:", "x:a:1:b", "x:1:b:c", ""):
        assert draft_id_of(data) is None, data
