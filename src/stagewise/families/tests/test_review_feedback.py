"""The family's say on a review (ADR 0026).

The world (built once for this module; each test's changes are rolled back):
- Ailsa Campbell, 14, at Riverside Primary in Glasgow, with her own account. Her mother Claire
  and her father Gordon (who reads Stagewise in Welsh) live apart and both use the family portal;
  her aunt Moira is recorded as a carer but may not use the portal.
- Iona Reid, 17, at the same school, with her own account; her father Hamish uses the portal.
  Iona has decided that her parents see her needs but not her plans.
- Rory Kerr, at the same school, whose mother Fiona uses the portal.
- The school's support-for-learning lead, who records the reviews.

Once a review is recorded, each family member who sees the plan is asked two short questions about
it on their home page, until they answer or decline or the window closes 28 days later. Staff who
see the plan read the answers on it. The measures count answers per review.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from stagewise.accounts.models import User
from stagewise.audit.models import AuditEvent
from stagewise.conftest import staff_member
from stagewise.families.feedback_models import ReviewFeedback
from stagewise.families.feedback_selectors import (
    review_feedback_counts,
    reviews_awaiting_feedback,
)
from stagewise.families.feedback_services import (
    FeedbackGiven,
    review_feedback_decline,
    review_feedback_give,
)
from stagewise.families.home_selectors import family_home_get
from stagewise.learners.models import Learner
from stagewise.learners.services.sharing import parent_sharing_decide
from stagewise.measurement.periods import school_year_of
from stagewise.organisations.models import Role, Setting
from stagewise.planning.models import Plan, PlanReview, ReviewDecision, TargetProgress
from stagewise.planning.services import TargetProgressEntry, plan_review_record
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
YES_PARTLY = FeedbackGiven(feel_supported="yes", listened_to="partly", comment="Good meeting.")


@dataclass
class FeedbackWorld:
    users: dict[str, User]
    school: Setting
    ailsa: Learner
    iona: Learner
    rory: Learner
    plans: dict[str, Plan]

    def actor(self, name: str) -> Any:
        return acting(self.users[name])

    def client(self, name: str) -> Client:
        client = Client()
        client.force_login(self.users[name])
        return client


def _build() -> FeedbackWorld:
    school = SettingFactory.create(
        authority=authority("Glasgow City"), name="Riverside Primary School"
    )

    def aged(years: int) -> Any:
        return TODAY.replace(year=TODAY.year - years) - timedelta(days=30)

    ailsa = enrolled_learner(
        school, legal_first_name="Ailsa", legal_last_name="Campbell", date_of_birth=aged(14)
    )
    iona = enrolled_learner(
        school, legal_first_name="Iona", legal_last_name="Reid", date_of_birth=aged(17)
    )
    rory = enrolled_learner(school, legal_first_name="Rory", legal_last_name="Kerr")
    names = {
        "claire": "Claire Campbell",
        "gordon": "Gordon Campbell",
        "moira": "Moira Campbell",
        "ailsa": "Ailsa Campbell",
        "iona": "Iona Reid",
        "hamish": "Hamish Reid",
        "fiona": "Fiona Kerr",
    }
    users = {
        key: UserFactory.create(
            email=f"{key}@example.org",
            full_name=name,
            preferred_language="cy" if key == "gordon" else "en",
        )
        for key, name in names.items()
    }
    users["support_lead"] = staff_member(
        "lead@example.org", Role.SUPPORT_FOR_LEARNING_LEAD, setting=school
    )
    link_carer(ailsa, user=users["claire"])
    link_carer(ailsa, user=users["gordon"], lives_with_learner=False)
    link_carer(ailsa, user=users["moira"], portal_access=False)
    link_carer(iona, user=users["hamish"])
    link_carer(rory, user=users["fiona"])
    for learner, key in ((ailsa, "ailsa"), (iona, "iona")):
        learner.young_person_account = users[key]
        learner.save(update_fields=["young_person_account"])
    parent_sharing_decide(
        actor=acting(users["iona"]), learner=iona, sharing="chosen_parts", parts=["needs"]
    )
    author = acting(users["support_lead"])
    plans = {
        learner.legal_first_name.lower(): finalised_plan(
            author, learner, "individualised_educational_programme"
        )
        for learner in (ailsa, iona, rory)
    }
    # The plans started two months ago, so a review can have been held a month ago.
    Plan.objects.filter(pk__in=[plan.pk for plan in plans.values()]).update(
        starts_on=TODAY - timedelta(days=60)
    )
    return FeedbackWorld(users=users, school=school, ailsa=ailsa, iona=iona, rory=rory, plans=plans)


@pytest.fixture(scope="module")
def module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[FeedbackWorld]:
    with built_once_per_module(_build, django_db_blocker) as built:
        yield built


@pytest.fixture
def fw(module_world: FeedbackWorld, db: None) -> FeedbackWorld:
    return module_world


def record_review(fw: FeedbackWorld, whose: str = "ailsa", days_ago: int = 0) -> PlanReview:
    plan = Plan.objects.get(pk=fw.plans[whose].pk)
    review = plan_review_record(
        actor=fw.actor("support_lead"),
        plan=plan,
        held_on=TODAY - timedelta(days=days_ago),
        attendees="Ailsa, Claire Campbell, class teacher",
        views_beforehand="",
        progress=[
            TargetProgressEntry(target=target, progress=TargetProgress.ACHIEVED, evidence="Done")
            for target in plan.targets.all()
        ],
        decision=ReviewDecision.CONTINUE,
        next_review_on=TODAY + timedelta(days=180),
    )
    if days_ago:
        recorded = timezone.now() - timedelta(days=days_ago)
        PlanReview.objects.filter(pk=review.pk).update(recorded_at=recorded)
        review.refresh_from_db()
    return review


def address(review: PlanReview, name: str = "give") -> str:
    plan = review.plan
    return reverse(
        f"review_feedback:{name}", args=[plan.learner.public_id, plan.public_id, review.pk]
    )


def waiting_for(fw: FeedbackWorld, name: str) -> list[str]:
    home = family_home_get(actor=fw.actor(name))
    return [
        item.text
        for child in home.children
        for item in child.waiting
        if item.kind == "review_feedback"
    ]


# Who is asked ---------------------------------------------------------------------------------


def test_once_a_review_is_recorded_each_parent_with_portal_access_and_the_child_are_asked(fw):
    assert waiting_for(fw, "claire") == []
    record_review(fw)

    assert waiting_for(fw, "claire") == [
        "Tell us how the review went: Individualised educational programme"
    ]
    assert len(waiting_for(fw, "gordon")) == 1
    # The child's own, in the first person.
    assert waiting_for(fw, "ailsa") == [
        "Tell us how your review went: Individualised educational programme"
    ]
    # Another family's review is not theirs to answer.
    assert waiting_for(fw, "fiona") == []


def test_a_carer_without_portal_access_is_not_asked_and_cannot_reach_the_page(fw):
    review = record_review(fw)
    assert fw.client("moira").get(address(review)).status_code == 404
    assert fw.client("moira").post(address(review, "decline")).status_code == 404


def test_a_parent_is_not_asked_about_the_plans_the_young_person_keeps_from_them(fw):
    """Iona, 17, lets her father see her needs, not her plans (ADR 0021)."""
    review = record_review(fw, "iona")

    assert waiting_for(fw, "hamish") == []
    assert len(waiting_for(fw, "iona")) == 1
    with pytest.raises(PermissionDenied):
        review_feedback_give(actor=fw.actor("hamish"), review=review, given=YES_PARTLY)
    assert fw.client("hamish").get(address(review)).status_code == 404
    assert fw.client("iona").get(address(review)).status_code == 200


def test_another_family_and_staff_cannot_answer(fw):
    review = record_review(fw)
    assert fw.client("fiona").get(address(review)).status_code == 404
    assert fw.client("support_lead").get(address(review)).status_code == 403
    with pytest.raises(PermissionDenied):
        review_feedback_give(actor=fw.actor("support_lead"), review=review, given=YES_PARTLY)


# Answering -----------------------------------------------------------------------------------


def test_an_answer_is_kept_once_per_person_and_can_be_changed_while_open(fw):
    review = record_review(fw)
    first = review_feedback_give(actor=fw.actor("claire"), review=review, given=YES_PARTLY)
    changed = review_feedback_give(
        actor=fw.actor("claire"),
        review=review,
        given=FeedbackGiven(feel_supported="partly", listened_to="no"),
    )

    assert changed.pk == first.pk
    assert ReviewFeedback.objects.filter(review=review).count() == 1
    assert (changed.feel_supported, changed.listened_to, changed.comment) == ("partly", "no", "")
    assert changed.changed_at is not None
    assert (changed.name, changed.respondent, changed.setting) == (
        "Claire Campbell",
        "parent",
        fw.school,
    )
    assert waiting_for(fw, "claire") == []
    # Each person answers for themself: Gordon is still asked.
    assert len(waiting_for(fw, "gordon")) == 1
    events = AuditEvent.objects.filter(object_type="review_feedback").order_by("pk")
    assert [event.action for event in events] == ["create", "update"]
    assert (events[1].changes or {})["listened_to"] == "changed"  # never the values


def test_the_child_answers_for_themself_through_the_page(fw):
    review = record_review(fw)
    client = fw.client("ailsa")
    form = client.get(address(review)).content.decode()
    assert "I feel Riverside Primary School helps me well." in form
    assert "I would rather not say" in form

    response = client.post(address(review), {"feel_supported": "yes", "listened_to": "yes"})

    assert response.status_code == 302
    row = ReviewFeedback.objects.get(review=review)
    assert (row.respondent, row.name, row.user) == ("learner", "Ailsa Campbell", fw.users["ailsa"])


def test_the_parents_form_names_the_child_and_says_the_answers_are_shared(fw):
    review = record_review(fw)
    page = fw.client("claire").get(address(review)).content.decode()
    assert "Do you feel Riverside Primary School supports Ailsa Campbell well?" in page
    assert "shared with the staff who work on the plan" in page


def test_the_form_is_in_welsh_for_a_welsh_reader(fw):
    review = record_review(fw)
    client = fw.client("gordon")
    client.cookies["django_language"] = "cy"
    with translation.override("cy"):
        page = client.get(address(review), HTTP_ACCEPT_LANGUAGE="cy").content.decode()
    assert "Sut aeth yr adolygiad?" in page


def test_bad_answers_are_refused_with_a_reason_and_nothing_is_saved(fw):
    review = record_review(fw)
    with pytest.raises(ValidationError) as refusal:
        review_feedback_give(
            actor=fw.actor("claire"),
            review=review,
            given=FeedbackGiven(feel_supported="maybe", listened_to="", comment="x" * 1_001),
        )
    assert set(refusal.value.message_dict) == {"feel_supported", "listened_to", "comment"}
    response = fw.client("claire").post(address(review), {"feel_supported": "yes"})
    assert response.status_code == 200
    assert "Choose an answer." in response.content.decode()
    assert not ReviewFeedback.objects.exists()


def test_declining_takes_it_off_the_list_and_answering_later_is_still_possible(fw):
    review = record_review(fw)
    response = fw.client("claire").post(address(review, "decline"))
    assert response.status_code == 302
    assert waiting_for(fw, "claire") == []
    row = ReviewFeedback.objects.get(review=review)
    assert row.declined and row.feel_supported == ""

    review_feedback_give(actor=fw.actor("claire"), review=review, given=YES_PARTLY)
    row.refresh_from_db()
    assert not row.declined and row.feel_supported == "yes"


def test_having_answered_one_changes_the_answers_rather_than_declining(fw):
    review = record_review(fw)
    review_feedback_give(actor=fw.actor("claire"), review=review, given=YES_PARTLY)
    with pytest.raises(ValidationError, match="already answered"):
        review_feedback_decline(actor=fw.actor("claire"), review=review)
    response = fw.client("claire").post(address(review, "decline"))
    assert response.status_code == 200
    assert "already answered" in response.content.decode()


def test_answers_close_28_days_after_the_review_was_recorded(fw):
    open_review = record_review(fw, days_ago=28)
    assert len(waiting_for(fw, "claire")) == 1
    review_feedback_give(actor=fw.actor("claire"), review=open_review, given=YES_PARTLY)

    closed = record_review(fw, "rory", days_ago=29)
    assert waiting_for(fw, "fiona") == []
    with pytest.raises(ValidationError, match="closed on"):
        review_feedback_give(actor=fw.actor("fiona"), review=closed, given=YES_PARTLY)
    with pytest.raises(ValidationError, match="closed on"):
        review_feedback_decline(actor=fw.actor("fiona"), review=closed)
    page = fw.client("fiona").get(address(closed)).content.decode()
    assert "Answers about this review closed on" in page
    assert "Send your answers" not in page


# Staff read it -------------------------------------------------------------------------------


def test_staff_who_see_the_plan_read_the_familys_answers_on_it(fw):
    review = record_review(fw)
    review_feedback_give(
        actor=fw.actor("claire"),
        review=review,
        given=FeedbackGiven(feel_supported="partly", listened_to="yes", comment="<b>More</b> help"),
    )
    review_feedback_decline(actor=fw.actor("gordon"), review=review)
    plan = review.plan
    url = reverse("planning:detail", args=[plan.learner.public_id, plan.public_id])

    page = fw.client("support_lead").get(url).content.decode()

    assert "The family's say on the review, in their own words" in page
    assert "Claire Campbell (Parent or carer)" in page
    assert "&lt;b&gt;More&lt;/b&gt; help" in page
    assert "Chose not to answer." in page
    # A parent reading the plan sees none of it: not another parent's answers, nor their own.
    family_page = fw.client("gordon").get(url).content.decode()
    assert "say on the review" not in family_page
    assert "More&lt;/b&gt; help" not in family_page


def test_the_plan_page_reads_the_answers_in_one_query_however_many(fw):
    review = record_review(fw)
    plan = review.plan
    url = reverse("planning:detail", args=[plan.learner.public_id, plan.public_id])
    client = fw.client("support_lead")
    review_feedback_give(actor=fw.actor("claire"), review=review, given=YES_PARTLY)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for name in ("gordon", "ailsa"):
        review_feedback_give(actor=fw.actor(name), review=review, given=YES_PARTLY)
    with CaptureQueriesContext(connection) as three:
        client.get(url)
    assert len(three) == len(one)


# Measures ------------------------------------------------------------------------------------


def test_the_counts_give_each_answer_per_question_per_review_in_one_query(fw):
    review = record_review(fw)
    rorys = record_review(fw, "rory")
    review_feedback_give(actor=fw.actor("claire"), review=review, given=YES_PARTLY)
    review_feedback_give(
        actor=fw.actor("gordon"),
        review=review,
        given=FeedbackGiven(feel_supported="rather_not_say", listened_to="no"),
    )
    review_feedback_give(
        actor=fw.actor("ailsa"),
        review=review,
        given=FeedbackGiven(feel_supported="yes", listened_to="yes"),
    )
    review_feedback_decline(actor=fw.actor("fiona"), review=rorys)

    with CaptureQueriesContext(connection) as queries:
        counts = review_feedback_counts(
            setting_ids=[fw.school.pk], school_year=school_year_of(TODAY)
        )

    assert len(queries) == 1
    # Rory's review: only a decline, which is not an answer.
    assert [row.review_id for row in counts] == [review.pk]
    row = counts[0]
    assert row.counts["feel_supported"] == {"yes": 2, "partly": 0, "no": 0, "rather_not_say": 1}
    assert row.counts["listened_to"] == {"yes": 1, "partly": 1, "no": 1, "rather_not_say": 0}
    assert (row.yes("feel_supported"), row.answered("feel_supported")) == (2, 2)
    assert (row.yes("listened_to"), row.answered("listened_to")) == (1, 3)
    assert review_feedback_counts(setting_ids=[fw.school.pk], school_year=2001) == []
    assert review_feedback_counts(setting_ids=[], school_year=school_year_of(TODAY)) == []


def test_the_home_page_reads_the_reviews_waiting_in_one_query_however_many_children(fw):
    for whose in ("ailsa", "iona", "rory"):
        record_review(fw, whose)
    actor = fw.actor("ailsa")
    with CaptureQueriesContext(connection) as queries:
        reviews = reviews_awaiting_feedback(
            actor=actor, learner_ids=[fw.ailsa.pk, fw.iona.pk, fw.rory.pk]
        )
    assert len(queries) == 1
    assert len(reviews) == 3


def test_the_familys_plan_page_links_to_their_say_while_it_is_open_so_they_can_change_it(fw):
    review = record_review(fw)
    review_feedback_give(actor=fw.actor("claire"), review=review, given=YES_PARTLY)
    plan = review.plan
    url = reverse("planning:detail", args=[plan.learner.public_id, plan.public_id])

    page = fw.client("claire").get(url).content.decode()
    assert address(review) in page
    assert "Your say on the review of" in page

    PlanReview.objects.filter(pk=review.pk).update(recorded_at=timezone.now() - timedelta(days=29))
    assert address(review) not in fw.client("claire").get(url).content.decode()
