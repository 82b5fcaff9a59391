"""The API's own behaviour (ADR 0051): tokens, scopes, cursors, the rate limit, the writes and
their refusals, measures through disclosure control. Who sees what is api/tests/test_access.py."""

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from stagewise.api.api import api as ninja_api
from stagewise.api.models import ApiToken, Integration, Scope
from stagewise.api.services import api_token_create, api_token_revoke, integration_create
from stagewise.audit.models import AuditAction, AuditEvent
from stagewise.conftest import build_world, staff_member
from stagewise.coordination.models import (
    ConsentGivenBy,
    ConsentMethod,
    RequestForAssistance,
    RequestStatus,
)
from stagewise.coordination.services import consent_record, request_draft, request_send
from stagewise.coordination.services.meetings import school_and_authority_staff
from stagewise.learners.models import Learner
from stagewise.measurement.models import AttendanceRecord
from stagewise.moderation.selectors import eligible_moderators
from stagewise.organisations.models import Membership, Role
from stagewise.organisations.selectors import person_list
from stagewise.policy import SYSTEM
from stagewise.testing.factories import enrolled_learner
from stagewise.testing.worlds import built_once_per_module


@dataclass
class ApiWorld:
    learner: Learner
    other_learner: Learner
    school_learners: list[Learner]
    integration: Integration
    # Every scope, as the school's support-for-learning lead.
    token: str
    # Only learners:read.
    reader: str
    service_id: int
    # As the agency's service manager, with every scope; and a request sent to the agency.
    service_token: str
    sent_request: RequestForAssistance
    # An integration of the same agency acting as a practitioner; and a practitioner there.
    practitioner_token: str
    practitioner_email: str


def _build() -> ApiWorld:
    world = build_world()
    more = [enrolled_learner(world.school, legal_last_name=name) for name in ("Adair", "Baird")]
    integration = integration_create(
        actor=SYSTEM,
        name="Riverside MIS",
        role=Role.SUPPORT_FOR_LEARNING_LEAD,
        setting=world.school,
    )
    token = api_token_create(actor=SYSTEM, integration=integration, scopes=Scope.values).secret
    reader = api_token_create(
        actor=SYSTEM, integration=integration, scopes=[Scope.LEARNERS_READ]
    ).secret
    service = integration_create(
        actor=SYSTEM, name="Therapy records", role=Role.SERVICE_MANAGER, agency=world.agency
    )
    sent = request_draft(
        actor=SYSTEM,
        learner=world.learner,
        service=world.agency,
        reason="Finds it hard to be understood.",
        tried="Small-group language work.",
        tried_for="A term",
        learner_views="Would like help.",
        family_views="Agree.",
    )
    consent_record(
        actor=SYSTEM,
        request=sent,
        given_by=ConsentGivenBy.PARENT,
        given_by_name="A parent",
        given_on=timezone.localdate(),
        method=ConsentMethod.IN_WRITING,
        parts=[],
    )
    request_send(actor=SYSTEM, request=sent)
    practitioner = staff_member(
        "pat.therapist@example.org", Role.AGENCY_PRACTITIONER, agency=world.agency
    )
    as_practitioner = integration_create(
        actor=SYSTEM, name="Caseload app", role=Role.AGENCY_PRACTITIONER, agency=world.agency
    )
    return ApiWorld(
        learner=world.learner,
        other_learner=world.other_learner,
        school_learners=[world.learner, *more],
        integration=integration,
        token=token,
        reader=reader,
        service_id=world.agency.pk,
        service_token=api_token_create(
            actor=SYSTEM, integration=service, scopes=Scope.values
        ).secret,
        sent_request=sent,
        practitioner_token=api_token_create(
            actor=SYSTEM, integration=as_practitioner, scopes=Scope.values
        ).secret,
        practitioner_email=practitioner.email,
    )


@pytest.fixture(scope="module")
def module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[ApiWorld]:
    with built_once_per_module(_build, django_db_blocker) as built:
        yield built


@pytest.fixture
def api(module_world: ApiWorld, db: None) -> ApiWorld:
    return module_world


