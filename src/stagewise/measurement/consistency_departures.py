"""Departures from decision support's suggestion in the consistency report (issue 16 item 4; ADR
0048, amended): for the compared authorities (the analyst, through disclosure control) or schools
(the officer, as they are), how many stage decisions and plans made in the school year had a
suggestion shown, how many departed from it and which way, and the kinds of reason given.

Read only from DepartureFigure (refreshed by the task, measurement/refresh_departures.py) in one
query whatever the number of authorities or schools. Each table is protected with its totals, so
no withheld count is a total less the others; each rate is worked out from published counts
only. The reasons' own words never leave the authority: the officer reads them in the list of
the authority's departures (measurement/departure_list.py)."""

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, Sum

from stagewise.disclosure import Figure, percentage
from stagewise.disclosure.figures import Withheld
from stagewise.measurement.models import DecisionKind, DepartureDirection, DepartureFigure
from stagewise.statutory.models import DepartureKind

if TYPE_CHECKING:
    from stagewise.measurement.consistency import ConsistencyAccess, Distribution

# The columns of each table: a decision that followed the suggestion, then the ways one departed.
FOLLOWED = "followed"
STAGE_COLUMNS = [
    FOLLOWED,
    DepartureDirection.HIGHER.value,
    DepartureDirection.LOWER.value,
    DepartureDirection.SAME_NATIONAL_STAGE.value,
]
PLAN_COLUMNS = [FOLLOWED, DepartureDirection.OTHER_PLAN_TYPE.value]
KIND_COLUMNS = list(DepartureKind.values)


@dataclass
class Departures:
    """The three tables, rows the compared scopes (those with any decision), and each stage
    and plan row's departure rate (a Figure per row, then the total's)."""

    stages: "Distribution"
    stage_rates: list[Figure]
    plans: "Distribution"
    plan_rates: list[Figure]
    kinds: "Distribution"

    @property
    def any(self) -> bool:
        return bool(self.stages.rows or self.plans.rows)


def departure_rate(cells: list[Figure], total: Figure) -> Figure:
    """The share of a row's decisions that departed: the departing cells (all but the first)
    over the row's total, from published figures only, withheld if any of them is."""
    departed = cells[1:]
    if not total.shown or not all(cell.shown for cell in departed):
        return Figure(None, Withheld.SECONDARY)
    assert total.value is not None
    return Figure(percentage(sum(cell.value or 0 for cell in departed), total.value))


def _within(access: "ConsistencyAccess") -> Q:
    """The compared scopes' rows: by the authority for the officer, by the nation for the
    analyst (each an index's first column)."""
    scope = access.scope
    if scope.authority is not None:
        return Q(level=access.compared, authority=scope.authority)
    return Q(level=access.compared, nation=scope.nation)


def departures_get(
    access: "ConsistencyAccess", school_year: int, names: dict[str, str]
) -> Departures:
    # Imported here: consistency.py builds the report and calls this.
    from stagewise.measurement.consistency import _distribution

    stage_counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    plan_counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    kind_counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = (
        DepartureFigure.objects.filter(_within(access), school_year=school_year)
        .values("scope", "decision", "departs", "direction", "kind")
        .annotate(total=Sum("decisions"))
        .order_by()
    )
    for row in rows:
        column = row["direction"] if row["departs"] else FOLLOWED
        counts = stage_counts if row["decision"] == DecisionKind.STAGE else plan_counts
        counts[row["scope"]][column] += row["total"]
        if row["departs"]:
            kind_counts[row["scope"]][row["kind"] or DepartureKind.OTHER] += row["total"]
    suppressed = access.suppressed
    stages = _distribution(stage_counts, names, STAGE_COLUMNS, suppressed=suppressed)
    plans = _distribution(plan_counts, names, PLAN_COLUMNS, suppressed=suppressed)
    return Departures(
        stages=stages,
        stage_rates=_rates(stages),
        plans=plans,
        plan_rates=_rates(plans),
        kinds=_distribution(kind_counts, names, KIND_COLUMNS, suppressed=suppressed),
    )


def _rates(table: "Distribution") -> list[Figure]:
    return [departure_rate(row.cells, row.total) for row in table.rows] + [
        departure_rate(table.totals, table.grand_total)
    ]
