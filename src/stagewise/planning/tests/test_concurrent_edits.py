"""Two people editing one plan never silently overwrite each other.

Every change to existing content names what the editor was shown (a fingerprint, `based_on`). If a
colleague saved that part of the plan in the meantime, the later save is refused, the colleague's
words stay, and the page shows both versions so the editor can choose deliberately.
"""

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from stagewise.planning.documents import plan_document_load
from stagewise.planning.models import Plan, PlanSection, PlanSectionText, PlanVersion, Target
from stagewise.planning.services import (
    PlanEditConflict,
    content_fingerprint,
    plan_details_current,
    plan_details_update,
    plan_finalise,
    plan_section_update,
    plan_staff_notes_update,
    section_text_current,
    target_current,
    target_remove,
    target_update,
)
from stagewise.testing.plans import acting, complete_plan, started_plan, write_section

pytestmark = pytest.mark.django_db

IEP = "individualised_educational_programme"
CONFLICT_MESSAGE = "Someone else changed this part of the plan after you opened it."


def starts(plan: Plan) -> date:
    """The date the plan starts: every plan in these tests is opened with one."""
    assert plan.starts_on is not None
    return plan.starts_on


def section(plan, key="additional_support_needs") -> PlanSection:
    return PlanSection.objects.get(plan_type=plan.plan_type, key=key)


def saved_text(plan, key="additional_support_needs") -> str:
    return PlanSectionText.objects.get(plan=plan, section=section(plan, key)).text


# ---------------------------------------------------------------------------------------------
# The services


def test_a_section_saved_by_one_editor_is_not_overwritten_by_another_who_opened_it_earlier(
    teacher, support_lead, learner
):
    plan = started_plan(acting(teacher), learner, IEP)
    write_section(acting(teacher), plan, "additional_support_needs", "Original words.")
    # Both open the section and are shown the same words.
    opened = content_fingerprint(section_text_current(plan, section(plan)))
    plan_section_update(
        actor=acting(teacher),
        plan=plan,
        section=section(plan),
        text="The teacher's words.",
        based_on=opened,
    )

    with pytest.raises(PlanEditConflict) as conflict:
        plan_section_update(
            actor=acting(support_lead),
            plan=plan,
            section=section(plan),
            text="The support lead's words.",
            based_on=opened,
        )

    assert conflict.value.code == "edit_conflict"
    assert conflict.value.saved == {"text": "The teacher's words."}
    assert saved_text(plan) == "The teacher's words."


def test_an_editor_who_opened_the_latest_version_may_save(teacher, support_lead, learner):
    plan = started_plan(acting(teacher), learner, IEP)
    write_section(acting(teacher), plan, "additional_support_needs", "The teacher's words.")

    plan_section_update(
        actor=acting(support_lead),
        plan=plan,
        section=section(plan),
        text="The teacher's words, and the support lead's.",
        based_on=content_fingerprint(section_text_current(plan, section(plan))),
    )

    assert saved_text(plan) == "The teacher's words, and the support lead's."


def test_editing_one_section_does_not_conflict_with_editing_another(teacher, support_lead, learner):
    plan = started_plan(acting(teacher), learner, IEP)
    opened = content_fingerprint(section_text_current(plan, section(plan)))
    write_section(acting(teacher), plan, "how_best_to_support", "Visual timetable.")

    plan_section_update(
        actor=acting(support_lead),
        plan=plan,
        section=section(plan),
        text="Dyslexia.",
        based_on=opened,
    )

    assert saved_text(plan) == "Dyslexia."
    assert saved_text(plan, "how_best_to_support") == "Visual timetable."


def _update_target(actor, target, outcome, based_on):
    return target_update(
        actor=actor,
        target=target,
        outcome=outcome,
        measure=target.measure,
        baseline=target.baseline,
        success_criteria=target.success_criteria,
        achieve_by=target.achieve_by,
        based_on=based_on,
    )


def test_a_target_saved_by_one_editor_is_not_overwritten_by_another(teacher, support_lead, learner):
    plan = complete_plan(acting(teacher), learner, IEP)
    target = plan.targets.order_by("pk")[0]
    opened = content_fingerprint(target_current(target))
    _update_target(acting(teacher), target, "Reads a whole page aloud", opened)

    with pytest.raises(PlanEditConflict) as conflict:
        _update_target(acting(support_lead), target, "Reads a paragraph aloud", opened)

    assert conflict.value.saved["outcome"] == "Reads a whole page aloud"
    assert Target.objects.get(pk=target.pk).outcome == "Reads a whole page aloud"


