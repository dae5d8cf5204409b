"""A reader with a pencil: read a report workbook back (openpyxl) and try to work out every
hidden count ("*" or "<5") from the sums the sheets print, the way anyone would: a row or a
column with one unknown left gives it as total minus the others. Every number worked out is
used again, across the sheets of the file (the same quantity in two sheets is one unknown:
a municipality's residents in "Overzicht", "Inwoners" and "Per maand"), until nothing more
follows. Independent of bot.domain.suppression: it knows only what the file shows.
"""

from __future__ import annotations

import io

import openpyxl

# sheet: (count columns or None for all, row totals in a "Totaal" column)
SHEETS: dict[str, tuple[tuple[str, ...] | None, bool]] = {
    "Overzicht": (("Contacten", "Inwoners", "Nieuw"), False),
    "Inwoners": (None, False),  # Nieuw + Bekend = Inwoners, below
    "Per maand": (None, True),
    "Thema's": (None, False),  # a contact counts under each theme: no row totals
    "Activiteiten": (None, True),
    "Toeleiding": (None, True),
    "Signalen aantal": (None, True),
}

# The same quantity under another name: (sheet, column) -> (sheet, column).
SAME = {
    ("Overzicht", "Contacten"): ("Activiteiten", "Totaal"),
    ("Overzicht", "Inwoners"): ("Inwoners", "Inwoners"),
    ("Overzicht", "Nieuw"): ("Inwoners", "Nieuw"),
    ("Per maand", "Totaal"): ("Inwoners", "Inwoners"),
}

Key = tuple[str, str, str]  # (sheet, row label, column)


def _grid(ws) -> tuple[list[str], list[tuple[str, list]]]:
    header: list[str] = []
    rows: list[tuple[str, list]] = []
    for row in ws.iter_rows(values_only=True):
        if not header:
            if row and row[0] == "Gemeente":
                header = [h for h in row[1:] if h is not None]
            continue
        if not row or not row[0]:
            break
        rows.append((str(row[0]), list(row[1 : 1 + len(header)])))
        if row[0] == "Totaal":
            break
    return header, rows


def recoverable(content: bytes, threshold: int = 5) -> list[str]:
    """Hidden cells a reader works out from the workbook's sums, as "sheet/row/column = n".
    Also a quantity shown differently in two sheets. Empty when nothing can be worked out."""
    wb = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    known: dict[Key, int] = {}
    hidden: dict[Key, str] = {}
    problems: list[str] = []
    equations: list[tuple[list[Key], Key]] = []

    def key(sheet: str, label: str, col: str) -> Key:
        s, c = SAME.get((sheet, col), (sheet, col))
        return (s, label, c)

    def note(k: Key, v: object) -> None:
        if isinstance(v, bool) or v is None or v == "":
            return
        if isinstance(v, int | float):
            if (k in known and known[k] != v) or k in hidden:
                problems.append(f"{k} shown as {v} and {known.get(k, hidden.get(k))}")
            known[k] = int(v)
        else:
            assert v in ("*", f"<{threshold}"), (k, v)
            if k in known or hidden.get(k, v) != v:
                problems.append(f"{k} shown as {v} and {known.get(k, hidden.get(k))}")
            hidden[k] = str(v)

    for sheet, (cols, row_totals) in SHEETS.items():
        if sheet not in wb.sheetnames:
            continue
        header, rows = _grid(wb[sheet])
        if not header:
            continue
        count_cols = [c for c in header if cols is None or c in cols]
        parts_cols = [c for c in count_cols if c != "Totaal"]
        for label, values in rows:
            for col, v in zip(header, values, strict=False):
                if col in count_cols:
                    note(key(sheet, label, col), v)
            if row_totals and "Totaal" in header:
                equations.append(
                    ([key(sheet, label, c) for c in parts_cols], key(sheet, label, "Totaal"))
                )
            if sheet == "Inwoners":
                equations.append(
                    (
                        [key(sheet, label, "Nieuw"), key(sheet, label, "Bekend")],
                        key(sheet, label, "Inwoners"),
                    )
                )
        labels = [label for label, _v in rows]
        if "Totaal" in labels:
            inner = [label for label in labels if label != "Totaal"]
            for col in count_cols:
                equations.append(
                    ([key(sheet, label, col) for label in inner], key(sheet, "Totaal", col))
                )

    # Only sums whose every cell is printed somewhere (a count or a mark) count.
    printed = set(known) | set(hidden)
    equations = [(p, t) for p, t in equations if t in printed and all(q in printed for q in p)]
    worked_out: dict[Key, int] = {}
    changed = True
    while changed:
        changed = False
        for parts, total in equations:
            unknown = [q for q in (*parts, total) if q not in known]
            if len(unknown) != 1:
                continue
            q = unknown[0]
            if q == total:
                v = sum(known[p] for p in parts)
            else:
                v = known[total] - sum(known[p] for p in parts if p != q)
            known[q] = v
            worked_out[q] = v
            changed = True
    problems += [f"{'/'.join(k)} ({hidden[k]}) = {v}" for k, v in sorted(worked_out.items())]
    return problems
