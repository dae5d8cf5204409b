"""/deelopdracht: what a tap or a typed answer does, per step. Every change goes through
`bot.storage.deelopdrachten` (audited, in the update's transaction, committed with the step)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any

from bot.dialogue import Callback, Outcome, Turn
from bot.domain import deel_values as dv
from bot.domain.measures import add_months
from bot.domain.privacy import check_free_text
from bot.handlers.common import esc
from bot.handlers.deelopdracht.render import LENGTH_CHOICES, WINDOW_CHOICES
from bot.handlers.deelopdracht.view import (
    FIELD_LABELS,
    FILTER_LABELS,
    KIND_LABELS,
    TEXT_FIELDS,
    DeelView,
)
from bot.handlers.fields import found_word
from bot.handlers.report_common import tapped_municipality, text_problem
from bot.handlers.shared import menu_taps
from bot.i18n import N_
from bot.storage import deelopdrachten
from bot.storage.deelopdrachten import DeelError

DTurn = Turn[DeelView]
MIN_TITLE = 3


def actor(turn: DTurn) -> int | None:
    user = turn.context.app_user
    return user.id if user is not None else None


def _err(turn: DTurn, exc: dv.DeelSpecError) -> Outcome:
    return Outcome(error=esc(exc.text(turn.t)))


def _opened(turn: DTurn, note: str | None = None) -> Outcome:
    """Back to the open deelopdracht (in-between answers dropped)."""
    data = {k: v for k, v in turn.data.items() if k in ("muni", "deel")}
    return Outcome(state="deel", data=data, note=esc(note) if note else None)


def taken(turn: DTurn, code: str) -> str:
    return esc(turn.t._("De korte naam {code} is al in gebruik.").format(code=code))


def title_problem(turn: DTurn, text: str, limit: int = dv.MAX_TITLE) -> str | None:
    """What is wrong with a short text (a title, a frequency), or None."""
    _ = turn.t._
    if len(text) < MIN_TITLE or not any(ch.isalpha() for ch in text):
        return _("Typ minstens {n} letters.").format(n=MIN_TITLE)
    if len(text) > limit:
        return _("Dat is te lang: maximaal {n}.").format(n=turn.t.chars(limit))
    findings = check_free_text(text, today=turn.today())
    if findings:
        what = found_word(turn.t, findings[0].kind)
        return _("Dit sla ik niet op: er staat {what} in. Schrijf het zonder.").format(what=what)
    return None


# --------------------------------------------------------------------------- every step


async def tap_back(turn: DTurn, cb: Callback) -> Outcome | None:
    data = turn.data
    if cb.action == "list":
        detail = (await turn.view()).detail
        muni = detail.row.municipality_id if detail else data.get("muni")
        return Outcome(state="list", data={"muni": muni})
    if cb.action == "open" and (await turn.view()).detail is not None:
        return _opened(turn)
    if cb.action == "keep":
        data.pop("typing", None)
        state = "deel" if turn.draft.state == "fields" else turn.draft.state
        return Outcome(state=state, data=data)
    return None


tap_any = menu_taps(N_("Klaar. Alles is bewaard."), {"munis": "munis"}, tap_back)


async def text_any(turn: DTurn, text: str) -> Outcome | None:
    typing = turn.draft.data.get("typing")
    if not typing or typing not in FIELD_LABELS:
        return None
    return await typed_field(turn, str(typing), text)


# --------------------------------------------------------------------------- choosing


async def tap_munis(turn: DTurn, cb: Callback) -> Outcome | None:
    muni_id = tapped_municipality((await turn.view()).munis, cb)
    return None if muni_id is None else Outcome(state="list", data={"muni": muni_id})


async def tap_list(turn: DTurn, cb: Callback) -> Outcome | None:
    data = turn.data
    if cb.action == "d" and cb.arg.isdigit():
        view = await turn.view()
        if not any(d.id == int(cb.arg) for d in view.summaries):
            return None
        data["deel"] = int(cb.arg)
        return Outcome(state="deel", data=data)
    if cb.action == "new":
        data["new"] = {}
        return Outcome(state="title", data=data)
    return None


# --------------------------------------------------------------------------- a new one


async def typed_title(turn: DTurn, text: str) -> Outcome:
    problem = title_problem(turn, text)
    if problem:
        return Outcome(error=esc(problem))
    data = turn.data
    taken = await deelopdrachten.codes(turn.s)
    data["new"] = {"title": text, "code": dv.suggest_code(text, taken)}
    return Outcome(state="code", data=data)


async def _use_code(turn: DTurn, code: str) -> Outcome:
    code = dv.normal_code(code)
    problem = dv.code_problem(code)
    if problem:
        return Outcome(error=esc(turn.t._(problem).format(min=dv.MIN_CODE, max=dv.MAX_CODE)))
    if await deelopdrachten.by_code(turn.s, code) is not None:
        return Outcome(error=taken(turn, code))
    data = turn.data
    data["new"] = {**data.get("new", {}), "code": code}
    return Outcome(state="start", data=data)


async def tap_code(turn: DTurn, cb: Callback) -> Outcome | None:
    if cb.action != "okcode":
        return None
    return await _use_code(turn, str((turn.draft.data.get("new") or {}).get("code", "")))


async def typed_code(turn: DTurn, text: str) -> Outcome:
    return await _use_code(turn, text)


async def _typed_day(
    turn: DTurn,
    text: str,
    use: Callable[[DTurn, date], Awaitable[Outcome]],
    parse: Callable[[str, date], date] = dv.parse_day,
) -> Outcome:
    """A typed day goes to ``use``; one that can't be read is refused, saying why."""
    try:
        day = parse(text, turn.today())
    except dv.DeelSpecError as exc:
        return _err(turn, exc)
    return await use(turn, day)


