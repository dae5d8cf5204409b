"""What a coordinator types or uploads in /inloopbeheer (and `python -m bot inloop import`):
time ranges, one calendar date, the privacy rule for texts residents will see, and the CSV
check on top of `walkin_csv`. Pure: text in, values or error codes out."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

from bot.domain.privacy import FindingKind, check_free_text
from bot.domain.walkin import SessionRule
from bot.domain.walkin_csv import (
    CsvError,
    CsvImportResult,
    parse_date,
    parse_sessions_csv,
    parse_time,
)
from bot.domain.walkin_query import parse_walkin_query

__all__ = [
    "PUBLIC_PLACE_FINDINGS",
    "check_csv",
    "decode_csv",
    "from_hhmm",
    "hhmm",
    "looks_personal",
    "parse_day",
    "parse_time_range",
    "upcoming_dates",
]

_RANGE_SPLIT = re.compile(r"\s*(?:-|–|—|\btot\b|\btot en met\b)\s*", re.IGNORECASE)


def parse_time_range(text: str) -> tuple[time, time] | None:
    """'10:00-12:00', '10.00 - 12.00', 'van 10 tot 12', '9:30–11u' -> (start, end)."""
    cleaned = re.sub(r"^\s*van\s+", "", text.strip(), flags=re.IGNORECASE)
    parts = [p for p in _RANGE_SPLIT.split(cleaned) if p]
    if len(parts) != 2:
        return None
    start, end = parse_time(parts[0]), parse_time(parts[1])
    if start is None or end is None or start >= end:
        return None
    return start, end


def parse_day(text: str, today: date) -> date | None:
    """One calendar date from '24-12', '24 december', 'morgen', 'volgende dinsdag',
    '24-12-2026'."""
    noon = datetime.combine(today, time(12), tzinfo=UTC)  # any instant on `today` will do
    day = parse_walkin_query(text, noon).day
    if day is not None and day.single is not None:
        return day.single
    return parse_date(text)


def hhmm(t: time) -> str:
    """A time as kept in a draft and shown: '09:30'."""
    return t.strftime("%H:%M")


def from_hhmm(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def upcoming_dates(rule: SessionRule, today: date, *, count: int, horizon_days: int) -> list[date]:
    """The next `count` dates (from today, within `horizon_days`) on which the weekly session
    takes place by its own rule (its weekday and validity; cancellations not considered)."""
    found: list[date] = []
    d = today
    while len(found) < count and d <= today + timedelta(days=horizon_days):
        if d.weekday() == rule.weekday and rule.valid_on(d):
            found.append(d)
        d += timedelta(days=1)
    return found


# A walk-in place is a public building: its address is fine, a person's details are not.
PUBLIC_PLACE_FINDINGS = frozenset({FindingKind.ADDRESS, FindingKind.POSTCODE_HOUSE})
# A venue may be named after someone ("Café bij Jan", "Huiskamer Mia"): a plain first name or
# surname is fine in the place's name, not in its address or note.
VENUE_NAME_FINDINGS = PUBLIC_PLACE_FINDINGS | {FindingKind.NAME}


def looks_personal(text: str, today: date | None = None, *, venue_name: bool = False) -> bool:
    """Whether a place name, address or note (shown to residents) holds a name with a title,
    phone number, e-mail, BSN, IBAN or birth date, or (not in a ``venue_name``) a person's
    first name or surname."""
    allowed = VENUE_NAME_FINDINGS if venue_name else PUBLIC_PLACE_FINDINGS
    return any(f.kind not in allowed for f in check_free_text(text, today=today))


def check_csv(text: str, today: date | None = None) -> CsvImportResult:
    """`parse_sessions_csv` plus the privacy check of plek/adres/opmerking (error code
    `personal_data`); a row with such an error is not among the rows."""
    result = parse_sessions_csv(text)
    errors = list(result.errors)
    rows = []
    for row in result.rows:
        bad = [
            column
            for column, value in (
                ("plek", row.place),
                ("adres", row.address),
                ("opmerking", row.note),
            )
            if value and looks_personal(value, today, venue_name=column == "plek")
        ]
        errors += [CsvError(row.line, column, "personal_data", "") for column in bad]
        if not bad:
            rows.append(row)
    errors.sort(key=lambda e: e.line)
    return CsvImportResult(rows, errors)


def decode_csv(raw: bytes) -> str:
    """UTF-8 (with or without BOM); Dutch Excel still saves Windows-1252 sometimes."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")
