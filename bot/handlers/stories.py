"""/verhaal: an anonymous story of added value (meerwaarde), report item c.

The same short dialogue as /signaal (municipality or regional, optional theme, text, summary),
without a kind, and with a reminder up front that the story must not identify anyone.
"""

from __future__ import annotations

from bot.domain import limits
from bot.handlers.signals import TextFlow
from bot.i18n import N_

STORY = TextFlow(
    flow="verhaal",
    prefix="v",
    entity="story",
    title=N_("Verhaal"),
    intro=N_(
        "Vertel kort wat jouw inzet opleverde. Houd het anoniem: geen namen, adressen, "
        "telefoonnummers of details waaraan iemand te herkennen is."
    ),
    text_question=N_("Wat gebeurde er, en wat maakte het verschil?"),
    saved=N_("Dank je! Je verhaal is opgeslagen."),
    max_chars=limits.MAX_STORY_CHARS,
)
