"""Contributions: a service's assessment or advice about a learner, attached to the request and
the learner, and adopted by the plan's author into a plan as support the practitioner provides.

The world (built once for this module; each test's changes are rolled back): Ailsa Campbell
attends Riverside Primary in Glasgow. Her school asked Glasgow Speech and Language Therapy ("the
service") for help, with her parent's consent to share her needs and plans; the request is
allocated to Tam (`practitioner`), who has started work. Morag (`colleague`) works for the same
service; Glasgow CAMHS has its own practitioner (`other_agency`). Ailsa has a personal learning
plan being revised and an individualised educational programme finalised, each with targets.

The rules: only the practitioner the request is allocated to adds advice, and only while the work
is in progress and shared; the plan's author adopts its suggested support into a plan being
written or revised, never a finalised one, and the plan then names the practitioner and their
service as the provider. A contribution is a staff record: a family never reaches it. When the
involvement closes, the practitioner keeps their own writing (and the learner's name), not the
learner's record.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stagewise.accounts.models import User
from stagewise.audit.models import AuditAction, AuditEvent
from stagewise.conftest import staff_member
from stagewise.coordination.models import (
    ConsentGivenBy,
    ConsentMethod,
    Contribution,
    ContributionKind,
    RecordPart,
    RequestEventKind,
    RequestForAssistance,
)
from stagewise.coordination.services import (
    consent_record,
    consent_withdraw,
    contribution_accept,
    contribution_add,
    request_accept,
    request_complete,
    request_draft,
    request_send,
    request_start,
)
from stagewise.learners.models import Learner
from stagewise.organisations.models import Agency, Role
from stagewise.planning.models import Plan, PlanStatus, SupportProvision
from stagewise.planning.services import plan_revise
from stagewise.policy import SYSTEM, CapabilityRequired
from stagewise.testing.factories import (
    AgencyFactory,
    SettingFactory,
    UserFactory,
    authority,
    enrolled_learner,
    link_carer,
)
from stagewise.testing.plans import acting, finalised_plan
from stagewise.testing.worlds import built_once_per_module

pytestmark = pytest.mark.django_db

SERVICE_NAME = "Glasgow Speech and Language Therapy"
ADVICE: dict[str, Any] = {
    "kind": ContributionKind.ADVICE,
    "title": "Speech and language advice",
    "body": "Ailsa follows two-step instructions when they are shown as well as said.",
    "suggested_description": "Instructions shown with symbols, one step at a time",
    "suggested_frequency": "Every lesson",
    "suggested_minutes_per_week": 60,
}


@dataclass
class ContributionWorld:
    users: dict[str, User]
    service: Agency
    learner: Learner
    request: RequestForAssistance
    plan_being_revised: Plan
    finalised: Plan

    def client(self, actor: str) -> Client:
        client = Client()
        client.force_login(self.users[actor])
        return client

    def actor(self, name: str) -> Any:
        return acting(self.users[name])


def _build() -> ContributionWorld:
    glasgow = authority("Glasgow City")
    school = SettingFactory.create(authority=glasgow, name="Riverside Primary School")
    service = AgencyFactory.create(authority=glasgow, name=SERVICE_NAME)
    camhs = AgencyFactory.create(authority=glasgow, name="Glasgow CAMHS")
    learner = enrolled_learner(
        school, year_group="P6", legal_first_name="Ailsa", legal_last_name="Campbell"
    )
    users = {
        "support_lead": staff_member(
            "support-lead@example.org", Role.SUPPORT_FOR_LEARNING_LEAD, setting=school
        ),
        "manager": staff_member("manager@example.org", Role.SERVICE_MANAGER, agency=service),
        "practitioner": staff_member("tam@example.org", Role.AGENCY_PRACTITIONER, agency=service),
        "colleague": staff_member("morag@example.org", Role.AGENCY_PRACTITIONER, agency=service),
        "other_agency": staff_member("camhs@example.org", Role.AGENCY_PRACTITIONER, agency=camhs),
        "parent": UserFactory.create(email="parent@example.org", full_name="Claire Campbell"),
    }
    link_carer(learner, user=users["parent"])
    lead = acting(users["support_lead"])
    being_revised = finalised_plan(lead, learner, "personal_learning_plan")
    plan_revise(actor=lead, plan=being_revised)
    finalised = finalised_plan(lead, learner, "individualised_educational_programme")

    request = request_draft(
        actor=lead,
        learner=learner,
        service=service,
        reason="Hard to follow spoken instructions in class.",
        tried="Visual prompts.",
        tried_for="Two terms",
        learner_views="Would like to understand the teacher first time.",
        family_views="Would like ideas to use at home.",
    )
    consent_record(
        actor=lead,
        request=request,
        given_by=ConsentGivenBy.PARENT,
        given_by_name="Claire Campbell",
        given_on=date(2025, 9, 1),
        method=ConsentMethod.IN_WRITING,
        parts=[RecordPart.NEEDS, RecordPart.PLANS],
    )
    request = request_send(actor=lead, request=request)
    request = request_accept(
        actor=acting(users["manager"]), request=request, practitioner=users["practitioner"]
    )
    request_start(actor=acting(users["practitioner"]), request=request)
    return ContributionWorld(
        users=users,
        service=service,
        learner=learner,
        request=RequestForAssistance.objects.get(pk=request.pk),
        plan_being_revised=Plan.objects.get(pk=being_revised.pk),
        finalised=Plan.objects.get(pk=finalised.pk),
    )


@pytest.fixture(scope="module")
def module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[ContributionWorld]:
    with built_once_per_module(_build, django_db_blocker) as built:
        yield built


@pytest.fixture
def cw(module_world: ContributionWorld, db: None) -> ContributionWorld:
    """The module's world, with this test's changes rolled back when it ends."""
    return module_world


def _advice(cw: ContributionWorld, **changes: Any) -> Contribution:
    return contribution_add(
        actor=cw.actor("practitioner"), request=cw.request, **(ADVICE | changes)
    )


def _accept_url(cw: ContributionWorld, contribution: Contribution) -> str:
    return reverse(
        "requests:contribution_accept",
        kwargs={
            "learner_id": cw.learner.public_id,
            "request_id": cw.request.public_id,
            "contribution_id": contribution.public_id,
        },
    )


def _detail_url(cw: ContributionWorld) -> str:
    return reverse(
        "requests:detail",
        kwargs={"learner_id": cw.learner.public_id, "request_id": cw.request.public_id},
    )


def _service_url(cw: ContributionWorld, name: str = "services:request") -> str:
    return reverse(name, kwargs={"request_id": cw.request.public_id})


def _form(prefix: str, data: dict[str, Any]) -> dict[str, Any]:
    return {f"{prefix}-{name}": "" if value is None else value for name, value in data.items()}


def _dates(name: str, day: date) -> dict[str, object]:
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def text(response: Any) -> str:
    return response.content.decode()


# Adding advice ------------------------------------------------------------------------------------


def test_the_allocated_practitioner_adds_advice_from_the_request_page_and_the_school_reads_it(
    cw: ContributionWorld,
) -> None:
    page = cw.client("practitioner").get(_service_url(cw))
    assert "Add advice or an assessment" in text(page)

    response = cw.client("practitioner").post(
        _service_url(cw, "services:contribution_add"), _form("contribution", ADVICE)
    )

    assert response.status_code == 302
    contribution = Contribution.objects.get(request=cw.request)
    assert contribution.learner == cw.learner
    assert contribution.author == cw.users["practitioner"]
    assert contribution.author_label == f"{cw.users['practitioner'].full_name}, {SERVICE_NAME}"
    assert contribution.suggested_minutes_per_week == 60
    assert cw.request.events.filter(kind=RequestEventKind.CONTRIBUTION_ADDED).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE,
        object_type="contribution",
        object_id=str(contribution.public_id),
        learner_key__learner=cw.learner,
    ).exists()
    assert ADVICE["body"] in text(cw.client("practitioner").get(_service_url(cw)))
    school_page = cw.client("support_lead").get(_detail_url(cw))
    assert ADVICE["body"] in text(school_page)
    assert _accept_url(cw, contribution) in text(school_page)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"body": ""}, "Write the assessment or advice."),
        ({"suggested_description": ""}, "Describe the support you suggest"),
        ({"suggested_frequency": ""}, "Say how often the support you suggest"),
    ],
)
def test_advice_missing_words_is_refused_on_the_form_saying_what_to_write(
    cw: ContributionWorld, changes: dict[str, str], message: str
) -> None:
    response = cw.client("practitioner").post(
        _service_url(cw, "services:contribution_add"), _form("contribution", ADVICE | changes)
    )

    assert response.status_code == 200
    assert message in text(response)
    assert "govuk-error-summary" in text(response)
    assert not Contribution.objects.exists()


def test_another_services_practitioner_cannot_add_advice(cw: ContributionWorld) -> None:
    response = cw.client("other_agency").post(
        _service_url(cw, "services:contribution_add"), _form("contribution", ADVICE)
    )

    assert response.status_code == 404
    with pytest.raises(CapabilityRequired):
        contribution_add(actor=cw.actor("other_agency"), request=cw.request, **ADVICE)
    assert not Contribution.objects.exists()


def test_a_colleague_the_request_is_not_allocated_to_cannot_add_advice(
    cw: ContributionWorld,
) -> None:
    page = cw.client("colleague").get(_service_url(cw))
    assert page.status_code == 200
    assert "Add advice or an assessment" not in text(page)

    response = cw.client("colleague").post(
        _service_url(cw, "services:contribution_add"), _form("contribution", ADVICE)
    )

    assert response.status_code == 200
    assert "This request is allocated to someone else." in text(response)
    assert not Contribution.objects.exists()


def test_no_advice_is_added_once_the_work_is_complete(cw: ContributionWorld) -> None:
    request_complete(actor=cw.actor("practitioner"), request=cw.request, note="Advice given")

    with pytest.raises(ValidationError) as refused:
        _advice(cw)

    assert "only while the work is in progress" in refused.value.messages[0]
    assert not Contribution.objects.exists()


def test_no_advice_is_added_through_a_request_whose_consent_was_withdrawn(
    cw: ContributionWorld,
) -> None:
    consent_withdraw(actor=SYSTEM, consent=cw.request.consents.get(), note="Family asked")

    with pytest.raises(ValidationError) as refused:
        contribution_add(actor=SYSTEM, request=cw.request, **ADVICE)

    assert "Consent to share this request has been withdrawn" in refused.value.messages[0]


# Adopting it into a plan --------------------------------------------------------------------------


def test_the_plan_author_adds_the_advice_to_a_plan_and_the_plan_names_the_practitioner(
    cw: ContributionWorld,
) -> None:
    contribution = _advice(cw)
    target = cw.plan_being_revised.targets.earliest("pk")
    revision = cw.plan_being_revised.edit_revision
    page = cw.client("support_lead").get(_accept_url(cw, contribution))
    assert page.status_code == 200
    # Only a plan being written or revised is offered, never the finalised one.
    assert target.outcome in text(page)
    offered = {value for value, _label in page.context["form"].fields["target"].choices}
    assert str(cw.finalised.targets.earliest("pk").pk) not in offered
    assert str(target.pk) in offered

    response = cw.client("support_lead").post(
        _accept_url(cw, contribution),
        {
            "target": target.pk,
            "description": ADVICE["suggested_description"],
            "frequency": ADVICE["suggested_frequency"],
            "minutes_per_week": 60,
            **_dates("starts_on", timezone.localdate()),
        },
    )

    assert response.status_code == 302
    provision = SupportProvision.objects.get(target=target, description__startswith="Instructions")
    practitioner = cw.users["practitioner"]
    assert provision.provider_staff == practitioner
    assert provision.provider_agency == cw.service
    assert provision.provider_label == f"{practitioner.full_name}, {SERVICE_NAME}"
    assert provision.frequency == "Every lesson"
    contribution.refresh_from_db()
    assert contribution.accepted_into == provision
    assert contribution.accepted_by == cw.users["support_lead"]
    assert contribution.accepted_at is not None
    assert Plan.objects.get(pk=cw.plan_being_revised.pk).edit_revision == revision + 1
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert cw.plan_being_revised.plan_type.display_name in message
    assert target.outcome in message
    assert AuditEvent.objects.filter(
        object_type="contribution",
        purpose="add advice to a plan as support",
        learner_key__learner=cw.learner,
    ).exists()
    assert AuditEvent.objects.filter(
        object_type="support_provision", action=AuditAction.CREATE, learner_key__learner=cw.learner
    ).exists()
    # The school's page says it is in the plan, and offers it no more.
    school_page = text(cw.client("support_lead").get(_detail_url(cw)))
    assert "Added to a plan" in school_page
    assert _accept_url(cw, contribution) not in school_page


def test_a_finalised_plan_is_refused_with_a_clear_message(cw: ContributionWorld) -> None:
    contribution = _advice(cw)
    target = cw.finalised.targets.earliest("pk")
    assert cw.finalised.status == PlanStatus.FINALISED

    with pytest.raises(ValidationError) as refused:
        contribution_accept(
            actor=cw.actor("support_lead"), contribution=contribution, target=target
        )
    response = cw.client("support_lead").post(
        _accept_url(cw, contribution),
        {
            "target": target.pk,
            "description": "x",
            "frequency": "Weekly",
            **_dates("starts_on", timezone.localdate()),
        },
    )

    assert "finalised and cannot be changed" in refused.value.message_dict["target"][0]
    assert response.status_code == 200
    assert "Choose one of the targets listed." in text(response)
    assert not SupportProvision.objects.filter(target=target, provider_agency=cw.service).exists()
    contribution.refresh_from_db()
    assert not contribution.is_accepted


def test_advice_is_added_to_a_plan_once(cw: ContributionWorld) -> None:
    contribution = _advice(cw)
    target = cw.plan_being_revised.targets.earliest("pk")
    contribution_accept(actor=cw.actor("support_lead"), contribution=contribution, target=target)

    with pytest.raises(ValidationError) as refused:
        contribution_accept(
            actor=cw.actor("support_lead"), contribution=contribution, target=target
        )

    assert "already been added to a plan" in refused.value.messages[0]
    assert SupportProvision.objects.filter(provider_agency=cw.service).count() == 1


def test_a_service_manager_who_writes_no_plans_cannot_add_advice_to_one(
    cw: ContributionWorld,
) -> None:
    contribution = _advice(cw)

    response = cw.client("manager").get(_accept_url(cw, contribution))

    assert response.status_code == 403
    with pytest.raises(CapabilityRequired):
        contribution_accept(
            actor=cw.actor("manager"),
            contribution=contribution,
            target=cw.plan_being_revised.targets.earliest("pk"),
        )


def test_a_family_never_reaches_a_contribution(cw: ContributionWorld) -> None:
    contribution = _advice(cw)

    accept = cw.client("parent").get(_accept_url(cw, contribution))
    detail = cw.client("parent").get(_detail_url(cw))
    own = cw.client("parent").get(
        reverse("services:my_contribution", kwargs={"contribution_id": contribution.public_id})
    )

    assert accept.status_code == 404
    assert detail.status_code in (403, 404)
    assert ADVICE["body"] not in text(detail)
    assert own.status_code == 404


# The practitioner's own writing, after the involvement closes -------------------------------------


def test_the_practitioner_keeps_their_own_advice_after_consent_is_withdrawn_but_not_the_record(
    cw: ContributionWorld,
) -> None:
    contribution = _advice(cw)
    consent_withdraw(
        actor=cw.actor("support_lead"), consent=cw.request.consents.get(), note="Family asked"
    )
    tam = cw.client("practitioner")
    own_url = reverse(
        "services:my_contribution", kwargs={"contribution_id": contribution.public_id}
    )

    listing = tam.get(reverse("services:my_contributions"))
    own = tam.get(own_url)

    assert listing.status_code == 200
    assert ADVICE["title"] in text(listing)
    assert cw.learner.display_name in text(listing)
    assert own.status_code == 200
    assert ADVICE["body"] in text(own)
    assert cw.learner.display_name in text(own)
    # Nothing else of the learner's record: not her date of birth, not her school.
    assert cw.learner.date_of_birth.strftime("%-d %B %Y") not in text(own)
    assert "Riverside Primary School" not in text(own)
    assert tam.get(reverse("learners:profile", args=[cw.learner.public_id])).status_code == 404
    assert tam.get(_service_url(cw)).status_code == 404


def test_the_practitioner_keeps_their_own_advice_after_the_work_is_complete(
    cw: ContributionWorld,
) -> None:
    contribution = _advice(cw)
    request_complete(actor=cw.actor("practitioner"), request=cw.request, note="Advice given")

    own = cw.client("practitioner").get(
        reverse("services:my_contribution", kwargs={"contribution_id": contribution.public_id})
    )

    assert own.status_code == 200
    assert ADVICE["body"] in text(own)


@pytest.mark.parametrize("actor", ["colleague", "manager", "support_lead", "other_agency"])
def test_only_the_author_opens_their_own_advice(cw: ContributionWorld, actor: str) -> None:
    contribution = _advice(cw)

    response = cw.client(actor).get(
        reverse("services:my_contribution", kwargs={"contribution_id": contribution.public_id})
    )

    assert response.status_code == 404
    assert AuditEvent.objects.filter(
        action=AuditAction.REFUSED, object_type="contribution", learner_key__learner=cw.learner
    ).exists()


def test_a_colleagues_list_of_their_own_advice_does_not_include_anothers(
    cw: ContributionWorld,
) -> None:
    _advice(cw)

    response = cw.client("colleague").get(reverse("services:my_contributions"))

    assert response.status_code == 200
    assert ADVICE["title"] not in text(response)
