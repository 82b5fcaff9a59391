"""The roll import's pages (ADR 0052): upload and check a file; read what it would do, by line,
and confirm it with the leavers to end; follow its progress; add a column mapping."""

from collections.abc import Callable
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.form_errors import refusal_on_form
from stagewise.policy import Capability, require
from stagewise.roll_imports.forms import (
    CHANGE_LABELS,
    FIELD_LABELS,
    ColumnMappingForm,
    ReinstateMappingForm,
    RetireMappingForm,
    RollImportForm,
    StartForm,
)
from stagewise.roll_imports.models import ColumnMapping, RollImportStatus
from stagewise.roll_imports.selectors import leaver_names, roll_import_get
from stagewise.roll_imports.services import (
    column_mapping_change,
    column_mapping_create,
    column_mapping_reinstate,
    column_mapping_retire,
    roll_import_check,
    roll_import_start,
)

LINES_PER_PAGE = 100


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    require(actor, Capability.ENROL_LEARNERS)
    form = RollImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            roll_import = roll_import_check(
                actor=actor,
                mapping=form.cleaned_data["mapping"],
                file_name=upload_file.name,
                content=upload_file.read(),
            )
        except ValidationError as error:  # the mapping retired since the form was read
            refusal_on_form(form, error)
        else:
            return redirect("roll_imports:detail", import_id=roll_import.public_id)
    return render(
        request,
        "roll_imports/upload.html",
        {
            "form": form,
            "mappings": [
                (
                    mapping,
                    [
                        (column, FIELD_LABELS.get(field, field))
                        for field, column in mapping.columns.items()
                    ],
                )
                for mapping in ColumnMapping.objects.filter(retired_at__isnull=True)
            ],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, import_id: UUID) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    roll_import = roll_import_get(actor, import_id)
    leavers = leaver_names(actor, roll_import)
    form = StartForm(
        request.POST or None,
        leavers=[
            (pk, f"{learner.display_name} ({learner.candidate_number})")
            for pk, learner in leavers.items()
        ],
    )
    if request.method == "POST" and form.is_valid():
        try:
            roll_import_start(
                actor=actor,
                roll_import=roll_import,
                leavers_to_end=form.cleaned_data["leavers"],
                leavers_end_on=form.cleaned_data["leavers_end_on"],
            )
        except ValidationError as error:
            refusal_on_form(form, error)
        else:
            return redirect("roll_imports:detail", import_id=roll_import.public_id)
    lines = Paginator(roll_import.report.get("lines", []), LINES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    for line in lines:
        line["change_labels"] = [str(CHANGE_LABELS.get(name, name)) for name in line["changes"]]
    shown = [line["learner"] for line in lines if line["learner"]]
    shown += [learner.pk for learner in leavers.values()]
    if shown:
        audit_record(
            actor=actor,
            action=AuditAction.VIEW,
            object_type="roll_import",
            object_id=str(roll_import.public_id),
            purpose="read roll import",
            learners_shown=shown,
        )
    template = "roll_imports/detail.html"
    if request.htmx:  # type: ignore[attr-defined]
        template += "#progress"
    return render(
        request,
        template,
        {
            "roll_import": roll_import,
            "statuses": RollImportStatus,
            "counts": roll_import.report.get("counts", {}),
            "lines": lines,
            "leavers": leavers,
            "form": form,
            "may_start": roll_import.status in (RollImportStatus.CHECKED, RollImportStatus.FAILED),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def mapping_add(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    require(actor, Capability.ADMINISTER_ORGANISATIONS)
    form = ColumnMappingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            column_mapping_create(
                actor=actor,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                columns=form.columns(),
                date_order=form.cleaned_data["date_order"],
            )
        except ValidationError as error:
            refusal_on_form(form, error)
        else:
            return redirect("roll_imports:mapping_add_done")
    return render(
        request,
        "roll_imports/mapping_add.html",
        {"form": form, "mappings": ColumnMapping.objects.all()},
    )


@login_required
def mapping_add_done(request: HttpRequest) -> HttpResponse:
    require(request.actor, Capability.ADMINISTER_ORGANISATIONS)  # type: ignore[attr-defined]
    return render(
        request,
        "roll_imports/mapping_add.html",
        {"form": ColumnMappingForm(), "mappings": ColumnMapping.objects.all(), "added": True},
    )


@login_required
@require_http_methods(["GET", "POST"])
def mapping_change(request: HttpRequest, mapping_id: int) -> HttpResponse:
    """An administrator corrects a mapping; a retired one is shown, not changed."""
    actor = request.actor  # type: ignore[attr-defined]
    require(actor, Capability.ADMINISTER_ORGANISATIONS)
    mapping = get_object_or_404(ColumnMapping, pk=mapping_id)
    form = ColumnMappingForm(
        request.POST if mapping.retired_at is None else None,
        initial=ColumnMappingForm.initial_from(mapping),
    )
    if request.method == "POST" and form.is_bound and form.is_valid():
        try:
            column_mapping_change(
                actor=actor,
                mapping=mapping,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                columns=form.columns(),
                date_order=form.cleaned_data["date_order"],
            )
        except ValidationError as error:
            refusal_on_form(form, error)
        else:
            return redirect(f"{request.path}?changed=1")
    return render(
        request,
        "roll_imports/mapping_change.html",
        {
            "form": form,
            "mapping": mapping,
            "imports": mapping.imports.count(),
            "changed": request.GET.get("changed") == "1",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def mapping_retire(request: HttpRequest, mapping_id: int) -> HttpResponse:
    return _mapping_confirmed(
        request, mapping_id, RetireMappingForm, column_mapping_retire, "mapping_retire.html"
    )


@login_required
@require_http_methods(["GET", "POST"])
def mapping_reinstate(request: HttpRequest, mapping_id: int) -> HttpResponse:
    """An administrator brings a retired mapping back, after a confirmation."""
    return _mapping_confirmed(
        request,
        mapping_id,
        ReinstateMappingForm,
        column_mapping_reinstate,
        "mapping_reinstate.html",
    )


def _mapping_confirmed(
    request: HttpRequest,
    mapping_id: int,
    form_class: type[RetireMappingForm] | type[ReinstateMappingForm],
    service: Callable[..., ColumnMapping],
    template: str,
) -> HttpResponse:
    """A page asking an administrator to confirm a change to a mapping, then making it."""
    actor = request.actor  # type: ignore[attr-defined]
    require(actor, Capability.ADMINISTER_ORGANISATIONS)
    mapping = get_object_or_404(ColumnMapping, pk=mapping_id)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=actor, mapping=mapping)
        except ValidationError as error:
            refusal_on_form(form, error)
        else:
            return redirect("roll_imports:mapping_change", mapping_id=mapping.pk)
    return render(request, f"roll_imports/{template}", {"form": form, "mapping": mapping})
