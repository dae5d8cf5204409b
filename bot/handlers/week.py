"""/week: the expert's own ISO week (Monday to Sunday, Europe/Amsterdam) in numbers.

Buttons `w:<monday>` page back and forth; never past the current week. They carry no draft:
an old button simply shows the week it names.
"""

from __future__ import annotations

from datetime import date, timedelta

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.domain.durations import format_duration
from bot.domain.week import REGIONAL, WeekOverview, current_week_start, shape_week, week_start
from bot.handlers.common import Button, answer, edit_or_send, esc, reply
from bot.i18n import Translator
from bot.router import TextRouter
from bot.storage import worklog
from bot.text import short_label

PREFIX = "w"
# Paging back is limited to about a year and a half: older weeks belong in reports.
MAX_WEEKS_BACK = 80


def fmt_duration(t: Translator, minutes: int) -> str:
    """The one form of a duration shown to a user (/week, /contact, /uren, /corrigeer):
    45 -> "45 min", 90 -> "1,5 uur", 75 -> "1 uur 15 min" (exact; Babel, the user's locale)."""
    return format_duration(minutes, t.locale)


def render_week(t: Translator, week: WeekOverview, current: date) -> tuple[str, list[list[Button]]]:
    """The overview text and its paging buttons. Every figure is a sum of hours, in the one form
    of sums (the digest's): decimal hours, "2,5 uur" (`Translator.hours`), here with up to two
    decimals, so an expert's quarter hours stay exact ("0,25 uur", "4,75 uur")."""
    _ = t._
    year, number = week.iso
    # One title form for every week; the line below it says when it is this week.
    title = _("Week {week} van {year}").format(week=number, year=year)
    span = "{start} – {end}".format(
        start=t.fmt_date(week.start, "EEEE d MMMM"), end=t.fmt_date(week.end, "EEEE d MMMM")
    )
    if week.start == current:
        span = _("Deze week: {span}").format(span=span)
    lines = [f"<b>{esc(title)}</b>", esc(span), ""]
    if week.is_empty:
        lines.append(
            _("Deze week heb je nog niets ingevoerd.")
            if week.start == current
            else _("In deze week heb je niets ingevoerd.")
        )
    else:
        lines.append(
            "<b>{}</b>".format(
                esc(_("Totaal: {hours}").format(hours=t.hours(week.total_minutes, 2)))
            )
        )
        lines.append(
            esc(
                _("Met inwoners: {contact} · zonder inwoners: {indirect}").format(
                    contact=t.hours(week.contact_minutes, 2),
                    indirect=t.hours(week.indirect_minutes, 2),
                )
            )
        )
        lines.append("")
        for muni in week.municipalities:
            name = muni.municipality if muni.municipality != REGIONAL else _("Regionaal")
            parts = []
            if muni.contact_minutes:
                parts.append(_("contact {hours}").format(hours=t.hours(muni.contact_minutes, 2)))
            parts += [
                f"{kind} {t.hours(minutes, 2)}" for kind, minutes in muni.indirect_minutes.items()
            ]
            lines.append(
                "<b>{name}</b>: {total}\n   {parts}".format(
                    name=esc(name),
                    total=esc(t.hours(muni.total, 2)),
                    parts=esc(" · ".join(parts)),
                )
            )
        lines.append("")
        lines.append(
            esc(
                t.ngettext("{n} contact", "{n} contacten", week.counts.contacts).format(
                    n=t.number(week.counts.contacts, 0)
                )
            )
        )
        if week.counts.contacts:
            lines.append(
                esc(
                    _("Inwoners: {new} nieuw, {known} bekend").format(
                        new=t.number(week.counts.new, 0),
                        known=t.number(week.counts.known, 0),
                    )
                )
            )
        if week.themes:
            themes = ", ".join(
                f"{short_label(label)} ({t.number(n, 0)})" for label, n in week.themes
            )
            lines.append(esc(_("Thema's: {themes}").format(themes=themes)))
        if week.signals or week.stories:
            lines.append(
                esc(
                    _("Signalen: {signals} · verhalen: {stories}").format(
                        signals=t.number(week.signals, 0), stories=t.number(week.stories, 0)
                    )
                )
            )
    return "\n".join(lines), week_buttons(t, week.start, current)


def week_buttons(t: Translator, monday: date, current: date) -> list[list[Button]]:
    _ = t._
    row: list[Button] = []
    if (current - monday).days < 7 * MAX_WEEKS_BACK:
        row.append((_("« Vorige week"), f"{PREFIX}:{(monday - timedelta(weeks=1)).isoformat()}"))
    if monday < current:
        row.append((_("Volgende week »"), f"{PREFIX}:{(monday + timedelta(weeks=1)).isoformat()}"))
    rows = [row] if row else []
    if monday < current - timedelta(weeks=1):
        rows.append([(_("Naar deze week"), f"{PREFIX}:{current.isoformat()}")])
    return rows


async def _overview(context: BotContext, monday: date) -> tuple[str, list[list[Button]]]:
    services = context.services
    user = context.app_user
    assert user is not None and user.id is not None
    current = current_week_start(services.now(), services.settings.tz)
    monday = min(week_start(monday), current)  # never a week that has not started
    async with context.unit() as s:
        rows = await worklog.week_rows(s, user.id, monday, monday + timedelta(days=6))
    week = shape_week(
        monday, rows.contacts, rows.indirect, signals=rows.signals, stories=rows.stories
    )
    return render_week(context.t, week, current)


async def cmd_week(update: Update, context: BotContext) -> None:
    services = context.services
    text, buttons = await _overview(
        context, current_week_start(services.now(), services.settings.tz)
    )
    await reply(update, context, text, buttons=buttons)


def parse_week_button(data: str) -> date | None:
    prefix, _sep, rest = data.partition(":")
    if prefix != PREFIX:
        return None
    try:
        return date.fromisoformat(rest)
    except ValueError:
        return None


async def on_week_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    monday = parse_week_button(query.data or "")
    if monday is None:
        await answer(context, query, context.t._("Deze knop ken ik niet meer. Typ /week."), True)
        return
    text, buttons = await _overview(context, monday)
    await answer(context, query)
    await edit_or_send(update, context, text, buttons=buttons)


def register(application: Application, router: TextRouter) -> None:
    application.add_handler(CommandHandler("week", cmd_week))
    application.add_handler(CallbackQueryHandler(on_week_button, pattern=rf"^{PREFIX}:"))