def client(token: str, **headers: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {token}", **headers})


def post(token: str, name: str, body: dict, **kwargs: Any) -> Any:
    return client(token).post(reverse(name, kwargs=kwargs), body, content_type="application/json")


def test_a_token_is_stored_as_a_digest_and_known_by_its_prefix(api):
    issued = api_token_create(actor=SYSTEM, integration=api.integration, scopes=["plans:read"])
    stored = ApiToken.objects.get(pk=issued.token.pk)

    assert issued.secret.startswith(f"sw_{stored.prefix}_")
    assert stored.secret_digest == hashlib.sha256(issued.secret.encode()).hexdigest()
    assert issued.secret.split("_", 2)[2] not in str(
        ApiToken.objects.filter(pk=stored.pk).values().get()
    )
    assert AuditEvent.objects.filter(object_type="api_token", object_id=stored.prefix).exists()


def test_a_missing_wrong_revoked_or_ended_token_authenticates_nobody(api):
    learners = reverse("api:learner_list")
    issued = api_token_create(actor=SYSTEM, integration=api.integration, scopes=Scope.values)
    wrong_secret = issued.secret[:-4] + "abcd"
    assert client(issued.secret).get(learners).status_code == 200

    api_token_revoke(actor=SYSTEM, token=issued.token)
    answers = [
        Client().get(learners),
        client("not-a-token").get(learners),
        client(wrong_secret).get(learners),
        client(issued.secret).get(learners),
    ]
    # A role that has ended (as an administrator's ending it on the memberships page would).
    Membership.objects.filter(pk=api.integration.membership_id).update(
        started_on=date(2020, 1, 1), ended_on=date(2020, 12, 31)
    )
    answers.append(client(api.token).get(learners))

    assert [answer.status_code for answer in answers] == [401] * 5
    assert answers[0]["WWW-Authenticate"] == "Bearer"
    assert "Authorization: Bearer" in answers[0].json()["message"]


def test_a_token_without_the_scope_is_refused_and_told_which(api):
    answer = client(api.reader).get(reverse("api:learner_plans", args=[api.learner.public_id]))

    assert answer.status_code == 403
    assert "plans:read" in answer.json()["message"]


def test_the_learner_list_is_paged_by_cursor_to_its_end(api):
    seen: list[str] = []
    cursor = ""
    for _page in range(5):
        query = {"limit": "2", "cursor": cursor}
        answer = client(api.token).get(reverse("api:learner_list"), query)
        assert answer.status_code == 200
        seen += [row["id"] for row in answer.json()["results"]]
        cursor = answer.json()["next_cursor"]
        if cursor is None:
            break

    assert sorted(seen) == sorted(str(learner.public_id) for learner in api.school_learners)
    assert len(seen) == len(set(seen)) == 3


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"cursor": "made-up"}, "cursor"),
        ({"limit": 0}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"name": "Ail\x00sa"}, "name"),
    ],
)
def test_a_bad_query_says_which_field_to_fix(api, query, field):
    answer = client(api.token).get(reverse("api:learner_list"), query)

    assert answer.status_code == 422
    assert [error["field"] for error in answer.json()["errors"]] == [field]


def test_anything_out_of_reach_or_malformed_is_a_plain_404(api):
    addresses = [
        reverse("api:learner_detail", args=[api.other_learner.public_id]),
        reverse("api:learner_detail", args=["not-a-learner"]),
        reverse("api:learner_plan", args=[api.learner.public_id, "not-a-plan"]),
        reverse("api:learner_request", args=[api.learner.public_id, api.learner.public_id]),
    ]
    answers = [client(api.token).get(address) for address in addresses]

    assert {answer.status_code for answer in answers} == {404}
    assert len({answer.content for answer in answers}) == 1


def test_errors_follow_the_callers_language(api):
    answer = client(api.token, **{"Accept-Language": "cy"}).get(
        reverse("api:learner_detail", args=["not-a-learner"])
    )

    assert answer.status_code == 404
    assert (
        answer.json()["message"]
        == "Ni chafwyd dim yn y cyfeiriad hwn ar gyfer yr integreiddiad hwn."
    )


