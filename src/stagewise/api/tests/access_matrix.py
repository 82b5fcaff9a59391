"""The access matrix, through the API (ADR 0051), run by stagewise/tests/test_access_harness.py
on its world: a token of an integration acting in a role at an organisation gets, for each
learner of the world, exactly what a person in that role there gets from the matching page;
nobody outside the learner's circle learns the record exists (404). Each check makes its
integrations itself (a few rows, rolled back with the test), so the harness's world is built
once for the pages and the API alike."""

import re
from datetime import date
from typing import Any

from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stagewise.api.models import Integration, Scope
from stagewise.api.services import api_token_create, integration_create
from stagewise.audit.models import AuditAction, AuditEvent
from stagewise.learners.access import visible_learners
from stagewise.organisations.models import Role
from stagewise.policy import SYSTEM, Capability, may, role_policy
from stagewise.testing.access_harness import Specification, World

# The harness's people whose roles an integration may act in, each with an integration in the
# same role at the same organisation.
TOKEN_ACTORS = [
    "support_lead",
    "head",
    "authority_officer",
    "other_authority_officer",
    "psychologist",
    "agency_practitioner",
    "service_manager",
    "other_agency",
]
LEARNERS = ["learner", "other_learner"]
# Each API read and the page that shows the same thing, with how to find its ids.
READS = {
    "api:learner_detail": ("learners:profile", {}),
    "api:learner_needs": ("learners:stage_timeline", {}),
    "api:learner_stages": ("learners:stage_timeline", {}),
    "api:learner_plans": ("planning:list", {}),
    "api:learner_plan": ("planning:detail", {"plan_id": "finalised plan"}),
    "api:learner_requests": ("requests:list", {}),
    "api:learner_request": ("requests:detail", {"request_id": "involvement"}),
}


def _token(world: World, name: str) -> str:
    membership = world.users[name].memberships.get()
    integration = integration_create(
        actor=SYSTEM,
        name=f"{name} system",
        role=membership.role,
        setting=membership.setting,
        authority=membership.authority,
        agency=membership.agency,
    )
    return api_token_create(actor=SYSTEM, integration=integration, scopes=Scope.values).secret


def _tokens(world: World) -> dict[str, str]:
    return {name: _token(world, name) for name in TOKEN_ACTORS}


def _ids(world: World, whose: str, ids: dict[str, str]) -> dict[str, object]:
    records = world.learners[whose]
    found: dict[str, object] = {"learner_id": records.learner.public_id}
    if "plan_id" in ids:
        found["plan_id"] = records.plans[ids["plan_id"]].public_id
    if "request_id" in ids:
        found["request_id"] = getattr(records, ids["request_id"]).public_id
    return found


