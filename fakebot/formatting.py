"""Telegram text formatting: HTML / MarkdownV2 / Markdown parsing into plain text + entities.

The fake server uses this to validate formatted text the way the Bot API does (rejecting what
Telegram rejects, with the same error wording) and to compute the *visible* text whose length
counts against the 4096/1024 limits.

Offsets and lengths of entities are in UTF-16 code units, like Telegram's.  Error messages
quote byte offsets in the UTF-8 encoding of the input, as Telegram does.

The HTML rules follow the behaviour of Telegram's server (tdlib's HTML parser), with one
deliberate difference (configurable): a ``&`` that does not start a known entity is rejected
in strict mode, while Telegram silently keeps it.  Strict mode catches missing
``html.escape`` calls before real user input containing ``<`` does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "EntityParseError",
    "ParsedText",
    "parse_formatted",
    "parse_html",
    "parse_markdown",
    "parse_markdown_v2",
    "utf16_len",
]

_SPACES = " \t\r\n\v\f\0"

_HTML_TAGS = {
    "a": "text_link",
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "tg-emoji": "custom_emoji",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
}

_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


class EntityParseError(ValueError):
    """Raised for text Telegram refuses with "Bad Request: can't parse entities: ..."."""


@dataclass(frozen=True)
class ParsedText:
    """Visible text plus the entities (Telegram JSON dicts) produced by parsing."""

    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)

    @property
    def length(self) -> int:
        """Length as Telegram counts it (UTF-16 code units)."""
        return utf16_len(self.text)


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (astral characters count twice)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8", "surrogatepass"))


class _Builder:
    """Accumulates visible text while tracking the UTF-16 offset."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.offset = 0  # UTF-16 offset of the end of the text so far

    def add(self, chunk: str) -> None:
        self.parts.append(chunk)
        self.offset += utf16_len(chunk)

    def text(self) -> str:
        return "".join(self.parts)


def _decode_html_entity(text: str, pos: int) -> tuple[str, int] | None:
    """Decode an HTML character reference at ``text[pos] == '&'``.

    Returns (character, position after the reference) or None if it is not a valid one.
    Like Telegram, the trailing semicolon is optional.
    """
    end = pos + 1
    n = len(text)
    if end < n and text[end] == "#":
        end += 1
        value = 0
        digits = 0
        if end < n and text[end] in "xX":
            end += 1
            while end < n and text[end] in "0123456789abcdefABCDEF":
                value = value * 16 + int(text[end], 16)
                end += 1
                digits += 1
                if value >= 0x10FFFF:
                    return None
        else:
            while end < n and text[end].isascii() and text[end].isdigit():
                value = value * 10 + int(text[end])
                end += 1
                digits += 1
                if value >= 0x10FFFF:
                    return None
        if digits == 0 or value == 0 or end - pos >= 10 or 0xD800 <= value <= 0xDFFF:
            return None
        char = chr(value)
    else:
        while end < n and text[end].isascii() and text[end].isalpha():
            end += 1
        name = text[pos + 1 : end]
        if name not in _NAMED_ENTITIES:
            return None
        char = _NAMED_ENTITIES[name]
    if end < n and text[end] == ";":
        end += 1
    return char, end


@dataclass
class _OpenTag:
    name: str
    argument: str
    offset: int  # UTF-16 offset in the visible text
    byte_offset: int


