"""Views before every review (ADR 0018).

The world (built once for this module; each test's changes are rolled back):
- Ailsa Campbell, 14, at Riverside Primary in Glasgow, with her own account. Her agreed plan is
  reviewed in a fortnight. Her mother Claire and her father Gordon (who reads Stagewise in
  Welsh) live apart and both use the family portal; her aunt Moira is recorded as a carer but
  may not use the portal.
- Rory Kerr, at the same school: his plan's review is four months away. His mother Fiona uses
  the portal.
- The school's support-for-learning lead.

A fortnight before the review the family and the child are asked, each in their own language.
The child answers the form written for a child, a parent the parents' form, either may choose the
easy-read form; what they write becomes the plan's views, word for word, and part of the review
record once the review is recorded. After that, views are refused with the reason.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stagewise.accounts.models import User
from stagewise.conftest import staff_member
from stagewise.families.review_views_models import (
    ReviewViewsAnswer,
    ReviewViewsInvitation,
    ViewsFormVersion,
)
from stagewise.families.review_views_services import (
    Answers,
    review_views_give,
    review_views_invite_due,
)
from stagewise.learners.models import Learner, LearnerCarer
from stagewise.notifications.models import Notification, NotificationKind
from stagewise.organisations.models import Role
from stagewise.planning.models import Plan, PlanView, ReviewDecision, TargetProgress
from stagewise.planning.services import TargetProgressEntry, plan_review_record
from stagewise.policy import SYSTEM
from stagewise.testing.factories import (
    SettingFactory,
    UserFactory,
    authority,
    enrolled_learner,
    link_carer,
)
from stagewise.testing.plans import acting, finalised_plan
from stagewise.testing.worlds import built_once_per_module

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
TYPED = 'He said: "I <b>hate</b> the dinner hall" & <script>alert(1)</script>\nSecond line.'


@dataclass
class ViewsWorld:
    users: dict[str, User]
    ailsa: Learner
    rory: Learner
    plan: Plan
    rorys_plan: Plan
    links: dict[str, LearnerCarer]

    def actor(self, name: str) -> Any:
        return acting(self.users[name])

    def client(self, name: str) -> Client:
        client = Client()
        client.force_login(self.users[name])
        return client

    def address(self, name: str, plan: Plan | None = None, query: str = "") -> str:
        plan = plan or self.plan
        return reverse(f"review_views:{name}", args=[plan.learner.public_id, plan.public_id]) + (
            query
        )


def _build() -> ViewsWorld:
    school = SettingFactory.create(
        authority=authority("Glasgow City"), name="Riverside Primary School"
    )
    ailsa = enrolled_learner(
        school,
        year_group="S3",
        legal_first_name="Ailsa",
        legal_last_name="Campbell",
        date_of_birth=TODAY.replace(year=TODAY.year - 14) - timedelta(days=30),
    )
    rory = enrolled_learner(school, legal_first_name="Rory", legal_last_name="Kerr")
    users = {
        "claire": UserFactory.create(email="claire@example.org", full_name="Claire Campbell"),
        "gordon": UserFactory.create(
            email="gordon@example.org", full_name="Gordon Campbell", preferred_language="cy"
        ),
        "moira": UserFactory.create(email="moira@example.org", full_name="Moira Campbell"),
        "ailsa": UserFactory.create(email="ailsa@example.org", full_name="Ailsa Campbell"),
        "fiona": UserFactory.create(email="fiona@example.org", full_name="Fiona Kerr"),
        "support_lead": staff_member(
            "lead@example.org", Role.SUPPORT_FOR_LEARNING_LEAD, setting=school
        ),
    }
    links = {
        "claire": link_carer(ailsa, user=users["claire"]),
        "gordon": link_carer(ailsa, user=users["gordon"], lives_with_learner=False),
        "moira": link_carer(ailsa, user=users["moira"], portal_access=False),
        "fiona": link_carer(rory, user=users["fiona"]),
    }
    ailsa.young_person_account = users["ailsa"]
    ailsa.save(update_fields=["young_person_account"])
    author = acting(users["support_lead"])
    plan = finalised_plan(author, ailsa, "individualised_educational_programme")
    rorys_plan = finalised_plan(author, rory, "individualised_educational_programme")
    Plan.objects.filter(pk=plan.pk).update(next_review_on=TODAY + timedelta(days=14))
    Plan.objects.filter(pk=rorys_plan.pk).update(next_review_on=TODAY + timedelta(days=120))
    plan.refresh_from_db()
    rorys_plan.refresh_from_db()
    return ViewsWorld(
        users=users, ailsa=ailsa, rory=rory, plan=plan, rorys_plan=rorys_plan, links=links
    )


@pytest.fixture(scope="module")
def module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[ViewsWorld]:
    with built_once_per_module(_build, django_db_blocker) as built:
        yield built


@pytest.fixture
def vw(module_world: ViewsWorld, db: None) -> ViewsWorld:
    """The module's world, with this test's changes rolled back when it ends."""
    return module_world


@pytest.fixture
def asked(vw: ViewsWorld) -> ReviewViewsInvitation:
    """The daily sweep has asked Ailsa's family and Ailsa for their views."""
    review_views_invite_due(actor=SYSTEM, today=TODAY)
    return ReviewViewsInvitation.objects.get(plan=vw.plan)


