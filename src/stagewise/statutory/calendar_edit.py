"""Changing an authority's school calendar in the app: adding, changing and deleting a term or a
closure, and uploading a calendar file. Each change is checked as an import checks it, saved in one
transaction with its history and an audit event, and then gives a date to the authority's clocks
that were waiting for a calendar."""

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record, audit_value
from stagewise.organisations.models import LocalAuthority, Setting
from stagewise.policy import SYSTEM, Capability, require
from stagewise.statutory.calendar_import import (
    CalendarImportResult,
    calendar_import,
    fit_problems,
    period_problems,
)
from stagewise.statutory.models import (
    OPEN_PROCESS_STATUSES,
    CalendarPeriodKind,
    SchoolCalendarPeriod,
    StatutoryProcess,
)

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor

AUDITED_FIELDS = ("academic_year", "kind", "first_day", "last_day", "description", "setting")
SOURCE = "Entered in Stagewise"


def _snapshot(period: SchoolCalendarPeriod) -> dict[str, object]:
    return {
        "academic_year": period.academic_year,
        "kind": period.kind,
        "first_day": audit_value(period.first_day),
        "last_day": audit_value(period.last_day),
        "description": period.description,
        "setting": period.setting.name if period.setting_id and period.setting else None,
    }


def _year_periods(
    authority: LocalAuthority, academic_year: str, *, leaving_out: int | None = None
) -> list[SchoolCalendarPeriod]:
    periods = SchoolCalendarPeriod.objects.filter(
        authority=authority, academic_year=academic_year
    ).select_related("setting")
    if leaving_out is not None:
        periods = periods.exclude(pk=leaving_out)
    return list(periods)


def _stranded_closures(
    authority_terms: list[SchoolCalendarPeriod], others: list[SchoolCalendarPeriod]
) -> list[str]:
    """Closures that would no longer sit inside any term once the terms are as given."""
    problems = []
    for closure in others:
        if closure.kind != CalendarPeriodKind.CLOSURE:
            continue
        if fit_problems(closure, list(authority_terms)):
            problems.append(
                _(
                    "The closure %(first)s to %(last)s%(where)s would be outside every term: "
                    "change or delete it first."
                )
                % {
                    "first": closure.first_day.isoformat(),
                    "last": closure.last_day.isoformat(),
                    "where": f" ({closure.setting.name})" if closure.setting else "",
                }
            )
    return problems


def _check(period: SchoolCalendarPeriod) -> None:
    if period.setting is not None and period.setting.authority_id != period.authority_id:
        raise ValidationError(
            {
                "setting": _("%(setting)s is not in %(authority)s.")
                % {"setting": period.setting.name, "authority": period.authority.name}
            }
        )
    try:
        period.clean_fields(exclude=["authority", "setting", "source"])
    except ValidationError as error:
        raise ValidationError(error.message_dict) from None
    others = _year_periods(period.authority, period.academic_year, leaving_out=period.pk)
    problems = period_problems(period, others)
    if not problems and period.kind == CalendarPeriodKind.TERM:
        terms = [p for p in others if p.kind == CalendarPeriodKind.TERM and p.setting_id is None]
        problems = _stranded_closures([*terms, period], others)
    if problems:
        raise ValidationError(problems)


def calendar_dates_refresh(*, authority: LocalAuthority) -> int:
    """Give a date to the authority's open clocks that were waiting for a calendar; how many now
    have one."""
    # Imported here: the clock services import this app's selectors, which this module does not.
    from stagewise.statutory.services import process_dates_refresh

    dated = 0
    waiting = StatutoryProcess.objects.filter(
        authority=authority, status__in=OPEN_PROCESS_STATUSES, due_on__isnull=True
    ).order_by("pk")
    for process in waiting:
        if process_dates_refresh(actor=SYSTEM, process=process).due_on is not None:
            dated += 1
    return dated


def _audit(
    actor: "Actor", action: str, period: SchoolCalendarPeriod, changes: dict[str, list[object]]
) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type="school_calendar_period",
        object_id=str(period.pk),
        purpose=f"{action} school calendar period",
        changes=changes | {"authority": [None, period.authority.name]},
    )


