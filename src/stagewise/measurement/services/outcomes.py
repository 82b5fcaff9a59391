"""Every write to a learner's outcome records, as staff enter them in the app: record one of each
kind, change one, remove one. Each requires RECORD_OUTCOMES for the learner first, runs in one
transaction, checks the record as the imports do (measurement/validation.outcome_check) and is
audited. A new record belongs to the setting the learner is enrolled at now; a changed one keeps
the setting that recorded it."""

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.learners.access import require_for_learner
from stagewise.learners.models import Learner
from stagewise.learners.services.record import learner_current_enrolment
from stagewise.measurement.models import (
    AttendanceRecord,
    CurriculumJudgement,
    Exclusion,
    LeaverDestination,
    MainstreamTime,
    PartTimeTimetable,
    Qualification,
)
from stagewise.measurement.models.outcomes import OutcomeRecord
from stagewise.measurement.outcome_kinds import kind_of
from stagewise.measurement.validation import outcome_check
from stagewise.policy import Capability, SystemProcess

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor

    AnyActor = Actor | SystemProcess | None

# What a record is read with: its learner, and the nation its setting's code lists belong to.
WITH_LEARNER = ("learner", "setting__authority__nation")
# What staff may change of each kind of record: everything they typed, nothing derived.
CHANGEABLE_FIELDS: dict[type[OutcomeRecord], tuple[str, ...]] = {
    AttendanceRecord: ("starts_on", "ends_on", "possible_sessions", "attended_sessions"),
    Exclusion: ("excluded_on", "days", "removed_from_register"),
    PartTimeTimetable: ("starts_on", "ends_on", "hours_a_week", "reason", "reason_detail"),
    MainstreamTime: ("school_year", "timetabled_hours_a_week", "mainstream_hours_a_week"),
    CurriculumJudgement: ("school_year", "year_group", "area", "level", "expected_level_achieved"),
    Qualification: ("awarded_on", "title", "framework_level"),
    LeaverDestination: ("left_on", "destination"),
}


def _purpose(verb: str, record: OutcomeRecord) -> str:
    """The purpose the audit names, as "record attendance" or "change curriculum judgement"."""
    return f"{verb} {kind_of(record).replace('-', ' ')}"


def _audit(
    actor: "AnyActor",
    action: str,
    record: Any,
    purpose: str,
    changes: dict[str, Any] | None = None,
) -> None:
    audit_record(
        actor=actor,
        action=action,
        learner=record.learner,
        object_type=kind_of(record),
        object_id=str(record.public_id),
        purpose=purpose,
        changes=changes,
        detail={"school_year": record.school_year, "setting": record.setting_id},
    )


def _lock_learner(learner_id: int) -> None:
    """Writes to one learner's outcomes take turns, so that two at once cannot both pass the
    checks across rows (two overlapping periods, two records for one year)."""
    Learner.objects.select_for_update().filter(pk=learner_id).exists()


def _add[RecordT: OutcomeRecord](actor: "AnyActor", learner: Learner, record: RecordT) -> RecordT:
    """Save a new record for the learner at the setting they are enrolled at, once it passes
    every check; the caller has required the capability."""
    _lock_learner(learner.pk)
    enrolment = learner_current_enrolment(learner)
    if enrolment is None:
        raise ValidationError(
            _(
                "The learner is not enrolled at a school or setting, so there is nowhere to "
                "record this against. Record their enrolment first."
            )
        )
    record.learner = learner  # type: ignore[attr-defined]
    record.setting = enrolment.setting
    record.recorded_by = actor.user if actor else None
    outcome_check(record)
    record.save()
    _audit(actor, AuditAction.CREATE, record, _purpose("record", record))
    return record


@transaction.atomic
def attendance_record(
    *,
    actor: "AnyActor",
    learner: Learner,
    starts_on: date,
    ends_on: date,
    possible_sessions: int,
    attended_sessions: int,
) -> AttendanceRecord:
    """Sessions possible and attended in a period (usually a term), which may not overlap
    another of the learner's periods."""
    require_for_learner(actor, Capability.RECORD_OUTCOMES, learner, "record attendance")
    return _add(
        actor,
        learner,
        AttendanceRecord(
            starts_on=starts_on,
            ends_on=ends_on,
            possible_sessions=possible_sessions,
            attended_sessions=attended_sessions,
        ),
    )


@transaction.atomic
def exclusion_record(
    *,
    actor: "AnyActor",
    learner: Learner,
    excluded_on: date,
    days: Decimal,
    removed_from_register: bool = False,
) -> Exclusion:
    require_for_learner(actor, Capability.RECORD_OUTCOMES, learner, "record exclusion")
    return _add(
        actor,
        learner,
        Exclusion(excluded_on=excluded_on, days=days, removed_from_register=removed_from_register),
    )


