"""From the year's roll and contributions to SummaryFigure rows: the school rows by grouped
queries (two per breakdown, whatever the number of learners or measures), then the authority and
nation rows by adding up the school rows.

- Every breakdown value is a code on the learner's LearnerYear row (refresh_roll.py), except the
  reason for support, where a learner counts once under each of their reasons: the rows of that
  breakdown do not add up to the total (a learner with two reasons is in two of them), and a
  learner without needs is under none.
- A measure over the roll (Source.on_roll) has a figure for every group of learners on the roll,
  with a numerator of 0 where none of them contributed; other measures only where some learner
  contributed.
- `learners` is how many learners the figure is about: the contributors (or the learners on the
  roll, for a measure over the roll). Each learner counts at one school a year, so an authority's
  `learners` is the sum of its schools', and a nation's of its authorities'.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Sum

from stagewise.measurement.models import (
    Breakdown,
    LearnerYear,
    LearnerYearContribution,
    Measure,
    ScopeLevel,
    SummaryFigure,
)
from stagewise.measurement.models.summaries import scope_key
from stagewise.measurement.refresh_sources import SOURCES
from stagewise.organisations.models import Setting

# The LearnerYear column each breakdown groups by (None: all learners).
BREAKDOWN_COLUMNS: dict[str, str | None] = {
    Breakdown.ALL: None,
    Breakdown.REASON_FOR_SUPPORT: "reasons__code",
    Breakdown.NATIONAL_STAGE: "national_stage",
    Breakdown.SEX: "sex",
    Breakdown.YEAR_GROUP: "year_group",
    Breakdown.DEPRIVATION_DECILE: "deprivation_decile",
    Breakdown.LOOKED_AFTER: "looked_after",
    Breakdown.HOME_LANGUAGE: "home_language",
    Breakdown.WELSH_MEDIUM: "language_medium",
}

# (setting, breakdown value, with additional support needs)
Cell = tuple[int, str, bool]


def _cells(rows: Iterable[dict], prefix: str, column: str | None) -> Iterable[tuple[Cell, dict]]:
    for row in rows:
        value = row[f"{prefix}{column}"] if column else ""
        if value is None:  # a learner under no reason for support
            continue
        yield (row[f"{prefix}setting_id"], value, row[f"{prefix}additional_support_needs"]), row


def _roll_counts(school_year: int, column: str | None) -> dict[Cell, int]:
    group = ["setting_id", "additional_support_needs", *([column] if column else [])]
    roll = LearnerYear.objects.filter(school_year=school_year)
    rows = roll.values(*group).annotate(count=Count("pk")).order_by()
    return {cell: row["count"] for cell, row in _cells(rows, "", column)}


def _contribution_sums(school_year: int, column: str | None) -> dict[tuple[int, Cell], dict]:
    prefix = "learner_year__"
    group = [
        f"{prefix}setting_id",
        f"{prefix}additional_support_needs",
        *([f"{prefix}{column}"] if column else []),
    ]
    rows = (
        LearnerYearContribution.objects.filter(school_year=school_year)
        .values("measure_id", *group)
        .annotate(numerator=Sum("numerator"), denominator=Sum("denominator"), learners=Count("pk"))
        .order_by()
    )
    return {(row["measure_id"], cell): row for cell, row in _cells(rows, prefix, column)}


def school_figures(
    school_year: int, measures: list[Measure], on_roll_measured: set[int], refreshed_at: datetime
) -> list[SummaryFigure]:
    """The school rows of the year for every measure and breakdown. `on_roll_measured`: the
    measures over the roll that have records in the year."""
    places = {
        setting.pk: setting
        for setting in Setting.objects.select_related("authority__nation").only(
            "pk", "authority_id", "authority__nation_id", "authority__nation__code"
        )
    }
    figures = []
    for breakdown, column in BREAKDOWN_COLUMNS.items():
        sums = _contribution_sums(school_year, column)
        roll = _roll_counts(school_year, column)
        for measure in measures:
            source = SOURCES[measure.code]
            if source.on_roll:
                if measure.pk not in on_roll_measured:
                    continue
                cells = {
                    cell: (sums.get((measure.pk, cell), {}).get("numerator") or 0, count, count)
                    for cell, count in roll.items()
                    if cell[2] or not source.needs_only
                }
            else:
                cells = {
                    cell: (row["numerator"] or 0, row["denominator"] or 0, row["learners"])
                    for (measure_id, cell), row in sums.items()
                    if measure_id == measure.pk
                }
            for (setting_id, value, needs), (numerator, denominator, learners) in cells.items():
                setting = places[setting_id]
                figures.append(
                    SummaryFigure(
                        level=ScopeLevel.SCHOOL,
                        scope=scope_key(ScopeLevel.SCHOOL, setting_id=setting_id),
                        nation_id=setting.authority.nation_id,
                        authority_id=setting.authority_id,
                        setting_id=setting_id,
                        measure_id=measure.pk,
                        school_year=school_year,
                        breakdown=breakdown,
                        breakdown_value=value,
                        additional_support_needs=needs,
                        learners=learners,
                        numerator=Decimal(numerator),
                        denominator=Decimal(denominator),
                        refreshed_at=refreshed_at,
                    )
                )
    return figures


def rolled_up(schools: list[SummaryFigure], nation_codes: dict[int, str]) -> list[SummaryFigure]:
    """The authority and nation rows: each the sum of its schools' rows, cell by cell."""
    totals: dict[tuple, list] = defaultdict(lambda: [0, Decimal(0), Decimal(0)])
    for figure in schools:
        cell = (
            figure.measure_id,
            figure.breakdown,
            figure.breakdown_value,
            figure.additional_support_needs,
        )
        for level, authority_id in (
            (ScopeLevel.AUTHORITY, figure.authority_id),
            (ScopeLevel.NATION, None),
        ):
            total = totals[(level, figure.nation_id, authority_id, *cell)]
            total[0] += figure.learners
            total[1] += figure.numerator
            total[2] += figure.denominator
    school_year, refreshed_at = (
        (schools[0].school_year, schools[0].refreshed_at) if schools else (0, None)
    )
    return [
        SummaryFigure(
            level=level,
            scope=scope_key(level, authority_id=authority_id, nation_code=nation_codes[nation_id]),
            nation_id=nation_id,
            authority_id=authority_id,
            setting_id=None,
            measure_id=measure_id,
            school_year=school_year,
            breakdown=breakdown,
            breakdown_value=value,
            additional_support_needs=needs,
            learners=learners,
            numerator=numerator,
            denominator=denominator,
            refreshed_at=refreshed_at,
        )
        for (
            level,
            nation_id,
            authority_id,
            measure_id,
            breakdown,
            value,
            needs,
        ), (learners, numerator, denominator) in totals.items()
    ]
