"""The annual report of successes and achievements: a page, and the same as a tagged PDF, for an
authority (its officers; the national analyst) and for a nation (the analyst)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.measurement.annual_report import REPORT_LEVELS, annual_report_get
from stagewise.measurement.dashboard_forms import ReportYearForm
from stagewise.measurement.dashboards import ROUNDING_NOTE, school_years_in
from stagewise.measurement.scopes import measures_access
from stagewise.printing import report_pdf_response


@login_required
def annual_report_view(request: HttpRequest, level: str, key: str) -> HttpResponse:
    if level not in REPORT_LEVELS:
        raise Http404
    access = measures_access(request.actor, level, key)  # type: ignore[attr-defined]
    school_years = school_years_in(access.scope)
    form = ReportYearForm(request.GET, school_years=school_years)
    report = None
    if form.is_valid():
        report = annual_report_get(access=access, school_year=form.cleaned_data.get("year"))
        audit_record(
            actor=request.actor,  # type: ignore[attr-defined]
            action=AuditAction.EXPORT if request.GET.get("format") == "pdf" else AuditAction.VIEW,
            object_type="annual_report",
            object_id=access.scope.key,
            purpose="annual report of successes and achievements",
            detail={"school_year": report.school_year},
        )
    context = {
        "access": access,
        "form": form,
        "report": report,
        "rounding_note": ROUNDING_NOTE,
    }
    if request.GET.get("format") == "pdf" and report is not None and report.school_year:
        return _pdf(request, context)
    return render(request, "measurement/annual_report/page.html", context)


def _pdf(request: HttpRequest, context: dict) -> HttpResponse:
    language = translation.get_language() or "en"
    report = context["report"]
    title = _("Additional support for learning: annual report %(year)s, %(name)s") % {
        "year": report.school_year_label,
        "name": report.access.scope.name,
    }
    return report_pdf_response(
        request,
        pdf_template="measurement/annual_report/pdf.html",
        page_template="measurement/annual_report/page.html",
        context=context,
        title=title,
        file_name=(
            f"annual-report-{report.access.scope.address_key}-{report.school_year}-{language}.pdf"
        ),
    )
