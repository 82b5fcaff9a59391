"""Moderation of stage and plan decisions (ADR 0046), as specifications.

The world (built once for this module): Glasgow's schools Riverside, Hillhead and Northfield have
recorded stage decisions in the last two months (Riverside six, Hillhead four); a Fife school
one. Ailsa Campbell, at Riverside, was placed at a stage by Riverside's support-for-learning lead,
with her name in the reason. Today Riverside's lead opened plans for three learners (a
co-ordinated support plan for Ailsa, departing from the suggestion with her name in the reason;
two personal learning plans) and Hillhead's lead two individualised educational programmes;
Fife's lead one plan; Glasgow's officer opened one plan (no deciding school).

Glasgow's officer (Alan Kerr) runs moderation; Hillhead's and Northfield's class teachers
moderate; Riverside's leaders consider disagreements. Glasgow and Fife have agreed
to moderate together ("West and Fife"); Cardiff's officer belongs to no group. One member of every
other role.
"""

import re
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stagewise.accounts.actors import actors_for
from stagewise.accounts.work_queue import work_queue_get
from stagewise.audit.models import AuditAction, AuditEvent
from stagewise.conftest import staff_member
from stagewise.learners.models import Learner, StageDecision
from stagewise.learners.services import stage_decide
from stagewise.moderation import sampling
from stagewise.moderation.models import (
    DecisionKind,
    ModerationCase,
    ModerationGroup,
    ModerationSample,
)
from stagewise.moderation.services import (
    case_reassign,
    case_review,
    disagreement_consider,
    moderation_group_create,
    moderators_assign,
    sample_draw,
    sample_redraw,
)
from stagewise.organisations.models import (
    Membership,
    NationalBody,
    NationalBodyKind,
    Role,
    Setting,
)
from stagewise.planning.models import Plan, PlanType
from stagewise.planning.services import plan_create
from stagewise.policy import SYSTEM, CapabilityRequired
from stagewise.statutory.selectors import stage_list
from stagewise.testing.factories import (
    JUDGED_BEYOND_THE_RECORD,
    JUDGED_BEYOND_THE_RECORD_KIND,
    AgencyFactory,
    SettingFactory,
    add_need,
    add_wellbeing_assessment,
    authority,
    enrolled_learner,
    link_staff,
    scotland,
)
from stagewise.testing.people import (
    NamedPeople,
    officers_of_three_authorities,
    people_of_every_other_role,
)
from stagewise.testing.plans import acting, started_plan
from stagewise.testing.worlds import built_once_per_module

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PERIOD_START = TODAY - timedelta(days=60)


def _decide(decider: Any, learner: Learner, order: int, days_ago: int, rationale: str = "") -> None:
    stages = list(stage_list(learner.enrolments.get().setting.authority))
    decided_on = TODAY - timedelta(days=days_ago)
    stage_decide(
        actor=actors_for(decider)[0],
        learner=learner,
        stage=stages[order],
        decided_on=decided_on,
        rationale=rationale or "Support agreed at the planning meeting.",
        next_review_on=decided_on + timedelta(days=120),
        departure_reason=JUDGED_BEYOND_THE_RECORD,  # decision support (ADR 0047)
        departure_kind=JUDGED_BEYOND_THE_RECORD_KIND,
    )


