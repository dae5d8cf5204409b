"""Telegram HTML split into messages below a length limit (counted in UTF-16 code units, as
Telegram counts), never inside a tag or an entity, with open tags closed and reopened."""

from __future__ import annotations

import re

MAX_MESSAGE = 4096

_TOKEN = re.compile(r"<[^>]*>|&[#\w]+;|[^<&]+|[<&]")
_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][\w-]*)[^>]*>")


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def split_html(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Split HTML into chunks of at most `limit` UTF-16 units (raw HTML measured, which is
    stricter than Telegram's count of visible text).

    Cuts at the last line break that fits; a line that is too long on its own is cut between
    words (one huge word: between characters). Never inside a tag or an entity: tags still
    open at a cut are closed at the end of the chunk and reopened at the start of the next.
    Blank chunks are dropped.
    """
    if limit < 64:
        raise ValueError("limit too small to hold tags")
    chunks: list[str] = []
    cur: list[str] = []
    cur_len = 0
    stack: list[tuple[str, str]] = []  # open tags: (name, opening tag text)
    # Line breaks in `cur`: (index of the "\n" unit, open tags there).
    marks: list[tuple[int, list[tuple[str, str]]]] = []

    def close(st: list[tuple[str, str]]) -> str:
        return "".join(f"</{name}>" for name, _open in reversed(st))

    def reopen(st: list[tuple[str, str]]) -> list[str]:
        return [open_tag for _name, open_tag in st]

    for unit in _units(text, limit):
        m = _TAG.fullmatch(unit)
        # An opening tag must fit together with its own closing tag.
        own_close = utf16_len(f"</{m.group(2)}>") if m is not None and not m.group(1) else 0
        size = utf16_len(unit)
        while True:
            extra = utf16_len(close(stack)) + own_close
            if cur_len + size + extra <= limit:
                break
            if not _visible("".join(cur)).strip():
                # Nothing visible yet: only empty elements, which can go (open tags stay).
                trimmed = reopen(stack)
                if trimmed == cur:
                    break
                cur, marks = trimmed, []
                cur_len = utf16_len("".join(cur))
                continue
            cut = next(
                ((i, st) for i, st in reversed(marks) if _visible("".join(cur[:i])).strip()),
                None,
            )
            if cut is not None:
                i, st = cut
                chunks.append("".join(cur[:i]) + close(st))
                cur = reopen(st) + cur[i + 1 :]  # the line break itself is dropped
                shift = i + 1 - len(reopen(st))
                marks = [(j - shift, s2) for j, s2 in marks if j > i]
            else:
                chunks.append("".join(cur) + close(stack))
                cur = reopen(stack)
                marks = []
            cur_len = utf16_len("".join(cur))
        if unit == "\n":
            marks.append((len(cur), list(stack)))
        cur.append(unit)
        cur_len += size
        if m is not None:
            name = m.group(2).lower()
            if m.group(1):
                for k in range(len(stack) - 1, -1, -1):
                    if stack[k][0] == name:
                        del stack[k]
                        break
            else:
                stack.append((name, unit))
    if cur:
        chunks.append("".join(cur) + close(stack))
    out = [c.strip("\n") for c in chunks]
    return [c for c in out if _visible(c).strip()]


def _visible(html: str) -> str:
    return re.sub(r"<[^>]*>", "", html)


def _units(text: str, limit: int) -> list[str]:
    """Tags, entities, line breaks, words with their trailing blanks, and the single
    characters of words too long to fit in a chunk."""
    units: list[str] = []
    for tok in _TOKEN.findall(text):
        if tok.startswith("<") or (tok.startswith("&") and tok.endswith(";")):
            units.append(tok)
            continue
        for word in re.findall(r"\n|[^\S\n]+|\S+[^\S\n]*", tok):
            if utf16_len(word) > limit // 4:
                units.extend(word)
            else:
                units.append(word)
    return units
