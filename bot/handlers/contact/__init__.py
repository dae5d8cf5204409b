"""/contact: an expert logs a contact with one or more residents.

Two ways in, one summary out:
- `/contact` opens a button dialogue. With a previous contact it opens on a summary pre-filled
  from it ("Zelfde als vorige keer?"): a repeat contact is one tap (Opslaan), a changed theme or
  duration three to five. Without one it walks through the steps, defaults pre-selected.
- `/contact 45 min inloop Blerick armoede, eenzaamheid 2 nieuw` parses one typed line and asks
  only for what is missing, then shows the same summary.

A `bot.dialogue` flow (draft flow "contact", buttons `c:<draft id>:<revision>:<action>[:<arg>]`):
the step table is below, the steps in `steps`/`typed`, their rendering in `render` over the view
of `view`. Saving uses the draft's submission_key, so a contact is never saved twice.
"""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from bot.context import BotContext
from bot.dialogue import (
    Callback,
    Flow,
    Outcome,
    Screen,
    Step,
    Texts,
    Turn,
    current_draft,
    parse,
    start_draft,
)
from bot.domain import contact_draft as cdm
from bot.domain.contact_draft import ContactDraft
from bot.domain.quickentry import looks_like_work
from bot.handlers.common import answer, reply
from bot.handlers.contact import render, steps, typed
from bot.handlers.contact.codec import PREFIX
from bot.handlers.contact.quick import load_start, quick_draft
from bot.handlers.contact.texts import CHECK, MAX_NAME
from bot.handlers.contact.view import ContactView, frame, load_view
from bot.i18n import N_
from bot.router import TextRouter
from bot.storage import contacts
from bot.storage.models import ConversationDraft, Role

FLOW_NAME = cdm.FLOW
MAX_PLAIN_TEXT = 300  # longer typed text is a message, not a contact to log

STEPS: dict[str, Step[ContactView]] = {
    "date": Step(render.date, steps.tap_date, typed.date),
    "gemeente": Step(render.gemeente, steps.tap_gemeente, typed.gemeente),
    "vindplek": Step(render.vindplek, steps.tap_vindplek, typed.vindplek),
    "activity": Step(render.vocab, steps.tap_vocab, typed.vocab),
    "themes": Step(render.themes, steps.tap_themes, typed.themes),
    "residents": Step(render.residents, steps.tap_residents, typed.residents),
    "new": Step(render.new, steps.tap_new, typed.new),
    "duration": Step(render.duration, steps.tap_duration, typed.duration),
    "reach": Step(render.vocab, steps.tap_vocab, typed.vocab),
    "referral": Step(render.vocab, steps.tap_vocab, typed.vocab),
    "deelopdracht": Step(render.deelopdracht, steps.tap_deelopdracht, typed.deelopdracht),
    "nonuse": Step(render.nonuse, steps.tap_nonuse, typed.nonuse),
    "story": Step(render.story, None, typed.story),
    "care": Step(render.care, steps.tap_care),
    cdm.SUMMARY: Step(render.summary, None, typed.summary),
    cdm.CONFIRM_DAY: Step(render.confirm_day),  # typed: "Tik op een van de knoppen."
    cdm.ASK: Step(render.ask, steps.tap_ask),
    cdm.REPLACE: Step(render.replace, steps.tap_replace),
}

TEXTS = Texts(
    unknown=N_("Deze knop werkt niet meer."),
    gone=N_("Dit contact is al afgerond of gestopt. Begin opnieuw met /contact."),
    saved=N_("Dit contact is al opgeslagen."),
    expired=N_("Dit contact is verlopen. Er is niets opgeslagen. Begin opnieuw met /contact."),
    stale=N_("Deze knop hoort bij een eerdere stap. Gebruik het laatste bericht."),
    misplaced=N_("Die knop hoort niet bij deze stap."),
    typed=N_("Tik op een van de knoppen."),
)

# Typed text that is a button's label is that button ("Geen vaste plek", "Andere gemeente",
# "Deels", "Verder", "Duur" on the summary). Except the theme toggles (a typed list of themes
# sets the themes) and the buttons that end or replace the dialogue: those stay taps.
NOT_TYPED_ACTIONS = {"t", "nu", "s", "sy", "stop", "new", "rs", "rn"}
LABEL_MARKS = (CHECK, "✅", "←", "→")