async def _start_on(turn: DTurn, start: date) -> Outcome:
    data = turn.data
    data["new"] = {**data.get("new", {}), "start": start.isoformat()}
    return Outcome(state="end", data=data)


async def typed_start(turn: DTurn, text: str) -> Outcome:
    return await _typed_day(turn, text, _start_on)


async def _create(turn: DTurn, end: date) -> Outcome:
    data = turn.data
    new = data.get("new") or {}
    start = date.fromisoformat(new["start"])
    if end < start:
        return Outcome(error=esc(turn.t._("De einddatum ligt voor de begindatum.")))
    try:
        row = await deelopdrachten.create(
            turn.s,
            int(data["muni"]),
            str(new["code"]),
            str(new["title"]),
            start,
            end,
            actor_id=actor(turn),
            now=turn.now(),
        )
    except DeelError:
        return Outcome(
            error=taken(turn, new["code"]),
            state="code",
            data=data,
        )
    note = turn.t._(
        "Opgeslagen. Voeg nu meetpunten toe; doelen en andere teksten kan je bij Wijzigen invullen."
    )
    return Outcome(state="deel", data={"muni": data["muni"], "deel": row.id}, note=esc(note))


def length_end(cb: Callback, action: str, start: date) -> date | None:
    """The last day of a length button's months from ``start`` ("12 maanden" from 1 January:
    31 December), or None for another button."""
    if cb.action != action or not cb.arg.isdigit() or int(cb.arg) not in LENGTH_CHOICES:
        return None
    return add_months(start, int(cb.arg)) - timedelta(days=1)


async def tap_end(turn: DTurn, cb: Callback) -> Outcome | None:
    end = length_end(cb, "len", date.fromisoformat(turn.draft.data["new"]["start"]))
    return None if end is None else await _create(turn, end)


async def typed_end(turn: DTurn, text: str) -> Outcome:
    return await _typed_day(turn, text, _create)


# --------------------------------------------------------------------------- one


async def tap_deel(turn: DTurn, cb: Callback) -> Outcome | None:
    view = await turn.view()
    if view.detail is None:
        return None
    data = turn.data
    go = {
        "fields": "fields",
        "mom": "moments",
        "endq": "endq",
        "mrm": "mremove",
        "reopen": "reopen",
        "mtg": "mtpick",
    }
    if cb.action in go:
        if cb.action == "endq" and not view.detail.row.active:
            return None
        if cb.action == "reopen" and not view.detail.ended(turn.today()):
            return None
        return Outcome(state=go[cb.action], data=data)
    if cb.action == "madd":
        data["m"] = {}
        return Outcome(state="mkind", data=data)
    return None