def parse_html(text: str, *, strict_ampersand: bool = True) -> ParsedText:
    """Parse Telegram-HTML ``text``; raise :class:`EntityParseError` like Telegram would."""
    out = _Builder()
    entities: list[dict[str, Any]] = []
    stack: list[_OpenTag] = []
    n = len(text)
    i = 0

    def at(k: int) -> str:
        return text[k] if k < n else "\0"

    while i < n:
        c = text[i]
        if c == "&":
            decoded = _decode_html_entity(text, i)
            if decoded is not None:
                out.add(decoded[0])
                i = decoded[1]
                continue
            if strict_ampersand:
                raise EntityParseError(
                    f'Unescaped "&" at byte offset {_byte_offset(text, i)}; '
                    "use &amp; (the fake server is strict here, Telegram itself is lenient)"
                )
        if c != "<":
            out.add(c)
            i += 1
            continue

        begin = i
        begin_bytes = _byte_offset(text, begin)
        if at(i + 1) != "/":
            # Start tag.
            i += 1
            while at(i) not in _SPACES and at(i) != ">":
                i += 1
            if i >= n:
                raise EntityParseError(f"Unclosed start tag at byte offset {begin_bytes}")
            tag = text[begin + 1 : i].lower()
            if tag not in _HTML_TAGS:
                raise EntityParseError(
                    f'Unsupported start tag "{tag}" at byte offset {begin_bytes}'
                )
            argument = ""
            while at(i) != ">":
                while i < n and at(i) in _SPACES:
                    i += 1
                if at(i) == ">":
                    break
                if i >= n:
                    raise EntityParseError(
                        f'Unclosed start tag "{tag}" at byte offset {begin_bytes}'
                    )
                attr_begin = i
                while at(i) not in _SPACES and at(i) not in "=>":
                    i += 1
                attr_name = text[attr_begin:i].lower()
                if not attr_name:
                    raise EntityParseError(
                        f'Empty attribute name in the tag "{tag}" at byte offset {begin_bytes}'
                    )
                while i < n and at(i) in _SPACES:
                    i += 1
                if at(i) != "=":
                    if tag == "blockquote" and attr_name == "expandable":
                        argument = "1"
                        continue
                    raise EntityParseError(
                        "Expected equal sign in declaration of an attribute of the tag "
                        f'"{tag}" at byte offset {begin_bytes}'
                    )
                i += 1
                while i < n and at(i) in _SPACES:
                    i += 1
                if i >= n:
                    raise EntityParseError(
                        f'Unclosed start tag "{tag}" at byte offset {begin_bytes}'
                    )
                if at(i) not in "'\"":
                    token_begin = i
                    while at(i).isascii() and (at(i).isalnum() or at(i) in ".-"):
                        i += 1
                    value = text[token_begin:i].lower()
                    if at(i) not in _SPACES and at(i) != ">":
                        raise EntityParseError(
                            "Unexpected end of name token at byte offset "
                            f"{_byte_offset(text, token_begin)}"
                        )
                else:
                    quote = text[i]
                    i += 1
                    chars: list[str] = []
                    while i < n and text[i] != quote:
                        if text[i] == "&":
                            decoded = _decode_html_entity(text, i)
                            if decoded is not None:
                                chars.append(decoded[0])
                                i = decoded[1]
                                continue
                        chars.append(text[i])
                        i += 1
                    if i < n:
                        i += 1
                    value = "".join(chars)
                if i >= n:
                    raise EntityParseError(f"Unclosed start tag at byte offset {begin_bytes}")
                if tag == "a" and attr_name == "href":
                    argument = value
                elif tag == "code" and attr_name == "class" and value.startswith("language-"):
                    argument = value[len("language-") :]
                elif tag == "span" and attr_name == "class" and value.startswith("tg-"):
                    argument = value[len("tg-") :]
                elif tag == "tg-emoji" and attr_name == "emoji-id":
                    argument = value
                elif tag == "blockquote" and attr_name == "expandable":
                    argument = "1"
            if tag == "span" and argument != "spoiler":
                raise EntityParseError(
                    f'Tag "span" must have class "tg-spoiler" at byte offset {begin_bytes}'
                )
            stack.append(_OpenTag(tag, argument, out.offset, begin_bytes))
            i += 1  # skip '>'
            continue

        # End tag.
        if not stack:
            raise EntityParseError(f"Unexpected end tag at byte offset {begin_bytes}")
        i += 2
        name_begin = i
        while at(i) not in _SPACES and at(i) != ">":
            i += 1
        end_name = text[name_begin:i].lower()
        while i < n and at(i) in _SPACES:
            i += 1
        if at(i) != ">":
            raise EntityParseError(f"Unclosed end tag at byte offset {begin_bytes}")
        i += 1
        open_tag = stack.pop()
        if end_name and end_name != open_tag.name:
            raise EntityParseError(
                f'Unmatched end tag at byte offset {begin_bytes}, expected "</{open_tag.name}>", '
                f'found "</{end_name}>"'
            )
        _close_html_entity(open_tag, out, entities)

    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return ParsedText(out.text(), entities)


