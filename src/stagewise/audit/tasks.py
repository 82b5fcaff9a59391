"""The audit log's monthly partitions, created ahead on Django's tasks framework (ADR 0038)."""

from dataclasses import asdict

from django.tasks import task

from stagewise.audit.partitions import audit_partitions_ensure


@task
def audit_partitions() -> dict[str, list[str]]:
    """Create this month's partition of the audit log and the next three's, where missing."""
    return asdict(audit_partitions_ensure())
