"""Where the contact dialogue goes: which steps are done, missing or skippable, the next
step, and the summary's lines (as data; the handler formats them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from bot.domain.contact_draft.draft import (
    ASK,
    CONFIRM_DAY,
    REQUIRED,
    SKIPPABLE,
    STEPS,
    SUMMARY,
    SUMMARY_ONLY,
    ContactDraft,
)

# What "reached via" most likely was when the line only names the activity.
REACH_FROM_ACTIVITY = {"inloop": "inloop", "outreach": "vindplek"}


# --------------------------------------------------------------------------- completeness


# The draft field each required step fills in (themes: at least one).
STEP_FIELDS = {
    "date": "work_date",
    "gemeente": "municipality_id",
    "activity": "activity",
    "themes": "themes",
    "residents": "residents_count",
    "new": "residents_new",
    "duration": "duration_minutes",
}


def needs_non_use(draft: ContactDraft) -> bool:
    """Whether the drempels are a required step: new residents were reached, under a
    deelopdracht that measures how often their reasons for non-use are known."""
    return "nonuse" in draft.deel_needs and (draft.residents_new or 0) > 0


def skippable(draft: ContactDraft, step: str) -> bool:
    """Whether a step can be left empty with "Overslaan"."""
    if step == "nonuse":
        return not needs_non_use(draft)
    return step in SKIPPABLE


def step_done(draft: ContactDraft, step: str) -> bool:
    """Whether a required step has a value."""
    if step == "nonuse":
        return not needs_non_use(draft) or draft.non_use_known is not None
    if step not in STEP_FIELDS:
        return True
    value = getattr(draft, STEP_FIELDS[step])
    return bool(value) if step == "themes" else value is not None


def missing(draft: ContactDraft) -> list[str]:
    """Required steps without a value, in dialogue order."""
    return [s for s in STEPS if s in REQUIRED and not step_done(draft, s)]


def is_complete(draft: ContactDraft) -> bool:
    return not missing(draft)


def replaced_from(draft: ContactDraft) -> tuple[str, bool]:
    """For an open contact that a new one waits behind (state REPLACE): the step it was on,
    and whether it can be saved with one tap from there (complete, at the summary)."""
    back = str((draft.pending or {}).get("back") or SUMMARY)
    return back, back in (SUMMARY, CONFIRM_DAY) and is_complete(draft)


def next_state(draft: ContactDraft, current: str, *, has_deelopdrachten: bool) -> str:
    """Where the dialogue goes after `current` has been answered.

    ``has_deelopdrachten``: there is a choice of deelopdracht to ask about (several fit and
    the expert did not choose; one that fits is taken without asking)."""
    if draft.questions:
        return ASK
    if draft.mode == "fill":
        todo = missing(draft)
        return todo[0] if todo else SUMMARY
    if draft.mode == "edit":
        # A new municipality means the old vindplek is gone; a new count asks new/known again.
        follow_up = {"gemeente": "vindplek", "residents": "new"}.get(current)
        if follow_up:
            return follow_up
        todo = missing(draft)
        return todo[0] if todo else SUMMARY
    if current not in STEPS:
        return SUMMARY
    for step in STEPS[STEPS.index(current) + 1 :]:
        if step == "deelopdracht" and not has_deelopdrachten:
            continue
        if step in SUMMARY_ONLY or (step == "nonuse" and step_done(draft, step)):
            continue  # optional: added from the summary
        if step == "new" and draft.residents_count == 1 and draft.residents_new is not None:
            continue  # answered with the count ("Eén, nieuw")
        if step == "reach" and follows_from_activity(draft):
            continue  # an inloop contact was reached at the inloop
        return step
    return SUMMARY


def set_activity(draft: ContactDraft, code: str) -> None:
    """The activity, and the reach channel that follows from it when none was chosen."""
    derived = follows_from_activity(draft)  # the reach came from the previous activity
    draft.activity = code
    if draft.reach is None or derived:
        draft.reach = REACH_FROM_ACTIVITY.get(code)


def follows_from_activity(draft: ContactDraft) -> bool:
    """Whether the reach channel is the one the activity implies (no need to ask it)."""
    return draft.reach is not None and REACH_FROM_ACTIVITY.get(draft.activity or "") == draft.reach


def first_state(draft: ContactDraft) -> str:
    """Where the dialogue opens: the summary when pre-filled, else the first open step."""
    if draft.questions:
        return ASK
    if draft.mode == "steps":
        return STEPS[0]
    todo = missing(draft)
    return todo[0] if todo else SUMMARY


# --------------------------------------------------------------------------- summary data


@dataclass(frozen=True)
class SummaryItem:
    step: str  # the step that changes this line
    value: Any  # raw value; the handler formats it
    missing: bool = False


def summary_items(draft: ContactDraft, *, has_deelopdrachten: bool) -> list[SummaryItem]:
    """The summary's lines in order, each with the step that changes it."""
    items = [
        SummaryItem("date", draft.work_date, draft.work_date is None),
        SummaryItem(
            "gemeente",
            (draft.municipality_id, draft.vindplek_id, draft.new_vindplek),
            draft.municipality_id is None,
        ),
        SummaryItem("activity", draft.activity, draft.activity is None),
        SummaryItem("themes", tuple(draft.themes), not draft.themes),
        SummaryItem(
            "residents",
            (draft.residents_count, draft.residents_new),
            draft.residents_count is None or draft.residents_new is None,
        ),
        SummaryItem("duration", draft.duration_minutes, draft.duration_minutes is None),
        SummaryItem("reach", draft.reach),
        SummaryItem("referral", tuple(draft.referrals)),
    ]
    if has_deelopdrachten or draft.deelopdracht_id is not None:
        items.append(SummaryItem("deelopdracht", draft.deelopdracht_id))
    if draft.residents_new:  # drempels: of new residents only
        value = (draft.non_use_known, tuple(draft.non_use))
        items.append(SummaryItem("nonuse", value, not step_done(draft, "nonuse")))
    items.append(SummaryItem("story", draft.story))
    items.append(SummaryItem("care", draft.care_relation))
    return items


def new_known(draft: ContactDraft) -> Literal["new", "known", "mixed"] | None:
    if draft.residents_new is None or draft.residents_count is None:
        return None
    if draft.residents_new == 0:
        return "known"
    if draft.residents_new >= draft.residents_count:
        return "new"
    return "mixed"