async def tap_fields(turn: DTurn, cb: Callback) -> Outcome | None:
    if cb.action == "fm":
        return Outcome(state="fmuni", data=turn.data)
    if cb.action != "f" or cb.arg not in FIELD_LABELS:
        return None
    data = turn.data
    data["typing"] = cb.arg
    return Outcome(state="fields", data=data)


async def tap_fmuni(turn: DTurn, cb: Callback) -> Outcome | None:
    view = await turn.view()
    muni_id = tapped_municipality(view.munis, cb)
    if muni_id is None or view.detail is None:
        return None
    if muni_id != view.detail.row.municipality_id and any(
        m.filter.get(dv.VINDPLEK) for m in view.detail.measures
    ):
        return Outcome(
            error=esc(
                turn.t._(
                    "Een meetpunt telt alleen vindplekken van deze gemeente. Haal dat meetpunt "
                    "eerst weg."
                )
            )
        )
    await deelopdrachten.change(
        turn.s, view.detail.id, actor_id=actor(turn), now=turn.now(), municipality_id=muni_id
    )
    out = _opened(turn, turn.t._("Gemeente is gewijzigd."))
    assert out.data is not None
    out.data["muni"] = muni_id
    return out


async def _field_value(turn: DTurn, name: str, text: str, view: DeelView) -> Any:
    """The typed value for column `name`, or raises ValueError with the message."""
    _ = turn.t._
    assert view.detail is not None
    row = view.detail.row
    if name == "title":
        problem = title_problem(turn, text)
        if problem:
            raise ValueError(problem)
        return text
    if name == "code":
        code = dv.normal_code(text)
        problem = dv.code_problem(code)
        if problem:
            raise ValueError(_(problem).format(min=dv.MIN_CODE, max=dv.MAX_CODE))
        return code
    if name in ("starts_on", "ends_on"):
        try:
            day = dv.parse_day(text, turn.today())
        except dv.DeelSpecError as exc:
            raise ValueError(exc.text(turn.t)) from None
        start = day if name == "starts_on" else row.starts_on
        end = day if name == "ends_on" else row.ends_on
        if start is not None and end is not None and end < start:
            raise ValueError(_("De einddatum ligt voor de begindatum."))
        return day
    if name == "followup_weeks":
        if not text.isdigit() or not 1 <= int(text) <= dv.MAX_FOLLOWUP_WEEKS:
            raise ValueError(_("Typ een aantal weken van 1 tot 52."))
        return int(text)
    assert name in TEXT_FIELDS
    if text == "-":
        return ""
    if name == "frequency":
        problem = title_problem(turn, text, dv.MAX_FREQUENCY)
        problem = esc(problem) if problem else None
    else:
        problem = text_problem(turn.t, text, dv.MAX_TEXT, turn.today())
    if problem:
        raise ValueError(problem)
    return text


async def typed_field(turn: DTurn, name: str, text: str) -> Outcome:
    view = await turn.view()
    if view.detail is None:
        return Outcome(error=esc(turn.t._("Deze deelopdracht bestaat niet meer.")))
    try:
        value = await _field_value(turn, name, text, view)
        await deelopdrachten.change(
            turn.s, view.detail.id, actor_id=actor(turn), now=turn.now(), **{name: value}
        )
    except DeelError:
        return Outcome(error=taken(turn, dv.normal_code(text)))
    except ValueError as exc:
        return Outcome(error=str(exc) if name in TEXT_FIELDS else esc(str(exc)))
    return _opened(
        turn, turn.t._("{field} is gewijzigd.").format(field=turn.t._(FIELD_LABELS[name]))
    )


