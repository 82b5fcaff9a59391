"""Every write of a roll import (ADR 0052): an administrator's column mapping; a school's or an
authority's file checked (the dry run); the import confirmed, with the leavers to end; and the
run itself, all or nothing, by the task queue as the person who confirmed it."""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from stagewise.audit.models import AuditAction, AuditEvent, LearnerAuditKey
from stagewise.audit.services import audit_event_build, audit_record
from stagewise.data_protection.retention import years_before
from stagewise.learners.models import (
    Carer,
    Enrolment,
    Learner,
    LearnerCarer,
    StaffRelationship,
)
from stagewise.organisations.models import Membership, Setting
from stagewise.policy import Capability, CapabilityRequired, SystemProcess, require
from stagewise.roll_imports.checking import Action, Check, Line, check_rows
from stagewise.roll_imports.models import (
    MAPPED_FIELDS,
    REQUIRED_FIELDS,
    ColumnMapping,
    RollImport,
    RollImportStatus,
)
from stagewise.roll_imports.reading import read_export
from stagewise.tabular_reading import Problem

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor

BATCH_SIZE = 1_000
# A run that has reported no progress for this long has lost its worker: it may start again.
STALLED_AFTER = timedelta(minutes=10)
# An import checked or stopped and not started again for this long is abandoned: its file, the
# pupils' details as the school's system wrote them, is deleted (ADR 0052, amended).
ABANDONED_AFTER = timedelta(days=7)
# Imports whose file is still kept (the others' is emptied).
KEEPS_ITS_FILE = (
    RollImportStatus.CHECKED,
    RollImportStatus.FAILED,
    RollImportStatus.QUEUED,
    RollImportStatus.RUNNING,
)


@transaction.atomic
def column_mapping_create(
    *,
    actor: "Actor | None",
    name: str,
    columns: dict[str, str],
    date_order: str,
    description: str = "",
    sex_codes: dict[str, str] | None = None,
    relationship_codes: dict[str, str] | None = None,
) -> ColumnMapping:
    """An administrator adds a way to read another kind of export."""
    require(actor, Capability.ADMINISTER_ORGANISATIONS)
    mapping = ColumnMapping(
        created_by=actor.user if actor is not None else None,
        sex_codes=sex_codes or {},
        relationship_codes=relationship_codes or {},
    )
    _mapping_fill(
        mapping, name=name, description=description, columns=columns, date_order=date_order
    )
    mapping.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type="column_mapping",
        object_id=str(mapping.pk),
        purpose="add column mapping",
        changes={"name": [None, name], "columns": [None, mapping.columns]},
    )
    return mapping


@transaction.atomic
def column_mapping_change(
    *,
    actor: "Actor | None",
    mapping: ColumnMapping,
    name: str,
    columns: dict[str, str],
    date_order: str,
    description: str = "",
) -> ColumnMapping:
    """An administrator corrects how a kind of export is read (its system renamed a column, say).
    Imports already checked are read again with it when they run, as the roll is checked again."""
    require(actor, Capability.ADMINISTER_ORGANISATIONS)
    mapping = ColumnMapping.objects.select_for_update().get(pk=mapping.pk)
    before = {
        "name": mapping.name,
        "description": mapping.description,
        "columns": mapping.columns,
        "date_order": mapping.date_order,
    }
    _mapping_fill(
        mapping, name=name, description=description, columns=columns, date_order=date_order
    )
    after = {
        "name": mapping.name,
        "description": mapping.description,
        "columns": mapping.columns,
        "date_order": mapping.date_order,
    }
    changes = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
    if not changes:
        return mapping
    mapping.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="column_mapping",
        object_id=str(mapping.pk),
        purpose="change column mapping",
        changes=changes,
    )
    return mapping


@transaction.atomic
def column_mapping_retire(*, actor: "Actor | None", mapping: ColumnMapping) -> ColumnMapping:
    """An administrator stops a mapping being offered for new imports; the imports it read keep
    naming it. The last mapping in use stays, so that a school always has one to choose."""
    require(actor, Capability.ADMINISTER_ORGANISATIONS)
    in_use = ColumnMapping.objects.select_for_update().filter(retired_at__isnull=True)
    mapping = ColumnMapping.objects.select_for_update().get(pk=mapping.pk)
    if mapping.retired_at is not None:
        raise ValidationError(_("This mapping is already retired."))
    if not in_use.exclude(pk=mapping.pk).exists():
        raise ValidationError(
            _(
                "This is the only mapping schools can choose: add the mapping that replaces it "
                "before retiring this one."
            )
        )
    return _retired_at_set(actor, mapping, timezone.now(), purpose="retire column mapping")


