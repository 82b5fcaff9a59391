"""Secondary suppression for a table of counts with its totals (see the package docstring).

The table and its totals are read as one graph: a node for each row and one for the column
totals' row, a node for each column and one for the row totals' column; each figure (cell, row
total, column total, grand total) is an edge between its row node and its column node. Give cells
and the grand total the sign +1 and the other totals -1: then every node's signed edges sum to 0
(a row's cells minus its total; the column totals minus the grand total...). Adding +t and -t in
turn around a cycle of withheld edges keeps every sum, so the published figures cannot tell the
two tables apart. A withheld figure is protected when such a cycle through it exists with t = 1
that keeps every figure on it inside what its mark says it is (1 to 4 for "small", 5 or more for
"secondary"): that cycle is another table, consistent with everything published, in which the
figure differs. The search for one is a reachability question on arcs: an edge may be walked from
its row to its column when its signed value may go up by 1, and back when it may go down by 1.
"""

import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from stagewise.disclosure.figures import SMALL_COUNT_LIMIT, Figure, Withheld, is_small


class _State(Enum):
    SHOWN = "shown"
    SMALL = "small"
    SECONDARY = "secondary"
    FREE = "free"  # a total that is not published: any value from 0


@dataclass(frozen=True)
class ProtectedTable:
    """The cells (rows of columns) and the totals, each shown or withheld; a total that was not
    asked for is None. No withheld figure can be worked out by a reader who sees one mark for
    all of them; `marks_told_apart` is True when that holds too for a reader shown "small" and
    "secondary" apart (False only when the marks themselves would pin a figure)."""

    cells: tuple[tuple[Figure, ...], ...]
    row_totals: tuple[Figure, ...] | None
    column_totals: tuple[Figure, ...] | None
    grand_total: Figure | None
    marks_told_apart: bool = True


@dataclass
class _Edge:
    row: int  # node number of its row (the column totals' row is number m)
    column: int  # node number of its column (m + 1 + j; the row totals' column is m + 1 + n)
    value: int
    sign: int
    state: _State

    def may_rise(self, strict: bool) -> bool:
        """The figure itself (not its signed value) may go up by 1 within what its mark says:
        `strict` for a reader who tells "small" (1 to 4) from "secondary" (5 or more), else for
        one who sees a single mark (1 or more: 0 is never withheld)."""
        return not strict or self.state is not _State.SMALL or self.value < SMALL_COUNT_LIMIT - 1

    def may_fall(self, strict: bool) -> bool:
        if self.state is _State.FREE:
            return self.value > 0
        if self.state is _State.SMALL or not strict:
            return self.value > 1
        return self.value > SMALL_COUNT_LIMIT  # secondary (or a candidate for it): 5 or more

    def forward(self, strict: bool) -> bool:
        """May be walked from its row node to its column node: the signed value may go up."""
        return self.may_rise(strict) if self.sign > 0 else self.may_fall(strict)

    def backward(self, strict: bool) -> bool:
        return self.may_fall(strict) if self.sign > 0 else self.may_rise(strict)

    @property
    def withheld(self) -> bool:
        return self.state is not _State.SHOWN

    @property
    def candidate(self) -> bool:
        """A shown figure that could be withheld to complete a cycle (never a 0: withholding
        one would tell a reader of the marks nothing true about "5 or more")."""
        return self.state is _State.SHOWN and self.value >= SMALL_COUNT_LIMIT


