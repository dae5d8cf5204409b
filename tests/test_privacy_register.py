"""docs/PRIVACY.md is the processing register: every column of every model is named there,
so a new column (personal or not) fails this test until someone has decided about it."""

from __future__ import annotations

import re
from pathlib import Path

from sqlmodel import SQLModel

import bot.storage.models  # noqa: F401  (registers every table)

REGISTER = Path(__file__).resolve().parents[1] / "docs" / "PRIVACY.md"
TICKED = re.compile(r"`([a-z_]+)`")


def register_blocks(text: str) -> dict[str, set[str]]:
    """Per table: the names in backticks in its part of the register. A `### `table``
    heading starts a part; in a list, each `- `a`, `b`: …` item is the part of tables a and b."""
    body = text.split("## The register, per table", 1)[1]
    blocks: dict[str, set[str]] = {}
    current: list[str] = []
    for line in body.splitlines():
        heading = re.match(r"### `([a-z_]+)`", line)
        if heading:
            current = [heading.group(1)]
            blocks.setdefault(current[0], set())
            continue
        item = re.match(r"- (.*?):(.*)", line)
        if item and line.startswith("- "):
            current = TICKED.findall(item.group(1))
            for name in current:
                blocks.setdefault(name, set())
            line = item.group(2)
        for name in current:
            blocks[name] |= set(TICKED.findall(line))
    return blocks


def unlisted(text: str, tables: dict[str, list[str]]) -> list[str]:
    blocks = register_blocks(text)
    return [
        f"{table}.{column}"
        for table, columns in sorted(tables.items())
        for column in columns
        if column not in blocks.get(table, set())
    ]


def model_columns() -> dict[str, list[str]]:
    return {t.name: [c.name for c in t.columns] for t in SQLModel.metadata.sorted_tables}


def test_every_model_column_is_in_the_register() -> None:
    assert unlisted(REGISTER.read_text(encoding="utf-8"), model_columns()) == []


def test_a_new_column_or_table_is_caught() -> None:
    text = REGISTER.read_text(encoding="utf-8")
    tables = model_columns()
    tables["app_user"] = [*tables["app_user"], "phone_number"]
    tables["story"] = [*tables["story"], "resident_name"]
    tables["new_table"] = ["id"]
    assert unlisted(text, tables) == [
        "app_user.phone_number",
        "new_table.id",
        "story.resident_name",
    ]


def test_free_text_columns_are_registered_as_personal() -> None:
    """The columns erasure and retention clear are in the register's personal part."""
    text = REGISTER.read_text(encoding="utf-8")
    for table in ("signal", "story"):
        part = text.split(f"### `{table}`", 1)[1].split("###", 1)[0]
        assert "| `text` | free text" in part
    assert "`RETENTION_FREE_TEXT_MONTHS`" in text and "`RETENTION_AUDIT_MONTHS`" in text
