"""Package data: reference lists copied from the funders' domain description."""

from __future__ import annotations

import csv
import io
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class MunicipalityRef:
    name: str
    mgr_key_pct: float
    villages: tuple[str, ...]

    @property
    def code(self) -> str:
        return self.name.lower().replace(" ", "-")


@dataclass(frozen=True)
class VocabEntry:
    code: str
    label: str
    aliases: tuple[str, ...]


VOCAB_KINDS = (
    "themes",
    "activity_types",
    "indirect_kinds",
    "reach_channels",
    "referral_targets",
    "non_use_reasons",
    "signal_kinds",
)


@cache
def municipalities() -> tuple[MunicipalityRef, ...]:
    text = resources.files(__package__).joinpath("gemeenten.csv").read_text("utf-8")
    rows = csv.DictReader(io.StringIO(text))
    return tuple(
        MunicipalityRef(
            name=r["gemeente"].strip(),
            mgr_key_pct=float(r["mgr_verdeelsleutel_pct"]),
            villages=tuple(v.strip() for v in r["kernen"].split(";") if v.strip()),
        )
        for r in rows
    )


@cache
def vocabulary() -> dict[str, tuple[VocabEntry, ...]]:
    raw = tomllib.loads(resources.files(__package__).joinpath("vocabulary.toml").read_text("utf-8"))
    return {
        kind: tuple(
            VocabEntry(e["code"], e["label"], tuple(e.get("aliases", ()))) for e in raw[kind]
        )
        for kind in VOCAB_KINDS
    }


@dataclass(frozen=True)
class OutsidePlaceRef:
    """A place outside the pool's 14 municipalities: Limburg's other municipalities and
    places, the neighbouring ones in Brabant, Gelderland, Belgium and Germany, and the big
    Dutch cities (`buiten_regio.csv`)."""

    name: str
    municipality: str
    area: str  # province, or country abroad


@cache
def outside_places() -> tuple[OutsidePlaceRef, ...]:
    text = resources.files(__package__).joinpath("buiten_regio.csv").read_text("utf-8")
    return tuple(
        OutsidePlaceRef(r["plaats"].strip(), r["gemeente"].strip(), r["gebied"].strip())
        for r in csv.DictReader(io.StringIO(text))
    )