def _label_key(label: str) -> str:
    for mark in LABEL_MARKS:
        label = label.replace(mark.strip(), " ")
    return " ".join(label.casefold().split())


async def typed_button(
    s: AsyncSession,
    context: BotContext,
    row: ConversationDraft,
    cd: ContactDraft,
    text: str,
) -> Callback | None:
    """The button of the current step whose label is the typed text (any case), or None."""
    if len(text) > MAX_NAME + 10:
        return None
    key = _label_key(text)
    if not key:
        return None
    view = await load_view(s, context, row)
    _text, buttons = frame(view, STEPS[row.state].render(view), Outcome())
    for line in buttons:
        for label, data in line:
            if _label_key(label) != key:
                continue
            press = parse(data, PREFIX)
            if press is not None and press.action not in NOT_TYPED_ACTIONS:
                return press
    return None


async def _typed_first(turn: Turn[ContactView], text: str) -> Outcome | None:
    """Before a step's own typed answer: a button label, then "terug" and skip words."""
    press = await typed_button(
        turn.s, turn.context, turn.draft, ContactDraft.from_data(turn.draft.data), text
    )
    if press is not None:
        outcome = await turn.tap(press)
        if outcome.toast and not outcome.error:
            # What a tap would show as a short answer is a line above the step here.
            outcome.note = outcome.note or outcome.toast
        return outcome
    return await steps.common_text(turn, text)


async def _was_saved(s: AsyncSession, submission_key: str) -> bool:
    return await contacts.by_submission_key(s, submission_key) is not None


async def _load(turn: Turn[ContactView]) -> ContactView:
    return await load_view(turn.s, turn.context, turn.draft, turn.extra)


# --------------------------------------------------------------------------- starting


async def _resume(s: AsyncSession, context: BotContext, row: ConversationDraft) -> Screen:
    """Show an open draft again ("Je was nog bezig…").

    Showing it is touching it: a fresh expiry, and it becomes the user's latest draft, so the
    next typed answer comes here and not to another open dialogue. The revision moves on, so
    the buttons of the message shown before are recognised as old.
    """
    turn = Turn(s, context, FLOW, row)
    await turn.save()
    return await turn.render(Outcome(extra={"resume": True}))


async def _start(
    s: AsyncSession, context: BotContext, cd: ContactDraft, state: str, error: str | None = None
) -> Screen:
    row = await start_draft(s, context, FLOW_NAME, state, cd.to_data())
    return await Turn(s, context, FLOW, row).render(Outcome(error=error))


async def _unsaved(
    s: AsyncSession, context: BotContext, row: ConversationDraft, start: ContactDraft | None
) -> bool:
    """Whether replacing this open draft would lose something: a correction, or any value
    that differs from what a new /contact starts with (``start``, read here if not given)."""
    if row.state == cdm.REPLACE:
        return True
    cd = ContactDraft.from_data(row.data)
    if cd.editing_id is not None:
        return True
    return cd.values() != (start or await load_start(s, context)).values()


async def _offer(
    s: AsyncSession,
    context: BotContext,
    cd: ContactDraft,
    state: str,
    *,
    existing: ConversationDraft | None,
    start: ContactDraft | None = None,
    error: str | None = None,
    note: str | None = None,
) -> Screen:
    """Start a new contact draft, unless the open one (``existing``) has unsaved data that
    would be thrown away by it: then ask first, keeping the new one in the open draft
    (`pending`). ``start``: what a new /contact starts with, when the caller has it."""
    if existing is None or not await _unsaved(s, context, existing, start):
        row = await start_draft(s, context, FLOW_NAME, state, cd.to_data())
        return await Turn(s, context, FLOW, row).render(Outcome(error=error, note=note))
    old = ContactDraft.from_data(existing.data)
    back = existing.state
    if back == cdm.REPLACE and old.pending:  # asked already: the newest line waits now
        back = str(old.pending.get("back") or cdm.SUMMARY)
    old.pending = {
        "data": cd.to_data(),
        "state": state,
        "error": error,
        "note": note,
        "back": back,
    }
    turn = Turn(s, context, FLOW, existing)
    # A new revision: the buttons of the message shown before are recognised as old.
    await turn.save(state=cdm.REPLACE, data=old.to_data())
    return await turn.render()


