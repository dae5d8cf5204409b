"""Catalog maintenance: `python -m bot.i18n_tools update` extracts the Dutch message ids from
the sources, updates `locales/*/LC_MESSAGES/messages.po`, and fills the Dutch catalog (msgids
are Dutch, so `nl` translates each to itself). `check` lists what is missing per language,
a count before a plural noun without ngettext, msgids that reword a shared button label
(`bot.dialogue.labels`) and gettext calls hidden in f-strings; `check-labels` lists only the
rewordings."""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from bot.i18n import DOMAIN, LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}


def extract() -> Catalog:
    catalog = Catalog(project="ervaringsbot", locale=None)
    for _file, _line, message, _comments, _ctx in extract_from_dir(
        str(ROOT / "bot"),
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=("TRANSLATORS:",),
    ):
        catalog.add(message)
    return catalog


def po_path(language: str) -> Path:
    return ROOT / "locales" / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def load(language: str) -> Catalog:
    path = po_path(language)
    if not path.exists():
        return Catalog(locale=language, project="ervaringsbot")
    with path.open("rb") as fh:
        return read_po(fh, locale=language)


def update() -> None:
    for language in LANGUAGES:
        catalog = load(language)
        # A fresh template per language: Catalog.update shares the template's Message objects.
        catalog.update(extract(), no_fuzzy_matching=True)
        for message in catalog:
            if not message.id:
                continue
            empty = not any(message.string or ()) if message.pluralizable else not message.string
            if language == "nl" and empty:
                message.string = message.id
        catalog.obsolete.clear()
        # Babel marks a new catalog's header fuzzy, and `pybabel compile` skips a fuzzy catalog.
        catalog.fuzzy = False
        path = po_path(language)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            write_po(fh, catalog, omit_header=False, sort_output=True, width=100)


def fuzzy_headers() -> list[str]:
    """Languages whose catalog header is fuzzy: `pybabel compile` would skip them silently."""
    return [lang for lang in LANGUAGES if po_path(lang).exists() and load(lang).fuzzy]


def missing(language: str, template: Catalog | None = None) -> list[str]:
    """Texts of the code (``template``: `extract()`, given when the caller has it) without a
    translation in ``language``."""
    catalog = load(language)
    out = []
    for message in template if template is not None else extract():
        if not message.id:
            continue
        key = message.id
        found = catalog.get(key)
        if (
            found is None
            or not found.string
            or found.fuzzy
            or (isinstance(found.string, tuple) and not all(found.string))
        ):
            out.append(key if isinstance(key, str) else key[0])
    return out


def unextracted(language: str, template: Catalog | None = None) -> list[str]:
    """Translated texts the extractor no longer finds in the code: a text removed (`update`
    drops it), or one pybabel cannot see, such as an N_() nested in a t._() call's arguments
    (`update` would then drop a text still shown, and its translation with it)."""
    found = {m.id for m in (template if template is not None else extract()) if m.id}
    out = []
    for message in load(language):
        if message.id and message.id not in found:
            key = message.id
            out.append(key if isinstance(key, str) else key[0])
    return out


# Dutch plural nouns that follow a count in our texts. A msgid with a number placeholder right
# before one of them ("{n} contacten") reads wrong for 1 ("1 contacten"): use ngettext.
PLURAL_NOUNS = (
    "contacten inwoners bewoners mensen uren dagen weken maanden jaren minuten verhalen "
    "signalen thema's themas gemeenten dorpen plekken vindplekken bestanden sessies experts "
    "ervaringsdeskundigen deskundigen coördinatoren rijen regels woorden tekens nieuwe "
    "bekende keren deelnemers meldingen codes uitnodigingen"
).split()
# {max} and {min} are limits (hundreds of characters, ...), never 1: they may stand before a
# plural noun ("maximaal {max} tekens").
_COUNT_BEFORE_PLURAL = re.compile(
    r"(?:\{(?!max\b|min\b)[\w.:,]*\}|%\(?\w*\)?[sd])\s+(?:"
    + "|".join(map(re.escape, PLURAL_NOUNS))
    + r")\b",
    re.IGNORECASE,
)


