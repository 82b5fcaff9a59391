"""The measures dashboards: a school's, an authority's and a nation's, each with a page per
measure, and each as CSV of what the page shows. Thin: the scope and who may see it come from
scopes.py, the figures from dashboards.py (summary figures only), the chart from charts.py."""

import csv
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.measurement.charts import bar_chart
from stagewise.measurement.dashboard_forms import DashboardFilterForm, MeasureFilterForm
from stagewise.measurement.dashboards import (
    ROUNDING_NOTE,
    Dashboard,
    Pair,
    breakdown_choices,
    dashboard_get,
    figure_text,
    measures_for,
    school_years_in,
)
from stagewise.measurement.models import Measure
from stagewise.measurement.periods import school_year_label
from stagewise.measurement.scopes import Access, measures_access, own_measures_scope

TEMPLATES = "measurement/dashboards"


@login_required
def own_dashboard_view(request: HttpRequest) -> HttpResponse:
    own = own_measures_scope(request.actor)  # type: ignore[attr-defined]
    if own is None:
        raise Http404
    level, key = own
    return redirect("dashboards:dashboard", level=level, key=key)


def _filter_form(
    request: HttpRequest, access: Access, form_class: type[DashboardFilterForm]
) -> DashboardFilterForm:
    school_years = school_years_in(access.scope)
    return form_class(
        request.GET, school_years=school_years, groups=breakdown_choices(access.scope)
    )


def dashboard_context(request: HttpRequest, access: Access) -> dict[str, Any]:
    """The overview's figures and form, also shown on the national analyst's home page."""
    form = _filter_form(request, access, DashboardFilterForm)
    dashboard = None
    if form.is_valid():
        dashboard = _dashboard_seen(request, access, form)
    return {
        "access": access,
        "form": form,
        "dashboard": dashboard,
        "rounding_note": ROUNDING_NOTE,
        "charts": _charts(dashboard, "trend") if dashboard else {},
        "csv_path": reverse(
            "dashboards:dashboard", args=[access.scope.level, access.scope.address_key]
        ),
    }


def _dashboard_seen(
    request: HttpRequest,
    access: Access,
    form: DashboardFilterForm,
    measure: Measure | None = None,
) -> Dashboard:
    """The figures the valid choices ask for, and the audit's record that they were seen."""
    breakdown, value = form.group()
    dashboard = dashboard_get(
        access=access,
        school_year=form.cleaned_data.get("year"),
        breakdown=breakdown,
        breakdown_value=value,
        measure=measure,
        by=form.cleaned_data.get("by") or "",
    )
    audit_record(
        actor=request.actor,  # type: ignore[attr-defined]
        action=AuditAction.VIEW,
        object_type="measures_dashboard",
        object_id=access.scope.key + (f":{measure.code}" if measure else ""),
        purpose="measures of inclusion",
        detail={"school_year": dashboard.school_year, "learners": f"{breakdown}:{value}"},
    )
    return dashboard


def _charts(dashboard: Dashboard, kind: str) -> dict[str, Any]:
    charts = {}
    for principle in dashboard.principles:
        for figures in principle.measures:
            measure = figures.measure
            rows: list[tuple[str, Pair]]
            if kind == "trend":
                rows = [(school_year_label(year), pair) for year, pair in figures.trend]
                title = _("%(measure)s by school year") % {"measure": measure.display_name}
            elif kind == "compared":
                rows = [(row.name, row.pair) for row in figures.compared]
                title = _("%(measure)s compared, %(year)s") % {
                    "measure": measure.display_name,
                    "year": dashboard.school_year_label,
                }
            else:
                rows = figures.by_value
                title = _("%(measure)s by value, %(year)s") % {
                    "measure": measure.display_name,
                    "year": dashboard.school_year_label,
                }
            if rows:
                charts[measure.code] = bar_chart(
                    title=title,
                    rows=rows,
                    unit=measure.unit,
                    higher_is_better=measure.higher_is_better,
                )
    return charts