def _build() -> NamedPeople:
    glasgow, fife = authority("Glasgow City"), authority("Fife")
    riverside = SettingFactory.create(authority=glasgow, name="Riverside Primary School")
    hillhead = SettingFactory.create(authority=glasgow, name="Hillhead Primary School")
    northfield = SettingFactory.create(authority=glasgow, name="Northfield Academy")
    fife_school = SettingFactory.create(authority=fife, name="Harbourside Primary School")
    agency = AgencyFactory.create(authority=glasgow, name="Glasgow Speech and Language Therapy")
    users = {
        **officers_of_three_authorities(),
        "hillhead_lead": staff_member(
            "hh-lead@example.org", Role.SUPPORT_FOR_LEARNING_LEAD, setting=hillhead
        ),
        "hillhead_teacher": staff_member(
            "hh-teacher@example.org", Role.CLASS_TEACHER, setting=hillhead
        ),
        "northfield_teacher": staff_member(
            "nf-teacher@example.org", Role.CLASS_TEACHER, setting=northfield
        ),
        "fife_lead": staff_member(
            "fife-lead@example.org", Role.SUPPORT_FOR_LEARNING_LEAD, setting=fife_school
        ),
        "policy_officer": staff_member(
            "sg@example.org",
            Role.POLICY_OFFICER,
            national_body=NationalBody.objects.create(
                nation=scotland(),
                code="scottish-government",
                name="Scottish Government",
                kind=NationalBodyKind.GOVERNMENT,
            ),
        ),
        **people_of_every_other_role(riverside, agency),
    }
    ailsa = Learner.objects.get(legal_first_name="Ailsa")
    ailsa.candidate_number = "123456789"
    ailsa.save(update_fields=["candidate_number"])
    add_need(ailsa, identified_on=TODAY - timedelta(days=400), evidence="Ailsa reads slowly.")
    add_wellbeing_assessment(ailsa, assessed_on=TODAY - timedelta(days=70))
    link_staff(ailsa, users["teacher"])
    _decide(users["support_lead"], ailsa, 1, 200, "Ailsa Campbell needs small-group reading.")
    _decide(users["support_lead"], ailsa, 2, 10, "Ailsa Campbell (123456789) needs a reader.")
    for number in range(5):
        learner = enrolled_learner(riverside)
        _decide(users["support_lead"], learner, number % 2, 20 + number)
    for number in range(4):
        learner = enrolled_learner(hillhead)
        _decide(users["hillhead_lead"], learner, 1, 30 + number)
    _decide(users["fife_lead"], enrolled_learner(fife_school), 1, 15)
    riverside_lead = acting(users["support_lead"], Role.SUPPORT_FOR_LEARNING_LEAD)
    plan_create(
        actor=riverside_lead,
        learner=ailsa,
        plan_type=PlanType.objects.get(key="coordinated_support_plan"),
        departure_reason="Ailsa's reading needs the psychologist's support every week.",
        departure_kind=JUDGED_BEYOND_THE_RECORD_KIND,
    )
    for _number in range(2):
        started_plan(riverside_lead, enrolled_learner(riverside), "personal_learning_plan")
    for _number in range(2):
        started_plan(
            acting(users["hillhead_lead"]),
            enrolled_learner(hillhead),
            "individualised_educational_programme",
        )
    started_plan(acting(users["fife_lead"]), enrolled_learner(fife_school), "childs_plan")
    started_plan(
        acting(users["glasgow_officer"]), enrolled_learner(northfield), "coordinated_support_plan"
    )
    moderation_group_create(actor=SYSTEM, name="West and Fife", authorities=[glasgow, fife])
    return NamedPeople(users=users)


@pytest.fixture(scope="module")
def built(django_db_setup: None, django_db_blocker: Any) -> Iterator[NamedPeople]:
    with built_once_per_module(_build, django_db_blocker) as world:
        yield world


def _draw(world: NamedPeople, size: int = 6, **fields: Any) -> ModerationSample:
    return sample_draw(
        actor=world.actor("glasgow_officer"),
        decided_from=fields.pop("decided_from", PERIOD_START),
        decided_to=fields.pop("decided_to", TODAY),
        size=size,
        **fields,
    )


def _membership(world: NamedPeople, name: str) -> Membership:
    return Membership.objects.get(user=world.users[name])


def _moderation_items(world: NamedPeople, name: str) -> list[Any]:
    queue = work_queue_get(actor=world.actor(name))
    assert queue is not None
    return [item for group in queue.groups for item in group.items if item.kind == "moderation"]


def _ailsas_case(world: NamedPeople, sample: ModerationSample) -> ModerationCase:
    moderators_assign(
        actor=world.actor("glasgow_officer"),
        sample=sample,
        moderators=[
            _membership(world, "hillhead_teacher"),
            _membership(world, "northfield_teacher"),
        ],
    )
    ailsas_decision = StageDecision.objects.filter(learner__legal_first_name="Ailsa").first()
    return ModerationCase.objects.get(sample=sample, decision=ailsas_decision)


# Sampling -------------------------------------------------------------------------------------


def test_each_stratum_gets_its_share_of_the_sample_by_largest_remainder():
    assert sampling.allocation({"a": 6, "b": 3, "c": 1}, 5) == {"a": 3, "b": 2, "c": 0}
    assert sampling.allocation({"a": 1, "b": 1}, 1) == {"a": 1, "b": 0}


