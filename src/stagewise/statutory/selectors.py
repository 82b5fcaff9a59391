from datetime import date

from django.db.models import QuerySet

from stagewise.organisations.models import LocalAuthority, Nation, Setting
from stagewise.statutory.calendar import BankHolidays, SchoolCalendar, Unit, due_date
from stagewise.statutory.models import (
    AuthorityStageModel,
    BankHoliday,
    CalendarPeriodKind,
    LocalStage,
    ReasonForSupport,
    SchoolCalendarPeriod,
    StageModel,
    StatutoryTimescale,
)


def stage_model_for(authority: LocalAuthority) -> StageModel:
    """The authority's own model, or its nation's default (the shared frame)."""
    chosen = (
        AuthorityStageModel.objects.filter(authority=authority)
        .select_related("stage_model")
        .first()
    )
    if chosen is not None:
        return chosen.stage_model
    return StageModel.objects.get(nation_id=authority.nation_id, is_default=True)


def stage_list(authority: LocalAuthority) -> QuerySet[LocalStage]:
    return stage_model_for(authority).stages.order_by("order")


def reason_list(nation_id: int) -> QuerySet[ReasonForSupport]:
    return ReasonForSupport.objects.filter(nation_id=nation_id, active=True).order_by("code")


class DeadlineRefused(ValueError):
    """The question cannot be asked as put: an unknown rule, a school outside the authority
    given, or school days with no calendar to count them on."""


def timescale_in_force(rule_key: str, start: date) -> StatutoryTimescale:
    """The version of a rule that governs a clock started on `start`: the latest one in force on
    that day, so a correction applies only to clocks started after it takes effect."""
    versions = list(StatutoryTimescale.objects.filter(key=rule_key).select_related("nation"))
    if not versions:
        raise DeadlineRefused(
            f"There is no rule {rule_key!r}: `stagewise deadline --list` shows every rule key."
        )
    in_force = [v for v in versions if v.effective_from is None or v.effective_from <= start]
    if not in_force:
        first = min(v.effective_from for v in versions if v.effective_from is not None)
        raise DeadlineRefused(
            f"The rule {rule_key} takes effect on {first.isoformat()}, after {start.isoformat()}."
        )
    return max(in_force, key=lambda v: v.effective_from or date.min)


def school_calendar_for(
    authority: LocalAuthority, setting: Setting | None = None
) -> SchoolCalendar:
    """The authority's terms minus its closures and the school's own, for every academic year
    in which the authority's terms are loaded."""
    periods = SchoolCalendarPeriod.objects.filter(authority=authority)
    if setting is not None:
        periods = periods.filter(setting__isnull=True) | periods.filter(setting=setting)
    else:
        periods = periods.filter(setting__isnull=True)
    terms = []
    closures = []
    for period in periods:
        span = (period.first_day, period.last_day)
        if period.kind == CalendarPeriodKind.TERM and period.setting_id is None:
            terms.append(span)
        elif period.kind == CalendarPeriodKind.CLOSURE:
            closures.append(span)
    loaded_years = set(
        SchoolCalendarPeriod.objects.filter(
            authority=authority, setting__isnull=True, kind=CalendarPeriodKind.TERM
        ).values_list("academic_year", flat=True)
    )
    return SchoolCalendar.build(
        place=authority.name, terms=terms, closures=closures, loaded_years=loaded_years
    )


def bank_holidays_for(nation: Nation) -> BankHolidays:
    """The nation's bank holidays as loaded (Wales: England and Wales's list)."""
    return BankHolidays.build(
        nation=nation.name,
        days=BankHoliday.objects.filter(nation=nation).values_list("day", flat=True),
    )


def deadline_for(
    *,
    rule_key: str,
    start: date,
    setting: Setting | None = None,
    authority: LocalAuthority | None = None,
) -> date:
    """When the rule's clock started on `start` (for a rule that counts back, the event) falls
    due, on the school's calendar for school days. Raises CalendarNotLoaded when a calendar it
    needs is missing, DeadlineRefused when the question does not fit the rule. Whether the rule
    applies to the learner's nation is for the caller that opens the clock to decide."""
    rule = timescale_in_force(rule_key, start)
    if setting is not None:
        if authority is not None and setting.authority_id != authority.pk:
            raise DeadlineRefused(f"{setting.name} is not in {authority.name}.")
        authority = setting.authority
    school_calendar = None
    if rule.unit == Unit.SCHOOL_DAYS:
        if authority is None:
            raise DeadlineRefused(
                f"The rule {rule.key} counts school days: give the authority or the setting "
                "whose calendar to count on."
            )
        school_calendar = school_calendar_for(authority, setting)
    bank_holidays = bank_holidays_for(rule.nation) if rule.unit == Unit.WORKING_DAYS else None
    return due_date(
        start=start,
        unit=rule.unit,
        amount=rule.amount,
        direction=rule.direction,
        school_calendar=school_calendar,
        nation=rule.nation.name,
        bank_holidays=bank_holidays,
    )


def calendar_years(authority: LocalAuthority) -> list[tuple[str, list[SchoolCalendarPeriod]]]:
    """The authority's terms and closures (its own and its schools'), by academic year, latest
    year first, each year in date order. For the administration pages: no learner data."""
    years: dict[str, list[SchoolCalendarPeriod]] = {}
    periods = (
        SchoolCalendarPeriod.objects.filter(authority=authority)
        .select_related("setting")
        .order_by("-academic_year", "first_day", "kind", "pk")
    )
    for period in periods:
        years.setdefault(period.academic_year, []).append(period)
    return list(years.items())
