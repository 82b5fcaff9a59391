"""Every read of plans. Plans are reached only through a learner the actor may already see
(learners/access.py), so these functions take that learner, never an id alone."""

import uuid
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import (
    Case,
    Exists,
    IntegerField,
    JSONField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    When,
)
from django.http import Http404

from stagewise.families.feedback_models import ReviewFeedback
from stagewise.families.review_views_models import ReviewViewsAnswer
from stagewise.learners.access import learner_record_or_404
from stagewise.learners.models import Learner
from stagewise.learners.services import learner_current_enrolment
from stagewise.planning.documents import (
    PlanDocument,
    plan_document_build,
    plan_document_load,
)
from stagewise.planning.models import (
    LocalPlanTypeName,
    Plan,
    PlanCommunication,
    PlanResponse,
    PlanReview,
    PlanStatus,
    PlanType,
    PlanVersion,
    RecipientKind,
    TargetReview,
)
from stagewise.policy import Capability, may, may_sign_off, policy_for

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor


def may_sign_off_type(actor: "Actor | None", plan_type: PlanType) -> bool:
    return may_sign_off(actor, plan_type.sign_off_roles)


def plan_list(*, actor: "Actor | None", learner: Learner) -> QuerySet[Plan]:
    """The learner's plans: families see only those with a finalised version. Each carries its
    authority's local name for the type, if it has one (`local_name`, `local_name_cy`)."""
    local_names = LocalPlanTypeName.objects.filter(
        authority=OuterRef("authority"), plan_type=OuterRef("plan_type")
    )
    plans = (
        Plan.objects.filter(learner=learner)
        .select_related("plan_type", "authority")
        .annotate(
            local_name=Subquery(local_names.values("name")[:1]),
            local_name_cy=Subquery(local_names.values("name_cy")[:1]),
        )
        # Open plans first, newest first within each.
        .alias(
            closed_last=Case(
                When(status=PlanStatus.CLOSED, then=1), default=0, output_field=IntegerField()
            )
        )
        .order_by("closed_last", "-created_at")
    )
    if not may(actor, Capability.VIEW_PLAN_HISTORY):
        # Families see a plan once a version of it has been agreed, never a draft.
        plans = plans.filter(Exists(PlanVersion.objects.filter(plan=OuterRef("pk"))))
    return plans


def plan_get(
    *, actor: "Actor | None", learner: Learner, plan_id: object, purpose: str = "view plan"
) -> Plan:
    """One of the learner's plans, or 404 (for a family, only a plan that has been finalised).
    A plan asked for under another learner, or a draft asked for by a family, is recorded as a
    refusal against the plan's own learner."""
    try:
        public_id = uuid.UUID(str(plan_id))
    except ValueError:
        raise Http404 from None
    plan = learner_record_or_404(
        actor=actor,
        records=plan_list(actor=actor, learner=learner).select_related("authority__nation"),
        learner=learner,
        purpose=purpose,
        object_type="plan",
        public_id=public_id,
    )
    # The plan was found under this learner: theirs, already read, not joined again.
    plan.learner = learner
    return plan


def plan_types_for(learner: Learner) -> list[tuple[PlanType, str]]:
    """Types of plan the learner's authority uses, each with its local name if it has one."""
    enrolment = learner_current_enrolment(learner)
    if enrolment is None:
        return []
    authority = enrolment.setting.authority
    local_names = {
        row.plan_type_id: row for row in LocalPlanTypeName.objects.filter(authority=authority)
    }
    types = PlanType.objects.filter(nation_id=authority.nation_id, active=True).order_by("order")
    return [
        (plan_type, str(local_names[plan_type.pk]) if plan_type.pk in local_names else "")
        for plan_type in types
    ]


def version_document(version: PlanVersion) -> PlanDocument:
    return plan_document_load(version.document)


def version_get(*, plan: Plan, number: object) -> PlanVersion:
    try:
        number = int(str(number))
    except ValueError:
        raise Http404 from None
    version = plan.versions.filter(number=number).first()
    if version is None:
        raise Http404
    return version


