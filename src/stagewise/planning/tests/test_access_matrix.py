"""Every role against every plan page and export, for their own learner's plan and for someone
else's.

The actors and learners are those of learners/tests/test_access_matrix.py: `learner` is in
Glasgow, `other_learner` in Fife. Each learner has a finalised plan, written and signed off by a
support-for-learning lead at their own school. Anyone without a right to the learner gets 404:
never a hint the plan exists. Families see only plans with a finalised version, and never the
staff record of a plan (its versions and comparisons); only staff working with the learner write
plans, and only families respond to them.
"""

from collections.abc import Callable

import pytest
from django.urls import reverse

from stagewise.audit.models import AuditAction, AuditEvent
from stagewise.learners.models import Learner
from stagewise.learners.tests.test_access_matrix import (
    ALL_ACTORS,
    RECORDS_SUPPORT,
    SEES_LEARNER,
    SEES_OTHER_LEARNER,
)
from stagewise.planning.models import Plan, PlanStatus
from stagewise.testing.factories import staff_for
from stagewise.testing.plans import acting, complete_plan, finalised_plan

PLAN_TYPE = "individualised_educational_programme"
# A written section of that plan type, for the section page.
TEXT_SECTION = "like_and_admire"

FAMILY = {"parent", "other_parent", "young_person"}
# Who, among those who see a learner, may write plans and move them through the cycle.
WRITES_PLANS = RECORDS_SUPPORT
# Each plan page, fragment and export, and who among those who see the learner may use it.
PAGE_RULES: dict[str, set[str] | None] = {
    "planning:list": None,
    "planning:create": WRITES_PLANS,
    "planning:progress": None,
    "planning:detail": None,
    "planning:details": WRITES_PLANS,
    "planning:section": WRITES_PLANS,
    "planning:target_add": WRITES_PLANS,
    "planning:target_edit": WRITES_PLANS,
    "planning:target_remove": WRITES_PLANS,
    "planning:provision_add": WRITES_PLANS,
    "planning:provision_remove": WRITES_PLANS,
    "planning:view_add": WRITES_PLANS,
    "planning:view_remove": WRITES_PLANS,
    "planning:staff_notes": WRITES_PLANS,
    "planning:finalise": WRITES_PLANS,
    "planning:in_place": WRITES_PLANS,
    "planning:revise": WRITES_PLANS,
    "planning:close": WRITES_PLANS,
    "planning:share": WRITES_PLANS,
    "planning:respond": FAMILY,
    "planning:review_begin": WRITES_PLANS,
    "planning:review": WRITES_PLANS,
    "planning:compare": None,
    "planning:version": None,
    "planning:print": None,
    "planning:pdf": None,
}
PLAN_URLS = list(PAGE_RULES)
# Pages about the learner rather than one plan.
LEARNER_LEVEL = {"planning:list", "planning:create", "planning:progress"}
PLAN_PAGES = [url_name for url_name in PLAN_URLS if url_name not in LEARNER_LEVEL]
# Finalised versions and their comparison are the staff record: to a family they do not exist.
HIDDEN_FROM_FAMILY = {"planning:compare", "planning:version"}
# Changes made by a single button: they take only POST, and send the editor back to the plan.
POST_ONLY = {
    "planning:provision_remove",
    "planning:view_remove",
    "planning:revise",
    "planning:review_begin",
}
# Pages with a form that writes when posted.
FORM_PAGES = [
    url_name
    for url_name, allowed in PAGE_RULES.items()
    if allowed is not None and url_name not in POST_ONLY
]


def expected_status(actor: str, url_name: str, whose: str, finalised: bool = True) -> int:
    sees = SEES_LEARNER if whose == "learner" else SEES_OTHER_LEARNER
    if actor not in sees:
        return 404
    # A draft, or the staff record of a plan, does not exist as far as the family knows.
    family_cannot_know = not finalised or url_name in HIDDEN_FROM_FAMILY
    if actor in FAMILY and url_name not in LEARNER_LEVEL and family_cannot_know:
        return 404
    allowed = PAGE_RULES[url_name]
    if allowed is None or actor in allowed:
        return 302 if url_name in POST_ONLY else 200
    return 403