def _close_html_entity(tag: _OpenTag, out: _Builder, entities: list[dict[str, Any]]) -> None:
    length = out.offset - tag.offset
    if length <= 0:
        return
    kind = _HTML_TAGS[tag.name]
    entity: dict[str, Any] = {"type": kind, "offset": tag.offset, "length": length}
    if kind == "text_link":
        url = tag.argument
        if not url:
            return  # Telegram turns <a> without href into plain text (or an auto-link).
        entity["url"] = url
    elif kind == "custom_emoji":
        if not tag.argument.isdigit():
            raise EntityParseError(
                "Custom emoji entity must contain a valid custom emoji identifier"
            )
        entity["custom_emoji_id"] = tag.argument
    elif kind == "code" and tag.argument:
        # Inside <pre> this language moves to the pre entity when the pre closes.
        entity["language"] = tag.argument
    elif kind == "blockquote" and tag.argument:
        entity["type"] = "expandable_blockquote"
    if kind == "pre":
        # A <code class="language-x"> closed just before inside this <pre> carries the language.
        for index, previous in enumerate(entities):
            if (
                previous["type"] == "code"
                and previous["offset"] == tag.offset
                and previous["length"] == length
                and "language" in previous
            ):
                entity["language"] = previous["language"]
                del entities[index]
                break
    entities.append(entity)


# --------------------------------------------------------------------------- MarkdownV2

_MDV2_RESERVED = "_*[]()~`>#+-=|{}.!"


@dataclass
class _MdEntity:
    kind: str
    offset: int  # UTF-16 offset
    byte_offset: int
    argument: str = ""


# Markers that only open an entity (closing is handled above, per entity kind).
_MD_OPENERS = {"~": "strikethrough", "||": "spoiler", "[": "text_link", "![": "custom_emoji"}


