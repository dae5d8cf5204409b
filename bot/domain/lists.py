"""The coordinator's lists (themes, activity types, …, vindplekken) as text: aliases typed in
the chat, new stable codes, and the YAML file of `python -m bot lijsten export|import`.

Pure: no database. A file is read whole and checked whole before anything is stored; the first
problem is reported with its line (1-based), so nothing is ever half-imported."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import yaml

# The lists a coordinator manages, by their key in the file (= models.VOCAB_TABLES).
from bot.data import VOCAB_KINDS

VINDPLEKKEN = "vindplekken"
MAX_LABEL = 120  # _Vocab.label
MAX_ALIASES = 500  # _Vocab.aliases, joined with ';'
MAX_CODE = 64
MAX_PLACE = 120  # Vindplek.name
MAX_ADDRESS = 200


def split_aliases(text: str) -> tuple[str, ...]:
    """`"huisbezoek, keukentafel; thuis"` -> ("huisbezoek", "keukentafel", "thuis")."""
    words = (w.strip().lower() for w in re.split(r"[,;\n]", text))
    return tuple(dict.fromkeys(w for w in words if w))


def join_aliases(aliases: tuple[str, ...] | list[str]) -> str:
    return ";".join(aliases)


def alias_problem(aliases: tuple[str, ...]) -> str | None:
    if len(join_aliases(aliases)) > MAX_ALIASES:
        return "too_long"
    return None


def new_code(label: str, taken: set[str]) -> str:
    """A stable code for a new item: the label's words, ASCII, `_`-joined; unique in `taken`."""
    ascii_ = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode().lower()
    base = "_".join(re.findall(r"[a-z0-9]+", ascii_))[: MAX_CODE - 4] or "item"
    code, n = base, 2
    while code in taken:
        code, n = f"{base}_{n}", n + 1
    return code


@dataclass(frozen=True)
class VocabLine:
    code: str | None  # None: a new item, the code is made from the label
    label: str
    aliases: tuple[str, ...]
    active: bool
    line: int


@dataclass(frozen=True)
class PlaceLine:
    municipality: str
    name: str
    address: str | None
    active: bool
    line: int


@dataclass(frozen=True)
class Document:
    vocab: dict[str, list[VocabLine]]
    places: list[PlaceLine]


class ListFileError(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


def dump(vocab: dict[str, list[VocabLine]], places: list[PlaceLine]) -> str:
    """The file `lijsten export` writes: every list, retired items included (active: false)."""
    doc: dict[str, Any] = {
        kind: [
            {"code": i.code, "label": i.label, "aliases": list(i.aliases), "active": i.active}
            for i in vocab.get(kind, [])
        ]
        for kind in VOCAB_KINDS
    }
    doc[VINDPLEKKEN] = [
        {"gemeente": p.municipality, "naam": p.name, "adres": p.address, "active": p.active}
        for p in places
    ]
    import yaml  # only `lijsten export|import` read or write YAML: not loaded at start-up

    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _text(value: Any, line: int, name: str, limit: int, *, required: bool = True) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ListFileError(line, f"'{name}' is missing")
        return None
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise ListFileError(line, f"'{name}' must be text")
    text = str(value).strip()
    if len(text) > limit:
        raise ListFileError(line, f"'{name}' is longer than {limit} characters")
    return text


def _active(value: Any, line: int) -> bool:
    if value is None:
        return True
    if not isinstance(value, bool):
        raise ListFileError(line, "'active' must be true or false")
    return value


def _aliases(value: Any, line: int) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        aliases = split_aliases(value)
    elif isinstance(value, list) and all(isinstance(a, str) for a in value):
        aliases = split_aliases(";".join(value))
    else:
        raise ListFileError(line, "'aliases' must be a list of words")
    if alias_problem(aliases):
        raise ListFileError(line, f"'aliases' are longer than {MAX_ALIASES} characters together")
    return aliases


def _items(node: yaml.Node, kind: str) -> list[tuple[dict[str, Any], int]]:
    import yaml

    if not isinstance(node, yaml.SequenceNode):
        raise ListFileError(_line(node), f"'{kind}' must be a list of items")
    out = []
    for item in node.value:
        if not isinstance(item, yaml.MappingNode):
            raise ListFileError(_line(item), f"an item of '{kind}' must have fields (code, label…)")
        out.append((yaml.safe_load(yaml.serialize(item)) or {}, _line(item)))
    return out


def parse(text: str) -> Document:
    """Read and check a whole file; raises ListFileError naming the first bad line."""
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise ListFileError(mark.line + 1 if mark else 1, "not valid YAML") from None
    if root is None:
        raise ListFileError(1, "the file is empty")
    if not isinstance(root, yaml.MappingNode):
        raise ListFileError(_line(root), "expected lists by name (themes:, activity_types:, …)")
    vocab: dict[str, list[VocabLine]] = {}
    places: list[PlaceLine] = []
    for key_node, value_node in root.value:
        kind = key_node.value
        if kind == VINDPLEKKEN:
            seen_places: set[tuple[str, str]] = set()
            for raw, line in _items(value_node, kind):
                muni = _text(raw.get("gemeente"), line, "gemeente", 100)
                name = _text(raw.get("naam"), line, "naam", MAX_PLACE)
                assert muni is not None and name is not None
                key = (muni.lower(), name.lower())
                if key in seen_places:
                    raise ListFileError(line, f"'{name}' in {muni} is in the file twice")
                seen_places.add(key)
                address = _text(raw.get("adres"), line, "adres", MAX_ADDRESS, required=False)
                active = _active(raw.get("active"), line)
                places.append(PlaceLine(muni, name, address, active, line))
            continue
        if kind not in VOCAB_KINDS:
            raise ListFileError(_line(key_node), f"unknown list '{kind}'")
        entries: list[VocabLine] = []
        seen: set[str] = set()
        for raw, line in _items(value_node, kind):
            unknown = set(raw) - {"code", "label", "aliases", "active"}
            if unknown:
                raise ListFileError(line, f"unknown field(s): {', '.join(sorted(unknown))}")
            code = _text(raw.get("code"), line, "code", MAX_CODE, required=False)
            if code is not None and code in seen:
                raise ListFileError(line, f"code '{code}' is in '{kind}' twice")
            if code is not None:
                seen.add(code)
            label = _text(raw.get("label"), line, "label", MAX_LABEL)
            assert label is not None
            aliases = _aliases(raw.get("aliases"), line)
            entries.append(VocabLine(code, label, aliases, _active(raw.get("active"), line), line))
        vocab[kind] = entries
    return Document(vocab, places)
