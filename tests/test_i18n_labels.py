"""One label per button kind: `bot.i18n_tools.label_problems` flags another wording of a shared
button label (`bot.dialogue.labels`), `python -m bot.i18n_tools check` (CI) fails on one, and
every view takes those labels from `bot.dialogue.labels`."""

from __future__ import annotations

import re

from babel.messages.extract import extract_from_file

from bot import i18n_tools
from bot.dialogue import labels
from bot.i18n_tools import KEYWORDS, ROOT, label_problems

HANDLERS = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "bot" / "handlers").rglob("*.py"))
# A shared label glued to something else ("✅ " + _("Opslaan")) is another wording too.
_SHARED = "|".join(re.escape(f'"{label}"') for label in labels.VARIANTS)
_GLUED = re.compile(rf"""["'][^"'\n]*["']\s*\+\s*(?:\w+\.)*_\((?:labels\.\w+|{_SHARED})\)""")


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
    assert label_problems(["Klaar →", "Verder →"]) == [
        "'Klaar →': use 'Verder →' (bot.dialogue.labels)"
    ]


def test_every_variant_names_one_label():
    seen: dict[str, str] = {}
    for label, variants in labels.VARIANTS.items():
        for variant in variants:
            assert variant != label and variant not in labels.VARIANTS
            assert seen.setdefault(variant, label) == label


def test_check_fails_on_a_reworded_label(monkeypatch, capsys):
    assert i18n_tools.main(["check"]) == 0, capsys.readouterr().out
    monkeypatch.setattr(i18n_tools, "label_problems", lambda: ["'Bewaar': use 'Opslaan'"])
    assert i18n_tools.main(["check"]) == 1
    assert "another wording of a shared button label: 'Bewaar'" in capsys.readouterr().out


def test_every_view_uses_the_shared_labels_only():
    assert len(HANDLERS) > 20
    for path in HANDLERS:
        ids = _msgids(path)
        assert label_problems(ids) == [], path
        # They name the shared labels, never the words themselves.
        for label in (labels.SAVE, labels.BACK, labels.STOP, labels.DONE, labels.NEXT):
            assert label not in ids, (path, label)
        source = (ROOT / path).read_text(encoding="utf-8")
        assert not _GLUED.search(source), (path, _GLUED.search(source))


def test_gettext_hidden_in_an_f_string_is_flagged(tmp_path):
    pkg = tmp_path / "bot"
    pkg.mkdir()
    (pkg / "view.py").write_text(
        "def title(_, label):\n"
        "    a = f\"<b>{_('Klopt dit?')}</b>\"\n"  # never extracted on Python 3.11
        '    b = f"<b>{_(label)}</b>"\n'  # a variable: its msgid is marked with N_ elsewhere
        "    c = '<b>' + _('Klopt dit?') + '</b>'\n"
        "    return a + b + c\n",
        encoding="utf-8",
    )
    assert i18n_tools.fstring_problems(pkg) == ["bot/view.py:2"]
    assert i18n_tools.fstring_problems() == []


def test_a_text_the_extractor_cannot_see_is_flagged(monkeypatch, capsys):
    """An N_() nested in a t._() call's arguments is not extracted: `update` would drop the text
    (and its translation) while the bot still shows it. `check` names such a text."""
    found = i18n_tools.extract()
    hidden = "iets waaraan iemand te herkennen is"
    assert hidden in found and i18n_tools.unextracted("en") == []
    del found[hidden]
    monkeypatch.setattr(i18n_tools, "extract", lambda: found)
    assert i18n_tools.unextracted("en") == [hidden]
    assert i18n_tools.main(["check"]) == 1
    said = "en: in the catalog but not found in the code (removed, or hidden from pybabel): "
    assert said + repr(hidden) in capsys.readouterr().out
