"""Summary figures written as the refresh task (measurement/refresh.py) leaves them, for tests
of what reads them: dashboards, reports, exports."""

from django.utils import timezone

from stagewise.measurement.models import Measure, ScopeLevel, SummaryFigure
from stagewise.measurement.models.summaries import scope_key
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
