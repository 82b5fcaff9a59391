"""The two kinds of page the configuration admin site has; every registration uses one of them.

- `RuleTableAdmin`: a rule table (code lists, stage models, plan types). Every row added, changed or
  removed through it, including rows of its inlines and rows removed with it, is an audit event
  with the values before and after, and a version in the table's history (django-simple-history).
- `ReadOnlyAdmin`: a model that decides who may see or do what (memberships, settings, agencies,
  accounts). Shown, never changed: those changes go through the services behind Stagewise's own
  administration pages, which check them (overlaps, the last administrator) and audit them.

Audit events and learner data are not registered at all (see ADR 0002 and ADR 0008).
"""

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models, router, transaction
from django.db.models.deletion import Collector
from django.forms import BaseModelForm
from django.forms.models import BaseModelFormSet
from django.http import HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin

from stagewise.accounts.models import User
from stagewise.audit.configuration import RowState, configuration_change_record, row_state


class RuleTableAdmin(SimpleHistoryAdmin):
    """Audits every change made through it; see the module docstring."""

    def save_model(
        self, request: HttpRequest, obj: models.Model, form: BaseModelForm, change: bool
    ) -> None:
        before = _stored_state(obj) if change else None
        super().save_model(request, obj, form, change)
        configuration_change_record(user=_person(request), before=before, after=row_state(obj))

    def save_formset(
        self, request: HttpRequest, form: BaseModelForm, formset: BaseModelFormSet, change: bool
    ) -> None:
        # The formset's instances already hold the submitted values: "before" is the database.
        existing = [inline_form.instance for inline_form in formset.initial_forms]
        model: type[models.Model] = formset.model  # type: ignore[assignment]
        stored = model._base_manager.select_for_update().in_bulk(
            [instance.pk for instance in existing]
        )
        # A row someone else removed meanwhile has no "before": saving it again creates it.
        before = {
            id(instance): row_state(stored[instance.pk])
            for instance in existing
            if instance.pk in stored
        }
        super().save_formset(request, form, formset, change)
        parent = row_state(form.instance)
        for added in formset.new_objects:
            configuration_change_record(
                user=_person(request),
                before=None,
                after=row_state(added),
                within=parent,
            )
        for changed, _fields in formset.changed_objects:
            configuration_change_record(
                user=_person(request),
                before=before.get(id(changed)),
                after=row_state(changed),
                within=parent,
            )
        for removed in formset.deleted_objects:
            if id(removed) in before:
                configuration_change_record(
                    user=_person(request), before=before[id(removed)], after=None, within=parent
                )

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        removed = [row_state(row) for row in _rows_removed_with(obj)]
        super().delete_model(request, obj)
        for state in removed:
            configuration_change_record(user=_person(request), before=state, after=None)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        # One row at a time, so each removal is audited like a removal from its own page; all of
        # them or none.
        with transaction.atomic(using=router.db_for_write(self.model)):
            for obj in queryset:
                self.delete_model(request, obj)

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        # django-simple-history lets anyone who may view a row post a revert of it: only someone
        # who may change the row may revert it.
        if request.method == "POST" and not self.has_change_permission(request):
            raise PermissionDenied
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyAdmin(admin.ModelAdmin):
    """A model that decides access: shown to staff with the view permission, never changed here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _person(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User), "the admin site lets in only signed-in staff"
    return user


def _stored_state(obj: models.Model) -> RowState:
    return row_state(type(obj)._base_manager.select_for_update().get(pk=obj.pk))


def _rows_removed_with(obj: models.Model) -> list[models.Model]:
    """The row and every row its removal cascades to, as the admin's confirmation page lists."""
    collector = Collector(using=router.db_for_write(type(obj)), origin=obj)
    collector.collect([obj])
    rows = [row for instances in collector.data.values() for row in instances]
    rows.extend(row for queryset in collector.fast_deletes for row in queryset)
    # The row itself first, then what went with it.
    return sorted(rows, key=lambda row: row is not obj)
