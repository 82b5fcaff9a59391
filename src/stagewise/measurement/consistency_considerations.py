"""The consistency report's section on looked-after children considered for a co-ordinated
support plan (ASL Act 2004 s6(1A), issue 16 item 4; ADR 0049): per compared scope, looked-after
children, those considered and their share, and those considered with a plan, per 100
considered. Read only from ConsiderationFigure (one row per scope and year) in one query.

For the analyst the figures leave the authorities, so each scope's looked-after children are
protected as one table partitioned into considered with a plan, considered without, and not
considered (rows the scopes, with row and column totals): the three parts add up, so no withheld
count can be worked out from the looked-after total less the others. "Considered" is the sum of
its two published parts, withheld when either is. Inside their own authority an officer sees
every count as it is.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from stagewise.disclosure import Figure, protect_table, protected_percentage, shown
from stagewise.disclosure.figures import Withheld
from stagewise.measurement.models import ConsiderationFigure
from stagewise.policy import NationPolicy

if TYPE_CHECKING:
    from stagewise.measurement.consistency import ConsistencyAccess


@dataclass
class ConsiderationRow:
    name: str
    looked_after: Figure
    considered: Figure
    considered_share: Figure
    with_plan: Figure
    # Considered children with a co-ordinated support plan, per 100 considered.
    with_plan_per_hundred: Figure
    total: bool = False


def _sum(first: Figure, second: Figure) -> Figure:
    if not first.shown or not second.shown:
        return Figure(None, Withheld.SECONDARY)
    assert first.value is not None and second.value is not None
    return Figure(first.value + second.value)


def _row(name: str, parts: list[Figure], looked_after: Figure, *, total: bool) -> ConsiderationRow:
    with_plan, without_plan, _not_considered = parts
    considered = _sum(with_plan, without_plan)
    return ConsiderationRow(
        name=name,
        looked_after=looked_after,
        considered=considered,
        considered_share=protected_percentage(considered, looked_after),
        with_plan=with_plan,
        with_plan_per_hundred=protected_percentage(with_plan, considered),
        total=total,
    )


def consideration_rows(
    access: "ConsistencyAccess", school_year: int, names: dict[str, str], nation: NationPolicy
) -> list[ConsiderationRow]:
    """One row per compared scope with looked-after children, and the total last; empty for a
    nation whose law has no co-ordinated support plan. One query."""
    if not nation.coordinated_plan_type:
        return []
    scope = access.scope
    within = Q(authority=scope.authority) if scope.authority is not None else Q(nation=scope.nation)
    rows = (
        ConsiderationFigure.objects.filter(within, level=access.compared, school_year=school_year)
        .values("scope")
        .annotate(
            n_looked_after=Sum("looked_after"),
            n_considered=Sum("considered"),
            n_with_plan=Sum("considered_with_plan"),
        )
        .order_by()
    )
    counts = {
        row["scope"]: [
            row["n_with_plan"] or 0,
            (row["n_considered"] or 0) - (row["n_with_plan"] or 0),
            (row["n_looked_after"] or 0) - (row["n_considered"] or 0),
        ]
        for row in rows
        if row["n_looked_after"]
    }
    keys = [key for key in names if key in counts]
    if not keys:
        return []
    cells = [counts[key] for key in keys]
    if access.suppressed:
        table = protect_table(cells, row_totals=True, column_totals=True, grand_total=True)
        assert table.row_totals is not None and table.column_totals is not None
        assert table.grand_total is not None
        parts = [list(row) for row in table.cells]
        row_totals = list(table.row_totals)
        column_totals, grand_total = list(table.column_totals), table.grand_total
    else:
        parts = [[shown(value) for value in row] for row in cells]
        row_totals = [shown(sum(row)) for row in cells]
        column_totals = [shown(sum(row[j] for row in cells)) for j in range(3)]
        grand_total = shown(sum(map(sum, cells)))
    result = [_row(names[key], parts[i], row_totals[i], total=False) for i, key in enumerate(keys)]
    result.append(_row(_("Total"), column_totals, grand_total, total=True))
    return result
