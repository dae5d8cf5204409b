"""The contact dialogue's data: a draft, its defaults, the step order, validation, summary data.

Pure: no Telegram, no database, no message strings. The handler (`bot.handlers.contact`) turns
these codes into Dutch text and buttons; the repository (`bot.storage.contacts`) turns a
complete draft into rows.

A draft travels as JSON in `conversation_draft.data` (see `ContactDraft.to_data`). Vocabulary
entries are kept by their stable `code`; municipality, vindplek and deelopdracht by id.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import Any, Literal

from bot.domain import limits, vocabmatch
from bot.domain.quickentry import QuickEntry
from bot.domain.textmatch import NUMBER_WORDS

FLOW = "contact"

# Limits for what one contact can be. Anything outside is a typo, not a long day. Dates,
# durations and text follow the rules of every dialogue (`bot.domain.limits`).
MAX_CONTACT_MINUTES = limits.MAX_CONTACT_MINUTES
MAX_STORY_CHARS = limits.MAX_STORY_CHARS
MIN_STORY_CHARS = limits.MIN_TEXT_CHARS
MAX_RESIDENTS = 500
MAX_VINDPLEK_CHARS = 80

DURATION_CHOICES = (15, 30, 45, 60, 90, 120)
# Words of a one-line entry asked about one by one; more are asked about together, of which
# at most MAX_ECHO_WORDS are shown, each at most MAX_ECHO_WORD characters.
MAX_WORD_QUESTIONS = 2
MAX_ECHO_WORDS = 5
MAX_ECHO_WORD = 30
COUNT_CHOICES = (1, 2, 3, 4)  # and "5+": typed

# The dialogue's steps in order. "summary" ends every path; "confirm_day" guards the day total.
STEPS = (
    "date",
    "gemeente",
    "vindplek",
    "activity",
    "themes",
    "residents",
    "new",
    "duration",
    "reach",
    "referral",
    "deelopdracht",
    "nonuse",
    "story",
    "care",
)
SUMMARY = "summary"
CONFIRM_DAY = "confirm_day"
ASK = "ask"  # a part of a one-line entry the bot did not use: asked about, never dropped
STATES = (*STEPS, SUMMARY, CONFIRM_DAY, ASK)

# "nonuse" is required only when the contact's deelopdracht measures it (see `needs_non_use`).
REQUIRED = ("date", "gemeente", "activity", "themes", "residents", "new", "duration", "nonuse")
OPTIONAL = ("vindplek", "reach", "referral", "deelopdracht", "story", "care")
# Steps that can be skipped with one tap ("Overslaan"); "nonuse" only where not required.
SKIPPABLE = ("vindplek", "reach", "referral", "deelopdracht", "story", "nonuse", "care")
# Optional steps the walk through the steps does not ask: added from the summary with one
# tap on their button (issue 15: a new contact in at most 7 taps).
SUMMARY_ONLY = ("referral", "story", "care")

# Typed answers that mean "nothing to fill in here" on a skippable step. A vindplek is shared
# with every expert of the municipality, so "nvt" must never become a place called "Nvt".
SKIP_WORDS = frozenset(
    {
        "overslaan",
        "sla over",
        "skip",
        "geen",
        "nee",
        "niks",
        "niets",
        "-",
        "nvt",
        "n.v.t.",
        "n.v.t",
        "geen vaste plek",
        "geen plek",
        "weet ik niet",
        "weet niet",
        "onbekend",
    }
)


def is_skip_word(text: str) -> bool:
    """Whether a typed answer means "skip this step" ("Nvt", "weet ik niet!", " geen ")."""
    norm = " ".join(text.lower().split())
    return norm in SKIP_WORDS or norm.rstrip(".!?") in SKIP_WORDS


# How the dialogue moves on after a step:
# steps: through every step in order (first contact, or "stap voor stap");
# fill:  only to the next missing required step (after a one-line entry);
# edit:  straight back to the summary (a field changed from the summary).
Mode = Literal["steps", "fill", "edit"]


@dataclass
class ContactDraft:
    work_date: date | None = None
    municipality_id: int | None = None
    village: str | None = None  # the kern named ("Tegelen"), kept with the contact
    vindplek_id: int | None = None
    new_vindplek: str | None = None  # typed by the expert; stored when the contact is saved
    activity: str | None = None  # ActivityType.code
    themes: list[str] = field(default_factory=list)  # Theme.code, in choice order
    residents_count: int | None = None
    residents_new: int | None = None  # how many of them are new to this expert
    duration_minutes: int | None = None
    reach: str | None = None  # ReachChannel.code
    referrals: list[str] = field(default_factory=list)  # ReferralTarget.code, in choice order
    deelopdracht_id: int | None = None
    story: str | None = None
    non_use: list[str] = field(default_factory=list)  # NonUseReason.code (drempels)
    non_use_known: bool | None = None  # None not asked, True reasons, False "weet ik niet"
    care_relation: str | None = None  # CareRelation value
    # Dialogue bookkeeping.
    deel_chosen: bool = False  # the expert chose the deelopdracht (or none): no default
    deel_needs: list[str] = field(default_factory=list)  # steps its measures need
    mode: Mode = "steps"
    history: list[str] = field(default_factory=list)  # states visited, for "Terug"
    from_last: bool = False  # pre-filled from the previous contact ("Zelfde als vorige keer?")
    # Parts of a one-line entry still to ask about (see `Question`), the first one first.
    questions: list[dict[str, Any]] = field(default_factory=list)
    # /corrigeer: the saved contact this draft changes (saving updates it, with an audit row).
    editing_id: int | None = None

    # ----------------------------------------------------------------- JSON round trip

    def to_data(self) -> dict[str, Any]:
        """The draft as JSON-ready data: a new dict with new lists (shallow: the values are
        plain str/int/bool/None, the questions small dicts of those; copied one level)."""
        data = dict(self.__dict__)
        data["work_date"] = self.work_date.isoformat() if self.work_date else None
        for name in _LIST_FIELDS:
            data[name] = list(data[name])
        data["questions"] = [dict(q) for q in self.questions]
        return data

    @classmethod
    def from_data(cls, data: dict[str, Any] | None) -> ContactDraft:
        data = data or {}
        kwargs = {k: v for k, v in data.items() if k in _FIELD_NAMES}
        if kwargs.get("work_date"):
            kwargs["work_date"] = date.fromisoformat(kwargs["work_date"])
        for name in _LIST_FIELDS:
            kwargs[name] = list(kwargs.get(name) or ())
        if not kwargs["referrals"]:
            # Drafts from before several referrals were allowed hold one "referral".
            old = data.get("referral")
            if old:
                kwargs["referrals"] = [old]
        return cls(**kwargs)

    def copy(self, **changes: Any) -> ContactDraft:
        new = replace(self, **changes)
        for name in _LIST_FIELDS:
            setattr(new, name, list(getattr(new, name)))
        new.questions = list(new.questions)
        return new

    @property
    def referral(self) -> str | None:
        """The first referral (the one field older code and the reports know)."""
        return self.referrals[0] if self.referrals else None

    @referral.setter
    def referral(self, code: str | None) -> None:
        self.referrals = [code] if code else []

    def toggle_referral(self, code: str) -> None:
        if code in self.referrals:
            self.referrals.remove(code)
        else:
            self.referrals.append(code)

    def values(self) -> dict[str, Any]:
        """What the contact would be, without the dialogue's bookkeeping."""
        data = self.to_data()
        bookkeeping = ("mode", "history", "from_last", "questions", "editing_id")
        for key in (*bookkeeping, "deel_chosen", "deel_needs"):
            data.pop(key)
        return data

    # ----------------------------------------------------------------- field helpers

    @property
    def has_vindplek(self) -> bool:
        return self.vindplek_id is not None or bool(self.new_vindplek)

    def toggle_theme(self, code: str) -> None:
        if code in self.themes:
            self.themes.remove(code)
        else:
            self.themes.append(code)

    def set_count(self, n: int) -> None:
        """Change the number of residents, keeping "all new" / "all known" as chosen."""
        old_count, old_new = self.residents_count, self.residents_new
        self.residents_count = n
        if old_new is None:
            return
        if old_count is not None and old_new == old_count:
            self.residents_new = n
        else:
            self.residents_new = min(old_new, n)

    def set_municipality(self, municipality_id: int) -> None:
        if municipality_id != self.municipality_id:
            # A vindplek and a deelopdracht belong to one municipality.
            self.vindplek_id = None
            self.new_vindplek = None
            self.deelopdracht_id = None
            self.deel_chosen = False
            self.deel_needs = []
            self.village = None
        self.municipality_id = municipality_id