async def tap_moments(turn: DTurn, cb: Callback) -> Outcome | None:
    view = await turn.view()
    if cb.action != "rm" or view.detail is None:
        return None
    try:
        day = date.fromisoformat(cb.arg)
    except ValueError:
        return None
    removed = await deelopdrachten.remove_moment(
        turn.s, view.detail.id, day, actor_id=actor(turn), now=turn.now()
    )
    if not removed:
        return None
    note = turn.t._("{day} is weggehaald.").format(day=turn.t.fmt_date(day, "d MMMM y"))
    return Outcome(state="moments", data=turn.data, note=esc(note))


async def typed_moment(turn: DTurn, text: str) -> Outcome:
    return await _typed_day(turn, text, _add_moment)


async def _add_moment(turn: DTurn, day: date) -> Outcome:
    view = await turn.view()
    assert view.detail is not None
    added = await deelopdrachten.add_moment(
        turn.s, view.detail.id, day, actor_id=actor(turn), now=turn.now()
    )
    when = turn.t.fmt_date(day, "d MMMM y")
    if not added:
        return Outcome(error=esc(turn.t._("{day} staat er al.").format(day=when)))
    return Outcome(
        state="moments", data=turn.data, note=esc(turn.t._("{day} is toegevoegd.").format(day=when))
    )


async def tap_endq(turn: DTurn, cb: Callback) -> Outcome | None:
    view = await turn.view()
    if cb.action != "endok" or view.detail is None:
        return None
    await deelopdrachten.end(
        turn.s, view.detail.id, turn.today(), actor_id=actor(turn), now=turn.now()
    )
    return _opened(turn, turn.t._("De deelopdracht is beëindigd."))


async def _reopen(turn: DTurn, end: date) -> Outcome:
    view = await turn.view()
    if view.detail is None:
        return Outcome(error=esc(turn.t._("Deze deelopdracht bestaat niet meer.")))
    start = view.detail.row.starts_on
    if end < turn.today():
        return Outcome(
            error=esc(turn.t._("Die datum is al voorbij. Typ een einddatum vanaf vandaag."))
        )
    if start is not None and end < start:
        return Outcome(error=esc(turn.t._("De einddatum ligt voor de begindatum.")))
    await deelopdrachten.reopen(turn.s, view.detail.id, end, actor_id=actor(turn), now=turn.now())
    note = turn.t._("De deelopdracht loopt weer, tot en met {day}.").format(
        day=turn.t.fmt_date(end, "d MMMM y")
    )
    return _opened(turn, note)


async def tap_reopen(turn: DTurn, cb: Callback) -> Outcome | None:
    if cb.action == "rend":  # the end date it had before it was ended
        planned = (await turn.view()).planned_end  # read by the view of this step
        if planned is None or cb.arg != planned.isoformat():
            return None
        return await _reopen(turn, planned)
    end = length_end(cb, "rlen", turn.today())
    return None if end is None else await _reopen(turn, end)


async def typed_reopen(turn: DTurn, text: str) -> Outcome:
    """A typed end date; without a year ("31-12") its next occurrence from today."""
    return await _typed_day(turn, text, _reopen, dv.parse_end_day)


# --------------------------------------------------------------------------- measures


def _with_measure(turn: DTurn, **changes: Any) -> dict[str, Any]:
    data = turn.data
    data["m"] = {**(data.get("m") or {}), **changes}
    return data


async def tap_mkind(turn: DTurn, cb: Callback) -> Outcome | None:
    if cb.action != "k" or cb.arg not in KIND_LABELS:
        return None
    return Outcome(state="mtarget", data=_with_measure(turn, kind=cb.arg))


async def typed_mtarget(turn: DTurn, text: str) -> Outcome:
    kind = str((turn.draft.data.get("m") or {}).get("kind", ""))
    try:
        target = dv.parse_target(text, kind)
    except dv.DeelSpecError as exc:
        return _err(turn, exc)
    return Outcome(state="mwindow", data=_with_measure(turn, target=target))


async def tap_mwindow(turn: DTurn, cb: Callback) -> Outcome | None:
    if cb.action != "w" or not cb.arg.isdigit():
        return None
    window = int(cb.arg)
    if window not in (0, *WINDOW_CHOICES):
        return None
    return Outcome(state="mfilter", data=_with_measure(turn, window=window or None, f={}))


