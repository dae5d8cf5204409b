"""/signaal: a trend, missing service (gemist aanbod), bottleneck or opportunity.

The dialogue (kind, municipality or regional, optional theme, text, summary) is a `TextFlow`;
/verhaal (`bot.handlers.stories`) is the same flow without a kind. Free text passes the privacy
guard before it goes anywhere: rejected text is not stored, not even in the draft.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.domain import limits
from bot.domain.privacy import FindingKind
from bot.handlers.common import answer, edit_or_send, esc, reply
from bot.handlers.hours import (
    View,
    already_saved,
    button,
    load_press,
    municipality_buttons,
    municipality_from_text,
    municipality_label,
    parse_municipality_action,
    problem_text,
    rows_of,
    saved_by_another_update,
    start_draft,
    step,
)
from bot.i18n import N_, Translator
from bot.router import TextRouter
from bot.storage import drafts, worklog
from bot.storage.models import ConversationDraft, Municipality, SignalKind, Theme

# What the privacy guard found, in words an expert understands.
IDENTIFIER_WORDS = {
    FindingKind.BSN: N_("een BSN"),
    FindingKind.PHONE: N_("een telefoonnummer"),
    FindingKind.EMAIL: N_("een e-mailadres"),
    FindingKind.IBAN: N_("een rekeningnummer"),
    FindingKind.POSTCODE_HOUSE: N_("een postcode"),
    FindingKind.ADDRESS: N_("een adres"),
    FindingKind.BIRTH_DATE: N_("een geboortedatum"),
    FindingKind.NAME_TITLE: N_("een naam"),
}


def identifying_text(t: Translator, found: Sequence[FindingKind]) -> str:
    """Why text that could identify someone is not stored, naming what was ``found``."""
    words = dict.fromkeys(
        t._(IDENTIFIER_WORDS.get(kind, N_("iets waaraan iemand te herkennen is"))) for kind in found
    )
    what = t._(" en ").join(words) if len(words) <= 2 else ", ".join(words)
    return t._(
        "Dit sla ik niet op: er staat {what} in. Verhalen en signalen blijven anoniem. "
        "Schrijf het opnieuw zonder dat, bijvoorbeeld <i>een moeder uit Blerick</i> "
        "in plaats van een naam."
    ).format(what=esc(what))


def privacy_problem(t: Translator, text: str, today: date) -> str | None:
    """Why ``text`` may not be stored (it could identify someone), or None when it is fine."""
    found = limits.identifying(text, today)
    return identifying_text(t, found) if found else None


TEXT_PROBLEMS = {
    "no_letters": N_(
        "Typ het in woorden, bijvoorbeeld een of twee zinnen. "
        "Alleen emoji of cijfers kan ik niet opslaan."
    ),
    "too_long": N_(
        "Dat is te lang: {n} tekens. Het mag maximaal {max} tekens zijn. "
        "Maak het korter en stuur het opnieuw."
    ),
    "too_short": N_(
        "Dat is wel erg kort. Schrijf in een paar woorden wat je zag (minstens {n} tekens)."
    ),
}


def text_problem(t: Translator, text: str, max_chars: int, today: date) -> str | None:
    """What is wrong with a typed text (no words, too long, too short, identifying), or None."""
    problem = limits.check_text(text, max_chars=max_chars, today=today)
    if problem is None:
        return None
    if problem.code == "identifying":
        return identifying_text(t, problem.found)
    # {n}: the minimum when too short, the length typed when too long.
    n = limits.MIN_TEXT_CHARS if problem.code == "too_short" else t.number(len(text), 0)
    return t._(TEXT_PROBLEMS[problem.code]).format(n=n, max=t.number(max_chars, 0))


@dataclass(frozen=True)
class TextFlow:
    """A short dialogue that ends in one free-text entry (a signal or a story)."""

    flow: str  # conversation_draft.flow
    prefix: str  # callback prefix
    command: str  # e.g. "/signaal"
    entity: str  # worklog entity: signal | story
    title: str  # msgid
    intro: str | None  # msgid shown at the start (and above the text question)
    text_question: str  # msgid
    saved: str  # msgid, with {summary}
    with_kind: bool
    max_chars: int

    # ------------------------------------------------------------------ steps

    def next_state(self, data: dict[str, Any]) -> str:
        if self.with_kind and data.get("kind_id") is None:
            return "kind"
        if "muni" not in data:
            return "muni"
        if "theme_id" not in data:
            return "theme"
        if not data.get("text"):
            return "text"
        return "summary"

    def make(self, draft: ConversationDraft) -> Callable[[str], str]:
        return lambda action: button(self.prefix, draft, action)

    async def render(self, s: AsyncSession, context: BotContext, draft: ConversationDraft) -> View:
        t = context.t
        _ = t._
        make = self.make(draft)
        data = draft.data
        stop = [(_("Stoppen"), make("x"))]
        back = [(_("« Terug"), make("b"))] if data.get("editing") else []
        title = f"<b>{esc(_(self.title))}</b>\n"
        if draft.state == "kind":
            kinds = await worklog.signal_kinds(s)
            rows = rows_of([(k.label, make(f"k{k.id}")) for k in kinds], 2)
            return View(title + esc(_("Wat voor signaal is het?")), [*rows, back + stop])
        if draft.state == "muni":
            rows = await municipality_buttons(s, context, make)
            intro = esc(_(self.intro)) + "\n\n" if self.intro and not data.get("editing") else ""
            return View(
                title
                + intro
                + esc(_("Over welke gemeente gaat het? Kies Regionaal als het de hele regio is.")),
                [*rows, back + stop],
            )
        if draft.state == "theme":
            themes = await worklog.themes(s)
            rows = rows_of([(th.label, make(f"h{th.id}")) for th in themes], 2)
            rows.append([(_("Geen thema"), make("h0"))])
            return View(
                title + esc(_("Bij welk thema past het? Dat mag je overslaan.")),
                [*rows, back + stop],
            )
        if draft.state == "text":
            hint = esc(_(self.intro)) + "\n\n" if self.intro else ""
            return View(
                title
                + hint
                + esc(_(self.text_question))
                + "\n"
                + esc(_("Maximaal {max} tekens.").format(max=t.number(self.max_chars, 0))),
                [back + stop],
            )
        return View(
            await self.summary(s, context, data)
            + "\n\n"
            + esc(_("Klopt dit? Tik op Opslaan of pas iets aan.")),
            [
                [(_("Opslaan"), make("save"))],
                [(_("Tekst aanpassen"), make("e:text"))],
                [(_("Gemeente"), make("e:muni")), (_("Thema"), make("e:theme"))]
                + ([(_("Soort"), make("e:kind"))] if self.with_kind else []),
                stop,
            ],
        )

    async def summary(self, s: AsyncSession, context: BotContext, data: dict[str, Any]) -> str:
        t = context.t
        _ = t._
        rows: list[tuple[str, str]] = []
        if self.with_kind:
            rows.append(
                (_("Soort"), await worklog.label_of(s, SignalKind, data.get("kind_id")) or "?")
            )
        muni = await worklog.label_of(s, Municipality, data.get("muni"))
        rows.append((_("Gemeente"), municipality_label(t, muni)))
        theme = await worklog.label_of(s, Theme, data.get("theme_id"))
        rows.append((_("Thema"), theme or _("geen")))
        lines = [f"<b>{esc(_(self.title))}</b>"]
        lines += [f"{esc(k)}: <b>{esc(v)}</b>" for k, v in rows]
        lines.append(f"<i>{esc(data.get('text', ''))}</i>")
        return "\n".join(lines)

    # ------------------------------------------------------------------ handlers

    async def start(self, update: Update, context: BotContext) -> None:
        user = context.app_user
        assert user is not None and user.id is not None
        services = context.services
        t = context.t
        _ = t._
        typed = " ".join(context.args or []).strip()
        problem = text_problem(t, typed, self.max_chars, services.today()) if typed else None
        async with context.unit() as s:
            existing = await drafts.get(s, user.id, self.flow)
            if (
                not typed
                and existing is not None
                and not drafts.is_expired(existing, services.now())
            ):
                await step(context, s, existing)
                view = await self.render(s, context, existing)
                view.text = esc(_("Je was hier nog mee bezig. Ga verder:")) + "\n\n" + view.text
                view.buttons.append([(_("Opnieuw beginnen"), button(self.prefix, existing, "new"))])
            else:
                data: dict[str, Any] = {}
                if typed and problem is None:
                    data["text"] = typed  # passed the privacy guard
                draft = await start_draft(s, context, self.flow, self.next_state(data), data)
                view = await self.render(s, context, draft)
        if problem is not None:
            await reply(
                update, context, problem + "\n" + esc(_("Je kunt de tekst straks opnieuw typen."))
            )
        await reply(update, context, view.text, buttons=view.buttons or None)

    async def on_button(self, update: Update, context: BotContext) -> None:
        try:
            await self._on_button(update, context)
        except IntegrityError:
            data = update.callback_query.data if update.callback_query else ""
            if not await saved_by_another_update(context, data or "", self.flow, self.entity):
                raise
            await already_saved(update, context)

    async def _on_button(self, update: Update, context: BotContext) -> None:
        query = update.callback_query
        assert query is not None
        t = context.t
        _ = t._
        toast: str | None = None
        done: str | None = None
        view: View | None = None
        async with context.unit() as s:
            press = await load_press(s, context, query.data or "", self.flow)
            draft, action = press.draft, press.action
            if press.problem is None and draft is not None:
                data = dict(draft.data)
                state = draft.state
                if action == "x":
                    await drafts.discard(s, draft)
                    done = esc(_("Gestopt. Er is niets opgeslagen."))
                elif action == "new":
                    user = context.app_user
                    assert user is not None and user.id is not None
                    draft = await start_draft(s, context, self.flow, self.next_state({}), {})
                    view = await self.render(s, context, draft)
                elif action == "b":
                    data.pop("editing", None)
                    await step(context, s, draft, state=self.next_state(data), data=data)
                    view = await self.render(s, context, draft)
                elif action.startswith("e:") and action[2:] in ("text", "muni", "theme", "kind"):
                    target = action[2:]
                    if target == "kind" and not self.with_kind:
                        press.problem = "stale"
                    else:
                        data["editing"] = True
                        await step(context, s, draft, state=target, data=data)
                        view = await self.render(s, context, draft)
                elif action == "save" and state == "summary":
                    done = await self.save(s, context, draft)
                    toast = _("Opgeslagen")
                elif action.startswith("k") and action[1:].isdigit() and state == "kind":
                    if int(action[1:]) in {k.id for k in await worklog.signal_kinds(s)}:
                        data["kind_id"] = int(action[1:])
                        view = await self._advance(s, context, draft, data)
                    else:
                        press.problem = "unknown"
                elif action.startswith("m") and state == "muni":
                    ok, muni_id = parse_municipality_action(action)
                    if ok:
                        data["muni"] = muni_id
                        view = await self._advance(s, context, draft, data)
                    else:
                        press.problem = "unknown"
                elif action.startswith("h") and action[1:].isdigit() and state == "theme":
                    theme_id = int(action[1:]) or None
                    if theme_id is None or theme_id in {th.id for th in await worklog.themes(s)}:
                        data["theme_id"] = theme_id
                        view = await self._advance(s, context, draft, data)
                    else:
                        press.problem = "unknown"
                else:
                    press.problem = "stale"
        if press.problem is not None:
            await answer(context, query, problem_text(t, press.problem, self.command), alert=True)
            return
        await answer(context, query, toast)
        if done is not None:
            await edit_or_send(update, context, done)
        elif view is not None:
            await edit_or_send(update, context, view.text, buttons=view.buttons or None)

    async def _advance(
        self, s: AsyncSession, context: BotContext, draft: ConversationDraft, data: dict[str, Any]
    ) -> View:
        data.pop("editing", None)
        await step(context, s, draft, state=self.next_state(data), data=data)
        return await self.render(s, context, draft)

    async def save(self, s: AsyncSession, context: BotContext, draft: ConversationDraft) -> str:
        user = context.app_user
        assert user is not None and user.id is not None
        services = context.services
        data = dict(draft.data)
        common = dict(
            submission_key=draft.submission_key,
            expert_id=user.id,
            work_date=services.today(),
            municipality_id=data.get("muni"),
            theme_id=data.get("theme_id"),
            text=data["text"],
            now=services.now(),
        )
        if self.entity == "signal":
            await worklog.add_signal(s, kind_id=int(data["kind_id"]), **common)  # type: ignore[arg-type]
        else:
            await worklog.add_story(s, **common)  # type: ignore[arg-type]
        summary = await self.summary(s, context, data)
        await drafts.discard(s, draft)
        _ = context.t._
        return (
            esc(_(self.saved))
            + "\n\n"
            + summary
            + "\n\n"
            + esc(_("Klopt er iets niet? Gebruik /corrigeer."))
        )

    async def on_text(self, update: Update, context: BotContext, draft: ConversationDraft) -> None:
        msg = update.message
        assert msg is not None
        # Never log or echo the text itself: it may hold what the guard is there to stop.
        text = (msg.text or "").strip()
        services = context.services
        t = context.t
        _ = t._
        problem: str | None = None
        view: View | None = None
        async with context.unit() as s:
            current = await drafts.get_by_id(s, draft.id) if draft.id is not None else None
            if current is None:
                problem = problem_text(t, "gone", self.command)
            else:
                data = dict(current.data)
                state = current.state
                if state == "text":
                    problem = text_problem(t, text, self.max_chars, services.today())
                    if problem is None:
                        data["text"] = text
                        data.pop("editing", None)
                        await step(context, s, current, state=self.next_state(data), data=data)
                elif state == "muni":
                    ok, muni_id = await municipality_from_text(s, text)
                    if ok:
                        data["muni"] = muni_id
                        data.pop("editing", None)
                        await step(context, s, current, state=self.next_state(data), data=data)
                    else:
                        problem = _(
                            "Die gemeente ken ik niet. Kies een gemeente met de knoppen, typ een "
                            "gemeente of dorp (bijvoorbeeld <i>Blerick</i>), of kies Regionaal."
                        )
                elif state in ("kind", "theme"):
                    problem = _("Kies met de knoppen onder het bericht.")
                else:
                    problem = _("Tik op Opslaan, of kies wat je wilt aanpassen.")
                view = await self.render(s, context, current)
        if problem is not None:
            await reply(update, context, problem, buttons=(view.buttons or None) if view else None)
        elif view is not None:
            await reply(update, context, view.text, buttons=view.buttons or None)

    def register(self, application: Application, router: TextRouter) -> None:  # type: ignore[type-arg]
        application.add_handler(CommandHandler(self.command.lstrip("/"), self.start))
        application.add_handler(CallbackQueryHandler(self.on_button, pattern=rf"^{self.prefix}:"))
        router.flow(self.flow, self.on_text)


MAX_SIGNAL_CHARS = limits.MAX_SIGNAL_CHARS

SIGNAL = TextFlow(
    flow="signaal",
    prefix="s",
    command="/signaal",
    entity="signal",
    title=N_("Signaal"),
    intro=None,
    text_question=N_("Beschrijf het signaal in een paar zinnen. Wat zag of hoorde je?"),
    saved=N_("Dank je! Je signaal is opgeslagen."),
    with_kind=True,
    max_chars=MAX_SIGNAL_CHARS,
)


def register(application: Application, router: TextRouter) -> None:  # type: ignore[type-arg]
    SIGNAL.register(application, router)
