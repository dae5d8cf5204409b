"""Small-cell suppression: "<5" with complementary suppression, checked against a brute-force
reader who tries every table that fits what is published."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain.suppression import (
    COMPLEMENT,
    PRIMARY,
    WITHHELD,
    CountTable,
    determined_cells,
    show,
    suppress,
    suppress_linked,
)

T = 5


def reader_can_work_out(t: CountTable, marks: dict, threshold: int, window: int = 2) -> set:
    """Brute force, independent of the module: all tables that agree with the published cells,
    with "<5" cells in 1..4, "*" cells at least 5 and withheld totals anything (within ±window
    of the truth), and every published or withheld total equal to its sum. A hidden cell is
    worked out when it has one value only."""
    m, n = t.n_rows, t.n_cols
    hidden = sorted(marks)

    def options(c):
        v = t.value(c)
        lo, hi = {PRIMARY: (1, threshold - 1), WITHHELD: (0, 10**9)}.get(
            marks[c], (threshold, 10**9)
        )
        return [x for x in range(v - window, v + window + 1) if lo <= x <= hi]

    def consistent(vals):
        def val(c):
            return vals[c] if c in vals else t.value(c)

        for i in range(m):
            if t.row_totals and sum(val((i, j)) for j in range(n)) != val((i, n)):
                return False
        for j in range(n):
            if t.col_totals and sum(val((i, j)) for i in range(m)) != val((m, j)):
                return False
        if t.grand_total:
            cells = sum(val((i, j)) for i in range(m) for j in range(n))
            if cells != val((m, n)):
                return False
        return True

    seen = {c: set() for c in hidden}
    for combo in itertools.product(*(options(c) for c in hidden)):
        vals = dict(zip(hidden, combo, strict=True))
        if consistent(vals):
            for c, v in vals.items():
                seen[c].add(v)
    for c in hidden:
        assert t.value(c) in seen[c]  # the truth always fits
    return {c for c in hidden if len(seen[c]) == 1}


small_tables = st.integers(1, 3).flatmap(
    lambda m: st.integers(1, 3).flatmap(
        lambda n: st.tuples(
            st.lists(
                st.lists(
                    st.one_of(st.just(0), st.integers(1, 4), st.integers(5, 14)),
                    min_size=n,
                    max_size=n,
                ),
                min_size=m,
                max_size=m,
            ),
            st.booleans(),
            st.booleans(),
        )
    )
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_tables)
def test_no_suppressed_count_can_be_worked_out(spec):
    cells, rows, cols = spec
    t = CountTable(cells, row_totals=rows, col_totals=cols)
    marks = suppress(t, T).marks
    # Every small count is hidden; nothing else is hidden as "<5"; a zero count is never
    # hidden; only a total is ever withheld.
    m, n = t.n_rows, t.n_cols
    for c in t.published():
        v = t.value(c)
        if marks.get(c) == WITHHELD:
            assert c[0] == m or c[1] == n
        elif 0 < v < T:
            assert marks.get(c) == PRIMARY
        elif c in marks:
            assert marks[c] == COMPLEMENT and v >= T
    if len(marks) <= 9:
        assert reader_can_work_out(t, marks, T) == set()
    assert determined_cells(t, marks, T) == []


@settings(max_examples=300, deadline=None)
@given(small_tables)
def test_the_exact_check_agrees_with_brute_force(spec):
    """Random hiding patterns: the module's check says "worked out" exactly when the brute-force
    reader does."""
    cells, rows, cols = spec
    t = CountTable(cells, row_totals=rows, col_totals=cols)
    marks = {}
    for k, c in enumerate(t.published()):
        v = t.value(c)
        if 0 < v < T:
            marks[c] = PRIMARY
        elif v >= T and k % 3 == 0:
            marks[c] = COMPLEMENT
        if k % 4 == 1 and (c[0] == t.n_rows or c[1] == t.n_cols):
            marks[c] = WITHHELD
    if len(marks) > 9:
        return
    assert set(determined_cells(t, marks, T)) == reader_can_work_out(t, marks, T, window=3)


def test_one_small_cell_in_a_row_takes_a_partner():
    t = CountTable([[3, 10, 20], [8, 9, 30]])
    marks = suppress(t, T).marks
    assert marks[(0, 0)] == PRIMARY
    assert len(marks) >= 4  # its row, its column and the other row each need a second
    assert determined_cells(t, marks, T) == []
    assert show(3, PRIMARY, T) == "<5" and show(8, COMPLEMENT, T) == "*" and show(0, "", T) == "0"


def test_a_total_is_withheld_when_hiding_more_cells_cannot_help():
    # Zeros are public and every other count is small: the "<5" bounds (each column total at
    # least 1, the third at least 2) add up to 4, the published "<5" grand total is at most 4,
    # so every count is pinned. No cell is left to hide; the grand total is withheld.
    t = CountTable([[0, 0, 1], [1, 1, 1]], row_totals=False, col_totals=True)
    marks = suppress(t, T).marks
    assert marks[(2, 3)] == WITHHELD
    assert sum(mark == WITHHELD for mark in marks.values()) == 1
    assert reader_can_work_out(t, marks, T) == set()
    assert determined_cells(t, marks, T) == []
    assert show(4, WITHHELD, T) == "*"


def test_nothing_small_nothing_hidden():
    t = CountTable([[0, 10], [6, 0]])
    assert suppress(t, T).marks == {}


def test_two_small_cells_that_would_pin_each_other():
    # 1 + 1 = 2 in a row whose total is hidden too: the bounds 1..4 pin both at 1 unless a
    # larger cell joins them.
    t = CountTable([[1, 1], [20, 30]])
    marks = suppress(t, T).marks
    assert determined_cells(t, marks, T) == []


def test_linked_tables_hide_a_shared_total_in_both():
    # Residents per municipality: new/known in one table, per month in the other; the row
    # totals are the same numbers.
    newknown = CountTable([[3, 20], [10, 12]])
    months = CountTable([[11, 12], [11, 11]])
    links = [(("nk", (i, 2)), ("mo", (i, 2))) for i in range(2)]
    out = suppress_linked({"nk": newknown, "mo": months}, links, T)
    for i in range(2):
        assert ((i, 2) in out["nk"].marks) == ((i, 2) in out["mo"].marks)
    for key, t in (("nk", newknown), ("mo", months)):
        assert determined_cells(t, out[key].marks, T) == []


def test_a_total_withheld_in_one_table_is_withheld_in_a_linked_one():
    # The same 4 residents: the withheld grand total of one table, a row total of the other.
    # Shown as "<5" there, it would tell the reader what was withheld here.
    pinned = CountTable([[0, 0, 1], [1, 1, 1]], row_totals=False, col_totals=True)
    other = CountTable([[2, 2], [10, 12]])
    links = [(("p", (2, 3)), ("o", (0, 2)))]
    out = suppress_linked({"p": pinned, "o": other}, links, T)
    assert out["p"].marks[(2, 3)] == WITHHELD
    assert out["o"].marks[(0, 2)] == WITHHELD
    for key, t in (("p", pinned), ("o", other)):
        assert determined_cells(t, out[key].marks, T) == []
        assert reader_can_work_out(t, out[key].marks, T) == set()
