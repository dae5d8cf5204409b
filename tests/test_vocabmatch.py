"""The one vocabulary matcher (bot.domain.vocabmatch): seeded aliases, typos, lists; and the
same matcher behind every command and typed answer, reading the aliases from the database
(so a coordinator's edit is understood once the cache is invalidated)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import select

from bot.data import vocabulary
from bot.domain.indirect import match_kind
from bot.domain.vocabmatch import forms, match_term, match_terms
from bot.storage import vocab as vocab_cache
from bot.storage.models import IndirectHours, IndirectKind, Story, Theme
from tests.support import table

V = vocabulary()


def code(kind: str, text: str) -> str | None:
    hit = match_term(text, V[kind])
    return hit.code if hit is not None else None


ALIASES = [
    (kind, text, expected)
    for kind in ("activity_types", "themes", "indirect_kinds")
    for text, expected in table("vocabmatch.yaml", kind)
]


@pytest.mark.parametrize(("kind", "text", "expected"), ALIASES)
def test_aliases(kind: str, text: str, expected: str | None) -> None:
    assert code(kind, text) == expected


def test_lists_and_leftovers() -> None:
    found, unknown = match_terms("armoede, eenzaamheid", V["themes"])
    assert [f.code for f in found] == ["armoede", "eenzaamheid"]
    assert unknown == []
    found, unknown = match_terms("schuldn eenzaam en rouw", V["themes"])
    assert [f.code for f in found] == ["schulden", "eenzaamheid", "rouw"]
    found, unknown = match_terms("armoede, fietsen", V["themes"])
    assert [f.code for f in found] == ["armoede"] and unknown == ["fietsen"]


def test_every_seeded_alias_names_its_own_entry() -> None:
    """No seeded alias is taken by another entry of the same list (it would never match)."""
    for kind, entries in V.items():
        for entry in entries:
            for alias in entry.aliases:
                hit = match_term(alias, entries)
                assert hit is not None and hit.code == entry.code, (kind, alias, hit)


@given(st.text(max_size=40))
def test_match_never_raises_and_hits_are_entries(text: str) -> None:
    hit = match_term(text, V["themes"])
    assert hit is None or hit in V["themes"]
    found, _unknown = match_terms(text, V["themes"])
    assert all(f in V["themes"] for f in found)


@given(st.sampled_from([e for kind in V.values() for e in kind]))
def test_every_form_matches_its_entry_exactly(entry) -> None:
    kind = next(k for k, es in V.items() if entry in es)
    for form in forms(entry):
        hit = match_term(form, V[kind])
        assert hit is not None
        # Some label parts are shared ("werk"); the entry itself or an earlier one wins.
        assert V[kind].index(hit) <= V[kind].index(entry)


class _Kind:
    def __init__(self, id_: int, code_: str, label: str, aliases: tuple[str, ...]) -> None:
        self.id, self.code, self.label, self.aliases = id_, code_, label, aliases


def test_match_kind_uses_the_same_matcher() -> None:
    kinds = [_Kind(1, "overleg", "overleg", ("vergadering",)), _Kind(2, "scholing", "scholing", ())]
    assert match_kind("overlg", kinds) == 1
    assert match_kind("Vergaderingen", kinds) == 1
    assert match_kind("schooling", kinds) == 2
    assert match_kind("koffie", kinds) is None


# --------------------------------------------------------------------------- through the bot


async def _all(bot, model):
    async with bot.services.sessions() as s:
        return list((await s.exec(select(model).order_by(model.id))).all())


async def test_typos_and_aliases_in_every_command(bot):
    anna = await bot.expert(first_name="Anna", gemeente="Venlo")
    replies = await anna.says("/uren 2 ur overlg")
    assert "Opgeslagen: 2 uur overleg, Venlo" in replies.only.text
    # The story's theme step takes a typed theme like the contact dialogue does.
    await anna.says("/verhaal")
    await anna.press("Venlo")
    await anna.says("eenzaamheid")
    await anna.says("Een man die niemand sprak komt nu elke week naar de inloop.")
    await anna.press("Opslaan")
    rows = await _all(bot, Story)
    async with bot.services.sessions() as s:
        theme = await s.get(Theme, rows[0].theme_id)
    assert theme is not None and theme.code == "eenzaamheid"


async def _edit_overleg(bot, **values):
    async with bot.services.sessions() as s:
        kind = (await s.exec(select(IndirectKind).where(IndirectKind.code == "overleg"))).one()
        before = {k: getattr(kind, k) for k in values}
        for k, v in values.items():
            setattr(kind, k, v)
        s.add(kind)
        await s.commit()
        vocab_cache.invalidate(s)
    return before


async def test_a_coordinators_alias_is_understood_after_invalidate(bot):
    anna = await bot.expert(first_name="Anna", gemeente="Venlo")
    replies = await anna.says("/uren 1 uur sparren Venlo")
    assert "sparren" in replies.only.text and not await _all(bot, IndirectHours)
    # Reference rows outlive a test on PostgreSQL: put them back afterwards.
    original = await _edit_overleg(bot, aliases="overleg;vergadering;sparren")
    try:
        replies = await anna.says("/uren 1 uur sparren Venlo")
        assert "Opgeslagen: 1 uur overleg, Venlo" in replies.only.text
        # An entry the coordinator switched off is no longer offered nor matched.
        await _edit_overleg(bot, active=False)
        replies = await anna.says("/uren 1 uur overleg Venlo")
        assert "Dit begreep ik niet: overleg" in replies.only.text
    finally:
        await _edit_overleg(bot, active=True, **original)


# --------------------------------------------------------------------------- wording


def test_i18n_check_flags_a_count_before_a_plural_noun(monkeypatch) -> None:
    from babel.messages.catalog import Catalog

    from bot import i18n_tools

    catalog = Catalog()
    catalog.add("Je hebt {n} contacten.")
    catalog.add(("{n} contact", "{n} contacten"))
    catalog.add("Maximaal {max} tekens.")  # a limit, never 1
    catalog.add("Vandaag 2 contacten")  # no placeholder
    monkeypatch.setattr(i18n_tools, "extract", lambda: catalog)
    assert i18n_tools.plural_problems() == ["Je hebt {n} contacten."]
    # The real sources have none.
    monkeypatch.undo()
    assert i18n_tools.plural_problems() == []


def test_counts_and_durations_read_right_for_one() -> None:
    from bot.handlers.contact.view import fmt_minutes
    from bot.i18n import translator

    t = translator("nl")
    assert (t.days(1), t.days(14), t.chars(1), t.chars(2000)) == (
        "1 dag",
        "14 dagen",
        "1 teken",
        "2.000 tekens",
    )
    # One duration form, exact: no "2,2 uur" for 2 h 15.
    assert [fmt_minutes(t, m) for m in (45, 60, 75, 90, 135)] == [
        "45 min",
        "1 uur",
        "1 uur 15 min",
        "1,5 uur",
        "2 uur 15 min",
    ]