def record_the_review(vw: ViewsWorld) -> Any:
    return plan_review_record(
        actor=vw.actor("support_lead"),
        plan=vw.plan,
        held_on=TODAY,
        attendees="Ailsa, Claire Campbell, class teacher",
        views_beforehand="",
        progress=[
            TargetProgressEntry(target=target, progress=TargetProgress.ACHIEVED, evidence="Done")
            for target in vw.plan.targets.all()
        ],
        decision=ReviewDecision.CONTINUE,
        next_review_on=TODAY + timedelta(days=180),
    )


def page(response: Any) -> str:
    return response.content.decode()


# Who is asked ---------------------------------------------------------------------------------


def test_the_sweep_asks_each_parent_with_portal_access_and_the_child_once_in_their_language(vw):
    assert review_views_invite_due(actor=SYSTEM, today=TODAY) == 1
    assert review_views_invite_due(actor=SYSTEM, today=TODAY) == 0

    invitation = ReviewViewsInvitation.objects.get(plan=vw.plan)
    assert invitation.review_due_on == vw.plan.next_review_on
    asked = {(invitee.name, invitee.kind) for invitee in invitation.invitees.all()}
    # Moira may not use the portal; Rory's review is months away.
    assert asked == {
        ("Claire Campbell", "parent"),
        ("Gordon Campbell", "parent"),
        ("Ailsa Campbell", "learner"),
    }
    assert not ReviewViewsInvitation.objects.filter(plan=vw.rorys_plan).exists()
    notices = {
        notice.recipient.email: notice
        for notice in Notification.objects.filter(
            kind=NotificationKind.REVIEW_VIEWS_INVITED
        ).select_related("recipient")
    }
    assert set(notices) == {"claire@example.org", "gordon@example.org", "ailsa@example.org"}
    assert notices["claire@example.org"].subject == "Your views are asked for before a review"
    assert notices["gordon@example.org"].subject == "Gofynnir am eich barn cyn adolygiad"
    assert "Ailsa" not in notices["claire@example.org"].subject


def test_staff_ask_now_and_then_remind_those_who_have_not_answered(vw):
    lead = vw.client("support_lead")

    response = lead.post(vw.address("invite", vw.rorys_plan))
    again = lead.post(vw.address("invite", vw.rorys_plan))

    assert response.status_code == again.status_code == 302
    invitation = ReviewViewsInvitation.objects.get(plan=vw.rorys_plan)
    assert invitation.reminded_on == TODAY
    assert [invitee.name for invitee in invitation.invitees.all()] == ["Fiona Kerr"]
    assert Notification.objects.filter(recipient=vw.users["fiona"]).count() == 2


def test_asking_about_a_plan_with_no_review_date_says_what_to_do_and_asks_no_one(vw):
    Plan.objects.filter(pk=vw.rorys_plan.pk).update(next_review_on=None)

    response = vw.client("support_lead").post(vw.address("invite", vw.rorys_plan))

    assert response.status_code == 200
    assert "govuk-error-summary" in page(response)
    assert "Set the date of the plan&#x27;s next review first." in page(response)
    assert not ReviewViewsInvitation.objects.filter(plan=vw.rorys_plan).exists()


# The three forms ------------------------------------------------------------------------------


def test_the_child_gets_the_form_written_for_a_child_a_parent_the_parents_form(vw, asked):
    child = page(vw.client("ailsa").get(vw.address("give")))
    parent = page(vw.client("claire").get(vw.address("give")))
    easy = page(vw.client("claire").get(vw.address("give", query="?easy_read=1")))
    welsh = page(vw.client("gordon").get(vw.address("give"), headers={"accept-language": "cy"}))

    assert "My views before my review" in child
    assert "What is hard for you, or what worries you?" in child
    assert "What is worrying you?" in parent
    assert "What is hard for you" not in parent
    assert "We want to know what you think." in easy
    assert "What is hard?" in easy
    assert "Beth sy&#x27;n eich poeni?" in welsh


def test_the_words_are_placed_in_the_review_record_exactly_as_typed_and_escaped(vw, asked):
    response = vw.client("claire").post(
        vw.address("give", query="?easy_read=1"), {"worries": TYPED, "going_well": ""}
    )

    assert response.status_code == 302
    view = PlanView.objects.get(plan=vw.plan, speaker="Claire Campbell")
    assert view.words == TYPED
    assert view.kind == "parent"
    assert view.gathered_on == TODAY
    assert view.how_gathered == (
        "Own words, through Stagewise (easy-read form), answering “What is hard?”"
    )
    answer = ReviewViewsAnswer.objects.get(plan_view=view)
    assert answer.form_version == ViewsFormVersion.EASY_READ
    assert asked.invitees.get(user=vw.users["claire"]).responded_at is not None

    review = record_the_review(vw)

    asked.refresh_from_db()
    assert asked.review == review
    plan_page = page(
        vw.client("support_lead").get(
            reverse("planning:detail", args=[vw.ailsa.public_id, vw.plan.public_id])
        )
    )
    assert "Views given before the review, in their own words" in plan_page
    assert "I &lt;b&gt;hate&lt;/b&gt; the dinner hall&quot; &amp; &lt;script&gt;" in plan_page
    assert "<script>alert(1)" not in plan_page


