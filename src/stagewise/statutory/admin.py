"""Rules as data, editable by administrators with the model's permissions: every change is an audit
event with the values before and after, and a version in the rule's history (ADR 0008)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from stagewise.audit.admin import RuleTableAdmin
from stagewise.statutory.models import (
    AuthorityStageModel,
    LocalStage,
    ReasonForSupport,
    SchoolCalendarPeriod,
    StageModel,
    StatutoryTimescale,
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


@admin.register(StatutoryTimescale)
class StatutoryTimescaleAdmin(RuleTableAdmin):
    """A rule is corrected by adding a version with the day it takes effect, so that clocks
    already running keep the rule they started under: a stored version's timescale is fixed."""

    list_display = ["key", "version", "effective_from", "amount", "unit", "direction", "citation"]
    list_filter = ["nation", "unit"]
    search_fields = ["key", "label", "citation"]
    ordering = ["key", "effective_from"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None:
            return ["key", "nation", "version", "effective_from", "unit", "amount", "direction"]
        return []


@admin.register(SchoolCalendarPeriod)
class SchoolCalendarPeriodAdmin(RuleTableAdmin):
    list_display = ["authority", "setting", "academic_year", "kind", "first_day", "last_day"]
    list_filter = ["academic_year", "kind", "authority"]
    search_fields = ["authority__name", "setting__name", "description"]
    autocomplete_fields = ["authority", "setting"]