def parse_markdown_v2(text: str) -> ParsedText:
    """Parse MarkdownV2 the way Telegram does (reserved characters must be escaped)."""
    out = _Builder()
    entities: list[dict[str, Any]] = []
    stack: list[_MdEntity] = []
    n = len(text)
    i = 0
    line_start = True

    def at(k: int) -> str:
        return text[k] if k < n else "\0"

    def reserved_error(ch: str) -> EntityParseError:
        return EntityParseError(
            f"Character '{ch}' is reserved and must be escaped with the preceding '\\'"
        )

    while i < n:
        c = text[i]
        was_line_start = line_start
        line_start = c == "\n"
        if c == "\\" and i + 1 < n and 0 < ord(text[i + 1]) <= 126:
            out.add(text[i + 1])
            i += 2
            continue
        in_code = bool(stack) and stack[-1].kind in ("code", "pre")
        if in_code:
            top = stack[-1]
            if c != "`":
                out.add(c)
                i += 1
                continue
            if top.kind == "pre":
                if text[i : i + 3] != "```":
                    out.add(c)
                    i += 1
                    continue
                i += 3
            else:
                i += 1
            stack.pop()
            _close_md_entity(top, out, entities)
            continue
        if c not in _MDV2_RESERVED:
            out.add(c)
            i += 1
            continue

        # Does this character close the innermost entity?
        if stack:
            top = stack[-1]
            closes = (
                (c == "_" and top.kind == "italic")
                or (c == "_" and at(i + 1) == "_" and top.kind == "underline")
                or (c == "*" and top.kind == "bold")
                or (c == "~" and top.kind == "strikethrough")
                or (c == "|" and at(i + 1) == "|" and top.kind == "spoiler")
                or (c == "]" and top.kind in ("text_link", "custom_emoji"))
            )
            if closes:
                stack.pop()
                if top.kind in ("underline", "spoiler"):
                    i += 2
                else:
                    i += 1
                if top.kind in ("text_link", "custom_emoji"):
                    url = ""
                    if at(i) == "(":
                        i += 1
                        url_chars: list[str] = []
                        while i < n and text[i] != ")":
                            if text[i] == "\\" and i + 1 < n and 0 < ord(text[i + 1]) <= 126:
                                url_chars.append(text[i + 1])
                                i += 2
                                continue
                            url_chars.append(text[i])
                            i += 1
                        if i >= n:
                            raise EntityParseError(
                                f"Can't find end of a url at byte offset {_byte_offset(text, i)}"
                            )
                        i += 1
                        url = "".join(url_chars)
                    elif top.kind == "custom_emoji":
                        raise EntityParseError("Custom emoji entity must contain a tg://emoji URL")
                    top.argument = url
                _close_md_entity(top, out, entities)
                continue

        begin_bytes = _byte_offset(text, i)
        if c == "_" and at(i + 1) == "_" and not _open(stack, "underline"):
            stack.append(_MdEntity("underline", out.offset, begin_bytes))
            i += 2
        elif c == "_":
            if _open(stack, "italic"):
                raise reserved_error(c)
            stack.append(_MdEntity("italic", out.offset, begin_bytes))
            i += 1
        elif c == "*":
            if was_line_start and text[i : i + 3] == "**>":
                stack.append(_MdEntity("expandable_blockquote", out.offset, begin_bytes))
                i += 3
                continue
            stack.append(_MdEntity("bold", out.offset, begin_bytes))
            i += 1
        elif opener := next((m for m in _MD_OPENERS if text.startswith(m, i)), None):
            stack.append(_MdEntity(_MD_OPENERS[opener], out.offset, begin_bytes))
            i += len(opener)
        elif c == "`":
            if text[i : i + 3] == "```":
                i += 3
                lang_begin = i
                while i < n and text[i] not in "\n`":
                    i += 1
                language = text[lang_begin:i] if at(i) == "\n" else ""
                if at(i) == "\n":
                    i += 1
                else:
                    i = lang_begin
                stack.append(_MdEntity("pre", out.offset, begin_bytes, language))
            else:
                stack.append(_MdEntity("code", out.offset, begin_bytes))
                i += 1
        elif c == ">" and was_line_start:
            # Blockquote: runs to the end of the line (consecutive quoted lines merge).
            i += 1
            line_end = text.find("\n", i)
            line_end = n if line_end == -1 else line_end
            quote_offset = out.offset
            inner = parse_markdown_v2(text[i:line_end])
            for entity in inner.entities:
                entities.append({**entity, "offset": entity["offset"] + quote_offset})
            out.add(inner.text)
            _extend_blockquote(entities, quote_offset, out.offset - quote_offset)
            i = line_end
        else:
            raise reserved_error(c)

    if stack:
        raise EntityParseError(
            f"Can't find end of the entity starting at byte offset {stack[-1].byte_offset}"
        )
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return ParsedText(out.text(), entities)


def _open(stack: list[_MdEntity], kind: str) -> bool:
    return any(entity.kind == kind for entity in stack)


def _extend_blockquote(entities: list[dict[str, Any]], offset: int, length: int) -> None:
    for entity in entities:
        if entity["type"] == "blockquote" and entity["offset"] + entity["length"] + 1 == offset:
            entity["length"] += 1 + length
            return
    if length > 0:
        entities.append({"type": "blockquote", "offset": offset, "length": length})


