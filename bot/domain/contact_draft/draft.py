"""The contact draft: the dialogue's steps and limits, the draft itself (its JSON round trip
and field helpers), the previous contact and the draft `/contact` starts with."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import Any, Literal

from bot.domain import limits

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
# A new /contact came while this one had unsaved data: save this one first, or throw it away
# and go on with the new one (kept in `ContactDraft.pending`). Never replaced silently.
REPLACE = "replace"
STATES = (*STEPS, SUMMARY, CONFIRM_DAY, ASK, REPLACE)

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
    # A new contact that came while this one was open (state REPLACE): {"data": its draft's
    # data, "state": its first step, "note": the text to show there, "back": this draft's
    # step to return to}. It goes on once this one is saved, or replaces it on request.
    pending: dict[str, Any] | None = None

    # ----------------------------------------------------------------- JSON round trip

    def to_data(self) -> dict[str, Any]:
        """The draft as JSON-ready data: a new dict with new lists (shallow: the values are
        plain str/int/bool/None, the questions small dicts of those; copied one level)."""
        data = dict(self.__dict__)
        data["work_date"] = self.work_date.isoformat() if self.work_date else None
        for name in _LIST_FIELDS:
            data[name] = list(data[name])
        data["questions"] = [dict(q) for q in self.questions]
        data["pending"] = dict(self.pending) if self.pending else None
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
        bookkeeping = ("mode", "history", "from_last", "questions", "editing_id", "pending")
        for key in (*bookkeeping, "deel_chosen", "deel_needs"):
            data.pop(key)
        return data

    # ----------------------------------------------------------------- field helpers

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
    village: str | None = None  # the kern named ("Blerick"), with the municipality


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
    # `LastEntry` holds what a repeat contact takes over, under the draft's own field names;
    # the deelopdracht only while it is still active.
    same: dict[str, Any] = {f.name: getattr(last, f.name) for f in fields(LastEntry)}
    same["themes"] = list(last.themes)
    if not deelopdracht_active:
        same["deelopdracht_id"] = None
    return ContactDraft(
        work_date=today,
        **same,
        deel_chosen=deelopdracht_active and last.deelopdracht_id is not None,
        mode="edit",
        from_last=True,
    )
