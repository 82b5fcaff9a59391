"""Reading a learner's rights requests, for the family who made them and the staff who answer
them. The learner has already been reached through learners/access.get_learner_for."""

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from stagewise.families.models import CapacityAssessment, RightsRequest
from stagewise.learners.access import learner_record_or_404
from stagewise.learners.models import Learner, LearnerCarer
from stagewise.policy import Audience, NationPolicy, RightsRequestKind, policy_for

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor


@dataclass(frozen=True)
class RightsRequestRow:
    """One request as a page shows it: the right in the nation's words and its clock's date."""

    request: RightsRequest
    kind: RightsRequestKind | None
    # Whether the reader sees the requester's own words: staff always; a family member only for
    # a request they made (separated parents do not read each other's words, ADR 0001).
    shows_words: bool = True

    @property
    def label(self) -> str:
        return str(self.kind.label) if self.kind else self.request.kind

    @property
    def due_on(self) -> date | None:
        process = self.request.process
        return process.due_on if process is not None else None

    @property
    def due_problem(self) -> str:
        process = self.request.process
        return process.due_problem if process is not None else ""


def rights_request_list(
    *, actor: "Actor | None", learner: Learner, nation: NationPolicy
) -> list[RightsRequestRow]:
    """Every request about the learner, newest first, in one query (and one for a parent's own
    link). A family member reads the words of their own requests only."""
    requests = RightsRequest.objects.filter(learner=learner).select_related("process")
    family = policy_for(actor).audience == Audience.FAMILY
    own_carers: set[int] = set()
    if family and actor is not None:
        own_carers = set(
            LearnerCarer.objects.filter(learner=learner, carer__user=actor.user).values_list(
                "carer_id", flat=True
            )
        )

    def shows_words(request: RightsRequest) -> bool:
        if not family:
            return True
        if request.carer_id is None:
            return learner.young_person_account_id == (actor.user.pk if actor else None)
        return request.carer_id in own_carers

    return [
        RightsRequestRow(
            request=request,
            kind=nation.rights_request_kind(request.kind),
            shows_words=shows_words(request),
        )
        for request in requests
    ]


def rights_request_get(
    *, actor: "Actor | None", learner: Learner, request_id: str, purpose: str
) -> RightsRequest:
    return learner_record_or_404(
        actor=actor,
        records=RightsRequest.objects.select_related("process", "learner"),
        learner=learner,
        purpose=purpose,
        object_type="rights_request",
        public_id=request_id,
    )


def carers_who_may_ask(learner: Learner) -> QuerySet[LearnerCarer]:
    return LearnerCarer.objects.filter(learner=learner).select_related("carer")


def capacity_assessment_list(learner: Learner) -> QuerySet[CapacityAssessment]:
    return CapacityAssessment.objects.filter(learner=learner)
