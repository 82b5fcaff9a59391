"""The daily retention review: what has passed its retention period is listed for each
authority's data protection officer, and nothing is deleted.

The world (built once for the module): in Glasgow, Iona left Riverside 26 years ago (every
schedule counted from leaving, 25 years at most, has passed); Ross is still at Riverside, and
someone opened his record seven years ago (the access trail is kept six years from each access).
In Fife, Callum left 26 years ago. The review ran today.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stagewise.accounts.models import User
from stagewise.audit.models import AuditAction, AuditEvent, learner_audit_key
from stagewise.audit.services import shown_learners
from stagewise.data_protection import selectors
from stagewise.data_protection.models import RetentionDue, RetentionSchedule
from stagewise.data_protection.retention import years_after
from stagewise.data_protection.services import RetentionReviewResult, retention_review_run
from stagewise.data_protection.tasks import retention_review
from stagewise.learners.models import Enrolment, Learner
from stagewise.organisations.models import Role
from stagewise.policy import SYSTEM
from stagewise.testing.factories import (
    MembershipFactory,
    SettingFactory,
    UserFactory,
    authority,
    enrolled_learner,
    with_authenticator_app,
)
from stagewise.testing.keyset_pages import page_plan, sorts, walk_pages
from stagewise.testing.plans import acting
from stagewise.testing.worlds import built_once_per_module

# The order the review lists learners due in (data_protection/selectors.py DUE_ORDER).
DUE_KEYS = ("due_since", "learner_id", "pk")


@dataclass
class RetentionWorld:
    iona: Learner
    ross: Learner
    callum: Learner
    left_on: date
    officers: dict[str, User]
    result: RetentionReviewResult
    held_before: tuple[int, int, int]
    held_after: tuple[int, int, int]


def held() -> tuple[int, int, int]:
    return (Learner.objects.count(), Enrolment.objects.count(), AuditEvent.objects.count())


def _officer(name: str, at: Any) -> User:
    user = with_authenticator_app(UserFactory.create(email=f"{name}@example.org", full_name=name))
    MembershipFactory.create(user=user, role=Role.DATA_PROTECTION_OFFICER, authority=at)
    return user


def _build() -> RetentionWorld:
    glasgow, fife = authority("Glasgow City"), authority("Fife")
    riverside = SettingFactory.create(authority=glasgow, name="Riverside Primary School")
    harbourside = SettingFactory.create(authority=fife, name="Harbourside Primary School")
    today = timezone.localdate()
    left_on = today - timedelta(days=26 * 366)
    iona = enrolled_learner(riverside, legal_first_name="Iona", legal_last_name="Baird")
    callum = enrolled_learner(harbourside, legal_first_name="Callum", legal_last_name="Shaw")
    ross = enrolled_learner(riverside, legal_first_name="Ross", legal_last_name="Munro")
    Enrolment.objects.filter(learner__in=[iona, callum]).update(
        started_on=left_on - timedelta(days=700), ended_on=left_on
    )
    AuditEvent(
        occurred_at=timezone.now() - timedelta(days=7 * 366),
        user_label="A teacher",
        action=AuditAction.VIEW,
        learner_key_id=learner_audit_key(ross),
    ).save()
    officers = {"glasgow": _officer("glasgow-dpo", glasgow), "fife": _officer("fife-dpo", fife)}
    before = held()
    result = retention_review_run(actor=SYSTEM)
    return RetentionWorld(iona, ross, callum, left_on, officers, result, before, held())


@pytest.fixture(scope="module")
def module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[RetentionWorld]:
    with built_once_per_module(_build, django_db_blocker) as built:
        yield built


@pytest.fixture
def w(module_world: RetentionWorld, db: None) -> RetentionWorld:
    return module_world


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def due_for(learner: Learner) -> dict[str, RetentionDue]:
    rows = RetentionDue.objects.filter(learner=learner).select_related("schedule")
    return {row.schedule.record_type: row for row in rows}


def test_a_learner_who_left_long_ago_is_due_for_review_from_the_day_their_period_ended(w):
    due = due_for(w.iona)

    assert {"learners.Learner", "learners.Enrolment"} <= set(due)
    assert due["learners.Learner"].records == 1
    assert due["learners.Learner"].due_since == years_after(w.left_on, 25)
    assert due["learners.Learner"].authority.name == "Glasgow City"


def test_a_learner_still_enrolled_is_due_only_for_old_access_records(w):
    due = due_for(w.ross)

    assert set(due) == {"audit.AuditEvent"}
    assert due["audit.AuditEvent"].records == 1


def test_the_review_deletes_nothing_it_lists(w):
    assert w.held_after == w.held_before
    assert w.result.learners == 3


def test_the_officer_reads_counts_per_record_type_and_their_own_learners_due(w):
    response = signed_in(w.officers["glasgow"]).get(reverse("data_protection:retention"))

    assert response.status_code == 200
    counts = {count.record_type: count for count in response.context["report"].counts}
    assert counts["learners.Learner"].learners == 1
    assert counts["audit.AuditEvent"].learners == 1
    page = response.content.decode()
    assert "Iona" in page and "Ross" in page and "Callum" not in page
    listed = AuditEvent.objects.filter(action=AuditAction.LIST, user=w.officers["glasgow"]).get()
    assert w.iona.pk in shown_learners(listed)


def test_another_authoritys_officer_sees_only_their_own_learners(w):
    page = signed_in(w.officers["fife"]).get(reverse("data_protection:retention")).content
    assert b"Callum" in page and b"Iona" not in page


def test_the_learners_due_are_listed_a_page_at_a_time_by_cursor(w, monkeypatch):
    monkeypatch.setattr(selectors, "DUE_PAGE_SIZE", 1)
    client = signed_in(w.officers["glasgow"])
    due_here = RetentionDue.objects.filter(authority__name="Glasgow City")

    pages = walk_pages(client, reverse("data_protection:retention"))

    shown = [row.pk for page in pages for row in page.response.context["page"].object_list]
    assert shown == list(due_here.order_by(*DUE_KEYS).values_list("pk", flat=True))
    assert len(pages) > 2
    # The last page costs what the first does, and a longer page no more.
    assert {page.queries for page in pages} == {pages[0].queries}
    monkeypatch.setattr(selectors, "DUE_PAGE_SIZE", 50)
    assert walk_pages(client, reverse("data_protection:retention"))[0].queries == pages[0].queries


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL query plan")
def test_a_page_of_learners_due_reads_the_authoritys_rows_in_the_index_order(w, monkeypatch):
    monkeypatch.setattr(selectors, "DUE_PAGE_SIZE", 2)
    officer = acting(w.officers["glasgow"])
    first = selectors.retention_report_get(actor=officer, cursor=None).page
    assert officer.membership is not None
    glasgow = officer.membership.authority_id
    due_here = RetentionDue.objects.filter(authority_id=glasgow)

    for cursor in (None, first.next_cursor):
        plan = page_plan(
            due_here, order=selectors.DUE_ORDER, cursor=cursor, salt="data_protection:retention"
        )
        assert "retention_due_oldest" in plan, plan
        assert not sorts(plan), plan


def test_the_daily_task_runs_the_same_review(w):
    result = retention_review.call()

    assert result["rows"] == str(w.result.rows)


def test_a_period_counted_from_29_february_ends_on_28_february():
    assert years_after(date(2024, 2, 29), 25) == date(2049, 2, 28)


def test_the_shipped_schedules_keep_nothing_longer_than_the_learners_own_record(db):
    for schedule in RetentionSchedule.objects.all():
        schedule.full_clean()


def test_a_record_kept_longer_than_the_learners_own_record_is_refused_with_the_limit(db):
    chronology = RetentionSchedule.objects.get(record_type="learners.ChronologyEntry")
    chronology.kept_for_years = 30

    with pytest.raises(ValidationError) as refused:
        chronology.full_clean()

    assert refused.value.message_dict["kept_for_years"] == [
        "Keep these records for 25 years or fewer: the learner's own record is kept for 25 "
        "years, and erasing the learner deletes these too."
    ]


def test_the_learners_own_record_cannot_be_kept_for_less_than_any_other(db):
    own = RetentionSchedule.objects.get(record_type="learners.Learner")
    own.kept_for_years = 10

    with pytest.raises(ValidationError) as refused:
        own.full_clean()

    assert "Keep the learner's own record for at least 25 years" in str(refused.value)


def test_the_access_trail_may_outlive_the_learner_under_its_key(db):
    trail = RetentionSchedule.objects.get(record_type="audit.AuditEvent")
    trail.kept_for_years = 40

    trail.full_clean()