def _api(token: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {token}"})


def check_the_api_answers_each_role_as_its_pages_do_for_every_learner(
    world: World, spec: Specification
) -> None:
    tokens = _tokens(world)
    differences = []
    for name in TOKEN_ACTORS:
        page_client, api_client = world.client(name), _api(tokens[name])
        for whose in LEARNERS:
            for api_name, (page_name, ids) in READS.items():
                kwargs = _ids(world, whose, ids)
                page = page_client.get(reverse(page_name, kwargs=kwargs)).status_code
                answer = api_client.get(reverse(api_name, kwargs=kwargs))
                if answer.status_code != page:
                    differences.append((name, whose, api_name, page, answer.status_code))
                if name not in spec.sees[whose]:
                    assert answer.status_code == 404, (name, whose, api_name)
                    assert answer.json() == {
                        "message": "Nothing was found at this address for this integration.",
                        "errors": [],
                    }

    assert differences == []


def check_the_api_lists_exactly_the_learners_each_role_sees(
    world: World, spec: Specification
) -> None:
    tokens = _tokens(world)
    for name in TOKEN_ACTORS:
        person = world.users[name]
        actor = next(actor for actor in _actors_of(person) if actor.role == spec.actors[name].role)
        answer = _api(tokens[name]).get(reverse("api:learner_list"), {"limit": 100})

        assert answer.status_code == 200
        listed = {row["id"] for row in answer.json()["results"]}
        assert listed == {str(learner.public_id) for learner in visible_learners(actor)}, name


def check_the_api_opens_the_services_side_only_to_the_service(
    world: World, spec: Specification
) -> None:
    """A request from the service's side: its practitioner and manager read it as the service's
    page shows it; only the manager may answer or allocate it (this one is under way, so either
    is refused with what to fix); everyone else gets 404."""
    tokens = _tokens(world)
    involvement = world.learners["learner"].involvement
    practitioner = world.users["agency_practitioner"].email
    writes = {
        "api:service_request_accept": {"note": ""},
        "api:service_request_allocate": {"practitioner_email": practitioner},
    }
    wrong = []
    pages = {}
    for name in TOKEN_ACTORS:
        page = world.client(name).get(reverse("services:request", args=[involvement.public_id]))
        pages[name] = page.status_code
        read = _api(tokens[name]).get(reverse("api:service_request", args=[involvement.public_id]))
        if read.status_code != page.status_code:
            wrong.append((name, "read", page.status_code, read.status_code))
        if page.status_code == 404:
            expected = 404
        elif Capability.TRIAGE_REQUESTS not in role_policy(spec.actors[name].role).capabilities:
            expected = 403
        else:
            expected = 422
        for api_name, body in writes.items():
            with transaction.atomic():
                answer = _api(tokens[name]).post(
                    reverse(api_name, args=[involvement.public_id]),
                    body,
                    content_type="application/json",
                )
                transaction.set_rollback(True)
            if answer.status_code != expected:
                wrong.append((name, api_name, expected, answer.status_code))

    assert wrong == []
    assert pages["agency_practitioner"] == pages["service_manager"] == 200
    assert pages["other_agency"] == pages["support_lead"] == 404


def _actors_of(user: Any) -> list[Any]:
    from stagewise.accounts.actors import actors_for

    return actors_for(user)


def _spring_of_last_school_year() -> date:
    today = timezone.localdate()
    return date(today.year if today.month >= 8 else today.year - 1, 1, 12)


def _writes(world: World, whose: str) -> list[tuple[str, dict[str, object], dict, Capability, int]]:
    records = world.learners[whose]
    learner: dict[str, object] = {"learner_id": records.learner.public_id}
    spring = _spring_of_last_school_year()
    draft = {
        "service_id": records.involvement.service_id,
        "reason": "Finds it hard to be understood.",
        "tried": "Small-group language work.",
        "tried_for": "A term",
        "learner_views": "Would like help.",
        "family_views": "Agree.",
    }
    return [
        ("api:learner_request_draft", learner, draft, Capability.REQUEST_ASSISTANCE, 201),
        (
            "api:learner_request_send",
            learner | {"request_id": records.ready_request.public_id},
            {},
            Capability.REQUEST_ASSISTANCE,
            200,
        ),
        (
            "api:learner_request_withdraw",
            learner | {"request_id": records.draft_request.public_id},
            {"reason": "No longer needed."},
            Capability.REQUEST_ASSISTANCE,
            200,
        ),
        (
            "api:learner_request_consent",
            learner | {"request_id": records.draft_request.public_id},
            {
                "given_by": "parent",
                "given_by_name": "A parent",
                "given_on": timezone.localdate().isoformat(),
                "method": "in_person",
                "parts": ["needs"],
            },
            Capability.REQUEST_ASSISTANCE,
            201,
        ),
        (
            "api:learner_consent_withdraw",
            learner | {"consent_id": records.ready_request.consents.get().public_id},
            {"note": "The family asked."},
            Capability.REQUEST_ASSISTANCE,
            200,
        ),
        (
            "api:learner_attendance",
            learner,
            {
                "starts_on": spring.isoformat(),
                "ends_on": spring.replace(month=3, day=20).isoformat(),
                "possible_sessions": 100,
                "attended_sessions": 90,
            },
            Capability.RECORD_OUTCOMES,
            201,
        ),
        (
            "api:learner_exclusion",
            learner,
            {"excluded_on": spring.replace(month=2, day=3).isoformat(), "days": "1.0"},
            Capability.RECORD_OUTCOMES,
            201,
        ),
    ]


def check_the_api_writes_only_what_each_role_may_for_learners_it_sees(
    world: World, spec: Specification
) -> None:
    """Each write tried alone (rolled back after), as every token role, about both learners:
    outsiders 404, a role without the capability 403, the rest done."""
    tokens = _tokens(world)
    wrong = []
    for name in TOKEN_ACTORS:
        role = spec.actors[name].role
        for whose in LEARNERS:
            for api_name, kwargs, body, capability, done in _writes(world, whose):
                if name not in spec.sees[whose]:
                    expected = 404
                elif capability not in role_policy(role).capabilities:
                    expected = 403
                else:
                    expected = done
                with transaction.atomic():
                    answer = _api(tokens[name]).post(
                        reverse(api_name, kwargs=kwargs), body, content_type="application/json"
                    )
                    transaction.set_rollback(True)
                if answer.status_code != expected:
                    wrong.append((name, whose, api_name, expected, answer.status_code))

    assert wrong == []


def check_the_api_leaves_the_same_audit_events_as_the_pages(
    world: World, spec: Specification
) -> None:
    tokens = _tokens(world)
    learner = world.learners["learner"].learner
    before = AuditEvent.objects.count()

    _api(tokens["support_lead"]).get(reverse("api:learner_detail", args=[learner.public_id]))
    _api(tokens["other_authority_officer"]).get(
        reverse("api:learner_detail", args=[learner.public_id])
    )

    view, refusal = AuditEvent.objects.order_by("pk")[before:]
    assert (view.action, view.purpose, view.role) == (
        AuditAction.VIEW,
        "view profile",
        Role.SUPPORT_FOR_LEARNING_LEAD,
    )
    assert view.user_label.startswith("support_lead system (integration)")
    assert view.path == f"/api/learners/{learner.public_id}"
    assert (refusal.action, refusal.role) == (AuditAction.REFUSED, Role.LOCAL_AUTHORITY_OFFICER)
    assert view.learner_key_id == refusal.learner_key_id


def check_only_administrators_reach_the_integration_pages(
    world: World, spec: Specification
) -> None:
    token_id = world.users["support_lead"].pk  # any id: refused before it is looked up
    addresses = [
        reverse("integrations:list"),
        reverse("integrations:create"),
        reverse("integrations:token_create", args=[token_id]),
        reverse("integrations:token_revoke", args=[token_id]),
    ]
    for name in spec.actors:
        if may_administer := may(
            _actors_of(world.users[name])[0], Capability.ADMINISTER_ORGANISATIONS
        ):
            assert name == "administrator"
        for address in addresses[:2]:
            status = world.client(name).get(address).status_code
            assert status == (200 if may_administer else 403), (name, address)
        for address in addresses[2:]:
            if not may_administer:
                assert world.client(name).get(address).status_code == 403, (name, address)


def check_an_administrator_adds_an_integration_and_its_token_is_shown_once_then_revoked(
    world: World, spec: Specification
) -> None:
    administrator = world.client("administrator")
    school_id = world.users["support_lead"].memberships.get().setting_id

    added = administrator.post(
        reverse("integrations:create"),
        {"name": "Riverside MIS", "role": Role.HEAD_TEACHER, "setting": school_id},
    )
    integration = Integration.objects.get(name="Riverside MIS")
    shown = administrator.post(
        reverse("integrations:token_create", args=[integration.pk]),
        {"scopes": [Scope.LEARNERS_READ]},
    )
    secret = re.search(r"<code data-token>(sw_\w+_[\w-]+)</code>", shown.content.decode())
    assert (added.status_code, shown.status_code, secret is not None) == (302, 200, True)
    assert secret is not None
    listed = administrator.get(reverse("integrations:list")).content.decode()
    learners = reverse("api:learner_list")
    assert _api(secret[1]).get(learners).status_code == 200
    assert secret[1] not in listed
    assert f"sw_{integration.tokens.get().prefix}_" in listed

    revoked = administrator.post(
        reverse("integrations:token_revoke", args=[integration.tokens.get().pk])
    )

    assert revoked.status_code == 302
    assert _api(secret[1]).get(learners).status_code == 401
    assert (
        AuditEvent.objects.filter(
            object_type__in=["integration", "api_token"], role=Role.SYSTEM_ADMINISTRATOR
        ).count()
        == 3
    )


CHECKS = [
    check_the_api_answers_each_role_as_its_pages_do_for_every_learner,
    check_the_api_lists_exactly_the_learners_each_role_sees,
    check_the_api_writes_only_what_each_role_may_for_learners_it_sees,
    check_the_api_leaves_the_same_audit_events_as_the_pages,
    check_the_api_opens_the_services_side_only_to_the_service,
    check_only_administrators_reach_the_integration_pages,
    check_an_administrator_adds_an_integration_and_its_token_is_shown_once_then_revoked,
]
