"""One label per button kind: `bot.i18n_tools.label_problems` flags another wording of a shared
button label (`bot.dialogue.labels`), and the views built on those labels use none."""

from __future__ import annotations

from babel.messages.extract import extract_from_file

from bot.dialogue import labels
from bot.i18n_tools import KEYWORDS, ROOT, label_problems

# The dialogues that take their button labels from bot.dialogue.labels.
ALIGNED = (
    "bot/handlers/hours.py",
    "bot/handlers/signals.py",
    "bot/handlers/stories.py",
    "bot/handlers/verhalen.py",
    "bot/handlers/fields.py",
    "bot/handlers/corrections/__init__.py",
    "bot/handlers/corrections/view.py",
    "bot/handlers/corrections/choices.py",
)


def _msgids(path: str) -> list[str]:
    found = extract_from_file("python", str(ROOT / path), keywords=KEYWORDS)
    return [m for _line, m, _comments, _ctx in found if isinstance(m, str)]


def test_a_rewording_of_a_shared_label_is_flagged():
    problems = label_problems(["Opslaan", "Bewaar", "« Terug", "← Terug", "Stoppen", "Overleg"])
    assert problems == [
        "'Bewaar': use 'Opslaan' (bot.dialogue.labels)",
        "'← Terug': use '« Terug' (bot.dialogue.labels)",
    ]
    assert label_problems(list(labels.VARIANTS)) == []


def test_every_variant_names_one_label():
    seen: dict[str, str] = {}
    for label, variants in labels.VARIANTS.items():
        for variant in variants:
            assert variant != label and variant not in labels.VARIANTS
            assert seen.setdefault(variant, label) == label


def test_aligned_views_use_the_shared_labels_only():
    ids = [i for path in ALIGNED for i in _msgids(path)]
    assert ids and label_problems(ids) == []
    # They name the shared labels, never the words themselves.
    for label in (labels.SAVE, labels.BACK, labels.STOP, labels.DONE):
        assert label not in ids
