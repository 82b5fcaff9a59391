"""Summary figures written as the refresh task (measurement/refresh.py) leaves them, for tests
of what reads them: dashboards, reports, exports."""

from django.utils import timezone

from stagewise.measurement.models import (
    ConsistencyFigure,
    DepartureFigure,
    Grouping,
    Measure,
    MeasureRefresh,
    ScopeLevel,
    SummaryFigure,
)
from stagewise.measurement.models.summaries import scope_key
from stagewise.measurement.refresh_consistency import collapsed_figures_insert
from stagewise.organisations.models import LocalAuthority, Nation, Setting


def summary(
    organisation: Setting | LocalAuthority | Nation,
    code: str,
    year: int,
    *,
    needs: bool,
    learners: int,
    numerator: int,
    denominator: int,
    breakdown: str = "all",
    value: str = "",
) -> SummaryFigure:
    if isinstance(organisation, Setting):
        level, nation = ScopeLevel.SCHOOL, organisation.authority.nation
        fields = {"setting": organisation, "authority": organisation.authority}
        key = scope_key(level, setting_id=organisation.pk)
    elif isinstance(organisation, LocalAuthority):
        level, nation = ScopeLevel.AUTHORITY, organisation.nation
        fields = {"authority": organisation}
        key = scope_key(level, authority_id=organisation.pk)
    else:
        level, nation, fields = ScopeLevel.NATION, organisation, {}
        key = scope_key(level, nation_code=organisation.code)
    return SummaryFigure.objects.create(
        level=level,
        scope=key,
        nation=nation,
        measure=Measure.objects.get(code=code),
        school_year=year,
        breakdown=breakdown,
        breakdown_value=value,
        additional_support_needs=needs,
        learners=learners,
        numerator=numerator,
        denominator=denominator,
        refreshed_at=timezone.now(),
        **fields,
    )


def consistency_figures(
    organisation: LocalAuthority,
    year: int,
    *,
    reasons: str,
    counts: dict[tuple[str, str], int],
    looked_after: bool = False,
) -> None:
    """An authority's consistency figures, and its nation's row for each, as the refresh leaves
    them (measurement/refresh_consistency.py): `counts` by (national stage, plan type), for
    learners with needs with `reasons`, any wellbeing and attendance. Marks the year refreshed."""
    now = timezone.now()
    for (stage, plan_type), learners in counts.items():
        for level, key, authority in (
            (
                ScopeLevel.AUTHORITY,
                scope_key(ScopeLevel.AUTHORITY, authority_id=organisation.pk),
                organisation,
            ),
            (
                ScopeLevel.NATION,
                scope_key(ScopeLevel.NATION, nation_code=organisation.nation.code),
                None,
            ),
        ):
            ConsistencyFigure.objects.create(
                level=level,
                scope=key,
                nation=organisation.nation,
                authority=authority,
                school_year=year,
                reasons=reasons,
                wellbeing_band="not_assessed",
                attendance_band="90_or_more",
                national_stage=stage,
                plan_type=plan_type,
                looked_after=looked_after,
                additional_support_needs=True,
                learners=learners,
                refreshed_at=now,
            )
    # The collapsed rows again, from every profile row written so far.
    ConsistencyFigure.objects.filter(school_year=year).exclude(grouping=Grouping.PROFILE).delete()
    collapsed_figures_insert(year, now)
    MeasureRefresh.objects.get_or_create(
        school_year=year, defaults={"fingerprint": "{}", "refreshed_at": now}
    )


def departure_figures(
    organisation: LocalAuthority | Setting,
    year: int,
    counts: dict[tuple[str, bool, str, str], int],
) -> None:
    """An authority's or a school's departure figures as the refresh leaves them
    (measurement/refresh_departures.py), and the levels above them: `counts` by (decision,
    departs, direction, kind), e.g. ("stage", True, "higher", "views")."""
    school = organisation if isinstance(organisation, Setting) else None
    authority = school.authority if school else organisation
    assert isinstance(authority, LocalAuthority)
    levels: list[tuple[str, str, LocalAuthority | None, Setting | None]] = [
        (
            ScopeLevel.AUTHORITY,
            scope_key(ScopeLevel.AUTHORITY, authority_id=authority.pk),
            authority,
            None,
        ),
        (
            ScopeLevel.NATION,
            scope_key(ScopeLevel.NATION, nation_code=authority.nation.code),
            None,
            None,
        ),
    ]
    if school is not None:
        levels.append(
            (
                ScopeLevel.SCHOOL,
                scope_key(ScopeLevel.SCHOOL, setting_id=school.pk),
                authority,
                school,
            )
        )
    now = timezone.now()
    for (decision, departs, direction, kind), decisions in counts.items():
        for level, key, in_authority, setting in levels:
            DepartureFigure.objects.create(
                level=level,
                scope=key,
                nation=authority.nation,
                authority=in_authority,
                setting=setting,
                school_year=year,
                decision=decision,
                departs=departs,
                direction=direction,
                kind=kind,
                decisions=decisions,
                refreshed_at=now,
            )