async def start_screen(s: AsyncSession, context: BotContext, cd: ContactDraft) -> Screen:
    """A contact draft started elsewhere (a correction from /corrigeer), shown on its step;
    an open contact with unsaved data is not thrown away for it (asked first)."""
    existing = await current_draft(s, context, FLOW_NAME)
    return await _offer(s, context, cd, cdm.first_state(cd), existing=existing)


async def cmd_contact(update: Update, context: BotContext) -> None:
    user = context.app_user
    if user is None or user.id is None:
        return
    line = " ".join(context.args or []).strip()
    async with context.unit() as s:
        existing = await current_draft(s, context, FLOW_NAME)
        if existing is not None and not line:
            # Never lose a half-finished contact: show where they were.
            text, buttons = await _resume(s, context, existing)
        elif line:
            start = await load_start(s, context)
            cd, state, error = await quick_draft(s, context, line, start)
            text, buttons = await _offer(
                s, context, cd, state, existing=existing, start=start, error=error
            )
        else:
            cd = await load_start(s, context)
            text, buttons = await _start(s, context, cd, cdm.first_state(cd))
    await reply(update, context, text, buttons=buttons)


async def _start_fresh(update: Update, context: BotContext, press: Callback) -> None:
    """The buttons "Nog een contact" and "Nieuw contact beginnen".

    Only the "Nieuw contact beginnen" of the open draft's current resume view replaces it. Any
    other such button (an old "Nog een contact", or one from an earlier resume view) shows the
    half-finished contact instead of silently throwing it away, with its own "Nieuw contact
    beginnen" to start over deliberately.
    """
    query = update.callback_query
    if context.app_user is None:
        await answer(context, query, context.t._(TEXTS.unknown))
        return
    await answer(context, query)
    async with context.unit() as s:
        existing = await current_draft(s, context, FLOW_NAME)
        if existing is not None and (press.draft_id, press.revision) != (
            existing.id,
            existing.revision,
        ):
            text, buttons = await _resume(s, context, existing)
        else:
            cd = await load_start(s, context)
            text, buttons = await _start(s, context, cd, cdm.first_state(cd))
    await reply(update, context, text, buttons=buttons)


FLOW: Flow[ContactView] = Flow(
    name=FLOW_NAME,
    prefix=PREFIX,
    command="/contact",
    steps=STEPS,
    load=_load,
    texts=TEXTS,
    on_tap=steps.common_tap,
    on_text=_typed_first,
    frame=frame,
    direct={"new": _start_fresh},
    keyed=frozenset({"s", "sy", "rs"}),
    was_saved=_was_saved,
    expired_replaces=True,
)


async def on_plain_text(update: Update, context: BotContext) -> bool:
    """Typed text without a command that looks like work ("vandaag 1 uur gesprek in venlo
    over schulden"), from an expert: offered as a contact, with what was understood. Saved
    with one tap when nothing is missing; nothing is kept of the text itself."""
    user = context.app_user
    msg = update.message
    if user is None or user.role != Role.expert or msg is None or not msg.text:
        return False
    line = msg.text.strip()
    if len(line) > MAX_PLAIN_TEXT or not looks_like_work(line, context.services.today()):
        return False
    async with context.unit() as s:
        start = await load_start(s, context)
        cd, state, error = await quick_draft(s, context, line, start)
        offer = context.t._("Wil je dit loggen als contact?")
        note = f"{error}\n{offer}" if error else offer
        existing = await current_draft(s, context, FLOW_NAME)
        text, buttons = await _offer(
            s, context, cd, state, existing=existing, start=start, note=note
        )
    await reply(update, context, text, buttons=buttons)
    return True


def register(application: Application, router: TextRouter) -> None:
    # Only new messages: an edited "/contact …" must not log a second contact (the shared
    # edited-message handler answers it).
    application.add_handler(
        CommandHandler("contact", cmd_contact, filters=filters.UpdateType.MESSAGE)
    )
    FLOW.register(application, router)
    router.free_text(on_plain_text)
