"""/deelopdracht: the coordinator manages the municipalities' deelopdrachten in the chat.

Steps: municipalities -> a municipality's deelopdrachten (ended ones marked) -> one: its
fields, measures, reporting moments and progress today (`bot.storage.deel_progress`).
"Nieuwe deelopdracht": title -> short name (suggested from the title) -> start -> end (a length
or a date) -> saved. On one: edit a field (typed; the municipality by buttons), add a measure
(what is counted -> target -> window -> optional filters from the lists and an own
description), change a measure's target, or remove one; add or remove reporting moments; end it
(with a confirmation), or reopen an ended one until a new end date.
Every change goes through `bot.storage.deelopdrachten` (audited); the file:
`python -m bot deelopdracht`.

Modules: `view` (loader, labels), `render` (one function per step), `steps` (taps, typed).
"""

from __future__ import annotations

from telegram.ext import Application

from bot.dialogue import Step
from bot.handlers.deelopdracht import render as r
from bot.handlers.deelopdracht import steps as st
from bot.handlers.deelopdracht.view import FLOW, PREFIX, DeelView, load
from bot.handlers.shared import MENU_TEXTS, command_flow, register_menu
from bot.router import TextRouter

STEPS: dict[str, Step[DeelView]] = {
    "munis": Step(r.render_munis, st.tap_munis),
    "list": Step(r.render_list, st.tap_list),
    "title": Step(r.render_title, None, st.typed_title),
    "code": Step(r.render_code, st.tap_code, st.typed_code),
    "start": Step(r.render_start, None, st.typed_start),
    "end": Step(r.render_end, st.tap_end, st.typed_end),
    "deel": Step(r.render_deel, st.tap_deel),
    "fields": Step(r.render_fields, st.tap_fields),
    "fmuni": Step(r.render_fmuni, st.tap_fmuni),
    "moments": Step(r.render_moments, st.tap_moments, st.typed_moment),
    "endq": Step(r.render_endq, st.tap_endq),
    "reopen": Step(r.render_reopen, st.tap_reopen, st.typed_reopen),
    "mkind": Step(r.render_mkind, st.tap_mkind),
    "mtarget": Step(r.render_mtarget, None, st.typed_mtarget),
    "mwindow": Step(r.render_mwindow, st.tap_mwindow, st.typed_mwindow),
    "mfilter": Step(r.render_mfilter, st.tap_mfilter),
    "mpick": Step(r.render_mpick, st.tap_mpick),
    "mlabel": Step(r.render_mlabel, st.tap_mlabel, st.typed_mlabel),
    "mremove": Step(r.render_mremove, st.tap_mremove),
    "mtpick": Step(r.render_mtpick, st.tap_mtpick),
    "mtnew": Step(r.render_mtnew, None, st.typed_mtnew),
}
DEELOPDRACHT = command_flow(
    FLOW,
    PREFIX,
    load,
    STEPS,
    texts=MENU_TEXTS,
    on_tap=st.tap_any,
    on_text=st.text_any,
    frame=r.deel_frame,
)


def register(application: Application, router: TextRouter) -> None:
    register_menu(application, router, DEELOPDRACHT, "munis")
