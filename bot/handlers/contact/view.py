"""What the contact dialogue shows, loaded once per update, and the formatting shared by its
steps: the message frame (resume line, error, note, back/skip buttons) and the summary."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property, lru_cache
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import Settings
from bot.context import BotContext
from bot.dialogue import Outcome, Screen, View
from bot.domain import contact_draft as cdm
from bot.domain.contact_draft import ContactDraft
from bot.domain.durations import format_duration
from bot.handlers.common import Button, esc
from bot.handlers.contact.codec import PREFIX
from bot.handlers.contact.texts import (
    BACK_LABEL,
    CARE_LABELS,
    CHECK,
    FIELD_LABELS,
    MAX_MESSAGE,
    MAX_NAME,
    SKIP_LABEL,
    clip,
)
from bot.i18n import Translator, translator
from bot.storage import contacts, lists
from bot.storage import vocab as vocab_cache
from bot.storage.models import ConversationDraft
from bot.text import short_label

REF_TTL_SECONDS = 30.0


async def refdata(s: AsyncSession, context: BotContext) -> contacts.RefData:
    """Vocabularies and municipalities, cached: they change rarely and every step shows some
    of them. A list change bumps the list version (read once per update), so a new or retired
    item shows at once, also in another process (and `bot.storage.vocab.invalidate` in this
    one); the rest is read again after a while."""
    services = context.services
    cached = services.contact_refdata
    now = time.monotonic()
    key = (await lists.version(s), vocab_cache.generation())
    if cached is not None and cached[0] > now and cached[1] == key:
        return cached[2]
    ref = await contacts.load_refdata(s)
    services.contact_refdata = (now + REF_TTL_SECONDS, key, ref)
    return ref


@dataclass(kw_only=True)
class ContactView(View):
    cd: ContactDraft
    ref: contacts.RefData
    places: list[contacts.Place] = field(default_factory=list)  # the vindplek step's choices
    place: contacts.Place | None = None  # the draft's vindplek
    deel_title: str | None = None  # the draft's deelopdracht (also one no longer active)
    day_total: int = 0  # minutes on the draft's day with this contact (confirm_day)

    @cached_property
    def today(self) -> date:
        return self.context.services.today()

    @property
    def settings(self) -> Settings:
        return self.context.services.settings

    @property
    def has_deel(self) -> bool:
        return bool(self.ref.active_deelopdrachten(self.cd.municipality_id, self.cd.work_date))


SHOWS_PLACE = ("gemeente", "vindplek", cdm.SUMMARY, cdm.CONFIRM_DAY, cdm.ASK, cdm.REPLACE)


async def load_view(
    s: AsyncSession,
    context: BotContext,
    draft: ConversationDraft,
    extra: dict[str, Any] | None = None,
) -> ContactView:
    """Everything the draft's current step shows, read now (rendering reads nothing)."""
    cd = ContactDraft.from_data(draft.data)
    ref = await refdata(s, context)
    state = draft.state
    view = ContactView(context=context, draft=draft, prefix=PREFIX, cd=cd, ref=ref)
    if state == "vindplek" and cd.municipality_id is not None:
        view.places = await contacts.vindplekken(s, cd.municipality_id, draft.user_id)
    if cd.vindplek_id is not None and (state in SHOWS_PLACE or cd.mode == "fill"):
        view.place = next((p for p in view.places if p.id == cd.vindplek_id), None)
        if view.place is None:
            view.place = await contacts.place(s, cd.vindplek_id)
    shows_deel = state in (cdm.SUMMARY, cdm.CONFIRM_DAY, cdm.ASK) or cd.mode == "fill"
    if cd.deelopdracht_id is not None and shows_deel:
        deel = ref.deelopdracht(cd.deelopdracht_id)
        if deel is not None:
            view.deel_title = deel.title
        else:  # no longer active
            row = await contacts.deelopdracht(s, cd.deelopdracht_id)
            view.deel_title = row.title if row is not None else None
    if state == cdm.CONFIRM_DAY and cd.work_date is not None:
        total = (extra or {}).get("total")
        if total is None:
            logged = await contacts.day_minutes(s, draft.user_id, cd.work_date)
            total = logged + (cd.duration_minutes or 0)
        view.day_total = int(total)
    return view


# --------------------------------------------------------------------------- formatting


def mark(label: str, on: bool) -> str:
    return CHECK + label if on else label


short = short_label  # the one short form of a list label (bot.text)


def fmt_minutes(t: Translator, minutes: int) -> str:
    """The one duration form (also /uren, /week, /corrigeer): exact, "2 uur 15 min"."""
    return _duration_text(minutes, t.locale)


# Babel's unit formatting costs ≈ 0.1 ms a call and the duration step shows six of them on
# every render: the same few (minutes, locale) pairs, so they are kept.
_duration_text = lru_cache(maxsize=1024)(format_duration)


@lru_cache(maxsize=256)
def _date_text(language: str, d: date) -> str:
    return translator(language).fmt_date(d)  # Babel: ≈ 11 us a call, the same few days


def fmt_day(v: ContactView, d: date) -> str:
    _ = v.t._
    text = _date_text(v.t.language, d)
    if d == v.today:
        return _("{date} (vandaag)").format(date=text)
    if d == v.today - timedelta(days=1):
        return _("{date} (gisteren)").format(date=text)
    return text


