"""Audit events can be added, never changed or removed, by the application or the database."""

import pytest
from django.db import DatabaseError, connection, transaction

from stagewise.audit.models import AuditAction, AuditEvent, AuditEventImmutable, LearnerAuditKey
from stagewise.audit.services import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(learner) -> AuditEvent:
    return audit_record(actor=None, action=AuditAction.VIEW, learner=learner, purpose="test")


def test_an_event_cannot_be_saved_again(event):
    event.purpose = "rewritten"
    with pytest.raises(AuditEventImmutable):
        event.save()


def test_an_event_cannot_be_deleted(event):
    with pytest.raises(AuditEventImmutable):
        event.delete()


def test_events_cannot_be_updated_or_deleted_in_bulk(event):
    with pytest.raises(AuditEventImmutable):
        AuditEvent.objects.filter(pk=event.pk).update(purpose="rewritten")
    with pytest.raises(AuditEventImmutable):
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_the_database_itself_refuses_to_rewrite_an_event(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET purpose = %s WHERE id = %s", ["rewritten", event.pk]
        )
    event.refresh_from_db()
    assert event.purpose == "test"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite guards deletion in the app")
def test_postgresql_refuses_to_delete_an_event(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_database_refuses_to_move_an_event_to_another_learner_key(event):
    """The trigger re-created after the learner key's migration (audit 0007) covers the key."""
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET learner_key = NULL WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, learner_key__isnull=False).exists()


def test_an_event_names_its_learner_by_the_key_created_with_them(event, learner):
    assert event.learner_key_id == LearnerAuditKey.objects.get(learner=learner).key
