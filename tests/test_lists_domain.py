"""The list file and alias parsing (bot.domain.lists): unit and property tests."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.domain import lists as dl

words = st.text(alphabet=st.characters(categories=("L", "N", "Zs")), min_size=1, max_size=20)
labels = words.filter(lambda w: w.strip() != "")


def test_aliases_are_split_trimmed_lowered_and_deduplicated():
    assert dl.split_aliases("Huisbezoek, keukentafel; thuis\nHUISBEZOEK,,") == (
        "huisbezoek",
        "keukentafel",
        "thuis",
    )


@given(st.lists(words, max_size=8))
def test_split_aliases_is_idempotent(parts):
    once = dl.split_aliases(", ".join(parts))
    assert dl.split_aliases(dl.join_aliases(once)) == once


@given(st.lists(labels, min_size=1, max_size=12))
def test_new_codes_are_unique_ascii_and_short(names):
    taken: set[str] = set()
    for name in names:
        code = dl.new_code(name, taken)
        assert code not in taken and code.isascii() and len(code) <= dl.MAX_CODE
        taken.add(code)


@given(
    st.lists(
        st.tuples(labels, st.lists(words, max_size=4), st.booleans()),
        min_size=1,
        max_size=6,
        unique_by=lambda t: t[0].strip().lower(),
    )
)
def test_export_then_parse_gives_the_same_items(items):
    vocab = {
        "themes": [
            dl.VocabLine(f"c{n}", label.strip(), dl.split_aliases(";".join(al)), active, 0)
            for n, (label, al, active) in enumerate(items)
        ]
    }
    doc = dl.parse(dl.dump(vocab, [dl.PlaceLine("Venlo", "De Kolk", None, False, 0)]))
    got = [(i.code, i.label, i.aliases, i.active) for i in doc.vocab["themes"]]
    assert got == [(i.code, i.label, i.aliases, i.active) for i in vocab["themes"]]
    assert [(p.municipality, p.name, p.active) for p in doc.places] == [("Venlo", "De Kolk", False)]
    assert doc.vocab["activity_types"] == []