class _Graph:
    def __init__(self, edges: list[_Edge], nodes: int) -> None:
        self.edges = edges
        self.strict = True
        self.adjacent: list[list[int]] = [[] for _ in range(nodes)]
        for index, edge in enumerate(edges):
            self.adjacent[edge.row].append(index)
            self.adjacent[edge.column].append(index)

    def _arcs(self, node: int, skip: int) -> list[tuple[int, int]]:
        """(edge, next node) for each edge that may be walked away from `node`."""
        arcs = []
        for index in self.adjacent[node]:
            if index == skip:
                continue
            edge = self.edges[index]
            if node == edge.row and edge.forward(self.strict):
                arcs.append((index, edge.column))
            elif node == edge.column and edge.backward(self.strict):
                arcs.append((index, edge.row))
        return arcs

    def _ends(self, index: int) -> list[tuple[int, int]]:
        """(from, to) for the ways a path must close a cycle through edge `index`: having walked
        the edge from its row to its column, the path goes from the column back to the row."""
        edge = self.edges[index]
        ends = []
        if edge.forward(self.strict):
            ends.append((edge.column, edge.row))
        if edge.backward(self.strict):
            ends.append((edge.row, edge.column))
        return ends

    def protected(self, index: int) -> bool:
        for start, goal in self._ends(index):
            seen, stack = {start}, [start]
            while stack:
                node = stack.pop()
                if node == goal:
                    return True
                for other, nxt in self._arcs(node, index):
                    if self.edges[other].withheld and nxt not in seen:
                        seen.add(nxt)
                        stack.append(nxt)
        return False

    def cheapest_cycle(self, index: int) -> list[int] | None:
        """The shown figures to withhold so that edge `index` lies on a cycle, the smallest total
        first (then the fewest, then the first in reading order); None when there is none."""
        best: tuple[tuple[int, int], list[int]] | None = None
        for start, goal in self._ends(index):
            found = self._dijkstra(start, goal, index)
            if found is not None and (best is None or found[0] < best[0]):
                best = found
        return None if best is None else best[1]

    def _dijkstra(
        self, start: int, goal: int, skip: int
    ) -> tuple[tuple[int, int], list[int]] | None:
        costs: dict[int, tuple[int, int]] = {start: (0, 0)}
        through: dict[int, tuple[int, int]] = {}
        queue = [((0, 0), start)]
        done: set[int] = set()
        while queue:
            cost, node = heapq.heappop(queue)
            if node in done:
                continue
            done.add(node)
            if node == goal:
                path, at = [], goal
                while at != start:
                    walked, at = through[at]
                    if not self.edges[walked].withheld:
                        path.append(walked)
                return cost, sorted(path)
            for edge_index, nxt in self._arcs(node, skip):
                edge = self.edges[edge_index]
                if not (edge.withheld or edge.candidate):
                    continue
                step = (0, 0) if edge.withheld else (edge.value, 1)
                new = (cost[0] + step[0], cost[1] + step[1])
                if nxt not in costs or new < costs[nxt]:
                    costs[nxt] = new
                    through[nxt] = (edge_index, node)
                    heapq.heappush(queue, (new, nxt))
        return None


def protect_table(
    cells: Sequence[Sequence[int]],
    *,
    row_totals: bool = True,
    column_totals: bool = True,
    grand_total: bool = True,
) -> ProtectedTable:
    """Withhold every count from 1 to 4 in the table and its totals (the totals are the sums of
    the cells, worked out here), then the fewest and smallest further figures so that no withheld
    figure can be worked out from what is published. Deterministic."""
    rows = [list(row) for row in cells]
    m = len(rows)
    n = len(rows[0]) if rows else 0
    if any(len(row) != n for row in rows) or any(v < 0 for row in rows for v in row):
        raise ValueError("A table of counts needs rows of the same length and no negative count.")
    row_sums = [sum(row) for row in rows]
    column_sums = [sum(row[j] for row in rows) for j in range(n)]
    grand = sum(row_sums)

    def state(value: int, published: bool) -> _State:
        if not published:
            return _State.FREE
        return _State.SMALL if is_small(value) else _State.SHOWN

    total_column = m + 1 + n
    edges = [
        _Edge(i, m + 1 + j, rows[i][j], 1, state(rows[i][j], True))
        for i in range(m)
        for j in range(n)
    ]
    edges += [
        _Edge(i, total_column, row_sums[i], -1, state(row_sums[i], row_totals)) for i in range(m)
    ]
    edges += [
        _Edge(m, m + 1 + j, column_sums[j], -1, state(column_sums[j], column_totals))
        for j in range(n)
    ]
    edges.append(_Edge(m, total_column, grand, 1, state(grand, grand_total)))

    graph = _Graph(edges, m + n + 2)
    marks_told_apart = True
    for index, edge in enumerate(edges):
        if edge.state not in (_State.SMALL, _State.SECONDARY):
            continue
        graph.strict = True
        if graph.protected(index):
            continue
        cycle = graph.cheapest_cycle(index)
        if cycle is None:
            # The marks alone pin it (four small parts of a small total are all 1): protect it
            # for a reader who sees one mark, which is what pages print.
            marks_told_apart = False
            graph.strict = False
            if graph.protected(index):
                continue
            cycle = graph.cheapest_cycle(index)
            # Every figure may go up by 1 for that reader, and the cycle through the figure's
            # row total, column total and grand total (shown, withheld or not published) is
            # made of figures that are not 0.
            assert cycle is not None
        for other in cycle:
            edges[other].state = _State.SECONDARY

    figures = [_figure(edge) for edge in edges]
    return ProtectedTable(
        cells=tuple(tuple(figures[i * n : (i + 1) * n]) for i in range(m)),
        row_totals=tuple(figures[m * n : m * n + m]) if row_totals else None,
        column_totals=tuple(figures[m * n + m : m * n + m + n]) if column_totals else None,
        grand_total=figures[-1] if grand_total else None,
        marks_told_apart=marks_told_apart,
    )


def _figure(edge: _Edge) -> Figure:
    if edge.state is _State.SMALL:
        return Figure(None, Withheld.SMALL)
    if edge.state is _State.SECONDARY:
        return Figure(None, Withheld.SECONDARY)
    return Figure(edge.value)