@override_settings(API_REQUESTS_PER_MINUTE=2)
def test_a_token_over_its_rate_limit_is_told_when_to_try_again(api):
    learners = reverse("api:learner_list")
    answers = [client(api.reader).get(learners) for _each in range(3)]
    # A refused write counts too, though its transaction is rolled back.
    refused = post(api.reader, "api:learner_attendance", {}, learner_id=api.learner.public_id)

    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert 1 <= int(answers[2]["Retry-After"]) <= 61
    assert refused.status_code == 429
    assert ApiToken.objects.get(prefix=api.reader.split("_")[1]).window_requests == 4


def _draft(api: ApiWorld, **fields: str) -> Any:
    words = {
        "reason": "Finds reading aloud very hard.",
        "tried": "Paired reading.",
        "tried_for": "A term",
        "learner_views": "Wants help.",
        "family_views": "Agree.",
    }
    return post(
        api.token,
        "api:learner_request_draft",
        {"service_id": api.service_id, **words, **fields},
        learner_id=api.learner.public_id,
    )


def test_a_request_for_assistance_is_drafted_and_withdrawn_through_the_services(api):
    drafted = _draft(api, urgency="soon")
    assert drafted.status_code == 201, drafted.content
    request_id = drafted.json()["id"]
    request = RequestForAssistance.objects.get(public_id=request_id)
    assert (request.status, request.urgency, request.requested_by) == (
        RequestStatus.DRAFT,
        "soon",
        api.integration.service_user,
    )
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE,
        object_id=request_id,
        purpose="draft request for assistance",
        user=api.integration.service_user,
    ).exists()

    ids = {"learner_id": api.learner.public_id, "request_id": request_id}
    unsent = post(api.token, "api:learner_request_send", {}, **ids)
    assert unsent.status_code == 422
    assert unsent.json()["message"].startswith("Record the consent of the parent or young person")

    blank = post(api.token, "api:learner_request_withdraw", {"reason": ""}, **ids)
    assert blank.status_code == 422
    assert blank.json()["errors"][0]["field"] == "reason"

    withdrawn = post(api.token, "api:learner_request_withdraw", {"reason": "Resolved."}, **ids)
    assert withdrawn.status_code == 200
    detail = client(api.token).get(reverse("api:learner_request", kwargs=ids)).json()
    assert detail["status"] == RequestStatus.WITHDRAWN
    assert [event["kind"] for event in detail["events"]] == ["drafted", "withdrawn"]


def test_consent_recorded_through_the_api_lets_the_request_be_sent_and_is_withdrawn(api):
    ids = {"learner_id": api.learner.public_id, "request_id": _draft(api).json()["id"]}
    consent = {
        "given_by": "parent",
        "given_by_name": "Morag Reid",
        "given_on": timezone.localdate().isoformat(),
        "method": "in_writing",
        "parts": ["needs", "plans"],
    }
    tomorrow = date.fromordinal(timezone.localdate().toordinal() + 1).isoformat()
    refused = {
        "given_on": post(
            api.token, "api:learner_request_consent", consent | {"given_on": tomorrow}, **ids
        ),
        "given_by": post(
            api.token, "api:learner_request_consent", consent | {"given_by": "aunt"}, **ids
        ),
        "parts": post(
            api.token, "api:learner_request_consent", consent | {"parts": ["diary"]}, **ids
        ),
    }
    scopeless = post(api.reader, "api:learner_request_consent", consent, **ids)
    recorded = post(api.token, "api:learner_request_consent", consent, **ids)
    twice = post(api.token, "api:learner_request_consent", consent, **ids)
    sent = post(api.token, "api:learner_request_send", {}, **ids)

    for field, answer in refused.items():
        assert answer.status_code == 422, field
        # A list's item is named by its place: "parts.0".
        assert [error["field"].split(".")[0] for error in answer.json()["errors"]] == [field]
    assert refused["given_on"].json()["message"] == (
        "The date consent was given cannot be in the future."
    )
    assert scopeless.status_code == 403
    assert "requests:write" in scopeless.json()["message"]
    assert recorded.status_code == 201, recorded.content
    assert (recorded.json()["given_by_name"], recorded.json()["parts"]) == (
        "Morag Reid",
        ["needs", "plans"],
    )
    assert twice.status_code == 422
    assert twice.json()["message"].startswith("Consent is already recorded for this request.")
    assert sent.status_code == 200, sent.content
    assert sent.json()["status"] == RequestStatus.SENT
    assert AuditEvent.objects.filter(
        purpose="record consent to share",
        object_id=ids["request_id"],
        user=api.integration.service_user,
    ).exists()

    withdraw = {"learner_id": api.learner.public_id, "consent_id": recorded.json()["id"]}
    withdrawn = post(
        api.token, "api:learner_consent_withdraw", {"note": "Family asked."}, **withdraw
    )
    again = post(api.token, "api:learner_consent_withdraw", {}, **withdraw)
    other_learners = post(
        api.token,
        "api:learner_consent_withdraw",
        {},
        learner_id=api.other_learner.public_id,
        consent_id=recorded.json()["id"],
    )
    detail = client(api.token).get(reverse("api:learner_request", kwargs=ids)).json()

    assert withdrawn.status_code == 200, withdrawn.content
    assert withdrawn.json()["withdrawn_at"] is not None
    assert again.status_code == 422
    assert other_learners.status_code == 404
    assert [(each["id"], each["withdrawn_at"] is not None) for each in detail["consents"]] == [
        (recorded.json()["id"], True)
    ]
    assert [event["kind"] for event in detail["events"]] == [
        "drafted",
        "consent_recorded",
        "sent",
        "consent_withdrawn",
    ]


