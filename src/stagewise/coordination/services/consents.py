"""Consent to share a request for assistance with the service asked: recorded by the requester,
withdrawn by the family (or by staff the family told). Withdrawal takes effect at once: access
through the request is derived from a current consent (learners/access.py)."""

from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from stagewise.audit.models import AuditAction
from stagewise.coordination.models import (
    OPEN_REQUEST_STATUSES,
    ConsentGivenBy,
    RecordPart,
    RequestEventKind,
    RequestForAssistance,
    RequestStatus,
    SharingConsent,
)
from stagewise.coordination.services.requests import _audit, _event, _lock, _user
from stagewise.learners.access import require_for_learner
from stagewise.learners.models import Carer
from stagewise.notifications.models import NotificationKind
from stagewise.notifications.services import Notice, notifications_create
from stagewise.policy import Capability, SystemProcess, may

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor

    AnyActor = Actor | SystemProcess


@transaction.atomic
def consent_record(
    *,
    actor: "AnyActor",
    request: RequestForAssistance,
    given_by: str,
    given_by_name: str,
    given_on: date,
    method: str,
    parts: list[str],
    carer: Carer | None = None,
) -> SharingConsent:
    """Records the consent of a parent or the young person (or a child of 12 to 15 with
    capacity) to share the request, and the parts of the record named, with the service."""
    require_for_learner(
        actor, Capability.REQUEST_ASSISTANCE, request.learner, "record consent to share"
    )
    locked = _lock(request)
    if locked.status not in (RequestStatus.DRAFT, *OPEN_REQUEST_STATUSES):
        raise ValidationError(_("This request is closed: there is nothing left to consent to."))
    if locked.consents.filter(withdrawn_at__isnull=True).exists():
        raise ValidationError(
            _("Consent is already recorded for this request. Withdraw it first to record it again.")
        )
    if carer is not None and not locked.learner.carer_links.filter(carer=carer).exists():
        raise ValidationError({"carer": _("Choose one of this learner's parents or carers.")})
    if given_on > timezone.localdate():
        raise ValidationError(
            {"given_on": _("The date consent was given cannot be in the future.")}
        )
    if given_by not in ConsentGivenBy.values:
        raise ValidationError({"given_by": _("Say who gave consent.")})
    consent = SharingConsent(
        request=locked,
        given_by=given_by,
        given_by_name=(given_by_name or "").strip(),
        carer=carer,
        parts=[part for part in RecordPart.values if part in set(parts)],
        given_on=given_on,
        method=method,
        recorded_by=_user(actor),
    )
    unknown = set(parts) - set(RecordPart.values)
    if unknown:
        raise ValidationError({"parts": _("Choose the parts of the record that may be shared.")})
    consent.full_clean(exclude=["request", "carer", "recorded_by"])
    consent.save()
    _event(actor, locked, RequestEventKind.CONSENT_RECORDED, consent.given_by_name)
    _audit(
        actor,
        locked,
        "record consent to share",
        {"consent": [None, consent.given_by_name], "parts": [None, consent.parts]},
    )
    return consent


def consent_withdraw_capability(actor: "AnyActor") -> Capability:
    """The family it was given for withdraw it as a family; the school or authority that asked
    (told by the family) as the requester."""
    return (
        Capability.WITHDRAW_CONSENT
        if may(actor, Capability.WITHDRAW_CONSENT)
        else Capability.REQUEST_ASSISTANCE
    )


def _require_may_withdraw(actor: "AnyActor", consent: SharingConsent) -> None:
    require_for_learner(
        actor,
        consent_withdraw_capability(actor),
        consent.request.learner,
        "withdraw consent to share",
    )


def _tell_those_working_on(request: RequestForAssistance, consent: SharingConsent) -> None:
    """The person who asked and the practitioner it is allocated to are told at once, each in
    their own language: the request page says what the service may no longer see."""
    people = [user for user in (request.requested_by, request.allocated_to) if user is not None]
    notices = []
    for person in people:
        with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
            notices.append(
                Notice(
                    recipient_id=person.pk,
                    learner_id=request.learner_id,
                    dedupe_key=f"consent-withdrawn:{consent.pk}:{person.pk}",
                    kind=NotificationKind.CONSENT_WITHDRAWN,
                    subject=_("Consent withdrawn: %(learner)s and %(service)s")
                    % {"learner": request.learner.display_name, "service": request.service},
                    body=_(
                        "Consent to share the request for assistance with %(service)s was"
                        " withdrawn. Unless a lawful basis is recorded, the service can no longer"
                        " see the learner's record through it."
                    )
                    % {"service": request.service},
                    link_url=reverse(
                        "requests:detail",
                        kwargs={
                            "learner_id": request.learner.public_id,
                            "request_id": request.public_id,
                        },
                    )
                    if person == request.requested_by
                    else reverse("services:my_requests"),
                )
            )
    notifications_create(notices=notices)


@transaction.atomic
def consent_withdraw(
    *, actor: "AnyActor", consent: SharingConsent, note: str = ""
) -> SharingConsent:
    """Withdraws consent at once: the service no longer sees the learner through this request,
    unless a lawful basis was recorded for sharing without consent."""
    _require_may_withdraw(actor, consent)
    locked = SharingConsent.objects.select_for_update().get(pk=consent.pk)
    if locked.withdrawn_at is not None:
        raise ValidationError(_("This consent was withdrawn already."))
    locked.withdrawn_at = timezone.now()
    locked.withdrawn_by = _user(actor)
    locked.withdrawal_note = (note or "").strip()
    locked.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_note"])
    request = _lock(consent.request)
    _event(actor, request, RequestEventKind.CONSENT_WITHDRAWN, locked.withdrawal_note)
    _tell_those_working_on(request, locked)
    _audit(
        actor,
        request,
        "withdraw consent to share",
        {"consent": [locked.given_by_name, None]},
        action=AuditAction.UPDATE,
    )
    return locked
