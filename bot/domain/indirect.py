"""Entries without a resident (indirect hours, signals, stories): a municipality or "regionaal",
and the one-line entry `/uren 1,5 uur overleg Venlo gisteren`.

Pure: the caller passes the vocabulary (kinds) and the municipalities by name; limits are
checked with `bot.domain.limits` by the caller, which also turns codes into text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from bot.domain import dates, durations, limits
from bot.domain.places import find_place, resolve_municipality
from bot.domain.textmatch import normalize
from bot.domain.vocabmatch import Term, match_term

__all__ = [
    "REGIONAL_WORDS",
    "HoursLine",
    "Named",
    "match_kind",
    "parse_hours_line",
    "typed_municipality",
]

# "No municipality": hours, signals and stories for the whole region.
REGIONAL_WORDS = frozenset({"regionaal", "regio", "regionale", "geen gemeente", "geen"})

# Small words people put between the parts; they carry nothing.
FILLER = frozenset({"in", "te", "voor", "bij", "op", "met", "van", "de", "het", "een", "en"})


class Named(Term, Protocol):
    """A vocabulary entry as the parsers see it: a `Term` with its id."""

    @property
    def id(self) -> int: ...


def match_kind(word: str, kinds: Sequence[Named]) -> int | None:
    """The kind a word names: its label, code or one of its aliases, typos allowed
    (the one matcher, ``bot.domain.vocabmatch``)."""
    hit = match_term(word, kinds)
    return hit.id if hit is not None else None


def typed_municipality(text: str, municipality_ids: Mapping[str, int]) -> tuple[bool, int | None]:
    """A typed municipality or village ("Blerick" -> Venlo's id), or "regionaal" (-> None).

    (False, None) when it names neither. ``municipality_ids``: ids by lower-case name."""
    if normalize(text) in REGIONAL_WORDS:
        return True, None
    name = resolve_municipality(text)
    muni_id = municipality_ids.get(name.lower()) if name is not None else None
    return muni_id is not None, muni_id


@dataclass
class HoursLine:
    minutes: int | None = None
    bad_duration: str | None = None  # a duration outside the limits: too_long | too_short
    kind_id: int | None = None
    municipality_set: bool = False  # a municipality (or "regionaal") was named
    municipality_id: int | None = None
    work_date: date | None = None  # not range-checked: see limits.check_work_date
    unknown: list[str] = field(default_factory=list)  # words that are none of the above


def parse_hours_line(
    text: str, kinds: Sequence[Named], municipality_ids: Mapping[str, int], today: date
) -> HoursLine:
    """Recognise duration, kind, municipality (or "regionaal") and date in free order."""
    out = HoursLine()
    rest = text
    found = durations.find_duration(rest)
    if found is not None:
        minutes, start, end = found
        rest = rest[:start] + " " + rest[end:]
        out.bad_duration = limits.check_minutes(minutes, minimum=limits.MIN_INDIRECT_MINUTES)
        if out.bad_duration is None:
            out.minutes = minutes
    dated = dates.find_date(rest, today)
    if dated is not None:
        out.work_date, start, end = dated
        rest = rest[:start] + " " + rest[end:]
    place = find_place(rest)
    if place is not None:
        muni_id = municipality_ids.get(place.municipality.lower())
        if muni_id is not None:
            out.municipality_set, out.municipality_id = True, muni_id
            rest = rest[: place.start] + " " + rest[place.end :]
    for word in normalize(rest).split():
        kind = match_kind(word, kinds)
        if kind is not None and out.kind_id is None:
            out.kind_id = kind
        elif word in REGIONAL_WORDS and not out.municipality_set:
            out.municipality_set, out.municipality_id = True, None
        elif word not in FILLER:
            out.unknown.append(word)
    return out