# The draft's fields, and those holding lists (copied on every round trip; "questions" is a
# list too, of dicts).
_FIELD_NAMES = frozenset(f.name for f in fields(ContactDraft))
_LIST_FIELDS = ("themes", "referrals", "non_use", "deel_needs", "history", "questions")


@dataclass(frozen=True)
class LastEntry:
    """What the expert's previous contact looked like (from storage)."""

    municipality_id: int
    vindplek_id: int | None
    activity: str
    themes: tuple[str, ...]
    residents_count: int
    residents_new: int
    duration_minutes: int
    reach: str | None
    deelopdracht_id: int | None = None


def initial_draft(
    today: date,
    *,
    last: LastEntry | None,
    home_municipality_id: int | None,
    deelopdracht_active: bool = False,
) -> ContactDraft:
    """The draft `/contact` starts with.

    With a previous contact: everything the same as last time, dated today, no referral and no
    story (those are about one resident) — shown as a summary first, so a repeat contact is one
    tap. Without one: today and the home municipality; the dialogue walks through the steps.
    """
    if last is None:
        return ContactDraft(work_date=today, municipality_id=home_municipality_id, mode="steps")
    return ContactDraft(
        work_date=today,
        municipality_id=last.municipality_id,
        vindplek_id=last.vindplek_id,
        activity=last.activity,
        themes=list(last.themes),
        residents_count=last.residents_count,
        residents_new=last.residents_new,
        duration_minutes=last.duration_minutes,
        reach=last.reach,
        deelopdracht_id=last.deelopdracht_id if deelopdracht_active else None,
        deel_chosen=deelopdracht_active and last.deelopdracht_id is not None,
        mode="edit",
        from_last=True,
    )


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


