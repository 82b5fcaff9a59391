"""Reading audit events in tests: events name a learner by their audit key (ADR 0033)."""

from stagewise.audit.models import AuditEvent, LearnerAuditKey
from stagewise.learners.models import Learner


def learner_of(event: AuditEvent) -> Learner | None:
    """The learner the event is about, while their key still leads to them (one query)."""
    if event.learner_key_id is None:
        return None
    key = LearnerAuditKey.objects.filter(key=event.learner_key_id).select_related("learner")
    found = key.first()
    return found.learner if found is not None else None