def family_document(plan: Plan) -> tuple[PlanVersion, PlanDocument]:
    """What a family sees: the latest finalised version, never a draft in progress, cut to the
    family's projection (no staff-only notes, no other carer's contact details, no candidate
    number): the template renders what it is given."""
    version = plan.versions.order_by("-number").first()
    if version is None:
        raise Http404
    return version, version_document(version).for_family()


@dataclass(frozen=True)
class FamilySharing:
    """When the version a family member sees was shared with them, and the latest version they
    have responded to, so the page can say that a new version reached them since."""

    shared_on: date | None
    responded_to: int | None
    version_number: int

    @property
    def is_new_since_response(self) -> bool:
        return self.responded_to is not None and self.responded_to < self.version_number


def family_sharing_get(*, actor: "Actor", plan: Plan, version: PlanVersion) -> FamilySharing:
    shared = plan.communications.filter(
        version_number=version.number, recipient_kind=policy_for(actor).plan_recipient
    ).order_by("sent_on")
    responded = plan.responses.filter(responder=actor.user).order_by("-version_number")
    return FamilySharing(
        shared_on=shared.values_list("sent_on", flat=True).first(),
        responded_to=responded.values_list("version_number", flat=True).first(),
        version_number=version.number,
    )


@dataclass
class PlanRecord:
    """Everything around the plan document: versions, sharing, responses and reviews."""

    versions: list[PlanVersion]
    communications: list[PlanCommunication]
    responses: list[PlanResponse]
    reviews: list[PlanReview]
    # The last version's document, when it was asked for: read with the versions, not again.
    signed_off_document: PlanDocument | None = None

    @property
    def shared_with_family_versions(self) -> set[int]:
        return {
            row.version_number
            for row in self.communications
            if row.recipient_kind in (RecipientKind.PARENT, RecipientKind.LEARNER)
        }


def plan_record_get(plan: Plan, *, with_signed_off_document: bool = False) -> PlanRecord:
    """The plan's record; with the last version's document if asked (a plan no longer being
    written shows what was last signed), read in the same query as the list of versions."""
    versions = plan.versions.only(
        "plan_id", "number", "finalised_by_label", "finalised_role", "finalised_at"
    ).order_by("number")
    if with_signed_off_document:
        last = plan.versions.order_by("-number").values("number")[:1]
        versions = versions.annotate(
            last_document=Case(
                When(number=Subquery(last), then="document"), output_field=JSONField()
            )
        )
    listed = list(versions)
    return PlanRecord(
        versions=listed,
        signed_off_document=plan_document_load(listed[-1].last_document)  # type: ignore[attr-defined]
        if with_signed_off_document and listed
        else None,
        communications=list(plan.communications.order_by("sent_on", "pk")),
        responses=list(plan.responses.order_by("responded_at", "pk")),
        reviews=list(
            plan.reviews.prefetch_related(
                "target_reviews",
                # The views given before each review, in their words (families, ADR 0018).
                Prefetch(
                    "views_invitations__answers",
                    queryset=ReviewViewsAnswer.objects.select_related("plan_view").order_by(
                        "recorded_at", "pk"
                    ),
                ),
                # The family's say on each review once recorded (families, ADR 0026).
                Prefetch(
                    "family_feedback",
                    queryset=ReviewFeedback.objects.order_by("respondent", "answered_at", "pk"),
                ),
            ).order_by("held_on", "pk")
        ),
    )


def plan_live_document(plan: Plan) -> PlanDocument:
    return plan_document_build(plan)


def progress_timeline(*, actor: "Actor | None", learner: Learner) -> list[PlanReview]:
    """Every review of every plan the actor may see for this learner, oldest first."""
    return list(
        PlanReview.objects.filter(plan__in=plan_list(actor=actor, learner=learner))
        .select_related("plan__plan_type")
        .prefetch_related(Prefetch("target_reviews", queryset=TargetReview.objects.order_by("pk")))
        .order_by("held_on", "pk")
    )
