"""The demo's requests for assistance: made, consented to, sent and answered through the
coordination services, as a school would, so the demo's agencies see exactly the learners their
requests and consents let them see."""

from datetime import date

from stagewise.coordination.models import (
    ConsentGivenBy,
    ConsentMethod,
    RecordPart,
    RequestForAssistance,
    RequestStatus,
)
from stagewise.coordination.services import (
    consent_record,
    request_accept,
    request_draft,
    request_send,
    request_waiting_list,
)
from stagewise.learners.models import Learner
from stagewise.organisations.models import Agency
from stagewise.policy import SYSTEM


def demo_request(
    *,
    learner: Learner,
    service: Agency,
    reason: str,
    consent_given_on: date,
    answer: str = RequestStatus.ACCEPTED,
) -> RequestForAssistance:
    """A request from the learner's school with a parent's consent to share needs and plans,
    sent and answered by the service (`answer`: accepted or on its waiting list), or left for the
    service to decide on (`answer`: sent)."""
    parent_link = learner.carer_links.select_related("carer").first()
    request = request_draft(
        actor=SYSTEM,
        learner=learner,
        service=service,
        reason=reason,
        tried="Advice from the support-for-learning lead and small-group work in class.",
        tried_for="Since the start of term",
        learner_views="Would like help to make things easier in class.",
        family_views="Agree with the request and would like advice for home.",
    )
    consent_record(
        actor=SYSTEM,
        request=request,
        given_by=ConsentGivenBy.PARENT,
        given_by_name=parent_link.carer.full_name if parent_link else "A parent",
        carer=parent_link.carer if parent_link else None,
        given_on=consent_given_on,
        method=ConsentMethod.IN_WRITING,
        parts=[RecordPart.NEEDS, RecordPart.PLANS],
    )
    request = request_send(actor=SYSTEM, request=request)
    if answer == RequestStatus.SENT:
        return request
    if answer == RequestStatus.WAITING_LIST:
        return request_waiting_list(actor=SYSTEM, request=request)
    return request_accept(actor=SYSTEM, request=request)
