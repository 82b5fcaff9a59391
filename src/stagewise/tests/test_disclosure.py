"""Disclosure control: no count from 1 to 4 leaves an authority, nor any figure from which one
could be worked out. The tables are checked by an exact audit that knows only what a reader
knows: the shown figures, that totals are sums, and what the marks mean."""

from collections.abc import Iterator

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stagewise.disclosure import (
    DISCLOSURE_STATEMENT,
    Figure,
    ProtectedTable,
    Withheld,
    protect_table,
    protected_percentage,
    protected_rate,
    protected_row,
    small_count,
)
from stagewise.disclosure.audit import recoverable

SMALL = Figure(None, Withheld.SMALL)
SECONDARY = Figure(None, Withheld.SECONDARY)
AUDITED = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Counts as a breakdown of a few learners gives them: many 0s and small counts.
counts = st.one_of(
    st.integers(min_value=0, max_value=4),
    st.integers(min_value=0, max_value=4),
    st.integers(min_value=0, max_value=15),
)


@st.composite
def tables(draw: st.DrawFn, most: int = 4) -> list[list[int]]:
    rows = draw(st.integers(min_value=1, max_value=most))
    columns = draw(st.integers(min_value=1, max_value=most))
    return [[draw(counts) for _ in range(columns)] for _ in range(rows)]


totals_published = st.fixed_dictionaries(
    {"row_totals": st.booleans(), "column_totals": st.booleans(), "grand_total": st.booleans()}
)


def figures(table: ProtectedTable) -> Iterator[Figure]:
    for row in table.cells:
        yield from row
    yield from table.row_totals or ()
    yield from table.column_totals or ()
    if table.grand_total is not None:
        yield table.grand_total


def true_values(cells: list[list[int]], table: ProtectedTable) -> Iterator[tuple[Figure, int]]:
    for row, values in zip(table.cells, cells, strict=True):
        yield from zip(row, values, strict=True)
    if table.row_totals is not None:
        yield from zip(table.row_totals, map(sum, cells), strict=True)
    if table.column_totals is not None:
        yield from zip(table.column_totals, map(sum, zip(*cells, strict=True)), strict=True)
    if table.grand_total is not None:
        yield table.grand_total, sum(map(sum, cells))


def ceiling(cells: list[list[int]]) -> int:
    """At least every true value, for tables whose grand total is not shown."""
    return sum(map(sum, cells)) + 20


# The tables --------------------------------------------------------------------------------------


@AUDITED
@given(tables(), totals_published)
def test_no_withheld_figure_of_a_protected_table_can_be_worked_out(
    cells: list[list[int]], published: dict[str, bool]
) -> None:
    table = protect_table(cells, **published)

    # A reader who sees one mark for every withheld figure, as pages print them.
    assert recoverable(table, ceiling=ceiling(cells), marks_told_apart=False) == []
    if table.marks_told_apart:
        # And one told which are 1 to 4 and which are 5 or more.
        assert recoverable(table, ceiling=ceiling(cells)) == []


@settings(max_examples=200, deadline=None)
@given(tables(), totals_published)
def test_a_protected_table_never_shows_1_to_4_and_shows_every_other_figure_as_it_is(
    cells: list[list[int]], published: dict[str, bool]
) -> None:
    table = protect_table(cells, **published)

    for figure, value in true_values(cells, table):
        if figure.shown:
            assert figure.value == value
            assert not 1 <= value <= 4
        else:
            assert figure.value is None
            # Small means 1 to 4; a secondary figure is never 0 (so it means 5 or more).
            assert (figure.withheld is Withheld.SMALL) == (1 <= value <= 4)
            assert value != 0
    assert (table.row_totals is None) != published["row_totals"]
    assert (table.column_totals is None) != published["column_totals"]
    assert (table.grand_total is None) != published["grand_total"]


@settings(max_examples=100, deadline=None)
@given(tables(), totals_published)
def test_the_same_table_is_always_protected_the_same_way(
    cells: list[list[int]], published: dict[str, bool]
) -> None:
    assert protect_table(cells, **published) == protect_table(
        [list(row) for row in cells], **published
    )


def test_a_small_cell_takes_the_smallest_cells_that_hide_it() -> None:
    table = protect_table([[3, 7, 0], [12, 1, 9], [6, 6, 6]])

    # 3 + 7 = 10, 12 + 1 = 13, 3 + 12 = 15, 7 + 1 = 8: 3, 7, 12, 1 or 4, 6, 11, 2.
    assert table.cells == (
        (SMALL, SECONDARY, Figure(0)),
        (SECONDARY, SMALL, Figure(9)),
        (Figure(6), Figure(6), Figure(6)),
    )
    assert table.row_totals == (Figure(10), Figure(22), Figure(18))
    assert table.column_totals == (Figure(21), Figure(14), Figure(15))
    assert table.grand_total == Figure(50)