@transaction.atomic
def column_mapping_reinstate(*, actor: "Actor | None", mapping: ColumnMapping) -> ColumnMapping:
    """An administrator brings a retired mapping back (retired by mistake, or its system's
    exports are read this way again): it is offered for new imports again, as it was."""
    require(actor, Capability.ADMINISTER_ORGANISATIONS)
    mapping = ColumnMapping.objects.select_for_update().get(pk=mapping.pk)
    if mapping.retired_at is None:
        raise ValidationError(_("This mapping is in use: it is not retired."))
    return _retired_at_set(actor, mapping, None, purpose="reinstate column mapping")


def _retired_at_set(
    actor: "Actor | None", mapping: ColumnMapping, retired_at: datetime | None, *, purpose: str
) -> ColumnMapping:
    """Retire the mapping or bring it back, audited with the day before and after."""
    before = mapping.retired_at
    mapping.retired_at = retired_at
    mapping.save(update_fields=["retired_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="column_mapping",
        object_id=str(mapping.pk),
        purpose=purpose,
        changes={"retired_at": [day.isoformat() if day else None for day in (before, retired_at)]},
    )
    return mapping


def _mapping_fill(
    mapping: ColumnMapping, *, name: str, description: str, columns: dict[str, str], date_order: str
) -> None:
    """Set what an administrator wrote on the mapping, or refuse it all with what to put right."""
    columns = {key: value.strip() for key, value in columns.items() if value and value.strip()}
    errors: dict[str, list[str]] = {}
    unknown = set(columns) - set(MAPPED_FIELDS)
    if unknown:
        raise TypeError(f"Unknown mapped fields: {sorted(unknown)}")
    missing = [field for field in REQUIRED_FIELDS if field not in columns]
    if missing:
        errors["columns"] = [
            _("Name the column for each of: %(fields)s.") % {"fields": ", ".join(missing)}
        ]
    headers = [value.lower() for value in columns.values()]
    if len(set(headers)) != len(headers):
        errors.setdefault("columns", []).append(
            _("Each thing is read from its own column: a column is named twice.")
        )
    mapping.name = name
    mapping.description = description
    mapping.columns = columns
    mapping.date_order = date_order
    try:
        mapping.full_clean(exclude=["created_by"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _scope(actor: "Actor | None") -> tuple[Membership, list[Setting], Setting | None]:
    """The importer's membership, the schools whose roll they keep, and their one school."""
    require(actor, Capability.ENROL_LEARNERS)
    membership = actor.membership if actor is not None else None
    if membership is None or not (membership.setting_id or membership.authority_id):
        raise CapabilityRequired(Capability.ENROL_LEARNERS)
    related = Setting.objects.select_related("authority__nation")
    if membership.setting_id:
        school = related.get(pk=membership.setting_id)
        return membership, [school], school
    return membership, list(related.filter(authority_id=membership.authority_id)), None


def roll_import_check(
    *, actor: "Actor | None", mapping: ColumnMapping, file_name: str, content: bytes
) -> RollImport:
    """The dry run: read and check the file, keep it and what it would do; save nothing else."""
    require(actor, Capability.ENROL_LEARNERS)
    membership, settings, school = _scope(actor)
    assert actor is not None  # _scope refuses a missing actor
    if mapping.retired_at is not None:
        raise ValidationError(
            {"mapping": _("That kind of export is no longer read: choose another.")}
        )
    roll_import = RollImport(
        created_by=actor.user,
        membership=membership,
        setting=school,
        authority=school.authority if school else membership.authority,
        mapping=mapping,
        file_name=file_name[:255],
        content=content,
        content_sha256=hashlib.sha256(content).hexdigest(),
    )
    check = _check(roll_import, settings, school)
    _keep_report(roll_import, check)
    roll_import.status = RollImportStatus.REJECTED if check.rejected else RollImportStatus.CHECKED
    if check.rejected:
        # A refused file is never run: it is checked again only by being uploaded again.
        roll_import.content = b""
    roll_import.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type="roll_import",
        object_id=str(roll_import.public_id),
        purpose="check roll import",
        changes={"status": [None, roll_import.status]},
        detail={"file": roll_import.file_name, "counts": roll_import.report["counts"]},
    )
    return roll_import


def _check(
    roll_import: RollImport,
    settings: list[Setting],
    school: Setting | None,
    progress: Any = None,
) -> Check:
    problems: list[Problem] = []
    rows = read_export(bytes(roll_import.content), roll_import.mapping, problems)
    if not problems and not rows:
        problems.append(
            Problem(None, "", _("The file has no learners: add a line for each below the header."))
        )
    roll_import.lines_total = len(rows)
    if problems:
        return Check(file_problems=problems)
    return check_rows(
        rows=rows,
        mapping=roll_import.mapping,
        settings=settings,
        school=school,
        today=timezone.localdate(),
        progress=progress,
    )


def _keep_report(roll_import: RollImport, check: Check) -> None:
    roll_import.report = {
        "counts": {
            "create": check.count(Action.CREATE),
            "update": check.count(Action.UPDATE),
            "unchanged": check.count(Action.UNCHANGED),
            "reject": check.count(Action.REJECT),
            "leavers": len(check.leavers),
        },
        "file_problems": [
            [problem.line, problem.column, problem.message] for problem in check.file_problems
        ],
        # The lines with something to do or a problem; unchanged ones are only counted.
        "lines": [
            {
                "line": line.number,
                "candidate_number": line.candidate_number,
                "name": line.name,
                "action": line.action,
                "changes": line.changes,
                "problems": line.problems,
                "learner": line.learner.pk if line.learner else None,
            }
            for line in check.lines
            if line.action != Action.UNCHANGED
        ],
        "leavers": [[leaver.enrolment_id, leaver.learner_id] for leaver in check.leavers],
    }


@transaction.atomic
def roll_import_start(
    *,
    actor: "Actor | None",
    roll_import: RollImport,
    leavers_to_end: list[int],
    leavers_end_on: date | None = None,
) -> RollImport:
    """Confirm a checked import, with the leavers (enrolment ids from its check) to end on
    `leavers_end_on`, and queue it; a run that stopped may be started again the same way."""
    require(actor, Capability.ENROL_LEARNERS)
    _membership, _settings, _school = _scope(actor)
    _require_same_roll(actor, roll_import)
    roll_import = RollImport.objects.select_for_update().get(pk=roll_import.pk)
    if not _may_start(roll_import):
        raise ValidationError(_("This import has already started or cannot be imported."))
    listed = {enrolment_id for enrolment_id, _learner in roll_import.report.get("leavers", [])}
    if not set(leavers_to_end) <= listed:
        raise ValidationError({"leavers": _("Choose leavers from the list.")})
    if leavers_to_end and leavers_end_on is None:
        raise ValidationError({"leavers_end_on": _("Enter the day the leavers left.")})
    roll_import.leavers_to_end = sorted(set(leavers_to_end))
    roll_import.leavers_end_on = leavers_end_on if leavers_to_end else None
    roll_import.status = RollImportStatus.QUEUED
    roll_import.progress_at = timezone.now()
    roll_import.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="roll_import",
        object_id=str(roll_import.public_id),
        purpose="start roll import",
        changes={"status": [RollImportStatus.CHECKED, RollImportStatus.QUEUED]},
        detail={"leavers_to_end": len(roll_import.leavers_to_end)},
    )
    from stagewise.roll_imports.tasks import run_roll_import

    transaction.on_commit(lambda: run_roll_import.enqueue(str(roll_import.public_id)))
    return roll_import


def _may_start(roll_import: RollImport) -> bool:
    if roll_import.status in (RollImportStatus.CHECKED, RollImportStatus.FAILED):
        return True
    stalled = roll_import.progress_at is None or (
        timezone.now() - roll_import.progress_at > STALLED_AFTER
    )
    return roll_import.status in (RollImportStatus.QUEUED, RollImportStatus.RUNNING) and stalled


def _require_same_roll(actor: "Actor | None", roll_import: RollImport) -> None:
    """An import is its school's leaders' and its authority's officers' to confirm and read."""
    if not roll_import.kept_by(actor.membership if actor is not None else None):
        raise CapabilityRequired(Capability.ENROL_LEARNERS)


def roll_import_run(*, actor: "Actor | None", roll_import: RollImport) -> RollImport:
    """The real run, by the task: check the file again against the roll as it is now (progress
    by line), then save everything it does in one transaction, or nothing."""
    require(actor, Capability.ENROL_LEARNERS)
    _membership, settings, school = _scope(actor)
    _require_same_roll(actor, roll_import)
    RollImport.objects.filter(pk=roll_import.pk).update(
        status=RollImportStatus.RUNNING, lines_done=0, progress_at=timezone.now()
    )
    roll_import.attempts += 1

    def progress(lines_done: int) -> None:
        RollImport.objects.filter(pk=roll_import.pk).update(
            lines_done=lines_done, progress_at=timezone.now()
        )

    check = _check(roll_import, settings, school, progress)
    if check.rejected:
        # The roll changed since the check (or the file was never fit): say what now.
        _keep_report(roll_import, check)
        roll_import.content = b""
        _finish(roll_import, RollImportStatus.REJECTED)
        return roll_import
    leavers = {leaver.enrolment_id: leaver for leaver in check.leavers}
    ending = [leavers[pk] for pk in roll_import.leavers_to_end if pk in leavers]
    try:
        with transaction.atomic():
            counts = _save(actor, check.lines, ending, roll_import.leavers_end_on)
            roll_import.report = {**roll_import.report, "saved": counts}
            roll_import.content = b""
            _finish(roll_import, RollImportStatus.DONE)
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                object_type="roll_import",
                object_id=str(roll_import.public_id),
                purpose="import roll",
                changes={"status": [RollImportStatus.QUEUED, RollImportStatus.DONE]},
                detail={"file": roll_import.file_name, "saved": counts},
            )
    except IntegrityError:
        roll_import.refresh_from_db(fields=["report", "content"])
        roll_import.report = {
            **roll_import.report,
            "stopped": _(
                "Someone else changed these learners while the file was being imported, so "
                "nothing was saved: start the import again."
            ),
        }
        _finish(roll_import, RollImportStatus.FAILED)
    return roll_import


