"""A plan closed part-way through a revision still shows, and prints, what was last agreed."""

from django.urls import reverse
from django.utils import timezone

from stagewise.planning.services import plan_close, plan_revise
from stagewise.testing.pdf import pdf_text
from stagewise.testing.plans import acting, finalised_plan, write_section

IEP = "individualised_educational_programme"


def test_a_revision_closed_before_sign_off_is_never_shown_as_the_plan(signed_in, teacher, learner):
    actor = acting(teacher)
    plan = finalised_plan(actor, learner, IEP)
    plan = plan_revise(actor=actor, plan=plan)
    write_section(actor, plan, "additional_support_needs", "An unagreed rewrite.")
    plan_close(actor=actor, plan=plan, closed_on=timezone.localdate(), reason="Moved school.")
    client = signed_in("teacher")
    kwargs = {"learner_id": learner.public_id, "plan_id": plan.public_id}

    page = client.get(reverse("planning:detail", kwargs=kwargs)).content.decode()
    printed = pdf_text(client.get(reverse("planning:pdf", kwargs=kwargs) + "?language=en").content)

    for content in (page, printed):
        assert "An unagreed rewrite." not in content
        assert "Additional support needs: written for" in content
        assert "Signed off by" in content


def test_only_a_role_that_may_sign_a_plan_off_may_close_it(teacher, authority_officer, learner):
    from django.core.exceptions import ValidationError

    from stagewise.planning.models import PlanStatus

    plan = finalised_plan(
        acting(teacher), learner, "coordinated_support_plan", signer=acting(authority_officer)
    )

    try:
        plan_close(actor=acting(teacher), plan=plan, closed_on=timezone.localdate(), reason="Done")
    except ValidationError as error:
        assert "Who may close this plan: Local authority officer" in " ".join(error.messages)
    else:
        raise AssertionError("a class teacher closed a co-ordinated support plan")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.FINALISED

    plan_close(
        actor=acting(authority_officer), plan=plan, closed_on=timezone.localdate(), reason="Done"
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CLOSED


def test_the_database_refuses_to_change_a_finalised_version_even_by_a_bulk_update(teacher, learner):
    import pytest
    from django.db import DatabaseError, transaction

    from stagewise.planning.models import PlanVersion

    plan = finalised_plan(acting(teacher), learner, IEP)

    with pytest.raises(DatabaseError), transaction.atomic():
        PlanVersion.objects.filter(plan=plan).update(finalised_by_label="Someone else")

    assert PlanVersion.objects.get(plan=plan).finalised_by_label == teacher.full_name
