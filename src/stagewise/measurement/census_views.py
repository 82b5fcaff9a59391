"""The census return page and its CSV: thin. Who makes which return comes from census.py's
census_scope (404 for anyone else), the rows and their problems from census_return_get."""

import csv
from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.fields import DateInputField, school_choice_field
from stagewise.learners.models import Learner
from stagewise.measurement.census import (
    CensusReturn,
    CensusScope,
    census_csv_rows,
    census_return_get,
    census_scope,
    default_census_day,
)
from stagewise.organisations.models import Setting

PURPOSE = "census return of additional support needs"


class CensusReturnForm(forms.Form):
    """Read from the address (GET): the census day `on` and, for an authority, `school`."""

    def __init__(self, *args: Any, schools: tuple[Setting, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"] = DateInputField(
            label=_("Census day"),
            help_text=_("For example, 16 9 2026"),
            required=False,
        )
        if schools:
            self.fields["school"] = school_choice_field(schools)


def _census_return(
    request: HttpRequest,
) -> tuple[CensusScope, CensusReturnForm, CensusReturn | None]:
    actor = request.actor  # type: ignore[attr-defined]
    scope = census_scope(actor)
    form = CensusReturnForm(request.GET or None, schools=scope.schools)
    if form.is_bound and not form.is_valid():
        return scope, form, None
    cleaned = form.cleaned_data if form.is_bound else {}
    scope = scope.narrowed_to(cleaned.get("school"))
    census_day: date = cleaned.get("on") or default_census_day(scope, timezone.localdate())
    return scope, form, census_return_get(actor=actor, scope=scope, census_day=census_day)


@login_required
def census_return_view(request: HttpRequest) -> HttpResponse:
    scope, form, census_return = _census_return(request)
    if census_return is not None:
        _audit(request, AuditAction.VIEW, census_return)
    query = request.GET.urlencode()
    return render(
        request,
        "measurement/census/return.html",
        {
            "scope": scope,
            "form": form,
            "census_return": census_return,
            "download_url": reverse("census:download") + (f"?{query}" if query else ""),
        },
    )


@login_required
def census_download_view(request: HttpRequest) -> HttpResponse:
    """The return as CSV, only once it passes its validation; otherwise back to the page that
    lists what to put right. Every learner in it is recorded as exported."""
    scope, _form, census_return = _census_return(request)
    if census_return is None or not census_return.ready:
        query = request.GET.urlencode()
        return redirect(reverse("census:return") + (f"?{query}" if query else ""))
    with transaction.atomic():
        _audit(request, AuditAction.EXPORT, census_return)
        for row in census_return.rows:
            _audit(request, AuditAction.EXPORT, census_return, learner=row.learner)
    header, lines = census_csv_rows(census_return)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"census-{scope.key.replace(':', '-')}-{census_return.census_day.isoformat()}"
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(lines)
    return response


def _audit(
    request: HttpRequest,
    action: str,
    census_return: CensusReturn,
    learner: Learner | None = None,
) -> None:
    """The return as a whole (its day and size), or one learner exported in it."""
    audit_record(
        actor=request.actor,  # type: ignore[attr-defined]
        action=action,
        learner=learner,
        object_type="census_return",
        object_id=census_return.scope.key,
        purpose=PURPOSE,
        detail=None
        if learner
        else {
            "census_day": census_return.census_day.isoformat(),
            "learners": len(census_return.rows),
            "problems": len(census_return.problems),
        },
    )
