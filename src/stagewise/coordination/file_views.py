"""Pages for the files sent with a request for assistance: the draft's files (add one, remove one)
and the download, from the requester's side (through the learner) and from the service's side
(through the service the request is addressed to).

A request is part of the staff record: to a family these addresses do not exist (404). A file is
only ever served by these views, as a download, with the type its content was found to be, and
each download is recorded in the audit.
"""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.coordination.file_forms import AttachmentForm
from stagewise.coordination.file_selectors import (
    learner_attachment_get,
    request_attachment_get,
    request_attachment_list,
    service_attachment_get,
)
from stagewise.coordination.models import RequestAttachment, RequestForAssistance, RequestStatus
from stagewise.coordination.selectors import learner_request_get
from stagewise.coordination.services import attachment_add, attachment_remove
from stagewise.coordination.services.attachments import attachment_max_bytes
from stagewise.learners.access import get_learner_for, refuse
from stagewise.learners.models import Learner
from stagewise.policy import Capability, CapabilityRequired, may

logger = logging.getLogger(__name__)

DOWNLOAD_PURPOSE = "download file sent with request"


def _learner_for_staff_record(request: HttpRequest, learner_id: str, purpose: str) -> Learner:
    """The learner, for someone who may read the professional record; 404 for the rest."""
    actor = request.actor  # type: ignore[attr-defined]
    learner = get_learner_for(actor, learner_id, purpose=purpose)
    if not may(actor, Capability.VIEW_PROFESSIONAL_RECORD):
        refuse(actor=actor, learner=learner, purpose=purpose)
        raise Http404
    return learner


def _requester_side(
    request: HttpRequest, learner_id: str, request_id: str, purpose: str
) -> tuple[Learner, RequestForAssistance]:
    """The learner and their request, for someone who may change the request's files: 404 for
    those who do not see the learner (and families), 403 (recorded) for staff who see them but
    do not make requests, before any request is looked up."""
    actor = request.actor  # type: ignore[attr-defined]
    # A request is part of the staff record: to a family it does not exist.
    learner = _learner_for_staff_record(request, learner_id, purpose)
    if not may(actor, Capability.REQUEST_ASSISTANCE):
        refuse(actor=actor, learner=learner, purpose=purpose)
        raise CapabilityRequired(Capability.REQUEST_ASSISTANCE)
    assistance_request = learner_request_get(
        actor=actor, learner=learner, request_id=request_id, purpose=purpose
    )
    return learner, assistance_request


def _to_files(learner: Learner, assistance_request: RequestForAssistance) -> HttpResponse:
    return redirect(
        "request_files:add", learner_id=learner.public_id, request_id=assistance_request.public_id
    )


@login_required
def files_view(request: HttpRequest, learner_id: str, request_id: str) -> HttpResponse:
    """The draft's files, each with its remove button, and the form that adds one."""
    actor = request.actor  # type: ignore[attr-defined]
    learner, assistance_request = _requester_side(
        request, learner_id, request_id, "attach file to request"
    )
    # Bound on any post, even an empty one, so that a missing file is explained.
    form = (
        AttachmentForm(request.POST, request.FILES)
        if request.method == "POST"
        else AttachmentForm()
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            attachment = attachment_add(actor=actor, request=assistance_request, upload=upload)
        except ValidationError as error:
            form.add_error("file", error.messages)
        else:
            messages.success(
                request, _("“%(name)s” is attached.") % {"name": attachment.original_name}
            )
            return _to_files(learner, assistance_request)
    return render(
        request,
        "coordination/files/request_files.html",
        {
            "learner": learner,
            "assistance_request": assistance_request,
            "attachments": request_attachment_list(assistance_request),
            "is_draft": assistance_request.status == RequestStatus.DRAFT,
            "form": form,
            "max_size": filesizeformat(attachment_max_bytes()),
        },
    )


@login_required
@require_POST
def file_remove_view(
    request: HttpRequest, learner_id: str, request_id: str, attachment_id: str
) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    purpose = "remove file from request"
    learner, assistance_request = _requester_side(request, learner_id, request_id, purpose)
    attachment = request_attachment_get(
        actor=actor, request=assistance_request, attachment_id=attachment_id, purpose=purpose
    )
    try:
        attachment_remove(actor=actor, attachment=attachment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("“%(name)s” has been removed.") % {"name": attachment.original_name}
        )
    return _to_files(learner, assistance_request)


def _download(actor: object, attachment: RequestAttachment) -> FileResponse:
    """The file, as a download of the type its content was found to be, the download recorded."""
    try:
        handle = attachment.file.storage.open(attachment.file.name or "", "rb")
    except OSError:
        # The record is there but its stored copy is not: nothing to send, and staff must know.
        logger.error("The stored copy of attachment %s is missing.", attachment.public_id)
        raise Http404 from None
    audit_record(
        actor=actor,  # type: ignore[arg-type]
        action=AuditAction.EXPORT,
        learner=attachment.request.learner,
        object_type="request_attachment",
        object_id=str(attachment.public_id),
        purpose=DOWNLOAD_PURPOSE,
        detail={"request": str(attachment.request.public_id)},
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    # Never rendered by the browser as anything but what it was checked to be, nor as a page.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def learner_file_download_view(
    request: HttpRequest, learner_id: str, request_id: str, attachment_id: str
) -> FileResponse:
    """A request's file, for staff who see the learner (a service: its own requests only)."""
    actor = request.actor  # type: ignore[attr-defined]
    learner = _learner_for_staff_record(request, learner_id, DOWNLOAD_PURPOSE)
    attachment = learner_attachment_get(
        actor=actor,
        learner=learner,
        request_id=request_id,
        attachment_id=attachment_id,
        purpose=DOWNLOAD_PURPOSE,
    )
    return _download(actor, attachment)


@login_required
def service_file_download_view(
    request: HttpRequest, request_id: str, attachment_id: str
) -> FileResponse:
    """A request's file, for the service it was sent to: its manager before it is taken on."""
    actor = request.actor  # type: ignore[attr-defined]
    attachment = service_attachment_get(
        actor=actor, request_id=request_id, attachment_id=attachment_id, purpose=DOWNLOAD_PURPOSE
    )
    return _download(actor, attachment)
