"""An authority's own name for a plan type is what its people see; its rules stay the same."""

from django.urls import reverse

from stagewise.planning.models import LocalPlanTypeName
from stagewise.testing.factories import authority
from stagewise.testing.plans import acting, finalised_plan, plan_type

IEP = "individualised_educational_programme"


def test_the_authoritys_name_for_a_plan_type_heads_its_lists_and_pages(
    signed_in, teacher, parent, learner
):
    LocalPlanTypeName.objects.create(
        authority=authority("Glasgow City"),
        plan_type=plan_type(IEP),
        name="Additional Support Plan",
        name_cy="Cynllun Cymorth Ychwanegol",
    )
    plan = finalised_plan(acting(teacher), learner, IEP)
    kwargs = {"learner_id": learner.public_id, "plan_id": plan.public_id}

    staff_list = signed_in("teacher").get(reverse("planning:list", args=[learner.public_id]))
    staff_page = signed_in("teacher").get(reverse("planning:detail", kwargs=kwargs))
    family_page = signed_in("parent").get(reverse("planning:detail", kwargs=kwargs))

    assert "Additional Support Plan" in staff_list.content.decode()
    for page in (staff_page, family_page):
        assert '<h1 class="govuk-heading-l">Additional Support Plan</h1>' in page.content.decode()
    # The sections are still the IEP's.
    assert "Additional support needs" in staff_page.content.decode()
