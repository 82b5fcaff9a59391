from django.db.models import QuerySet

from stagewise.audit.models import AuditEvent
from stagewise.learners.models import Learner


def access_history_list(*, learner: Learner) -> QuerySet[AuditEvent]:
    """Every event about one learner, newest first. Callers check the actor may see it."""
    return AuditEvent.objects.filter(learner=learner).select_related("user")
