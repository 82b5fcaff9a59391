"""GET /health/ tells a load balancer whether this server can work: 200 when the database
answers, 503 when it does not; and the probe leaves nothing behind."""

import json
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.db import OperationalError, connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from stagewise.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def probe():
    # A load balancer asks by address, over plain HTTP, without cookies.
    return Client(HTTP_HOST="10.0.0.7").get("/health/")


@override_settings(ALLOWED_HOSTS=["stagewise.example"], SECURE_SSL_REDIRECT=True)
def test_a_server_whose_database_answers_is_healthy_with_one_query():
    with CaptureQueriesContext(connection) as queries:
        response = probe()

    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}
    assert len(queries) == 1


def test_the_answer_is_never_cached_and_leaves_no_session_and_no_audit_event():
    response = probe()

    assert "no-store" in response["Cache-Control"]
    assert not response.cookies
    assert Session.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_a_server_whose_database_does_not_answer_is_unavailable(caplog):
    refused = OperationalError("connection to server at 127.0.0.1 refused")
    with mock.patch.object(connection, "cursor", side_effect=refused):
        response = probe()

    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "unavailable"}
    assert "no-store" in response["Cache-Control"]
    assert "did not answer" in caplog.text


def test_other_methods_and_paths_go_to_the_application(client):
    assert client.post("/health/").status_code != 200
    assert client.get("/health/extra/").status_code == 404
