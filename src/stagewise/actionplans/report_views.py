"""The 18-month progress report's pages (ADR 0042). For policy officers: the reports, drafts
included; a new draft for a period and its publication (the national officer alone); each report
as a page, a tagged PDF and a CSV, a draft marked as a draft in all three. For everyone, signed in
or not (public_views.py): the published reports alone, in the same three forms.

A draft is worked out from the tracking each time it is read; a published report is read from
what was frozen when it was published."""

import csv
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from stagewise.actionplans.forms import ProgressReportForm
from stagewise.actionplans.models import ProgressReport
from stagewise.actionplans.progress_reports import readable
from stagewise.actionplans.selectors import (
    makes_progress_reports,
    progress_report_for_policy_officer,
    progress_reports_for_policy_officer,
)
from stagewise.actionplans.services import (
    progress_report_contents,
    progress_report_create,
    progress_report_delete,
    progress_report_publish,
)
from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.disclosure import DISCLOSURE_STATEMENT
from stagewise.form_errors import posted, refusal_on_form, save_or_show_errors
from stagewise.measurement.dashboards import ROUNDING_NOTE
from stagewise.printing import report_pdf_response

# A spreadsheet runs a cell beginning with one of these as a formula (CSV injection): such a
# cell is written with an apostrophe first, which spreadsheets show as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> str:
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def report_context(report: ProgressReport, *, public: bool) -> dict[str, Any]:
    return {
        "report": report,
        "contents": readable(progress_report_contents(report)),
        "public": public,
        "disclosure_statement": DISCLOSURE_STATEMENT,
        "rounding_note": ROUNDING_NOTE,
    }


def _file_name(report: ProgressReport, suffix: str) -> str:
    draft = "" if report.is_published else "-draft"
    language = translation.get_language() or "en"
    return f"progress-report-{report.pk}{draft}-{language}.{suffix}"


def report_pdf(request: HttpRequest, report: ProgressReport, *, public: bool) -> HttpResponse:
    title = report.title if report.is_published else _("Draft: %(title)s") % {"title": report.title}
    return report_pdf_response(
        request,
        pdf_template="actionplans/reports/pdf.html",
        page_template="actionplans/reports/report.html",
        context=report_context(report, public=public),
        title=title,
        file_name=_file_name(report, "pdf"),
    )


def report_csv(report: ProgressReport) -> HttpResponse:
    """One line per action: its statuses at both ends, what happened in between, its measures
    at both ends. Every line says whether the report is a draft."""
    contents = readable(progress_report_contents(report))
    state = _("Published") if report.is_published else _("Draft")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(report, "csv")}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Report"),
            _("State"),
            _("Plan"),
            _("Action"),
            _("Theme"),
            _("Timeframe"),
            _("Status at the start"),
            _("Status at the end"),
            _("Overdue at the end"),
            _("Progress updates in the period"),
            _("Status changes in the period"),
            _("Measures for learners with additional support needs (start; end)"),
        ]
    )
    for plan in contents["plans"]:
        for action in plan["actions"]:
            updates = "\n\n".join(
                f"{update['written_on'].isoformat()}: {update['text']}"
                for update in action["updates"]
            )
            changes = "\n".join(
                _("%(day)s: from %(before)s to %(after)s. Reason: %(reason)s")
                % {
                    "day": change["changed_on"].isoformat(),
                    "before": change["from_label"],
                    "after": change["to_label"],
                    "reason": change["reason"],
                }
                for change in action["status_changes"]
            )
            measures = "\n".join(
                f"{measure['display_name']}: {measure['at_start_text']}; {measure['at_end_text']}"
                for measure in action["measures"]
            )
            writer.writerow(
                spreadsheet_safe(cell)
                for cell in (
                    report.title,
                    state,
                    plan["title"],
                    action["number"],
                    action["theme"],
                    action["timeframe"],
                    action["status_at_start_label"],
                    action["status_at_end_label"],
                    _("Yes") if action["overdue_at_end"] else _("No"),
                    updates,
                    changes,
                    measures,
                )
            )
    return response


# The policy officer's pages ---------------------------------------------------------------------


def _audit_export(request: HttpRequest, report: ProgressReport, what: str) -> None:
    audit_record(
        actor=request.actor,  # type: ignore[attr-defined]
        action=AuditAction.EXPORT,
        object_type="action_plan_progress_report",
        object_id=str(report.pk),
        purpose=f"action plan progress report ({what})",
    )


@login_required
def reports_view(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    return render(
        request,
        "actionplans/reports/index.html",
        {
            "reports": progress_reports_for_policy_officer(actor),
            "makes_reports": makes_progress_reports(actor),
        },
    )


@login_required
def report_new_view(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    if not makes_progress_reports(actor):
        raise Http404
    form = ProgressReportForm(posted(request))
    if request.method == "POST" and form.is_valid():
        report = save_or_show_errors(
            form, lambda: progress_report_create(actor=actor, **form.cleaned_data)
        )
        if isinstance(report, ProgressReport):
            messages.success(request, _("The draft report has been made."))
            return redirect("action_plans:report", report_id=report.pk)
    return render(request, "actionplans/reports/new.html", {"form": form})


@login_required
def report_view(request: HttpRequest, report_id: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    report = progress_report_for_policy_officer(actor, report_id)
    return render(
        request,
        "actionplans/reports/report.html",
        {**report_context(report, public=False), "makes_reports": makes_progress_reports(actor)},
    )


@login_required
def report_pdf_view(request: HttpRequest, report_id: int) -> HttpResponse:
    report = progress_report_for_policy_officer(request.actor, report_id)  # type: ignore[attr-defined]
    _audit_export(request, report, "PDF")
    return report_pdf(request, report, public=False)


@login_required
def report_csv_view(request: HttpRequest, report_id: int) -> HttpResponse:
    report = progress_report_for_policy_officer(request.actor, report_id)  # type: ignore[attr-defined]
    _audit_export(request, report, "CSV")
    return report_csv(report)


def _draft_to_decide(request: HttpRequest, report_id: int) -> ProgressReport:
    """A draft the national officer may publish or delete; anything else is not there."""
    actor = request.actor  # type: ignore[attr-defined]
    report = progress_report_for_policy_officer(actor, report_id)
    if not makes_progress_reports(actor) or report.is_published:
        raise Http404
    return report


def _decide(request: HttpRequest, report_id: int, *, publishing: bool) -> HttpResponse:
    """Publish or delete a draft, after a confirmation step: neither can be undone."""
    report = _draft_to_decide(request, report_id)
    form = forms.Form(posted(request))
    if request.method == "POST":
        actor = request.actor  # type: ignore[attr-defined]
        try:
            if publishing:
                progress_report_publish(actor=actor, report=report)
            else:
                progress_report_delete(actor=actor, report=report)
        except ValidationError as error:
            refusal_on_form(form, error)
        else:
            if publishing:
                messages.success(request, _("The report has been published."))
                return redirect("action_plans:report", report_id=report.pk)
            messages.success(request, _("The draft report has been deleted."))
            return redirect("action_plans:reports")
    return render(
        request,
        "actionplans/reports/confirm.html",
        {"report": report, "form": form, "publishing": publishing},
    )


@login_required
def report_publish_view(request: HttpRequest, report_id: int) -> HttpResponse:
    return _decide(request, report_id, publishing=True)


@login_required
def report_delete_view(request: HttpRequest, report_id: int) -> HttpResponse:
    return _decide(request, report_id, publishing=False)
