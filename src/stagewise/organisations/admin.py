"""Organisations and memberships in the configuration admin site: shown, never changed here.

Who works where (memberships), which schools and agencies an authority has, and the authorities and
nations themselves decide who may see which learner, so they change only through the services behind
Stagewise's own administration pages (/administration/), which check each change and audit it.
Nations and local authorities are set by law and loaded by migrations. See ADR 0008.
"""

from django.contrib import admin

from stagewise.audit.admin import ReadOnlyAdmin, RuleTableAdmin
from stagewise.organisations.models import Agency, LocalAuthority, Membership, Nation, Setting
from stagewise.organisations.public_information_models import AdviceService


@admin.register(Nation)
class NationAdmin(ReadOnlyAdmin):
    list_display = ["name", "code"]


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(ReadOnlyAdmin):
    list_display = ["name", "nation"]
    list_filter = ["nation"]
    # The rule tables choose an authority by searching for it.
    search_fields = ["name"]


@admin.register(Setting)
class SettingAdmin(ReadOnlyAdmin):
    list_display = ["name", "authority", "setting_type", "language_medium"]
    list_filter = ["setting_type", "language_medium", "authority__nation"]
    search_fields = ["name"]


@admin.register(Agency)
class AgencyAdmin(ReadOnlyAdmin):
    list_display = ["name", "authority", "agency_type"]
    list_filter = ["agency_type"]
    search_fields = ["name"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["user", "role", "setting", "authority", "agency", "started_on", "ended_on"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__full_name"]
    list_select_related = ["user", "setting", "authority", "agency"]


@admin.register(AdviceService)
class AdviceServiceAdmin(RuleTableAdmin):
    """Advice, advocacy and dispute services are data (RULES.md section 8), not access: an
    administrator confirms their contact details or adds an authority's mediation provider, and
    each change is audited with its history."""

    list_display = ["name", "nation", "authority", "details_confirmed"]
    list_filter = ["nation", "details_confirmed"]
    search_fields = ["name"]
    autocomplete_fields = ["authority"]
