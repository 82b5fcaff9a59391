"""An exact audit of a published table, for tests: can any withheld figure be worked out?

The reader knows every shown figure, that the totals are the sums of the cells, and what a mark
means. With `marks_told_apart` (the stronger reader) a small figure is from 1 to 4 and a secondary
one 5 or more; otherwise any withheld figure is 1 or more (0 is never withheld). A total that is
not published is any value from 0. Every value is at most `ceiling` (the grand total when it is
shown). A withheld figure is recoverable when every whole-number table consistent with all that
gives it the same value. The search is a small constraint solver (bounds propagated over the
sums, then a split of the widest domain), exact for the small tables the tests draw.
"""

from dataclasses import dataclass

from stagewise.disclosure.figures import SMALL_COUNT_LIMIT, Figure, Withheld
from stagewise.disclosure.tables import ProtectedTable

Position = tuple[str, int, int]  # ("cell", row, column), ("row", row, 0), ("column", 0, col)...
Bounds = list[tuple[int, int]]


@dataclass
class _Problem:
    positions: list[Position]
    bounds: Bounds
    equations: list[list[tuple[int, int]]]  # (variable, coefficient); constant folded as var -1
    constants: list[int]


def _build(table: ProtectedTable, *, ceiling: int, marks_told_apart: bool) -> _Problem:
    m, n = len(table.cells), len(table.cells[0]) if table.cells else 0
    positions: list[Position] = []
    bounds: Bounds = []

    def term(figure: Figure | None, position: Position) -> tuple[int | None, int]:
        """(variable or None, the constant when shown)."""
        if figure is not None and figure.shown:
            assert figure.value is not None
            return None, figure.value
        if figure is None:
            low, high = 0, ceiling
        elif figure.withheld is Withheld.SMALL or not marks_told_apart:
            low, high = 1, (SMALL_COUNT_LIMIT - 1 if marks_told_apart else ceiling)
        else:
            low, high = SMALL_COUNT_LIMIT, ceiling
        positions.append(position)
        bounds.append((low, high))
        return len(positions) - 1, 0

    cells = [[term(table.cells[i][j], ("cell", i, j)) for j in range(n)] for i in range(m)]
    rows = [
        term(table.row_totals[i] if table.row_totals else None, ("row", i, 0)) for i in range(m)
    ]
    columns = [
        term(table.column_totals[j] if table.column_totals else None, ("column", 0, j))
        for j in range(n)
    ]
    grand = term(table.grand_total, ("grand", 0, 0))

    equations, constants = [], []

    def equation(parts: list[tuple[int | None, int]], total: tuple[int | None, int]) -> None:
        terms = [(var, 1) for var, _ in parts if var is not None]
        constant = total[1] - sum(value for var, value in parts if var is None)
        if total[0] is not None:
            terms.append((total[0], -1))
        equations.append(terms)
        constants.append(constant)  # sum of terms == constant

    for i in range(m):
        equation(cells[i], rows[i])
    for j in range(n):
        equation([cells[i][j] for i in range(m)], columns[j])
    equation(rows, grand)
    equation(columns, grand)
    return _Problem(positions, bounds, equations, constants)


def _propagate(problem: _Problem, bounds: Bounds) -> Bounds | None:
    bounds = list(bounds)
    changed = True
    while changed:
        changed = False
        for terms, constant in zip(problem.equations, problem.constants, strict=True):
            for var, coefficient in terms:
                # coefficient * x = constant - sum(others), over the others' ranges.
                low = high = constant
                for other, c in terms:
                    if other == var:
                        continue
                    lo, hi = bounds[other]
                    low -= max(c * lo, c * hi)
                    high -= min(c * lo, c * hi)
                if coefficient < 0:
                    low, high = -high, -low
                lo, hi = bounds[var]
                new = (max(lo, low), min(hi, high))
                if new[0] > new[1]:
                    return None
                if new != (lo, hi):
                    bounds[var] = new
                    changed = True
            if not terms and constant != 0:
                return None
    return bounds


def _solve(problem: _Problem, bounds: Bounds) -> list[int] | None:
    narrowed = _propagate(problem, bounds)
    if narrowed is None:
        return None
    open_ = [v for v, (lo, hi) in enumerate(narrowed) if lo < hi]
    if not open_:
        return [lo for lo, _ in narrowed]
    var = max(open_, key=lambda v: narrowed[v][1] - narrowed[v][0])
    lo, hi = narrowed[var]
    middle = (lo + hi) // 2
    for half in ((lo, middle), (middle + 1, hi)):
        trial = list(narrowed)
        trial[var] = half
        solution = _solve(problem, trial)
        if solution is not None:
            return solution
    return None


def recoverable(
    table: ProtectedTable, *, ceiling: int | None = None, marks_told_apart: bool = True
) -> list[Position]:
    """The withheld figures of `table` that have only one possible value (none, when it is safe).
    `ceiling` must be at least every true value; it defaults to the shown grand total."""
    if ceiling is None:
        if table.grand_total is None or table.grand_total.value is None:
            raise ValueError("Without a shown grand total, say how large a figure may be.")
        ceiling = table.grand_total.value
    problem = _build(table, ceiling=ceiling, marks_told_apart=marks_told_apart)
    solution = _solve(problem, problem.bounds)
    if solution is None:
        raise ValueError("No table is consistent with what was published.")
    found = []
    for var, position in enumerate(problem.positions):
        if position[0] in {"row", "column", "grand"} and not _published(table, position):
            continue  # a total that was never published is not a withheld figure
        low, high = problem.bounds[var]
        value = solution[var]
        below = list(problem.bounds)
        below[var] = (low, value - 1)
        above = list(problem.bounds)
        above[var] = (value + 1, high)
        if (value == low or _solve(problem, below) is None) and (
            value == high or _solve(problem, above) is None
        ):
            found.append(position)
    return found


def _published(table: ProtectedTable, position: Position) -> bool:
    kind = position[0]
    if kind == "row":
        return table.row_totals is not None
    if kind == "column":
        return table.column_totals is not None
    return table.grand_total is not None
