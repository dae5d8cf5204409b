"""Personal data: /privacy (the notice, also shown once at registration), /mijngegevens (what
the bot holds about you, Exporteer, Verwijder mij with two confirmations) and /wisexpert (a
coordinator erases a colleague who left). The erasure itself is `bot.storage.erasure`.

After an erasure commits: the coordinators are told and the freed bytes are purged
(`bot.housekeeping.purge_freed_bytes`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from babel import Locale, UnknownLocaleError
from telegram import Update
from telegram.ext import Application, CommandHandler

from bot import housekeeping
from bot.commands import RESIDENT
from bot.context import BotContext
from bot.dialogue import Callback, Flow, Outcome, Problem, Screen, Step, Texts, Turn, View, labels
from bot.dialogue.press import Press
from bot.erasure_notice import tell_coordinators
from bot.export_file import export_filename, render_export
from bot.handlers.common import answer, edit_or_send, esc, reply
from bot.handlers.gate import role_of
from bot.handlers.shared import start_flow
from bot.i18n import N_
from bot.router import TextRouter
from bot.storage import drafts, erasure, export, users
from bot.storage.export import PersonalData
from bot.storage.models import Role, User, id_of

# --------------------------------------------------------------------------- /privacy


def privacy_notice(context: BotContext) -> str:
    """The notice for experts and coordinators: what, why, how long, who, your rights."""
    t = context.t
    _ = t._
    settings = context.services.settings
    parts = [
        "<b>" + esc(_("Over je gegevens")) + "</b>",
        _(
            "De bot bewaart je Telegram-id, je voornaam, je taal en je instellingen. "
            "Dat is nodig om je te herkennen en je herinneringen te sturen."
        ),
        _(
            "Wat je invoert (contacten, uren, signalen, verhalen) is voor de rapporten aan de "
            "gemeenten. In de rapporten staan alleen aantallen, uren en anonieme teksten. "
            "Nooit je naam."
        ),
        _("Wie ziet het? Jij en de coördinatoren van de pool."),
        _(
            "Hoe lang? Aantallen en uren blijven voor de rapporten. Teksten worden na {text} "
            "gewist. Het logboek van wijzigingen na {audit}."
        ).format(
            text=t.months(settings.retention_free_text_months),
            audit=t.months(settings.retention_audit_months),
        ),
        _(
            "Met /mijngegevens zie je wat er over jou is opgeslagen. Daar kun je alles "
            "downloaden, of je gegevens laten wissen. Deze uitleg staat altijd onder /privacy."
        ),
    ]
    return "\n\n".join(p if p.startswith("<b>") else esc(p) for p in parts)


def resident_privacy(context: BotContext) -> str:
    return esc(
        context.t._(
            "De bot bewaart niets over jou: niet je naam, niet je nummer en niet wat je typt."
        )
    )


async def cmd_privacy(update: Update, context: BotContext) -> None:
    if role_of(context) == RESIDENT:
        await reply(update, context, resident_privacy(context))
    else:
        await reply(update, context, privacy_notice(context))


# --------------------------------------------------------------------------- /mijngegevens

KIND_LINES = {
    "contacts": N_("Contacten: {kept}"),
    "hours": N_("Uren zonder inwoner: {kept}"),
    "signals": N_("Signalen: {kept}"),
    "stories": N_("Verhalen: {kept}"),
}


@dataclass(kw_only=True)
class MineView(View):
    data: PersonalData


async def load_mine(turn: Turn[MineView]) -> MineView:
    user = turn.context.app_user
    assert user is not None
    person = await turn.s.get(User, id_of(user))
    assert person is not None
    return MineView(
        context=turn.context,
        draft=turn.draft,
        prefix=turn.flow.prefix,
        data=await export.personal_data(turn.s, person),
    )


def language_name(code: str) -> str:
    """A language as its speakers call it: "nl" -> "Nederlands", "en" -> "English"."""
    try:
        name = Locale.parse(code).get_display_name(code)
    except (ValueError, UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:] if name else code


def render_overview(view: MineView) -> Screen:
    t = view.t
    _ = t._
    data = view.data
    user = data.user
    lines = [
        "<b>" + esc(_("Wat de bot over jou bewaart")) + "</b>",
        "",
        esc(_("Naam: {name}").format(name=user.display_name or "–")),
        esc(_("Telegram-id: {id}").format(id=user.telegram_user_id)),
        esc(_("Eigen gemeente: {name}").format(name=data.home_municipality or "–")),
        esc(_("Taal: {language}").format(language=language_name(user.language))),
    ]
    if user.reminders_enabled and user.reminder_days:
        lines.append(
            esc(
                _("Herinneringen: om {time}, {days} per week").format(
                    time=t.fmt_time(user.reminder_time), days=t.days(len(user.reminder_days))
                )
            )
        )
    else:
        lines.append(esc(_("Herinneringen: uit")))
    lines.append("")
    deleted = 0
    for key, (kept, gone) in data.counts().items():
        lines.append(esc(_(KIND_LINES[key]).format(kept=t.number(kept, 0))))
        deleted += gone
    if deleted:
        lines.append(esc(_("Verwijderde invoer (blijft in de cijfers): {n}").format(n=deleted)))
    lines.append(esc(_("Wijzigingen in het logboek: {n}").format(n=len(data.sheet("audit").rows))))
    period = data.period()
    if period is not None:
        lines.append(
            esc(
                _("Periode: {first} tot en met {last}").format(
                    first=t.fmt_date(period[0], "d MMMM y"), last=t.fmt_date(period[1], "d MMMM y")
                )
            )
        )
    lines += ["", esc(_("Meer uitleg: /privacy"))]
    return "\n".join(lines), [
        [(_("Exporteer"), view.button("e")), (_("Verwijder mij"), view.button("d"))],
        [(_(labels.DONE), view.button("x"))],
    ]


def render_confirm(view: MineView) -> Screen:
    _ = view.t._
    text = esc(
        _(
            "Wil je dat de bot je gegevens wist? Dat betekent:\n"
            "• je naam, Telegram-id, taal en instellingen gaan weg;\n"
            "• je verhalen, signalen en andere teksten gaan weg;\n"
            "• je uren en aantallen blijven, zonder naam, voor de rapporten;\n"
            "• je kunt de bot daarna niet meer gebruiken zonder nieuwe code;\n"
            "• de coördinatoren krijgen een bericht.\n\n"
            "Tip: exporteer eerst je gegevens als je ze wilt houden."
        )
    )
    return text, [
        [(_("Ja, wis mijn gegevens"), view.button("d1"))],
        [(_("Nee, terug"), view.button("b"))],
    ]


def render_confirm2(view: MineView) -> Screen:
    _ = view.t._
    text = "<b>" + esc(_("Weet je het zeker? Dit kan niet ongedaan worden.")) + "</b>"
    return text, [
        [(_("Definitief wissen"), view.button("d2"))],
        [(_("Nee, terug"), view.button("b"))],
    ]


async def tap_mine(turn: Turn[MineView], callback: Callback) -> Outcome | None:
    action = callback.action
    if action == "x":
        return await turn.end(esc(turn.t._("Klaar.")))
    if action == "b":
        return Outcome(state="overview")
    if action == "d" and turn.draft.state == "overview":
        return Outcome(state="confirm")
    if action == "d1" and turn.draft.state == "confirm":
        return Outcome(state="confirm2")
    return None


async def cmd_mine(update: Update, context: BotContext) -> None:
    await start_flow(update, context, MINE, {}, "overview")


async def _checked_press(
    s: Any, context: BotContext, flow: Flow[Any], data: str, state: str
) -> tuple[Press, Problem | None]:
    press = await flow.load_press(s, context, data)
    problem = press.problem
    if problem is None and (press.draft is None or press.draft.state != state):
        problem = Problem.STALE
    return press, problem


async def export_mine(update: Update, context: BotContext, callback: Callback) -> None:
    """Exporteer: the workbook as a protected document; the overview stays."""
    query = update.callback_query
    chat = update.effective_chat
    user = context.app_user
    assert query is not None and chat is not None and user is not None
    t = context.t
    content = b""
    name = ""
    async with context.unit() as s:
        _press, problem = await _checked_press(s, context, MINE, query.data or "", "overview")
        if problem is None:
            person = await s.get(User, id_of(user))
            assert person is not None
            data = await export.personal_data(s, person)
            content = render_export(data, t, context.services.settings.tz)
            name = export_filename(data, context.services.today())
    if problem is not None:
        await answer(context, query, MINE.problem_text(t, problem), alert=True)
        return
    await answer(context, query, t._("Ik maak het bestand."))
    await context.bot.send_document(
        chat.id,
        document=content,
        filename=name,
        caption=t._("Alles wat de bot over jou bewaart. Elk tabblad is een soort gegevens."),
        protect_content=True,
    )


async def _erase(
    update: Update,
    context: BotContext,
    flow: Flow[Any],
    state: str,
    whom: Callable[[Press], int | None],
    done: Callable[[erasure.Erased], str],
    by: str,
) -> None:
    """The final confirmation of an erasure: check the press (its draft must be at `state`),
    erase `whom(press)` and commit; then say so, tell the coordinators, purge the bytes."""
    query = update.callback_query
    assert query is not None
    erased = None
    coordinators: list[User] = []
    async with context.unit() as s:
        press, problem = await _checked_press(s, context, flow, query.data or "", state)
        user_id = whom(press) if problem is None else None
        if problem is None and user_id is None:
            problem = Problem.STALE
        if user_id is not None and press.draft is not None:
            await drafts.discard(s, press.draft)
            erased = await erasure.erase_expert(s, user_id, context.services.now())
            coordinators = await users.active_users(s, Role.coordinator)
    if erased is None:
        text = flow.problem_text(context.t, problem or Problem.GONE)
        await answer(context, query, text, alert=True)
        return
    await answer(context, query)
    await edit_or_send(update, context, esc(done(erased)))
    me = context.app_user
    await tell_coordinators(
        context.bot, coordinators, erased.pseudonym, by, skip=me.id if me else None
    )
    await housekeeping.purge_freed_bytes(context.services)


async def erase_mine(update: Update, context: BotContext, callback: Callback) -> None:
    """Definitief wissen: the second confirmation."""
    user = context.app_user
    assert user is not None
    text = context.t._(
        "Je gegevens zijn gewist. Bedankt voor je inzet! "
        "Wil je later weer meedoen? Vraag de coördinator om een nieuwe code."
    )
    await _erase(
        update, context, MINE, "confirm2", lambda _press: id_of(user), lambda _e: text, "self"
    )


MINE: Flow[MineView] = Flow(
    name="mijngegevens",
    prefix="mg",
    command="/mijngegevens",
    load=load_mine,
    steps={
        "overview": Step(render_overview),
        "confirm": Step(render_confirm),
        "confirm2": Step(render_confirm2),
    },
    texts=Texts(
        gone=N_("Dit is al gesloten. Kies /mijngegevens om opnieuw te beginnen."),
        typed=N_("Tik op een van de knoppen onder het bericht."),
    ),
    on_tap=tap_mine,
    direct={"e": export_mine, "d2": erase_mine},
)


# --------------------------------------------------------------------------- /wisexpert


@dataclass(kw_only=True)
class LeaverView(View):
    people: list[User] = field(default_factory=list)

    def person(self, user_id: Any) -> User | None:
        return next((p for p in self.people if str(p.id) == str(user_id)), None)


def person_label(view: View, user: User) -> str:
    role = view.t._("coördinator") if user.role == Role.coordinator else ""
    return f"{user.display_name or '?'} ({user.id}{', ' + role if role else ''})"


async def load_leavers(turn: Turn[LeaverView]) -> LeaverView:
    me = turn.context.app_user
    people = [u for u in await users.active_users(turn.s) if me is None or u.id != me.id]
    return LeaverView(
        context=turn.context, draft=turn.draft, prefix=turn.flow.prefix, people=people
    )


def render_pick(view: LeaverView) -> Screen:
    _ = view.t._
    text = esc(
        _(
            "Van wie wis je de gegevens? Doe dit alleen als iemand niet meer bij de pool werkt. "
            "De uren en aantallen blijven in de rapporten."
        )
    )
    rows: list[list[tuple[str, str]]] = [
        [(person_label(view, p), view.button("p", p.id))] for p in view.people
    ]
    return text, [*rows, [(_(labels.STOP), view.button("x"))]]


def render_leaver_confirm(view: LeaverView) -> Screen:
    _ = view.t._
    person = view.person(view.draft.data.get("user_id"))
    if person is None:
        return esc(_("Deze collega staat niet meer in de lijst.")), [
            [(_(labels.BACK), view.button("b"))]
        ]
    name = person_label(view, person)
    text = esc(
        _(
            "Je wist de gegevens van {name}: naam, Telegram-id, instellingen en teksten "
            "gaan weg. De uren en aantallen blijven, als oud-collega. Dit kan niet ongedaan "
            "worden."
        ).format(name=name)
    )
    return text, [
        [
            (
                _("Ja, wis {name}").format(name=person.display_name or "?"),
                view.button("y", person.id),
            )
        ],
        [(_(labels.BACK), view.button("b"))],
    ]


async def tap_leaver(turn: Turn[LeaverView], callback: Callback) -> Outcome | None:
    if callback.action == "x":
        return await turn.end(esc(turn.t._("Gestopt. Er is niets gewist.")))
    if callback.action == "b":
        return Outcome(state="pick", data={})
    if callback.action == "p" and turn.draft.state == "pick":
        person = (await turn.view()).person(callback.arg)
        if person is None:
            return None
        return Outcome(state="confirm", data={"user_id": person.id})
    return None


async def cmd_leaver(update: Update, context: BotContext) -> None:
    await start_flow(update, context, LEAVER, {}, "pick")


async def erase_leaver(update: Update, context: BotContext, callback: Callback) -> None:
    """Ja, wis …: the coordinator's confirmation; the button names the person."""

    def whom(press: Press) -> int | None:
        assert press.draft is not None
        chosen = str(press.draft.data.get("user_id"))
        return int(chosen) if chosen == callback.arg else None

    def done(erased: erasure.Erased) -> str:
        text = context.t._("Gewist. In de cijfers heet deze collega nu {name}.")
        return text.format(name=erased.pseudonym)

    await _erase(update, context, LEAVER, "confirm", whom, done, "coordinator")


LEAVER: Flow[LeaverView] = Flow(
    name="wisexpert",
    prefix="wx",
    command="/wisexpert",
    load=load_leavers,
    steps={"pick": Step(render_pick), "confirm": Step(render_leaver_confirm)},
    texts=Texts(
        gone=N_("Dit is al gesloten. Kies /wisexpert om opnieuw te beginnen."),
        typed=N_("Tik op een van de knoppen onder het bericht."),
    ),
    on_tap=tap_leaver,
    direct={"y": erase_leaver},
)


def register(application: Application, router: TextRouter) -> None:
    application.add_handler(CommandHandler("privacy", cmd_privacy))
    application.add_handler(CommandHandler("mijngegevens", cmd_mine))
    application.add_handler(CommandHandler("wisexpert", cmd_leaver))
    MINE.register(application, router)
    LEAVER.register(application, router)
