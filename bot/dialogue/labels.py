"""One label per button kind, the same in every dialogue (msgids: translate where shown,
``t._(labels.SAVE)``, never glued to an icon). `python -m bot.i18n_tools check` (CI) fails on a
msgid that is another wording of one of these ("Bewaar" for "Opslaan", "← Terug" for
"« Terug"); tests/test_i18n_labels.py checks every handler module names them from here."""

from __future__ import annotations

from bot.i18n import N_

SAVE = N_("Opslaan")  # save what the summary shows
BACK = N_("« Terug")  # one step back, nothing lost
BACK_TO_LIST = N_("« Terug naar de lijst")
STOP = N_("Stoppen")  # leave a dialogue that saves at the end: nothing is saved
DONE = N_("Klaar")  # close a dialogue that saved each step already
START_OVER = N_("Opnieuw beginnen")
SKIP = N_("Overslaan")
NEXT = N_("Verder →")  # after ticking what fits (several choices), go on to the next step
NO_THEME = N_("Geen thema")

# Other wordings of the same kinds: never a button label of their own.
VARIANTS: dict[str, tuple[str, ...]] = {
    SAVE: ("Bewaar", "Bewaren", "Sla op", "Opslaan ✓", "✅ Opslaan"),
    BACK: ("Terug", "← Terug", "< Terug", "Ga terug", "Vorige stap"),
    STOP: ("Stop", "Annuleer", "Annuleren", "Afbreken"),
    DONE: ("Gereed", "Klaar ✓", "Sluiten"),
    START_OVER: ("Begin opnieuw", "Opnieuw"),
    SKIP: ("Sla over", "Overslaan →"),
    NEXT: ("Klaar →", "Verder", "Ga verder", "Doorgaan"),
}