async def typed_mwindow(turn: DTurn, text: str) -> Outcome:
    view = await turn.view()
    if view.detail is None or view.detail.row.starts_on is None:
        return Outcome(error=esc(turn.t._("Tik op Verder.")))
    try:
        window = dv.parse_window(text)
    except dv.DeelSpecError as exc:
        return _err(turn, exc)
    return Outcome(state="mfilter", data=_with_measure(turn, window=window, f={}))


async def tap_mfilter(turn: DTurn, cb: Callback) -> Outcome | None:
    view = await turn.view()
    if view.detail is None:
        return None
    if cb.action == "fk" and cb.arg in FILTER_LABELS:
        return Outcome(state="mpick", data=_with_measure(turn, fk=cb.arg))
    if cb.action == "mlabel":
        return Outcome(state="mlabel", data=turn.data)
    if cb.action != "msave":
        return None
    m = view.measure
    await deelopdrachten.add_measure(
        turn.s,
        view.detail.id,
        str(m["kind"]),
        float(m["target"]),
        window_months=m.get("window"),
        filter_=dict(m.get("f") or {}),
        label=str(m.get("label") or ""),
        actor_id=actor(turn),
        now=turn.now(),
    )
    return _opened(turn, turn.t._("Het meetpunt is toegevoegd."))


async def tap_mlabel(turn: DTurn, cb: Callback) -> Outcome | None:
    return Outcome(state="mfilter", data=turn.data) if cb.action == "mback" else None


async def typed_mlabel(turn: DTurn, text: str) -> Outcome:
    problem = title_problem(turn, text, dv.MAX_LABEL)
    if problem:
        return Outcome(error=esc(problem))
    return Outcome(state="mfilter", data=_with_measure(turn, label=text))


async def tap_mpick(turn: DTurn, cb: Callback) -> Outcome | None:
    view = await turn.view()
    m = view.measure
    key = str(m.get("fk", ""))
    if cb.action == "fdone":
        return Outcome(state="mfilter", data=turn.data)
    if cb.action != "t" or not cb.arg.isdigit():
        return None
    value = next((v for bid, v, _label in view.filter_options(key) if bid == int(cb.arg)), None)
    if value is None:
        return None
    filters = {k: list(v) for k, v in (m.get("f") or {}).items()}
    chosen = filters.setdefault(key, [])
    if value in chosen:
        chosen.remove(value)
    else:
        chosen.append(value)
    return Outcome(state="mpick", data=_with_measure(turn, f=filters))


async def tap_mtpick(turn: DTurn, cb: Callback) -> Outcome | None:
    view = await turn.view()
    if cb.action != "mt" or not cb.arg.isdigit() or view.detail is None:
        return None
    if not any(m.id == int(cb.arg) for m in view.detail.measures):
        return None
    data = turn.data
    data["mt"] = int(cb.arg)
    return Outcome(state="mtnew", data=data)


async def typed_mtnew(turn: DTurn, text: str) -> Outcome:
    view = await turn.view()
    chosen = turn.data.get("mt")
    measures = view.detail.measures if view.detail else []
    measure = next((m for m in measures if m.id == chosen), None)
    if view.detail is None or measure is None:
        return Outcome(error=esc(turn.t._("Dat meetpunt bestaat niet meer.")))
    try:
        target = dv.parse_target(text, measure.kind)
    except dv.DeelSpecError as exc:
        return _err(turn, exc)
    changed = await deelopdrachten.change_target(
        turn.s, view.detail.id, measure.id, target, actor_id=actor(turn), now=turn.now()
    )
    if not changed:
        return Outcome(error=esc(turn.t._("Dat meetpunt bestaat niet meer.")))
    return _opened(turn, turn.t._("Het doel is gewijzigd."))


async def tap_mremove(turn: DTurn, cb: Callback) -> Outcome | None:
    view = await turn.view()
    if cb.action != "mx" or not cb.arg.isdigit() or view.detail is None:
        return None
    removed = await deelopdrachten.remove_measure(
        turn.s, view.detail.id, int(cb.arg), actor_id=actor(turn), now=turn.now()
    )
    if not removed:
        return None
    return _opened(turn, turn.t._("Het meetpunt is weggehaald."))
