"""Disclosure control: the one set of rules every figure about learners passes through before it
leaves an authority's scope (national pages, the analyst's home page, dashboards, exports).

The rule
- A count from 1 to 4 is withheld ("small"). 0 is shown: it says nobody is in the group, which
  picks nobody out, and withholding it would make a reader's "withheld" mean "perhaps 0".
- No withheld figure may be worked out from what is published: a table's totals are the true sums
  of its cells, so further figures ("secondary": cells or totals, never a 0, so always 5 or more)
  are withheld until every withheld figure has at least two values consistent with the published
  figures, the table's sums, and what each mark means (small: 1 to 4; secondary: 5 or more).
  This holds even for a reader who can tell the two marks apart; pages print one mark, "[c]",
  for both (`WITHHELD_MARK`), which tells a reader less again.
- Counts are exact, never rounded: rounding cells independently breaks the sums a reader checks,
  and exact counts with secondary suppression are what the audit can prove things about.
- Percentages and rates are whole numbers, withheld when a count they are worked from is.
  `DISCLOSURE_STATEMENT` says all this under each table.

The pieces
- `small_count(n)`: one count standing alone.
- `protect_table(cells, row_totals=, column_totals=, grand_total=)`: a table and its totals, with
  secondary suppression (tables.py); `protected_row(total, parts)` is its one-row case.
- `protected_share(part, whole)` (unpublished counts), `protected_percentage(part, whole)`
  (published Figures), `protected_rate(numerator, denominator, learners=)`.
- `audit.recoverable(table)`: the exact check the tests run on random tables (too slow for pages).

What it does not do: protect figures against each other across tables or over time (two pages of
the same learners, or this week's table against last week's, can be differenced); stop a reader
learning that everyone in a group shares a value (a shown 0 beside a shown total); or reason
about which figures the algorithm would have chosen (a reader who re-runs it on each candidate
table). ADR 0022 records the attacker this is built against.
"""

from collections.abc import Sequence

from stagewise.disclosure.figures import (
    DISCLOSURE_STATEMENT,
    SMALL_COUNT_LIMIT,
    WITHHELD_MARK,
    WITHHELD_MEANING,
    Figure,
    Withheld,
    is_small,
    percentage,
    protected_per_thousand,
    protected_percentage,
    protected_rate,
    protected_share,
    shown,
    small_count,
)
from stagewise.disclosure.tables import ProtectedTable, protect_table

__all__ = [
    "DISCLOSURE_STATEMENT",
    "SMALL_COUNT_LIMIT",
    "WITHHELD_MARK",
    "WITHHELD_MEANING",
    "Figure",
    "ProtectedTable",
    "Withheld",
    "is_small",
    "percentage",
    "protect_table",
    "protected_per_thousand",
    "protected_percentage",
    "protected_rate",
    "protected_row",
    "protected_share",
    "shown",
    "small_count",
]


def protected_row(total: int, parts: Sequence[int]) -> tuple[Figure, list[Figure]]:
    """A total and the counts it is made of (which sum to it), as one row of a protected table
    with no column totals."""
    if not parts:
        return small_count(total), []
    if total != sum(parts):
        raise ValueError("The parts of a protected row must add up to its total.")
    table = protect_table([list(parts)], column_totals=False, grand_total=False)
    assert table.row_totals is not None
    return table.row_totals[0], list(table.cells[0])
