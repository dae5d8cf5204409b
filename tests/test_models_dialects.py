"""The models name no database's dialect: importing them loads no dialect module, and the
partial index gets its WHERE from the database that creates it (`metadata.create_all`)."""

from __future__ import annotations

import subprocess
import sys

import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel

import bot.storage.models  # noqa: F401  (the tables)


def test_importing_the_models_loads_no_dialect():
    code = (
        "import sys, bot.storage.models; "
        "print(sorted(m for m in sys.modules if m.startswith('sqlalchemy.dialects.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "postgresql" not in out and "sqlite" not in out, out


@pytest.mark.parametrize("url", ["sqlite://", "postgresql://"])
def test_create_all_makes_the_live_minutes_index_partial(url):
    ddl: list[str] = []

    def executor(statement, *_args, **_kw):
        ddl.append(str(statement.compile(dialect=engine.dialect)))

    engine = sa.create_mock_engine(url, executor)
    SQLModel.metadata.create_all(engine, checkfirst=False)
    index = [d for d in ddl if "ix_contact_live_minutes" in d]
    assert len(index) == 1
    assert index[0].strip().endswith("WHERE deleted_at IS NULL"), index[0]
    others = [d for d in ddl if d.lstrip().startswith("CREATE INDEX") and d not in index]
    assert others and not any("WHERE" in d for d in others)