def test_the_same_population_size_and_seed_give_the_same_sample():
    population = [(pk, ("school", pk % 3)) for pk in range(1, 40)]

    first, strata = sampling.draw(population, 9, seed=42)

    assert sampling.draw(list(reversed(population)), 9, seed=42)[0] == first
    assert sampling.draw(population, 9, seed=43)[0] != first
    assert [stratum.sampled for stratum in strata] == [3, 3, 3]


def test_an_officer_draws_a_sample_of_their_schools_decisions_stratified_by_school_and_stage(
    built,
):
    sample = _draw(built, size=5)

    cases = list(sample.cases.select_related("setting"))
    # Riverside recorded 6 of the 10 Glasgow decisions in the period, Hillhead 4; Fife's is not
    # Glasgow's.
    assert sample.population_count == 10
    assert sorted(case.setting.name for case in cases) == [
        "Hillhead Primary School",
        "Hillhead Primary School",
        "Riverside Primary School",
        "Riverside Primary School",
        "Riverside Primary School",
    ]
    assert sample_redraw(sample) == [case.decision_id for case in cases]


def test_a_group_sample_spans_the_groups_authorities(built):
    group = ModerationGroup.objects.get(name="West and Fife")

    sample = _draw(built, size=11, group=group)

    assert sample.population_count == 11
    assert sample.cases.filter(setting__name="Harbourside Primary School").count() == 1


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"size": 11}, "size", "cannot be larger than the 10 decisions"),
        ({"size": 0}, "size", "1 or more"),
        ({"decided_to": TODAY + timedelta(days=1)}, "decided_to", "cannot be in the future"),
        ({"decided_from": TODAY, "decided_to": TODAY}, "decided_from", "No stage decisions"),
    ],
)
def test_a_sample_that_cannot_be_drawn_is_refused_with_what_to_fix_and_nothing_saved(
    built, fields, field, words
):
    with pytest.raises(ValidationError) as refused:
        _draw(built, **fields)

    assert words in " ".join(refused.value.message_dict[field])
    assert not ModerationSample.objects.exists()


def test_a_group_the_authority_is_not_in_is_refused(built):
    group = ModerationGroup.objects.create(name="Elsewhere")
    with pytest.raises(ValidationError):
        _draw(built, group=group)


# Moderators ----------------------------------------------------------------------------------


def test_no_case_goes_to_a_moderator_at_the_deciding_school(built):
    sample = _draw(built, size=10)

    assignment = moderators_assign(
        actor=built.actor("glasgow_officer"),
        sample=sample,
        moderators=[_membership(built, "hillhead_teacher")],
    )

    # Hillhead's teacher takes Riverside's six; Hillhead's four wait for another moderator.
    assert assignment.assigned == 6
    assert len(assignment.left_unassigned) == 4
    assert not sample.cases.filter(
        moderator__setting=Setting.objects.get(name="Hillhead Primary School"),
        setting__name="Hillhead Primary School",
    ).exists()


def test_only_an_officer_of_the_samples_authority_assigns_and_only_staff_of_its_schools(built):
    sample = _draw(built)
    with pytest.raises(CapabilityRequired):
        moderators_assign(
            actor=built.actor("cardiff_officer"),
            sample=sample,
            moderators=[_membership(built, "hillhead_teacher")],
        )
    with pytest.raises(ValidationError):
        moderators_assign(
            actor=built.actor("glasgow_officer"),
            sample=sample,
            moderators=[_membership(built, "fife_lead")],
        )


def test_a_disagreement_needs_a_reason_and_goes_back_to_the_deciding_schools_work_queue(built):
    case = _ailsas_case(built, _draw(built, size=10))
    moderator = case.moderator.user  # type: ignore[union-attr]
    moderator_name = next(name for name, user in built.users.items() if user == moderator)
    actor = built.actor(moderator_name)

    with pytest.raises(ValidationError) as refused:
        case_review(actor=actor, case=case, verdict="disagree", reason="  ")
    assert "Enter why you disagree" in str(refused.value)

    case_review(actor=actor, case=case, verdict="disagree", reason="Targeted support fits.")

    for leader in ("support_lead", "head"):
        items = _moderation_items(built, leader)
        assert [item.learner_name for item in items] == ["Ailsa Campbell"]
        assert items[0].url == reverse("moderation:returned", args=[case.public_id])
    assert _moderation_items(built, "teacher") == []

    disagreement_consider(
        actor=built.actor("support_lead"), case=case, response="We reviewed it: it stands."
    )
    assert _moderation_items(built, "head") == []


