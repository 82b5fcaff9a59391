"""Where a plan is in the planning cycle, worked out from its status and content.

The cycle: gather information, agree and document the support, set goals, agree timescales,
(finalise), communicate the plan, put support in place, review progress, update, and finally close.
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from stagewise.planning.cycle import CyclePosition, CycleStep, cycle_position
from stagewise.planning.models import Plan, PlanSection, ViewKind
from stagewise.planning.selectors import plan_live_document, plan_record_get
from stagewise.planning.services import (
    TargetProgressEntry,
    content_fingerprint,
    plan_close,
    plan_communication_record,
    plan_finalise,
    plan_review_begin,
    plan_review_record,
    plan_support_in_place,
    provision_add,
    target_add,
    target_current,
    target_update,
    view_add,
)
from stagewise.planning.services.plans import sign_off_roles_text
from stagewise.testing.plans import acting, finalised_plan, started_plan, write_section

pytestmark = pytest.mark.django_db

IEP = "individualised_educational_programme"


def today() -> date:
    return timezone.localdate()


def starts(plan: Plan) -> date:
    """The date the plan starts: every plan in these tests is opened with one."""
    assert plan.starts_on is not None
    return plan.starts_on


def position(plan: Plan, on: date | None = None) -> CyclePosition:
    """The position the plan page shows, worked out as the page works it out."""
    plan.refresh_from_db()
    record = plan_record_get(plan)
    return cycle_position(
        plan=plan,
        document=plan_live_document(plan),
        shared_with_family=plan.version_number in record.shared_with_family_versions,
        sign_off_roles=sign_off_roles_text(plan.plan_type),
        today=on or today(),
    )


def states(found: CyclePosition) -> dict[str, str]:
    return {state.step.value: state.state for state in found.steps}


def add_views(actor, plan: Plan) -> None:
    for kind in ViewKind:
        view_add(
            actor=actor,
            plan=plan,
            kind=kind,
            speaker="Ailsa" if kind == ViewKind.LEARNER else "Her mum",
            words="Reading is hard when the room is noisy.",
            gathered_on=today(),
        )


def write_required_text(actor, plan: Plan) -> None:
    for section in PlanSection.objects.filter(plan_type=plan.plan_type, kind="text"):
        write_section(actor, plan, section.key, f"About {section.title}.")


def share_with(actor, plan: Plan, recipient_kind: str = "parent") -> None:
    plan_communication_record(
        actor=actor,
        plan=plan,
        recipient="Claire Campbell",
        recipient_kind=recipient_kind,
        sent_on=today(),
        format="family_portal",
    )


def review(actor, plan: Plan, decision: str) -> None:
    plan_review_record(
        actor=actor,
        plan=plan,
        held_on=today(),
        attendees="Class teacher, Ailsa, her mum",
        views_beforehand="",
        progress=[
            TargetProgressEntry(target=target, progress="partly_achieved", evidence="Observed")
            for target in plan.targets.all()
        ],
        decision=decision,
        next_review_on=today() + timedelta(days=180),
    )


# ---------------------------------------------------------------------------------------------
# Drafting: the earliest step with work outstanding


def test_a_new_plan_starts_by_gathering_information(teacher, learner):
    plan = started_plan(acting(teacher), learner, IEP)

    found = position(plan)

    assert found.current == CycleStep.GATHER
    assert states(found) == {
        "gather": "current",
        "agree_support": "to_do",
        "set_goals": "to_do",
        "agree_timescales": "to_do",
        "communicate": "to_do",
        "put_in_place": "to_do",
        "review": "to_do",
        "update": "to_do",
    }
    assert "views" in found.next_action


def test_once_views_are_gathered_the_support_is_agreed_and_documented(teacher, learner):
    actor = acting(teacher)
    plan = started_plan(actor, learner, IEP)
    add_views(actor, plan)

    found = position(plan)

    assert found.current == CycleStep.AGREE_SUPPORT
    assert found.next_action == "Complete “Additional support needs”."
    assert states(found)["gather"] == "done"


def test_with_views_and_the_support_written_the_next_step_is_setting_goals(teacher, learner):
    actor = acting(teacher)
    plan = started_plan(actor, learner, IEP)
    add_views(actor, plan)
    write_required_text(actor, plan)

    found = position(plan)

    assert found.current == CycleStep.SET_GOALS
    assert found.next_action == "Add at least one target to “Targets”."


def test_a_target_without_a_measure_is_still_setting_goals(teacher, learner):
    actor = acting(teacher)
    plan = started_plan(actor, learner, IEP)
    add_views(actor, plan)
    write_required_text(actor, plan)
    target = target_add(actor=actor, plan=plan, outcome="Reads a page aloud")
    provision_add(
        actor=actor,
        target=target,
        description="Paired reading",
        frequency="Daily",
        starts_on=starts(plan),
        provider_name="Pupil support assistant",
    )

    found = position(plan)

    assert found.current == CycleStep.SET_GOALS
    assert found.next_action.startswith("Target 1 has no measure")


def test_a_measured_target_without_a_date_is_agreeing_timescales(teacher, learner):
    actor = acting(teacher)
    plan = started_plan(actor, learner, IEP)
    add_views(actor, plan)
    write_required_text(actor, plan)
    target = target_add(actor=actor, plan=plan, outcome="Reads a page aloud", measure="Record")
    provision_add(
        actor=actor,
        target=target,
        description="Paired reading",
        frequency="Daily",
        starts_on=starts(plan),
        provider_name="Pupil support assistant",
    )

    found = position(plan)

    assert found.current == CycleStep.AGREE_TIMESCALES
    assert found.next_action.startswith("Target 1 has no date")
    assert states(found)["set_goals"] == "done"


def test_a_complete_draft_is_ready_to_finalise_and_says_who_signs_it_off(teacher, learner):
    actor = acting(teacher)
    plan = started_plan(actor, learner, IEP)
    add_views(actor, plan)
    write_required_text(actor, plan)
    target_add(
        actor=actor,
        plan=plan,
        outcome="Reads a page aloud",
        measure="Record",
        achieve_by=today() + timedelta(days=60),
    )
    provision_add(
        actor=actor,
        target=plan.targets.get(),
        description="Paired reading",
        frequency="Daily",
        starts_on=starts(plan),
        provider_name="Pupil support assistant",
    )

    found = position(plan)

    assert found.current == CycleStep.AGREE_TIMESCALES
    action = found.next_action.lower()
    assert action.startswith("finalise the plan.")
    for role in ("class teacher", "support-for-learning lead", "head teacher"):
        assert role in action


# ---------------------------------------------------------------------------------------------
# After finalising


def test_a_finalised_plan_is_next_communicated_to_the_family(teacher, learner):
    plan = finalised_plan(acting(teacher), learner, IEP)

    found = position(plan)

    assert found.current == CycleStep.COMMUNICATE
    assert states(found)["agree_timescales"] == "done"


def test_sharing_only_with_staff_does_not_count_as_communicating_the_plan(teacher, learner):
    actor = acting(teacher)
    plan = finalised_plan(actor, learner, IEP)
    share_with(actor, plan, recipient_kind="staff")

    assert position(plan).current == CycleStep.COMMUNICATE


@pytest.mark.parametrize("recipient_kind", ["parent", "learner"])
def test_once_shared_with_the_family_the_support_is_put_in_place(teacher, learner, recipient_kind):
    actor = acting(teacher)
    plan = finalised_plan(actor, learner, IEP)
    share_with(actor, plan, recipient_kind)

    found = position(plan)

    assert found.current == CycleStep.PUT_IN_PLACE
    assert found.due_on == starts(plan)


def test_with_support_in_place_the_next_step_is_the_review_by_its_date(teacher, learner):
    actor = acting(teacher)
    plan = finalised_plan(actor, learner, IEP)
    share_with(actor, plan)
    plan_support_in_place(actor=actor, plan=plan, in_place_on=today())

    found = position(plan)

    assert found.current == CycleStep.REVIEW
    assert found.due_on == plan.next_review_on
    assert not found.overdue


def test_a_review_is_overdue_once_its_date_has_passed(teacher, learner):
    actor = acting(teacher)
    plan = finalised_plan(actor, learner, IEP)
    share_with(actor, plan)
    plan_support_in_place(actor=actor, plan=plan, in_place_on=today())
    plan.refresh_from_db()
    review_on = plan.next_review_on
    assert review_on is not None

    on_the_day = position(plan, on=review_on)
    the_day_after = position(plan, on=review_on + timedelta(days=1))

    assert not on_the_day.overdue
    assert the_day_after.overdue
    assert the_day_after.current == CycleStep.REVIEW
    assert "overdue" in the_day_after.next_action


def test_a_plan_under_review_waits_for_the_review_meeting_to_be_recorded(teacher, learner):
    actor = acting(teacher)
    plan = finalised_plan(actor, learner, IEP)
    plan_support_in_place(actor=actor, plan=plan, in_place_on=today())
    plan_review_begin(actor=actor, plan=plan)

    found = position(plan)

    assert found.current == CycleStep.REVIEW
    assert found.next_action == "Record the review meeting."


def test_a_review_that_changes_the_support_moves_the_plan_to_updating(teacher, learner):
    actor = acting(teacher)
    plan = finalised_plan(actor, learner, IEP)
    plan_support_in_place(actor=actor, plan=plan, in_place_on=today())
    review(actor, plan, "change_support")

    found = position(plan)

    assert found.current == CycleStep.UPDATE
    assert states(found)["review"] == "done"


def test_a_revision_with_unfinished_work_goes_back_to_the_step_it_belongs_to(teacher, learner):
    actor = acting(teacher)
    plan = finalised_plan(actor, learner, IEP)
    plan_support_in_place(actor=actor, plan=plan, in_place_on=today())
    review(actor, plan, "change_support")
    plan.refresh_from_db()
    target = plan.targets.order_by("pk")[0]
    target_update(
        actor=actor,
        target=target,
        outcome=target.outcome,
        measure="",
        baseline=target.baseline,
        success_criteria=target.success_criteria,
        achieve_by=target.achieve_by,
        based_on=content_fingerprint(target_current(target)),
    )

    assert position(plan).current == CycleStep.SET_GOALS


def test_a_review_that_continues_the_plan_sets_the_next_review(teacher, learner):
    actor = acting(teacher)
    plan = finalised_plan(actor, learner, IEP)
    plan_support_in_place(actor=actor, plan=plan, in_place_on=today())
    review(actor, plan, "continue")

    found = position(plan)

    assert found.current == CycleStep.REVIEW
    assert found.due_on == today() + timedelta(days=180)
    assert not found.overdue


def test_a_closed_plan_has_no_current_step(teacher, learner):
    actor = acting(teacher)
    plan = finalised_plan(actor, learner, IEP)
    plan_close(actor=actor, plan=plan, closed_on=today(), reason="Needs met")

    found = position(plan)

    assert found.current is None
    assert set(states(found).values()) == {"done"}
    assert found.next_action == "This plan is closed."


def test_a_plan_moves_through_the_whole_cycle_in_order(teacher, learner):
    actor = acting(teacher)
    plan = started_plan(actor, learner, IEP)
    seen = [position(plan).current]
    add_views(actor, plan)
    seen.append(position(plan).current)
    write_required_text(actor, plan)
    seen.append(position(plan).current)
    target = target_add(actor=actor, plan=plan, outcome="Reads a page aloud", measure="Record")
    provision_add(
        actor=actor,
        target=target,
        description="Paired reading",
        frequency="Daily",
        starts_on=starts(plan),
        provider_name="Pupil support assistant",
    )
    seen.append(position(plan).current)
    target_update(
        actor=actor,
        target=target,
        outcome=target.outcome,
        measure=target.measure,
        baseline="",
        success_criteria="",
        achieve_by=today() + timedelta(days=60),
        based_on=content_fingerprint(target_current(target)),
    )
    plan.refresh_from_db()
    plan_finalise(actor=actor, plan=plan, based_on_revision=plan.edit_revision)
    seen.append(position(plan).current)
    share_with(actor, plan)
    seen.append(position(plan).current)
    plan_support_in_place(actor=actor, plan=plan, in_place_on=today())
    seen.append(position(plan).current)
    plan.refresh_from_db()
    assert plan.next_review_on is not None
    overdue = position(plan, on=plan.next_review_on + timedelta(days=1))
    review(actor, plan, "change_support")
    seen.append(position(plan).current)
    plan.refresh_from_db()
    plan_finalise(actor=actor, plan=plan, based_on_revision=plan.edit_revision)
    seen.append(position(plan).current)
    plan_close(actor=actor, plan=plan, closed_on=today(), reason="Needs met")
    seen.append(position(plan).current)

    assert seen == [
        CycleStep.GATHER,
        CycleStep.AGREE_SUPPORT,
        CycleStep.SET_GOALS,
        CycleStep.AGREE_TIMESCALES,
        CycleStep.COMMUNICATE,
        CycleStep.PUT_IN_PLACE,
        CycleStep.REVIEW,
        CycleStep.UPDATE,
        CycleStep.COMMUNICATE,  # version 2 is shared with the family afresh
        None,
    ]
    assert overdue.current == CycleStep.REVIEW and overdue.overdue
