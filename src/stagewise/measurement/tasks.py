"""Measurement's background tasks, on Django's tasks framework (`stagewise db_worker`)."""

from dataclasses import asdict
from typing import Any

from django.tasks import task

from stagewise.audit.services import audit_session
from stagewise.measurement.refresh import measures_refresh
from stagewise.policy import SYSTEM


@task
def refresh_measures(full: bool = False) -> dict[str, Any]:
    """Refreshes the summary figures dashboards read (measurement/refresh.py), as Stagewise
    itself: incrementally, or every school year with `full`."""
    with audit_session(path="task:refresh_measures"):
        result = measures_refresh(actor=SYSTEM, full=full)
    return asdict(result)