def test_when_the_marks_alone_would_pin_a_figure_the_table_says_so() -> None:
    # Four cells marked 1 to 4 under a total marked 1 to 4 are all 1, whatever else is hidden.
    table = protect_table([[1], [1], [1], [1]], grand_total=False)

    assert not table.marks_told_apart
    assert recoverable(table, ceiling=30, marks_told_apart=False) == []


def test_a_table_of_32_authorities_by_12_is_protected_quickly() -> None:
    import random
    import time

    chance = random.Random(12)
    cells = [[chance.choice([0, 1, 2, 3, 4, 5, 8, 20, 60]) for _ in range(12)] for _ in range(32)]

    started = time.perf_counter()
    protect_table(cells)

    assert time.perf_counter() - started < 0.5


def test_a_table_needs_rows_of_one_length_and_no_negative_count() -> None:
    with pytest.raises(ValueError):
        protect_table([[1, 2], [3]])
    with pytest.raises(ValueError):
        protect_table([[5, -1]])


# The audit itself ----------------------------------------------------------------------------


def test_the_audit_finds_a_small_cell_given_back_by_its_row_total() -> None:
    leaky = ProtectedTable(
        cells=((SMALL, Figure(7)),), row_totals=(Figure(10),), column_totals=None, grand_total=None
    )

    assert recoverable(leaky, ceiling=100) == [("cell", 0, 0)]


def test_the_audit_finds_a_pair_that_only_marks_told_apart_give_back() -> None:
    # 6 = small + secondary: 1 + 5 is the only way with "1 to 4" and "5 or more".
    pair = ProtectedTable(
        cells=((SMALL, SECONDARY),), row_totals=(Figure(6),), column_totals=None, grand_total=None
    )

    assert recoverable(pair, ceiling=100) == [("cell", 0, 0), ("cell", 0, 1)]
    assert recoverable(pair, ceiling=100, marks_told_apart=False) == []


def test_the_audit_finds_a_block_of_ones_given_back_by_its_totals() -> None:
    # Each withheld cell is 1 or more and each row and column of the block adds up to 2.
    block = ProtectedTable(
        cells=((SECONDARY, SECONDARY), (SECONDARY, SECONDARY)),
        row_totals=(Figure(2), Figure(2)),
        column_totals=(Figure(2), Figure(2)),
        grand_total=Figure(4),
    )

    assert len(recoverable(block, marks_told_apart=False)) == 4


def test_the_audit_passes_a_cycle_that_can_move() -> None:
    safe = ProtectedTable(
        cells=((SMALL, SECONDARY), (SECONDARY, SMALL)),
        row_totals=(Figure(10), Figure(13)),
        column_totals=(Figure(15), Figure(8)),
        grand_total=Figure(23),
    )

    assert recoverable(safe) == []


# Rows, counts, percentages and rates ---------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.lists(counts, min_size=1, max_size=6))
def test_a_protected_row_is_a_one_row_table_without_column_totals(parts: list[int]) -> None:
    total, figures_ = protected_row(sum(parts), parts)
    table = ProtectedTable(
        cells=(tuple(figures_),), row_totals=(total,), column_totals=None, grand_total=None
    )

    assert recoverable(table, ceiling=sum(parts) + 20, marks_told_apart=False) == []


@given(st.integers(min_value=0, max_value=10_000))
def test_a_count_alone_is_withheld_from_1_to_4(count: int) -> None:
    assert small_count(count).shown == (not 1 <= count <= 4)


@settings(max_examples=100, deadline=None)
@given(tables(most=3))
def test_no_percentage_is_shown_from_a_withheld_count(cells: list[list[int]]) -> None:
    table = protect_table(cells)
    assert table.row_totals is not None

    for row, total in zip(table.cells, table.row_totals, strict=True):
        for cell in row:
            share = protected_percentage(cell, total)
            assert share.shown == (cell.shown and total.shown)
            if share.shown and total.value:
                assert cell.value is not None
                assert share.value == round(100 * cell.value / total.value)


def test_a_rate_follows_the_count_of_learners_it_is_about() -> None:
    # Sessions attended of sessions possible, for 3, 12 and a withheld 12 learners.
    assert protected_rate(280, 300, learners=3) == SMALL
    assert protected_rate(1100, 1200, learners=12) == Figure(92)
    assert protected_rate(1100, 1200, learners=SECONDARY) == SECONDARY
    assert protected_rate(0, 0, learners=12) == Figure(None)


def test_pages_can_say_how_figures_are_protected_in_welsh() -> None:
    with translation.override("cy"):
        welsh = str(DISCLOSURE_STATEMENT)

    assert welsh.startswith("Ni ddangosir cyfrifon o 1 i 4")
