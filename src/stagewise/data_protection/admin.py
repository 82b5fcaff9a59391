"""Retention schedules are rules as data, editable by administrators with the model's
permissions; every change is an audit event with the values before and after (ADR 0008). The
report of what is due names learners, so it is not registered here (ADR 0001)."""

from django.contrib import admin

from stagewise.audit.admin import RuleTableAdmin
from stagewise.data_protection.models import RetentionSchedule


@admin.register(RetentionSchedule)
class RetentionScheduleAdmin(RuleTableAdmin):
    list_display = ["record_type", "kept_for_years", "counted_from"]
    list_filter = ["counted_from"]
    search_fields = ["record_type", "basis"]
    # The registry names the record types; a schedule for another would never apply.
    readonly_fields = ["record_type"]
