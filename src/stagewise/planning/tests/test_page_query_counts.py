"""Plan pages issue the same number of queries however long the plan and its history are.

`learner` has a plan with one target, one view and one review; a classmate, known to the same
staff and the same parent, has the same kind of plan with 15 targets (each with two rows of
support), 10 views and 5 reviews, beside other plans: open, closed and finalised.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from unittest import mock

import factory.random
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from stagewise.accounts.actors import Actor
from stagewise.accounts.models import User
from stagewise.conftest import ACTOR_MAKERS, build_world
from stagewise.learners.models import Carer, CarerRelationship, Learner, LearnerCarer
from stagewise.planning.models import Plan, ReviewDecision, TargetProgress, ViewKind
from stagewise.planning.services import (
    TargetProgressEntry,
    plan_close,
    plan_finalise,
    plan_review_record,
    plan_revise,
    provision_add,
    target_add,
    view_add,
)
from stagewise.testing.factories import enrolled_learner, staff_for
from stagewise.testing.plans import acting, finalised_plan, started_plan
from stagewise.testing.worlds import built_once_per_module

PLAN_TYPE = "personal_learning_plan"


def finalise(actor: Actor, plan: Plan) -> None:
    plan.refresh_from_db()
    plan_finalise(actor=actor, plan=plan, based_on_revision=plan.edit_revision)
    plan.refresh_from_db()


def plan_with(
    actor: Actor, learner: Learner, *, targets: int, support_each: int, views: int, reviews: int
) -> Plan:
    """A plan with this much in it, finalised twice (so it has versions to compare), then
    reviewed `reviews` times."""
    plan = started_plan(actor, learner, PLAN_TYPE)
    today = timezone.localdate()
    for number in range(1, targets + 1):
        target = target_add(
            actor=actor,
            plan=plan,
            outcome=f"Target {number}: read a short text aloud",
            measure="Reading record, checked weekly",
            baseline="Reads 20 words a minute",
            success_criteria="Reads 40 words a minute",
            achieve_by=today + timedelta(days=90),
        )
        for row in range(1, support_each + 1):
            provision_add(
                actor=actor,
                target=target,
                description=f"Reading support {number}.{row}",
                frequency="Twice a week",
                minutes_per_week=60,
                starts_on=plan.starts_on or today,
                provider_name="Pupil support assistant",
                location="Library",
            )
    for number in range(views):
        view_add(
            actor=actor,
            plan=plan,
            kind=ViewKind.LEARNER if number % 2 == 0 else ViewKind.PARENT,
            speaker=f"Speaker {number}",
            words="I like reading when the text is about football.",
            gathered_on=today,
        )
    finalise(actor, plan)
    plan_revise(actor=actor, plan=plan)
    finalise(actor, plan)
    for number in range(reviews):
        plan_review_record(
            actor=actor,
            plan=plan,
            held_on=today - timedelta(days=reviews - number),
            attendees="Class teacher, parent",
            views_beforehand="",
            progress=[
                TargetProgressEntry(
                    target=target, progress=TargetProgress.PARTLY_ACHIEVED, evidence="Record"
                )
                for target in plan.targets.all()
            ],
            decision=ReviewDecision.CONTINUE,
            next_review_on=today + timedelta(days=90),
        )
    plan.refresh_from_db()
    return plan


@dataclass
class PlansWorld:
    users: dict[str, User]
    # By size: the learner and their plan.
    plans: dict[str, tuple[Learner, Plan]]


def _build() -> PlansWorld:
    factory.random.reseed_random("stagewise")
    world = build_world()
    users = {name: ACTOR_MAKERS[name](world) for name in ("support_lead", "parent")}
    learner = world.learner
    actor = acting(staff_for(learner))
    classmate = enrolled_learner(world.school, year_group="S5")
    LearnerCarer.objects.create(
        learner=classmate,
        carer=Carer.objects.get(user=users["parent"]),
        relationship=CarerRelationship.PARENT,
    )
    small = plan_with(actor, learner, targets=1, support_each=1, views=1, reviews=1)
    large = plan_with(actor, classmate, targets=15, support_each=2, views=10, reviews=5)
    # Other plans beside the large one: a closed plan, a finalised one and an open draft.
    closed = started_plan(actor, classmate, "individualised_educational_programme")
    plan_close(actor=actor, plan=closed, closed_on=timezone.localdate(), reason="Moved on")
    finalised_plan(actor, classmate, "childs_plan")
    started_plan(actor, classmate, "individualised_educational_programme")
    started_plan(actor, classmate, "coordinated_support_plan")
    assert large.targets.count() == 15 and large.reviews.count() == 5
    return PlansWorld(users=users, plans={"small": (learner, small), "large": (classmate, large)})


@pytest.fixture(scope="module")
def module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[PlansWorld]:
    with built_once_per_module(_build, django_db_blocker) as built:
        yield built


@pytest.fixture
def small_and_large(module_world: PlansWorld, db: None) -> dict[str, tuple[Learner, Plan]]:
    """The module's plans, read afresh: a test that revises them is rolled back, its copies
    with it."""
    return {
        size: (learner, Plan.objects.get(pk=plan.pk))
        for size, (learner, plan) in module_world.plans.items()
    }


def page_url(url_name: str, target: Learner, plan: Plan) -> str:
    if url_name in ("planning:list", "planning:progress"):
        return reverse(url_name, args=[target.public_id])
    if url_name == "planning:version":
        return reverse(url_name, args=[target.public_id, plan.public_id, plan.version_number])
    url = reverse(url_name, args=[target.public_id, plan.public_id])
    if url_name == "planning:compare":
        url += f"?left={plan.version_number - 1}&right={plan.version_number}"
    return url


def assert_shows_everything(
    url_name: str, content: str, target: Learner, plan: Plan, family: bool
) -> None:
    """The page really shows every row counted, so an equal count means something."""
    if url_name == "planning:list":
        # Staff see every plan; families only those with a finalised version.
        for row in target.plans.all():
            assert (str(row.public_id) in content) == (not family or row.versions.exists())
    elif url_name == "planning:progress":
        assert content.count("Review on") == plan.reviews.count()
    else:
        last_target = plan.targets.order_by("pk").last()
        assert last_target is not None and last_target.outcome in content
        last_support = last_target.provision.order_by("pk").last()
        assert last_support is not None and last_support.description in content


@pytest.mark.parametrize(
    ("actor", "url_name", "being_revised"),
    [
        ("support_lead", "planning:detail", False),
        # While a new version is written, staff pages build the plan from its live rows.
        ("support_lead", "planning:detail", True),
        ("parent", "planning:detail", False),
        ("support_lead", "planning:list", False),
        ("parent", "planning:list", False),
        ("support_lead", "planning:version", False),
        ("support_lead", "planning:compare", False),
        ("support_lead", "planning:progress", False),
        ("parent", "planning:progress", False),
        ("support_lead", "planning:print", False),
        ("support_lead", "planning:print", True),
        ("parent", "planning:print", False),
    ],
)
def test_plan_pages_issue_the_same_queries_for_a_short_and_a_long_plan(
    module_world, small_and_large, actor, url_name, being_revised
):
    if being_revised:
        for _target, plan in small_and_large.values():
            plan_revise(actor=acting(staff_for(plan.learner)), plan=plan)
            plan.refresh_from_db()
    client = Client()
    client.force_login(module_world.users[actor])

    def visit(size: str) -> int:
        target, plan = small_and_large[size]
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page_url(url_name, target, plan))
        assert response.status_code == 200
        assert_shows_everything(
            url_name, response.content.decode(), target, plan, family=actor == "parent"
        )
        return len(queries)

    few = visit("small")
    many = visit("large")

    assert many == few


# The labels every target and every row of support repeat (planning/includes/document.html).
REPEATED_LABELS = {
    "How progress will be measured",
    "Baseline",
    "Success criteria",
    "To be achieved by",
    "Not set",
    "Why:",
    "ongoing",
}


@pytest.mark.parametrize("being_revised", [False, True])
def test_the_plan_page_translates_the_labels_targets_repeat_once_a_page(
    module_world, small_and_large, being_revised
):
    """A target's labels ("Baseline", "Not set", ...) and a row of support's are the same for
    every target: the page with 15 targets looks each up once, as the page with one does, not
    once a target (ADR 0044)."""
    if being_revised:
        for _target, plan in small_and_large.values():
            plan_revise(actor=acting(staff_for(plan.learner)), plan=plan)
            plan.refresh_from_db()
    client = Client()
    client.force_login(module_world.users["support_lead"])
    translation.gettext("Baseline")  # the real function is bound on first use: patch that one
    translations = translation._trans  # type: ignore[attr-defined]
    real_gettext = translations.gettext
    target, plan = small_and_large["large"]
    url = page_url("planning:detail", target, plan)
    client.get(url)

    with mock.patch.object(translations, "gettext", wraps=real_gettext) as gettext:
        response = client.get(url)

    assert response.status_code == 200
    looked_up = [call.args[0] for call in gettext.call_args_list]
    assert {label: looked_up.count(label) for label in REPEATED_LABELS} == dict.fromkeys(
        REPEATED_LABELS, 1
    )