@transaction.atomic
def part_time_timetable_record(
    *,
    actor: "AnyActor",
    learner: Learner,
    starts_on: date,
    ends_on: date | None,
    hours_a_week: Decimal,
    reason: str,
    reason_detail: str = "",
) -> PartTimeTimetable:
    require_for_learner(actor, Capability.RECORD_OUTCOMES, learner, "record part time timetable")
    return _add(
        actor,
        learner,
        PartTimeTimetable(
            starts_on=starts_on,
            ends_on=ends_on,
            hours_a_week=hours_a_week,
            reason=reason,
            reason_detail=reason_detail.strip(),
        ),
    )


@transaction.atomic
def mainstream_time_record(
    *,
    actor: "AnyActor",
    learner: Learner,
    school_year: int,
    timetabled_hours_a_week: Decimal,
    mainstream_hours_a_week: Decimal,
) -> MainstreamTime:
    """One record a school year (named by the year it starts in: 2025 is 2025/26)."""
    require_for_learner(actor, Capability.RECORD_OUTCOMES, learner, "record mainstream time")
    return _add(
        actor,
        learner,
        MainstreamTime(
            school_year=school_year,
            timetabled_hours_a_week=timetabled_hours_a_week,
            mainstream_hours_a_week=mainstream_hours_a_week,
        ),
    )


@transaction.atomic
def curriculum_judgement_record(
    *,
    actor: "AnyActor",
    learner: Learner,
    school_year: int,
    year_group: str,
    area: str,
    level: str,
    expected_level_achieved: bool = False,
) -> CurriculumJudgement:
    """One judgement per area a school year, from the code lists of the nation of the learner's
    school. In Scotland whether the expected level was achieved is derived from the level and
    the year group; in Wales it is the teacher's judgement of progress."""
    require_for_learner(actor, Capability.RECORD_OUTCOMES, learner, "record curriculum judgement")
    return _add(
        actor,
        learner,
        CurriculumJudgement(
            school_year=school_year,
            year_group=year_group,
            area=area,
            level=level,
            expected_level_achieved=expected_level_achieved,
        ),
    )


@transaction.atomic
def qualification_record(
    *, actor: "AnyActor", learner: Learner, awarded_on: date, title: str, framework_level: int
) -> Qualification:
    require_for_learner(actor, Capability.RECORD_OUTCOMES, learner, "record qualification")
    return _add(
        actor,
        learner,
        Qualification(awarded_on=awarded_on, title=title.strip(), framework_level=framework_level),
    )


@transaction.atomic
def leaver_destination_record(
    *, actor: "AnyActor", learner: Learner, left_on: date, destination: str
) -> LeaverDestination:
    """Where the learner went on leaving school: one for each learner."""
    require_for_learner(actor, Capability.RECORD_OUTCOMES, learner, "record leaver destination")
    return _add(actor, learner, LeaverDestination(left_on=left_on, destination=destination))


def _locked[RecordT: OutcomeRecord](record: RecordT) -> RecordT:
    return (
        type(record)
        ._default_manager.select_for_update()
        .select_related(*WITH_LEARNER)
        # One of the kinds, whose learner is its own field (the abstract model has none).
        .get(pk=record.pk)
    )


@transaction.atomic
def outcome_change[RecordT: OutcomeRecord](
    *, actor: "AnyActor", record: RecordT, **values: Any
) -> RecordT:
    """Change what staff typed of any kind of outcome record (CHANGEABLE_FIELDS), with the same
    checks as recording it; its setting stays the one that recorded it."""
    purpose = _purpose("change", record)
    require_for_learner(actor, Capability.RECORD_OUTCOMES, record.learner, purpose)  # type: ignore[attr-defined]
    changeable = CHANGEABLE_FIELDS[type(record)]
    unknown = set(values) - set(changeable)
    if unknown:
        raise ValueError(f"Not changeable: {', '.join(sorted(unknown))}")
    _lock_learner(record.learner_id)  # type: ignore[attr-defined]
    locked = _locked(record)
    before = {name: getattr(locked, name) for name in values}
    for name, value in values.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    outcome_check(locked)
    locked.save()
    changes = {
        name: [str(before[name]), str(getattr(locked, name))]
        for name in values
        if before[name] != getattr(locked, name)
    }
    _audit(actor, AuditAction.UPDATE, locked, purpose, changes)
    return locked


@transaction.atomic
def outcome_remove(*, actor: "AnyActor", record: OutcomeRecord) -> None:
    """Remove an outcome record entered in error (of any kind); the audit keeps that it was."""
    purpose = _purpose("remove", record)
    require_for_learner(actor, Capability.RECORD_OUTCOMES, record.learner, purpose)  # type: ignore[attr-defined]
    locked = _locked(record)
    _audit(actor, AuditAction.DELETE, locked, purpose)
    locked.delete()
