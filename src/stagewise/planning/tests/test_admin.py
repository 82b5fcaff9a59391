from django.contrib import admin

from stagewise.planning.models import (
    LocalPlanTypeName,
    Plan,
    PlanResponse,
    PlanReview,
    PlanSection,
    PlanType,
    PlanVersion,
    PlanView,
    SupportProvision,
    Target,
)


def test_administrators_configure_plan_types_and_local_names():
    assert admin.site.is_registered(PlanType)
    assert admin.site.is_registered(LocalPlanTypeName)
    assert not admin.site.is_registered(PlanSection)  # edited within its plan type


def test_no_plan_or_anything_in_one_is_reachable_through_the_admin_site():
    for model in (Plan, PlanVersion, Target, SupportProvision, PlanView, PlanReview, PlanResponse):
        assert not admin.site.is_registered(model), model.__name__