def test_a_service_outside_the_learners_authority_is_refused_with_what_to_fix(api):
    answer = post(
        api.token,
        "api:learner_request_draft",
        {
            "service_id": 0,
            "reason": "r",
            "tried": "t",
            "tried_for": "f",
            "learner_views": "l",
            "family_views": "v",
        },
        learner_id=api.learner.public_id,
    )

    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "service_id"


def _last_spring() -> date:
    today = timezone.localdate()
    return date(today.year if today.month >= 8 else today.year - 1, 1, 12)


def test_attendance_is_recorded_once_and_a_bad_record_is_refused_whole(api):
    spring = _last_spring()
    period = {
        "starts_on": spring.isoformat(),
        "ends_on": spring.replace(month=3, day=20).isoformat(),
        "possible_sessions": 100,
        "attended_sessions": 91,
    }
    ids = {"learner_id": api.learner.public_id}

    recorded = post(api.token, "api:learner_attendance", period, **ids)
    overlapping = post(api.token, "api:learner_attendance", period, **ids)
    impossible_day = post(
        api.token, "api:learner_attendance", period | {"ends_on": "2025-02-30"}, **ids
    )
    more_than_possible = post(
        api.token,
        "api:learner_attendance",
        period
        | {
            "starts_on": spring.replace(month=4, day=20).isoformat(),
            "ends_on": spring.replace(month=6, day=20).isoformat(),
            "attended_sessions": 101,
        },
        **ids,
    )

    assert recorded.status_code == 201
    assert recorded.json()["kind"] == "attendance"
    assert [
        overlapping.status_code,
        impossible_day.status_code,
        more_than_possible.status_code,
    ] == [422] * 3
    assert impossible_day.json()["errors"][0]["field"] == "ends_on"
    assert AttendanceRecord.objects.filter(learner=api.learner).count() == 1
    assert more_than_possible.json()["message"]


def test_an_exclusion_is_recorded(api):
    answer = post(
        api.token,
        "api:learner_exclusion",
        {"excluded_on": _last_spring().isoformat(), "days": "1.5"},
        learner_id=api.learner.public_id,
    )

    assert answer.status_code == 201, answer.content
    assert api.learner.exclusions.get().days == 1.5


def test_measures_are_the_schools_own_through_disclosure_control(api):
    own = client(api.token).get(reverse("api:measures"))
    fife = client(api.token).get(reverse("api:measures"), {"level": "authority", "key": "fife"})

    assert own.status_code == 200
    assert (own.json()["level"], own.json()["key"]) == (
        "school",
        str(api.learner.enrolments.get().setting_id),
    )
    assert fife.status_code == 404
    assert AuditEvent.objects.filter(
        object_type="measures_dashboard", user=api.integration.service_user
    ).exists()


