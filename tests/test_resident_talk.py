"""What a resident's message is about besides times (`bot.domain.resident_talk`)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.data import municipalities, outside_places
from bot.domain.places import resolve_municipality
from bot.domain.resident_talk import find_outside_place, topic_of


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("stop", "stop"),
        ("Stop!", "stop"),
        ("stoppen", "stop"),
        ("laat maar", "stop"),
        ("bedankt!", "thanks"),
        ("dank je wel", "thanks"),
        ("Top, bedankt, tot morgen!", "thanks"),
        ("thanks!", "thanks"),
        ("wat is een inloop?", "about_inloop"),
        ("Wat betekent inloop", "about_inloop"),
        ("moet ik een afspraak maken?", "about_inloop"),
        ("kost het geld?", "about_inloop"),
        ("what is a walk-in?", "about_inloop"),
        ("wat is een spreekuur", "about_spreekuur"),
        ("wat is een ervaringsdeskundige?", "about_expert"),
        ("ervaringsdeskundigen, wat doen die", "about_expert"),
        ("what is a peer expert", "about_expert"),
        ("wie zijn jullie", "about_us"),
        ("Wie ben jij?", "about_us"),
        ("wat is dit?", "about_us"),
        ("who are you?", "about_us"),
        ("ik heb schulden, kan iemand helpen?", "help"),
        ("ik voel me zo eenzaam", "help"),
        ("Ik kan mijn huur niet betalen", "help"),
        ("ik wil stoppen met drinken", "help"),
        ("I have debts, can someone help me?", "help"),
        ("hallo", None),
        ("inloop venlo morgen", None),
        ("", None),
    ],
)
def test_topic(text: str, topic: str | None) -> None:
    assert topic_of(text) == topic


@pytest.mark.parametrize(
    ("text", "place", "municipality"),
    [
        ("Maastricht", "Maastricht", "Maastricht"),
        ("inloop maastricht morgen", "Maastricht", "Maastricht"),
        ("ik woon in Geleen", "Geleen", "Sittard-Geleen"),
        ("inloop in Born", "Born", "Sittard-Geleen"),
        ("den bosch", "Den Bosch", "'s-Hertogenbosch"),
        ("Aken", "Aken", "Aachen"),
        ("wanneer in Mönchengladbach", "Mönchengladbach", "Mönchengladbach"),
        ("Mook", "Mook", "Mook en Middelaar"),
    ],
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
