"""The consistency report (issue 16 item 4; ADR 0048): for learners with similar needs profiles,
how stages and plans are distributed, compared across the authorities of a nation (the national
analyst) or the schools of an authority (its officer); and the statutory plans per authority.

Read only from ConsistencyFigure (refreshed by the task, measurement/refresh_consistency.py),
in a fixed number of queries whatever the number of authorities or schools. The analyst's
figures leave the authorities, so every count passes through `stagewise.disclosure` first: the
distributions as tables with their totals (secondary suppression), the per-authority counts as
columns with their national total, and every share or rate from the published counts only.
Inside their own authority an officer sees every count as it is.

Departures from the suggestion and their kinds of reason (`ConsistencyReport.departures`) are
read from a summary of their own, refreshed with these (measurement/consistency_departures.py).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Q, Sum
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from stagewise.accounts.actors import Actor
from stagewise.disclosure import (
    Figure,
    protect_table,
    protected_per_thousand,
    protected_percentage,
    shown,
)
from stagewise.measurement.consistency_considerations import ConsiderationRow, consideration_rows
from stagewise.measurement.consistency_departures import Departures, departures_get
from stagewise.measurement.dashboards import BreakdownLabels, inner_scopes
from stagewise.measurement.models import (
    Breakdown,
    ConsistencyFigure,
    Grouping,
    MeasureRefresh,
    ScopeLevel,
)
from stagewise.measurement.periods import school_year_label
from stagewise.measurement.profile_bands import ALL_ATTENDANCE_BANDS, ALL_WELLBEING_BANDS
from stagewise.measurement.refresh_roll import NO_PLAN, NO_STAGE
from stagewise.measurement.scopes import Scope
from stagewise.organisations.models import LocalAuthority, Nation
from stagewise.policy import Capability, NationPolicy, may, nation_policy
from stagewise.statutory.models import NationalStage

# How many reason sets the profile choice offers, the commonest first.
PROFILE_CHOICES = 40
STAGE_COLUMNS = [NO_STAGE, *NationalStage.values]


@dataclass(frozen=True)
class ConsistencyAccess:
    """The scope the report is about, the level it compares, and whether its figures leave the
    authority (and so pass through disclosure control)."""

    scope: Scope
    compared: ScopeLevel
    suppressed: bool


def consistency_access(actor: Actor | None) -> ConsistencyAccess:
    """The analyst's nation (authorities compared) or the officer's authority (its schools
    compared); 404 for anyone else."""
    membership = actor.membership if actor else None
    if membership is not None:
        if may(actor, Capability.VIEW_NATIONAL_FIGURES) and membership.nation_id:
            nation = Nation.objects.get(pk=membership.nation_id)
            return ConsistencyAccess(
                Scope(ScopeLevel.NATION, nation), ScopeLevel.AUTHORITY, suppressed=True
            )
        if may(actor, Capability.VIEW_AUTHORITY_MEASURES) and membership.authority_id:
            authority = LocalAuthority.objects.select_related("nation").get(
                pk=membership.authority_id
            )
            return ConsistencyAccess(
                Scope(ScopeLevel.AUTHORITY, authority.nation, authority),
                ScopeLevel.SCHOOL,
                suppressed=False,
            )
    raise Http404


@dataclass(frozen=True)
class Profile:
    """A needs profile: the same reasons for support; a band left empty is any band."""

    reasons: str
    wellbeing_band: str = ""
    attendance_band: str = ""


@dataclass
class DistributionRow:
    name: str
    cells: list[Figure]
    total: Figure
    # Each cell as a whole-number percentage of the row's total (withheld with either).
    shares: list[Figure]


@dataclass
class Distribution:
    columns: list[str]
    rows: list[DistributionRow]
    totals: list[Figure]
    grand_total: Figure


@dataclass
class PlanRow:
    name: str
    learners: Figure
    with_needs: Figure
    needs_share: Figure
    coordinated: Figure
    coordinated_per_thousand: Figure
    looked_after: Figure
    coordinated_looked_after: Figure
    looked_after_share: Figure
    with_kept_plan: Figure
    kept_plan_share: Figure
    # Per keeper (school, authority): learners whose plan it keeps, and their share of those
    # with a kept plan.
    keepers: list[tuple[Figure, Figure]]


@dataclass
class ConsistencyReport:
    access: ConsistencyAccess
    school_year: int
    profile: Profile
    reasons_label: str
    stages: Distribution
    plan_types: Distribution
    plans: list[PlanRow]
    plans_total: PlanRow | None
    nation: NationPolicy
    keeper_labels: list[str]
    # Departures from decision support's suggestion, and their kinds (consistency_departures.py).
    departures: "Departures | None" = None
    compared_level_label: str = ""
    # Where the report, and what is rendered from it, is kept until the next refresh.
    cache_key: str = ""
    # Looked-after children considered for a co-ordinated support plan (ADR 0049).
    considerations: list[ConsiderationRow] = field(default_factory=list)

    @property
    def school_year_label(self) -> str:
        return school_year_label(self.school_year)


def _within(access: ConsistencyAccess, grouping: Grouping) -> Q:
    """The compared scopes' rows of a grouping: by the nation for the analyst, by the authority
    for the officer (each an index's first column)."""
    scope = access.scope
    condition = Q(level=access.compared, grouping=grouping)
    if scope.authority is not None:
        return condition & Q(authority=scope.authority)
    return condition & Q(nation=scope.nation)


@dataclass(frozen=True)
class Refreshed:
    """The school years refreshed (each has its consistency figures), oldest first, and when the
    figures last changed: read from the refresh's own record, a row a year."""

    school_years: list[int]
    stamp: str


def refreshed() -> Refreshed:
    rows = list(
        MeasureRefresh.objects.order_by("school_year").values_list("school_year", "refreshed_at")
    )
    return Refreshed([year for year, _at in rows], max((str(at) for _year, at in rows), default=""))


def profile_choices(
    access: ConsistencyAccess, school_year: int, labels: BreakdownLabels
) -> list[tuple[str, str]]:
    """The reason sets of learners with needs in the scope that year, the commonest first,
    as (key, the reasons named)."""
    sets = (
        ConsistencyFigure.objects.filter(
            Q(authority=access.scope.authority)
            if access.scope.authority
            else Q(nation=access.scope.nation),
            school_year=school_year,
            level=access.scope.level,
            grouping=Grouping.REASON_SETS,
            scope=access.scope.key,
            additional_support_needs=True,
        )
        .exclude(reasons="")
        .values("reasons", "learners")
        .order_by("-learners", "reasons")[:PROFILE_CHOICES]
    )
    return [(row["reasons"], reasons_named(row["reasons"], labels)) for row in sets]


def reasons_named(key: str, labels: BreakdownLabels) -> str:
    return "; ".join(labels.value_label(Breakdown.REASON_FOR_SUPPORT, code) for code in key.split())


def _distribution(
    counts: dict[str, dict[str, int]],
    names: dict[str, str],
    columns: list[str],
    *,
    suppressed: bool,
) -> Distribution:
    """Rows (compared scopes, with any learners) by columns, with totals: protected when the
    figures leave the authority."""
    keys = [key for key in names if sum(counts.get(key, {}).values())]
    cells = [[counts[key].get(column, 0) for column in columns] for key in keys]
    if suppressed and cells:
        table = protect_table(cells, row_totals=True, column_totals=True, grand_total=True)
        assert table.row_totals is not None and table.column_totals is not None
        assert table.grand_total is not None
        figures = [list(row) for row in table.cells]
        row_totals, totals, grand = (
            list(table.row_totals),
            list(table.column_totals),
            table.grand_total,
        )
    else:
        figures = [[shown(value) for value in row] for row in cells]
        row_totals = [shown(sum(row)) for row in cells]
        totals = [shown(sum(row[j] for row in cells)) for j in range(len(columns))]
        grand = shown(sum(map(sum, cells)))
    rows = [
        DistributionRow(
            names[key],
            figures[i],
            row_totals[i],
            [protected_percentage(cell, row_totals[i]) for cell in figures[i]],
        )
        for i, key in enumerate(keys)
    ]
    return Distribution(columns, rows, totals, grand)


def _column(
    counts: dict[str, list[int]], index: int, keys: list[str], suppressed: bool
) -> list[Figure]:
    """One count per compared scope, and their total last: protected as a column with its
    total, so that no withheld count is the total less the others."""
    values = [counts[key][index] for key in keys]
    if not suppressed:
        return [shown(value) for value in [*values, sum(values)]]
    table = protect_table(
        [[value] for value in values], row_totals=False, column_totals=True, grand_total=False
    )
    assert table.column_totals is not None
    return [row[0] for row in table.cells] + [table.column_totals[0]]


PLAN_COUNTS = [
    "learners",
    "with_needs",
    "coordinated",
    "looked_after",
    "coordinated_looked_after",
    "with_kept_plan",
]


def _plans(
    access: ConsistencyAccess, school_year: int, names: dict[str, str], nation: NationPolicy
) -> tuple[list[PlanRow], PlanRow | None]:
    """Per compared scope, over all learners: needs, the coordinated plan per 1,000 learners
    with needs and per looked-after child, and the plans kept, by whom. One query."""
    coordinated = nation.coordinated_plan_type
    kept = [key for key, _label in nation.kept_plan_types]
    sums: dict[str, Any] = {
        "learners": Sum("learners"),
        "with_needs": Sum("learners", filter=Q(additional_support_needs=True)),
        "coordinated": Sum("learners", filter=Q(plan_type=coordinated)),
        "looked_after": Sum("learners", filter=Q(looked_after=True)),
        "coordinated_looked_after": Sum(
            "learners", filter=Q(plan_type=coordinated, looked_after=True)
        ),
        "with_kept_plan": Sum("learners", filter=Q(plan_type__in=kept)),
        **{f"kept_{i}": Sum("learners", filter=Q(plan_type=key)) for i, key in enumerate(kept)},
    }
    rows = (
        ConsistencyFigure.objects.filter(_within(access, Grouping.PLANS), school_year=school_year)
        .values("scope")
        .annotate(**{f"n_{name}": total for name, total in sums.items()})
        .order_by()
    )
    counts: dict[str, list[int]] = {
        row["scope"]: [
            row[f"n_{name}"] or 0  # type: ignore[literal-required]
            for name in [*PLAN_COUNTS, *(f"kept_{i}" for i in range(len(kept)))]
        ]
        for row in rows
    }
    keys = [key for key in names if key in counts]
    if not keys:
        return [], None
    columns = [
        _column(counts, index, keys, access.suppressed)
        for index in range(len(PLAN_COUNTS) + len(kept))
    ]
    result = []
    for position, name in enumerate([*(names[key] for key in keys), _("Total")]):
        figures = [column[position] for column in columns]
        learners, with_needs, csp, looked_after, csp_looked_after, with_kept = figures[:6]
        keepers = [(figure, protected_percentage(figure, with_kept)) for figure in figures[6:]]
        result.append(
            PlanRow(
                name=name,
                learners=learners,
                with_needs=with_needs,
                needs_share=protected_percentage(with_needs, learners),
                coordinated=csp,
                coordinated_per_thousand=protected_per_thousand(csp, with_needs),
                looked_after=looked_after,
                coordinated_looked_after=csp_looked_after,
                looked_after_share=protected_percentage(csp_looked_after, looked_after),
                with_kept_plan=with_kept,
                kept_plan_share=protected_percentage(with_kept, with_needs),
                keepers=keepers,
            )
        )
    return result[:-1], result[-1]


# How long a report's figures are kept: they are keyed by the refresh that made them, so a
# refresh replaces them at once; this only clears out keys nobody asks for again.
CACHED_FOR = 24 * 60 * 60


def consistency_report_get(
    *,
    access: ConsistencyAccess,
    school_year: int,
    profile: Profile,
    labels: BreakdownLabels,
    stamp: str,
) -> ConsistencyReport:
    """The report, its figures protected once per refresh, profile and language: they change
    only when the refresh does, and protecting the tables is most of a page's work (ADR 0048).
    The cache holds figures that already passed disclosure control, never a raw count that
    leaves an authority."""
    key = report_cache_key(access, stamp, school_year, profile)
    report = cache.get(key)
    if report is None:
        report = _report(access=access, school_year=school_year, profile=profile, labels=labels)
        report.cache_key = key
        cache.set(key, report, CACHED_FOR)
    return report


def report_cache_key(
    access: ConsistencyAccess, stamp: str, school_year: int, profile: Profile
) -> str:
    return cache_key(
        access,
        stamp,
        str(school_year),
        profile.reasons,
        profile.wellbeing_band,
        profile.attendance_band,
    )


def cache_key(access: ConsistencyAccess, stamp: str, *parts: str) -> str:
    """A key for what is worked out from the figures of one refresh, for one reader's scope and
    language (names and labels are in it)."""
    words = ["consistency", access.scope.key, str(access.suppressed), get_language() or ""]
    return ":".join(part.replace(" ", "_") for part in [*words, stamp, *parts])


def profile_choices_cached(
    access: ConsistencyAccess, school_year: int, labels: BreakdownLabels, stamp: str
) -> list[tuple[str, str]]:
    key = cache_key(access, stamp, str(school_year), "choices")
    choices = cache.get(key)
    if choices is None:
        choices = profile_choices(access, school_year, labels)
        cache.set(key, choices, CACHED_FOR)
    return choices


def _report(
    *, access: ConsistencyAccess, school_year: int, profile: Profile, labels: BreakdownLabels
) -> ConsistencyReport:
    names = {key: name for key, (name, _level, _address) in inner_scopes(access.scope).items()}
    condition = Q(reasons=profile.reasons, additional_support_needs=True)
    if profile.wellbeing_band:
        condition &= Q(wellbeing_band=profile.wellbeing_band)
    if profile.attendance_band:
        condition &= Q(attendance_band=profile.attendance_band)
    stage_counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    plan_counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    plan_types: set[str] = set()
    rows = (
        ConsistencyFigure.objects.filter(
            _within(access, Grouping.PROFILE), condition, school_year=school_year
        )
        .values("scope", "national_stage", "plan_type")
        .annotate(learners=Sum("learners"))
        .order_by()
    )
    for row in rows:
        stage_counts[row["scope"]][row["national_stage"]] += row["learners"]
        plan_counts[row["scope"]][row["plan_type"]] += row["learners"]
        plan_types.add(row["plan_type"])
    plan_columns = [NO_PLAN, *sorted(plan_types - {NO_PLAN})]
    nation = nation_policy(access.scope.nation.code)
    plans, plans_total = _plans(access, school_year, names, nation)
    return ConsistencyReport(
        access=access,
        school_year=school_year,
        profile=profile,
        reasons_label=reasons_named(profile.reasons, labels),
        stages=_distribution(stage_counts, names, STAGE_COLUMNS, suppressed=access.suppressed),
        plan_types=_distribution(plan_counts, names, plan_columns, suppressed=access.suppressed),
        plans=plans,
        plans_total=plans_total,
        nation=nation,
        keeper_labels=[str(label) for _key, label in nation.kept_plan_types],
        compared_level_label=str(ScopeLevel(access.compared).label),
        departures=departures_get(access, school_year, names),
        considerations=consideration_rows(access, school_year, names, nation),
    )


def column_labels(columns: list[str], breakdown: str, labels: BreakdownLabels) -> list[str]:
    return [labels.value_label(breakdown, column) for column in columns]


BAND_CHOICES = {
    "wellbeing": [(band.code, band.label) for band in ALL_WELLBEING_BANDS],
    "attendance": [(band.code, band.label) for band in ALL_ATTENDANCE_BANDS],
}
