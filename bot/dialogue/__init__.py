"""The dialogue kit: every button dialogue (contact, uren, signaal, …) is a `Flow`.

See docs/ARCHITECTURE.md, "Dialogues". In short:
- `codec`: `encode(prefix, draft_id, revision, action, *args)` / `parse(data, prefix)`;
- `press`: `load_press` (unknown / gone / saved / expired / stale), `start_draft` (random
  first revision), `current_draft`, `step`;
- `flow`: `Flow(name, prefix, command, steps={state: Step(render, on_tap, on_text)}, load)`,
  `View`, `Outcome`, `Turn`, `Texts`; `flow.register(application, router)`.
"""

from bot.dialogue.codec import MAX_CALLBACK_BYTES, Callback, CallbackTooLong, encode, parse
from bot.dialogue.flow import Flow, Outcome, Screen, Step, Texts, Turn, View, frame
from bot.dialogue.press import (
    Press,
    Problem,
    current_draft,
    first_revision,
    load_press,
    start_draft,
    step,
)

__all__ = [
    "MAX_CALLBACK_BYTES",
    "Callback",
    "CallbackTooLong",
    "Flow",
    "Outcome",
    "Press",
    "Problem",
    "Screen",
    "Step",
    "Texts",
    "Turn",
    "View",
    "current_draft",
    "encode",
    "first_revision",
    "frame",
    "load_press",
    "parse",
    "start_draft",
    "step",
]
