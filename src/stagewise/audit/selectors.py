from django.db.models import QuerySet

from stagewise.audit.models import AuditEvent, learner_audit_key
from stagewise.keyset import KeysetOrder
from stagewise.learners.models import Learner

ACCESS_HISTORY_PAGE_SIZE = 50
# Newest first, paged from the index on (learner_key, occurred_at) however long the history grows.
ACCESS_HISTORY_ORDER = KeysetOrder(keys=("occurred_at", "pk"), descending=True)


def access_history_list(*, learner: Learner) -> QuerySet[AuditEvent]:
    """Every event about one learner, newest first. Callers check the actor may see it."""
    return AuditEvent.objects.filter(learner_key__key=learner_audit_key(learner)).select_related(
        "user"
    )