def test_a_target_changed_by_one_editor_is_not_removed_by_another_who_saw_it_before(
    teacher, support_lead, learner
):
    plan = complete_plan(acting(teacher), learner, IEP)
    target = plan.targets.order_by("pk")[0]
    opened = content_fingerprint(target_current(target))
    _update_target(acting(teacher), target, "Reads a whole page aloud", opened)

    with pytest.raises(PlanEditConflict):
        target_remove(actor=acting(support_lead), target=target, based_on=opened)

    assert Target.objects.filter(pk=target.pk, outcome="Reads a whole page aloud").exists()


def test_plan_dates_saved_by_one_editor_are_not_overwritten_by_another(
    teacher, support_lead, learner
):
    plan = started_plan(acting(teacher), learner, IEP)
    opened = content_fingerprint(plan_details_current(plan))
    teachers_date = starts(plan) + timedelta(days=100)
    plan_details_update(
        actor=acting(teacher),
        plan=plan,
        starts_on=starts(plan),
        next_review_on=teachers_date,
        multi_agency=False,
        lead_professional="",
        based_on=opened,
    )

    with pytest.raises(PlanEditConflict) as conflict:
        plan_details_update(
            actor=acting(support_lead),
            plan=plan,
            starts_on=starts(plan),
            next_review_on=starts(plan) + timedelta(days=200),
            multi_agency=False,
            lead_professional="",
            based_on=opened,
        )

    assert conflict.value.saved["next_review_on"] == teachers_date.isoformat()
    plan.refresh_from_db()
    assert plan.next_review_on == teachers_date


def test_staff_notes_saved_by_one_editor_are_not_overwritten_by_another(
    teacher, support_lead, learner
):
    plan = started_plan(acting(teacher), learner, IEP)
    opened = content_fingerprint({"staff_notes": ""})
    plan_staff_notes_update(
        actor=acting(teacher), plan=plan, staff_notes="Call mum first.", based_on=opened
    )

    with pytest.raises(PlanEditConflict):
        plan_staff_notes_update(
            actor=acting(support_lead), plan=plan, staff_notes="Email dad.", based_on=opened
        )

    plan.refresh_from_db()
    assert plan.staff_notes == "Call mum first."


def test_finalising_a_plan_that_changed_since_the_signer_read_it_is_refused(
    teacher, support_lead, learner
):
    plan = complete_plan(acting(teacher), learner, IEP)
    read = plan.edit_revision
    write_section(acting(teacher), plan, "additional_support_needs", "Changed just now.")

    with pytest.raises(ValidationError) as error:
        plan_finalise(actor=acting(support_lead), plan=plan, based_on_revision=read)

    assert error.value.code == "edit_conflict"
    assert "The plan has changed since you opened it" in error.value.messages[0]
    assert not PlanVersion.objects.filter(plan=plan).exists()
    plan.refresh_from_db()
    assert plan.is_editable


def test_finalising_the_plan_the_signer_read_is_allowed(teacher, support_lead, learner):
    plan = complete_plan(acting(teacher), learner, IEP)
    write_section(acting(teacher), plan, "additional_support_needs", "Changed just now.")
    plan.refresh_from_db()

    version = plan_finalise(
        actor=acting(support_lead), plan=plan, based_on_revision=plan.edit_revision
    )

    signed = plan_document_load(version.document).section("additional_support_needs")
    assert signed is not None and signed.text == "Changed just now."


# ---------------------------------------------------------------------------------------------
# The page


def hidden_based_on(html: str) -> str:
    match = re.search(r'<input type="hidden" name="based_on" value="([^"]*)"', html)
    assert match, "the form carries what the editor was shown"
    return match.group(1)


def conflict_table(html: str) -> str:
    match = re.search(r'<table[^>]*id="edit-conflict".*?</table>', html, re.DOTALL)
    assert match, "the page shows both versions in the #edit-conflict table"
    return match.group(0)


