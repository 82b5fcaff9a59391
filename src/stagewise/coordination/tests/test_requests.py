"""Requests for assistance, the requester's side and the consent that lets them travel: a request
cannot leave without consent or a lawful basis, its answer clock is the statutory 10 weeks for a
co-ordinated support plan and the service's published time otherwise, and a service sees a
learner only while a consent (or a lawful basis) covers the request it took on, and only the
parts of the record that consent names."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from stagewise.audit.models import AuditAction, AuditEvent
from stagewise.audit.services import audit_session
from stagewise.coordination.models import (
    ConsentGivenBy,
    ConsentMethod,
    RecordPart,
    RequestForAssistance,
    RequestStatus,
    ServicePathway,
)
from stagewise.coordination.selectors import learner_request_list
from stagewise.coordination.services import (
    consent_record,
    consent_withdraw,
    lawful_basis_record,
    request_accept,
    request_decline,
    request_draft,
    request_send,
    request_start,
)
from stagewise.learners.access import shared_parts, visible_learners
from stagewise.notifications.models import Notification, NotificationKind
from stagewise.policy import SYSTEM
from stagewise.statutory.models import ProcessOutcome, ProcessStatus
from stagewise.testing.factories import AgencyFactory, authority, enrolled_learner, involve_agency
from stagewise.testing.plans import acting, complete_plan


def draft(actor, learner, service, **fields):
    return request_draft(
        actor=actor,
        learner=learner,
        service=service,
        reason=fields.pop("reason", "Hard to understand in class."),
        tried="Small-group language work.",
        tried_for="A term",
        learner_views="Wants to be understood.",
        family_views="Would like advice.",
        **fields,
    )


def consent(actor, request, parts=(RecordPart.NEEDS,)):
    return consent_record(
        actor=actor,
        request=request,
        given_by=ConsentGivenBy.PARENT,
        given_by_name="Claire Campbell",
        given_on=timezone.localdate(),
        method=ConsentMethod.IN_PERSON,
        parts=list(parts),
    )


@pytest.fixture
def lead(support_lead):
    return acting(support_lead)


@pytest.fixture
def fresh_learner(world):
    """A learner no service is involved with yet."""
    return enrolled_learner(world.school, legal_first_name="Rory")


def test_a_request_cannot_be_sent_without_consent_or_a_lawful_basis(lead, world, fresh_learner):
    request = draft(lead, fresh_learner, world.agency)

    with pytest.raises(ValidationError) as refused:
        request_send(actor=lead, request=request)

    assert "Record the consent of the parent or young person" in refused.value.messages[0]
    request.refresh_from_db()
    assert request.status == RequestStatus.DRAFT
    assert request.sent_on is None


def test_a_request_is_due_after_the_services_published_response_time(lead, world, fresh_learner):
    ServicePathway.objects.create(
        service=world.agency,
        summary="Speech and language therapy.",
        access_criteria="Children who find talking hard.",
        request_must_include="What has been tried.",
        response_weeks=6,
        telephone="0141 496 0000",
    )
    request = draft(lead, fresh_learner, world.agency)
    consent(lead, request)

    request_send(actor=lead, request=request)

    request.refresh_from_db()
    assert request.status == RequestStatus.SENT
    assert request.due_on == timezone.localdate() + timedelta(weeks=6)
    assert request.clock is None


def test_a_request_for_a_coordinated_support_plan_runs_the_statutory_ten_weeks(
    lead, authority_officer, world, fresh_learner
):
    plan = complete_plan(acting(authority_officer), fresh_learner, "coordinated_support_plan")
    request = draft(lead, fresh_learner, world.agency, plan=plan)
    consent(lead, request)

    request_send(actor=lead, request=request)
    request.refresh_from_db()

    assert request.clock is not None
    assert request.clock.rule_key == "scotland.agency_help"
    assert request.clock.agency == world.agency
    assert request.due_on == request.clock.due_on == timezone.localdate() + timedelta(weeks=10)

    request_accept(actor=SYSTEM, request=request)
    request.clock.refresh_from_db()
    assert request.clock.status == ProcessStatus.CLOSED
    assert request.clock.outcome == ProcessOutcome.DONE


def test_a_request_goes_only_to_a_service_of_the_learners_authority(lead, fresh_learner):
    fife_service = AgencyFactory.create(authority=authority("Fife"), name="Fife Therapy")

    with pytest.raises(ValidationError) as refused:
        draft(lead, fresh_learner, fife_service)

    assert "Choose a service that works in Glasgow City" in str(refused.value)
    assert not RequestForAssistance.objects.filter(learner=fresh_learner).exists()


def test_sharing_without_consent_needs_a_basis_is_audited_and_shown_to_the_authority(
    lead, world, fresh_learner, signed_in
):
    request = draft(lead, fresh_learner, world.agency)
    with pytest.raises(ValidationError):
        lawful_basis_record(actor=lead, request=request, lawful_basis="  ")

    lawful_basis_record(actor=lead, request=request, lawful_basis="Risk of significant harm.")
    request_send(actor=lead, request=request)

    assert AuditEvent.objects.filter(
        purpose="share without consent on a lawful basis", learner_key__learner=fresh_learner
    ).exists()
    page = signed_in("authority_officer").get(reverse("shared_without_consent"))
    assert "Risk of significant harm." in page.content.decode()
    assert signed_in("support_lead").get(reverse("shared_without_consent")).status_code == 403


def test_a_service_sees_the_learner_only_once_it_takes_the_request_on(
    lead, world, fresh_learner, agency_practitioner
):
    practitioner = acting(agency_practitioner)
    request = draft(lead, fresh_learner, world.agency)
    consent(lead, request)
    assert fresh_learner not in visible_learners(practitioner)
    assert not learner_request_list(actor=practitioner, learner=fresh_learner).exists()

    request_send(actor=lead, request=request)
    assert fresh_learner not in visible_learners(practitioner)

    request_accept(actor=SYSTEM, request=request)
    assert fresh_learner in visible_learners(practitioner)


def test_withdrawing_consent_closes_the_door_at_once_and_tells_those_working_on_it(
    lead, world, fresh_learner, agency_practitioner, support_lead, parent
):
    practitioner = acting(agency_practitioner)
    request = draft(lead, fresh_learner, world.agency)
    given = consent(lead, request)
    request_send(actor=lead, request=request)
    request_accept(actor=SYSTEM, request=request, practitioner=agency_practitioner)
    request_start(actor=practitioner, request=request)
    assert fresh_learner in visible_learners(practitioner)

    # Another learner's parent may not withdraw it.
    with pytest.raises(PermissionDenied):
        consent_withdraw(actor=acting(parent), consent=given, note="")

    consent_withdraw(actor=lead, consent=given, note="The family told the school.")

    assert fresh_learner not in visible_learners(practitioner)
    told = Notification.objects.filter(kind=NotificationKind.CONSENT_WITHDRAWN)
    assert set(told.values_list("recipient", flat=True)) == {
        support_lead.pk,
        agency_practitioner.pk,
    }


def test_a_service_sees_only_the_parts_of_the_record_the_consent_names(
    world, fresh_learner, agency_practitioner, signed_in
):
    involve_agency(fresh_learner, world.agency, parts=[RecordPart.NEEDS])
    practitioner = acting(agency_practitioner)

    assert shared_parts(practitioner, fresh_learner) == {RecordPart.NEEDS}
    client = signed_in("agency_practitioner")
    learner_id = fresh_learner.public_id
    assert client.get(reverse("learners:stage_timeline", args=[learner_id])).status_code == 200
    assert client.get(reverse("planning:list", args=[learner_id])).status_code == 404
    assert client.get(reverse("learners:chronology", args=[learner_id])).status_code == 404
    profile = client.get(reverse("learners:profile", args=[learner_id])).content.decode()
    assert "does not cover these parts of the record" in profile
    assert "Wellbeing assessments" not in profile


def test_a_service_cannot_answer_a_request_sent_to_another(
    lead, world, fresh_learner, other_agency
):
    request = draft(lead, fresh_learner, world.agency)
    consent(lead, request)
    request_send(actor=lead, request=request)

    with audit_session(), pytest.raises(PermissionDenied):
        request_decline(actor=acting(other_agency), request=request, reason="Not ours")

    request.refresh_from_db()
    assert request.status == RequestStatus.SENT
    assert AuditEvent.objects.filter(
        action=AuditAction.REFUSED, learner_key__learner=fresh_learner
    ).exists()


def test_a_declined_request_needs_a_reason(lead, world, fresh_learner, service_manager):
    request = draft(lead, fresh_learner, world.agency)
    consent(lead, request)
    request_send(actor=lead, request=request)

    with pytest.raises(ValidationError) as refused:
        request_decline(actor=acting(service_manager), request=request, reason=" ")

    assert "Say why the request is declined" in str(refused.value)
    request.refresh_from_db()
    assert request.status == RequestStatus.SENT


def test_the_family_sees_every_service_that_can_see_the_record_and_on_what_basis(world, signed_in):
    page = signed_in("parent").get(reverse("learners:profile", args=[world.learner.public_id]))

    text = page.content.decode()
    assert str(world.agency) in text
    assert "With the consent of A parent" in text