class Plans(dict[str, Plan]):
    """A plan for each learner, written by a support-for-learning lead at their own school.

    Each is built when first asked for: building plans through the services is the slow part of
    these tests, and most need only one.
    """

    def __init__(self, learners: dict[str, Learner], build: Callable[..., Plan]) -> None:
        super().__init__()
        self.learners = learners
        self.build = build

    def __missing__(self, whose: str) -> Plan:
        target = self.learners[whose]
        self[whose] = self.build(acting(staff_for(target)), target, PLAN_TYPE)
        return self[whose]


@pytest.fixture
def plans(learner, other_learner) -> Plans:
    """Each learner's finalised plan."""
    return Plans({"learner": learner, "other_learner": other_learner}, finalised_plan)


@pytest.fixture
def drafts(learner, other_learner) -> Plans:
    """Each learner's plan, complete but not yet finalised."""
    return Plans({"learner": learner, "other_learner": other_learner}, complete_plan)


def page_url(url_name: str, target, plan: Plan) -> str:
    """The URL of a page of `plan`, reached through `target` (normally the plan's own learner)."""
    if url_name in LEARNER_LEVEL:
        return reverse(url_name, args=[target.public_id])
    plan_target = plan.targets.earliest("pk")
    record_ids = {
        "planning:section": TEXT_SECTION,
        "planning:target_edit": plan_target.pk,
        "planning:target_remove": plan_target.pk,
        "planning:provision_add": plan_target.pk,
        "planning:provision_remove": plan_target.provision.earliest("pk").pk,
        "planning:view_remove": plan.views.earliest("pk").pk,
        "planning:version": 1,
    }
    args = [target.public_id, plan.public_id]
    if url_name in record_ids:
        args.append(record_ids[url_name])
    return reverse(url_name, args=args)


def visit(client, url_name: str, url: str):
    return client.post(url) if url_name in POST_ONLY else client.get(url)


def plan_state(plan: Plan) -> tuple:
    """Everything a write to the plan could change."""
    plan.refresh_from_db()
    return (
        plan.status,
        plan.version_number,
        plan.edit_revision,
        plan.staff_notes,
        plan.targets.count(),
        sum(target.provision.count() for target in plan.targets.all()),
        plan.views.count(),
        plan.versions.count(),
        plan.communications.count(),
        plan.responses.count(),
        plan.reviews.count(),
        Plan.objects.filter(learner=plan.learner).count(),
    )


def assert_refusal_recorded(request, actor: str, target) -> None:
    user = request.getfixturevalue(actor)
    assert AuditEvent.objects.filter(action=AuditAction.REFUSED, user=user, learner=target).exists()


@pytest.mark.parametrize("whose", ["learner", "other_learner"])
@pytest.mark.parametrize("url_name", PLAN_URLS)
@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_each_role_reaches_only_the_plans_its_relationship_justifies(
    signed_in, request, plans, actor, url_name, whose
):
    target = request.getfixturevalue(whose)
    client = signed_in(actor)
    expected = expected_status(actor, url_name, whose)

    response = visit(client, url_name, page_url(url_name, target, plans[whose]))

    assert response.status_code == expected
    if actor not in (SEES_LEARNER if whose == "learner" else SEES_OTHER_LEARNER):
        # The outsider is told nothing, and the attempt is recorded against the learner.
        assert target.legal_last_name not in response.content.decode(errors="replace")
        assert_refusal_recorded(request, actor, target)
    if expected == 200 and url_name == "planning:pdf":
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
    if expected == 200 and url_name == "planning:detail":
        family_view = "planning/plan_family.html" in [t.name for t in response.templates]
        assert family_view == (actor in FAMILY)


@pytest.mark.parametrize("whose", ["learner", "other_learner"])
@pytest.mark.parametrize("url_name", FORM_PAGES)
@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_writing_by_post_follows_the_same_rules(signed_in, request, plans, actor, url_name, whose):
    target = request.getfixturevalue(whose)
    plan = plans[whose]
    client = signed_in(actor)
    before = plan_state(plan)

    response = client.post(page_url(url_name, target, plan), {})

    expected = expected_status(actor, url_name, whose)
    if expected == 200:
        # The post was empty: someone allowed gets the form back with errors.
        assert response.status_code == 200
    else:
        assert response.status_code == expected
    assert plan_state(plan) == before


