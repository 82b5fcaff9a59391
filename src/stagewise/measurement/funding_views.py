"""An authority's additional funding beside the measures it was meant to change: its officers
read and record it; the national analyst reads every authority's in their nation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.form_errors import save_or_show_errors
from stagewise.measurement.dashboards import ROUNDING_NOTE, measures_for
from stagewise.measurement.funding import funding_list
from stagewise.measurement.funding_forms import FundingForm
from stagewise.measurement.models import FundingAllocation, ScopeLevel
from stagewise.measurement.scopes import Access, measures_access
from stagewise.measurement.services.funding import funding_record, funding_remove
from stagewise.policy import Capability, may


def _access(request: HttpRequest, key: str) -> Access:
    return measures_access(request.actor, ScopeLevel.AUTHORITY, key)  # type: ignore[attr-defined]


def _records(request: HttpRequest, access: Access) -> bool:
    """Whether the actor keeps this authority's funding record (its own officer)."""
    return may(request.actor, Capability.RECORD_FUNDING) and not access.suppressed  # type: ignore[attr-defined]


@login_required
def funding_view(request: HttpRequest, key: str) -> HttpResponse:
    access = _access(request, key)
    records = _records(request, access)
    measures = measures_for(access.scope)
    form = FundingForm(measures=measures) if records else None
    if request.method == "POST":
        if not records:
            raise Http404
        form = FundingForm(request.POST, measures=measures)
        if form.is_valid() and save_or_show_errors(
            form,
            lambda: funding_record(
                actor=request.actor,  # type: ignore[attr-defined]
                authority=access.scope.authority,  # type: ignore[arg-type]
                **{name: form.cleaned_data[name] for name in FundingForm.Meta.fields},
            ),
        ):
            messages.success(request, _("The funding has been recorded."))
            return redirect("dashboards:funding", key=key)
    audit_record(
        actor=request.actor,  # type: ignore[attr-defined]
        action=AuditAction.VIEW,
        object_type="funding_allocations",
        object_id=access.scope.key,
        purpose="additional funding beside the measures it was meant to change",
    )
    return render(
        request,
        "measurement/funding.html",
        {
            "access": access,
            "lines": funding_list(access=access),
            "form": form,
            "records": records,
            "rounding_note": ROUNDING_NOTE,
        },
    )


@login_required
@require_POST
def funding_remove_view(request: HttpRequest, key: str, allocation_id: str) -> HttpResponse:
    access = _access(request, key)
    if not _records(request, access):
        raise Http404
    allocation = get_object_or_404(
        FundingAllocation, public_id=allocation_id, authority=access.scope.authority
    )
    funding_remove(actor=request.actor, allocation=allocation)  # type: ignore[attr-defined]
    messages.success(request, _("The funding has been removed."))
    return redirect("dashboards:funding", key=key)
