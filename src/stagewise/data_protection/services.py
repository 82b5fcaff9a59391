"""The data protection officer's exports and the daily retention review: every one guarded."""

import logging
import uuid
from dataclasses import asdict, dataclass
from dataclasses import field as dataclass_field
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import Storage
from django.db import models, transaction
from django.db.models import ProtectedError, QuerySet
from django.db.models.deletion import Collector
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from stagewise.accounts.models import User, close_account
from stagewise.audit.models import AuditAction, AuditEvent, LearnerAuditKey, learner_audit_key
from stagewise.audit.services import audit_record
from stagewise.data_protection.models import RetentionDue, RetentionSchedule
from stagewise.data_protection.registry import (
    ABOUT_NO_ONE_LEARNER,
    RECORD_TYPES,
    RECORD_TYPES_BY_LABEL,
    RecordType,
)
from stagewise.data_protection.retention import records_past_their_period, retention_due_rows
from stagewise.data_protection.subject_access import SubjectAccessBundle, subject_access_bundle
from stagewise.learners.access import (
    ERASURE_PURPOSE,
    SUBJECT_ACCESS_PURPOSE,
    require_for_erasure,
    require_for_subject_access,
)
from stagewise.learners.models import Carer, Learner
from stagewise.policy import SystemProcess

logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor


def subject_access_export(
    *, actor: "Actor | SystemProcess | None", learner: Learner, file_format: str
) -> SubjectAccessBundle:
    """Everything held about the learner, for a subject access request. The export is recorded
    first, so the bundle's own access trail ends with it."""
    require_for_subject_access(actor, learner)
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        learner=learner,
        object_type="subject_access",
        object_id=str(learner.public_id),
        purpose=SUBJECT_ACCESS_PURPOSE,
        detail={"format": file_format},
    )
    person = actor.user if actor else None
    exported_by = (
        f"{person.full_name}, {actor.organisation_label}"  # type: ignore[union-attr]
        if person
        else "Stagewise"
    )
    return subject_access_bundle(learner, exported_by=exported_by)


def _require_stagewise_itself(actor: object) -> None:
    """The report covers every authority, so only Stagewise's own task makes it."""
    if not isinstance(actor, SystemProcess):
        raise PermissionDenied("Only Stagewise's own daily task reviews retention.")


@dataclass(frozen=True)
class RetentionReviewResult:
    reported_on: date
    learners: int
    rows: int
    # What was removed of the records about no one learner, by record type (counts only).
    expired: dict[str, dict[str, int]] = dataclass_field(default_factory=dict)

    def describe(self) -> str:
        removed = "".join(
            f" {label}: " + ", ".join(f"{count} {what}" for what, count in counts.items()) + "."
            for label, counts in self.expired.items()
        )
        return (
            f"Retention review {self.reported_on}: {self.rows} record types due for review "
            f"across {self.learners} learners. Nothing held about a learner was deleted."
            + (f" Past their schedule, about no one learner:{removed}" if removed else "")
        )


def retention_review_run(
    *, actor: SystemProcess, today: date | None = None
) -> RetentionReviewResult:
    """Replace the report of what is due for review with today's. Deletes nothing held about
    any learner: only the previous report's rows, and the records about no one learner
    (ABOUT_NO_ONE_LEARNER) past their schedule, which no one could review learner by learner."""
    _require_stagewise_itself(actor)
    today = today or timezone.localdate()
    rows = retention_due_rows(today)
    with transaction.atomic():
        RetentionDue.objects.all().delete()
        RetentionDue.objects.bulk_create(rows, batch_size=2000)
    schedules = RetentionSchedule.objects.in_bulk(
        [record_type.label for record_type in ABOUT_NO_ONE_LEARNER], field_name="record_type"
    )
    expired = {
        record_type.label: asdict(
            import_string(record_type.expire)(
                actor=actor,
                kept_for_years=schedules[record_type.label].kept_for_years,
                today=today,
            )
        )
        for record_type in ABOUT_NO_ONE_LEARNER
        # No schedule, nothing removed (as the access trail's partitions).
        if record_type.label in schedules
    }
    return RetentionReviewResult(
        reported_on=today,
        learners=len({row.learner_id for row in rows}),
        rows=len(rows),
        expired=expired,
    )


