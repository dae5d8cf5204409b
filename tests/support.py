"""Small helpers shared by tests (not fixtures: those live in conftest.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent / "data"


def load_cases(name: str) -> list[dict[str, Any]]:
    """The list of cases in tests/data/NAME (YAML), each a mapping of field to value."""
    cases = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    assert isinstance(cases, list) and all(isinstance(c, dict) for c in cases), name
    return cases
