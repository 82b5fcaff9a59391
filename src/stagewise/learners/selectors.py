"""Every read of learners, always scoped to an actor through learners/access.py."""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stagewise.learners.access import visible_learners
from stagewise.learners.models import Enrolment, Learner, LearnerCarer, StaffRelationship
from stagewise.organisations.models import Role, Setting

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor


class Scope:
    MINE = "mine"
    SETTING = "setting"
    AUTHORITY = "authority"
    AGENCY = "agency"
    FAMILY = "family"


SCOPE_LABELS = {
    Scope.MINE: _("My learners"),
    Scope.SETTING: _("My school"),
    Scope.AUTHORITY: _("My authority"),
    Scope.AGENCY: _("My agency's learners"),
    Scope.FAMILY: _("My family"),
}


def learner_list_scopes(actor: "Actor | None") -> list[str]:
    """The lists this actor can choose between, the first being their default."""
    if actor is None:
        return []
    if actor.role == Role.CLASS_TEACHER:
        return [Scope.MINE]
    if actor.role in (Role.SUPPORT_FOR_LEARNING_LEAD, Role.HEAD_TEACHER):
        return [Scope.SETTING, Scope.MINE]
    if actor.role in (Role.LOCAL_AUTHORITY_OFFICER, Role.EDUCATIONAL_PSYCHOLOGIST):
        return [Scope.AUTHORITY, Scope.MINE]
    if actor.role == Role.AGENCY_PRACTITIONER:
        return [Scope.AGENCY]
    if actor.role in (Role.PARENT_CARER, Role.YOUNG_PERSON):
        return [Scope.FAMILY]
    return []


@dataclass(frozen=True)
class LearnerFilters:
    scope: str = ""
    name: str = ""
    year_group: str = ""
    setting_id: int | None = None
    errors: dict[str, str] = field(default_factory=dict)


def learner_list(*, actor: "Actor | None", filters: LearnerFilters) -> QuerySet[Learner]:
    """Visible learners in the chosen list, filtered, with their current enrolment annotated.

    The enrolment comes in as subquery columns so that a page of any length is one query.
    """
    learners = visible_learners(actor)
    if filters.scope == Scope.MINE and actor is not None:
        mine = StaffRelationship.objects.current().filter(staff=actor.user)
        learners = learners.filter(pk__in=mine.values("learner_id"))
    for word in filters.name.split():
        learners = learners.filter(
            Q(legal_first_name__icontains=word)
            | Q(legal_last_name__icontains=word)
            | Q(preferred_name__icontains=word)
            | Q(candidate_number__iexact=word)
        )
    current = Enrolment.objects.current().filter(learner=OuterRef("pk")).order_by("-started_on")
    learners = learners.annotate(
        current_year_group=Subquery(current.values("year_group")[:1]),
        current_setting_id=Subquery(current.values("setting_id")[:1]),
        current_setting_name=Subquery(current.values("setting__name")[:1]),
        current_setting_name_cy=Subquery(current.values("setting__name_cy")[:1]),
    )
    if filters.year_group:
        learners = learners.filter(current_year_group=filters.year_group)
    if filters.setting_id:
        learners = learners.filter(current_setting_id=filters.setting_id)
    return learners.order_by("legal_last_name", "legal_first_name", "pk")


def learner_list_settings(actor: "Actor | None") -> QuerySet[Setting]:
    """Settings to filter a list by: those in the actor's authority, for authority roles."""
    if actor is None or actor.membership is None or actor.membership.authority_id is None:
        return Setting.objects.none()
    return Setting.objects.filter(authority_id=actor.membership.authority_id)


@dataclass
class LearnerProfile:
    learner: Learner
    enrolments: list[Enrolment]
    carer_links: list[LearnerCarer]
    staff_links: list[StaffRelationship]
    agency_involvements: list
    current_enrolment: Enrolment | None


def learner_profile_get(*, actor: "Actor", learner: Learner, family_view: bool) -> LearnerProfile:
    """What the profile page shows. A family sees only their own contact details."""
    enrolments = list(
        learner.enrolments.select_related("setting__authority__nation").order_by("-started_on")
    )
    carer_links = learner.carer_links.select_related("carer")
    if family_view and actor.role == Role.PARENT_CARER:
        carer_links = carer_links.filter(carer__user=actor.user)
    elif family_view:
        carer_links = carer_links.none()
    today = timezone.localdate()
    current = next(
        (
            e
            for e in enrolments
            if e.started_on <= today and (e.ended_on is None or e.ended_on >= today)
        ),
        None,
    )
    return LearnerProfile(
        learner=learner,
        enrolments=enrolments,
        carer_links=list(carer_links),
        staff_links=list(learner.staff_links.current().select_related("staff")),
        agency_involvements=list(learner.agency_involvements.current().select_related("agency")),
        current_enrolment=current,
    )
