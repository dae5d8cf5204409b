"""CSV error codes (`bot.domain.walkin_csv`) as sentences, shared by /inloopbeheer and
`python -m bot inloop import` (which prints them in Dutch and English)."""

from __future__ import annotations

from bot.domain.walkin_csv import CsvError
from bot.i18n import N_, Translator
from bot.text import esc

__all__ = ["CSV_ERRORS", "UNKNOWN_CSV_ERROR", "csv_error_line"]

CSV_ERRORS: dict[str, str] = {
    "missing_column": N_("de kolom {value} ontbreekt in de eerste regel"),
    "duplicate_column": N_("de kolom {value} staat er twee keer in"),
    "unknown_column": N_("de kolom {value} ken ik niet"),
    "empty_file": N_("het bestand is leeg"),
    "too_many_rows": N_("te veel regels (meer dan {value})"),
    "too_many_fields": N_("te veel velden op deze regel"),
    "empty_field": N_("{column} is leeg"),
    "unknown_municipality": N_("de gemeente of het dorp {value} ken ik niet"),
    "bad_weekday": N_("{value} is geen weekdag (schrijf bijvoorbeeld dinsdag of di)"),
    "bad_time": N_("{value} is geen tijd (schrijf bijvoorbeeld 10:00)"),
    "end_before_start": N_("het einde ({value}) is niet later dan het begin"),
    "bad_date": N_("{value} is geen datum (schrijf bijvoorbeeld 31-12-2026)"),
    "until_before_from": N_("geldig_tot ligt vóór geldig_vanaf"),
    "bad_boolean": N_("{value} is geen ja of nee"),
    "bad_kind": N_("soort {value} ken ik niet (inloop of spreekuur)"),
    "too_long": N_("{column} is te lang"),
    "duplicate_row": N_("deze regel staat er al (regel {value})"),
    "bad_csv": N_("dit is geen leesbaar CSV-bestand"),
    "personal_data": N_(
        "{column} lijkt persoonsgegevens te bevatten (een naam, telefoonnummer of e-mailadres)"
    ),
}


UNKNOWN_CSV_ERROR = N_("onbekende fout ({value})")


def csv_error_line(t: Translator, error: CsvError, *, html: bool = True) -> str:
    """'Regel 3: dinsdg is geen weekdag …' in the translator's language (HTML or plain)."""

    def quote(value: str) -> str:
        if value.isdigit():  # a line number or a count: nothing to point at
            return value
        return f"<b>{esc(value)}</b>" if html else f'"{value}"'

    template = t._(CSV_ERRORS.get(error.code, UNKNOWN_CSV_ERROR))
    message = template.format(value=quote(error.value), column=quote(error.column or ""))
    return t._("Regel {line}: {message}").format(line=error.line, message=message)
