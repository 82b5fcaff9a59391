"""The annual report of successes and achievements (seed 001, LI 11), for an authority and for a
nation: built from the same summary figures as the dashboards, always through disclosure control
because a report is written to be published, whoever asks for it.

For the school year chosen and the one before it, each measure's figure for learners with
additional support needs and without, and the gap; what improved (a success), what went the other
way (to watch), and, for an authority, how it compares with the nation. The sentences are made
here, in the reader's language, from the figures; nothing is typed by hand, so the report can be
made again for any year and says the same thing.
"""

from dataclasses import dataclass, replace
from decimal import Decimal

from django.utils.translation import gettext as _

from stagewise.measurement.dashboards import (
    MeasureFigures,
    Pair,
    Value,
    dashboard_get,
    figure_text,
)
from stagewise.measurement.models import Measure, ScopeLevel, Unit
from stagewise.measurement.periods import school_year_label
from stagewise.measurement.scopes import Access

REPORT_LEVELS = (ScopeLevel.NATION, ScopeLevel.AUTHORITY)


class Direction:
    BETTER = "better"
    WORSE = "worse"
    SAME = "same"
    UNKNOWN = "unknown"


@dataclass
class ReportLine:
    measure: Measure
    this_year: Pair
    last_year: Pair | None
    # The nation's figures beside an authority's (None in the nation's own report).
    nation: Pair | None
    direction: str
    sentence: str
    gap_sentence: str


@dataclass
class ReportSection:
    label: str
    lines: list[ReportLine]


@dataclass
class AnnualReport:
    access: Access
    school_year: int | None
    previous_year: int | None
    sections: list[ReportSection]

    @property
    def school_year_label(self) -> str:
        return school_year_label(self.school_year) if self.school_year else ""

    @property
    def previous_year_label(self) -> str:
        return school_year_label(self.previous_year) if self.previous_year else ""

    @property
    def successes(self) -> list[ReportLine]:
        return [
            line for s in self.sections for line in s.lines if line.direction == Direction.BETTER
        ]

    @property
    def to_watch(self) -> list[ReportLine]:
        return [
            line for s in self.sections for line in s.lines if line.direction == Direction.WORSE
        ]


def _change(now: Value, before: Value | None) -> Decimal | None:
    if before is None or not now.shown or not before.shown:
        return None
    assert now.value is not None and before.value is not None
    return now.value - before.value


def _direction(measure: Measure, change: Decimal | None) -> str:
    if change is None:
        return Direction.UNKNOWN
    if change == 0:
        return Direction.SAME
    better = change > 0 if measure.higher_is_better else change < 0
    return Direction.BETTER if better else Direction.WORSE


def _amount(change: Decimal, unit: str) -> str:
    size = abs(change)
    if unit == Unit.PERCENTAGE:
        return _("%(size)s percentage points") % {"size": size}
    if unit == Unit.PER_THOUSAND:
        return _("%(size)s per 1,000 learners") % {"size": size}
    return str(size)


def _sentence(measure: Measure, now: Value, before: Value | None, previous_label: str) -> str:
    name = measure.display_name
    figure = figure_text(now, measure.unit)
    if not now.shown:
        return _("%(measure)s for learners with additional support needs: %(figure)s.") % {
            "measure": name,
            "figure": figure,
        }
    change = _change(now, before)
    if change is None:
        return _(
            "%(measure)s for learners with additional support needs was %(figure)s; there is no "
            "figure for %(year)s to compare it with."
        ) % {"measure": name, "figure": figure, "year": previous_label}
    if change == 0:
        return _(
            "%(measure)s for learners with additional support needs was %(figure)s, as in %(year)s."
        ) % {"measure": name, "figure": figure, "year": previous_label}
    assert before is not None
    template = (
        _(
            "%(measure)s for learners with additional support needs was %(figure)s, up "
            "%(amount)s from %(before)s in %(year)s."
        )
        if change > 0
        else _(
            "%(measure)s for learners with additional support needs was %(figure)s, down "
            "%(amount)s from %(before)s in %(year)s."
        )
    )
    return template % {
        "measure": name,
        "figure": figure,
        "amount": _amount(change, measure.unit),
        "before": figure_text(before, measure.unit),
        "year": previous_label,
    }


def _gap_sentence(measure: Measure, now: Value, before: Value | None) -> str:
    if not now.shown:
        return ""
    assert now.value is not None
    gap = figure_text(now, measure.unit)
    change = _change(now, before)
    if change is None or change == 0:
        return _("The gap with learners without additional support needs was %(gap)s.") % {
            "gap": gap
        }
    narrowed = abs(now.value) < abs(now.value - change)
    template = (
        _(
            "The gap with learners without additional support needs narrowed by %(amount)s, to "
            "%(gap)s."
        )
        if narrowed
        else _(
            "The gap with learners without additional support needs widened by %(amount)s, "
            "to %(gap)s."
        )
    )
    return template % {
        "amount": _amount(abs(now.value) - abs(now.value - change), measure.unit),
        "gap": gap,
    }


def direction_of(measure: Measure, now: Value, before: Value | None) -> str:
    """Whether a figure moved the way the measure counts as better since `before`."""
    return _direction(measure, _change(now, before))


def _line(figures: MeasureFigures, previous_year: int | None, previous_label: str) -> ReportLine:
    measure = figures.measure
    last = dict(figures.trend).get(previous_year) if previous_year else None
    nation = next((pair for wider, pair in figures.wider if wider.level == ScopeLevel.NATION), None)
    return ReportLine(
        measure=measure,
        this_year=figures.this_year,
        last_year=last,
        nation=nation,
        direction=direction_of(
            measure, figures.this_year.with_needs, last.with_needs if last else None
        ),
        sentence=_sentence(
            measure, figures.this_year.with_needs, last.with_needs if last else None, previous_label
        ),
        gap_sentence=_gap_sentence(measure, figures.this_year.gap, last.gap if last else None),
    )


def annual_report_get(*, access: Access, school_year: int | None = None) -> AnnualReport:
    """The report for the scope (an authority or a nation) and school year (the latest with
    figures when none is given); every figure through disclosure control."""
    published = replace(access, suppressed=True)
    dashboard = dashboard_get(access=published, school_year=school_year)
    year = dashboard.school_year
    earlier = [y for y in dashboard.school_years if year is not None and y < year]
    previous_year = earlier[-1] if earlier else (year - 1 if year is not None else None)
    previous_label = school_year_label(previous_year) if previous_year else ""
    sections = [
        ReportSection(
            principle.label,
            [_line(figures, previous_year, previous_label) for figures in principle.measures],
        )
        for principle in dashboard.principles
    ]
    return AnnualReport(published, year, previous_year, sections)
