"""Planning's background tasks, on Django's tasks framework (`stagewise db_worker`)."""

from django.tasks import task

from stagewise.planning.models import PlanVersion
from stagewise.planning.printed import printed_plans_store
from stagewise.printing import PdfUnavailableError


@task(backend="printing")
def store_printed_plans(version_id: int) -> dict[str, object]:
    """Renders and stores the PDFs of a finalised version (planning/printed.py) that are
    missing or stale. Safe to run again: a current copy is left as it is."""
    version = PlanVersion.objects.select_related("plan__learner").filter(pk=version_id).first()
    if version is None:  # Deleted with its learner before the worker got to it.
        return {"version": version_id, "stored": 0}
    try:
        stored = printed_plans_store(version)
    except PdfUnavailableError as error:
        # Downloads render on demand, as they would have without the queue.
        return {"version": version_id, "stored": 0, "unavailable": str(error)}
    return {"version": version_id, "stored": stored}
