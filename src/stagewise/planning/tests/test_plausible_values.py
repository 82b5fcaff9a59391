"""Implausible plan content is refused by the services, whoever calls them: text longer than its
purpose needs and dates far outside a plan's life. The message names the field, nothing is
saved, and the plan pages show the message instead of a 500."""

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from stagewise.accounts.actors import Actor
from stagewise.planning.models import (
    Plan,
    PlanCommunication,
    PlanResponse,
    PlanReview,
    PlanSection,
    PlanSectionText,
    PlanStatus,
    PlanView,
    SupportProvision,
    Target,
)
from stagewise.planning.services import (
    TargetProgressEntry,
    content_fingerprint,
    plan_close,
    plan_communication_record,
    plan_details_current,
    plan_details_update,
    plan_response_record,
    plan_review_record,
    plan_section_update,
    plan_staff_notes_update,
    plan_support_in_place,
    provision_add,
    section_text_current,
    target_add,
    target_current,
    target_update,
    view_add,
)
from stagewise.testing.plans import acting, finalised_plan, started_plan

pytestmark = pytest.mark.django_db

CSP = "coordinated_support_plan"
IEP = "individualised_educational_programme"
YEAR_ONE = date(1, 1, 1)
YEAR_9999 = date(9999, 12, 31)


def text(length: int) -> str:
    return "a" * length


def today() -> date:
    return timezone.localdate()


def date_fields(name: str, day: date) -> dict[str, str]:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": f"{day.year:04d}"}


def section(plan: Plan, key: str) -> PlanSection:
    return PlanSection.objects.get(plan_type=plan.plan_type, key=key)


def messages_for(error: pytest.ExceptionInfo[ValidationError], field: str) -> str:
    return " ".join(error.value.message_dict[field])


def test_a_million_character_section_is_refused_naming_the_section(teacher, learner):
    actor = acting(teacher)
    plan = started_plan(actor, learner, CSP)
    skills = section(plan, "skills_and_capabilities")

    with pytest.raises(ValidationError) as refused:
        plan_section_update(
            actor=actor,
            plan=plan,
            section=skills,
            text=text(1_000_000),
            based_on=content_fingerprint(section_text_current(plan, skills)),
        )

    assert refused.value.message_dict["text"] == [
        "Section 3 (Profile of skills and capabilities) must be 20,000 characters or fewer;"
        " it has 1,000,000."
    ]
    assert not PlanSectionText.objects.filter(plan=plan).exists()
    assert Plan.objects.get(pk=plan.pk).edit_revision == plan.edit_revision


def test_a_section_of_20000_characters_is_saved(teacher, learner):
    actor = acting(teacher)
    plan = started_plan(actor, learner, CSP)
    skills = section(plan, "skills_and_capabilities")

    plan_section_update(
        actor=actor,
        plan=plan,
        section=skills,
        text=text(20_000),
        based_on=content_fingerprint(section_text_current(plan, skills)),
    )

    assert len(PlanSectionText.objects.get(plan=plan, section=skills).text) == 20_000


def test_over_long_staff_notes_are_refused_and_the_saved_notes_are_kept(teacher, learner):
    actor = acting(teacher)
    plan = started_plan(actor, learner, IEP)

    with pytest.raises(ValidationError) as refused:
        plan_staff_notes_update(
            actor=actor,
            plan=plan,
            staff_notes=text(10_001),
            based_on=content_fingerprint({"staff_notes": ""}),
        )

    assert "Staff-only notes must be 10,000 characters or fewer; it has 10,001." in (
        messages_for(refused, "staff_notes")
    )
    assert Plan.objects.get(pk=plan.pk).staff_notes == ""


PlanWrite = Callable[[Actor, Plan], object]