def test_views_given_after_the_review_is_recorded_are_refused_with_the_reason(vw, asked):
    record_the_review(vw)

    response = vw.client("ailsa").post(vw.address("give"), {"going_well": "Art club."})

    assert response.status_code == 200
    assert "govuk-error-summary" in page(response)
    assert "views can no longer be added to it" in page(response)
    assert not PlanView.objects.filter(plan=vw.plan, words="Art club.").exists()


def test_an_empty_form_or_an_answer_too_long_is_refused_and_nothing_is_saved(vw, asked):
    views_before = PlanView.objects.count()
    claire = vw.client("claire")

    empty = claire.post(vw.address("give"), {"going_well": "  ", "worries": ""})
    too_long = claire.post(vw.address("give"), {"going_well": "Fine.", "change": "x" * 10_001})

    assert "Answer at least one question." in page(empty)
    assert (
        "What would you like to change? must be 10,000 characters or fewer; it has 10,001."
        in page(too_long)
    )
    assert "govuk-error-summary" in page(empty) and "govuk-error-summary" in page(too_long)
    assert PlanView.objects.count() == views_before
    assert not ReviewViewsAnswer.objects.exists()
    with pytest.raises(ValidationError):
        review_views_give(
            actor=vw.actor("claire"),
            plan=vw.plan,
            answers=Answers(going_well=" "),
            version=ViewsFormVersion.PARENT,
            labels={},
        )


# Who reads what -------------------------------------------------------------------------------


def test_a_parent_reads_only_their_own_words_and_no_other_carers_details(vw, asked):
    vw.client("claire").post(vw.address("give"), {"worries": "Claire's own worry."})
    vw.client("gordon").post(vw.address("give"), {"worries": "Gordon's own worry."})

    claires = page(vw.client("claire").get(vw.address("detail")))
    staff = page(vw.client("support_lead").get(vw.address("detail")))

    assert "Claire&#x27;s own worry." in claires
    assert "Gordon" not in claires and "gordon@example.org" not in claires
    assert "Claire&#x27;s own worry." in staff and "Gordon&#x27;s own worry." in staff
    assert "Not yet" in staff  # Ailsa has not answered


def test_a_parent_of_another_learner_gets_404(vw, asked):
    fiona = vw.client("fiona")

    assert fiona.get(vw.address("detail")).status_code == 404
    assert fiona.post(vw.address("give"), {"worries": "Not mine to say."}).status_code == 404
    assert not PlanView.objects.filter(words="Not mine to say.").exists()


def test_staff_record_the_childs_views_given_by_telephone_on_her_behalf(vw, asked):
    response = vw.client("support_lead").post(
        vw.address("record"),
        {
            "speaker": "learner",
            "channel": "telephone",
            "gathered_on_0": TODAY.day,
            "gathered_on_1": TODAY.month,
            "gathered_on_2": TODAY.year,
            "going_well": "I like the reading group.",
        },
    )

    assert response.status_code == 302
    view = PlanView.objects.get(words="I like the reading group.")
    assert (view.kind, view.speaker) == ("learner", "Ailsa Campbell")
    assert view.how_gathered.startswith("Own words, given by telephone and recorded by staff")
    invitee = ReviewViewsAnswer.objects.get(plan_view=view).invitee
    assert invitee is not None and invitee.name == "Ailsa Campbell"


def test_staff_on_behalf_form_says_what_to_fix(vw, asked):
    response = vw.client("support_lead").post(vw.address("record"), {"going_well": "Fine."})

    assert "Choose whose views these are." in page(response)
    assert "Choose how the views were given." in page(response)
    assert "Enter the date the views were given." in page(response)


def test_the_staff_page_reads_in_as_many_queries_however_many_answered(vw, asked):
    lead = vw.client("support_lead")
    vw.client("claire").post(vw.address("give"), {"worries": "One."})
    lead.get(vw.address("detail"))  # session and caches warmed
    with CaptureQueriesContext(connection) as one:
        lead.get(vw.address("detail"))
    vw.client("gordon").post(vw.address("give"), {"worries": "Two.", "change": "Three."})
    vw.client("ailsa").post(vw.address("give"), {"going_well": "Four."})
    with CaptureQueriesContext(connection) as three:
        response = lead.get(vw.address("detail"))

    assert "Four." in page(response)
    assert len(three) == len(one)
