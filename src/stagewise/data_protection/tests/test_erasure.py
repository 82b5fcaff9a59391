"""Erasing a learner the retention review found due (ADR 0033): every record the export
registry lists for them goes, and nothing else; the access trail stays, under a key that no
longer leads to anyone.

The world (the access harness's, built once for the module): Ailsa Campbell of Riverside
Primary, Glasgow, with needs, plans, clocks, requests with a file, a meeting, a rights request, a
disagreement, a transition and outcomes; her class teacher has opened her record twice. Finlay
Reid is at Harbourside Primary, Fife; his parent has opened his. Glasgow's data protection officer
erases. Each test finds the learners due itself, and is rolled back.
"""

import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stagewise.accounts.models import User
from stagewise.audit.models import AuditAction, AuditEvent, LearnerAuditKey, learner_audit_key
from stagewise.coordination.models import RequestAttachment
from stagewise.data_protection.models import RetentionDue, RetentionSchedule
from stagewise.data_protection.registry import RECORD_TYPES
from stagewise.data_protection.services import learner_erase, records_erase
from stagewise.families.models import RightsRequest
from stagewise.families.review_views_models import ReviewViewsInvitee
from stagewise.learners.access import ERASURE_RECORD_TYPE
from stagewise.learners.models import Enrolment, Learner, LearnerCarer
from stagewise.notifications.models import Notification, NotificationKind
from stagewise.testing.access_harness import World, world_for_module
from stagewise.testing.audit import learner_of
from stagewise.testing.data_protection import SPEC
from stagewise.testing.plans import acting

AUDIT = "audit.AuditEvent"


@pytest.fixture(scope="module")
def module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with world_for_module(SPEC, django_db_blocker) as built:
        with django_db_blocker.unblock():
            ailsa, finlay = (
                built.learners[whose].learner for whose in ("learner", "other_learner")
            )
            for name, learner in (("teacher", ailsa), ("teacher", ailsa), ("other_parent", finlay)):
                built.client(name).get(reverse("learners:profile", args=[learner.public_id]))
        yield built


@pytest.fixture
def w(module_world: World, db: None) -> World:
    return module_world


@pytest.fixture
def ailsa(w: World) -> Learner:
    return w.learners["learner"].learner


@pytest.fixture
def finlay(w: World) -> Learner:
    return w.learners["other_learner"].learner


@pytest.fixture
def officer(w: World) -> Any:
    return acting(w.users["data_protection_officer"])


def found_due(learner: Learner, record_type: str = ERASURE_RECORD_TYPE) -> RetentionDue:
    """The review's row: the learner's own record (or records of `record_type`) due, in the
    authority of their enrolment."""
    return RetentionDue.objects.create(
        reported_on=timezone.localdate(),
        authority_id=learner.enrolments.values_list("setting__authority_id", flat=True)[0],
        schedule=RetentionSchedule.objects.get(record_type=record_type),
        learner=learner,
        records=1,
        due_since=date(2020, 1, 1),
    )


def held_about(learner: Learner) -> dict[str, set[int]]:
    """The learner's records of each type the registry lists, by primary key."""
    return {
        record_type.label: set(record_type.records_of([learner.pk]).values_list("pk", flat=True))
        for record_type in RECORD_TYPES
    }


def held_in_all() -> dict[str, set[int]]:
    return {
        record_type.label: set(record_type.model._default_manager.values_list("pk", flat=True))
        for record_type in RECORD_TYPES
    }


def trail(key: uuid.UUID) -> list[dict[str, Any]]:
    return [
        dict(event)
        for event in AuditEvent.objects.filter(learner_key__key=key).order_by("pk").values()
    ]


def test_erasure_deletes_every_record_the_registry_lists_for_the_learner_and_nothing_else(
    ailsa, officer
):
    found_due(ailsa)
    hers, before = held_about(ailsa), held_in_all()
    # The world gives her records of most types; the test means something only if it does.
    assert sum(1 for label, pks in hers.items() if pks and label != AUDIT) >= 25

    result = learner_erase(actor=officer, learner=ailsa, confirmed=True)

    after = held_in_all()
    for label in before:
        if label == AUDIT:
            assert after[label] == before[label] | {result.event.pk}
        else:
            assert after[label] == before[label] - hers[label], label
    assert result.deleted == {label: len(pks) for label, pks in hers.items() if label != AUDIT}
    assert not RetentionDue.objects.filter(learner_id=ailsa.pk).exists()


