"""Rules as data, editable by administrators with the model's permissions: every change is an audit
event with the values before and after, and a version in the rule's history (ADR 0008)."""

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.contrib.admin.utils import unquote
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from stagewise.audit.admin import RuleTableAdmin
from stagewise.statutory.models import (
    AdditionalLearningProvisionOffer,
    AuthorityStageModel,
    LocalStage,
    LocalThresholdDescriptor,
    NationalThresholdDescriptor,
    ReasonForSupport,
    SchoolCalendarPeriod,
    StageModel,
    StageSuggestionRule,
    StatutoryTimescale,
)
from stagewise.statutory.thresholds import removal_problems


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


@admin.register(AdditionalLearningProvisionOffer)
class AdditionalLearningProvisionOfferAdmin(RuleTableAdmin):
    """A school's stated offer of additional learning provision, one need type a row."""

    list_display = ["setting", "reason", "version"]
    list_filter = ["reason__nation"]
    search_fields = ["setting__name", "provision", "provision_cy"]
    autocomplete_fields = ["setting"]
    list_select_related = ["setting", "reason"]


@admin.register(NationalThresholdDescriptor)
class NationalThresholdDescriptorAdmin(RuleTableAdmin):
    """A descriptor that local ones map onto keeps its nation and national stage (model clean),
    and cannot be removed while they do (protected)."""

    list_display = ["key", "nation", "national_stage", "dimension", "order", "version"]
    list_filter = ["nation", "national_stage", "dimension"]
    search_fields = ["key", "wording", "wording_cy", "source"]
    ordering = ["nation__name", "national_stage", "dimension", "order"]


@admin.register(StageSuggestionRule)
class StageSuggestionRuleAdmin(RuleTableAdmin):
    """Corrected, never removed: decision support needs a rule for every stage above universal
    in every nation (statutory migration 0016 loads them)."""

    list_display = ["nation", "national_stage", "descriptors_needed", "source", "version"]
    list_filter = ["nation"]
    list_select_related = ["nation"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["nation", "national_stage"] if obj is not None else []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LocalThresholdDescriptor)
class LocalThresholdDescriptorAdmin(RuleTableAdmin):
    """An authority's own descriptors. Saving checks the mapping (model clean); removing one is
    refused, with the reason, when it would leave a national stage without a descriptor for its
    authority. Removed one at a time, so each removal is checked against what is left."""

    list_display = ["authority", "local_stage", "national_descriptor", "order", "version"]
    list_filter = ["local_stage__national_stage", "national_descriptor__dimension", "authority"]
    search_fields = ["authority__name", "wording", "wording_cy"]
    autocomplete_fields = ["authority"]
    list_select_related = ["authority", "local_stage", "national_descriptor__nation"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "local_stage" and field is not None:
            # Stage names repeat across models ("Universal"): name the model and national stage.
            field.queryset = field.queryset.select_related("stage_model")
            field.label_from_instance = lambda stage: (
                f"{stage.stage_model}: {stage.display_label} ({stage.national_label})"
            )
        return field

    def get_actions(
        self, request: HttpRequest, action_location: ActionLocation = ActionLocation.CHANGE_LIST
    ) -> Any:
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        descriptor = self.get_object(request, unquote(object_id))
        if descriptor is not None and self.has_delete_permission(request, descriptor):
            problems = removal_problems([descriptor])
            if problems:
                for problem in problems:
                    self.message_user(request, problem, messages.ERROR)
                return HttpResponseRedirect(
                    reverse("admin:statutory_localthresholddescriptor_change", args=[descriptor.pk])
                )
        return super().delete_view(request, object_id, extra_context)
