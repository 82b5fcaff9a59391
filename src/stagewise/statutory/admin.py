"""Rules as data, editable by administrators; the admin site's change log is their trail."""

from django.contrib import admin

from stagewise.statutory.models import (
    AuthorityStageModel,
    LocalStage,
    ReasonForSupport,
    StageModel,
)


@admin.register(ReasonForSupport)
class ReasonForSupportAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "label_cy", "nation", "version", "active"]
    list_filter = ["nation", "active"]
    search_fields = ["code", "label"]


class LocalStageInline(admin.TabularInline):
    model = LocalStage
    extra = 0


@admin.register(StageModel)
class StageModelAdmin(admin.ModelAdmin):
    list_display = ["name", "nation", "is_default", "version"]
    list_filter = ["nation"]
    inlines = [LocalStageInline]


@admin.register(AuthorityStageModel)
class AuthorityStageModelAdmin(admin.ModelAdmin):
    list_display = ["authority", "stage_model"]
    autocomplete_fields = ["authority"]
