"""Reminders: /herinnering (days, time, on/off), /pauze, and the buttons on a reminder.

Buttons (prefix `r`):
- on a reminder: `r:m:<delivery id>:<snooze count>:log|nil|later`. The snooze count is the
  revision: after "Later" the old message's buttons are gone and the next reminder carries the
  new count, so a double tap cannot snooze twice.
- in /herinnering: `r:s:<draft id>:<revision>:d<1-7>|on|off|ok`. The settings dialogue has a
  draft (flow "herinnering") so a typed time ("17:00") reaches it; each change is saved at once.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot import jobs
from bot.context import BotContext
from bot.domain import reminders as rdom
from bot.domain.dates import DateError, DateErrorCode, parse_pause_until, parse_time
from bot.handlers.common import Button, answer, edit_or_send, reply
from bot.i18n import Translator
from bot.router import TextRouter
from bot.storage import drafts, reports
from bot.storage.models import ConversationDraft, User
from bot.text import esc

PREFIX = "r"
FLOW = "herinnering"
# The settings dialogue only needs to catch a typed time for a little while.
SETTINGS_TTL = timedelta(hours=1)


# --------------------------------------------------------------------------- parsing helpers


def _parse_time(text: str) -> time | None:
    return parse_time(text.strip())


def _too_late(t: Translator) -> str:
    return esc(
        t._("Zo laat kan niet. Kies een tijd tot en met {time}, bijvoorbeeld 17:00.").format(
            time=t.fmt_time(rdom.LATEST_TIME)
        )
    )


def day_names(t: Translator) -> dict[int, str]:
    """ISO weekday -> short local name ("ma", "di", ...)."""
    return {iso: t.weekday(iso - 1, short=True) for iso in range(1, 8)}


def describe(t: Translator, user: User, today: date) -> str:
    """One or two sentences on the current reminder settings."""
    _ = t._
    if not user.reminders_enabled or not rdom.parse_days(user.reminder_days):
        text = _("Herinneringen staan uit.")
    else:
        names = day_names(t)
        days = ", ".join(names[d] for d in sorted(rdom.parse_days(user.reminder_days)))
        text = _(
            "Ik stuur je een herinnering op {days} om {time}, als je die dag nog niets hebt "
            "ingevuld. Op feestdagen stuur ik niets."
        ).format(days=esc(days), time=t.fmt_time(user.reminder_time))
    if user.pause_until is not None and user.pause_until >= today:
        text += "\n" + _("Gepauzeerd tot en met {date}.").format(
            date=esc(t.fmt_date(user.pause_until))
        )
    return text


# --------------------------------------------------------------------------- /herinnering


def settings_view(
    t: Translator, user: User, draft: ConversationDraft, today: date
) -> tuple[str, list[list[Button]]]:
    _ = t._
    base = f"{PREFIX}:s:{draft.id}:{draft.revision}"
    on = set(rdom.parse_days(user.reminder_days))
    names = day_names(t)
    text = "\n\n".join(
        [
            "<b>{}</b>".format(esc(_("Herinnering"))),
            describe(t, user, today),
            esc(
                _(
                    "Tik op een dag om die aan of uit te zetten. "
                    "Een andere tijd? Typ die, bijvoorbeeld 17:00."
                )
            ),
        ]
    )
    days_row1 = [(("✓ " if d in on else "") + names[d], f"{base}:d{d}") for d in range(1, 5)]
    days_row2 = [(("✓ " if d in on else "") + names[d], f"{base}:d{d}") for d in range(5, 8)]
    toggle = (
        (_("Herinneringen uit"), f"{base}:off")
        if user.reminders_enabled
        else (_("Herinneringen aan"), f"{base}:on")
    )
    return text, [days_row1, days_row2, [toggle, (_("Klaar"), f"{base}:ok")]]


async def _update_user(context: BotContext, user_id: int, **values: Any) -> User:
    async with context.unit() as s:
        user = await s.get(User, user_id)
        assert user is not None
        for k, v in values.items():
            setattr(user, k, v)
        s.add(user)
    context.app_user = user
    return user


async def cmd_reminder(update: Update, context: BotContext) -> None:
    user = context.app_user
    if user is None or user.id is None:
        return
    _ = context.t._
    arg = " ".join(context.args or []).strip().lower()
    if arg in ("uit", "off", "stop"):
        user = await _update_user(context, user.id, reminders_enabled=False)
        await reply(
            update, context, esc(_("Herinneringen staan uit. Weer aan? Typ /herinnering aan."))
        )
        return
    if arg in ("aan", "on"):
        values: dict[str, Any] = {"reminders_enabled": True}
        if not rdom.parse_days(user.reminder_days):
            values["reminder_days"] = context.services.settings.default_reminder_days
        user = await _update_user(context, user.id, **values)
        await reply(update, context, describe(context.t, user, context.services.today()))
        return
    if arg:
        at = _parse_time(arg)
        if at is None:
            await reply(
                update,
                context,
                esc(
                    _(
                        "Dat begrijp ik niet. Typ bijvoorbeeld /herinnering 17:00, "
                        "/herinnering uit of /herinnering aan."
                    )
                ),
            )
            return
        if not rdom.reminder_time_allowed(at):
            await reply(update, context, _too_late(context.t))
            return
        user = await _update_user(context, user.id, reminder_time=at, reminders_enabled=True)
        await reply(update, context, describe(context.t, user, context.services.today()))
        return
    services = context.services
    async with context.unit() as s:
        draft = await drafts.start(s, user.id, FLOW, "settings", {}, services.now(), SETTINGS_TTL)
    text, buttons = settings_view(context.t, user, draft, context.services.today())
    await reply(update, context, text, buttons=buttons)


async def on_settings_text(update: Update, context: BotContext, draft: ConversationDraft) -> None:
    """A typed time while the settings dialogue is open."""
    msg = update.message
    user = context.app_user
    if msg is None or msg.text is None or user is None or user.id is None:
        return
    _ = context.t._
    at = _parse_time(msg.text)
    if at is None:
        await reply(
            update,
            context,
            esc(_("Dat is geen tijd. Typ een tijd zoals 16:30 of 9:00, of tik op Klaar.")),
        )
        return
    if not rdom.reminder_time_allowed(at):
        await reply(update, context, _too_late(context.t))
        return
    services = context.services
    async with context.unit() as s:
        row = await drafts.get_by_id(s, draft.id)  # type: ignore[arg-type]
        db_user = await s.get(User, user.id)
        assert db_user is not None
        db_user.reminder_time = at
        db_user.reminders_enabled = True
        s.add(db_user)
        if row is not None:
            await drafts.save(s, row, services.now(), SETTINGS_TTL)
    context.app_user = db_user
    if row is None:
        await reply(update, context, describe(context.t, db_user, context.services.today()))
        return
    text, buttons = settings_view(context.t, db_user, row, context.services.today())
    await reply(update, context, text, buttons=buttons)


async def _on_settings_button(
    update: Update, context: BotContext, draft_id: int, revision: int, action: str
) -> None:
    query = update.callback_query
    assert query is not None
    _ = context.t._
    user = context.app_user
    assert user is not None and user.id is not None
    services = context.services
    now = services.now()
    view: tuple[str, list[list[Button]]] | None = None
    toast: str | None = None
    async with context.unit() as s:
        row = await drafts.get_by_id(s, draft_id)
        db_user = await s.get(User, user.id)
        assert db_user is not None
        if row is None or row.user_id != user.id or row.flow != FLOW or drafts.is_expired(row, now):
            toast = _("Deze knop werkt niet meer. Typ /herinnering om je instellingen te zien.")
        elif revision != row.revision:
            toast = _("Deze knop hoort bij een eerdere stap. Gebruik het laatste bericht.")
        elif action == "ok":
            await drafts.discard(s, row)
            view = (describe(context.t, db_user, context.services.today()), [])
            toast = _("Opgeslagen.")
        else:
            if action.startswith("d") and action[1:].isdigit() and 1 <= int(action[1:]) <= 7:
                db_user.reminder_days = rdom.toggle_day(db_user.reminder_days, int(action[1:]))
            elif action == "off":
                db_user.reminders_enabled = False
            elif action == "on":
                db_user.reminders_enabled = True
                if not rdom.parse_days(db_user.reminder_days):
                    db_user.reminder_days = services.settings.default_reminder_days
            else:
                toast = _("Deze knop werkt niet meer.")
            if toast is None:
                s.add(db_user)
                await drafts.save(s, row, now, SETTINGS_TTL)
                view = settings_view(context.t, db_user, row, context.services.today())
    context.app_user = db_user
    await answer(context, query, toast)
    if view is not None:
        await edit_or_send(update, context, view[0], buttons=view[1] or None)


# --------------------------------------------------------------------------- /pauze


async def cmd_pause(update: Update, context: BotContext) -> None:
    user = context.app_user
    if user is None or user.id is None:
        return
    t = context.t
    _ = t._
    arg = " ".join(context.args or []).strip()
    usage = _(
        "Typ bijvoorbeeld <code>/pauze tot 12-8</code> (tot en met die dag) "
        "of <code>/pauze uit</code> om weer herinneringen te krijgen."
    )
    if not arg:
        if user.pause_until is not None and user.pause_until >= context.services.today():
            head = esc(
                _("Je herinneringen zijn gepauzeerd tot en met {date}.").format(
                    date=t.fmt_date(user.pause_until)
                )
            )
        else:
            head = esc(_("Je herinneringen zijn niet gepauzeerd."))
        await reply(update, context, f"{head}\n{usage}")
        return
    if arg.lower() in ("uit", "stop", "klaar", "off"):
        await _update_user(context, user.id, pause_until=None)
        await reply(update, context, esc(_("De pauze is voorbij. Je krijgt weer herinneringen.")))
        return
    today = context.services.today()
    try:
        until = parse_pause_until(arg, today)
    except DateError as exc:
        if exc.code == DateErrorCode.PAST:
            problem = _("Die datum is al geweest. Kies vandaag of een dag later.")
        elif exc.code == DateErrorCode.TOO_FAR:
            problem = _("Zo lang kan niet. Een pauze duurt hoogstens een jaar.")
        else:
            problem = _("Die datum begrijp ik niet.")
        await reply(update, context, esc(problem) + "\n" + usage)
        return
    await _update_user(context, user.id, pause_until=until)
    await reply(
        update,
        context,
        esc(
            _("Pauze tot en met {date}. Daarna krijg je weer herinneringen.").format(
                date=t.fmt_date(until)
            )
        ),
    )


# --------------------------------------------------------------------------- reminder buttons


async def _on_reminder_button(
    update: Update, context: BotContext, delivery_id: int, count: int, action: str
) -> None:
    query = update.callback_query
    assert query is not None
    t = context.t
    _ = t._
    user = context.app_user
    assert user is not None and user.id is not None
    services = context.services
    now = services.now()
    async with context.unit() as s:
        delivery = await reports.get_reminder(s, delivery_id)
    if delivery is None or delivery.user_id != user.id:
        await answer(context, query, _("Deze knop werkt niet meer."))
        return
    day = delivery.local_date
    if action == "nil":
        async with context.unit() as s:
            await reports.add_day_off(s, user.id, day, now)
            await reports.answer_reminder(s, delivery_id, user.id)
        await answer(context, query, _("Genoteerd."))
        await edit_or_send(
            update,
            context,
            esc(
                _("Genoteerd: niets te melden op {date}. Tot de volgende keer!").format(
                    date=t.fmt_date(day)
                )
            ),
        )
        return
    if action == "log":
        async with context.unit() as s:
            await reports.answer_reminder(s, delivery_id, user.id)
        await answer(context, query)
        await _remove_buttons(query)
        await _start_contact(update, context)
        return
    if action == "later":
        if day != services.today():
            await answer(context, query, _("Deze herinnering is van een eerdere dag."))
            return
        if not rdom.snooze_allowed(count, now, services.settings.tz):
            # Out of snoozes, or the snoozed reminder would fall on the next day.
            await answer(context, query, _("Later kan nu niet meer."))
            return
        until = rdom.snoozed_until(now)
        async with context.unit() as s:
            ok = await reports.snooze_reminder(
                s, delivery_id, user.id, count, until, rdom.MAX_SNOOZES
            )
        if not ok:
            await answer(context, query, _("Deze knop is al gebruikt."))
            return
        await answer(context, query)
        await edit_or_send(
            update,
            context,
            esc(
                _("Goed, ik herinner je om {time} nog een keer.").format(
                    time=t.fmt_time(until.astimezone(services.settings.tz))
                )
            ),
        )
        return
    await answer(context, query, _("Deze knop werkt niet meer."))


async def _remove_buttons(query: Any) -> None:
    from telegram.error import BadRequest

    try:
        await query.edit_message_reply_markup(reply_markup=None)
    except BadRequest:
        pass  # already without buttons


async def _start_contact(update: Update, context: BotContext) -> None:
    """Open the /contact dialogue as if the expert had typed /contact."""
    try:
        from bot.handlers import contact
    except ImportError:  # the contact journey is not installed
        contact = None  # type: ignore[assignment]
    start = getattr(contact, "cmd_contact", None) if contact is not None else None
    if start is None:
        await reply(update, context, esc(context.t._("Typ /contact om je werk vast te leggen.")))
        return
    context.args = []
    await start(update, context)


async def on_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    parts = (query.data or "").split(":")
    try:
        if len(parts) == 5 and parts[1] == "m":
            await _on_reminder_button(update, context, int(parts[2]), int(parts[3]), parts[4])
            return
        if len(parts) == 5 and parts[1] == "s":
            await _on_settings_button(update, context, int(parts[2]), int(parts[3]), parts[4])
            return
    except ValueError:
        pass
    await answer(context, query, context.t._("Deze knop werkt niet meer."))


# --------------------------------------------------------------------------- wiring


def register(application: Application, router: TextRouter) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("herinnering", cmd_reminder))
    application.add_handler(CommandHandler("pauze", cmd_pause))
    application.add_handler(CallbackQueryHandler(on_button, pattern=rf"^{PREFIX}:"))
    router.flow(FLOW, on_settings_text)


def schedule(application: Application) -> None:  # type: ignore[type-arg]
    """The reminder job (registered with all others in `bot.jobs`)."""
    jobs.schedule_reminders(application)
