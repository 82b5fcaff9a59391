"""What a measures dashboard shows, read only from the summary figures (ARCHITECTURE rule 5).

For a scope (measurement/scopes.py) and a school year, each measure of the framework that applies
to the scope's nation, for learners with additional support needs and for those without, and the
gap between them; its trend over every school year summarised; the same figure for the wider
scopes the scope is compared with; and, on a measure's own page, the scopes inside it compared
and the figure for each value of a breakdown (sex, stage, reason for support...).

A figure leaves its authority (the analyst's dashboards, and the authority and nation a school is
compared with) only through `stagewise.disclosure`: a figure about 1 to 4 learners is withheld,
and so is a gap worked out from one. Counts of learners are shown only inside the authority, so
that a withheld figure cannot be worked back from the counts and the figures beside it.

Every figure on a page comes from at most three reads of SummaryFigure (the scope's own rows, the
wider scopes' rows, the inner scopes' rows), whatever the number of measures, years or schools.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stagewise.disclosure import is_small
from stagewise.learners.models import Sex
from stagewise.measurement.models import (
    Breakdown,
    Measure,
    Principle,
    ScopeLevel,
    SummaryFigure,
    Unit,
)
from stagewise.measurement.periods import school_year_label
from stagewise.measurement.refresh_roll import NO_PLAN
from stagewise.measurement.scopes import Access, Scope
from stagewise.organisations.models import LanguageMedium, LocalAuthority, Setting
from stagewise.planning.models import PlanType
from stagewise.statutory.models import NationalStage, ReasonForSupport

ONE_PLACE = Decimal("0.1")
UNIT_SCALE: dict[str, Decimal] = {
    Unit.PERCENTAGE: Decimal(100),
    Unit.PER_THOUSAND: Decimal(1000),
    Unit.AVERAGE: Decimal(1),
}
ROUNDING_NOTE = gettext_lazy(
    "Percentages, rates per 1,000 learners and averages are rounded to one decimal place; the "
    "gap is worked out before rounding."
)


class FigureState:
    SHOWN = "shown"
    NO_DATA = "no_data"  # nobody counted: nothing to show
    WITHHELD = "withheld"  # about 1 to 4 learners, or worked out from such a figure


@dataclass(frozen=True)
class Value:
    value: Decimal | None
    state: str
    # How many learners the figure is about, where it may be shown (inside the authority).
    learners: int | None = None
    # The figure as a reader sees it ("87.2%", "withheld", "no data"), once it is rounded.
    text: str = ""

    @property
    def shown(self) -> bool:
        return self.state == FigureState.SHOWN


NO_DATA = Value(None, FigureState.NO_DATA)
WITHHELD = Value(None, FigureState.WITHHELD)


@dataclass(frozen=True)
class Pair:
    """A measure's figure for learners with additional support needs, for those without, and
    the gap between them (with needs minus without, in the measure's unit)."""

    with_needs: Value
    without_needs: Value
    gap: Value


EMPTY_PAIR = Pair(NO_DATA, NO_DATA, NO_DATA)


@dataclass
class ComparedRow:
    name: str
    level: str
    key: str
    pair: Pair
    # The same measure's page for this scope (set by the view, which knows the address).
    url: str = ""


@dataclass
class MeasureFigures:
    measure: Measure
    this_year: Pair = EMPTY_PAIR
    # Every school year with figures, oldest first.
    trend: list[tuple[int, Pair]] = field(default_factory=list)
    wider: list[tuple[Scope, Pair]] = field(default_factory=list)
    compared: list[ComparedRow] = field(default_factory=list)
    by_value: list[tuple[str, Pair]] = field(default_factory=list)


@dataclass
class PrincipleFigures:
    principle: str
    label: str
    measures: list[MeasureFigures]


@dataclass
class Dashboard:
    access: Access
    school_year: int | None
    school_years: list[int]
    breakdown: str
    breakdown_value: str
    filter_label: str
    principles: list[PrincipleFigures]

    @property
    def school_year_label(self) -> str:
        return school_year_label(self.school_year) if self.school_year else ""


def _value(row: SummaryFigure | None, unit: str, *, suppressed: bool) -> Value:
    if row is None or row.learners == 0 or row.denominator == 0:
        return NO_DATA
    if suppressed and is_small(row.learners):
        return WITHHELD
    raw = row.numerator * UNIT_SCALE[unit] / row.denominator
    return Value(raw, FigureState.SHOWN, None if suppressed else row.learners)


def _rounded(value: Value, unit: str) -> Value:
    number = None if value.value is None else value.value.quantize(ONE_PLACE, ROUND_HALF_UP)
    return Value(number, value.state, value.learners, figure_text(Value(number, value.state), unit))


def figure_text(value: Value, unit: str) -> str:
    """A figure as words: \"87.2%\", \"withheld\" or \"no data\"."""
    if value.state == FigureState.WITHHELD:
        return _("withheld")
    if value.value is None:
        return _("no data")
    suffix = "%" if unit == Unit.PERCENTAGE else ""
    return f"{value.value}{suffix}"


def _pair(rows: dict[bool, SummaryFigure], unit: str, *, suppressed: bool) -> Pair:
    with_needs = _value(rows.get(True), unit, suppressed=suppressed)
    without_needs = _value(rows.get(False), unit, suppressed=suppressed)
    if with_needs.shown and without_needs.shown:
        assert with_needs.value is not None and without_needs.value is not None
        gap = Value(with_needs.value - without_needs.value, FigureState.SHOWN)
    elif FigureState.WITHHELD in (with_needs.state, without_needs.state):
        gap = WITHHELD
    else:
        gap = NO_DATA
    return Pair(_rounded(with_needs, unit), _rounded(without_needs, unit), _rounded(gap, unit))


# Rows keyed by (scope key, measure id, school year, breakdown value) -> {with needs: row}.
RowKey = tuple[str, int, int, str]


# What a page reads of each summary figure: plain rows, not model instances, because an
# authority's comparison reads hundreds.
READ = (
    "scope",
    "measure_id",
    "school_year",
    "breakdown_value",
    "additional_support_needs",
    "learners",
    "numerator",
    "denominator",
)


def _read(**lookups: Any) -> Any:
    return SummaryFigure.objects.filter(**lookups).values_list(*READ, named=True)


def _index(rows: Iterable[SummaryFigure]) -> dict[RowKey, dict[bool, SummaryFigure]]:
    indexed: dict[RowKey, dict[bool, SummaryFigure]] = defaultdict(dict)
    for row in rows:
        key = (row.scope, row.measure_id, row.school_year, row.breakdown_value)
        indexed[key][row.additional_support_needs] = row
    return indexed


def school_years_in(scope: Scope) -> list[int]:
    """Every school year the scope has figures for, oldest first (the choices of a year)."""
    return sorted(
        SummaryFigure.objects.filter(scope=scope.key)
        .values_list("school_year", flat=True)
        .distinct()
    )


def measures_for(scope: Scope) -> list[Measure]:
    return list(Measure.objects.filter(Q(nation__isnull=True) | Q(nation=scope.nation)))


def breakdown_choices(scope: Scope) -> list[tuple[str, str, str]]:
    """Every (breakdown, value, label) with figures in the scope, for the filter."""
    values = (
        SummaryFigure.objects.filter(scope=scope.key)
        .exclude(breakdown=Breakdown.ALL)
        .values_list("breakdown", "breakdown_value")
        .distinct()
    )
    labels = BreakdownLabels(scope)
    choices = [(b, v, labels.label(b, v)) for b, v in values]
    order = {code: position for position, code in enumerate(Breakdown.values)}
    return sorted(choices, key=lambda choice: (order.get(choice[0], 99), _natural(choice[1])))


def _natural(value: str) -> tuple[int, str]:
    return (int(value), "") if value.isdigit() else (10**6, value)


class BreakdownLabels:
    """Words for a breakdown's coded values, in the reader's language."""

    # A learner with no stage decision, or no decile or language recorded.
    NOT_RECORDED = {
        "none": gettext_lazy("No stage recorded"),
        "unknown": gettext_lazy("Not recorded"),
    }
    NO_PLAN = gettext_lazy("No plan")

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self._reasons: dict[str, str] | None = None
        self._plan_types: dict[str, str] | None = None

    def label(self, breakdown: str, value: str) -> str:
        heading = str(Breakdown(breakdown).label) if breakdown in Breakdown.values else breakdown
        if breakdown == Breakdown.ALL:
            return _("All learners")
        return _("%(breakdown)s: %(value)s") % {
            "breakdown": heading,
            "value": self.value_label(breakdown, value),
        }

    def value_label(self, breakdown: str, value: str) -> str:
        if breakdown == Breakdown.REASON_FOR_SUPPORT:
            if self._reasons is None:
                self._reasons = {
                    reason.code: reason.display_label
                    for reason in ReasonForSupport.objects.filter(nation=self.scope.nation)
                }
            return self._reasons.get(value, value)
        simple: dict[str, dict[str, Any]] = {
            Breakdown.SEX: dict(Sex.choices),
            Breakdown.NATIONAL_STAGE: dict(NationalStage.choices),
            Breakdown.LOOKED_AFTER: {"yes": _("Looked after"), "no": _("Not looked after")},
            Breakdown.HOME_LANGUAGE: {
                "english": _("English"),
                "welsh": _("Welsh"),
                "other": _("Another language"),
            },
            Breakdown.WELSH_MEDIUM: {
                "yes": _("Welsh-medium"),
                "no": _("Not Welsh-medium"),
                **dict(LanguageMedium.choices),
            },
        }
        if breakdown == Breakdown.PLAN_TYPE:
            if self._plan_types is None:
                self._plan_types = {
                    plan_type.key: plan_type.display_name
                    for plan_type in PlanType.objects.filter(nation=self.scope.nation)
                }
            return str(self._plan_types.get(value, self.NO_PLAN if value == NO_PLAN else value))
        if value in ("none", "unknown"):
            return str(self.NOT_RECORDED[value])
        if breakdown in simple:
            return str(simple[breakdown].get(value, value))
        if breakdown == Breakdown.DEPRIVATION_DECILE:
            return _("decile %(decile)s") % {"decile": value} if value.isdigit() else value
        return value


def inner_scopes(scope: Scope) -> dict[str, tuple[str, str, str]]:
    """The scopes inside `scope`, by scope key: (name, level, address key), in name order."""
    if scope.level == ScopeLevel.NATION:
        authorities = LocalAuthority.objects.filter(nation=scope.nation).order_by("name")
        return {f"authority:{a.pk}": (str(a), ScopeLevel.AUTHORITY, a.code) for a in authorities}
    if scope.level == ScopeLevel.AUTHORITY:
        settings = Setting.objects.filter(authority=scope.authority).order_by("name")
        return {f"school:{s.pk}": (str(s), ScopeLevel.SCHOOL, str(s.pk)) for s in settings}
    return {}


def dashboard_get(
    *,
    access: Access,
    school_year: int | None = None,
    breakdown: str = Breakdown.ALL,
    breakdown_value: str = "",
    measure: Measure | None = None,
    by: str = "",
) -> Dashboard:
    """The figures for the scope's dashboard (every measure), or for one measure's own page
    (with the inner scopes compared and, `by` a breakdown, the figure for each of its values).
    `breakdown` and `breakdown_value` choose the learners every other figure is about."""
    scope = access.scope
    measures = [measure] if measure is not None else measures_for(scope)
    measure_ids = [m.pk for m in measures]
    selection = {
        "measure_id__in": measure_ids,
        "breakdown": breakdown,
        "breakdown_value": breakdown_value,
    }
    own_rows = list(_read(scope=scope.key, **selection))
    school_years = sorted({row.school_year for row in own_rows})
    if school_year is None or school_year not in school_years:
        school_year = school_years[-1] if school_years else None
    own = _index(own_rows)
    if school_year is None:
        # Nothing yet for these learners in this scope: the page says so.
        return Dashboard(
            access=access,
            school_year=None,
            school_years=[],
            breakdown=breakdown,
            breakdown_value=breakdown_value,
            filter_label=BreakdownLabels(scope).label(breakdown, breakdown_value),
            principles=[],
        )
    wider_scopes = scope.parents()
    wider = _index(
        _read(scope__in=[w.key for w in wider_scopes], school_year=school_year, **selection)
    )
    children = inner_scopes(scope) if measure is not None else {}
    inner = (
        _index(_read(scope__in=list(children), school_year=school_year, **selection))
        if children
        else {}
    )
    by_rows = (
        _index(
            _read(
                scope=scope.key, measure_id__in=measure_ids, school_year=school_year, breakdown=by
            )
        )
        if measure is not None and by and by != Breakdown.ALL
        else {}
    )
    by_values = sorted({key[3] for key in by_rows}, key=_natural)
    labels = BreakdownLabels(scope)

    def pair(
        rows: dict[RowKey, dict[bool, SummaryFigure]], key: RowKey, unit: str, suppressed: bool
    ) -> Pair:
        return _pair(rows.get(key, {}), unit, suppressed=suppressed)

    by_principle: dict[str, list[MeasureFigures]] = defaultdict(list)
    for each in measures:
        figures = MeasureFigures(measure=each)
        hidden = access.suppressed
        year = school_year
        figures.this_year = pair(
            own, (scope.key, each.pk, year, breakdown_value), each.unit, hidden
        )
        figures.trend = [
            (y, pair(own, (scope.key, each.pk, y, breakdown_value), each.unit, hidden))
            for y in school_years
        ]
        # A wider scope's figures are outside the actor's own: always through disclosure.
        figures.wider = [
            (w, pair(wider, (w.key, each.pk, year, breakdown_value), each.unit, True))
            for w in wider_scopes
        ]
        figures.compared = [
            ComparedRow(
                name,
                level,
                address,
                pair(inner, (key, each.pk, year, breakdown_value), each.unit, hidden),
            )
            for key, (name, level, address) in children.items()
        ]
        figures.by_value = [
            (
                labels.value_label(by, value),
                pair(by_rows, (scope.key, each.pk, year, value), each.unit, hidden),
            )
            for value in by_values
        ]
        by_principle[each.principle].append(figures)
    return Dashboard(
        access=access,
        school_year=school_year,
        school_years=school_years,
        breakdown=breakdown,
        breakdown_value=breakdown_value,
        filter_label=labels.label(breakdown, breakdown_value),
        principles=[
            PrincipleFigures(principle, str(label), by_principle[principle])
            for principle, label in Principle.choices
            if by_principle.get(principle)
        ],
    )
