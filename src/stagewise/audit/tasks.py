"""The audit log's monthly partitions, created ahead on Django's tasks framework (ADR 0038)."""

from dataclasses import asdict

from django.tasks import task

from stagewise.audit.partitions import audit_partitions_ensure, audit_partitions_expire

# The access trail's record type in the retention schedules (data_protection, ADR 0033).
ACCESS_TRAIL = "audit.AuditEvent"


def access_trail_kept_for_years() -> int | None:
    """How long the retention schedule keeps the access trail; None if it has no schedule (then
    nothing is removed)."""
    from stagewise.data_protection.models import RetentionSchedule  # the schedules know audit

    schedule = RetentionSchedule.objects.filter(record_type=ACCESS_TRAIL).first()
    return schedule.kept_for_years if schedule is not None else None


def audit_partitions_maintain() -> dict[str, list[str]]:
    """Create this month's partition and the next three's, where missing; remove the months the
    access trail's schedule no longer keeps."""
    result = asdict(audit_partitions_ensure())
    years = access_trail_kept_for_years()
    result["removed"] = [] if years is None else audit_partitions_expire(kept_for_years=years)
    return result


@task
def audit_partitions() -> dict[str, list[str]]:
    """The daily upkeep of the audit log's partitions (audit_partitions_maintain)."""
    return audit_partitions_maintain()
