"""When the database cannot be reached or the connection drops, the answer says what happened:
503 and nothing saved, or, if the form's writes were committed before the failure, the saved
answer (ADR 0041). Faults are injected; the server is not restarted."""

import uuid
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from stagewise.accounts.middleware import SESSION_REFRESHED_KEY
from stagewise.accounts.sessions import SessionStore
from stagewise.audit.models import AuditEvent
from stagewise.learners import support_views
from stagewise.learners.models import ChronologyEntry
from stagewise.submissions.models import SavedSubmission

DROPPED = OperationalError("server closed the connection unexpectedly")


def chronology_form(summary: str, key: str) -> dict[str, str]:
    return {
        "entry_type": "meeting",
        "summary": summary,
        "source": "Class teacher",
        "occurred_on_0": "3",
        "occurred_on_1": "11",
        "occurred_on_2": "2025",
        "submission_key": key,
    }


@pytest.fixture
def teacher_client(teacher) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(teacher)
    return client


def add_url(learner) -> str:
    return reverse("learners:chronology_add", args=[learner.public_id])


def session_due_for_refresh(client: Client) -> None:
    """The next request writes the session (its expiry is pushed on once a minute)."""
    session = client.session
    session[SESSION_REFRESHED_KEY] = 0
    session.save()


def test_a_connection_dropped_after_the_write_saves_nothing_and_says_so(teacher_client, learner):
    key = str(uuid.uuid4())
    real_record = support_views.chronology_record

    def record_then_lose_the_connection(**kwargs):
        real_record(**kwargs)
        raise DROPPED

    with mock.patch.object(support_views, "chronology_record", record_then_lose_the_connection):
        failed = teacher_client.post(add_url(learner), chronology_form("Half-way", key))

    assert failed.status_code == 503
    assert "Nothing you sent was saved." in failed.content.decode()
    assert failed["Retry-After"]
    assert not ChronologyEntry.objects.exists(), "nothing half-saved"
    assert not SavedSubmission.objects.exists()

    again = teacher_client.post(add_url(learner), chronology_form("Half-way", key))

    assert again.status_code == 302
    assert ChronologyEntry.objects.filter(summary="Half-way").count() == 1


def test_a_database_that_cannot_be_reached_is_a_503_not_a_400_or_500(teacher_client, learner):
    with mock.patch.object(SessionStore, "load", side_effect=DROPPED):
        post = teacher_client.post(add_url(learner), chronology_form("Never", str(uuid.uuid4())))
        read = teacher_client.get(add_url(learner))

    assert post.status_code == read.status_code == 503
    assert "Nothing you sent was saved." in post.content.decode()
    assert "Try again in a few minutes." in read.content.decode()
    assert not ChronologyEntry.objects.exists()


def test_a_saved_form_whose_session_cannot_be_written_keeps_its_saved_answer(
    teacher_client, learner
):
    """The write committed; then the database went away before the session's expiry could be
    pushed on. Django would answer 400 ("session deleted"), telling the person it failed."""
    key = str(uuid.uuid4())
    session_due_for_refresh(teacher_client)

    with mock.patch.object(Session, "save", side_effect=DROPPED):
        saved = teacher_client.post(add_url(learner), chronology_form("Committed", key))

    assert saved.status_code == 302
    assert saved["Location"] == reverse("learners:chronology", args=[learner.public_id])
    assert ChronologyEntry.objects.filter(summary="Committed").count() == 1
    assert SavedSubmission.objects.filter(key=key).exists()


def test_a_page_read_whose_session_cannot_be_written_is_still_shown(teacher_client, learner):
    session_due_for_refresh(teacher_client)

    with mock.patch.object(Session, "save", side_effect=DROPPED):
        read = teacher_client.get(add_url(learner))

    assert read.status_code == 200


def test_a_page_whose_audit_cannot_be_written_is_not_shown(teacher_client, learner):
    with mock.patch.object(AuditEvent.objects, "bulk_create", side_effect=DROPPED):
        read = teacher_client.get(reverse("learners:profile", args=[learner.public_id]))

    assert read.status_code == 503
    assert learner.legal_last_name not in read.content.decode()


def test_a_session_deleted_by_another_request_is_still_a_bad_request(teacher_client, learner):
    session_due_for_refresh(teacher_client)
    Session.objects.all().delete()

    response = teacher_client.get(reverse("home"))

    assert response.status_code in (302, 400)
    assert response.status_code != 503


def test_the_error_page_is_in_welsh_for_someone_who_reads_welsh(teacher, learner):
    teacher.preferred_language = "cy"
    teacher.save(update_fields=["preferred_language"])
    client = Client(raise_request_exception=False, headers={"accept-language": "cy"})
    client.force_login(teacher)

    with mock.patch.object(SessionStore, "load", side_effect=DROPPED):
        response = client.post(add_url(learner), chronology_form("Never", str(uuid.uuid4())))

    assert response.status_code == 503
    assert "hyn a anfonwyd gennych ei gadw." in response.content.decode()


def test_an_ordinary_server_error_is_still_a_500(teacher_client, learner):
    with mock.patch.object(support_views, "chronology_record", side_effect=RuntimeError("bug")):
        response = teacher_client.post(add_url(learner), chronology_form("Bug", str(uuid.uuid4())))

    assert response.status_code == 500
    assert not ChronologyEntry.objects.exists()
