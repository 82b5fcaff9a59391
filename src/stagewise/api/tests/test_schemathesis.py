"""The API driven against its own OpenAPI document by schemathesis, through the WSGI app (ADR
0051): whatever it is sent, it never answers 500, and every answer is one the document
describes. Cheap on purpose: few examples an operation, the same ones every run."""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from stagewise.api.api import api
from stagewise.api.models import Scope
from stagewise.api.services import api_token_create, integration_create
from stagewise.conftest import build_world
from stagewise.coordination.models import ConsentGivenBy, ConsentMethod
from stagewise.coordination.services import consent_record, consent_withdraw, request_draft
from stagewise.organisations.models import Role
from stagewise.policy import SYSTEM
from stagewise.testing.worlds import built_once_per_module
from stagewise.wsgi import application

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _build() -> dict[str, str]:
    world = build_world()
    integration = integration_create(
        actor=SYSTEM,
        name="Riverside MIS",
        role=Role.SUPPORT_FOR_LEARNING_LEAD,
        setting=world.school,
    )
    token = api_token_create(actor=SYSTEM, integration=integration, scopes=Scope.values).secret
    # A draft to consent to, send or withdraw, and a consent to withdraw, so that generated
    # bodies reach the services behind those operations rather than a 404.
    draft = request_draft(
        actor=SYSTEM,
        learner=world.learner,
        service=world.agency,
        reason="Finds it hard to be understood.",
        tried="Small-group language work.",
        tried_for="A term",
        learner_views="Would like help.",
        family_views="Agree.",
    )
    consent = consent_record(
        actor=SYSTEM,
        request=draft,
        given_by=ConsentGivenBy.PARENT,
        given_by_name="A parent",
        given_on=timezone.localdate(),
        method=ConsentMethod.IN_WRITING,
        parts=[],
    )
    consent_withdraw(actor=SYSTEM, consent=consent)
    return {
        "token": token,
        "learner_id": str(world.learner.public_id),
        "request_id": str(draft.public_id),
        "consent_id": str(consent.public_id),
    }


@pytest.fixture(scope="module")
def module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, str]]:
    with built_once_per_module(_build, django_db_blocker) as built:
        yield built


@pytest.fixture
def api_world(module_world: dict[str, str], db: None) -> Iterator[dict[str, str]]:
    # The WSGI app closes the database connection at the end of each request, which would end
    # the test's transaction; Django's test client keeps it open the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield module_world
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


# The document /api/openapi.json publishes (test_api checks they are the same), read without a
# request, so at import, before the database may be used; the calls go through the WSGI app.
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = application


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_whatever_it_is_sent_as_its_document_says(case, api_world):
    # Mostly about a learner the integration sees, so that the services are reached with
    # whatever the generated body holds; the other ids stay generated (nearly always 404).
    if case.path_parameters and "learner_id" in case.path_parameters:
        for name in ("learner_id", "request_id", "consent_id"):
            if name in case.path_parameters:
                case.path_parameters[name] = api_world[name]
    case.call_and_validate(
        headers={"Authorization": f"Bearer {api_world['token']}"},
        checks=CHECKS,
    )
