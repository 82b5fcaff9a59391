"""Every write to the learner record: validated, in one transaction, with its change recorded."""

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record, audit_value, field_changes
from stagewise.learners.access import require_for_learner, require_for_setting
from stagewise.learners.models import (
    Carer,
    Enrolment,
    Learner,
    LearnerCarer,
    StaffRelationship,
)
from stagewise.learners.validators import validate_candidate_number
from stagewise.organisations.models import Setting
from stagewise.policy import Capability, SystemProcess

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor
    from stagewise.accounts.models import User

EDITABLE_IDENTITY_FIELDS = (
    "legal_first_name",
    "legal_last_name",
    "preferred_name",
    "date_of_birth",
    "sex",
    "candidate_number",
    "home_language",
    "preferred_language",
    "looked_after",
    "young_carer",
    "staff_notes",
)


def _check_identity(learner: Learner, nation_code: str) -> None:
    learner.full_clean(exclude=["young_person_account"])
    validate_candidate_number(learner.candidate_number, nation_code)


@transaction.atomic
def learner_create(
    *,
    actor: "Actor | SystemProcess | None",
    setting: Setting,
    year_group: str,
    enrolled_on: date,
    **identity: Any,
) -> Learner:
    require_for_setting(actor, Capability.ENROL_LEARNERS, setting)
    unknown = set(identity) - set(EDITABLE_IDENTITY_FIELDS) - {"young_person_account"}
    if unknown:
        raise TypeError(f"Unknown learner fields: {sorted(unknown)}")
    learner = Learner(**identity)
    try:
        validate_candidate_number(learner.candidate_number, setting.authority.nation.code)
    except ValidationError as error:
        raise ValidationError({"candidate_number": error.messages}) from None
    _check_identity(learner, setting.authority.nation.code)
    learner.save()
    enrolment = Enrolment(
        learner=learner, setting=setting, year_group=year_group, started_on=enrolled_on
    )
    enrolment.full_clean()
    enrolment.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        learner=learner,
        object_type="learner",
        object_id=str(learner.public_id),
        purpose="enrol learner",
        changes={field: [None, audit_value(getattr(learner, field))] for field in identity},
    )
    return learner


@transaction.atomic
def learner_update(*, actor: "Actor", learner: Learner, data: dict[str, Any]) -> dict[str, Any]:
    """Change the learner's identity details; returns the changes as {field: [before, after]}."""
    require_for_learner(actor, Capability.EDIT_LEARNER_DETAILS, learner, "edit learner details")
    unknown = set(data) - set(EDITABLE_IDENTITY_FIELDS)
    if unknown:
        raise TypeError(f"Unknown learner fields: {sorted(unknown)}")
    # Locking the row makes two simultaneous edits queue rather than interleave.
    locked = Learner.objects.select_for_update().get(pk=learner.pk)
    changes = field_changes(locked, data)
    if not changes:
        return {}
    for field, value in data.items():
        setattr(locked, field, value)
    if "looked_after" in changes:
        # When the learner became looked after, for their consideration for a co-ordinated
        # support plan (ADR 0049): one made before it no longer counts.
        since = timezone.localdate() if locked.looked_after else None
        changes["looked_after_since"] = [
            audit_value(locked.looked_after_since),
            audit_value(since),
        ]
        locked.looked_after_since = since
    enrolment = learner_current_enrolment(locked)
    nation_code = enrolment.setting.authority.nation.code if enrolment else ""
    try:
        _check_identity(locked, nation_code)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise
        raise ValidationError({"candidate_number": error.messages}) from None
    locked.save(update_fields=list(changes))
    for field in changes:
        setattr(learner, field, getattr(locked, field))
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        learner=learner,
        object_type="learner",
        object_id=str(learner.public_id),
        purpose="edit learner details",
        changes=changes,
    )
    return changes


def learner_current_enrolment(learner: Learner) -> Enrolment | None:
    return (
        Enrolment.objects.current()
        .filter(learner=learner)
        .select_related("setting__authority__nation")
        .first()
    )


@transaction.atomic
def carer_link(
    *,
    actor: "Actor | SystemProcess | None",
    learner: Learner,
    carer: Carer,
    relationship: str,
    parental_responsibility: bool = True,
    lives_with_learner: bool = True,
    portal_access: bool = True,
) -> LearnerCarer:
    require_for_learner(actor, Capability.MANAGE_LEARNER_CIRCLE, learner, "link parent or carer")
    if carer.pk is None:
        carer.full_clean()
        carer.save()
    link = LearnerCarer(
        learner=learner,
        carer=carer,
        relationship=relationship,
        parental_responsibility=parental_responsibility,
        lives_with_learner=lives_with_learner,
        portal_access=portal_access,
    )
    link.full_clean()
    link.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        learner=learner,
        object_type="learner_carer",
        object_id=str(link.pk),
        purpose="link parent or carer",
        changes={"carer": [None, carer.full_name], "relationship": [None, relationship]},
    )
    return link


@transaction.atomic
def staff_relationship_start(
    *,
    actor: "Actor | SystemProcess | None",
    learner: Learner,
    staff: "User",
    kind: str,
    started_on: date,
) -> StaffRelationship:
    require_for_learner(actor, Capability.MANAGE_LEARNER_CIRCLE, learner, "link member of staff")
    relationship = StaffRelationship(learner=learner, staff=staff, kind=kind, started_on=started_on)
    relationship.full_clean()
    relationship.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        learner=learner,
        object_type="staff_relationship",
        object_id=str(relationship.pk),
        purpose="link member of staff",
        changes={"staff": [None, staff.full_name], "kind": [None, kind]},
    )
    return relationship
