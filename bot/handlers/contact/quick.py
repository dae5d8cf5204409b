"""Where a new contact starts: pre-filled from the last one, or from one typed line
(`/contact 45 min inloop Blerick armoede, eenzaamheid 2 nieuw`)."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import BotContext
from bot.data import VocabEntry
from bot.domain import contact_deel
from bot.domain import contact_draft as cdm
from bot.domain.contact_draft import ContactDraft
from bot.domain.quickentry import QuickEntry, parse_quick_entry
from bot.handlers.common import esc
from bot.handlers.contact.texts import (
    COUNT_ERRORS,
    DATE_ERRORS,
    DURATION_ERRORS,
    PRIVATE_LEFT_OUT,
    QUICK_ERRORS,
)
from bot.handlers.contact.view import refdata
from bot.storage import contacts


async def load_start(s: AsyncSession, context: BotContext) -> ContactDraft:
    """A new draft: the last contact's values (if any) or the expert's home municipality."""
    user = context.app_user
    assert user is not None and user.id is not None
    today = context.services.today()
    last = await contacts.last_entry(s, user.id)
    active = False
    if last is not None and last.deelopdracht_id is not None:
        options = (await refdata(s, context)).active_deelopdrachten(last.municipality_id, today)
        active = any(d.id == last.deelopdracht_id for d in options)
    cd = cdm.initial_draft(
        today,
        last=last,
        home_municipality_id=user.home_municipality_id,
        deelopdracht_active=active,
    )
    ref = await refdata(s, context)
    contact_deel.settle(cd, ref.choices(cd.municipality_id, cd.work_date))
    return cd


async def quick_draft(
    s: AsyncSession, context: BotContext, line: str, base: ContactDraft
) -> tuple[ContactDraft, str, str | None]:
    """A draft from one typed line (``base``: what a new contact starts with, `load_start`),
    the state to open and an error to show there."""
    _ = context.t._
    settings = context.services.settings
    today = context.services.today()
    ref = await refdata(s, context)
    vocab = {
        kind: [VocabEntry(v.code, v.label, v.aliases) for v in ref.items(kind)]
        for kind in contacts.VOCAB_MODELS
    }

    async def parse(municipality_id: int | None) -> QuickEntry:
        names = await contacts.vindplek_names(s, municipality_id) if municipality_id else []
        return parse_quick_entry(
            line,
            today,
            vocabulary=vocab,
            vindplekken=names,
            max_back_days=settings.max_back_days,
            deelopdrachten=[d.code for d in ref.deelopdrachten if d.code],
        )

    default_muni = base.municipality_id
    entry = await parse(default_muni)
    deel = next((d for d in ref.deelopdrachten if d.code == entry.deelopdracht), None)
    muni = ref.municipality_named(entry.municipality)
    if muni is None and deel is not None:
        muni = ref.municipality(deel.municipality_id)  # "wij-venlo": in Venlo
    if muni is not None and muni.id != default_muni:
        entry = await parse(muni.id)  # its own vindplekken
    chosen_muni = muni.id if muni is not None else default_muni
    place = (
        await contacts.vindplek_by_name(s, chosen_muni, entry.vindplek)
        if entry.vindplek and chosen_muni
        else None
    )
    cd, problem = cdm.from_quick(
        entry,
        today,
        default_municipality_id=default_muni,
        municipality_id=muni.id if muni is not None else None,
        vindplek_id=place.id if place is not None else None,
        known_reach=[v.code for v in ref.items("reach_channels")],
    )
    error = None
    day = cd.work_date or today
    if deel is not None and cd.municipality_id == deel.municipality_id and deel.runs_on(day):
        cd.deelopdracht_id, cd.deel_chosen = deel.id, True
    elif deel is not None and cd.municipality_id == deel.municipality_id:  # not on that day
        error = _("De deelopdracht {name} loopt niet op {day}.").format(
            name=esc(deel.title), day=context.t.fmt_date(day)
        )
    elif deel is not None:  # named, but in another municipality than the line's place
        error = _("De deelopdracht {name} hoort niet bij deze gemeente.").format(
            name=esc(deel.title)
        )
    contact_deel.settle(cd, ref.choices(cd.municipality_id, day))
    state = cdm.first_state(cd)
    if problem is not None and not cdm.step_done(cd, problem[0]):
        state = problem[0]
        step, code = problem
        table = {"date": DATE_ERRORS, "duration": DURATION_ERRORS, "residents": COUNT_ERRORS}
        msgid = QUICK_ERRORS.get(problem) or table.get(step, {}).get(code)
        if msgid:
            error = _(msgid).format(days=context.t.days(settings.max_back_days))
    if entry.private:
        # Said once, without repeating what was left out.
        note = _(PRIVATE_LEFT_OUT)
        error = note if error is None else f"{note}\n{error}"
    return cd, state, error
