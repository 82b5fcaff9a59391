"""Plan types, their sections and local names are rules, editable by administrators; the admin
site's change log is their trail. Plans themselves are learner data and never appear here."""

from django.contrib import admin

from stagewise.planning.models import LocalPlanTypeName, PlanSection, PlanType


class PlanSectionInline(admin.TabularInline):
    model = PlanSection
    extra = 0
    fields = ["order", "number", "key", "title", "title_cy", "kind", "required"]


@admin.register(PlanType)
class PlanTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "nation", "statutory", "review_interval_months", "version", "active"]
    list_filter = ["nation", "statutory", "active"]
    inlines = [PlanSectionInline]


@admin.register(LocalPlanTypeName)
class LocalPlanTypeNameAdmin(admin.ModelAdmin):
    list_display = ["authority", "plan_type", "name", "name_cy"]
    list_filter = ["plan_type"]
    autocomplete_fields = ["authority"]