DRAFT_CASES: list[tuple[str, PlanWrite, type, str, str]] = [
    (
        "a review date in 9999",
        lambda actor, plan: plan_details_update(
            actor=actor,
            plan=plan,
            starts_on=plan.starts_on,
            next_review_on=YEAR_9999,
            multi_agency=False,
            lead_professional="",
            based_on=content_fingerprint(plan_details_current(plan)),
        ),
        Plan,
        "next_review_on",
        "Next review must be on or before",
    ),
    (
        "a plan starting in year 0001",
        lambda actor, plan: plan_details_update(
            actor=actor,
            plan=plan,
            starts_on=YEAR_ONE,
            next_review_on=plan.next_review_on,
            multi_agency=False,
            lead_professional="",
            based_on=content_fingerprint(plan_details_current(plan)),
        ),
        Plan,
        "starts_on",
        "Plan starts must be on or after",
    ),
    (
        "a target outcome of 2,001 characters",
        lambda actor, plan: target_add(actor=actor, plan=plan, outcome=text(2_001)),
        Target,
        "outcome",
        "Outcome must be 2,000 characters or fewer; it has 2,001.",
    ),
    (
        "a target to achieve by 9999",
        lambda actor, plan: target_add(
            actor=actor, plan=plan, outcome="Reads aloud", achieve_by=YEAR_9999
        ),
        Target,
        "achieve_by",
        "To be achieved by must be on or before",
    ),
    (
        "a description of support of 2,001 characters",
        lambda actor, plan: provision_add(
            actor=actor,
            target=target_add(actor=actor, plan=plan, outcome="Reads aloud"),
            description=text(2_001),
            frequency="Weekly",
            starts_on=today(),
            provider_name="Pupil support assistant",
        ),
        SupportProvision,
        "description",
        "What the support is must be 2,000 characters or fewer; it has 2,001.",
    ),
    (
        "support starting in year 0001",
        lambda actor, plan: provision_add(
            actor=actor,
            target=target_add(actor=actor, plan=plan, outcome="Reads aloud"),
            description="Reading group",
            frequency="Weekly",
            starts_on=YEAR_ONE,
            provider_name="Pupil support assistant",
        ),
        SupportProvision,
        "starts_on",
        "From must be on or after",
    ),
    (
        "views of 10,001 characters",
        lambda actor, plan: view_add(
            actor=actor,
            plan=plan,
            kind="learner",
            speaker="Ailsa",
            words=text(10_001),
            gathered_on=today(),
        ),
        PlanView,
        "words",
        "Their views, in their own words must be 10,000 characters or fewer; it has 10,001.",
    ),
    (
        "views gathered in year 0001",
        lambda actor, plan: view_add(
            actor=actor,
            plan=plan,
            kind="learner",
            speaker="Ailsa",
            words="I like maths.",
            gathered_on=YEAR_ONE,
        ),
        PlanView,
        "gathered_on",
        "Date gathered must be on or after",
    ),
]


@pytest.mark.parametrize(
    ("write", "model", "field", "message"),
    [case[1:] for case in DRAFT_CASES],
    ids=[case[0] for case in DRAFT_CASES],
)
def test_implausible_draft_content_is_refused_naming_the_field_and_nothing_is_saved(
    teacher, learner, write, model, field, message
):
    actor = acting(teacher)
    plan = started_plan(actor, learner, IEP)
    before = list(model.objects.values())

    with pytest.raises(ValidationError) as refused:
        write(actor, plan)

    assert message in messages_for(refused, field)
    assert list(model.objects.values()) == before


def test_a_changed_target_that_is_too_long_is_refused_and_the_target_is_unchanged(teacher, learner):
    actor = acting(teacher)
    plan = started_plan(actor, learner, IEP)
    target = target_add(actor=actor, plan=plan, outcome="Reads aloud")

    with pytest.raises(ValidationError) as refused:
        target_update(
            actor=actor,
            target=target,
            outcome="Reads aloud",
            measure=text(2_001),
            baseline="",
            success_criteria="",
            achieve_by=None,
            based_on=content_fingerprint(target_current(target)),
        )

    assert "How progress will be measured must be 2,000 characters" in (
        messages_for(refused, "measure")
    )
    assert Target.objects.get(pk=target.pk).measure == ""


@pytest.fixture
def reviewable(teacher, learner) -> Plan:
    actor = acting(teacher)
    plan = finalised_plan(actor, learner, IEP)
    return plan_support_in_place(actor=actor, plan=plan, in_place_on=today())


def review(plan: Plan, **overrides: object) -> PlanReview:
    progress = [
        TargetProgressEntry(target=target, progress="partly_achieved", evidence="Reading record")
        for target in plan.targets.order_by("created_at", "pk")
    ]
    arguments: dict[str, object] = {
        "held_on": today(),
        "attendees": "Ailsa, her mum, class teacher",
        "views_beforehand": "",
        "progress": progress,
        "decision": "continue",
        "next_review_on": today() + timedelta(days=180),
    } | overrides
    return plan_review_record(actor=acting(plan.created_by), plan=plan, **arguments)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"attendees": text(2_001)}, "attendees", "Who attended must be 2,000 characters"),
        (
            {"views_beforehand": text(10_001)},
            "views_beforehand",
            "Views gathered before the meeting must be 10,000 characters",
        ),
        ({"next_review_on": YEAR_9999}, "next_review_on", "Next review must be on or before"),
    ],
    ids=["attendees", "views beforehand", "next review in 9999"],
)
def test_an_implausible_review_is_refused_and_the_plan_is_unchanged(
    reviewable, overrides, field, message
):
    with pytest.raises(ValidationError) as refused:
        review(reviewable, **overrides)

    assert message in messages_for(refused, field)
    assert not PlanReview.objects.exists()
    assert Plan.objects.get(pk=reviewable.pk).status == PlanStatus.ACTIVE


