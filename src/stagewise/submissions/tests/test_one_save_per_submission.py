"""A form's writes are saved once however often it is sent, and the answer says what happened
(ADR 0041)."""

import contextlib
import re
import threading
import uuid
from datetime import date, timedelta
from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stagewise.learners import support_views
from stagewise.learners.models import ChronologyEntry
from stagewise.submissions.keys import KEYS_KEPT_FOR
from stagewise.submissions.models import SavedSubmission
from stagewise.submissions.tasks import submission_keys_purge

ALREADY_SENT = "You had already sent this form, so it was not sent again."
KEY_INPUT = re.compile(r'name="submission_key" value="([0-9a-f-]{36})"')


def chronology_form(summary: str, key: str, day: date = date(2025, 11, 3)) -> dict[str, str]:
    return {
        "entry_type": "meeting",
        "summary": summary,
        "source": "Class teacher",
        "occurred_on_0": str(day.day),
        "occurred_on_1": str(day.month),
        "occurred_on_2": str(day.year),
        "submission_key": key,
    }


def add_url(learner) -> str:
    return reverse("learners:chronology_add", args=[learner.public_id])


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_each_form_drawn_carries_a_new_key(signed_in, learner):
    client = signed_in("teacher")

    first = KEY_INPUT.findall(client.get(add_url(learner)).content.decode())
    second = KEY_INPUT.findall(client.get(add_url(learner)).content.decode())

    # The chronology form and the language switcher: each form its own key, every time.
    assert len(first) == len(set(first)) == 2
    assert not set(first) & set(second)
    assert not SavedSubmission.objects.exists(), "drawing a form stores nothing"


def test_a_form_sent_twice_is_saved_once_and_the_second_answer_says_so(signed_in, learner):
    client = signed_in("teacher")
    key = str(uuid.uuid4())

    first = client.post(add_url(learner), chronology_form("Meeting with mum", key))
    second = client.post(add_url(learner), chronology_form("Meeting with mum", key))

    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert ChronologyEntry.objects.filter(summary="Meeting with mum").count() == 1
    assert ALREADY_SENT in messages_of(second)
    saved = SavedSubmission.objects.get()
    assert (saved.key, saved.path, saved.status_code, saved.location) == (
        uuid.UUID(key),
        add_url(learner),
        302,
        first["Location"],
    )


def test_a_form_shown_again_with_its_errors_does_not_use_up_its_key(signed_in, learner):
    client = signed_in("teacher")
    key = str(uuid.uuid4())

    refused = client.post(add_url(learner), chronology_form("Meeting", key, date(2099, 1, 1)))
    corrected = client.post(add_url(learner), chronology_form("Meeting", key))

    assert refused.status_code == 200 and "govuk-error-summary" in refused.content.decode()
    assert corrected.status_code == 302
    assert ALREADY_SENT not in messages_of(corrected)
    assert ChronologyEntry.objects.filter(summary="Meeting").count() == 1


def test_someone_elses_key_is_just_unknown(signed_in, learner, teacher, support_lead):
    key = str(uuid.uuid4())
    signed_in("teacher").post(add_url(learner), chronology_form("Teacher's note", key))

    theirs = signed_in("support_lead").post(add_url(learner), chronology_form("Lead's note", key))

    assert theirs.status_code == 302
    assert ALREADY_SENT not in messages_of(theirs)
    assert set(ChronologyEntry.objects.values_list("summary", flat=True)) == {
        "Teacher's note",
        "Lead's note",
    }
    assert SavedSubmission.objects.filter(key=key).count() == 2


def test_a_refused_request_saves_nothing_and_records_no_key(signed_in, learner, other_learner):
    key = str(uuid.uuid4())

    refused = signed_in("teacher").post(add_url(other_learner), chronology_form("Note", key))

    assert refused.status_code == 404
    assert not ChronologyEntry.objects.exists()
    assert not SavedSubmission.objects.exists()


def test_a_form_without_a_key_is_handled_once_per_request_as_before(signed_in, learner):
    client = signed_in("teacher")
    form = chronology_form("Unkeyed", "")

    client.post(add_url(learner), form)
    client.post(add_url(learner), form)

    assert ChronologyEntry.objects.filter(summary="Unkeyed").count() == 2
    assert not SavedSubmission.objects.exists()


def test_keys_are_forgotten_by_the_daily_task_after_a_week(teacher):
    now = timezone.now()
    old = SavedSubmission.objects.create(
        user=teacher, key=uuid.uuid4(), path="/", status_code=302, location="/"
    )
    recent = SavedSubmission.objects.create(
        user=teacher, key=uuid.uuid4(), path="/", status_code=302, location="/"
    )
    SavedSubmission.objects.filter(key=old.key).update(
        created_at=now - KEYS_KEPT_FOR - timedelta(minutes=1)
    )
    SavedSubmission.objects.filter(key=recent.key).update(created_at=now - timedelta(days=6))

    result = submission_keys_purge.enqueue()

    assert result.errors == [] and result.return_value == 1
    assert list(SavedSubmission.objects.values_list("key", flat=True)) == [recent.key]


def test_the_purge_command_says_how_many_keys_it_forgot(teacher, capsys):
    SavedSubmission.objects.create(
        user=teacher,
        key=uuid.uuid4(),
        path="/",
        status_code=302,
        location="/",
        created_at=timezone.now() - timedelta(days=30),
    )

    call_command("submission_keys_purge")

    assert "Forgot 1 submission keys." in capsys.readouterr().out
    assert not SavedSubmission.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_form_sent_twice_at_once_is_saved_once(learner, teacher):
    """Two requests with one key, both in flight: one save, and each answer agrees with it (the
    second waited and was told it had already been sent, or, if it could not wait, that nothing
    it sent was saved)."""
    signed_in = Client()
    signed_in.force_login(teacher)
    cookies = signed_in.cookies
    key = str(uuid.uuid4())
    both_writing = threading.Barrier(2, timeout=3)
    real_record = support_views.chronology_record
    answers: list[tuple[int, str, list[str]]] = []

    def record_then_wait_for_the_other(**kwargs):
        entry = real_record(**kwargs)
        # On SQLite the other request waits for this one's transaction (the write lock).
        with contextlib.suppress(threading.BrokenBarrierError):
            both_writing.wait()
        return entry

    def send() -> None:
        client = Client(raise_request_exception=False)
        client.cookies = cookies
        try:
            response = client.post(add_url(learner), chronology_form("Sent twice", key))
            answers.append((response.status_code, response.get("Location", ""), []))
        finally:
            connection.close()

    with mock.patch.object(support_views, "chronology_record", record_then_wait_for_the_other):
        threads = [threading.Thread(target=send) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    assert ChronologyEntry.objects.filter(summary="Sent twice").count() == 1
    assert SavedSubmission.objects.filter(key=key).count() == 1
    statuses = sorted(status for status, _location, _messages in answers)
    assert statuses in ([302, 302], [302, 503])
    again = Client()
    again.cookies = cookies
    assert again.post(add_url(learner), chronology_form("Sent twice", key)).status_code == 302
    assert ChronologyEntry.objects.filter(summary="Sent twice").count() == 1
