"""The one way audit events are written."""

from datetime import date
from typing import TYPE_CHECKING, Any

from stagewise.audit.context import RequestOrigin, current_origin
from stagewise.audit.models import AuditEvent

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor
    from stagewise.accounts.models import User
    from stagewise.learners.models import Learner


def audit_record(
    *,
    actor: "Actor | None",
    action: str,
    learner: "Learner | None" = None,
    object_type: str = "",
    object_id: str = "",
    purpose: str = "",
    changes: dict[str, Any] | None = None,
    detail: dict[str, Any] | None = None,
    user: "User | None" = None,
) -> AuditEvent:
    """`actor` is who acted and in what role; `user` alone is a person acting in no role (the
    configuration admin site); neither is Stagewise itself."""
    origin = current_origin.get() or RequestOrigin()
    person = actor.user if actor else user
    return AuditEvent.objects.create(
        user=person,
        user_label=f"{person.full_name} <{person.email}>" if person else "Stagewise (system)",
        role=actor.role if actor else "",
        organisation_label=actor.organisation_label if actor else "",
        action=action,
        learner=learner,
        object_type=object_type,
        object_id=object_id,
        purpose=purpose,
        path=origin.path,
        ip_address=origin.ip_address,
        changes=changes,
        detail=detail,
    )


def audit_value(value: Any) -> Any:
    """A field value as it is stored in an event's changes: dates as ISO strings."""
    if isinstance(value, date):
        return value.isoformat()
    return value


def field_changes(instance: Any, data: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for each field of `data` whose value differs on `instance`."""
    return {
        field: [audit_value(getattr(instance, field)), audit_value(value)]
        for field, value in data.items()
        if getattr(instance, field) != value
    }