@pytest.mark.parametrize("url_name", PLAN_PAGES)
@pytest.mark.parametrize("actor", ["support_lead", "parent", "other_authority_officer"])
def test_a_plan_of_another_learner_cannot_be_reached_through_a_visible_one(
    signed_in, learner, other_learner, plans, actor, url_name
):
    visible, others = (
        (learner, "other_learner") if actor in SEES_LEARNER else (other_learner, "learner")
    )
    before = plan_state(plans[others])

    response = visit(signed_in(actor), url_name, page_url(url_name, visible, plans[others]))

    assert response.status_code == 404
    assert plan_state(plans[others]) == before


@pytest.mark.parametrize(
    "url_name",
    [
        "planning:target_edit",
        "planning:target_remove",
        "planning:provision_add",
        "planning:provision_remove",
        "planning:view_remove",
    ],
)
def test_a_record_of_another_plan_cannot_be_reached_through_a_visible_plan(
    signed_in, learner, plans, url_name
):
    own, foreign = plans["learner"], plans["other_learner"]
    foreign_url = page_url(url_name, learner, foreign)
    # The other plan's record, asked for through this learner's own plan.
    url = foreign_url.replace(str(foreign.public_id), str(own.public_id))
    before = plan_state(foreign)

    response = visit(signed_in("support_lead"), url_name, url)

    assert response.status_code == 404
    assert plan_state(foreign) == before


@pytest.mark.parametrize("number", ["2", "0", "not-a-number"])
def test_a_version_that_does_not_exist_gives_404(signed_in, learner, plans, number):
    plan = plans["learner"]

    response = signed_in("support_lead").get(
        reverse("planning:version", args=[learner.public_id, plan.public_id, number])
    )

    assert response.status_code == 404


@pytest.mark.parametrize("bad_id", ["not-a-uuid", "12345", "00000000-0000-0000-0000-000000000000"])
def test_malformed_or_unknown_plan_ids_give_404(signed_in, learner, bad_id):
    response = signed_in("support_lead").get(f"/learners/{learner.public_id}/plans/{bad_id}/")

    assert response.status_code == 404


@pytest.mark.parametrize("url_name", PLAN_PAGES)
@pytest.mark.parametrize("actor", sorted(FAMILY))
def test_families_never_reach_a_draft(signed_in, request, drafts, actor, url_name):
    whose = "other_learner" if actor in SEES_OTHER_LEARNER else "learner"
    target = request.getfixturevalue(whose)
    assert drafts[whose].status == PlanStatus.DRAFT

    response = visit(signed_in(actor), url_name, page_url(url_name, target, drafts[whose]))

    assert response.status_code == expected_status(actor, url_name, whose, finalised=False) == 404


@pytest.mark.parametrize("actor", ["parent", "young_person", "support_lead", "teacher"])
def test_the_plan_list_shows_a_draft_to_staff_only(signed_in, learner, drafts, actor):
    draft = drafts["learner"]

    response = signed_in(actor).get(reverse("planning:list", args=[learner.public_id]))

    assert response.status_code == 200
    assert (str(draft.public_id) in response.content.decode()) == (actor not in FAMILY)


def test_signed_out_visitors_are_sent_to_sign_in(client, learner, plans):
    for url_name in PLAN_URLS:
        response = visit(client, url_name, page_url(url_name, learner, plans["learner"]))
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_a_refused_attempt_at_a_plan_is_recorded_without_telling_the_outsider(
    signed_in, learner, plans, outsider_teacher
):
    plan = plans["learner"]

    response = signed_in("outsider_teacher").get(
        reverse("planning:detail", args=[learner.public_id, plan.public_id])
    )

    assert response.status_code == 404
    content = response.content.decode()
    assert learner.legal_last_name not in content
    assert plan.plan_type.name not in content
    refusal = AuditEvent.objects.get(action=AuditAction.REFUSED)
    assert refusal.learner == learner
    assert refusal.user == outsider_teacher