# Erasure (ADR 0033) ------------------------------------------------------------------------------

# Record types erasure does not delete: the learner themself goes last, after every record of
# theirs; the access trail is never deleted (ADR 0002), it keeps its events under the key.
KEPT_OR_LAST = {"learners.Learner", "audit.AuditEvent"}
CARER_RECORD_TYPE = next(record_type for record_type in RECORD_TYPES if record_type.model is Carer)


def erasable_records(record_type: RecordType, learner: Learner) -> QuerySet:
    """The learner's records of this type that erasure deletes: all of them, except a carer
    who is also the carer of another learner (their record is that learner's too)."""
    records = record_type.records_of([learner.pk])
    if record_type.model is Carer:
        records = records.exclude(learner_links__learner__in=Learner.objects.exclude(pk=learner.pk))
    return records


def erasure_counts(learner: Learner) -> list[tuple[RecordType, int]]:
    """What erasing the learner would delete, by record type, in the registry's order: one count
    a type, for the officer's confirmation."""
    return [
        (record_type, erasable_records(record_type, learner).count())
        for record_type in RECORD_TYPES
        if record_type.label not in KEPT_OR_LAST
    ]


def accounts_closed_with(
    learner: Learner, carer_pks: list[int], *, with_the_learner: bool = True
) -> QuerySet[User]:
    """The family's sign-in accounts that erasing the learner (and these carers), or these carers
    alone, leaves with no role: an erased carer's and, with the learner, the young person's own,
    unless the person is also staff, the carer of another learner or a learner's young person.
    Those are closed with the record; anyone else keeps their account."""
    carers = Carer.objects.filter(pk__in=carer_pks, user__isnull=False)
    candidates = set(carers.values_list("user_id", flat=True))
    if with_the_learner and learner.young_person_account_id is not None:
        candidates.add(learner.young_person_account_id)
    learners_kept = Learner.objects.exclude(pk=learner.pk) if with_the_learner else Learner.objects
    return (
        User.objects.filter(pk__in=candidates, memberships__isnull=True)
        .exclude(carer__in=Carer.objects.exclude(pk__in=carer_pks))
        .exclude(own_learner_record__in=learners_kept.all())
        .order_by("pk")
    )


def _erasable_carers(learner: Learner) -> list[int]:
    return list(erasable_records(CARER_RECORD_TYPE, learner).values_list("pk", flat=True))


def accounts_to_close(learner: Learner) -> int:
    """How many sign-in accounts erasing the learner would close, for the confirmation page."""
    return accounts_closed_with(learner, _erasable_carers(learner)).count()


@dataclass(frozen=True, kw_only=True)
class Erased:
    """What an erasure took: records deleted by model (label), the one event saying so, and the
    family sign-in accounts closed with them (accounts_closed_with)."""

    deleted: dict[str, int]
    event: AuditEvent
    accounts_closed: int = 0

    @property
    def total(self) -> int:
        return sum(self.deleted.values())


@dataclass(frozen=True, kw_only=True)
class ErasureResult(Erased):
    """The whole learner erased: `deleted` counts the learner's own row too."""

    schedule: str


def _stored_files_of(found: list[tuple[RecordType, list[int]]]) -> list[tuple[Storage, str]]:
    """The stored files that the records about to be erased name, with their storage."""
    stored: list[tuple[Storage, str]] = []
    for record_type, pks in found:
        model = record_type.model
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField) and pks:
                names = model._default_manager.filter(pk__in=pks).values_list(field.name, flat=True)
                stored.extend((field.storage, name) for name in names if name)
    return stored