# Pages ---------------------------------------------------------------------------------------

EVERY_ACTOR = [
    "glasgow_officer",
    "fife_officer",
    "cardiff_officer",
    "policy_officer",
    "hillhead_teacher",
    "northfield_teacher",
    "hillhead_lead",
    "teacher",
    "support_lead",
    "head",
    "psychologist",
    "data_protection_officer",
    "agency_practitioner",
    "service_manager",
    "analyst",
    "administrator",
    "parent",
    "young_person",
]


def test_every_role_is_in_the_matrix(built):
    roles = {actor.role for name in EVERY_ACTOR for actor in actors_for(built.users[name])}

    assert roles == set(Role.values)


@pytest.mark.parametrize("name", EVERY_ACTOR)
def test_every_role_against_every_moderation_page(built, name):
    case = _ailsas_case(built, _draw(built, size=10))
    moderator = case.moderator.user.email  # type: ignore[union-attr]
    case_review(
        actor=actors_for(case.moderator.user)[0],  # type: ignore[union-attr]
        case=case,
        verdict="disagree",
        reason="Targeted support fits.",
    )
    client = built.client(name)
    user = built.users[name]
    officer = name == "glasgow_officer"
    moderating = user.email == moderator
    # Fife is in Glasgow's group, but this sample is Glasgow's alone.
    expected = {
        reverse("moderation:index"): 200
        if name
        in {
            "glasgow_officer",
            "fife_officer",
            "cardiff_officer",
            "hillhead_teacher",
            "northfield_teacher",
            "hillhead_lead",
            "teacher",
            "support_lead",
            "head",
        }
        else 404,
        reverse("moderation:draw"): 200
        if name in {"glasgow_officer", "fife_officer", "cardiff_officer"}
        else 404,
        reverse("moderation:sample", args=[case.sample.public_id]): 200 if officer else 404,
        reverse("moderation:assign", args=[case.sample.public_id]): 200 if officer else 404,
        reverse("moderation:case", args=[case.public_id]): 200 if officer or moderating else 404,
        reverse("moderation:returned", args=[case.public_id]): 200
        if name in {"support_lead", "head"}
        else 404,
    }

    assert {url: client.get(url).status_code for url in expected} == expected


def test_the_moderator_reads_the_evidence_anonymised_and_never_a_way_to_the_learner(built):
    case = _ailsas_case(built, _draw(built, size=10))
    moderator = case.moderator.user  # type: ignore[union-attr]
    client = built.client(next(n for n, u in built.users.items() if u == moderator))
    ailsa = Learner.objects.get(legal_first_name="Ailsa")

    page = client.get(reverse("moderation:case", args=[case.public_id])).content.decode()

    for identifying in (
        "Ailsa",
        "Campbell",
        "123456789",
        ailsa.date_of_birth.strftime("%-d %B %Y"),
        "Riverside",
        str(ailsa.public_id),
    ):
        assert identifying not in page, identifying
    # The header's link to the moderator's own list of learners is the only address of learners.
    assert not re.search(r"/learners/[0-9a-f]{8}-", page)
    assert "needs a reader" in page and "reads slowly" in page
    assert client.get(reverse("learners:profile", args=[ailsa.public_id])).status_code == 404
    read = AuditEvent.objects.filter(
        user=moderator, action=AuditAction.VIEW, object_type="moderation_case"
    ).get()
    assert read.purpose == "moderate a decision" and read.learner_key_id is not None


def test_the_deciding_school_sees_the_learner_and_responds(built):
    case = _ailsas_case(built, _draw(built, size=10))
    case_review(
        actor=actors_for(case.moderator.user)[0],  # type: ignore[union-attr]
        case=case,
        verdict="disagree",
        reason="Targeted support fits.",
    )
    client = built.client("support_lead")
    url = reverse("moderation:returned", args=[case.public_id])
    ailsa = Learner.objects.get(legal_first_name="Ailsa")

    page = client.get(url).content.decode()
    assert "Targeted support fits." in page
    assert reverse("learners:stage_timeline", args=[ailsa.public_id]) in page

    empty = client.post(url, {"response": ""})
    assert "Enter the school&#x27;s response" in empty.content.decode()
    assert client.post(url, {"response": "It stands."}).status_code == 302
    case.refresh_from_db()
    assert case.response == "It stands." and case.considered_at is not None