def _finish(roll_import: RollImport, status: str) -> None:
    roll_import.status = status
    roll_import.lines_done = roll_import.lines_total
    roll_import.finished_at = roll_import.progress_at = timezone.now()
    roll_import.save()


def _save(
    actor: "Actor | None", lines: list[Line], ending: list[Any], ended_on: date | None
) -> dict[str, int]:
    """Every write of the import, a statement per kind of record (in batches), never per line."""
    events: list[AuditEvent] = []

    def event(action: str, learner: Learner, purpose: str, changes: dict[str, Any]) -> None:
        events.append(
            audit_event_build(
                actor=actor,
                action=action,
                learner=learner,
                object_type="learner",
                object_id=str(learner.public_id),
                purpose=purpose,
                changes=changes,
            )
        )

    created = [line for line in lines if line.action == Action.CREATE]
    updated = [line for line in lines if line.action == Action.UPDATE]
    new_learners = [line.values["new_learner"] for line in created]
    Learner.objects.bulk_create(new_learners, batch_size=BATCH_SIZE)
    keys = [LearnerAuditKey(learner=learner) for learner in new_learners]
    LearnerAuditKey.objects.bulk_create(keys, batch_size=BATCH_SIZE)
    for learner, key in zip(new_learners, keys, strict=True):
        learner.audit_key = key
        event(AuditAction.CREATE, learner, "import roll", {"enrolment": [None, "created"]})
    changed_learners = []
    fields: set[str] = set()
    for line in updated:
        assert line.learner is not None
        for name, value in line.learner_changes.items():
            setattr(line.learner, name, value)
        if line.learner_changes:
            changed_learners.append(line.learner)
            fields.update(line.learner_changes)
        event(
            AuditAction.UPDATE,
            line.learner,
            "import roll",
            {name: [None, "changed"] for name in line.changes},
        )
    if changed_learners:
        Learner.objects.bulk_update(changed_learners, sorted(fields), batch_size=BATCH_SIZE)
    Enrolment.objects.bulk_create(
        [line.new_enrolment for line in [*created, *updated] if line.new_enrolment],
        batch_size=BATCH_SIZE,
    )
    year_groups = []
    for line in updated:
        if line.year_group_change and line.enrolment is not None:
            line.enrolment.year_group = line.year_group_change
            year_groups.append(line.enrolment)
    Enrolment.objects.bulk_update(year_groups, ["year_group"], batch_size=BATCH_SIZE)
    _save_carers([*created, *updated])
    StaffRelationship.objects.bulk_create(
        [line.new_class_teacher for line in [*created, *updated] if line.new_class_teacher],
        batch_size=BATCH_SIZE,
    )
    ended = _end_leavers(ending, ended_on, event) if ended_on else 0
    AuditEvent.objects.bulk_create(events, batch_size=BATCH_SIZE)
    return {"created": len(created), "updated": len(updated), "ended": ended}


