"""Reads of the files sent with requests for assistance, each through a door of selectors.py: the
requester's side through the learner, the service's side through its own service. A file named
under a request it does not belong to is a 404, refused against the file's own learner."""

import uuid
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from stagewise.coordination.models import RequestAttachment, RequestForAssistance
from stagewise.coordination.selectors import learner_request_get, service_request_get
from stagewise.learners.access import record_or_404
from stagewise.learners.models import Learner

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor


def request_attachment_list(request: RequestForAssistance) -> QuerySet[RequestAttachment]:
    """A request's files, oldest first, for a request already reached through one of the doors."""
    return request.attachments.select_related("uploaded_by")


def request_attachment_get(
    *, actor: "Actor", request: RequestForAssistance, attachment_id: object, purpose: str
) -> RequestAttachment:
    """One of the request's files, for a request already reached through one of the doors; a
    file of another request is a 404, refused against that file's own learner."""
    try:
        public_id = uuid.UUID(str(attachment_id))
    except ValueError:
        raise Http404 from None
    return record_or_404(
        actor=actor,
        records=RequestAttachment.objects.select_related("request__learner"),
        within={"request": request},
        learner_path="request__learner",
        purpose=purpose,
        object_type="request_attachment",
        public_id=public_id,
    )


def learner_attachment_get(
    *, actor: "Actor", learner: Learner, request_id: object, attachment_id: object, purpose: str
) -> RequestAttachment:
    """A file of one of the learner's requests (for a service, a request addressed to it), for a
    learner the actor already reached through learners/access; otherwise 404."""
    request = learner_request_get(
        actor=actor, learner=learner, request_id=request_id, purpose=purpose
    )
    return request_attachment_get(
        actor=actor, request=request, attachment_id=attachment_id, purpose=purpose
    )


def service_attachment_get(
    *, actor: "Actor", request_id: object, attachment_id: object, purpose: str
) -> RequestAttachment:
    """A file of a request, from the service's side: its manager reads the files of any request
    sent to it (to decide on it), its practitioners those of requests taken on and shared."""
    request = service_request_get(actor=actor, request_id=request_id, purpose=purpose)
    return request_attachment_get(
        actor=actor, request=request, attachment_id=attachment_id, purpose=purpose
    )