def test_the_moderators_form_refuses_a_disagreement_without_a_reason(built):
    case = _ailsas_case(built, _draw(built, size=10))
    moderator = case.moderator.user  # type: ignore[union-attr]
    client = built.client(next(n for n, u in built.users.items() if u == moderator))

    response = client.post(
        reverse("moderation:case", args=[case.public_id]), {"verdict": "disagree", "reason": ""}
    )

    assert response.status_code == 200
    assert "Enter why you disagree" in response.content.decode()
    case.refresh_from_db()
    assert case.verdict == ""


def test_the_draw_form_says_what_to_fix_when_the_sample_is_too_large(built):
    client = built.client("glasgow_officer")

    response = client.post(
        reverse("moderation:draw"),
        {
            "decided_from_0": PERIOD_START.day,
            "decided_from_1": PERIOD_START.month,
            "decided_from_2": PERIOD_START.year,
            "decided_to_0": TODAY.day,
            "decided_to_1": TODAY.month,
            "decided_to_2": TODAY.year,
            "kind": "stage",
            "size": "50",
            "group": "",
        },
    )

    assert response.status_code == 200
    assert "cannot be larger than the 10 decisions" in response.content.decode()
    assert not ModerationSample.objects.exists()


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_pages_cost_the_same_number_of_queries_however_many_cases(built):
    officer = built.client("glasgow_officer")
    small, large = _draw(built, size=3), _draw(built, size=10)
    for sample in (small, large):
        moderators_assign(
            actor=built.actor("glasgow_officer"),
            sample=sample,
            moderators=[
                _membership(built, "hillhead_teacher"),
                _membership(built, "northfield_teacher"),
            ],
        )

    assert _queries(officer, reverse("moderation:sample", args=[small.public_id])) == _queries(
        officer, reverse("moderation:sample", args=[large.public_id])
    )
    moderator = built.client("northfield_teacher")
    before = _queries(moderator, reverse("moderation:index"))
    moderators_assign(
        actor=built.actor("glasgow_officer"),
        sample=_draw(built, size=10),
        moderators=[_membership(built, "northfield_teacher")],
    )
    assert _queries(moderator, reverse("moderation:index")) == before
    assert date.today()  # the world's dates are relative to today


def test_the_demo_sample_has_reviews_and_a_disagreement_waiting_for_riverside(built):
    from stagewise.moderation.demo import add_demo_moderation

    sample = add_demo_moderation(today=TODAY)

    assert sample is not None and sample.seed == 2026
    assert not sample.cases.filter(moderator__setting_id=F("setting_id")).exists()
    disagreements = sample.cases.filter(verdict="disagree", setting__name__startswith="Riverside")
    assert disagreements.count() == 2
    assert disagreements.filter(considered_at__isnull=True).count() == 1
    assert sample.cases.filter(verdict="agree").exists()
    assert _moderation_items(built, "support_lead") != []
    plans = ModerationSample.objects.get(kind=DecisionKind.PLAN)
    assert plans.seed == 2026 and plans.cases.count() == 4
    assert plans.cases.filter(verdict="agree").count() == 1
    assert plans.cases.filter(verdict="disagree", setting__name__startswith="Riverside").exists()
    assert add_demo_moderation(today=TODAY) is None


def test_the_case_page_costs_the_same_however_much_the_learner_has_recorded(built):
    case = _ailsas_case(built, _draw(built, size=10))
    moderator = case.moderator.user  # type: ignore[union-attr]
    client = built.client(next(n for n, u in built.users.items() if u == moderator))
    url = reverse("moderation:case", args=[case.public_id])
    before = _queries(client, url)
    ailsa = Learner.objects.get(legal_first_name="Ailsa")

    for code in ("11", "26", "41"):
        add_need(ailsa, code, identified_on=TODAY - timedelta(days=100))
    add_wellbeing_assessment(ailsa, assessed_on=TODAY - timedelta(days=20))

    assert _queries(client, url) == before


