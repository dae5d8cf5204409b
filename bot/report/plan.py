"""Which counts of a report are hidden: small-cell suppression planned for all its tables at once.

Two steps, so that a municipality's figures look the same in every file they appear in:

1. Each municipality on its own (and the regional signals): its tables — residents per month
   new/known with all totals, per theme, contacts per activity type, referrals, signals — are
   suppressed from its own counts only (`suppress`, exact per table; they share no sums). A
   report of one municipality (SQL restricted to it) therefore hides exactly what the full pack
   hides in that municipality's rows.
2. The region (full pack only): the tables with a row per municipality add column totals and
   grand totals, which tie the municipalities together. Those totals are the only cells still
   free; `suppress_joint` hides or withholds them until no hidden count ("<5" or "*") can be
   worked out from all published tables and all their sums together, then shows again each
   total that is not needed for that (or that a reader can work out anyway).

Both steps hide no more than needed: every "*" left is one that, shown, would give a hidden
count away (a greedy choice, then pruned; not always the fewest possible cells).

Every published count has a *quantity* name (`Ref`): the same number shown in two tables (a
municipality's residents in its own table and in the region's) has one name. `check` takes the
tables as the PDF and the XLSX get them (their cells carry the name and show "<5", "*" or
digits) and verifies: the same quantity shows the same everywhere, and no hidden quantity can
be worked out from everything published (`joint_determined`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from bot.domain.suppression import (
    COMPLEMENT,
    PRIMARY,
    SHOWN,
    WITHHELD,
    CountTable,
    Equation,
    Marks,
    Publication,
    joint_determined,
    suppress,
    suppress_joint,
)

__all__ = ["Plan", "Ref", "check", "plan"]

Ref = tuple[str, tuple[int, int]]

# Region tables whose rows are municipalities, and the unit table each row comes from:
# region key -> (unit key prefix, how a region cell (k, j) maps to the unit's cell).
_REGION = ("residents", "months", "themes", "activities", "referrals", "signals")


def _shown_cells(t: CountTable) -> list[tuple[int, int]]:
    """The cells a table shows: counts, the totals it has, the grand total only with both."""
    return t.published(grand_total=t.row_totals and t.col_totals)


def _lines(t: CountTable) -> list[tuple[list[tuple[int, int]], tuple[int, int]]]:
    m, n = t.n_rows, t.n_cols
    out = []
    if t.row_totals:
        out += [([(i, j) for j in range(n)], (i, n)) for i in range(m)]
    if t.col_totals:
        out += [([(i, j) for i in range(m)], (m, j)) for j in range(n)]
    if t.row_totals and t.col_totals and m and n:
        out.append(([(m, j) for j in range(n)], (m, n)))
    return out


@dataclass
class Plan:
    tables: dict[str, CountTable]
    canon: Callable[[str, tuple[int, int]], Ref]
    marks: dict[Ref, str] = field(default_factory=dict)
    equations: list[Equation[Ref]] = field(default_factory=list)

    def mark(self, key: str, cell: tuple[int, int]) -> str:
        return self.marks.get(self.canon(key, cell), SHOWN)

    def table_marks(self, key: str) -> Marks:
        t = self.tables[key]
        return Marks(
            {c: mk for c in t.published() if (mk := self.mark(key, c))},
        )

    def value(self, ref: Ref) -> int:
        return self.tables[ref[0]].value(ref[1])


def plan(
    tables: dict[str, CountTable],
    canon: Callable[[str, tuple[int, int]], Ref],
    threshold: int,
    *,
    internal: bool,
    region: bool,
) -> Plan:
    """`tables`: every count table of the report; each one that is no region table (a
    municipality's own, a list without totals) is suppressed on its own (step 1). `canon`: a
    cell -> the quantity's name (a region table's row: the municipality's own cell). `region`:
    the region's totals are published (step 2)."""
    p = Plan(tables, canon)
    eqs: dict[Equation[Ref], None] = {}
    for key, t in tables.items():
        for parts, total in _lines(t):
            eqs[(tuple(canon(key, c) for c in parts), canon(key, total))] = None
    p.equations = list(eqs)
    if internal:
        return p
    for key, t in tables.items():
        if key in _REGION:
            continue
        # A unit's tables, and lists without totals (vindplekken, ...). `suppress` also marks
        # a grand total the table doesn't show (one-way totals): not kept.
        shown = set(_shown_cells(t))
        for c, mk in suppress(t, threshold).marks.items():
            if c in shown:
                p.marks[canon(key, c)] = mk
    if not region:
        return p
    published = _published(tables, canon, region=True)
    free = [r for r in published if r[0] in _REGION]
    values = {r: p.value(r) for r in {*published, *(q for e in p.equations for q in _qs(e))}}
    p.marks = suppress_joint(Publication(values, published, p.equations, threshold), p.marks, free)
    return p


def _qs(e: Equation[Ref]) -> Iterable[Ref]:
    parts, total = e
    return [*parts, total]


def _published(
    tables: dict[str, CountTable], canon: Callable[[str, tuple[int, int]], Ref], *, region: bool
) -> list[Ref]:
    out: dict[Ref, None] = {}
    for key, t in tables.items():
        for c in _shown_cells(t):
            r = canon(key, c)
            if region or r[0] not in _REGION:
                out[r] = None
    return list(out)


def check(
    published: Iterable[tuple[Ref, str]],
    values: dict[Ref, int],
    equations: Sequence[Equation[Ref]],
    threshold: int,
) -> list[str]:
    """Problems with a report as published: (quantity, text as shown) of every count cell in
    every table of every file. Empty when safe. Reads the texts, not the plan: "<5" means
    1..threshold-1, "*" at least `threshold` (on a total: anything, it may be withheld),
    digits exact."""
    below = f"<{threshold}"
    texts: dict[Ref, set[str]] = {}
    for ref, text in published:
        texts.setdefault(ref, set()).add(text)
    problems = []
    totals = {total for _parts, total in equations}
    marks: dict[Ref, str] = {}
    for ref, seen in texts.items():
        if len(seen) > 1:
            problems.append(f"{ref} shown as {sorted(seen)}")
        text = sorted(seen)[0]
        v = values[ref]
        if text == below:
            if not 0 < v < threshold:
                problems.append(f"{ref} = {v} shown as {text}")
            marks[ref] = PRIMARY
        elif text == "*":
            # A hidden count ("*") is at least `threshold`; a hidden total may also be a
            # withheld one, which can be anything: the reader can't tell them apart.
            if ref in totals:
                marks[ref] = WITHHELD
            elif v >= threshold:
                marks[ref] = COMPLEMENT
            else:
                problems.append(f"{ref} = {v} shown as *")
                marks[ref] = WITHHELD
        elif 0 < v < threshold:
            problems.append(f"{ref} = {v} shown as {text}")
    known = [e for e in equations if all(q in values for q in _qs(e))]
    for q in joint_determined(Publication(values, list(texts), known, threshold), marks):
        problems.append(f"{q} = {values[q]} can be worked out")
    return problems
