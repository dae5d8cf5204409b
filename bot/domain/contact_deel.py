"""A contact under a deelopdracht: which one by default, and which steps its measures need.

Pure: the handler passes the deelopdrachten that take contacts in the contact's municipality on
its day (`takes_contacts_on`: the day lies in the period, whether or not the deelopdracht still
runs today), with the kinds of their measures and the vindplekken their filters name; this
decides.

- Default: when the expert has not chosen (`ContactDraft.deel_chosen`), the one deelopdracht
  whose measures name the contact's vindplek, else the only one of the municipality. With
  several and no vindplek to tell them apart, nothing is chosen and the dialogue asks.
- Needs: a deelopdracht that measures "share of reached residents whose reason for non-use is
  known" makes the drempels a required step when new residents were reached. Every other
  optional field (drempels without such a measure, relation to care) is added from the summary.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from bot.domain.contact_draft import ContactDraft

# Measure kind -> the dialogue step it needs.
STEP_FOR_MEASURE = {"non_use_known": "nonuse"}

# The relation to professional care (storage values of CareRelation), in button order.
CARE_RELATIONS = ("naast", "in_plaats_van", "voorkoming", "nazorg")


@dataclass(frozen=True)
class DeelChoice:
    id: int
    measures: frozenset[str] = frozenset()  # MeasureKind values
    vindplek_ids: frozenset[int] = frozenset()  # vindplekken named in its measures' filters


def takes_contacts_on(
    day: date, starts_on: date | None, ends_on: date | None, *, active: bool
) -> bool:
    """Whether a contact on `day` can belong to the deelopdracht: the day lies in its period
    [starts_on, ends_on]. That depends on the contact's day, not on today: a contact typed
    later (up to MAX_BACK_DAYS back) still counts for a deelopdracht that has ended since.
    Ending one sets its end date to the day it ended; an ended one without an end date takes
    no contacts."""
    if starts_on is not None and day < starts_on:
        return False
    if ends_on is None:
        return active
    return day <= ends_on


def default_deelopdracht(options: Sequence[DeelChoice], vindplek_id: int | None) -> int | None:
    """The deelopdracht a contact belongs to without asking, or None (none, or a real choice)."""
    if vindplek_id is not None:
        by_place = [o for o in options if vindplek_id in o.vindplek_ids]
        if len(by_place) == 1:
            return by_place[0].id
    return options[0].id if len(options) == 1 else None


def has_choice(cd: ContactDraft, options: Sequence[DeelChoice]) -> bool:
    """Whether the dialogue asks which deelopdracht: several fit and the expert did not say."""
    return not cd.deel_chosen and cd.deelopdracht_id is None and len(options) > 1


def steps_needed(measures: Iterable[str]) -> list[str]:
    return sorted({STEP_FOR_MEASURE[m] for m in measures if m in STEP_FOR_MEASURE})


def settle(cd: ContactDraft, options: Sequence[DeelChoice]) -> None:
    """The draft's deelopdracht (the default while the expert has not chosen) and the steps
    its measures need. A chosen deelopdracht that does not take the contact (its day was
    changed to outside the period) is not kept: the default applies again."""
    if cd.deel_chosen and cd.deelopdracht_id is not None:
        if all(o.id != cd.deelopdracht_id for o in options):
            cd.deel_chosen = False
    if not cd.deel_chosen:
        cd.deelopdracht_id = default_deelopdracht(options, cd.vindplek_id)
    chosen = next((o for o in options if o.id == cd.deelopdracht_id), None)
    cd.deel_needs = steps_needed(chosen.measures) if chosen is not None else []


def choose(cd: ContactDraft, deelopdracht_id: int | None, options: Sequence[DeelChoice]) -> None:
    """The expert's own choice (None: "not under a deelopdracht"); no default replaces it."""
    cd.deel_chosen = True
    cd.deelopdracht_id = deelopdracht_id
    settle(cd, options)


# --------------------------------------------------------------------------- drempels


def toggle_non_use(cd: ContactDraft, code: str) -> None:
    if code in cd.non_use:
        cd.non_use.remove(code)
    else:
        cd.non_use.append(code)


def non_use_done(cd: ContactDraft) -> bool:
    """ "Klaar": the reasons chosen are the answer (at least one)."""
    if not cd.non_use:
        return False
    cd.non_use_known = True
    return True


def non_use_unknown(cd: ContactDraft) -> None:
    """ "Weet ik niet": an answer of its own (the reasons are not known), not a skip."""
    cd.non_use = []
    cd.non_use_known = False


def clear_non_use(cd: ContactDraft) -> None:
    """Not asked (skipped where that is allowed)."""
    cd.non_use = []
    cd.non_use_known = None


def stored_non_use(cd: ContactDraft) -> tuple[bool | None, list[str]]:
    """What a save stores: drempels belong to new residents only."""
    if not cd.residents_new:
        return None, []
    if cd.non_use_known is False:
        return False, []
    if cd.non_use:
        return True, list(dict.fromkeys(cd.non_use))
    return None, []
