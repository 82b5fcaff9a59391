"""The data protection officer's pages: find a learner, export everything held about them (a
ZIP of JSON files and a readable PDF), and read the retention report. Thin: who may do what is
in learners/access.py and the services."""

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.data_protection.forms import (
    ErasureConfirmForm,
    LearnerSearchForm,
    RecordsErasureConfirmForm,
)
from stagewise.data_protection.registry import NOT_EXPORTED, RECORD_TYPES_BY_LABEL
from stagewise.data_protection.selectors import retention_report_get, subject_access_search
from stagewise.data_protection.services import (
    Erased,
    accounts_to_close,
    accounts_to_close_with_records,
    erasure_counts,
    learner_erase,
    records_due,
    records_erase,
    subject_access_export,
)
from stagewise.form_errors import posted, save_or_show_errors
from stagewise.keyset import query_without_cursor
from stagewise.learners.access import (
    ERASURE_PURPOSE,
    SUBJECT_ACCESS_PURPOSE,
    learner_for_erasure,
    learner_for_subject_access,
    record_look,
)
from stagewise.printing import (
    PdfUnavailableError,
    pdf_unavailable_reason,
    print_stylesheet,
    render_pdf,
)


@login_required
def subject_access_find_view(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    form = LearnerSearchForm(request.GET or None)
    learners = []
    if form.is_valid():
        learners = subject_access_search(actor=actor, words=form.cleaned_data["words"])
    else:
        subject_access_search(actor=actor, words="")  # the capability check alone
    if learners:
        audit_record(
            actor=actor,
            action=AuditAction.LIST,
            object_type="learner",
            purpose=SUBJECT_ACCESS_PURPOSE,
            learners_shown=[learner.pk for learner in learners],
        )
    return render(
        request,
        "data_protection/find.html",
        {"form": form, "learners": learners, "searched": form.is_bound and form.is_valid()},
    )


@login_required
def subject_access_view(request: HttpRequest, learner_id: str) -> HttpResponse:
    """What an export holds, by record type, and the two ways to download it."""
    actor = request.actor  # type: ignore[attr-defined]
    learner = learner_for_subject_access(actor, learner_id)
    bundle = subject_access_export(actor=actor, learner=learner, file_format="summary")
    return render(
        request,
        "data_protection/subject_access.html",
        {
            "learner": learner,
            "bundle": bundle,
            "not_exported": NOT_EXPORTED,
            "pdf_unavailable": pdf_unavailable_reason(),
        },
    )


@login_required
def subject_access_download_view(request: HttpRequest, learner_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    learner = learner_for_subject_access(actor, learner_id)
    bundle = subject_access_export(actor=actor, learner=learner, file_format="zip")
    response = HttpResponse(bundle.zip_bytes(), content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="subject-access-{learner.public_id}.zip"'
    )
    return response


@login_required
def subject_access_pdf_view(request: HttpRequest, learner_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    language = request.GET.get("language", translation.get_language() or "en")
    if language not in ("en", "cy"):
        language = "en"
    learner = learner_for_subject_access(actor, learner_id)
    if (reason := pdf_unavailable_reason()) is not None:
        return _pdf_unavailable(request, learner, reason)
    bundle = subject_access_export(actor=actor, learner=learner, file_format=f"pdf-{language}")
    with translation.override(language):
        title = _("Everything held about %(learner)s") % {"learner": learner.display_name}
        html = render_to_string(
            "data_protection/subject_access_pdf.html",
            {
                "language": language,
                "title": title,
                "bundle": bundle,
                "learner": learner,
                "not_exported": NOT_EXPORTED,
                "print_css": print_stylesheet(),
            },
            request=request,
        )
    try:
        pdf = render_pdf(html=html, base_url=request.build_absolute_uri("/"), title=title)
    except PdfUnavailableError as error:
        return _pdf_unavailable(request, learner, str(error))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="subject-access-{learner.public_id}-{language}.pdf"'
    )
    return response


def _pdf_unavailable(request: HttpRequest, learner: object, reason: str) -> HttpResponse:
    return render(
        request,
        "data_protection/pdf_unavailable.html",
        {"learner": learner, "reason": reason},
        status=503,
    )


@login_required
def retention_review_view(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    report = retention_report_get(actor=actor, cursor=request.GET.get("cursor"))
    learners = [row.learner for row in report.page.object_list]
    if learners:
        audit_record(
            actor=actor,
            action=AuditAction.LIST,
            object_type="learner",
            purpose="retention review",
            learners_shown=[learner.pk for learner in learners],
        )
    return render(
        request,
        "data_protection/retention.html",
        {
            "report": report,
            "page": report.page,
            "query_without_page": query_without_cursor(request.GET),
        },
    )


def _accounts_closed(result: object) -> str:
    """What the officer is told of the family sign-in accounts an erasure closed, if any."""
    closed = cast(Erased, result).accounts_closed
    if not closed:
        return ""
    return " " + ngettext(
        "%(count)s family sign-in account was closed.",
        "%(count)s family sign-in accounts were closed.",
        closed,
    ) % {"count": closed}


@login_required
def learner_erase_view(request: HttpRequest, learner_id: str) -> HttpResponse:
    """What erasing a learner the review found due would delete, and the officer's confirmation;
    404 for anyone else and for a learner not due (learners/access.learner_for_erasure)."""
    actor = request.actor  # type: ignore[attr-defined]
    learner, due = learner_for_erasure(actor, learner_id)
    form = ErasureConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        name = learner.display_name
        result = save_or_show_errors(
            form, lambda: learner_erase(actor=actor, learner=learner, confirmed=True)
        )
        if result is not None:
            erased = _("The record of %(name)s has been erased: %(count)s records.") % {
                "name": name,
                "count": result.total,  # type: ignore[attr-defined]
            }
            messages.success(request, erased + _accounts_closed(result))
            return redirect("data_protection:retention")
    record_look(actor=actor, learner=learner, purpose=ERASURE_PURPOSE)
    return render(
        request,
        "data_protection/erase.html",
        {
            "learner": learner,
            "due": due,
            "counts": erasure_counts(learner),
            "accounts_to_close": accounts_to_close(learner),
            "form": form,
        },
    )


@login_required
def records_erase_view(request: HttpRequest, learner_id: str, record_type: str) -> HttpResponse:
    """A learner's records of one type found past their own retention period, and the officer's
    confirmation to erase them alone; 404 for anyone else, for records not due, and for the
    access trail (learners/access.learner_for_erasure)."""
    actor = request.actor  # type: ignore[attr-defined]
    learner, due = learner_for_erasure(actor, learner_id, record_type)
    form = RecordsErasureConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        result = save_or_show_errors(
            form,
            lambda: records_erase(
                actor=actor, learner=learner, record_type=record_type, confirmed=True
            ),
        )
        if result is not None:
            erased = _("%(records)s of %(name)s have been erased: %(count)s records.") % {
                "records": result.title,  # type: ignore[attr-defined]
                "name": learner.display_name,
                "count": result.total,  # type: ignore[attr-defined]
            }
            messages.success(request, erased + _accounts_closed(result))
            return redirect("data_protection:retention")
    record_look(actor=actor, learner=learner, purpose=ERASURE_PURPOSE)
    kind = RECORD_TYPES_BY_LABEL[record_type]
    return render(
        request,
        "data_protection/erase_records.html",
        {
            "learner": learner,
            "due": due,
            "title": kind.title,
            "records": records_due(learner, due).count(),
            "accounts_to_close": accounts_to_close_with_records(learner, due),
            "form": form,
        },
    )