def test_the_openapi_document_is_published_for_anyone_to_read(api):
    published = Client().get("/api/openapi.json")

    assert published.status_code == 200
    assert published.json() == json.loads(json.dumps(ninja_api.get_openapi_schema()))
    assert published.json()["components"]["securitySchemes"]["TokenAuthentication"] == {
        "type": "http",
        "scheme": "bearer",
    }


def test_a_service_reads_the_requests_sent_to_it_and_answers_one(api):
    listed = client(api.service_token).get(reverse("api:service_requests"))
    ids = {"request_id": api.sent_request.public_id}
    blank = post(api.service_token, "api:service_request_decline", {"decline_reason": ""}, **ids)
    accepted = post(api.service_token, "api:service_request_accept", {"note": "Yes."}, **ids)
    again = post(api.service_token, "api:service_request_accept", {"note": ""}, **ids)

    assert listed.status_code == 200
    assert str(api.sent_request.public_id) in {row["id"] for row in listed.json()["results"]}
    assert blank.status_code == 422
    assert blank.json()["errors"][0]["field"] == "decline_reason"
    assert accepted.status_code == 200
    assert accepted.json()["status"] == RequestStatus.ACCEPTED
    assert again.status_code == 422
    assert AuditEvent.objects.filter(
        purpose="accept request for assistance", user__integration__name="Therapy records"
    ).exists()
    # The school's own system has no service: the service's side does not exist for it.
    assert client(api.token).get(reverse("api:service_request", kwargs=ids)).status_code == 404


def test_an_integrations_account_is_no_one_to_choose_or_remind(api):
    """Inactive: never offered as a moderator, an invitee or staff to link, never emailed."""
    school = api.integration.membership.setting
    assert school is not None

    assert api.integration.service_user.is_active is False
    assert not eligible_moderators(authority_ids=[school.authority_id]).filter(
        user=api.integration.service_user
    )
    assert api.integration.service_user not in {
        membership.user for membership in school_and_authority_staff(api.learner)
    }


def test_the_service_allocates_an_accepted_request_to_one_of_its_practitioners(api):
    ids = {"request_id": api.sent_request.public_id}
    allocation = {"practitioner_email": api.practitioner_email.upper()}
    too_soon = post(api.service_token, "api:service_request_allocate", allocation, **ids)
    post(api.service_token, "api:service_request_accept", {"note": ""}, **ids)
    nobody = post(
        api.service_token,
        "api:service_request_allocate",
        {"practitioner_email": api.integration.service_user.email},
        **ids,
    )
    as_practitioner = post(
        api.practitioner_token, "api:service_request_allocate", allocation, **ids
    )
    as_school = post(api.token, "api:service_request_allocate", allocation, **ids)
    allocated = post(api.service_token, "api:service_request_allocate", allocation, **ids)

    assert too_soon.status_code == 422
    assert too_soon.json()["message"] == (
        "Only an accepted request, or one on the waiting list, can be allocated."
    )
    assert nobody.status_code == 422
    assert nobody.json()["errors"][0]["field"] == "practitioner_email"
    assert (as_practitioner.status_code, as_school.status_code) == (403, 404)
    assert allocated.status_code == 200, allocated.content
    practitioner = RequestForAssistance.objects.get(pk=api.sent_request.pk).allocated_to
    assert practitioner is not None
    assert practitioner.email == api.practitioner_email
    assert (allocated.json()["status"], allocated.json()["allocated_to"]) == (
        RequestStatus.ACCEPTED,
        practitioner.full_name,
    )
    assert AuditEvent.objects.filter(
        purpose="allocate request for assistance", user__integration__name="Therapy records"
    ).exists()


def test_an_integrations_account_is_not_among_the_people_administrators_list(api):
    listed = person_list(search="")

    assert api.integration.service_user not in listed
    assert listed.filter(email=api.practitioner_email).exists()