def test_the_files_her_records_name_leave_the_store_once_the_erasure_commits(
    ailsa, finlay, officer, django_capture_on_commit_callbacks
):
    found_due(ailsa)
    hers = [a.file for a in RequestAttachment.objects.filter(request__learner=ailsa)]
    his = [a.file for a in RequestAttachment.objects.filter(request__learner=finlay)]
    assert hers and his and all(file.storage.exists(str(file.name)) for file in hers + his)

    with django_capture_on_commit_callbacks(execute=True):
        learner_erase(actor=officer, learner=ailsa, confirmed=True)

    assert not any(file.storage.exists(str(file.name)) for file in hers)
    assert all(file.storage.exists(str(file.name)) for file in his)


def test_the_access_trail_keeps_every_event_under_a_key_that_leads_to_no_one(w, ailsa, officer):
    found_due(ailsa)
    key = learner_audit_key(ailsa)
    before = trail(key)
    assert len([e for e in before if e["action"] == AuditAction.VIEW]) >= 2

    result = learner_erase(actor=officer, learner=ailsa, confirmed=True)

    after = trail(key)
    assert after[:-1] == before
    erased = after[-1]
    assert (erased["id"], erased["action"], erased["user_id"]) == (
        result.event.pk,
        AuditAction.DELETE,
        w.users["data_protection_officer"].pk,
    )
    assert erased["purpose"] == f"erasure under a retention schedule: {ERASURE_RECORD_TYPE}"
    assert erased["detail"]["schedule"] == ERASURE_RECORD_TYPE
    assert erased["detail"]["records"] == result.total
    assert not LearnerAuditKey.objects.filter(key=key).exists()
    assert learner_of(result.event) is None
    # Nothing in the events is the learner's: which fields changed, never their values.
    assert all(value == "changed" for e in after for value in (e["changes"] or {}).values())
    assert not any(ailsa.legal_last_name in str(e["changes"]) for e in after)


def test_another_learners_trail_and_records_are_untouched(ailsa, finlay, officer):
    found_due(ailsa)
    his_trail, his_records = trail(learner_audit_key(finlay)), held_about(finlay)
    assert his_trail

    learner_erase(actor=officer, learner=ailsa, confirmed=True)

    assert trail(learner_audit_key(finlay)) == his_trail
    assert held_about(finlay) == his_records


def test_a_carer_of_another_learner_too_is_kept_with_that_learners_link(ailsa, finlay, officer):
    found_due(ailsa)
    carer = ailsa.carer_links.first().carer
    LearnerCarer.objects.create(learner=finlay, carer=carer, relationship="other")

    result = learner_erase(actor=officer, learner=ailsa, confirmed=True)

    assert finlay.carer_links.filter(carer=carer).exists()
    assert result.deleted["learners.Carer"] == 0
    carer.user.refresh_from_db()
    assert carer.user.is_active and not carer.user.is_closed
    assert result.accounts_closed == 0


def test_her_familys_sign_in_accounts_used_only_for_her_are_closed_and_no_one_elses(
    w, ailsa, officer
):
    found_due(ailsa)
    young_person = User.objects.create_user(
        "ailsa.campbell@example.org", "a long pass phrase", full_name="Ailsa Campbell"
    )
    EmailAddress.objects.create(user=young_person, email=young_person.email, verified=True)
    ailsa.young_person_account = young_person
    ailsa.save(update_fields=["young_person_account"])
    parent, other_parent = w.users["parent"], w.users["other_parent"]

    result = learner_erase(actor=officer, learner=ailsa, confirmed=True)

    for account in (young_person, parent):
        email = account.email
        account.refresh_from_db()
        assert account.is_closed and account.email != email
        assert (account.full_name, account.is_active) == ("", False)
        assert not account.has_usable_password()
        assert not EmailAddress.objects.filter(user=account).exists()
        assert "Campbell" not in str(account)
    assert not Client().login(email="ailsa.campbell@example.org", password="a long pass phrase")
    other_parent.refresh_from_db()
    assert other_parent.is_active and not other_parent.is_closed
    assert result.accounts_closed == 2
    assert (result.event.detail or {})["sign_in_accounts_closed"] == 2


def test_a_learner_not_found_due_is_not_erased_and_the_attempt_is_recorded(ailsa, officer):
    hers = held_about(ailsa)

    with pytest.raises(PermissionDenied):
        learner_erase(actor=officer, learner=ailsa, confirmed=True)

    now = held_about(ailsa)
    refusal = AuditEvent.objects.order_by("-pk")[0]
    assert now == hers | {AUDIT: hers[AUDIT] | {refusal.pk}}
    assert (refusal.action, learner_of(refusal)) == (AuditAction.REFUSED, ailsa)