@login_required
def dashboard_view(request: HttpRequest, level: str, key: str) -> HttpResponse:
    access = measures_access(request.actor, level, key)  # type: ignore[attr-defined]
    context = dashboard_context(request, access)
    if request.GET.get("format") == "csv" and context["dashboard"] is not None:
        return _csv(request, context["dashboard"], f"measures-{access.scope.address_key}")
    return render(request, f"{TEMPLATES}/dashboard.html", context)


@login_required
def measure_view(request: HttpRequest, level: str, key: str, code: str) -> HttpResponse:
    access = measures_access(request.actor, level, key)  # type: ignore[attr-defined]
    measure = next((m for m in measures_for(access.scope) if m.code == code), None)
    if measure is None:
        raise Http404
    form = _filter_form(request, access, MeasureFilterForm)
    dashboard = None
    charts: dict[str, Any] = {}
    if form.is_valid():
        dashboard = _dashboard_seen(request, access, form, measure)
        if request.GET.get("format") == "csv":
            return _csv(request, dashboard, f"measures-{access.scope.address_key}-{measure.code}")
        _link_compared(request, dashboard, measure)
        charts = {
            "trend": _charts(dashboard, "trend").get(measure.code),
            "compared": _charts(dashboard, "compared").get(measure.code),
            "by_value": _charts(dashboard, "by_value").get(measure.code),
        }
    figures = dashboard.principles[0].measures[0] if dashboard and dashboard.principles else None
    return render(
        request,
        f"{TEMPLATES}/measure.html",
        {
            "access": access,
            "measure": measure,
            "form": form,
            "dashboard": dashboard,
            "figures": figures,
            "charts": charts,
            "rounding_note": ROUNDING_NOTE,
            "csv_path": request.path,
        },
    )


KEY_PLACEHOLDER = "scope-key"


def _link_compared(request: HttpRequest, dashboard: Dashboard, measure: Measure) -> None:
    """Each compared scope's address for the same measure and choices: one reversal per page,
    not one per row (an authority compares hundreds of schools)."""
    query = request.GET.urlencode()
    addresses: dict[str, str] = {}
    for principle in dashboard.principles:
        for figures in principle.measures:
            for row in figures.compared:
                if row.level not in addresses:
                    addresses[row.level] = reverse(
                        "dashboards:measure", args=[row.level, KEY_PLACEHOLDER, measure.code]
                    )
                row.url = addresses[row.level].replace(KEY_PLACEHOLDER, row.key) + (
                    f"?{query}" if query else ""
                )


def _csv(request: HttpRequest, dashboard: Dashboard, filename: str) -> HttpResponse:
    """Every figure the page shows, one per line, with the reason where one is not shown."""
    audit_record(
        actor=request.actor,  # type: ignore[attr-defined]
        action=AuditAction.EXPORT,
        object_type="measures_dashboard",
        object_id=dashboard.access.scope.key,
        purpose="measures of inclusion (CSV)",
        detail={"school_year": dashboard.school_year},
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Measure"),
            _("Principle"),
            _("Area"),
            _("School year"),
            _("Learners"),
            _("With additional support needs"),
            _("Without additional support needs"),
            _("Gap"),
            _("Unit"),
        ]
    )
    scope_name = dashboard.access.scope.name
    for principle in dashboard.principles:
        for figures in principle.measures:
            measure: Measure = figures.measure
            lines: list[tuple[str, str, str, Pair]] = [
                (scope_name, school_year_label(year), dashboard.filter_label, pair)
                for year, pair in figures.trend
            ]
            lines += [
                (wider.name, dashboard.school_year_label, dashboard.filter_label, pair)
                for wider, pair in figures.wider
            ]
            lines += [
                (row.name, dashboard.school_year_label, dashboard.filter_label, row.pair)
                for row in figures.compared
            ]
            lines += [
                (scope_name, dashboard.school_year_label, label, pair)
                for label, pair in figures.by_value
            ]
            for area, year, learners, pair in lines:
                writer.writerow(
                    [
                        measure.display_name,
                        principle.label,
                        area,
                        year,
                        learners,
                        figure_text(pair.with_needs, measure.unit),
                        figure_text(pair.without_needs, measure.unit),
                        figure_text(pair.gap, measure.unit),
                        measure.get_unit_display(),
                    ]
                )
    return response