def test_evidence_too_long_for_one_target_names_that_target(reviewable):
    first, second = reviewable.targets.order_by("created_at", "pk")
    progress = [
        TargetProgressEntry(target=first, progress="achieved", evidence="Reading record"),
        TargetProgressEntry(target=second, progress="achieved", evidence=text(10_001)),
    ]

    with pytest.raises(ValidationError) as refused:
        review(reviewable, progress=progress)

    assert messages_for(refused, "progress") == (
        "Evidence for target 2 must be 10,000 characters or fewer; it has 10,001."
    )
    assert not PlanReview.objects.exists()


def test_sharing_closing_and_responding_refuse_implausible_values(teacher, head, parent, learner):
    plan = finalised_plan(acting(teacher), learner, IEP)

    with pytest.raises(ValidationError) as shared:
        plan_communication_record(
            actor=acting(teacher),
            plan=plan,
            recipient=text(201),
            recipient_kind="parent",
            sent_on=today(),
            format="paper",
        )
    with pytest.raises(ValidationError) as responded:
        plan_response_record(actor=acting(parent), plan=plan, response="agreed", words=text(5_001))
    with pytest.raises(ValidationError) as closed:
        plan_close(actor=acting(head), plan=plan, closed_on=YEAR_9999, reason="Moved away")

    assert "Who received the plan must be 200 characters" in messages_for(shared, "recipient")
    assert "In your own words must be 5,000 characters" in messages_for(responded, "words")
    assert "Closed on must be on or before" in messages_for(closed, "closed_on")
    assert not PlanCommunication.objects.exists()
    assert not PlanResponse.objects.exists()
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.FINALISED


# Pages -----------------------------------------------------------------------------------------


def test_the_section_page_counts_characters_and_refuses_too_many(signed_in, teacher, learner):
    plan = started_plan(acting(teacher), learner, CSP)
    client = signed_in("teacher")
    url = reverse("planning:section", args=[learner.public_id, plan.public_id, "factors"])
    shown = client.get(url).content.decode()
    based_on = content_fingerprint(section_text_current(plan, section(plan, "factors")))

    response = client.post(url, {"text": text(20_001), "based_on": based_on})

    assert 'data-maxlength="20000"' in shown
    assert "You can enter up to 20,000 characters" in shown
    assert response.status_code == 200
    assert (
        "Factors giving rise to additional support needs must be 20,000 characters or fewer;"
        " it has 20,001."
    ) in response.content.decode()
    assert not PlanSectionText.objects.filter(plan=plan).exists()


def test_the_dates_page_explains_a_review_in_9999(signed_in, teacher, learner):
    plan = started_plan(acting(teacher), learner, IEP)
    assert plan.starts_on is not None

    response = signed_in("teacher").post(
        reverse("planning:details", args=[learner.public_id, plan.public_id]),
        {
            **date_fields("starts_on", plan.starts_on),
            **date_fields("next_review_on", YEAR_9999),
            "based_on": content_fingerprint(plan_details_current(plan)),
        },
    )

    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert "Next review must be on or before" in response.content.decode()
    assert Plan.objects.get(pk=plan.pk).next_review_on == plan.next_review_on


def test_the_review_page_explains_evidence_that_is_too_long(signed_in, reviewable, learner):
    first, second = reviewable.targets.order_by("created_at", "pk")
    response = signed_in("teacher").post(
        reverse("planning:review", args=[learner.public_id, reviewable.public_id]),
        {
            **date_fields("held_on", today()),
            "attendees": "Ailsa and her mum",
            f"progress_{first.pk}": "achieved",
            f"evidence_{first.pk}": "Reading record",
            f"progress_{second.pk}": "achieved",
            f"evidence_{second.pk}": text(10_001),
            "decision": "continue",
            **date_fields("next_review_on", today() + timedelta(days=180)),
        },
    )

    assert response.status_code == 200
    assert "Evidence for target 2 must be 10,000 characters or fewer; it has 10,001." in (
        response.content.decode()
    )
    assert not PlanReview.objects.exists()


def test_values_stored_before_the_limits_never_block_closing_a_plan(teacher, head, learner):
    plan = finalised_plan(acting(teacher), learner, IEP)
    Plan.objects.filter(pk=plan.pk).update(starts_on=YEAR_ONE, staff_notes=text(1_000_000))

    closed = plan_close(actor=acting(head), plan=plan, closed_on=today(), reason="Moved away")

    assert closed.status == PlanStatus.CLOSED
    assert len(Plan.objects.get(pk=plan.pk).staff_notes) == 1_000_000