def test_a_learner_due_in_another_authority_is_not_the_officers_to_erase(finlay, officer):
    found_due(finlay)  # in Fife

    with pytest.raises(PermissionDenied):
        learner_erase(actor=officer, learner=finlay, confirmed=True)

    assert Learner.objects.filter(pk=finlay.pk).exists()


def test_nothing_is_erased_until_the_officer_confirms(ailsa, officer):
    found_due(ailsa)

    with pytest.raises(ValidationError):
        learner_erase(actor=officer, learner=ailsa, confirmed=False)

    assert Learner.objects.filter(pk=ailsa.pk).exists()


def test_the_officer_sees_what_would_go_and_must_tick_the_confirmation(w, ailsa):
    found_due(ailsa)
    client = w.client("data_protection_officer")
    address = reverse("data_protection:erase", args=[ailsa.public_id])

    retention = client.get(reverse("data_protection:retention")).content.decode()
    page = client.get(address).content.decode()
    unconfirmed = client.post(address, {})

    assert address in retention
    assert "govuk-warning-text" in page and "cannot be undone" in page
    assert "Plans" in page and 'name="confirm"' in page
    assert "1 family sign-in account will be closed" in page
    assert unconfirmed.status_code == 200
    assert "Confirm that the learner&#x27;s record is to be erased" in unconfirmed.content.decode()
    assert Learner.objects.filter(pk=ailsa.pk).exists()


