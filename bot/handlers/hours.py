"""/uren: hours without a resident (overleg, scholing, reistijd ...) per municipality or regional.

Two ways in:
- `/uren` opens a short button dialogue: kind, duration, then a summary with the defaults
  (today, the expert's last or home municipality) that can be changed before "Opslaan".
- `/uren 1,5 uur overleg Venlo gisteren` fills what it recognises; when everything is there
  it saves at once, otherwise the dialogue continues at the first missing step.

The top of this module is the dialogue plumbing shared by /uren, /signaal, /verhaal and
/corrigeer: buttons `<prefix>:<draft id>:<revision>:<action>`, and loading the draft a button
belongs to (refusing buttons of someone else, of an older step, of a finished or expired draft).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.domain import dates as dates_domain
from bot.domain import durations, limits
from bot.domain.places import find_place, resolve_municipality
from bot.domain.textmatch import normalize
from bot.handlers.common import Button, answer, edit_or_send, esc, reply
from bot.handlers.week import fmt_duration
from bot.i18n import N_, Translator
from bot.router import TextRouter, draft_ttl
from bot.storage import drafts, users, worklog
from bot.storage.models import ConversationDraft, IndirectKind, Municipality

# --------------------------------------------------------------------------- dialogue plumbing

PROBLEMS = {
    "unknown": N_("Deze knop ken ik niet. Begin opnieuw met {command}."),
    "gone": N_(
        "Deze knop werkt niet meer: die invoer is al opgeslagen of gestopt. "
        "Kijk bij /week wat er staat, of begin opnieuw met {command}."
    ),
    "expired": N_("Deze invoer is verlopen. Er is niets opgeslagen. Begin opnieuw met {command}."),
    "stale": N_("Deze knop is niet meer actueel. Gebruik de knoppen onder het laatste bericht."),
}


def button(prefix: str, draft: ConversationDraft, action: str) -> str:
    return f"{prefix}:{draft.id}:{draft.revision}:{action}"


def parse_button(data: str) -> tuple[int, int, str] | None:
    """`u:12:3:k5` -> (12, 3, "k5"); None for anything else."""
    parts = data.split(":", 3)
    if len(parts) != 4 or not parts[1].isdigit() or not parts[2].isdigit() or not parts[3]:
        return None
    return int(parts[1]), int(parts[2]), parts[3]


@dataclass
class Press:
    """A button press on a dialogue: its draft (loaded in the caller's session) and action."""

    draft: ConversationDraft | None
    action: str
    problem: str | None  # unknown | gone | expired | stale


async def load_press(s: AsyncSession, context: BotContext, data: str, flow: str) -> Press:
    """Load the draft a button belongs to, in session ``s``; an expired draft is discarded."""
    parsed = parse_button(data)
    if parsed is None:
        return Press(None, "", "unknown")
    draft_id, revision, action = parsed
    user = context.app_user
    draft = await drafts.get_by_id(s, draft_id)
    # Someone else's (old) button, or a finished draft, looks the same: "gone".
    if draft is None or user is None or draft.user_id != user.id or draft.flow != flow:
        return Press(None, action, "gone")
    if drafts.is_expired(draft, context.services.now()):
        await drafts.discard(s, draft)
        return Press(None, action, "expired")
    if draft.revision != revision:
        return Press(draft, action, "stale")
    return Press(draft, action, None)


def problem_text(t: Translator, problem: str, command: str) -> str:
    return t._(PROBLEMS[problem]).format(command=command)


async def step(
    context: BotContext, s: AsyncSession, draft: ConversationDraft, **changes: Any
) -> None:
    """Record one step of the draft (new revision, fresh expiry); committed with ``s``."""
    await drafts.save(s, draft, context.services.now(), draft_ttl(context), **changes)


async def start_draft(
    s: AsyncSession, context: BotContext, flow: str, state: str, data: dict[str, Any]
) -> ConversationDraft:
    """Start (or restart) the user's draft of ``flow``.

    Its first revision comes from its random submission key: SQLite may give a new draft the
    id of one just deleted, and a button of the old draft must not pass for one of the new."""
    user = context.app_user
    assert user is not None and user.id is not None
    draft = await drafts.start(
        s, user.id, flow, state, data, context.services.now(), draft_ttl(context)
    )
    draft.revision = int(draft.submission_key[:6], 16) + 1
    s.add(draft)
    return draft


def rows_of(buttons: Sequence[Button], per_row: int) -> list[list[Button]]:
    return [list(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row)]


async def municipality_buttons(
    s: AsyncSession,
    context: BotContext,
    make: Callable[[str], str],
    *,
    regional: bool = True,
) -> list[list[Button]]:
    """All municipalities (two per row) and, optionally, "Regionaal" (action `mr`)."""
    munis = await worklog.municipalities(s)
    rows = rows_of([(m.label, make(f"m{m.id}")) for m in munis], 2)
    if regional:
        rows.append([(context.t._("Regionaal (geen gemeente)"), make("mr"))])
    return rows


def parse_municipality_action(action: str) -> tuple[bool, int | None]:
    """`m12` -> (True, 12); `mr` -> (True, None) regional; anything else (False, None)."""
    if action == "mr":
        return True, None
    if action.startswith("m") and action[1:].isdigit():
        return True, int(action[1:])
    return False, None


REGIONAL_WORDS = frozenset({"regionaal", "regio", "regionale", "geen gemeente", "geen"})


async def municipality_from_text(s: AsyncSession, text: str) -> tuple[bool, int | None]:
    """A typed municipality or village ("Blerick" -> Venlo), or "regionaal" (-> None)."""
    norm = normalize(text)
    if norm in REGIONAL_WORDS:
        return True, None
    name = resolve_municipality(text)
    if name is None:
        return False, None
    muni = await _municipality_by_name(s, name)
    return (muni is not None, muni.id if muni is not None else None)


async def _municipality_by_name(s: AsyncSession, name: str) -> Municipality | None:
    return await users.municipality_by_name(s, name)


def municipality_label(t: Translator, name: str | None) -> str:
    return name if name is not None else t._("regionaal")


def date_label(t: Translator, d: date, today: date) -> str:
    if d == today:
        return t._("vandaag ({date})").format(date=t.fmt_date(d))
    if d == today - timedelta(days=1):
        return t._("gisteren ({date})").format(date=t.fmt_date(d))
    return t.fmt_date(d)


DATE_PROBLEMS = {
    "future": N_("Dat is in de toekomst. Je kunt alleen vandaag of eerder invullen."),
    "too_old": N_(
        "Dat is te lang geleden. Je kunt tot {days} dagen terug invullen. "
        "Voor oudere uren: vraag de coördinator."
    ),
}


def date_problem(t: Translator, d: date, today: date, max_back: int) -> str | None:
    """Why a work date is not accepted (future, or longer ago than the back-dating limit)."""
    code = limits.check_work_date(d, today, max_back)
    return t._(DATE_PROBLEMS[code]).format(days=max_back) if code is not None else None


def date_buttons(
    t: Translator, today: date, max_back: int, make: Callable[[str], str]
) -> list[list[Button]]:
    """Vandaag, gisteren and the five days before (never past the back-dating limit)."""
    days = [today - timedelta(days=i) for i in range(min(7, max_back + 1))]
    labels = [t._("Vandaag"), t._("Gisteren")]
    out: list[Button] = []
    for i, d in enumerate(days):
        label = labels[i] if i < len(labels) else t.fmt_short_date(d)
        out.append((label, make("d" + d.strftime("%Y%m%d"))))
    return rows_of(out, 3)


def parse_date_action(action: str) -> date | None:
    if len(action) == 9 and action.startswith("d") and action[1:].isdigit():
        try:
            return date(int(action[1:5]), int(action[5:7]), int(action[7:9]))
        except ValueError:
            return None
    return None


def date_help(t: Translator, max_back: int) -> str:
    return t._(
        "Kies een dag met de knoppen of typ een datum, bijvoorbeeld <i>gisteren</i>, "
        "<i>maandag</i> of <i>12-11</i>. Tot {days} dagen terug."
    ).format(days=max_back)


def duration_help(t: Translator) -> str:
    return t._(
        "Kies een knop of typ hoe lang, bijvoorbeeld <i>45 min</i>, <i>1,5 uur</i> "
        "of <i>1 uur 15</i>. Tussen 5 minuten en 24 uur."
    )


DURATION_CHOICES = (15, 30, 45, 60, 90, 120, 180, 240)


def duration_buttons(t: Translator, make: Callable[[str], str]) -> list[list[Button]]:
    return rows_of([(fmt_duration(t, m), make(f"t{m}")) for m in DURATION_CHOICES], 4)


def parse_duration_action(action: str, *, maximum: int = limits.MAX_DAY_MINUTES) -> int | None:
    """`t90` -> 90, when it is a duration indirect hours (up to ``maximum``) may have."""
    if action.startswith("t") and action[1:].isdigit():
        minutes = int(action[1:])
        code = limits.check_minutes(minutes, minimum=limits.MIN_INDIRECT_MINUTES, maximum=maximum)
        return minutes if code is None else None
    return None


def parse_typed_duration(
    text: str, *, maximum: int = limits.MAX_DAY_MINUTES
) -> tuple[int | None, str | None]:
    """(minutes, None) or (None, reason code: "unknown" | "too_long" | "too_short")."""
    return limits.read_minutes(text, minimum=limits.MIN_INDIRECT_MINUTES, maximum=maximum)


DURATION_PROBLEMS = {
    "too_long": N_("Dat is langer dan een dag."),
    "too_short": N_("Dat is korter dan 5 minuten."),
    "unknown": N_("Dat herken ik niet als tijdsduur."),
}


def duration_problem(t: Translator, reason: str) -> str:
    msgid = DURATION_PROBLEMS.get(reason, DURATION_PROBLEMS["unknown"])
    return t._(msgid) + " " + duration_help(t)


def typed_date(t: Translator, text: str, today: date, max_back: int) -> tuple[date | None, str]:
    """A typed work date, or (None, why not + what is accepted) as HTML."""
    chosen, code = limits.read_work_date(text, today, max_back)
    if chosen is not None:
        return chosen, ""
    if code in DATE_PROBLEMS:
        why = t._(DATE_PROBLEMS[code]).format(days=max_back)
        return None, esc(why) + "\n" + date_help(t, max_back)
    return None, t._("Dat herken ik niet als datum.") + " " + date_help(t, max_back)


async def saved_by_another_update(context: BotContext, data: str, flow: str, entity: str) -> bool:
    """After a unique-key clash on saving: whether the button's draft was in fact saved
    (by a concurrent update, e.g. a double tap handled by another process). If so, its draft
    is dropped and the press counts as done."""
    parsed = parse_button(data)
    user = context.app_user
    if parsed is None or user is None:
        return False
    async with context.unit() as s:
        draft = await drafts.get_by_id(s, parsed[0])
        if draft is None or draft.user_id != user.id or draft.flow != flow:
            return False
        if await worklog.by_submission_key(s, entity, draft.submission_key) is None:
            return False
        await drafts.discard(s, draft)
    return True


async def already_saved(update: Update, context: BotContext) -> None:
    _ = context.t._
    await answer(context, update.callback_query, _("Dit was al opgeslagen."))
    await edit_or_send(update, context, esc(_("Dit was al opgeslagen.")))


# --------------------------------------------------------------------------- /uren

FLOW = "uren"
PREFIX = "u"
COMMAND = "/uren"


@dataclass
class View:
    text: str
    buttons: list[list[Button]]


def _data(draft: ConversationDraft) -> dict[str, Any]:
    return dict(draft.data)


def _make(draft: ConversationDraft) -> Callable[[str], str]:
    return lambda action: button(PREFIX, draft, action)


def _next_state(data: dict[str, Any]) -> str:
    """The first missing field, else the summary."""
    if data.get("kind_id") is None:
        return "kind"
    if data.get("minutes") is None:
        return "duration"
    if "muni" not in data:
        return "muni"
    return "summary"


async def render(s: AsyncSession, context: BotContext, draft: ConversationDraft) -> View:
    """The message for the draft's current step."""
    t = context.t
    _ = t._
    make = _make(draft)
    data = draft.data
    settings = context.services.settings
    today = context.services.today()
    stop = [(_("Stoppen"), make("x"))]
    back = [(_("« Terug"), make("b"))] if data.get("editing") else []
    title = f"<b>{esc(_('Uren zonder inwoner'))}</b>\n"
    if draft.state == "kind":
        kinds = await worklog.indirect_kinds(s)
        rows = rows_of([(k.label, make(f"k{k.id}")) for k in kinds], 2)
        return View(title + esc(_("Wat voor uren waren het?")), [*rows, back + stop])
    if draft.state == "duration":
        return View(
            title + esc(_("Hoe lang duurde het?")) + "\n" + duration_help(t),
            [*duration_buttons(t, make), back + stop],
        )
    if draft.state == "muni":
        rows = await municipality_buttons(s, context, make)
        return View(
            title
            + esc(_("Voor welke gemeente? Kies Regionaal als het voor de hele regio was."))
            + "\n"
            + esc(_("Je kunt ook de naam typen.")),
            [*rows, back + stop],
        )
    if draft.state == "date":
        return View(
            title + esc(_("Op welke dag?")) + "\n" + date_help(t, settings.max_back_days),
            [*date_buttons(t, today, settings.max_back_days, make), back + stop],
        )
    summary = await summary_lines(s, context, data)
    if draft.state == "confirm_day":
        work_date = date.fromisoformat(data["date"])
        total = data.get("day_total", 0)
        text = (
            summary
            + "\n\n"
            + esc(
                _(
                    "Let op: dan kom je op {total} op {date}. Dat is meer dan {max}. Klopt dat?"
                ).format(
                    total=fmt_duration(t, total),
                    date=t.fmt_date(work_date),
                    max=fmt_duration(t, int(settings.max_day_hours * 60)),
                )
            )
        )
        return View(
            text,
            [[(_("Ja, opslaan"), make("ok")), (_("Duur aanpassen"), make("e:dur"))], stop],
        )
    return View(
        summary + "\n\n" + esc(_("Klopt dit? Tik op Opslaan of pas iets aan.")),
        [
            [(_("Opslaan"), make("save"))],
            [(_("Datum"), make("e:date")), (_("Soort"), make("e:kind"))],
            [(_("Gemeente"), make("e:muni")), (_("Duur"), make("e:dur"))],
            stop,
        ],
    )


async def summary_lines(s: AsyncSession, context: BotContext, data: dict[str, Any]) -> str:
    t = context.t
    _ = t._
    kind = await worklog.label_of(s, IndirectKind, data.get("kind_id"))
    muni = await worklog.label_of(s, Municipality, data.get("muni"))
    work_date = date.fromisoformat(data["date"])
    rows = [
        (_("Datum"), date_label(t, work_date, context.services.today())),
        (_("Soort"), kind or "?"),
        (_("Gemeente"), municipality_label(t, muni)),
        (_("Duur"), fmt_duration(t, data["minutes"]) if data.get("minutes") else "?"),
    ]
    head = f"<b>{esc(_('Uren zonder inwoner'))}</b>"
    return head + "\n" + "\n".join(f"{esc(k)}: <b>{esc(v)}</b>" for k, v in rows)


async def _show(update: Update, context: BotContext, view: View, *, edit: bool) -> None:
    if edit:
        await edit_or_send(update, context, view.text, buttons=view.buttons or None)
    else:
        await reply(update, context, view.text, buttons=view.buttons or None)


def _after_change(data: dict[str, Any]) -> str:
    """After a field changed: the next missing field, else (also when editing) the summary."""
    data.pop("editing", None)
    return _next_state(data)


async def _try_save(
    s: AsyncSession, context: BotContext, draft: ConversationDraft, *, confirmed: bool
) -> tuple[str, Any]:
    """Save the draft as indirect hours unless the day total needs a confirmation first.

    Returns ("confirm", None) after moving the draft to confirm_day, or ("saved", row)."""
    user = context.app_user
    assert user is not None and user.id is not None
    data = _data(draft)
    work_date = date.fromisoformat(data["date"])
    minutes = int(data["minutes"])
    if not confirmed:
        logged = await worklog.day_minutes(s, user.id, work_date)
        too_high, total = limits.day_total_too_high(
            logged, minutes, context.services.settings.max_day_hours
        )
        if too_high:
            data["day_total"] = total
            await step(context, s, draft, state="confirm_day", data=data)
            return "confirm", None
    row, _created = await worklog.add_indirect_hours(
        s,
        submission_key=draft.submission_key,
        expert_id=user.id,
        work_date=work_date,
        minutes=minutes,
        kind_id=int(data["kind_id"]),
        municipality_id=data.get("muni"),
        now=context.services.now(),
    )
    await drafts.discard(s, draft)
    return "saved", row


async def saved_text(s: AsyncSession, context: BotContext, data: dict[str, Any]) -> str:
    t = context.t
    _ = t._
    kind = await worklog.label_of(s, IndirectKind, data.get("kind_id"))
    muni = await worklog.label_of(s, Municipality, data.get("muni"))
    work_date = date.fromisoformat(data["date"])
    line = _("Opgeslagen: {duration} {kind}, {municipality}, {date}.").format(
        duration=fmt_duration(t, int(data["minutes"])),
        kind=kind or "",
        municipality=municipality_label(t, muni),
        date=t.fmt_date(work_date),
    )
    return esc(line) + "\n" + esc(_("Klopt er iets niet? Gebruik /corrigeer."))


async def _start_draft(
    s: AsyncSession, context: BotContext, data: dict[str, Any]
) -> ConversationDraft:
    return await start_draft(s, context, FLOW, _next_state(data), data)


async def cmd_hours(update: Update, context: BotContext) -> None:
    user = context.app_user
    assert user is not None and user.id is not None
    services = context.services
    _ = context.t._
    if context.args:
        await _one_line(update, context, " ".join(context.args))
        return
    async with context.unit() as s:
        existing = await drafts.get(s, user.id, FLOW)
        if existing is not None and not drafts.is_expired(existing, services.now()):
            # Pick up where they left off (also after a restart of the bot).
            await step(context, s, existing)
            view = await render(s, context, existing)
            view.text = esc(_("Je was hier nog mee bezig. Ga verder:")) + "\n\n" + view.text
            view.buttons.append([(_("Opnieuw beginnen"), button(PREFIX, existing, "new"))])
        else:
            data: dict[str, Any] = {"date": services.today().isoformat()}
            data["muni"] = await worklog.default_municipality_id(s, user)
            draft = await _start_draft(s, context, data)
            view = await render(s, context, draft)
    await _show(update, context, view, edit=False)


async def _one_line(update: Update, context: BotContext, text: str) -> None:
    """`/uren 1,5 uur overleg Venlo gisteren`: save when complete, otherwise ask the rest."""
    user = context.app_user
    assert user is not None and user.id is not None
    services = context.services
    t = context.t
    _ = t._
    today = services.today()
    async with context.unit() as s:
        kinds = await worklog.indirect_kinds(s)
        parsed = await parse_one_line(s, text, kinds, today)
        if parsed.bad_duration is not None:
            parsed.problem = duration_problem(t, parsed.bad_duration)
        if parsed.problem is None and parsed.work_date is not None:
            why = date_problem(t, parsed.work_date, today, services.settings.max_back_days)
            parsed.problem = esc(why) if why is not None else None
        if parsed.problem is None and parsed.unknown:
            # A few words, shortened: enough to recognise, never a wall of text.
            shown = [w if len(w) <= 30 else w[:29] + "…" for w in parsed.unknown[:5]]
            if len(parsed.unknown) > 5:
                shown.append("…")
            parsed.problem = _("Dit begreep ik niet: {words}.").format(
                words=", ".join(f"<i>{esc(w)}</i>" for w in shown)
            )
        if parsed.problem is not None:
            view = None
        else:
            data: dict[str, Any] = {"date": (parsed.work_date or today).isoformat()}
            data["muni"] = (
                parsed.municipality_id
                if parsed.municipality_set
                else await worklog.default_municipality_id(s, user)
            )
            if parsed.kind_id is not None:
                data["kind_id"] = parsed.kind_id
            if parsed.minutes is not None:
                data["minutes"] = parsed.minutes
            draft = await _start_draft(s, context, data)
            outcome = None
            if draft.state == "summary":
                outcome, _row = await _try_save(s, context, draft, confirmed=False)
            view = (
                View(await saved_text(s, context, data), [])
                if outcome == "saved"
                else await render(s, context, draft)
            )
    if view is None:
        example = "<code>/uren 1,5 uur overleg Venlo gisteren</code>"
        kinds_text = ", ".join(esc(k.label) for k in kinds)
        await reply(
            update,
            context,
            (parsed.problem or "")
            + "\n"
            + _("Zo werkt het: {example}. Soorten: {kinds}. Of typ alleen /uren.").format(
                example=example, kinds=kinds_text
            ),
        )
        return
    await _show(update, context, view, edit=False)


@dataclass
class OneLine:
    minutes: int | None = None
    kind_id: int | None = None
    municipality_set: bool = False
    municipality_id: int | None = None
    work_date: date | None = None
    unknown: list[str] | None = None
    bad_duration: str | None = None  # too_long | too_short
    problem: str | None = None


# Small words people put between the parts; they carry nothing.
FILLER = frozenset({"in", "te", "voor", "bij", "op", "met", "van", "de", "het", "een", "en"})


async def parse_one_line(
    s: AsyncSession, text: str, kinds: Sequence[worklog.Option], today: date
) -> OneLine:
    """Recognise duration, kind, municipality (or "regionaal") and date in free order."""
    out = OneLine(unknown=[])
    rest = text
    found = durations.find_duration(rest)
    if found is not None:
        minutes, start, end = found
        rest = rest[:start] + " " + rest[end:]
        out.bad_duration = limits.check_minutes(minutes, minimum=limits.MIN_INDIRECT_MINUTES)
        if out.bad_duration is None:
            out.minutes = minutes
    dated = dates_domain.find_date(rest, today)
    if dated is not None:
        out.work_date, start, end = dated
        rest = rest[:start] + " " + rest[end:]
    place = find_place(rest)
    if place is not None:
        muni = await _municipality_by_name(s, place.municipality)
        if muni is not None:
            out.municipality_set, out.municipality_id = True, muni.id
            rest = rest[: place.start] + " " + rest[place.end :]
    leftover: list[str] = []
    for word in normalize(rest).split():
        kind = _match_kind(word, kinds)
        if kind is not None and out.kind_id is None:
            out.kind_id = kind
        elif word in REGIONAL_WORDS and not out.municipality_set:
            out.municipality_set, out.municipality_id = True, None
        elif word not in FILLER:
            leftover.append(word)
    out.unknown = leftover
    return out


def _match_kind(word: str, kinds: Sequence[worklog.Option]) -> int | None:
    """The kind a (normalised) word names: its label, code or one of its aliases."""
    for k in kinds:
        if word in {normalize(n) for n in (k.label, k.code, *k.aliases)}:
            return k.id
    return None


async def on_button(update: Update, context: BotContext) -> None:
    try:
        await _on_button(update, context)
    except IntegrityError:
        # Nothing was sent yet: the clash happens inside the transaction, before any reply.
        data = update.callback_query.data if update.callback_query else ""
        if not await saved_by_another_update(context, data or "", FLOW, "indirect_hours"):
            raise
        await already_saved(update, context)


async def _on_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    services = context.services
    t = context.t
    _ = t._
    settings = services.settings
    toast: str | None = None
    saved: str | None = None
    view: View | None = None
    async with context.unit() as s:
        press = await load_press(s, context, query.data or "", FLOW)
        draft, action = press.draft, press.action
        if press.problem is None and draft is not None:
            data = _data(draft)
            if action == "x":
                await drafts.discard(s, draft)
                saved = esc(_("Gestopt. Er is niets opgeslagen."))
            elif action == "new":
                user = context.app_user
                assert user is not None
                fresh: dict[str, Any] = {"date": services.today().isoformat()}
                fresh["muni"] = await worklog.default_municipality_id(s, user)
                draft = await _start_draft(s, context, fresh)
                view = await render(s, context, draft)
            elif action == "b":
                data.pop("editing", None)
                await step(context, s, draft, state=_next_state(data), data=data)
                view = await render(s, context, draft)
            elif action.startswith("e:"):
                target = {"date": "date", "kind": "kind", "muni": "muni", "dur": "duration"}.get(
                    action[2:]
                )
                if target is None:
                    toast = problem_text(t, "unknown", COMMAND)
                else:
                    data["editing"] = True
                    await step(context, s, draft, state=target, data=data)
                    view = await render(s, context, draft)
            elif action in ("save", "ok") and draft.state in ("summary", "confirm_day"):
                outcome, _row = await _try_save(s, context, draft, confirmed=action == "ok")
                if outcome == "saved":
                    saved = await saved_text(s, context, data)
                    toast = _("Opgeslagen")
                else:
                    view = await render(s, context, draft)
            elif action.startswith("k") and action[1:].isdigit() and draft.state == "kind":
                kinds = {k.id for k in await worklog.indirect_kinds(s)}
                if int(action[1:]) in kinds:
                    data["kind_id"] = int(action[1:])
                    await step(context, s, draft, state=_after_change(data), data=data)
                    view = await render(s, context, draft)
                else:
                    toast = problem_text(t, "unknown", COMMAND)
            elif action.startswith("t") and draft.state == "duration":
                minutes = parse_duration_action(action)
                if minutes is None:
                    toast = problem_text(t, "unknown", COMMAND)
                else:
                    data["minutes"] = minutes
                    data.pop("day_total", None)
                    await step(context, s, draft, state=_after_change(data), data=data)
                    view = await render(s, context, draft)
            elif action.startswith("m") and draft.state == "muni":
                ok, muni_id = parse_municipality_action(action)
                if ok:
                    data["muni"] = muni_id
                    await step(context, s, draft, state=_after_change(data), data=data)
                    view = await render(s, context, draft)
                else:
                    toast = problem_text(t, "unknown", COMMAND)
            elif action.startswith("d") and draft.state == "date":
                chosen = parse_date_action(action)
                why = (
                    date_problem(t, chosen, services.today(), settings.max_back_days)
                    if chosen is not None
                    else problem_text(t, "unknown", COMMAND)
                )
                if why is not None or chosen is None:
                    toast = why
                else:
                    data["date"] = chosen.isoformat()
                    await step(context, s, draft, state=_after_change(data), data=data)
                    view = await render(s, context, draft)
            else:
                # A button of this draft that does not fit its step: treat as outdated.
                press.problem = "stale"
    if press.problem is not None:
        await answer(context, query, problem_text(t, press.problem, COMMAND), alert=True)
        return
    await answer(context, query, toast, alert=toast is not None and saved is None)
    if saved is not None:
        await edit_or_send(update, context, saved)
    elif view is not None:
        await edit_or_send(update, context, view.text, buttons=view.buttons or None)


async def on_text(update: Update, context: BotContext, draft: ConversationDraft) -> None:
    """Typed text while the /uren dialogue is open: the answer to the current step."""
    msg = update.message
    assert msg is not None
    text = (msg.text or "").strip()
    services = context.services
    t = context.t
    _ = t._
    settings = services.settings
    problem: str | None = None
    view: View | None = None
    async with context.unit() as s:
        current = await drafts.get_by_id(s, draft.id) if draft.id is not None else None
        if current is None:
            problem = problem_text(t, "gone", COMMAND)
        else:
            data = _data(current)
            state = current.state
            if state == "duration":
                minutes, reason = parse_typed_duration(text)
                if minutes is None:
                    problem = duration_problem(t, reason or "unknown")
                else:
                    data["minutes"] = minutes
                    data.pop("day_total", None)
                    await step(context, s, current, state=_after_change(data), data=data)
            elif state == "kind":
                kinds = await worklog.indirect_kinds(s)
                kind_id = _match_kind(normalize(text), kinds)
                if kind_id is None:
                    problem = _("Kies een soort met de knoppen: {kinds}.").format(
                        kinds=", ".join(esc(k.label) for k in kinds)
                    )
                else:
                    data["kind_id"] = kind_id
                    await step(context, s, current, state=_after_change(data), data=data)
            elif state == "muni":
                ok, muni_id = await municipality_from_text(s, text)
                if not ok:
                    problem = _(
                        "Die gemeente ken ik niet. Kies een gemeente met de knoppen, typ een "
                        "gemeente of dorp (bijvoorbeeld <i>Blerick</i>), of kies Regionaal."
                    )
                else:
                    data["muni"] = muni_id
                    await step(context, s, current, state=_after_change(data), data=data)
            elif state == "date":
                today = services.today()
                chosen, why = typed_date(t, text, today, settings.max_back_days)
                if chosen is None:
                    problem = why
                else:
                    data["date"] = chosen.isoformat()
                    await step(context, s, current, state=_after_change(data), data=data)
            else:  # summary / confirm_day: only buttons
                problem = _("Tik op een knop hieronder: Opslaan, of kies wat je wilt aanpassen.")
            view = await render(s, context, current)
    if problem is not None and view is not None:
        # The step stays: say what is accepted, with the step's buttons right under it.
        await reply(update, context, problem, buttons=view.buttons or None)
    elif problem is not None:
        await reply(update, context, problem)
    elif view is not None:
        await _show(update, context, view, edit=False)


def register(application: Application, router: TextRouter) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("uren", cmd_hours))
    application.add_handler(CallbackQueryHandler(on_button, pattern=rf"^{PREFIX}:"))
    router.flow(FLOW, on_text)
