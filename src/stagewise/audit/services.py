"""The one way audit events are written."""

import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any

from stagewise.audit.context import RequestOrigin, current_origin
from stagewise.audit.models import AuditAction, AuditEvent, learner_audit_key

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor
    from stagewise.accounts.models import User
    from stagewise.learners.models import Learner
    from stagewise.policy import SystemProcess


def audit_record(
    *,
    actor: "Actor | SystemProcess | None",
    action: str,
    learner: "Learner | None" = None,
    object_type: str = "",
    object_id: str = "",
    purpose: str = "",
    changes: dict[str, Any] | None = None,
    detail: dict[str, Any] | None = None,
    user: "User | None" = None,
    learners_shown: Iterable[int] | None = None,
    learner_key: "uuid.UUID | None" = None,
) -> AuditEvent:
    """`actor` is who acted and in what role; `user` alone is a person acting in no role (the
    configuration admin site); neither is Stagewise itself. `learners_shown` are the ids of the
    learners a list page showed, stored compactly in `detail` (see `shown_learners`).

    An event about a learner names them by their audit key, and keeps which fields changed but
    not their values (`changes_named`): erasing the learner must leave nothing of theirs in the
    log (ADR 0033)."""
    origin = current_origin.get() or RequestOrigin()
    if learners_shown is not None:
        detail = {**(detail or {}), SHOWN: shown_learners_text(learners_shown)}
    event = audit_event_build(
        actor=actor,
        action=action,
        learner=learner,
        object_type=object_type,
        object_id=object_id,
        purpose=purpose,
        changes=changes,
        detail=detail,
        user=user,
        learner_key=learner_key,
    )
    if action == AuditAction.VIEW and origin.pending_views is not None:
        # Written by the audit middleware once the response shows the page was shown.
        origin.pending_views.append(event)
        return event
    if action == AuditAction.REFUSED and origin.pending_refusals is not None:
        origin.pending_refusals.append(event)
        return event
    event.save()
    return event


def audit_event_build(
    *,
    actor: "Actor | SystemProcess | None",
    action: str,
    learner: "Learner | None" = None,
    object_type: str = "",
    object_id: str = "",
    purpose: str = "",
    changes: dict[str, Any] | None = None,
    detail: dict[str, Any] | None = None,
    user: "User | None" = None,
    learner_key: "uuid.UUID | None" = None,
) -> AuditEvent:
    """The event `audit_record` writes, unsaved: for a bulk writer (a roll import) that saves
    one event per learner it changed in one statement."""
    origin = current_origin.get() or RequestOrigin()
    person = actor.user if actor else user
    return AuditEvent(
        user=person,
        user_label=f"{person.full_name} <{person.email}>" if person else "Stagewise (system)",
        role=actor.role if actor else "",
        organisation_label=actor.organisation_label if actor else "",
        action=action,
        learner_key_id=learner_audit_key(learner) if learner is not None else learner_key,
        object_type=object_type,
        object_id=object_id,
        purpose=purpose,
        path=origin.path,
        ip_address=origin.ip_address,
        changes=changes_named(changes) if learner is not None or learner_key else changes,
        detail=detail,
    )


@contextmanager
def audit_session(path: str = "", ip_address: str | None = None) -> Iterator[RequestOrigin]:
    """A unit of work (a request, a command, a task) whose refusals outlive any transaction a
    service rolls back, written when the work ends. Views are written too unless the caller
    marks them as not shown (`origin.pending_views.clear()`)."""
    origin = RequestOrigin(path=path, ip_address=ip_address, pending_views=[], pending_refusals=[])
    token = current_origin.set(origin)
    try:
        yield origin
    finally:
        current_origin.reset(token)
        audit_pending_write(origin, views=True)


def audit_pending_write(origin: RequestOrigin, *, views: bool) -> None:
    """Write the refusals a request collected, and its views if they took place; forget both.

    A view of a learner in a request that was refused something about that learner (a form
    that refused to close a plan) is not written: the refusal says what happened.
    """
    refusals = list(origin.pending_refusals or [])
    refused = {event.learner_key_id for event in refusals}
    shown = [
        event
        for event in (origin.pending_views or [])
        if views and event.learner_key_id not in refused
    ]
    events = refusals + shown
    if events:
        AuditEvent.objects.bulk_create(sorted(events, key=lambda event: event.occurred_at))
    for pending in (origin.pending_views, origin.pending_refusals):
        if pending is not None:
            pending.clear()


# What an event about a learner stores for each changed field instead of its values.
CHANGED = "changed"


def changes_named(changes: dict[str, Any] | None) -> dict[str, str] | None:
    """{field: "changed"} for each changed field: the values (a name, a need, a plan's words) are
    the learner's data, which their record holds and erasure removes; the log keeps only that
    the field changed. Not a digest: most values (a date, a code, a yes or no) are few enough to
    guess from their digest."""
    if changes is None:
        return None
    return dict.fromkeys(changes, CHANGED)


# The key of `detail` under which a list event names the learners it showed.
SHOWN = "learners"


def shown_learners_text(learner_ids: Iterable[int]) -> str:
    """The learners a page showed as their internal ids, sorted and comma-separated: about seven
    bytes a learner, where public ids in a JSON array took forty (ADR 0038). No names: the
    audit says who was shown, the learner's record says who they are."""
    return ",".join(str(learner_id) for learner_id in sorted(set(learner_ids)))


def shown_learners(event: AuditEvent) -> list[int]:
    """The ids of the learners a list event showed, sorted.

    Events recorded before ADR 0038 hold the learners' public ids in a JSON array instead; the log
    is append-only, so they are read as they are, each found by its public id (one query). A
    learner erased since is no longer found, as in the new layout their id leads nowhere."""
    shown = (event.detail or {}).get(SHOWN) or ""
    if isinstance(shown, list):
        from stagewise.learners.models import Learner  # learners imports these services

        public_ids = [public_id for public_id in shown if _is_uuid(public_id)]
        found = Learner.objects.filter(public_id__in=public_ids).values_list("pk", flat=True)
        return sorted(found)
    return [int(learner_id) for learner_id in shown.split(",") if learner_id]


def _is_uuid(text: object) -> bool:
    try:
        uuid.UUID(str(text))
    except ValueError:
        return False
    return True


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
