"""What a resident's message is about besides times (`bot.domain.resident_talk`)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.data import municipalities, outside_places
from bot.domain.places import resolve_municipality
from bot.domain.resident_talk import find_outside_place, topic_of
from tests.support import table


@pytest.mark.parametrize(("text", "topic"), table("resident_talk.yaml", "topic"))
def test_topic(text: str, topic: str | None) -> None:
    assert topic_of(text) == topic


@pytest.mark.parametrize(
    ("text", "place", "municipality"), table("resident_talk.yaml", "outside_places")
)
def test_outside_places(text: str, place: str, municipality: str) -> None:
    ref = find_outside_place(text)
    assert ref is not None and (ref.name, ref.municipality) == (place, municipality)


@pytest.mark.parametrize(
    "text", ["I was born here", "langs de beek", "een grave fout", "inloop venlo", "hallo"]
)
def test_everyday_words_are_no_outside_place(text: str) -> None:
    assert find_outside_place(text) is None


def test_the_outside_list_never_names_a_region_place() -> None:
    region = {m.name for m in municipalities()}
    refs = outside_places()
    assert len(refs) > 150 and "Maastricht" in {r.name for r in refs}
    limburg = {r.municipality for r in refs if r.area == "Limburg"}
    assert len(limburg) == 17 and not limburg & region  # 31 Limburg municipalities - 14
    for ref in refs:
        assert resolve_municipality(ref.name) is None, ref.name


@given(st.text(max_size=80))
def test_never_raises(text: str) -> None:
    topic_of(text)
    find_outside_place(text)