def test_a_stale_save_shows_both_versions_and_saving_again_from_that_page_succeeds(
    signed_in, teacher, support_lead, learner
):
    plan = started_plan(acting(teacher), learner, IEP)
    write_section(acting(teacher), plan, "additional_support_needs", "Original words.")
    url = reverse(
        "planning:section",
        args=[learner.public_id, plan.public_id, "additional_support_needs"],
    )
    client = signed_in("teacher")
    opened = hidden_based_on(client.get(url).content.decode())
    # A colleague saves the same section after the teacher opened it.
    write_section(
        acting(support_lead), plan, "additional_support_needs", "The support lead's words."
    )

    response = client.post(url, {"text": "The teacher's words.", "based_on": opened})

    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert CONFLICT_MESSAGE in html
    table = conflict_table(html)
    assert "The teacher&#x27;s words." in table
    assert "The support lead&#x27;s words." in table
    assert saved_text(plan) == "The support lead's words."
    # The editor's words are still in the form, now based on the saved version.
    assert "The teacher&#x27;s words.</textarea>" in html
    rebased = hidden_based_on(html)
    assert rebased != opened

    again = client.post(url, {"text": "The teacher's words.", "based_on": rebased})

    assert again.status_code == 302
    assert saved_text(plan) == "The teacher's words."


def test_a_stale_save_of_a_target_shows_both_versions_of_each_changed_question(
    signed_in, teacher, support_lead, learner
):
    plan = complete_plan(acting(teacher), learner, IEP)
    target = plan.targets.order_by("pk")[0]
    url = reverse("planning:target_edit", args=[learner.public_id, plan.public_id, target.pk])
    client = signed_in("teacher")
    opened = hidden_based_on(client.get(url).content.decode())
    _update_target(
        acting(support_lead),
        target,
        "Reads a chapter aloud",
        content_fingerprint(target_current(target)),
    )
    achieve_by = target.achieve_by
    assert achieve_by is not None

    response = client.post(
        url,
        {
            "outcome": "Reads a page aloud",
            "measure": target.measure,
            "baseline": target.baseline,
            "success_criteria": target.success_criteria,
            "achieve_by_0": achieve_by.day,
            "achieve_by_1": achieve_by.month,
            "achieve_by_2": achieve_by.year,
            "based_on": opened,
        },
    )

    assert response.status_code == 200
    table = conflict_table(response.content.decode())
    assert "Reads a page aloud" in table
    assert "Reads a chapter aloud" in table
    assert Target.objects.get(pk=target.pk).outcome == "Reads a chapter aloud"


def test_a_stale_save_of_the_plan_dates_is_refused_on_the_page(
    signed_in, teacher, support_lead, learner
):
    plan = started_plan(acting(teacher), learner, IEP)
    url = reverse("planning:details", args=[learner.public_id, plan.public_id])
    client = signed_in("teacher")
    opened = hidden_based_on(client.get(url).content.decode())
    colleagues_date = starts(plan) + timedelta(days=100)
    plan_details_update(
        actor=acting(support_lead),
        plan=plan,
        starts_on=starts(plan),
        next_review_on=colleagues_date,
        multi_agency=False,
        lead_professional="",
        based_on=opened,
    )
    mine = starts(plan) + timedelta(days=200)

    response = client.post(
        url,
        {
            "starts_on_0": starts(plan).day,
            "starts_on_1": starts(plan).month,
            "starts_on_2": starts(plan).year,
            "next_review_on_0": mine.day,
            "next_review_on_1": mine.month,
            "next_review_on_2": mine.year,
            "based_on": opened,
        },
    )

    assert response.status_code == 200
    assert CONFLICT_MESSAGE in response.content.decode()
    conflict_table(response.content.decode())
    plan.refresh_from_db()
    assert plan.next_review_on == colleagues_date


def test_finalising_from_a_page_opened_before_a_change_is_refused(
    signed_in, teacher, support_lead, learner
):
    plan = complete_plan(acting(teacher), learner, IEP)
    read = plan.edit_revision
    write_section(acting(teacher), plan, "additional_support_needs", "Changed just now.")
    url = reverse("planning:finalise", args=[learner.public_id, plan.public_id])

    response = signed_in("support_lead").post(url, {"based_on_revision": read})

    assert response.status_code == 200
    assert escape("The plan has changed since you opened it.") in response.content.decode()
    assert not PlanVersion.objects.filter(plan=plan).exists()


def test_the_page_shows_no_conflict_when_nobody_else_saved(signed_in, teacher, learner):
    plan = started_plan(acting(teacher), learner, IEP)
    url = reverse(
        "planning:section",
        args=[learner.public_id, plan.public_id, "additional_support_needs"],
    )
    client = signed_in("teacher")
    opened = hidden_based_on(client.get(url).content.decode())

    response = client.post(url, {"text": "First words.", "based_on": opened})

    assert response.status_code == 302
    assert saved_text(plan) == "First words."
