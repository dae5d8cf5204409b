"""The report's fixed texts: what its words mean and how to read it."""

from __future__ import annotations

from bot.i18n import Translator

__all__ = ["definitions", "how_to_read"]


def definitions(t: Translator, threshold: int) -> list[tuple[str, str]]:
    """(word, meaning) for the words the report uses, the small-count marks included."""
    _ = t._
    below = f"<{threshold}"
    return [
        (_("Uren"), _("Contacturen plus indirecte uren die op de gemeente zijn geschreven.")),
        (
            _("Indirecte uren"),
            _(
                "Uren zonder inwoner erbij: overleg, scholing, reistijd, administratie, "
                "voorbereiding."
            ),
        ),
        (
            _("Regionale uren"),
            _(
                "Indirecte uren zonder gemeente. Ze staan apart en tellen niet mee in het "
                "eerlijke deel."
            ),
        ),
        (
            _("Eerlijk deel"),
            _(
                "Het deel van de uren op gemeenten dat bij de MGR-verdeelsleutel van de gemeente "
                "hoort. Verschil = uren min eerlijk deel. Afwijken mag als dat is afgesproken."
            ),
        ),
        (_("Contact"), _("Een gesprek of activiteit met een of meer inwoners.")),
        (
            _("Inwoners"),
            _(
                "Het aantal inwoners bij alle contacten samen. Een groep van 8 telt als 8. "
                "Spreekt een ervaringsdeskundige iemand vaker, dan telt die persoon bij elk "
                "contact mee: dat zijn herhaalde contacten, geen nieuwe inwoners."
            ),
        ),
        (_("Nieuw"), _("Voor het eerst gesproken door deze ervaringsdeskundige.")),
        (_("Bekend"), _("Inwoners min nieuw: al eerder gesproken door deze ervaringsdeskundige.")),
        (
            _("Thema"),
            _("Een contact kan over meer thema's gaan en telt dan bij elk thema mee."),
        ),
        (
            _("Toeleiding"),
            _(
                "Per organisatie het aantal contacten met een verwijzing of warme overdracht "
                "daarheen. Een contact kan naar meer organisaties gaan en telt dan bij elk mee. "
                "Het totaal is dus het aantal verwijzingen, niet het aantal contacten."
            ),
        ),
        (
            below,
            _("Een aantal van 1 tot en met {n}. Kleine aantallen tonen we niet precies.").format(
                n=threshold - 1
            ),
        ),
        (
            "*",
            _("Verborgen, zodat een klein aantal niet terug te rekenen is uit de totalen."),
        ),
    ]


def how_to_read(t: Translator, period_label: str, threshold: int, internal: bool) -> list[str]:
    """The report's introduction, a paragraph an item."""
    _ = t._
    below = f"<{threshold}"
    out = [
        _(
            "Dit rapport gaat over de inzet van de ervaringsdeskundigen in de periode {period}."
        ).format(period=period_label),
        _(
            "Per gemeente ziet u de uren naast het eerlijke deel volgens de MGR-sleutel, het "
            "aantal bereikte inwoners per thema en per maand, de soort inzet, de vindplekken, "
            "de toeleiding, verhalen, signalen en de deelopdrachten."
        ),
        _(
            "Inwoners staan nooit met naam in de gegevens. Kleine aantallen (1 tot en met {n}) "
            "staan er als {below}. Een * betekent: verborgen, zodat een klein aantal niet terug te "
            "rekenen is. Uren tonen we altijd precies."
        ).format(n=threshold - 1, below=below),
        _(
            "De cijfers zijn gemaakt op het moment dat onder aan elke bladzijde staat. Een "
            "correctie die later is gedaan, staat er dan al in."
        ),
    ]
    if internal:
        out.append(_("Dit is de interne versie: alle aantallen zijn precies. Niet doorsturen."))
    return out
