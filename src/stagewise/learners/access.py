"""The one door to learner data: who may see which learner, decided in one place.

Every view, fragment and export reaches a learner through `get_learner_for` or lists them through
`visible_learners`; everything else about a learner (plans, requests, reviews) is reached through
the learner, so this module is the rule to get right, test and audit.
"""

import uuid
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.learners.models import (
    AgencyInvolvement,
    Enrolment,
    Learner,
    LearnerCarer,
    StaffRelationship,
)
from stagewise.organisations.models import Role

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor


def visible_learners(actor: "Actor | None") -> QuerySet[Learner]:
    """The learners this actor may see today, as one queryset."""
    if actor is None:
        return Learner.objects.none()
    today = timezone.localdate()
    membership = actor.membership
    role = actor.role
    current_enrolments = Enrolment.objects.current(today)

    if role == Role.CLASS_TEACHER and membership is not None:
        # Learners linked to this teacher and enrolled where the teacher is acting from.
        linked = StaffRelationship.objects.current(today).filter(staff=actor.user)
        enrolled_here = current_enrolments.filter(setting_id=membership.setting_id)
        return Learner.objects.filter(pk__in=linked.values("learner_id")).filter(
            pk__in=enrolled_here.values("learner_id")
        )
    if role in (Role.SUPPORT_FOR_LEARNING_LEAD, Role.HEAD_TEACHER) and membership is not None:
        enrolled_here = current_enrolments.filter(setting_id=membership.setting_id)
        return Learner.objects.filter(pk__in=enrolled_here.values("learner_id"))
    if (
        role in (Role.LOCAL_AUTHORITY_OFFICER, Role.EDUCATIONAL_PSYCHOLOGIST)
        and membership is not None
    ):
        in_authority = current_enrolments.filter(setting__authority_id=membership.authority_id)
        return Learner.objects.filter(pk__in=in_authority.values("learner_id"))
    if role == Role.AGENCY_PRACTITIONER and membership is not None:
        involved = AgencyInvolvement.objects.current(today).filter(agency_id=membership.agency_id)
        return Learner.objects.filter(pk__in=involved.values("learner_id"))
    if role == Role.PARENT_CARER:
        own_children = LearnerCarer.objects.filter(carer__user=actor.user, portal_access=True)
        return Learner.objects.filter(pk__in=own_children.values("learner_id"))
    if role == Role.YOUNG_PERSON:
        return Learner.objects.filter(young_person_account=actor.user)
    # National analysts see figures, never individuals; administrators configure, never read.
    return Learner.objects.none()


def get_learner_for(actor: "Actor | None", learner_id: object, purpose: str) -> Learner:
    """The learner, if this actor may see them, with the access recorded; otherwise 404.

    A refused attempt is recorded too, against the learner if they exist, so that the people
    responsible for a record see who tried to open it. The refusal itself says nothing.
    """
    try:
        public_id = uuid.UUID(str(learner_id))
    except ValueError:
        raise Http404 from None
    learner = visible_learners(actor).filter(public_id=public_id).first()
    if learner is None:
        if actor is not None:
            audit_record(
                actor=actor,
                action=AuditAction.REFUSED,
                learner=Learner.objects.filter(public_id=public_id).first(),
                object_type="learner",
                object_id=str(public_id),
                purpose=purpose,
            )
        raise Http404
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        learner=learner,
        object_type="learner",
        object_id=str(learner.public_id),
        purpose=purpose,
    )
    return learner


FAMILY_ROLES = frozenset({Role.PARENT_CARER, Role.YOUNG_PERSON})
ACCESS_HISTORY_ROLES = frozenset(
    {Role.SUPPORT_FOR_LEARNING_LEAD, Role.HEAD_TEACHER, Role.LOCAL_AUTHORITY_OFFICER}
)
LEARNER_EDITOR_ROLES = frozenset(
    {Role.SUPPORT_FOR_LEARNING_LEAD, Role.HEAD_TEACHER, Role.LOCAL_AUTHORITY_OFFICER}
)


def sees_family_view(actor: "Actor | None") -> bool:
    """Parents, carers and young people see the record without staff-only notes."""
    return actor is not None and actor.role in FAMILY_ROLES


def may_view_access_history(actor: "Actor | None") -> bool:
    return actor is not None and actor.role in ACCESS_HISTORY_ROLES


def may_edit_learner_details(actor: "Actor | None") -> bool:
    return actor is not None and actor.role in LEARNER_EDITOR_ROLES


SUPPORT_RECORDER_ROLES = frozenset(
    {
        Role.CLASS_TEACHER,
        Role.SUPPORT_FOR_LEARNING_LEAD,
        Role.HEAD_TEACHER,
        Role.LOCAL_AUTHORITY_OFFICER,
        Role.EDUCATIONAL_PSYCHOLOGIST,
        Role.AGENCY_PRACTITIONER,
    }
)
STAGE_DECIDER_ROLES = SUPPORT_RECORDER_ROLES - {Role.AGENCY_PRACTITIONER}
# "Support-for-learning leads and above" may read restricted chronology entries.
RESTRICTED_CHRONOLOGY_ROLES = frozenset(
    {Role.SUPPORT_FOR_LEARNING_LEAD, Role.HEAD_TEACHER, Role.LOCAL_AUTHORITY_OFFICER}
)


def may_record_support(actor: "Actor | None") -> bool:
    """Record needs, wellbeing assessments and chronology entries for a learner they can see."""
    return actor is not None and actor.role in SUPPORT_RECORDER_ROLES


def may_decide_stage(actor: "Actor | None") -> bool:
    return actor is not None and actor.role in STAGE_DECIDER_ROLES


def may_see_chronology(actor: "Actor | None") -> bool:
    """The chronology is a professional record; families see plans and needs, not this."""
    return actor is not None and actor.role in SUPPORT_RECORDER_ROLES


def may_see_restricted_chronology(actor: "Actor | None") -> bool:
    return actor is not None and actor.role in RESTRICTED_CHRONOLOGY_ROLES