def _save_carers(lines: list[Line]) -> None:
    new = [line.new_carer for line in lines if line.new_carer]
    Carer.objects.bulk_create([carer for carer, _link in new], batch_size=BATCH_SIZE)
    LearnerCarer.objects.bulk_create([link for _carer, link in new], batch_size=BATCH_SIZE)
    carers = []
    for line in lines:
        if line.carer_changes:
            carer, changes = line.carer_changes
            for name, value in changes.items():
                setattr(carer, name, value)
            carers.append(carer)
    Carer.objects.bulk_update(carers, ["email", "telephone"], batch_size=BATCH_SIZE)
    links = []
    for line in lines:
        if line.relationship_change:
            link, relationship = line.relationship_change
            link.relationship = relationship
            links.append(link)
    LearnerCarer.objects.bulk_update(links, ["relationship"], batch_size=BATCH_SIZE)


def _end_leavers(ending: list[Any], ended_on: date, event: Any) -> int:
    """The confirmed leavers' enrolments end on the day given, with the links of the staff
    around them at that school, as when a learner moves (learners/services/moves.py)."""
    if not ending:
        return 0
    enrolment_ids = [leaver.enrolment_id for leaver in ending]
    learner_ids = [leaver.learner_id for leaver in ending]
    ended = Enrolment.objects.filter(pk__in=enrolment_ids, started_on__lte=ended_on).update(
        ended_on=ended_on
    )
    StaffRelationship.objects.filter(learner_id__in=learner_ids, started_on__lte=ended_on).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=ended_on)
    ).update(ended_on=ended_on)
    for learner in Learner.objects.filter(pk__in=learner_ids).select_related("audit_key"):
        event(
            AuditAction.UPDATE, learner, "end enrolment of leaver", {"enrolment": [None, "ended"]}
        )
    return ended


