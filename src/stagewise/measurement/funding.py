"""An authority's additional funding, each allocation beside the measures it was meant to change:
the figure for learners with additional support needs in the funded school year and the year
before, from the summary figures (through disclosure control for anyone outside the authority)."""

from dataclasses import dataclass

from stagewise.measurement.annual_report import Direction, direction_of
from stagewise.measurement.dashboards import EMPTY_PAIR, Pair, dashboard_get
from stagewise.measurement.models import FundingAllocation, Measure
from stagewise.measurement.scopes import Access


@dataclass
class FundedMeasure:
    measure: Measure
    funded_year: Pair
    year_before: Pair
    direction: str

    @property
    def improved(self) -> bool:
        return self.direction == Direction.BETTER


@dataclass
class FundingLine:
    allocation: FundingAllocation
    measures: list[FundedMeasure]


def funding_list(*, access: Access) -> list[FundingLine]:
    """The authority's allocations, newest first, each with its measures' figures."""
    assert access.scope.authority is not None
    allocations = list(
        FundingAllocation.objects.filter(authority=access.scope.authority).prefetch_related(
            "measures"
        )
    )
    if not allocations:
        return []
    dashboard = dashboard_get(access=access)
    trends = {
        figures.measure.pk: dict(figures.trend)
        for principle in dashboard.principles
        for figures in principle.measures
    }
    lines = []
    for allocation in allocations:
        funded = []
        for measure in allocation.measures.all():
            trend = trends.get(measure.pk, {})
            this_year = trend.get(allocation.school_year, EMPTY_PAIR)
            before = trend.get(allocation.school_year - 1, EMPTY_PAIR)
            funded.append(
                FundedMeasure(
                    measure=measure,
                    funded_year=this_year,
                    year_before=before,
                    direction=direction_of(measure, this_year.with_needs, before.with_needs),
                )
            )
        lines.append(FundingLine(allocation, funded))
    return lines
