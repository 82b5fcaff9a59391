"""The authority officer's list of departures from the suggestion (measurement/departure_list.py):
thin. Anyone else is told the page does not exist; every page shown is audited with the
learners it names."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.keyset import query_without_cursor
from stagewise.measurement.consistency import refreshed
from stagewise.measurement.departure_list import departure_list, departure_list_authority
from stagewise.measurement.periods import school_year_label, school_year_of

STAGE_CURSOR = "stage_cursor"
PLAN_CURSOR = "plan_cursor"


def _year_asked(request: HttpRequest) -> int:
    """The school year asked for if it is one with figures, else the latest with figures (the
    report links here with its year), else the current one."""
    school_years = refreshed().school_years
    asked = request.GET.get("year", "")
    if asked.isdigit() and int(asked) in school_years:
        return int(asked)
    return school_years[-1] if school_years else school_year_of(timezone.localdate())


@login_required
def departure_list_view(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    authority = departure_list_authority(actor)
    year = _year_asked(request)
    departures = departure_list(
        actor=actor,
        school_year=year,
        stage_cursor=request.GET.get(STAGE_CURSOR),
        plan_cursor=request.GET.get(PLAN_CURSOR),
    )
    audit_record(
        actor=actor,
        action=AuditAction.LIST,
        object_type="departure_list",
        object_id=f"authority:{authority.pk}",
        purpose="read departures from the suggestion and their reasons",
        detail={"school_year": year},
        learners_shown=[
            row.learner_id
            for page in (departures.stage_decisions, departures.plans)
            for row in page.object_list
        ],
    )
    return render(
        request,
        "measurement/consistency/departure_list.html",
        {
            "departures": departures,
            "year_label": school_year_label(year),
            "stage_query": query_without_cursor(request.GET, STAGE_CURSOR),
            "plan_query": query_without_cursor(request.GET, PLAN_CURSOR),
        },
    )