# --------------------------------------------------------------------------- validation
# Each check returns None when fine, else a short error code the handler turns into text.


def check_date(d: date, today: date, max_back_days: int) -> str | None:
    return limits.check_work_date(d, today, max_back_days)


def check_duration(minutes: int) -> str | None:
    return limits.check_minutes(minutes, minimum=1, maximum=MAX_CONTACT_MINUTES)


def check_count(n: int) -> str | None:
    if n < 1:
        return "too_few"
    if n > MAX_RESIDENTS:
        return "too_many"
    return None


def check_new(n_new: int, count: int) -> str | None:
    if n_new < 0:
        return "too_few"
    if n_new > count:
        return "more_than_count"
    return None


def check_story_length(text: str) -> str | None:
    return limits.check_text_length(
        text.strip(), max_chars=MAX_STORY_CHARS, min_chars=MIN_STORY_CHARS
    )


def check_vindplek_name(text: str) -> str | None:
    name = clean_name(text)
    if len(name) < 2 or not any(ch.isalpha() for ch in name):
        return "no_letters"
    if len(name) > MAX_VINDPLEK_CHARS:
        return "too_long"
    return None


def clean_name(text: str) -> str:
    """A typed place name tidied up: single spaces, no control characters, first letter up."""
    name = " ".join("".join(ch for ch in text if ch.isprintable()).split())
    return name[:1].upper() + name[1:]


def parse_count(text: str) -> int | None:
    """A typed number of residents: digits ("7", " 12 ") or a small Dutch number word."""
    s = text.strip().lower()
    if s.endswith("+"):
        s = s[:-1].strip()
    if s in NUMBER_WORDS:
        return NUMBER_WORDS[s]
    return int(s) if s.isascii() and s.isdigit() and len(s) <= 6 else None


# The day's total (contacts + indirect hours + this one) against the limit.
day_total_too_high = limits.day_total_too_high


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


# --------------------------------------------------------------------------- vocabulary matching


@dataclass(frozen=True)
class VocabItem:
    id: int
    code: str
    label: str
    aliases: tuple[str, ...] = ()


def match_vocab(text: str, items: Sequence[VocabItem]) -> VocabItem | None:
    """The one entry a typed word means (see ``bot.domain.vocabmatch``)."""
    return vocabmatch.match_term(text, items)


def match_vocab_list(text: str, items: Sequence[VocabItem]) -> tuple[list[VocabItem], list[str]]:
    """Several entries typed in one line ("armoede, eenzaamheid"): matches and leftovers."""
    return vocabmatch.match_terms(text, items)


# --------------------------------------------------------------------------- one-line entry

# What "reached via" most likely was when the line only names the activity.
REACH_FROM_ACTIVITY = {"inloop": "inloop", "outreach": "vindplek"}

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
    if "counts_conflict" not in problems:
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
