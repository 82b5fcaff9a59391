"""The measures pages: a service manager's for their service, an authority officer's for each of
its services, a national analyst's for each authority (with small counts withheld). Each reads
the period from the address and shows the form and its error instead of figures when the period
is not one of the choices."""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.coordination.measures import (
    DEFAULT_PERIOD,
    Period,
    authority_measures_get,
    measures_period,
    national_measures_get,
    service_measures_get,
)
from stagewise.coordination.measures_forms import MeasuresPeriodForm
from stagewise.policy import Capability, require

TEMPLATES = "coordination/measures"


def _measures_page(
    request: HttpRequest,
    *,
    capability: Capability,
    get: Callable[..., Any],
    template: str,
    purpose: str,
) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    require(actor, capability)
    today: date = timezone.localdate()
    form = MeasuresPeriodForm(request.GET if "period" in request.GET else None)
    measures = None
    if not form.is_bound or form.is_valid():
        choice = form.cleaned_data["period"] if form.is_bound else DEFAULT_PERIOD
        period: Period = measures_period(choice, today=today)
        measures = get(actor=actor, period=period, today=today)
        audit_record(
            actor=actor,
            action=AuditAction.VIEW,
            object_type="request_measures",
            object_id=period.choice,
            purpose=purpose,
        )
    return render(
        request,
        f"{TEMPLATES}/{template}",
        {"form": form, "measures": measures, "today": today},
    )


@login_required
def service_measures_view(request: HttpRequest) -> HttpResponse:
    return _measures_page(
        request,
        capability=Capability.VIEW_REQUEST_MEASURES,
        get=service_measures_get,
        template="service.html",
        purpose="service measures",
    )


@login_required
def authority_measures_view(request: HttpRequest) -> HttpResponse:
    return _measures_page(
        request,
        capability=Capability.VIEW_REQUEST_MEASURES,
        get=authority_measures_get,
        template="authority.html",
        purpose="authority measures of requests for assistance",
    )


@login_required
def national_measures_view(request: HttpRequest) -> HttpResponse:
    return _measures_page(
        request,
        capability=Capability.VIEW_NATIONAL_FIGURES,
        get=national_measures_get,
        template="national.html",
        purpose="national measures of requests for assistance",
    )