def _stored_files_deleted_with(records: QuerySet) -> list[tuple[Storage, str]]:
    """The stored files named by `records` and by everything deleting them deletes with them,
    worked out as Django's delete will (its collector; ProtectedError as the delete would)."""
    collector = Collector(using=records.db, origin=records)
    collector.collect(records)
    found: list[tuple[type[models.Model], QuerySet]] = [
        (model, model._default_manager.filter(pk__in=[row.pk for row in rows]))
        for model, rows in collector.data.items()
    ]
    found.extend((query.model, query) for query in collector.fast_deletes)
    stored: list[tuple[Storage, str]] = []
    for model, query in found:
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                names = query.values_list(field.attname, flat=True)
                stored.extend((field.storage, name) for name in names if name)
    return stored


def _delete_stored(stored_files: list[tuple[Storage, str]]) -> None:
    # One unreadable store must not keep the rest; the daily sweep retries what is left.
    for storage, name in stored_files:
        try:
            storage.delete(name)
        except Exception:  # A store's own errors (S3's ClientError) as well as OSError.
            logger.warning("An erased record's stored file could not be deleted", exc_info=True)


def _erasure_finished(
    actor: "Actor | SystemProcess | None",
    due: RetentionDue,
    records: int,
    closing: list[User],
    *,
    object_type: str,
    learner: Learner | None = None,
    learner_key: uuid.UUID | None = None,
) -> AuditEvent:
    """What every erasure ends with, once the records are gone: the family accounts left with no
    role closed, and one event saying under which schedule, due since when, how many records."""
    for account in closing:
        close_account(account)
    schedule = due.schedule
    return audit_record(
        actor=actor,
        action=AuditAction.DELETE,
        learner=learner,
        learner_key=learner_key,
        object_type=object_type,
        purpose=f"{ERASURE_PURPOSE}: {schedule.record_type}",
        detail={
            "schedule": schedule.record_type,
            "kept_for_years": schedule.kept_for_years,
            "counted_from": schedule.counted_from,
            "due_since": due.due_since.isoformat(),
            "records": records,
            "sign_in_accounts_closed": len(closing),
        },
    )


def learner_erase(
    *, actor: "Actor | SystemProcess | None", learner: Learner, confirmed: bool
) -> ErasureResult:
    """Erase the learner, whose own record the retention review found due, on the officer's
    confirmation. In one transaction: the records of every type the registry lists, type by
    type (from the last type back to the first), then the learner and their audit key; then one
    audit event against the key saying under which schedule and by whom. The access trail stays
    as it was, every event under a key that now leads to no one (ADR 0033)."""
    due = require_for_erasure(actor, learner)
    if not confirmed:
        raise ValidationError(
            {"confirm": _("Confirm that the learner's record is to be erased, or cancel.")}
        )
    schedule = due.schedule
    deleted: dict[str, int] = {}
    with transaction.atomic():
        locked = Learner.objects.select_for_update().get(pk=learner.pk)
        key = learner_audit_key(locked)
        # Every record found first: deleting one type (a carer's link) can hide the next (the
        # carer), and a record a parent's deletion cascades to is still counted as its own type.
        found = [
            (record_type, list(erasable_records(record_type, locked).values_list("pk", flat=True)))
            for record_type in RECORD_TYPES
            if record_type.label not in KEPT_OR_LAST
        ]
        # Files go from the store once the rows naming them are gone for good (a rollback keeps
        # both); a printed plan's file goes by its own signal, as the plan's versions cascade.
        stored_files = _stored_files_of(found)
        closing = list(
            accounts_closed_with(
                locked, next(pks for record_type, pks in found if record_type.model is Carer)
            )
        )
        transaction.on_commit(lambda: _delete_stored(stored_files), robust=True)
        # Backwards through the registry, which lists a record before those that point at it:
        # a rights request goes before the carer who made it (a protected key), the carer's link
        # and the learner last.
        for record_type, pks in reversed(found):
            record_type.model._default_manager.filter(pk__in=pks).delete()
            deleted[record_type.label] = len(set(pks))
        LearnerAuditKey.objects.filter(pk=locked.pk).delete()
        Learner.objects.filter(pk=locked.pk).delete()
        deleted[Learner._meta.label] = 1
        event = _erasure_finished(
            actor, due, sum(deleted.values()), closing, learner_key=key, object_type="learner"
        )
    return ErasureResult(
        schedule=schedule.record_type, deleted=deleted, event=event, accounts_closed=len(closing)
    )