# Plan decisions -------------------------------------------------------------------------------


def _ailsas_plan_case(world: NamedPeople) -> ModerationCase:
    sample = _draw(world, size=5, kind=DecisionKind.PLAN)
    moderators_assign(
        actor=world.actor("glasgow_officer"),
        sample=sample,
        moderators=[_membership(world, "northfield_teacher")],
    )
    return ModerationCase.objects.get(sample=sample, plan__learner__legal_first_name="Ailsa")


def test_an_officer_draws_a_sample_of_plan_decisions_stratified_by_school_and_plan_type(built):
    sample = _draw(built, size=4, kind=DecisionKind.PLAN)

    cases = list(sample.cases.select_related("setting", "plan_type"))
    # Five plans were opened by Glasgow's schools (the officer's own plan has no deciding school,
    # Fife's is Fife's): Riverside a co-ordinated support plan and two personal learning plans,
    # Hillhead two individualised educational programmes. Shares of 4: 0.8, 1.6 and 1.6; the
    # two places left go to the largest remainders (0.8, then the first 0.6 in order).
    assert sample.population_count == 5
    assert all(case.decision_id is None and case.stage_id is None for case in cases)
    assert sorted((case.setting.name, case.plan_type.key) for case in cases) == [  # type: ignore[union-attr]
        ("Hillhead Primary School", "individualised_educational_programme"),
        ("Riverside Primary School", "coordinated_support_plan"),
        ("Riverside Primary School", "personal_learning_plan"),
        ("Riverside Primary School", "personal_learning_plan"),
    ]
    assert all(case.learner_id == case.plan.learner_id for case in cases)  # type: ignore[union-attr]
    assert sample_redraw(sample) == [case.plan_id for case in sample.cases.order_by("number")]


def test_a_plan_sample_larger_than_the_plans_opened_is_refused(built):
    with pytest.raises(ValidationError) as refused:
        _draw(built, size=6, kind=DecisionKind.PLAN)

    assert "cannot be larger than the 5 plan decisions" in " ".join(
        refused.value.message_dict["size"]
    )
    assert not ModerationSample.objects.exists()


