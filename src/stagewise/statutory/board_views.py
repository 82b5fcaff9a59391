"""The deadline board page: counts of a school's or an authority's statutory clocks."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.policy import Capability, require
from stagewise.statutory.board_forms import DeadlineBoardForm
from stagewise.statutory.deadline_board import (
    academic_year_start,
    board_schools,
    deadline_board_get,
)


@login_required
def deadline_board_view(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    require(actor, Capability.VIEW_DEADLINE_BOARD)
    today = timezone.localdate()
    schools = board_schools(actor)
    form = DeadlineBoardForm(request.GET or None, schools=schools, today=today)
    period_from, period_to, school = academic_year_start(today), today, None
    board = None
    # With a choice to put right, the page shows the form and its errors, not figures for a
    # period nobody asked for.
    if not form.is_bound or form.is_valid():
        if form.is_bound:
            period_from = form.cleaned_data.get("from") or period_from
            period_to = form.cleaned_data.get("to") or period_to
            school_id = form.cleaned_data.get("school")
            school = next((s for s in schools if s.pk == school_id), None)
        board = deadline_board_get(
            actor=actor,
            period_from=period_from,
            period_to=period_to,
            today=today,
            school=school,
        )
        audit_record(
            actor=actor,
            action=AuditAction.VIEW,
            object_type="deadline_board",
            object_id=str(school.pk) if school else "",
            purpose="deadline board",
        )
    return render(request, "statutory/deadline_board.html", {"form": form, "board": board})
