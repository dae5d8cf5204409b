"""A contact draft from a one-line entry (`/contact 45 min inloop …`), and answering the
questions about the parts of the line the bot did not use."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from bot.domain.contact_draft.checks import check_count, check_duration, check_new
from bot.domain.contact_draft.draft import (
    MAX_ECHO_WORD,
    MAX_ECHO_WORDS,
    MAX_WORD_QUESTIONS,
    ContactDraft,
)
from bot.domain.contact_draft.flow import REACH_FROM_ACTIVITY
from bot.domain.quickentry import QuickEntry

# --------------------------------------------------------------------------- one-line entry

# Problems of a one-line entry, mapped to the step that must ask again and an error code
# the handler shows there.
QUICK_PROBLEM_STEP = {
    "duration_zero": ("duration", "too_short"),
    "duration_too_long": ("duration", "too_long"),
    "date_future": ("date", "future"),
    "date_too_old": ("date", "too_old"),
    "date_invalid": ("date", "invalid"),
    "several_municipalities": ("gemeente", "several"),
    "several_activity_types": ("activity", "several"),
    "counts_conflict": ("residents", "conflict"),
    "count_too_high": ("residents", "too_many"),
}


def from_quick(
    entry: QuickEntry,
    today: date,
    *,
    default_municipality_id: int | None,
    municipality_id: int | None,
    vindplek_id: int | None,
    known_reach: Iterable[str] = (),
) -> tuple[ContactDraft, tuple[str, str] | None]:
    """A draft from a parsed line, and the first problem to show as (step, error code).

    What the line does not say is left empty, so the dialogue asks only for that; the
    municipality falls back to the expert's usual one (last entry or home).
    """
    problems = [p.value for p in entry.problems]
    draft = ContactDraft(mode="fill")
    draft.work_date = entry.work_date if entry.work_date is not None else None
    if "several_municipalities" not in problems:
        draft.municipality_id = municipality_id or default_municipality_id
    draft.vindplek_id = vindplek_id  # the caller looked it up in the chosen municipality
    if draft.municipality_id is not None and draft.municipality_id == municipality_id:
        draft.village = entry.village
    if entry.minutes is not None and check_duration(entry.minutes) is None:
        draft.duration_minutes = entry.minutes
    elif entry.minutes is not None:
        problems.insert(0, "duration_too_long")
    if "several_activity_types" not in problems:
        draft.activity = entry.activity_type
    draft.themes = list(dict.fromkeys(entry.themes))
    if "counts_conflict" not in problems and "count_too_high" not in problems:
        draft.residents_count = entry.residents_count
        new = entry.residents_new
        if new is not None and check_new(new, entry.residents_count) is None:
            draft.residents_new = new
    reach = entry.reach_channel
    if reach is None and entry.activity_type in REACH_FROM_ACTIVITY:
        guess = REACH_FROM_ACTIVITY[entry.activity_type]
        reach = guess if guess in set(known_reach) else None
    draft.reach = reach
    draft.referrals = list(entry.referrals)
    draft.questions = [
        {"kind": q.kind, "raw": q.raw, "value": q.value, "options": [list(o) for o in q.options]}
        for q in entry.questions
    ]
    words = [q for q in draft.questions if q["kind"] == "word"]
    if len(words) > MAX_WORD_QUESTIONS:
        # Many words not understood (a pasted sentence): one question about all of them.
        shown = [str(q["raw"])[: MAX_ECHO_WORD + 1] for q in words[:MAX_ECHO_WORDS]]
        if len(words) > MAX_ECHO_WORDS:
            shown.append("…")
        draft.questions = [q for q in draft.questions if q["kind"] != "word"]
        draft.questions.append({"kind": "word", "raw": ", ".join(shown), "options": []})
    first = next((QUICK_PROBLEM_STEP[p] for p in problems if p in QUICK_PROBLEM_STEP), None)
    return draft, first


# --------------------------------------------------------------------------- questions

# Where a chosen suggestion goes: vocabulary kind -> how it is set on the draft.
_OPTION_FIELDS = {
    "activity_types": "activity",
    "themes": "themes",
    "referral_targets": "referrals",
    "reach_channels": "reach",
}


def answer_question(draft: ContactDraft, choice: str) -> bool:
    """Answer the first open question: "yes" uses its value, "no" leaves it out, a digit
    picks that suggestion. False when there is no such question or choice."""
    if not draft.questions:
        return False
    q = draft.questions[0]
    if choice == "yes" and q.get("value") is not None:
        value = int(q["value"])
        if q["kind"] == "minutes":
            if check_duration(value):
                return False
            draft.duration_minutes = value
        elif q["kind"] == "count":
            if check_count(value):
                return False
            draft.set_count(value)
        else:
            return False
    elif choice.isdigit():
        options = q.get("options") or []
        if int(choice) >= len(options):
            return False
        kind, code = options[int(choice)]
        target = _OPTION_FIELDS.get(kind)
        if target is None:
            return False
        if target == "themes":
            if code not in draft.themes:
                draft.themes.append(code)
        elif target == "referrals":
            if code not in draft.referrals:
                draft.referrals.append(code)
        else:
            setattr(draft, target, code)
    elif choice != "no":
        return False
    draft.questions.pop(0)
    return True