def test_a_case_refers_to_exactly_one_decision(built):
    sample = _draw(built, size=1)
    case = sample.cases.get()
    plan = Plan.objects.filter(learner=case.learner).first() or Plan.objects.first()
    assert plan is not None

    for both_or_neither in (
        {"plan": plan, "plan_type": plan.plan_type},
        {"decision": None, "stage": None},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            ModerationCase.objects.filter(pk=case.pk).update(**both_or_neither)


def test_the_moderator_reads_a_plan_decision_anonymised_with_the_statutory_conditions(built):
    case = _ailsas_plan_case(built)
    client = built.client("northfield_teacher")

    page = client.get(reverse("moderation:case", args=[case.public_id])).content.decode()

    for identifying in ("Ailsa", "Campbell", "123456789", "Riverside"):
        assert identifying not in page, identifying
    assert "a plan decision to moderate" in page
    assert "Co-ordinated support plan" in page
    assert "No statutory plan" in page  # what decision support suggested when it was opened
    assert "[…]&#x27;s reading needs the psychologist" in page
    assert "Needs are likely to continue for more than a year" in page
    assert not re.search(r"/learners/[0-9a-f]{8}-", page)


def test_a_disagreement_with_a_plan_decision_goes_back_to_the_deciding_school(built):
    case = _ailsas_plan_case(built)

    case_review(
        actor=built.actor("northfield_teacher"),
        case=case,
        verdict="disagree",
        reason="Nothing shows support from another agency.",
    )

    items = _moderation_items(built, "support_lead")
    assert [item.learner_name for item in items] == ["Ailsa Campbell"]
    assert "the decision to open their co-ordinated support plan" in items[0].action.lower()
    page = built.client("support_lead").get(items[0].url).content.decode()
    assert "A moderator disagreed with a plan decision" in page
    ailsa = Learner.objects.get(legal_first_name="Ailsa")
    assert reverse("planning:detail", args=[ailsa.public_id, case.plan.public_id]) in page  # type: ignore[union-attr]


def test_agreement_is_reported_by_plan_type_and_by_school(built):
    from stagewise.moderation.selectors import agreement

    sample = _draw(built, size=5, kind=DecisionKind.PLAN)
    moderators_assign(
        actor=built.actor("glasgow_officer"),
        sample=sample,
        moderators=[_membership(built, "northfield_teacher")],
    )
    for case in sample.cases.select_related("plan_type"):
        case_review(
            actor=built.actor("northfield_teacher"),
            case=case,
            verdict="disagree" if case.plan_type.key == "personal_learning_plan" else "agree",  # type: ignore[union-attr]
            reason="A plan of the class's own would do.",
        )

    rates = agreement(sample.cases.all())

    assert rates.by_stage == []
    assert {row.label: (row.reviewed, row.agreed) for row in rates.by_plan_type} == {
        "Personal learning plan": (2, 0),
        "Individualised educational programme": (2, 2),
        "Co-ordinated support plan": (1, 1),
    }
    assert {row.label: row.rate for row in rates.by_school} == {
        "Hillhead Primary School": 100,
        "Riverside Primary School": 33,
    }
    assert (rates.overall.reviewed, rates.overall.agreed) == (5, 3)


# Reassigning a case ----------------------------------------------------------------------------


def test_the_officer_who_drew_the_sample_reassigns_an_unreviewed_case_audited(built):
    case = _ailsas_case(built, _draw(built, size=10))
    before = case.moderator
    other = _membership(
        built,
        "northfield_teacher" if before.user.email.startswith("hh") else "hillhead_teacher",  # type: ignore[union-attr]
    )

    case_reassign(actor=built.actor("glasgow_officer"), case=case, moderator=other)

    case.refresh_from_db()
    assert case.moderator == other
    event = AuditEvent.objects.filter(purpose="run moderation: reassign a case").get()
    assert event.detail == {"moderator": [before.pk, other.pk]}  # type: ignore[union-attr]
    assert event.learner_key_id is not None


@pytest.mark.parametrize(
    ("moderator", "words"),
    [
        ("support_lead", "at the school that made the decision"),
        ("fife_lead", "from the list of staff"),
    ],
)
def test_a_case_is_never_reassigned_to_the_deciding_school_or_outside_the_sample(
    built, moderator, words
):
    case = _ailsas_case(built, _draw(built, size=10))

    with pytest.raises(ValidationError) as refused:
        case_reassign(
            actor=built.actor("glasgow_officer"),
            case=case,
            moderator=Membership.objects.get(user=built.users[moderator]),
        )

    assert words in str(refused.value)


def test_a_reviewed_case_is_not_reassigned_and_only_the_drawing_officer_reassigns(built):
    group = ModerationGroup.objects.get(name="West and Fife")
    case = _ailsas_case(built, _draw(built, size=11, group=group))
    with pytest.raises(CapabilityRequired):
        case_reassign(
            actor=built.actor("fife_officer"),
            case=case,
            moderator=_membership(built, "northfield_teacher"),
        )
    case_review(
        actor=actors_for(case.moderator.user)[0],  # type: ignore[union-attr]
        case=case,
        verdict="agree",
        reason="",
    )
    with pytest.raises(ValidationError) as refused:
        case_reassign(
            actor=built.actor("glasgow_officer"),
            case=case,
            moderator=_membership(built, "hillhead_teacher"),
        )
    assert "already recorded their view" in str(refused.value)


def test_the_reassign_page_offers_staff_of_other_schools_and_says_what_to_fix(built):
    case = _ailsas_case(built, _draw(built, size=10))
    client = built.client("glasgow_officer")
    url = reverse("moderation:reassign", args=[case.public_id])

    page = client.get(url).content.decode()
    assert "Reassign case" in page and "Riverside Primary School</label>" not in page

    empty = client.post(url, {})
    assert "Choose the moderator to give the case to." in empty.content.decode()
    target = (
        _membership(built, "northfield_teacher")
        if case.moderator != _membership(built, "northfield_teacher")
        else _membership(built, "hillhead_teacher")
    )
    assert client.post(url, {"moderator": target.pk}).status_code == 302
    assert built.client("fife_officer").get(url).status_code == 404


# The deciding school's page ---------------------------------------------------------------------


def _learner_reads(client: Any, url: str) -> tuple[int, int]:
    """The page's queries, and those reading the learners table directly."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    learner_reads = [query["sql"] for query in queries if 'FROM "learners_learner"' in query["sql"]]
    return len(queries), len(learner_reads)


def test_the_returned_page_reads_the_learner_once_and_costs_the_same_for_either_decision(built):
    stage_case = _ailsas_case(built, _draw(built, size=10))
    plan_case = _ailsas_plan_case(built)
    for case in (stage_case, plan_case):
        case_review(
            actor=actors_for(case.moderator.user)[0],  # type: ignore[union-attr]
            case=case,
            verdict="disagree",
            reason="The evidence points elsewhere.",
        )
    client = built.client("support_lead")

    stage_queries, stage_learner_reads = _learner_reads(
        client, reverse("moderation:returned", args=[stage_case.public_id])
    )

    # Read with the case; the one direct read of the learners table is the check that the
    # school's leader still sees them (learners/access.py).
    assert stage_learner_reads == 1
    _plan_queries, plan_learner_reads = _learner_reads(
        client, reverse("moderation:returned", args=[plan_case.public_id])
    )
    assert plan_learner_reads == 1
    assert (
        stage_queries
        == _learner_reads(client, reverse("moderation:returned", args=[stage_case.public_id]))[0]
    )


def test_the_learners_subject_access_export_and_erasure_reach_both_kinds_of_case(built):
    from stagewise.data_protection.registry import RECORD_TYPES_BY_LABEL
    from stagewise.data_protection.subject_access import records_of

    stage_case = _ailsas_case(built, _draw(built, size=10))
    plan_case = _ailsas_plan_case(built)
    ailsa = Learner.objects.get(legal_first_name="Ailsa")

    exported = records_of(RECORD_TYPES_BY_LABEL["moderation.ModerationCase"], ailsa)

    assert {case.pk for case in exported} == {stage_case.pk, plan_case.pk}
    # Erasing her plan erases the case drawn from it.
    Plan.objects.filter(learner=ailsa, plan_type__key="coordinated_support_plan").delete()
    assert not ModerationCase.objects.filter(pk=plan_case.pk).exists()


def test_a_plan_samples_pages_cost_the_same_however_many_cases_or_records(built):
    officer = built.client("glasgow_officer")
    small = _draw(built, size=2, kind=DecisionKind.PLAN)
    large = _draw(built, size=5, kind=DecisionKind.PLAN)
    for sample in (small, large):
        moderators_assign(
            actor=built.actor("glasgow_officer"),
            sample=sample,
            moderators=[_membership(built, "northfield_teacher")],
        )

    assert _queries(officer, reverse("moderation:sample", args=[small.public_id])) == _queries(
        officer, reverse("moderation:sample", args=[large.public_id])
    )
    case = ModerationCase.objects.get(sample=large, plan__learner__legal_first_name="Ailsa")
    moderator = built.client("northfield_teacher")
    url = reverse("moderation:case", args=[case.public_id])
    before = _queries(moderator, url)
    ailsa = Learner.objects.get(legal_first_name="Ailsa")
    for code in ("11", "26"):
        add_need(ailsa, code, identified_on=TODAY - timedelta(days=100))
    assert _queries(moderator, url) == before


@pytest.mark.parametrize("name", EVERY_ACTOR)
def test_every_role_against_a_plan_decisions_pages(built, name):
    case = _ailsas_plan_case(built)
    reassigned = ModerationCase.objects.exclude(pk=case.pk).filter(sample=case.sample).first()
    assert reassigned is not None
    case_review(
        actor=built.actor("northfield_teacher"),
        case=case,
        verdict="disagree",
        reason="The school's own plan would do.",
    )
    client = built.client(name)
    expected = {
        reverse("moderation:sample", args=[case.sample.public_id]): {"glasgow_officer"},
        reverse("moderation:case", args=[case.public_id]): {
            "glasgow_officer",
            "northfield_teacher",
        },
        # Only a case nobody has reviewed is reassigned, by the officer who drew the sample.
        reverse("moderation:reassign", args=[case.public_id]): set(),
        reverse("moderation:reassign", args=[reassigned.public_id]): {"glasgow_officer"},
        reverse("moderation:returned", args=[case.public_id]): {"support_lead", "head"},
    }

    assert {url: client.get(url).status_code for url in expected} == {
        url: 200 if name in reachers else 404 for url, reachers in expected.items()
    }
