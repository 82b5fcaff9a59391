"""Rules as data, editable by administrators with the model's permissions: every change is an audit
event with the values before and after, and a version in the rule's history (ADR 0008)."""

from django.contrib import admin

from stagewise.audit.admin import RuleTableAdmin
from stagewise.statutory.models import (
    AuthorityStageModel,
    LocalStage,
    ReasonForSupport,
    StageModel,
)


@admin.register(ReasonForSupport)
class ReasonForSupportAdmin(RuleTableAdmin):
    list_display = ["code", "label", "label_cy", "nation", "version", "active"]
    list_filter = ["nation", "active"]
    search_fields = ["code", "label"]


class LocalStageInline(admin.TabularInline):
    model = LocalStage
    extra = 0


@admin.register(StageModel)
class StageModelAdmin(RuleTableAdmin):
    list_display = ["name", "nation", "is_default", "version"]
    list_filter = ["nation"]
    inlines = [LocalStageInline]


@admin.register(AuthorityStageModel)
class AuthorityStageModelAdmin(RuleTableAdmin):
    list_display = ["authority", "stage_model"]
    autocomplete_fields = ["authority"]
