"""Plan types, their sections and local names are rules, editable by administrators with the
model's permissions: every change is an audit event with the values before and after, and a version
in the rule's history (ADR 0008). Plans themselves are learner data and never appear here."""

from django.contrib import admin

from stagewise.audit.admin import RuleTableAdmin
from stagewise.planning.models import LocalPlanTypeName, PlanSection, PlanType


class PlanSectionInline(admin.TabularInline):
    model = PlanSection
    extra = 0
    fields = ["order", "number", "key", "title", "title_cy", "kind", "required"]


@admin.register(PlanType)
class PlanTypeAdmin(RuleTableAdmin):
    list_display = ["name", "nation", "statutory", "review_interval_months", "version", "active"]
    list_filter = ["nation", "statutory", "active"]
    # Who may sign a plan off is a permission, not wording: it changes with the policy (a reviewed
    # code change), never in this form.
    readonly_fields = ["sign_off_roles"]
    inlines = [PlanSectionInline]


@admin.register(LocalPlanTypeName)
class LocalPlanTypeNameAdmin(RuleTableAdmin):
    list_display = ["authority", "plan_type", "name", "name_cy"]
    list_filter = ["plan_type"]
    autocomplete_fields = ["authority"]