@dataclass(frozen=True)
class RollImportsExpired:
    abandoned: int
    deleted: int


def roll_imports_expire(
    *, actor: SystemProcess, kept_for_years: int, today: date | None = None
) -> RollImportsExpired:
    """Stagewise's daily upkeep of what imports keep outside the learner tables, run with the
    retention review (data_protection/registry.py, ABOUT_NO_ONE_LEARNER): the file of an import
    left unused for a week is deleted and the import can no longer run; an import checked more
    than its retention schedule's years ago is deleted, report and all. Counts only: no learner
    is named, none of their records is touched."""
    _require_stagewise_itself(actor)
    now = timezone.now()
    today = today or timezone.localdate()
    last_touched = Coalesce("progress_at", "created_at")
    with transaction.atomic():
        abandoned = (
            RollImport.objects.filter(status__in=KEEPS_ITS_FILE)
            .alias(last_touched=last_touched)
            .filter(last_touched__lt=now - ABANDONED_AFTER)
            .update(
                status=RollImportStatus.ABANDONED,
                content=b"",
                finished_at=now,
                progress_at=now,
            )
        )
        # Whole days, as every schedule counts: kept until the same date that many years on.
        deleted, _by_model = RollImport.objects.filter(
            created_at__date__lt=years_before(today, kept_for_years)
        ).delete()
    return RollImportsExpired(abandoned=abandoned, deleted=deleted)


def _require_stagewise_itself(actor: object) -> None:
    """Every school's and authority's imports at once: only Stagewise's own daily task."""
    if not isinstance(actor, SystemProcess):
        raise PermissionDenied("Only Stagewise's own daily task removes old roll imports.")