@dataclass(frozen=True, kw_only=True)
class RecordsErasureResult(Erased):
    """One record type erased alone: `deleted` counts the type's records and those that belong
    to them."""

    title: str


def records_due(learner: Learner, due: RetentionDue) -> QuerySet:
    """The learner's records of the due row's type that are past their period today."""
    record_type = RECORD_TYPES_BY_LABEL[due.schedule.record_type]
    return records_past_their_period(
        record_type,
        due.schedule,
        learner.pk,
        erasable_records(record_type, learner),
        timezone.localdate(),
    )


def accounts_to_close_with_records(learner: Learner, due: RetentionDue) -> int:
    """How many sign-in accounts erasing the due row's records alone would close: only carers'
    records hold accounts."""
    if RECORD_TYPES_BY_LABEL[due.schedule.record_type].model is not Carer:
        return 0
    pks = list(records_due(learner, due).values_list("pk", flat=True))
    return accounts_closed_with(learner, pks, with_the_learner=False).count()


def records_erase(
    *,
    actor: "Actor | SystemProcess | None",
    learner: Learner,
    record_type: str,
    confirmed: bool,
) -> RecordsErasureResult:
    """Erase the learner's records of one type that the retention review found past their own
    schedule's period (their chronology kept for fewer years than the rest, say), on the
    officer's confirmation; the rest of the learner's record stays. The records are worked out
    again now, as the review counts them; those that belong to them go too (a plan's versions);
    one audit event on the learner says how many and under which schedule. Records that others
    of the learner's still refer to (a carer named in a rights request) cannot go alone."""
    due = require_for_erasure(actor, learner, record_type)
    if not confirmed:
        raise ValidationError(
            {"confirm": _("Confirm that these records are to be erased, or cancel.")}
        )
    kind = RECORD_TYPES_BY_LABEL[record_type]
    with transaction.atomic():
        locked = Learner.objects.select_for_update().get(pk=learner.pk)
        pks = list(records_due(locked, due).values_list("pk", flat=True))
        if not pks:
            raise ValidationError(
                {
                    "confirm": _(
                        "None of these records is past its retention period now: nothing was "
                        "erased. Tomorrow's retention review will take them off the list."
                    )
                }
            )
        closing = (
            list(accounts_closed_with(locked, pks, with_the_learner=False))
            if kind.model is Carer
            else []
        )
        records = kind.model._default_manager.filter(pk__in=pks)
        try:
            # What goes with them (a request's attachments) may name files too.
            stored_files = _stored_files_deleted_with(records)
            with transaction.atomic():
                _total, deleted = records.delete()
        except ProtectedError as error:
            still_referring = sorted(
                {str(record._meta.verbose_name_plural) for record in error.protected_objects}
            )
            raise ValidationError(
                {
                    "confirm": _(
                        "These records cannot be erased on their own: the learner's %(others)s "
                        "still refer to them. They go when the learner's whole record is erased."
                    )
                    % {"others": ", ".join(still_referring)}
                }
            ) from error
        transaction.on_commit(lambda: _delete_stored(stored_files), robust=True)
        RetentionDue.objects.filter(learner=locked, schedule=due.schedule).delete()
        event = _erasure_finished(
            actor, due, sum(deleted.values()), closing, learner=locked, object_type="records"
        )
    return RecordsErasureResult(
        title=str(kind.title), deleted=dict(deleted), event=event, accounts_closed=len(closing)
    )
