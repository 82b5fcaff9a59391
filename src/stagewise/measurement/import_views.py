"""The outcome import page: check a CSV file of outcome records, then import it (ADR 0023)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from stagewise.measurement.codes import CURRICULUM
from stagewise.measurement.import_forms import OutcomeImportForm
from stagewise.measurement.import_layouts import LAYOUTS
from stagewise.measurement.imports import outcome_import
from stagewise.organisations.models import Nation
from stagewise.policy import Capability, require


@login_required
@require_http_methods(["GET", "POST"])
def outcome_import_view(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    require(actor, Capability.RECORD_OUTCOMES)
    form = OutcomeImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = outcome_import(
            actor=actor,
            kind=form.cleaned_data["kind"],
            file=form.cleaned_data["file"],
            dry_run=request.POST.get("action") != "import",
        )
    return render(
        request,
        "measurement/outcome_import.html",
        {
            "form": form,
            "result": result,
            "layouts": LAYOUTS.values(),
            "curriculum": [
                (nation, CURRICULUM[nation.code])
                for nation in Nation.objects.filter(code__in=CURRICULUM)
            ],
        },
    )
