"""Every read and write of learner data leaves an event saying who, in what role, and from where."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stagewise.audit.models import AuditAction, AuditEvent
from stagewise.audit.services import audit_record, shown_learners
from stagewise.testing.audit import learner_of


def test_opening_a_profile_records_who_in_what_role_which_record_and_from_where(
    signed_in, learner, teacher
):
    signed_in("teacher").get(
        reverse("learners:profile", args=[learner.public_id]), REMOTE_ADDR="192.0.2.10"
    )

    event = AuditEvent.objects.get(action=AuditAction.VIEW, learner_key__learner=learner)
    assert event.user == teacher
    assert event.role == "class_teacher"
    assert event.organisation_label == "Riverside Primary School"
    assert event.purpose == "view profile"
    assert event.ip_address == "192.0.2.10"
    assert event.path == f"/learners/{learner.public_id}/"


def test_listing_learners_records_which_learners_were_shown(signed_in, learner, support_lead):
    signed_in("support_lead").get(reverse("learners:list"))

    event = AuditEvent.objects.get(action=AuditAction.LIST)
    # Ids only, compactly: the record says who they are, the audit that they were shown.
    assert event.detail == {"learners": str(learner.pk), "scope": "setting"}
    assert shown_learners(event) == [learner.pk]


def test_changing_details_records_which_fields_changed_but_never_their_values(
    signed_in, learner, support_lead
):
    """The values are the learner's data: their record holds them, and erasing the learner must
    leave none of them in the log (ADR 0033)."""
    response = signed_in("support_lead").post(
        reverse("learners:edit", args=[learner.public_id]),
        {
            "legal_first_name": learner.legal_first_name,
            "legal_last_name": learner.legal_last_name,
            "preferred_name": "Ally",
            "date_of_birth_0": "17",
            "date_of_birth_1": "5",
            "date_of_birth_2": "2012",
            "sex": "female",
            "candidate_number": learner.candidate_number,
            "home_language": "English",
            "preferred_language": "English",
            "staff_notes": learner.staff_notes,
        },
    )

    assert response.status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_type="learner")
    assert event.changes == {"preferred_name": "changed"}
    assert learner_of(event) == learner


def test_the_access_history_page_shows_who_has_looked(signed_in, learner, teacher, support_lead):
    signed_in("teacher").get(reverse("learners:profile", args=[learner.public_id]))

    content = (
        signed_in("support_lead")
        .get(reverse("learners:access_history", args=[learner.public_id]))
        .content.decode()
    )

    assert teacher.email in content
    assert "Class teacher" in content


def test_the_access_history_page_issues_the_same_queries_however_long(
    signed_in, learner, support_lead
):
    client = signed_in("support_lead")
    url = reverse("learners:access_history", args=[learner.public_id])
    add_events(learner, 3)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add_events(learner, 60)

    with CaptureQueriesContext(connection) as many:
        client.get(url)

    assert len(many) == len(few)


def add_events(learner, count: int) -> None:
    for _ in range(count):
        audit_record(actor=None, action=AuditAction.VIEW, learner=learner)
