"""Small-cell suppression for reports that leave the pool. Pure, no storage.

A count table (rows × columns of non-negative counts, with published row totals and/or column
totals and the grand total) is published with counts 1..threshold-1 shown as "<5" (*primary*
suppression) and, where needed, more cells hidden (*complementary* suppression, shown as "*")
so that no hidden count can be worked out from the published cells and totals. Zero is shown:
it points at nobody. Hours are never passed through here.

How "can be worked out" is decided (exactly, not by rule of thumb): write the table with its
totals as one table E whose every line sums to zero (a total enters with a minus sign). The
reader knows every published cell, that a "<5" cell lies in 1..threshold-1 and that a "*" cell
is at least threshold (only cells of threshold or more are hidden as complement). A hidden cell
is determined exactly when no other table fits everything the reader knows with a different
value in that cell. The line constraints form a network matrix, so two fitting tables differ by
a sum of simple alternating cycles (+1/−1 along rows and columns of hidden cells), each of which
fits on its own; lines without a published total are merged into one unconstrained node. So a
hidden cell is safe when some alternating cycle through it can be applied once, in either
direction, within bounds. Orienting +1 moves from row to column and −1 moves back makes those
cycles directed cycles: one graph search per hidden cell.

The complement is chosen greedily: while a hidden cell is determined, hide the smallest
published positive cell in one of its lines (interior cells before totals). When no positive
cell is left to hide (zeros are public, so the "<5" bounds alone can pin the counts against a
published total), a total is withheld instead: shown as "*", it tells the reader nothing, not
even a range. Then the choice is pruned (`_prune`): each complement or withheld total,
totals first, is shown again when the table stays safe without it, together with any others
that can then be worked out (hiding a count a reader can work out hides nothing). So nothing
is hidden that the rule does not need: showing any "*" that is left gives a count away.
Across tables (`suppress_joint`) every hidden quantity is protected, "*" as well as "<5": a
"*" that the totals give away would break the report's promise. Several tables that
share a quantity (a municipality's residents in two tables) are suppressed together:
`suppress_linked` repeats until the same quantity is hidden in all of them or in none (and
withheld in all or none).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

__all__ = [
    "COMPLEMENT",
    "PRIMARY",
    "SHOWN",
    "WITHHELD",
    "Cell",
    "CountTable",
    "Equation",
    "Marks",
    "Publication",
    "determined_cells",
    "joint_determined",
    "show",
    "suppress",
    "suppress_joint",
    "suppress_linked",
]

SHOWN = ""
PRIMARY = "<"  # shown as "<5"
COMPLEMENT = "*"  # hidden so that a "<5" can't be worked out
# A total not published at all (shown as "*" too): the reader learns nothing about it. Used only
# when hiding more cells can't help, e.g. zeros are public and every other cell of the table is
# already "<5", so the "<5" bounds alone pin the counts against a published total.
WITHHELD = "x"

# A cell of the table with its totals: (row, col); row == n_rows is the column-totals row,
# col == n_cols the row-totals column, (n_rows, n_cols) the grand total.
Cell = tuple[int, int]


@dataclass(frozen=True)
class CountTable:
    cells: Sequence[Sequence[int]]
    row_totals: bool = True
    col_totals: bool = True
    # Is the grand total published? By default with either kind of total; False for a table
    # with row totals only whose rows don't add up to anything shown (a contact counts under
    # each of its themes). Taking an unpublished grand total for published hides more than
    # needed: the last large row beside a "<5" row.
    grand: bool = True

    @property
    def n_rows(self) -> int:
        return len(self.cells)

    @property
    def n_cols(self) -> int:
        return len(self.cells[0]) if self.cells else 0

    @property
    def grand_total(self) -> bool:
        return self.grand and (self.row_totals or self.col_totals)

    def value(self, c: Cell) -> int:
        i, j = c
        m, n = self.n_rows, self.n_cols
        if i < m and j < n:
            return int(self.cells[i][j])
        if i < m:
            return sum(int(v) for v in self.cells[i])
        if j < n:
            return sum(int(self.cells[k][j]) for k in range(m))
        return sum(int(v) for row in self.cells for v in row)

    def published(self, *, grand_total: bool | None = None) -> list[Cell]:
        """Every cell the table shows: the counts and the totals it publishes; the grand total
        as `grand_total` says (by default with either kind of total, `self.grand_total`)."""
        m, n = self.n_rows, self.n_cols
        out = [(i, j) for i in range(m) for j in range(n)]
        if self.row_totals:
            out += [(i, n) for i in range(m)]
        if self.col_totals:
            out += [(m, j) for j in range(n)]
        if (self.grand_total if grand_total is None else grand_total) and m and n:
            out.append((m, n))
        return out


@dataclass
class Marks:
    """Which published cells are hidden, and why."""

    marks: dict[Cell, str] = field(default_factory=dict)

    def __getitem__(self, c: Cell) -> str:
        return self.marks.get(c, SHOWN)

    def hidden(self) -> set[Cell]:
        return set(self.marks)


def show(value: int, mark: str, threshold: int) -> str:
    """The text of a published count ("<5", "*" or the number as digits). A withheld total is
    shown as "*" too: a reader can't tell it from a complement, so knows no more than the check
    assumes (at least 5 for a complement, nothing for a withheld total)."""
    if mark == PRIMARY:
        return f"<{threshold}"
    if mark in (COMPLEMENT, WITHHELD):
        return "*"
    return str(value)


# --------------------------------------------------------------------------- exact check


class _Graph:
    """Lines (rows and columns of E) as nodes, hidden cells as edges; free lines merged."""

    FREE = ("free", 0)

    def __init__(self, t: CountTable, hidden: Mapping[Cell, str], threshold: int) -> None:
        self.t = t
        self.threshold = threshold
        self.hidden = dict(hidden)
        self.values = {c: t.value(c) for c in hidden}
        self._arc_cache: dict[tuple[str, int], list[tuple[tuple[str, int], Cell]]] | None = None

    def _row_node(self, i: int) -> tuple[str, int]:
        m = self.t.n_rows
        # Row i < m says: its cells sum to its row total (a line only when that is published).
        # Row m (the column totals) sums to the grand total when both are published.
        if i < m:
            return ("r", i) if self.t.row_totals else self.FREE
        return ("r", m) if self.t.col_totals and self.t.grand_total else self.FREE

    def _col_node(self, j: int) -> tuple[str, int]:
        n = self.t.n_cols
        if j < n:
            return ("c", j) if self.t.col_totals else self.FREE
        return ("c", n) if self.t.row_totals and self.t.grand_total else self.FREE

    def ends(self, c: Cell) -> tuple[tuple[str, int], tuple[str, int]]:
        return self._row_node(c[0]), self._col_node(c[1])

    def sign(self, c: Cell) -> int:
        """+1 for counts and the grand total, −1 for row and column totals (in E)."""
        m, n = self.t.n_rows, self.t.n_cols
        return -1 if (c[0] == m) != (c[1] == n) else 1

    def can_move(self, c: Cell, step: int) -> bool:
        """May the count in c change by `step` (in E's direction) within what readers know?"""
        value = self.values[c] + step * self.sign(c)
        if self.hidden[c] == PRIMARY:
            return 1 <= value <= self.threshold - 1
        if self.hidden[c] == WITHHELD:
            return value >= 0
        return value >= self.threshold

    def _arc(self, c: Cell, step: int) -> tuple[tuple[str, int], tuple[str, int]]:
        """Orient a move: a +1 leaves a row line and enters a column line, a −1 the other way
        round. Alternating cycles are then exactly the directed cycles."""
        r, k = self.ends(c)
        return (r, k) if step > 0 else (k, r)

    def _arcs(self) -> dict[tuple[str, int], list[tuple[tuple[str, int], Cell]]]:
        if self._arc_cache is None:
            arcs: dict[tuple[str, int], list[tuple[tuple[str, int], Cell]]] = {}
            for e in self.hidden:
                for step in (1, -1):
                    if self.can_move(e, step):
                        a, b = self._arc(e, step)
                        arcs.setdefault(a, []).append((b, e))
            self._arc_cache = arcs
        return self._arc_cache

    def determined(self, c: Cell) -> bool:
        r, k = self.ends(c)
        if r == k == self.FREE:
            return not (self.can_move(c, 1) or self.can_move(c, -1))
        arcs = self._arcs()
        for step in (1, -1):
            if not self.can_move(c, step):
                continue
            tail, head = self._arc(c, step)
            # A directed path back from head to tail (not using c) closes a cycle through c.
            seen = {head}
            todo = [head]
            while todo:
                node = todo.pop()
                if node == tail:
                    return False
                for nxt, cell in arcs.get(node, ()):
                    if cell != c and nxt not in seen:
                        seen.add(nxt)
                        todo.append(nxt)
        return True


def determined_cells(
    t: CountTable, marks: Mapping[Cell, str], threshold: int, skip: Iterable[Cell] = ()
) -> list[Cell]:
    """Hidden cells whose count a reader can work out from the published ones (`skip`: cells
    known to be safe already; hiding more never makes a safe cell unsafe)."""
    g = _Graph(t, marks, threshold)
    known = set(skip)
    return [c for c in sorted(marks) if c not in known and g.determined(c)]


# --------------------------------------------------------------------------- suppression


def suppress(
    t: CountTable,
    threshold: int,
    also_hide: Iterable[Cell] = (),
    withhold: Iterable[Cell] = (),
) -> Marks:
    """Primary and complementary suppression of one table. `also_hide`: cells hidden elsewhere
    (the same quantity in another table), hidden here too; `withhold`: totals withheld
    elsewhere, withheld here too (else "<5" here would give away what was withheld there)."""
    if threshold <= 1:
        return Marks()
    vals = {c: t.value(c) for c in t.published()}
    published = sorted(vals)
    marks = {c: PRIMARY for c, v in vals.items() if 0 < v < threshold}
    for c in also_hide:
        if c in vals and c not in marks and vals[c] > 0:
            marks[c] = COMPLEMENT if vals[c] >= threshold else PRIMARY
    for c in withhold:
        if c in vals:
            marks[c] = WITHHELD
    settled = set(marks)  # small counts and what the caller asked for: never shown
    m, n = t.n_rows, t.n_cols
    safe: set[Cell] = set()
    while True:
        exposed = determined_cells(t, marks, threshold, safe)
        if not exposed:
            return Marks(_prune(t, marks, threshold, settled))
        safe |= set(marks) - set(exposed)
        c = exposed[0]
        candidates = [
            d
            for d in published
            if d not in marks and vals[d] >= threshold and (d[0] == c[0] or d[1] == c[1])
        ]
        if not candidates:
            candidates = [d for d in published if d not in marks and vals[d] >= threshold]
        if not candidates:
            # Every positive cell is hidden and the "<5" bounds still pin a count against a
            # published total (zeros are public). Hiding more can't help: withhold a total,
            # one in the determined cell's lines first.
            totals = [d for d in published if (d[0] == m or d[1] == n) and marks.get(d) != WITHHELD]
            if not totals:
                # Only a threshold of 2 gets here: "<2" is exactly 1.
                return Marks(_prune(t, marks, threshold, settled))

            # The total that leaves the fewest counts determined (few totals, small tables).
            scored = [
                (
                    len(determined_cells(t, {**marks, d: WITHHELD}, threshold, safe)),
                    d[0] != c[0] and d[1] != c[1],
                    vals[d],
                    d,
                )
                for d in totals
            ]
            marks[min(scored)[3]] = WITHHELD
            continue
        # Interior cells first (a hidden total hides more than it needs to), then smallest.
        best = min(candidates, key=lambda d: (d[0] == m or d[1] == n, vals[d], d))
        marks[best] = COMPLEMENT


def _prune(
    t: CountTable, marks: dict[Cell, str], threshold: int, settled: set[Cell]
) -> dict[Cell, str]:
    """Show again every complement or withheld total the table is safe without. The greedy
    choice hides cells one at a time; a later one can make earlier ones unneeded (e.g. both
    column totals of a new/known table, once two months are hidden). Totals first (a hidden
    total hides the most), then the largest counts. Showing one may let a reader work out
    other added ones: those are shown too (hiding what can be worked out hides nothing),
    as long as no `settled` cell (a small count, or one the caller hides) can be worked out.
    What is left is needed: showing any one of it again gives a small count away."""
    m, n = t.n_rows, t.n_cols
    added = [c for c in marks if c not in settled]
    order = sorted(added, key=lambda c: (not (c[0] == m or c[1] == n), -t.value(c), c))
    return _show_unneeded(
        marks, order, settled, t.value, threshold, lambda ms: determined_cells(t, ms, threshold)
    )


K = TypeVar("K", bound=Hashable)


def _show_unneeded(
    marks: dict[K, str],
    order: Sequence[K],
    settled: set[K],
    value: Callable[[K], int],
    threshold: int,
    determined: Callable[[dict[K, str]], Sequence[K]],
) -> dict[K, str]:
    """The pruning of `_prune` and `_prune_joint`, for any kind of cell: in ``order``, show
    each complement or withheld cell again, with what can then be worked out anyway, unless a
    `settled` or small (primary) one could be worked out."""
    out = dict(marks)

    def shown(ms: dict[K, str], c: K) -> None:
        if 0 < value(c) < threshold:
            ms[c] = PRIMARY  # a withheld small total: back to "<5", not to digits
        else:
            del ms[c]

    for c in order:
        if out.get(c) not in (COMPLEMENT, WITHHELD):
            continue
        trial = dict(out)
        shown(trial, c)
        while True:
            det = determined(trial)
            if not det:
                out = trial
                break
            if any(d in settled or trial[d] == PRIMARY for d in det):
                break  # a small count (or one hidden elsewhere) would be given away
            for d in det:
                shown(trial, d)
    return out


# A reference to one cell of one table of a report.
CellRef = tuple[str, Cell]


def suppress_linked(
    tables: Mapping[str, CountTable],
    links: Iterable[tuple[CellRef, CellRef]],
    threshold: int,
) -> dict[str, Marks]:
    """Suppress several tables of one report together. `links` pairs cells that are the same
    quantity (e.g. a municipality's residents as a row total in two tables): hidden in one
    means hidden in all. Repeats until nothing changes (hiding more never un-hides)."""
    link_list = list(links)
    forced: dict[str, set[Cell]] = {k: set() for k in tables}
    withheld: dict[str, set[Cell]] = {k: set() for k in tables}
    result = {k: suppress(t, threshold) for k, t in tables.items()}
    stale: set[str] = set()
    while True:
        changed = False
        for a, b in link_list:
            for (ka, ca), (kb, cb) in ((a, b), (b, a)):
                mark_a, mark_b = result[ka][ca], result[kb][cb]
                if mark_a and not mark_b and cb not in forced[kb]:
                    forced[kb].add(cb)
                    changed = True
                    stale.add(kb)
                if mark_a == WITHHELD and mark_b != WITHHELD and cb not in withheld[kb]:
                    withheld[kb].add(cb)
                    changed = True
                    stale.add(kb)
        if not changed:
            return result
        for k in stale:
            result[k] = suppress(tables[k], threshold, forced[k], withheld[k])
        stale.clear()


# --------------------------------------------------------------------------- across tables
#
# The check above is exact for one table. A report publishes several tables that share
# quantities and sums (a municipality's residents per month split into new and known, the
# region's month totals over all municipalities, ...): together they form a linear system that
# is no longer a network, so a count safe in every table on its own may still be worked out
# from all of them together. The joint check below looks, for each hidden quantity, for a
# *witness*: another set of counts (each hidden or unpublished quantity moved by -1, 0 or +1)
# that fits every published figure, every bound a reader knows and every sum, and differs in
# that quantity. A witness proves the quantity can't be worked out; no witness (within the
# search budget) counts as "worked out", so the check errs on the safe side.

# A quantity: any hashable name, e.g. ("months:3", (2, 0)). An equation: (parts, total).
Q = TypeVar("Q", bound=Hashable)
Equation = tuple[tuple[Q, ...], Q]


def _bounds(mark: str, value: int, threshold: int) -> tuple[int, float]:
    if mark == PRIMARY:
        return 1, threshold - 1
    if mark == COMPLEMENT:
        return threshold, float("inf")
    return 0, float("inf")  # withheld, or never published


@dataclass(frozen=True)
class Publication(Generic[Q]):
    """Counts published together, as a reader of all of them sees them: the true count of each
    quantity (`values`), the quantities shown (`published`), the sums between them
    (`equations`) and the `threshold` below which a count is "<threshold". A quantity in an
    equation but never published is unknown to the reader (any count from 0)."""

    values: Mapping[Q, int]
    published: Sequence[Q]
    equations: Sequence[Equation[Q]]
    threshold: int


def joint_determined(
    pub: Publication[Q],
    marks: Mapping[Q, str],
    skip: Iterable[Q] = (),
    budget: int = 20_000,
    protect: Iterable[Q] | None = None,
) -> list[Q]:
    """Hidden quantities (every one in `marks`: "<5", and "*" whether a complement or a
    withheld total) that a reader of `pub` (all its published quantities and all its
    equations) can work out. A "*" that can be worked out gives no small count away, but it
    breaks the promise the report makes ("*" can't be worked out from the totals) and shows
    the reader a number that was meant to be hidden. `skip`: known to be safe already;
    `protect`: check only these (default: every hidden quantity)."""
    values, equations, threshold = pub.values, pub.equations, pub.threshold
    shown = set(pub.published) - set(marks)
    by_var: dict[Q, list[int]] = {}
    for k, (parts, total) in enumerate(equations):
        for q in (*parts, total):
            by_var.setdefault(q, []).append(k)

    def movable(q: Q) -> bool:
        return q not in shown

    def fits(q: Q, step: int) -> bool:
        lo, hi = _bounds(marks.get(q, WITHHELD), values[q], threshold)
        return lo <= values[q] + step <= hi

    def witness(q: Q, step: int) -> bool:
        d: dict[Q, int] = {q: step}
        res = [0] * len(equations)

        def apply(v: Q, st: int, sign: int) -> None:
            for k in by_var.get(v, ()):
                parts, total = equations[k]
                res[k] += sign * st * (parts.count(v) - (1 if total == v else 0))

        apply(q, step, 1)
        left = [budget]

        def search(depth: int) -> bool:
            open_eqs = [k for k, r in enumerate(res) if r]
            if not open_eqs:
                return True
            if depth > 40 or left[0] <= 0:
                return False
            left[0] -= 1
            best: list[tuple[Q, int]] | None = None
            for k in open_eqs:
                parts, total = equations[k]
                r = res[k]
                opts = [
                    (v, -1 if r > 0 else 1)
                    for v in parts
                    if v not in d and movable(v) and fits(v, -1 if r > 0 else 1)
                ]
                if total not in d and movable(total) and fits(total, 1 if r > 0 else -1):
                    opts.append((total, 1 if r > 0 else -1))
                if best is None or len(opts) < len(best):
                    best = opts
                if not best:
                    return False
            assert best is not None
            for v, st in best:
                d[v] = st
                apply(v, st, 1)
                if search(depth + 1):
                    return True
                apply(v, st, -1)
                del d[v]
            return False

        return search(0)

    safe = set(skip)
    wanted = None if protect is None else set(protect)
    out = []
    for q in marks:
        if q in safe or (wanted is not None and q not in wanted):
            continue
        if not any(fits(q, st) and witness(q, st) for st in (1, -1)):
            out.append(q)
    return out


def suppress_joint(
    pub: Publication[Q],
    marks: Mapping[Q, str],
    free: Iterable[Q],
) -> dict[Q, str]:
    """Make a set of already suppressed tables safe together (no "<5" can be worked out from
    all of them: `joint_determined`) by hiding more of the `free`
    quantities only (the others' marks are settled, e.g. a municipality's own tables, which
    every report of that municipality shows alike): hide the smallest free count of at least
    `threshold` in a sum with a quantity that can be worked out, else any; when none is left,
    withhold a free total (shown as "*"). Free quantities of 1..threshold-1 are "<5" first."""
    values, equations, threshold = pub.values, pub.equations, pub.threshold
    published = list(dict.fromkeys(pub.published))
    free_set = set(free)
    out = dict(marks)
    for q in free_set:
        if 0 < values[q] < threshold and q not in out:
            out[q] = PRIMARY
    if threshold <= 1:
        return out
    totals = {total for _parts, total in equations}
    # What must stay hidden: the tables' own marks and the small counts. What this adds is
    # there to protect those; `_prune_joint` then shows again what is not needed, and what a
    # reader can work out anyway.
    settled = set(out)
    safe: set[Q] = set()
    while True:
        det = joint_determined(pub, out, safe, protect=settled)
        if not det:
            return _prune_joint(pub, out, settled)
        safe |= set(out) - set(det)
        q = det[0]
        near = {
            v for parts, total in equations if q in parts or q == total for v in (*parts, total)
        }
        cands = [v for v in published if v in free_set and v not in out and values[v] >= threshold]
        close = [v for v in cands if v in near]
        if close or cands:
            out[min(close or cands, key=lambda v: (v in totals, values[v]))] = COMPLEMENT
            continue
        left = [v for v in published if v in free_set and v in totals and out.get(v) != WITHHELD]
        if not left:
            return out  # nothing free is left to hide: the caller's check reports it
        out[min(left, key=lambda v: (v not in near, values[v] == 0, values[v]))] = WITHHELD


def _prune_joint(pub: Publication[Q], marks: dict[Q, str], settled: set[Q]) -> dict[Q, str]:
    """`_prune` across tables: show again each quantity `suppress_joint` hid (largest first)
    when no hidden quantity can be worked out then, showing with it those that can be worked
    out anyway, as long as none of `settled` (small counts, the tables' own marks) can."""
    values, threshold = pub.values, pub.threshold
    added = sorted((q for q in marks if q not in settled), key=lambda q: -values[q])
    return _show_unneeded(
        marks, added, settled, values.__getitem__, threshold, lambda ms: joint_determined(pub, ms)
    )
