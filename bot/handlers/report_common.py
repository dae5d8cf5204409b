"""What /rapport, /verhalen and /toelichting share: the period and municipality steps, period
words, and the check of the coordinator's free text (anonymous, like every free text)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Generic, Self, TypeVar

from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import Update

from bot.context import BotContext
from bot.dialogue import Callback, Flow, Outcome, Screen, Turn, View, labels
from bot.dialogue.flow import Step
from bot.domain.periods import Period, PeriodError, parse_period
from bot.domain.places import resolve_municipality
from bot.domain.privacy import check_free_text
from bot.domain.report_choices import HALF, QUARTER, PeriodChoice, choice_from_code
from bot.domain.report_choices import recent_periods as offered_periods
from bot.handlers.common import Button, esc
from bot.handlers.fields import found_words
from bot.handlers.shared import Command, rows_of, start_flow
from bot.i18n import N_, Translator
from bot.storage import worklog
from bot.storage.worklog import Option

R = TypeVar("R", bound="ReportView")
T = TypeVar("T")

MIN_TEXT_CHARS = 10
ALL = "all"  # the municipality choice "alle gemeenten"

PERIOD_ERRORS = {
    "bad_half": N_("Een jaar heeft twee halfjaren: H1 of H2."),
    "bad_quarter": N_("Een jaar heeft vier kwartalen: Q1 tot en met Q4."),
    "bad_month": N_("Een maand is 1 tot en met 12."),
    "bad_date": N_("Die datum bestaat niet."),
    "year_range": N_("Dat jaartal klopt niet."),
    "end_before_start": N_("De einddatum ligt voor de begindatum."),
    "too_long": N_("Die periode is te lang."),
}


# --------------------------------------------------------------------------- periods


def choice_label(t: Translator, choice: PeriodChoice) -> str:
    """`1e halfjaar 2026`, `3e kwartaal 2026`, `heel 2026`."""
    if choice.kind == HALF:
        return t._("{n}e halfjaar {year}").format(n=choice.number, year=choice.year)
    if choice.kind == QUARTER:
        return t._("{n}e kwartaal {year}").format(n=choice.number, year=choice.year)
    return t._("heel {year}").format(year=choice.year)


def period_name(t: Translator, period: Period) -> str:
    """The period in words: its name when it has one, and its dates."""
    start_fmt = "d MMMM" if period.start.year == period.end_inclusive.year else "d MMMM y"
    dates = t._("{start} t/m {end}").format(
        start=t.fmt_date(period.start, start_fmt), end=t.fmt_date(period.end_inclusive, "d MMMM y")
    )
    choice = choice_from_code(period.key)
    return f"{choice_label(t, choice)} ({dates})" if choice is not None else dates


def period_of(data: dict[str, Any]) -> Period | None:
    key = data.get("period")
    if not key:
        return None
    try:
        return parse_period(str(key))
    except PeriodError:
        return None


def read_period(t: Translator, text: str) -> tuple[Period | None, str | None]:
    """A typed period, or why it is not one."""
    try:
        return parse_period(text), None
    except PeriodError as exc:
        reason = PERIOD_ERRORS.get(exc.code)
        head = t._(reason) + " " if reason else ""
        return None, head + t._(
            "Typ een periode zoals <i>2026-H1</i> (halfjaar), <i>2026-Q3</i> (kwartaal), "
            "<i>2026</i> (jaar) of <i>1-1-2026 tot 30-6-2026</i>. Of tik op een knop."
        )


def period_screen(view: View, today: date, question: str) -> Screen:
    """The period question with a button per offered period (previous and running)."""
    t = view.t
    _ = t._
    buttons: list[Button] = []
    for choice in offered_periods(today):
        label = choice_label(t, choice)
        if choice.running_on(today):
            label = _("{period} (loopt nog)").format(period=label)
        buttons.append((label, view.button("per", choice.code)))
    text = (
        esc(question)
        + "\n"
        + _("Of typ een periode, bijvoorbeeld <i>2026-H1</i> of <i>1-1-2026 tot 30-6-2026</i>.")
    )
    return text, [*rows_of(buttons, 2), [(_(labels.STOP), view.button("x"))]]


def tapped_period(callback: Callback) -> Period | None:
    if callback.action != "per" or choice_from_code(callback.arg) is None:
        return None
    return parse_period(callback.arg)


# What choosing a period does, given the draft's data: the next step and its data.
Chosen = Callable[[dict[str, Any], Period], Outcome]


def period_step(
    title: Callable[[R], str],
    question: str,
    chosen: Chosen,
    *,
    refuse: Callable[[Translator, Period, date], str | None] | None = None,
) -> Step[R]:
    """The period step: ``title`` above the ``question`` (a msgid), a button per offered period
    or a typed period; a period read goes where ``chosen`` says, unless ``refuse`` says why it
    may not (the step stays)."""

    def render(view: R) -> Screen:
        text, buttons = period_screen(view, view.today, view.t._(question))
        return title(view) + text, buttons

    async def on_tap(turn: Turn[R], callback: Callback) -> Outcome | None:
        period = tapped_period(callback)
        return None if period is None else chosen(turn.data, period)

    async def on_text(turn: Turn[R], text: str) -> Outcome | None:
        period, problem = read_period(turn.t, text)
        if period is not None and refuse is not None:
            problem = refuse(turn.t, period, turn.today())
        return Outcome(error=problem) if period is None or problem else chosen(turn.data, period)

    return Step(render, on_tap, on_text)


# --------------------------------------------------------------------------- municipalities


@dataclass(kw_only=True)
class ReportView(View):
    """What every step of these flows shows: today, the municipalities, the period."""

    today: date
    munis: list[Option] = field(default_factory=list)
    period: Period | None = None

    @classmethod
    async def read(cls, turn: Turn[Any], **more: Any) -> Self:
        """The view of the turn's draft: today, the municipalities, the chosen period, and
        ``more`` (the subclass's own fields)."""
        return cls(
            context=turn.context,
            draft=turn.draft,
            prefix=turn.flow.prefix,
            today=turn.today(),
            munis=await worklog.municipalities(turn.s),
            period=period_of(turn.draft.data),
            **more,
        )

    def muni_name(self, muni_id: int | None) -> str | None:
        return next((m.label for m in self.munis if m.id == muni_id), None)

    def titled(self, plain: str, with_period: str) -> str:
        """The dialogue's bold title: the msgid ``plain`` until a period is chosen, then
        ``with_period`` with its {period}."""
        _ = self.t._
        if self.period is None:
            return "<b>" + esc(_(plain)) + "</b>\n"
        name = period_name(self.t, self.period)
        return "<b>" + esc(_(with_period).format(period=name)) + "</b>\n"


def muni_buttons(
    view: ReportView, *, marked: frozenset[int] = frozenset(), action: str = "m"
) -> list[list[Button]]:
    """A button per municipality, two per row; ✓ before the marked ones."""
    return rows_of(
        [
            (("✓ " if m.id in marked else "") + m.label, view.button(action, m.id))
            for m in view.munis
        ],
        2,
    )


@dataclass(kw_only=True)
class PeriodRowsView(ReportView, Generic[T]):
    """A ReportView with the rows of the chosen period (none before a period is chosen)."""

    rows: list[T] = field(default_factory=list)

    @classmethod
    def loader(
        cls, read: Callable[[AsyncSession, Period], Awaitable[list[T]]]
    ) -> Callable[[Turn[Self]], Awaitable[Self]]:
        """The flow's loader: the view with the rows ``read`` finds for the chosen period."""

        async def load(turn: Turn[Self]) -> Self:
            view = await cls.read(turn)
            if view.period is not None:
                view.rows = await read(turn.s, view.period)
            return view

        return load


async def municipality_id_by_text(s: AsyncSession, text: str) -> int | None:
    """A typed municipality or village ("Blerick" -> Venlo), as an id."""
    name = resolve_municipality(text)
    if name is None:
        return None
    return next((m.id for m in await worklog.municipalities(s) if m.label == name), None)


async def typed_municipality(turn: Turn[Any], text: str) -> int | None:
    return await municipality_id_by_text(turn.s, text)


def tapped_municipality(view_munis: list[Option], callback: Callback) -> int | None:
    if callback.action != "m" or not callback.arg.isdigit():
        return None
    muni_id = int(callback.arg)
    return muni_id if any(m.id == muni_id for m in view_munis) else None


# --------------------------------------------------------------------------- free text


def text_problem(t: Translator, text: str, max_chars: int, today: date) -> str | None:
    """What is wrong with a typed text (no words, too long or short, identifying), or None."""
    _ = t._
    if not any(ch.isalpha() for ch in text):
        return _("Typ het in woorden. Alleen emoji of cijfers kan ik niet opslaan.")
    if len(text) > max_chars:
        return _(
            "Dat is te lang: {n}. Het mag maximaal {max} zijn. "
            "Maak het korter en stuur het opnieuw."
        ).format(n=t.chars(len(text)), max=t.chars(max_chars))
    if len(text) < MIN_TEXT_CHARS:
        return _("Dat is wel erg kort. Schrijf minstens {n}.").format(n=t.chars(MIN_TEXT_CHARS))
    findings = check_free_text(text, today=today)
    if not findings:
        return None
    what = found_words(t, [f.kind for f in findings])
    return _(
        "Dit sla ik niet op: er staat {what} in. Wat naar de gemeenten gaat, blijft anoniem. "
        "Schrijf het opnieuw zonder dat, bijvoorbeeld <i>een moeder uit Blerick</i> in plaats "
        "van een naam."
    ).format(what=esc(what))


# --------------------------------------------------------------------------- starting


def period_command(flow: Flow[Any], chosen: Chosen) -> Command:
    """The command of a dialogue that starts with the period step: `/<command> 2026-H1` goes
    on where ``chosen`` says for that period."""

    async def command(update: Update, context: BotContext) -> None:
        outcome = Outcome(state="period", data={})
        error = None
        if context.args:
            period, error = read_period(context.t, " ".join(context.args))
            if period is not None:
                outcome = chosen({}, period)
        assert outcome.state is not None and outcome.data is not None
        await start_flow(update, context, flow, outcome.data, outcome.state, error=error)

    return command
