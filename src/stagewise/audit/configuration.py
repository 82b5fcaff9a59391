"""Changes to configuration (rule tables) as audit events: one event for each row added, changed or
removed, with every field's value before and after.

The configuration admin site records through here (stagewise/audit/admin.py); anything else that
changes a rule table (a command, an import) should too, so the trail does not depend on the door.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils import translation

from stagewise.audit.models import AuditAction, AuditEvent
from stagewise.audit.services import audit_record, audit_value

if TYPE_CHECKING:
    from stagewise.accounts.models import User


@dataclass(frozen=True)
class RowState:
    """One configuration row as it stood at a moment: its values as the audit shows them."""

    model: type[models.Model]
    pk: Any
    label: str
    values: dict[str, Any]


def row_state(instance: models.Model) -> RowState:
    """The row's stored fields, related rows by name and dates as ISO text.

    Names are taken untranslated, so the trail reads the same whoever's language made the change.
    """
    values: dict[str, Any] = {}
    with translation.override(None):
        for field in instance._meta.concrete_fields:
            if field.primary_key:
                continue  # the event's record id
            if field.is_relation:
                related = getattr(instance, field.name)
                values[field.name] = None if related is None else str(related)
            else:
                values[field.name] = audit_value(field.value_from_object(instance))
        label = str(instance)
    return RowState(model=type(instance), pk=instance.pk, label=label, values=values)


def configuration_change_record(
    *,
    user: "User | None",
    before: RowState | None,
    after: RowState | None,
    within: RowState | None = None,
) -> AuditEvent | None:
    """Record that `user` (None: Stagewise itself, loading rules) added (no `before`), removed
    (no `after`) or changed a row.

    A change that leaves every value as it was records nothing. `within` names the row a change was
    made inside (a plan type for its sections), so the trail reads as the person saw it.
    """
    state = after or before
    if state is None:
        raise ValueError("A configuration change needs the row before or after it.")
    if before is None:
        action = AuditAction.CREATE
        changes = {field: [None, value] for field, value in state.values.items()}
    elif after is None:
        action = AuditAction.DELETE
        changes = {field: [value, None] for field, value in state.values.items()}
    else:
        action = AuditAction.UPDATE
        changes = {
            field: [before.values.get(field), value]
            for field, value in after.values.items()
            if before.values.get(field) != value
        }
        if not changes:
            return None
    opts = state.model._meta
    with translation.override("en"):
        purpose = f"{_VERBS[action]} {opts.verbose_name} (configuration)"
        within_label = f"{within.model._meta.verbose_name}: {within.label}" if within else None
    detail: dict[str, Any] = {"record": state.label}
    if within_label:
        detail["within"] = within_label
    return audit_record(
        actor=None,
        user=user,
        action=action,
        object_type=opts.model_name or "",
        object_id=str(state.pk),
        purpose=purpose,
        changes=changes,
        detail=detail,
    )


_VERBS = {AuditAction.CREATE: "add", AuditAction.UPDATE: "change", AuditAction.DELETE: "remove"}
