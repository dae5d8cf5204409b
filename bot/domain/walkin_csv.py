"""Parse a coordinator's CSV of weekly walk-in sessions (pure: text in, rows + error codes out).

Header (order free, case-insensitive): ``gemeente,plek,adres,weekdag,begin,einde`` and
optionally ``geldig_vanaf, geldig_tot, open_op_feestdagen, opmerking, soort``.

Accepted input, because files come from Dutch Excel as often as from hand-written text:

* delimiter ``,`` or ``;`` (or tab), detected from the header; Excel's ``sep=;`` first line;
  a UTF-8 BOM; blank lines (skipped, but counted in line numbers).
* ``gemeente``: municipality or village (kern), resolved with ``places.resolve_municipality``
  ("Blerick" -> "Venlo"; case, accents, hyphens, "St."/"a/d" and y/ij spellings are free).
  Typos are not accepted (``unknown_municipality``): "Swolmen" could be Swalmen (Roermond) or
  Swolgen (Horst aan de Maas), and a guess would file sessions under the wrong municipality.
* ``weekdag``: maandag..zondag, ma/di/wo/do/vr/za/zo, din/woe/don/vrij/zat/zon, "dinsdags".
* ``begin``/``einde``: ``10:00``, ``10.00``, ``9:30``, ``10:00:00`` (Excel), ``10`` / ``10u``.
* dates: ``2026-12-01`` or Dutch ``1-12-2026`` / ``01/12/2026``.
* ``open_op_feestdagen``: ja/nee, j/n, true/false, waar/onwaar (Dutch Excel), 1/0, empty = nee.
* ``soort``: inloop (default when empty) or spreekuur.

Errors are codes, never sentences; the handler renders them. Lines are physical, 1-based,
header included. `rows` holds the valid rows (for a preview); callers import all-or-nothing,
i.e. only when `errors` is empty. Re-importing the same file is idempotent through
`SessionRow.natural_key()`, which matches the storage unique constraint.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import date, time
from typing import TypeVar

from bot.domain import weekdays
from bot.domain.places import resolve_municipality
from bot.domain.walkin import SessionKind, SessionRule, WeeklySession

__all__ = [
    "MAX_LENGTHS",
    "MAX_ROWS",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "CsvError",
    "CsvImportResult",
    "SessionRow",
    "parse_boolean",
    "parse_date",
    "parse_sessions_csv",
    "parse_time",
    "parse_weekday",
    "resolve_exact",
]

REQUIRED_COLUMNS = ("gemeente", "plek", "adres", "weekdag", "begin", "einde")
OPTIONAL_COLUMNS = ("geldig_vanaf", "geldig_tot", "open_op_feestdagen", "opmerking", "soort")
MAX_ROWS = 2000  # far above a real schedule; keeps a wrong upload from tying up the bot
# Match the storage column sizes, so a valid row never fails on insert.
MAX_LENGTHS = {"plek": 120, "adres": 200, "opmerking": 300}

# Friendly header spellings -> canonical column.
_HEADER_ALIASES = {
    "plaats": "plek",
    "locatie": "plek",
    "dag": "weekdag",
    "start": "begin",
    "van": "begin",
    "begintijd": "begin",
    "eind": "einde",
    "tot": "einde",
    "eindtijd": "einde",
    "vanaf": "geldig_vanaf",
    "geldig_van": "geldig_vanaf",
    "geldig_tot_en_met": "geldig_tot",
    "tot_en_met": "geldig_tot",
    "feestdagen": "open_op_feestdagen",
    "open_feestdagen": "open_op_feestdagen",
    "opmerkingen": "opmerking",
    "notitie": "opmerking",
    "type": "soort",
}

_WEEKDAYS = weekdays.FULL
_WEEKDAY_ABBR = {
    **{a: i for i, a in enumerate(weekdays.ABBREVIATIONS)},
    **weekdays.LONGER_ABBREVIATIONS,
}
_TRUE = frozenset({"ja", "j", "true", "waar", "1", "yes", "y", "x"})
_FALSE = frozenset({"nee", "n", "false", "onwaar", "0", "no", ""})
_KINDS: dict[str, SessionKind] = {"": "inloop", "inloop": "inloop", "spreekuur": "spreekuur"}

_TIME_RE = re.compile(r"^(\d{1,2})(?:[:.](\d{2})(?::(\d{2}))?)?\s*(?:u|uur|h)?$")
_ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NL_DATE_RE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")


@dataclass(frozen=True)
class CsvError:
    """line: 1-based physical line (header = 1); column: canonical column name or None.

    code: missing_column, duplicate_column, unknown_column, empty_file, too_many_rows,
    too_many_fields, empty_field, unknown_municipality, bad_weekday, bad_time,
    end_before_start, bad_date, until_before_from, bad_boolean, bad_kind, too_long,
    duplicate_row (value = line of the first occurrence), bad_csv.
    """

    line: int
    column: str | None
    code: str
    value: str


@dataclass(frozen=True)
class SessionRow(WeeklySession):
    """A session as a CSV line gives it (`municipality` is the canonical name)."""

    line: int = field(default=0, compare=False)  # where it came from, for messages

    def natural_key(self) -> tuple[str, str, int, time, time, date | None]:
        """Identity of a session across imports (same as the storage unique constraint)."""
        return (self.municipality, self.place, self.weekday, self.start, self.end, self.valid_from)

    def to_rule(self, id: int) -> SessionRule:
        """As a schedule rule, e.g. to preview the coming weeks before importing."""
        schedule = {f.name: getattr(self, f.name) for f in fields(WeeklySession)}
        return SessionRule(id=id, **schedule)


@dataclass(frozen=True)
class CsvImportResult:
    rows: list[SessionRow]
    errors: list[CsvError]

    @property
    def ok(self) -> bool:
        return not self.errors


# --------------------------------------------------------------------------- value parsers


def _clean(value: str) -> str:
    return " ".join(value.replace("\u00a0", " ").split())  # Excel loves non-breaking spaces


def parse_weekday(value: str) -> int | None:
    v = _clean(value).casefold().rstrip(".")
    if v in _WEEKDAYS:
        return _WEEKDAYS[v]
    if v.endswith("s") and v[:-1] in _WEEKDAYS:  # "dinsdags"
        return _WEEKDAYS[v[:-1]]
    return _WEEKDAY_ABBR.get(v)


def parse_time(value: str) -> time | None:
    m = _TIME_RE.match(_clean(value).casefold())
    if not m:
        return None
    hh, mm, ss = int(m[1]), int(m[2] or 0), int(m[3] or 0)
    if hh > 23 or mm > 59 or ss > 59:
        return None
    return time(hh, mm, ss)


def parse_date(value: str) -> date | None:
    v = _clean(value)
    m = _ISO_DATE_RE.match(v)
    parts = (int(m[1]), int(m[2]), int(m[3])) if m else None
    if parts is None:
        m = _NL_DATE_RE.match(v)
        parts = (int(m[3]), int(m[2]), int(m[1])) if m else None
    if parts is None:
        return None
    try:
        return date(*parts)
    except ValueError:
        return None


def parse_boolean(value: str) -> bool | None:
    v = _clean(value).casefold()
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    return None


# --------------------------------------------------------------------------- file parsing


def _canonical_header(name: str) -> str:
    key = re.sub(r"[\s\-]+", "_", _clean(name).casefold())
    return _HEADER_ALIASES.get(key, key)


def _detect_delimiter(line: str) -> str:
    counts = {d: line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def resolve_exact(name: str) -> str | None:
    """The municipality of an exactly spelled municipality or village name, else None."""
    return resolve_municipality(name, fuzzy=False)


def parse_sessions_csv(
    text: str, *, resolve: Callable[[str], str | None] = resolve_exact
) -> CsvImportResult:
    """Parse and validate. `resolve` maps a gemeente/kern value to a municipality (injectable
    for tests and for a coordinator-extended list)."""
    errors: list[CsvError] = []
    text = text.removeprefix("\ufeff")
    lines = text.splitlines(keepends=True)
    offset = 0  # physical lines consumed before the CSV reader starts
    delimiter: str | None = None
    first = lines[0].strip().casefold() if lines else ""
    if first.startswith("sep=") and len(first) >= 5:
        delimiter, offset = first[4], 1
    while offset < len(lines) and not lines[offset].strip():
        offset += 1
    if offset >= len(lines):
        return CsvImportResult([], [CsvError(1, None, "empty_file", "")])
    if delimiter is None:
        delimiter = _detect_delimiter(lines[offset])

    reader = csv.reader(io.StringIO("".join(lines[offset:]), newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except csv.Error as exc:
        return CsvImportResult([], [CsvError(offset + 1, None, "bad_csv", str(exc))])
    header_line = offset + 1
    columns = [_canonical_header(h) for h in header]

    index: dict[str, int] = {}
    known = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS)
    for i, (raw, col) in enumerate(zip(header, columns, strict=True)):
        if not col:
            continue  # trailing empty columns from spreadsheet exports
        if col in index:
            errors.append(CsvError(header_line, col, "duplicate_column", _clean(raw)))
        elif col not in known:
            errors.append(CsvError(header_line, None, "unknown_column", _clean(raw)))
        else:
            index[col] = i
    missing = [c for c in REQUIRED_COLUMNS if c not in index]
    for col in missing:
        errors.append(CsvError(header_line, col, "missing_column", col))
    if missing:
        return CsvImportResult([], errors)

    rows: list[SessionRow] = []
    seen: dict[tuple[object, ...], int] = {}
    count = 0
    while True:
        # reader.line_num = physical lines consumed so far (a quoted field may span lines).
        line = offset + reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(CsvError(line, None, "bad_csv", str(exc)))
            break
        if not any(_clean(v) for v in record):
            continue
        count += 1
        if count > MAX_ROWS:
            errors.append(CsvError(line, None, "too_many_rows", str(MAX_ROWS)))
            break
        row = _parse_row(record, index, line, len(header), resolve, errors)
        if row is None:
            continue
        # Within one file "De Kolk" and "de kolk" are the same place.
        muni, place, *rest = row.natural_key()
        key = (muni, place.casefold(), *rest)
        if key in seen:
            errors.append(CsvError(line, None, "duplicate_row", str(seen[key])))
            continue
        seen[key] = line
        rows.append(row)
    return CsvImportResult(rows, errors)


_T = TypeVar("_T")


def _parse_row(
    record: list[str],
    index: dict[str, int],
    line: int,
    width: int,
    resolve: Callable[[str], str | None],
    errors: list[CsvError],
) -> SessionRow | None:
    before = len(errors)

    def err(column: str | None, code: str, value: str) -> None:
        errors.append(CsvError(line, column, code, value))

    extra = record[width:]
    if any(_clean(v) for v in extra):
        err(None, "too_many_fields", str(len(record)))

    def get(col: str) -> str:
        i = index.get(col)
        return _clean(record[i]) if i is not None and i < len(record) else ""

    values = {c: get(c) for c in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)}
    for col in REQUIRED_COLUMNS:
        if not values[col]:
            err(col, "empty_field", "")
    for col, limit in MAX_LENGTHS.items():
        if len(values[col]) > limit:
            err(col, "too_long", values[col][:40])

    def parsed(col: str, parse: Callable[[str], _T | None], code: str) -> _T | None:
        """The column's value, parsed; None when it is empty (said above, where required) or
        not understood (said here, with `code`)."""
        value = parse(values[col]) if values[col] else None
        if values[col] and value is None:
            err(col, code, values[col])
        return value

    municipality = parsed("gemeente", resolve, "unknown_municipality")
    weekday = parsed("weekdag", parse_weekday, "bad_weekday")
    start = parsed("begin", parse_time, "bad_time")
    end = parsed("einde", parse_time, "bad_time")
    if start is not None and end is not None and start >= end:
        err("einde", "end_before_start", values["einde"])
    valid_from = parsed("geldig_vanaf", parse_date, "bad_date")
    valid_until = parsed("geldig_tot", parse_date, "bad_date")
    if valid_from and valid_until and valid_from > valid_until:
        err("geldig_tot", "until_before_from", values["geldig_tot"])
    open_on_holidays = parse_boolean(values["open_op_feestdagen"])
    if open_on_holidays is None:
        err("open_op_feestdagen", "bad_boolean", values["open_op_feestdagen"])
    kind = _KINDS.get(values["soort"].casefold())
    if kind is None:
        err("soort", "bad_kind", values["soort"])

    if len(errors) > before or municipality is None or weekday is None or kind is None:
        return None
    if start is None or end is None:
        return None
    return SessionRow(
        municipality=municipality,
        place=values["plek"],
        address=values["adres"],
        weekday=weekday,
        start=start,
        end=end,
        valid_from=valid_from,
        valid_until=valid_until,
        open_on_holidays=bool(open_on_holidays),
        note=values["opmerking"] or None,
        kind=kind,
        line=line,
    )
