"""Files sent with a request for assistance: added and removed by the requester while the request
is a draft; once sent, the files are part of the request as sent.

A file is checked before anything is stored: by its content, not its name (file_types.py), and
for its size. Stored through Django's storage API under a random name; if recording it then
fails, the stored copy is deleted again. A removed file's stored copy is deleted only once the
removal is committed, so a removal rolled back never leaves a record without its file.
"""

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.coordination.file_types import (
    SUFFIXES,
    clean_name,
    detect_type,
    name_suffix,
)
from stagewise.coordination.models import (
    AttachmentType,
    RequestAttachment,
    RequestForAssistance,
    RequestStatus,
)
from stagewise.coordination.services.requests import _lock, _user
from stagewise.learners.access import require_for_learner
from stagewise.policy import Capability, SystemProcess

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor

    AnyActor = Actor | SystemProcess


def attachment_max_bytes() -> int:
    return settings.ATTACHMENT_MAX_MB * 1024 * 1024


def _what_to_attach() -> str:
    return _("Attach a PDF, a Word document (.docx or .doc), or a PNG or JPEG image.")


def attachment_check(upload: File) -> tuple[str, str, int]:
    """(the name to show, the detected content type, the size) of an acceptable file; otherwise a
    ValidationError naming the file and saying what to do. Reads the file; stores nothing."""
    name = clean_name(upload.name or "")
    shown = name or _("The file you chose")
    size = upload.size or 0
    if size == 0:
        raise ValidationError(
            _("“%(name)s” is empty. Check it opens on your computer, then choose it again.")
            % {"name": shown}
        )
    limit = attachment_max_bytes()
    if size > limit:
        raise ValidationError(
            _(
                "“%(name)s” is %(size)s, larger than the %(limit)s Stagewise accepts. Make it "
                "smaller (scan at a lower resolution, or save it as a PDF), or split it into "
                "parts."
            )
            % {"name": shown, "size": filesizeformat(size), "limit": filesizeformat(limit)}
        )
    detected = detect_type(upload)
    if detected is None:
        raise ValidationError(
            _("“%(name)s” is not a type of file Stagewise accepts. %(what_to_attach)s")
            % {"name": shown, "what_to_attach": _what_to_attach()}
        )
    suffix = name_suffix(name)
    if suffix not in SUFFIXES[detected]:
        raise ValidationError(
            _(
                "The file's content does not match its name: “%(name)s” holds %(detected)s, "
                "whose name ends %(suffix)s. Save it again in the format its name says, or "
                "rename it to end %(suffix)s if it is the file you meant."
            )
            % {
                "name": shown,
                "detected": AttachmentType(detected).label,
                "suffix": SUFFIXES[detected][0],
            }
        )
    return name, detected, size


def _require_draft(request: RequestForAssistance) -> None:
    if request.status != RequestStatus.DRAFT:
        raise ValidationError(
            _("This request has been sent: its files can no longer be added or removed.")
        )


def _audit(
    actor: "AnyActor",
    attachment: RequestAttachment,
    action: str,
    purpose: str,
    changes: dict[str, list[str | None]],
) -> None:
    audit_record(
        actor=actor,
        action=action,
        learner=attachment.request.learner,
        object_type="request_attachment",
        object_id=str(attachment.public_id),
        purpose=purpose,
        changes=changes,
        detail={
            "request": str(attachment.request.public_id),
            "content_type": attachment.content_type,
            "size": attachment.size,
        },
    )


def attachment_add(
    *, actor: "AnyActor", request: RequestForAssistance, upload: File
) -> RequestAttachment:
    """Attaches the file to a draft request, if it is one Stagewise accepts."""
    require_for_learner(
        actor, Capability.REQUEST_ASSISTANCE, request.learner, "attach file to request"
    )
    _require_draft(request)
    name, content_type, size = attachment_check(upload)
    attachment = RequestAttachment(
        original_name=name, content_type=content_type, size=size, uploaded_by=_user(actor)
    )
    stored = ""
    try:
        with transaction.atomic():
            locked = _lock(request)
            _require_draft(locked)
            attachment.request = locked
            # The name given here is ignored: attachment_path names the stored copy.
            attachment.file.save(name, upload, save=False)
            stored = attachment.file.name or ""
            attachment.save()
            _audit(
                actor,
                attachment,
                AuditAction.CREATE,
                "attach file to request",
                {"attachments": [None, name]},
            )
    except BaseException:
        if stored:
            attachment.file.storage.delete(stored)
        raise
    return attachment


@transaction.atomic
def attachment_remove(*, actor: "AnyActor", attachment: RequestAttachment) -> None:
    """Removes a file from a draft request; its stored copy goes once the removal is saved."""
    require_for_learner(
        actor,
        Capability.REQUEST_ASSISTANCE,
        attachment.request.learner,
        "remove file from request",
    )
    locked = _lock(attachment.request)
    _require_draft(locked)
    stored, storage = attachment.file.name, attachment.file.storage
    removed, _counts = RequestAttachment.objects.filter(pk=attachment.pk, request=locked).delete()
    if not removed:
        raise ValidationError(_("This file has already been removed."))
    _audit(
        actor,
        attachment,
        AuditAction.DELETE,
        "remove file from request",
        {"attachments": [attachment.original_name, None]},
    )
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))