def place_text(v: ContactView) -> str:
    cd = v.cd
    if cd.municipality_id is None:
        return "–"
    muni = v.ref.municipality(cd.municipality_id)
    name = clip(muni.name, MAX_NAME) if muni else "?"
    if cd.village and cd.village != name:
        name = f"{name} ({clip(cd.village, MAX_NAME)})"  # "Venlo (Tegelen)"
    parts = [name]
    if cd.vindplek_id is not None:
        if v.place is not None:
            parts.append(clip(v.place.name, MAX_NAME))
    elif cd.new_vindplek:
        parts.append(v.t._("{name} (nieuw)").format(name=clip(cd.new_vindplek, MAX_NAME)))
    return esc(" – ".join(parts))


def residents_text(t: Translator, cd: ContactDraft) -> str:
    _ = t._
    count, n_new = cd.residents_count, cd.residents_new
    if count is None:
        return "–"
    kind = cdm.new_known(cd)
    if kind == "new":
        how = _("nieuw") if count == 1 else _("allemaal nieuw")
    elif kind == "known":
        how = _("bekend") if count == 1 else _("allemaal bekend")
    elif kind == "mixed":
        how = _("{n} nieuw").format(n=n_new)
    else:
        how = _("nieuw of bekend?")
    return f"{count} ({how})"


def summary_lines(v: ContactView, *, has_deel: bool, filled: bool = False) -> list[str]:
    """The summary's lines; with ``filled`` only those with a value (what was understood)."""
    _ = v.t._
    cd, ref = v.cd, v.ref

    def label(kind: str, code: str | None) -> str:
        if not code:
            return "–"
        item = ref.by_code(kind, code)
        return esc(item.label if item else code)

    values = {
        "date": lambda: esc(fmt_day(v, cd.work_date)) if cd.work_date else "–",
        "gemeente": lambda: place_text(v),
        "activity": lambda: label("activity_types", cd.activity),
        "themes": lambda: ", ".join(short(label("themes", c)) for c in cd.themes) or "–",
        "residents": lambda: esc(residents_text(v.t, cd)),
        "duration": lambda: (
            esc(fmt_minutes(v.t, cd.duration_minutes)) if cd.duration_minutes else "–"
        ),
        "reach": lambda: label("reach_channels", cd.reach),
        "referral": lambda: ", ".join(label("referral_targets", c) for c in cd.referrals) or "–",
        "deelopdracht": lambda: esc(clip(v.deel_title, MAX_NAME)) if v.deel_title else "–",
        "story": lambda: f"<i>{esc(clip(cd.story))}</i>" if cd.story else "–",
        "nonuse": lambda: non_use_text(v),
        "care": lambda: esc(_(CARE_LABELS[cd.care_relation])) if cd.care_relation else "–",
    }
    lines = []
    for item in cdm.summary_items(cd, has_deelopdrachten=has_deel):
        value = values[item.step]() if item.step in values else "–"
        if value == "–" and (filled or item.step == "care"):
            continue  # the relation to care: a line once given (its button is always there)
        # Every summary reads "Label: <b>value</b>" (as /uren, /signaal, /corrigeer).
        lines.append(f"{esc(_(FIELD_LABELS[item.step]))}: <b>{value}</b>")
    return lines


def non_use_text(v: ContactView) -> str:
    cd = v.cd
    if cd.non_use_known is False:
        return esc(v.t._("weet ik niet"))
    labels = []
    for code in cd.non_use:
        item = v.ref.by_code("non_use_reasons", code)
        labels.append(esc(short(item.label) if item else code))
    return ", ".join(labels) or "–"


def fit(head: list[str], body: str) -> str:
    """The message from its lines above the step and the step itself, below Telegram's limit.

    Everything echoed is clipped where it is built; this is the last guard: the step (with its
    buttons' question) always goes out, lines above it are dropped from the end if need be."""
    head = list(head)
    while head and len("\n\n".join([*head, body])) > MAX_MESSAGE:
        head.pop()
    return "\n\n".join([*head, body]) if head else body


def frame(v: ContactView, screen: Screen, outcome: Outcome) -> Screen:
    """The step with what goes around it: the resume line, an error or note above it, and the
    back and skip buttons (and "start over" when resuming) below it."""
    _ = v.t._
    body, buttons = screen
    state, cd = v.state, v.cd
    resume = bool(v.extra.get("resume"))
    head: list[str] = []
    if resume:
        head.append(_("Je was nog bezig met een contact. Hier ging je verder:"))
    if outcome.error:
        head.append(f"⚠️ {outcome.error}")
    if outcome.note:
        head.append(outcome.note)
    if cd.mode == "fill" and state in cdm.STEPS and not resume:
        # After a one-line entry: what was understood so far, above the missing step.
        understood = summary_lines(v, has_deel=False, filled=True)
        if understood:
            head.append("\n".join(["<b>" + _("Dit heb ik begrepen") + "</b>", *understood]))
    nav: list[Button] = []
    if cd.history and state not in (cdm.SUMMARY, cdm.REPLACE):
        nav.append((_(BACK_LABEL), v.button("b")))
    if cdm.skippable(cd, state) and state != "vindplek":
        nav.append((_(SKIP_LABEL), v.button("x")))
    if nav:
        buttons.append(nav)
    if resume and state != cdm.REPLACE:  # there its own buttons choose
        buttons.append([(_("Nieuw contact beginnen"), v.button("new"))])
    return fit(head, body), buttons