@transaction.atomic
def calendar_period_create(
    *,
    actor: "Actor",
    authority: LocalAuthority,
    academic_year: str,
    kind: str,
    first_day: date,
    last_day: date,
    setting: Setting | None = None,
    description: str = "",
) -> SchoolCalendarPeriod:
    """Add a term (the whole authority) or a closure (the authority, or one school)."""
    require(actor, Capability.ADMINISTER_ORGANISATIONS)
    period = SchoolCalendarPeriod(
        authority=authority,
        setting=setting,
        academic_year=academic_year.strip(),
        kind=kind,
        first_day=first_day,
        last_day=last_day,
        description=description.strip(),
        source=SOURCE,
    )
    _check(period)
    period._history_user = actor.user  # type: ignore[attr-defined]
    period.save()
    _audit(
        actor,
        AuditAction.CREATE,
        period,
        {field: [None, value] for field, value in _snapshot(period).items()},
    )
    calendar_dates_refresh(authority=authority)
    return period


@transaction.atomic
def calendar_period_update(
    *,
    actor: "Actor",
    period: SchoolCalendarPeriod,
    academic_year: str,
    kind: str,
    first_day: date,
    last_day: date,
    setting: Setting | None = None,
    description: str = "",
) -> SchoolCalendarPeriod:
    require(actor, Capability.ADMINISTER_ORGANISATIONS)
    locked = (
        SchoolCalendarPeriod.objects.select_for_update(of=("self",))
        .select_related("authority", "setting")
        .get(pk=period.pk)
    )
    before = _snapshot(locked)
    old_year = locked.academic_year
    locked.academic_year = academic_year.strip()
    locked.kind = kind
    locked.first_day = first_day
    locked.last_day = last_day
    locked.setting = setting
    locked.description = description.strip()
    _check(locked)
    if old_year != locked.academic_year:
        # Moving a term out of its year must not strand that year's closures either.
        remaining = _year_periods(locked.authority, old_year, leaving_out=locked.pk)
        terms = [p for p in remaining if p.kind == CalendarPeriodKind.TERM and not p.setting_id]
        problems = _stranded_closures(terms, remaining)
        if problems:
            raise ValidationError(problems)
    locked.source = SOURCE
    locked._history_user = actor.user  # type: ignore[attr-defined]
    locked.save()
    after = _snapshot(locked)
    _audit(
        actor,
        AuditAction.UPDATE,
        locked,
        {
            field: [before[field], after[field]]
            for field in AUDITED_FIELDS
            if before[field] != after[field]
        },
    )
    calendar_dates_refresh(authority=locked.authority)
    return locked


@transaction.atomic
def calendar_period_delete(*, actor: "Actor", period: SchoolCalendarPeriod) -> None:
    """Delete a term or closure; a term cannot go while a closure sits only inside it."""
    require(actor, Capability.ADMINISTER_ORGANISATIONS)
    locked = (
        SchoolCalendarPeriod.objects.select_for_update(of=("self",))
        .select_related("authority", "setting")
        .get(pk=period.pk)
    )
    if locked.kind == CalendarPeriodKind.TERM and locked.setting_id is None:
        remaining = _year_periods(locked.authority, locked.academic_year, leaving_out=locked.pk)
        terms = [p for p in remaining if p.kind == CalendarPeriodKind.TERM and not p.setting_id]
        problems = _stranded_closures(terms, remaining)
        if problems:
            raise ValidationError(problems)
    before = _snapshot(locked)
    _audit(
        actor,
        AuditAction.DELETE,
        locked,
        {field: [value, None] for field, value in before.items()},
    )
    locked._history_user = actor.user  # type: ignore[attr-defined]
    locked.delete()


def calendar_upload(*, actor: "Actor", lines: Iterable[str]) -> CalendarImportResult:
    """Load a calendar file (all or nothing, CalendarImportRefused lists its problems by line),
    audit it, and give a date to the waiting clocks of every authority the file loaded."""
    require(actor, Capability.ADMINISTER_ORGANISATIONS)
    with transaction.atomic():
        last_before = SchoolCalendarPeriod.objects.order_by("-pk").values_list("pk", flat=True)
        newest = last_before.first() or 0
        result = calendar_import(actor=actor, rows=lines)
        # The import replaces each calendar it holds, so every period it loaded is a new row.
        authorities = LocalAuthority.objects.filter(
            pk__in=SchoolCalendarPeriod.objects.filter(pk__gt=newest).values("authority_id")
        ).order_by("name")
        names = [authority.name for authority in authorities]
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="school_calendar",
            object_id=",".join(str(authority.pk) for authority in authorities)[:64],
            purpose="import school calendar file",
            changes={
                "periods": [None, result.periods],
                "calendars": [None, result.groups],
                "authorities": [None, names],
            },
        )
        for authority in authorities:
            calendar_dates_refresh(authority=authority)
    return result