def test_after_erasure_the_officer_is_back_on_the_review_and_told_what_went(w, ailsa):
    found_due(ailsa)
    client = w.client("data_protection_officer")

    response = client.post(
        reverse("data_protection:erase", args=[ailsa.public_id]), {"confirm": "true"}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("data_protection:retention")
    assert "has been erased" in response.content.decode()
    assert "1 family sign-in account was closed." in response.content.decode()
    assert not Learner.objects.filter(pk=ailsa.pk).exists()


# One record type erased alone, on its own schedule ------------------------------------------------

NOTICES = "notifications.Notification"  # kept two years after they were sent


def notices_due(w: World, learner: Learner, old: int, recent: int) -> RetentionDue:
    """`old` notices about the learner sent three years ago, `recent` sent today, and the
    review's row for the old ones."""
    for number in range(old + recent):
        Notification.objects.create(
            recipient=w.users["teacher"],
            learner=learner,
            kind=NotificationKind.choices[0][0],
            subject="A notice",
            body="About the learner",
            dedupe_key=f"erasure-test-{learner.pk}-{number}",
        )
    sent_long_ago = timezone.now() - timedelta(days=3 * 366)
    old_ones = Notification.objects.filter(dedupe_key__startswith="erasure-test-").order_by("pk")
    Notification.objects.filter(pk__in=list(old_ones.values_list("pk", flat=True)[:old])).update(
        created_at=sent_long_ago
    )
    return found_due(learner, NOTICES)


def test_records_past_their_own_period_are_erased_alone_and_the_rest_of_her_record_stays(
    w, ailsa, officer
):
    notices_due(w, ailsa, old=2, recent=1)
    before = held_about(ailsa)

    result = records_erase(actor=officer, learner=ailsa, record_type=NOTICES, confirmed=True)

    after = held_about(ailsa)
    assert len(before[NOTICES] - after[NOTICES]) == 2
    assert after[NOTICES] <= before[NOTICES]
    assert {label: pks for label, pks in after.items() if label not in (NOTICES, AUDIT)} == {
        label: pks for label, pks in before.items() if label not in (NOTICES, AUDIT)
    }
    assert result.deleted == {NOTICES: 2} and result.total == 2
    assert (result.event.action, learner_of(result.event)) == (AuditAction.DELETE, ailsa)
    assert not RetentionDue.objects.filter(learner=ailsa, schedule__record_type=NOTICES).exists()


def test_the_learners_own_record_and_the_access_trail_cannot_be_erased_alone(w, ailsa, officer):
    found_due(ailsa)
    client = w.client("data_protection_officer")

    for record_type in (ERASURE_RECORD_TYPE, AUDIT):
        with pytest.raises(PermissionDenied):
            records_erase(actor=officer, learner=ailsa, record_type=record_type, confirmed=True)
        address = reverse("data_protection:erase_records", args=[ailsa.public_id, record_type])
        assert client.get(address).status_code == 404

    assert Learner.objects.filter(pk=ailsa.pk).exists()


def test_records_no_longer_past_their_period_are_not_erased_and_the_officer_is_told(
    w, ailsa, officer
):
    notices_due(w, ailsa, old=0, recent=1)

    with pytest.raises(ValidationError) as refused:
        records_erase(actor=officer, learner=ailsa, record_type=NOTICES, confirmed=True)

    assert "None of these records is past its retention period now" in str(refused.value)
    assert RetentionDue.objects.filter(learner=ailsa, schedule__record_type=NOTICES).exists()


def test_the_officer_erases_them_from_the_review_after_confirming(w, ailsa):
    notices_due(w, ailsa, old=2, recent=0)
    client = w.client("data_protection_officer")
    address = reverse("data_protection:erase_records", args=[ailsa.public_id, NOTICES])

    review = client.get(reverse("data_protection:retention")).content.decode()
    page = client.get(address).content.decode()
    unconfirmed = client.post(address, {})
    done = client.post(address, {"confirm": "true"}, follow=True)

    assert address in review
    assert "Records past their period today" in page and "govuk-warning-text" in page
    assert "Confirm that these records are to be erased" in unconfirmed.content.decode()
    assert done.redirect_chain[-1][0] == reverse("data_protection:retention")
    assert "have been erased: 2 records." in done.content.decode()
    assert Learner.objects.filter(pk=ailsa.pk).exists()


def test_files_named_by_what_goes_with_records_erased_alone_leave_the_store_too(
    ailsa, finlay, officer, django_capture_on_commit_callbacks
):
    # Ailsa left school long ago: her requests for assistance are past their period, and each
    # request's attachments go with it (a cascade the registry does not list on its own).
    Enrolment.objects.filter(learner=ailsa).update(
        started_on=date(1995, 8, 21), ended_on=date(2000, 6, 30)
    )
    found_due(ailsa, "coordination.RequestForAssistance")
    hers = [a.file for a in RequestAttachment.objects.filter(request__learner=ailsa)]
    his = [a.file for a in RequestAttachment.objects.filter(request__learner=finlay)]
    for file in hers + his:  # An earlier test's erasure took them from the store (not rolled back).
        if not file.storage.exists(str(file.name)):
            assert file.storage.save(str(file.name), ContentFile(b"%PDF-1.7")) == file.name
    assert hers and his

    with django_capture_on_commit_callbacks(execute=True):
        result = records_erase(
            actor=officer,
            learner=ailsa,
            record_type="coordination.RequestForAssistance",
            confirmed=True,
        )

    assert result.deleted["coordination.RequestAttachment"] == len(hers)
    assert not any(file.storage.exists(str(file.name)) for file in hers)
    assert all(file.storage.exists(str(file.name)) for file in his)


def carers_due(ailsa: Learner) -> None:
    """Ailsa left school in 2000, so her carers' records (kept 25 years after) are due."""
    Enrolment.objects.filter(learner=ailsa).update(
        started_on=date(1995, 8, 21), ended_on=date(2000, 6, 30)
    )
    found_due(ailsa, CARERS)


CARERS = "learners.Carer"


def test_carers_named_in_a_rights_request_cannot_be_erased_alone_and_nothing_goes(ailsa, officer):
    carers_due(ailsa)
    assert RightsRequest.objects.filter(learner=ailsa).exists()
    hers = held_about(ailsa)

    with pytest.raises(ValidationError) as refused:
        records_erase(actor=officer, learner=ailsa, record_type=CARERS, confirmed=True)

    assert "cannot be erased on their own" in str(refused.value)
    assert {k: v for k, v in held_about(ailsa).items() if k != AUDIT} == {
        k: v for k, v in hers.items() if k != AUDIT
    }


def test_carers_erased_alone_take_their_sign_in_accounts_used_only_for_her(w, ailsa, officer):
    carers_due(ailsa)
    # What names her carers by a protected key, gone first (as its own schedule would take it).
    RightsRequest.objects.filter(learner=ailsa).delete()
    ReviewViewsInvitee.objects.filter(carer__learner_links__learner=ailsa).delete()
    parent = w.users["parent"]

    result = records_erase(actor=officer, learner=ailsa, record_type=CARERS, confirmed=True)

    parent.refresh_from_db()
    assert parent.is_closed and not parent.is_active
    assert result.accounts_closed == 1
    assert not ailsa.carer_links.exists()
    assert Learner.objects.filter(pk=ailsa.pk).exists()