def plural_problems(template: Catalog | None = None) -> list[str]:
    """Message ids (not ngettext) with a number placeholder right before a plural noun."""
    out = []
    for message in template if template is not None else extract():
        if isinstance(message.id, str) and _COUNT_BEFORE_PLURAL.search(message.id):
            out.append(message.id)
    return out


def fstring_problems(root: Path | None = None) -> list[str]:
    """Gettext calls inside an f-string (`f"<b>{_('Titel')}</b>"`): Babel does not extract them
    on Python 3.11, so they would be shown untranslated. Call `_` outside the f-string."""
    out = []
    base = root or ROOT / "bot"
    for path in sorted(base.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.JoinedStr):
                continue
            for inner in ast.walk(node):
                if not isinstance(inner, ast.Call):
                    continue
                func = inner.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                literal = bool(inner.args) and isinstance(inner.args[0], ast.Constant)
                if name in KEYWORDS and literal:  # `_(label)`: the msgid is marked elsewhere
                    out.append(f"{path.relative_to(base.parent)}:{inner.lineno}")
    return out


def label_problems(msgids: Iterable[str] | None = None) -> list[str]:
    """Msgids that are another wording of a shared button label (`bot.dialogue.labels`):
    one label per button kind, the same in every dialogue."""
    from bot.dialogue.labels import VARIANTS

    canonical = {variant: label for label, variants in VARIANTS.items() for variant in variants}
    if msgids is None:
        msgids = (m.id for m in extract() if isinstance(m.id, str))
    return [
        f"{msgid!r}: use {canonical[msgid]!r} (bot.dialogue.labels)"
        for msgid in sorted(set(msgids))
        if msgid in canonical
    ]


def main(argv: list[str]) -> int:
    if argv[:1] == ["update"]:
        update()
        return 0
    if argv[:1] == ["check"]:
        code = extract()  # once: each extraction reads every source file
        problems = [f"{lang}: missing {i!r}" for lang in LANGUAGES for i in missing(lang, code)]
        problems += [
            f"{lang}: in the catalog but not found in the code (removed, or hidden from "
            f"pybabel): {i!r}"
            for lang in LANGUAGES
            for i in unextracted(lang, code)
        ]
        problems += [
            f"count before a plural noun without ngettext: {i!r}" for i in plural_problems(code)
        ]
        problems += [f"another wording of a shared button label: {p}" for p in label_problems()]
        problems += [
            f"gettext inside an f-string is never extracted: {where}"
            for where in fstring_problems()
        ]
        problems += [
            f"{lang}: the catalog header is fuzzy, so pybabel compile skips it"
            for lang in fuzzy_headers()
        ]
        for problem in problems:
            print(problem)
        return 1 if problems else 0
    if argv[:1] == ["check-labels"]:
        problems = label_problems()
        for problem in problems:
            print(f"another wording of a shared button label: {problem}")
        return 1 if problems else 0
    print("usage: python -m bot.i18n_tools update|check|check-labels")
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))


def fill(language: str, translations: dict[str, str | tuple[str, str]]) -> int:
    """Fill empty entries of one catalog from a dict (used when adding translations in bulk).

    A plural entry is keyed by its singular msgid, with a (singular, plural) pair."""
    catalog = load(language)
    n = 0
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, str):
            text = translations.get(message.id)
            if isinstance(text, str) and text and not message.string:
                message.string = text
                n += 1
        else:
            pair = translations.get(message.id[0])
            if isinstance(pair, tuple) and not all(message.string or ()):
                message.string = pair
                n += 1
    with po_path(language).open("wb") as fh:
        write_po(fh, catalog, omit_header=False, sort_output=True, width=100)
    return n