def _close_md_entity(entity: _MdEntity, out: _Builder, entities: list[dict[str, Any]]) -> None:
    length = out.offset - entity.offset
    if length <= 0:
        return
    result: dict[str, Any] = {"type": entity.kind, "offset": entity.offset, "length": length}
    if entity.kind == "text_link":
        if not entity.argument:
            return
        result["url"] = entity.argument
    elif entity.kind == "custom_emoji":
        result["custom_emoji_id"] = entity.argument.rsplit("id=", 1)[-1]
    elif entity.kind == "pre" and entity.argument:
        result["language"] = entity.argument
    entities.append(result)


# --------------------------------------------------------------------------- legacy Markdown


def parse_markdown(text: str) -> ParsedText:
    """Parse legacy ``Markdown``: *bold*, _italic_, `code`, ```pre```, [text](url)."""
    out = _Builder()
    entities: list[dict[str, Any]] = []
    n = len(text)
    i = 0
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n and text[i + 1] in "_*`[":
            out.add(text[i + 1])
            i += 2
            continue
        if c not in "_*`[":
            out.add(c)
            i += 1
            continue
        begin_bytes = _byte_offset(text, i)
        start = out.offset
        if c == "[":
            close = text.find("]", i + 1)
            if close == -1:
                raise EntityParseError(
                    f"Can't find end of the entity starting at byte offset {begin_bytes}"
                )
            label = text[i + 1 : close]
            out.add(label)
            i = close + 1
            if i < n and text[i] == "(":
                end = text.find(")", i)
                if end == -1:
                    raise EntityParseError(
                        f"Can't find end of the entity starting at byte offset {begin_bytes}"
                    )
                url = text[i + 1 : end]
                i = end + 1
                if label and url:
                    entities.append(
                        {
                            "type": "text_link",
                            "offset": start,
                            "length": utf16_len(label),
                            "url": url,
                        }
                    )
            continue
        marker = "```" if text.startswith("```", i) else c
        end = text.find(marker, i + len(marker))
        if end == -1:
            raise EntityParseError(
                f"Can't find end of the entity starting at byte offset {begin_bytes}"
            )
        inner = text[i + len(marker) : end]
        kind = {"*": "bold", "_": "italic", "`": "code", "```": "pre"}[marker]
        out.add(inner)
        if inner:
            entities.append({"type": kind, "offset": start, "length": utf16_len(inner)})
        i = end + len(marker)
    return ParsedText(out.text(), entities)


# --------------------------------------------------------------------------- dispatch


def parse_formatted(
    text: str,
    parse_mode: str | None,
    entities: list[dict[str, Any]] | None = None,
    *,
    strict_ampersand: bool = True,
) -> ParsedText:
    """Parse ``text`` according to ``parse_mode`` (case-insensitive, like Telegram).

    Raises:
        EntityParseError: the text is not valid for the parse mode.
        ValueError: ``parse_mode`` is not one Telegram knows (message "unsupported parse_mode").
    """
    mode = (parse_mode or "").strip().lower()
    if not mode:
        return ParsedText(text, list(entities or []))
    if mode == "html":
        return parse_html(text, strict_ampersand=strict_ampersand)
    if mode == "markdownv2":
        return parse_markdown_v2(text)
    if mode == "markdown":
        return parse_markdown(text)
    raise ValueError("unsupported parse_mode")


def strip_text(parsed: ParsedText) -> ParsedText:
    """Trim leading/trailing whitespace the way Telegram does, shifting/clipping entities."""
    text = parsed.text
    stripped = text.strip()
    if stripped == text:
        return parsed
    lead = utf16_len(text[: len(text) - len(text.lstrip())])
    new_len = utf16_len(stripped)
    entities: list[dict[str, Any]] = []
    for entity in parsed.entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, new_len)
        if end > start:
            entities.append({**entity, "offset": start, "length": end - start})
    return ParsedText(stripped, entities)
