"""Configuration in Django's admin site. Learner records are deliberately not registered here:
the admin site cannot go through learners/access.py, so it never shows learner data."""

from django.contrib import admin

from stagewise.organisations.models import Agency, LocalAuthority, Membership, Nation, Setting


@admin.register(Nation)
class NationAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "nation"]
    list_filter = ["nation"]
    search_fields = ["name"]


@admin.register(Setting)
class SettingAdmin(admin.ModelAdmin):
    list_display = ["name", "authority", "setting_type", "language_medium"]
    list_filter = ["setting_type", "language_medium", "authority__nation"]
    search_fields = ["name"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "authority", "agency_type"]
    list_filter = ["agency_type"]
    search_fields = ["name"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "setting", "authority", "agency", "started_on", "ended_on"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__full_name"]
    autocomplete_fields = ["setting", "authority", "agency"]
    raw_id_fields = ["user"]
