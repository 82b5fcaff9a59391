from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from stagewise.audit.models import AuditAction
from stagewise.audit.selectors import (
    ACCESS_HISTORY_ORDER,
    ACCESS_HISTORY_PAGE_SIZE,
    access_history_list,
)
from stagewise.audit.services import audit_record
from stagewise.coordination.models import RecordPart
from stagewise.keyset import keyset_page
from stagewise.learners.access import (
    get_learner_for,
    shared_parts,
)
from stagewise.learners.forms import LearnerDetailsForm, LearnerFilterForm
from stagewise.learners.models import ParentPart
from stagewise.learners.selectors import (
    LEARNER_COUNT_CAP,
    SCOPE_LABELS,
    LearnerFilters,
    actor_nation_id,
    caseload_summary_get,
    current_stage_get,
    learner_list,
    learner_list_count,
    learner_list_order,
    learner_list_scopes,
    learner_profile_get,
    need_list,
    wellbeing_assessment_list,
)
from stagewise.learners.selectors.list_filters import learner_list_filter_choices
from stagewise.learners.services import learner_update
from stagewise.policy import Capability, NationPolicy, may, nation_policy
from stagewise.statutory.consideration_selectors import (
    consideration_latest_get,
    considered_since_looked_after,
)
from stagewise.statutory.process_selectors import family_deadline_list

LISTED_FIELDS = (
    "public_id",
    "preferred_name",
    "legal_first_name",
    "legal_last_name",
    "date_of_birth",
    "candidate_number",
)


@login_required
def learner_list_view(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    scopes = learner_list_scopes(actor)
    if not scopes:
        # Families reach their children from their home page; analysts and administrators
        # have no learners to list.
        raise PermissionDenied
    scope = request.GET.get("scope", scopes[0])
    if scope not in scopes:
        scope = scopes[0]
    form = LearnerFilterForm(
        request.GET or None,
        choices=learner_list_filter_choices(actor, nation_id=actor_nation_id(actor)),
        nation_code=actor.membership.nation_code if actor.membership else None,
    )
    filters = LearnerFilters(scope=scope)
    if form.is_bound and form.is_valid():
        filters = LearnerFilters(
            scope=scope,
            name=form.cleaned_data["name"],
            year_group=form.cleaned_data["year_group"],
            setting_id=form.cleaned_data.get("setting"),
            national_stage=form.cleaned_data["national_stage"],
            reason_id=form.cleaned_data["reason"],
            review=form.cleaned_data["review"],
        )
    # The columns a row shows, not the whole record (staff notes among it).
    learners = learner_list(actor=actor, filters=filters).only(*LISTED_FIELDS)
    page = keyset_page(
        learners,
        order=learner_list_order(filters),
        cursor=request.GET.get("cursor"),
        per_page=settings.LEARNER_LIST_PAGE_SIZE,
        salt="learners:list",
    )
    audit_record(
        actor=actor,
        action=AuditAction.LIST,
        object_type="learner_list",
        purpose="list learners",
        detail={"scope": scope},
        learners_shown=[learner.pk for learner in page.object_list],
    )
    query = request.GET.copy()
    query.pop("cursor", None)
    context = {
        "form": form,
        "page": page,
        # Exact up to the cap; past it, "more than": counting all of an authority costs more
        # than showing a page of it.
        "found": learner_list_count(actor=actor, filters=filters, cap=LEARNER_COUNT_CAP),
        "scope": scope,
        "scopes": [(key, SCOPE_LABELS[key]) for key in scopes],
        "query_without_page": query.urlencode(),
    }
    template = "learners/list.html"
    # A search swaps in the results alone; a history restore needs the whole page.
    if request.htmx and not request.htmx.history_restore_request:  # type: ignore[attr-defined]
        template += "#results"
    return render(request, template, context)


@login_required
def learner_profile_view(request: HttpRequest, learner_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    learner = get_learner_for(actor, learner_id, purpose="view profile")
    profile = learner_profile_get(actor=actor, learner=learner)
    family_view = profile.family_view
    # A service sees only the parts of the record its consent covers; a parent, those their
    # young person has not kept from them (the family page never says what is left out).
    parts = shared_parts(actor, learner)
    shows = {
        part: parts is None or part in parts for part in {*RecordPart.values, *ParentPart.values}
    }
    nation = nation_policy(
        profile.current_enrolment.setting.authority.nation.code
        if profile.current_enrolment
        else None
    )
    return render(
        request,
        "learners/family_profile.html" if family_view else "learners/profile.html",
        {
            **_consideration_context(actor, learner, nation, shows[RecordPart.NEEDS], family_view),
            "profile": profile,
            "learner": learner,
            "shows": shows,
            "not_shared": [label for part, label in RecordPart.choices if not shows[part]],
            "current_stage": current_stage_get(learner) if shows[RecordPart.NEEDS] else None,
            "nation": nation,
            "needs": need_list(learner) if shows[RecordPart.NEEDS] else [],
            "wellbeing_assessments": wellbeing_assessment_list(learner)[:5]
            if not family_view and shows[RecordPart.WELLBEING]
            else [],
            # The dates the school or authority must meet, as the family is told them.
            "family_deadlines": family_deadline_list(actor=actor, learner=learner)
            if family_view and shows[ParentPart.REQUESTS]
            else [],
        },
    )


def _consideration_context(
    actor: Any, learner: Any, nation: NationPolicy, shows_needs: bool, family_view: bool
) -> dict[str, Any]:
    """For staff, a looked-after learner's latest consideration for a co-ordinated support plan
    (ADR 0049), in a nation whose law has the plan: one query, only for such a learner."""
    if (
        family_view
        or not shows_needs
        or not learner.looked_after
        or not nation.coordinated_plan_type
        or not may(actor, Capability.VIEW_PROFESSIONAL_RECORD)
    ):
        return {"shows_consideration": False}
    latest = consideration_latest_get(learner=learner)
    return {
        "shows_consideration": True,
        "consideration": latest,
        "considered_since": considered_since_looked_after(learner, latest),
    }


@login_required
def learner_access_history_view(request: HttpRequest, learner_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    learner = get_learner_for(
        actor, learner_id, purpose="view access history", capability=Capability.VIEW_ACCESS_HISTORY
    )
    page = keyset_page(
        access_history_list(learner=learner),
        order=ACCESS_HISTORY_ORDER,
        cursor=request.GET.get("cursor"),
        per_page=ACCESS_HISTORY_PAGE_SIZE,
        salt="learners:access_history",
    )
    return render(request, "learners/access_history.html", {"learner": learner, "page": page})


@login_required
def learner_edit_view(request: HttpRequest, learner_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    learner = get_learner_for(
        actor,
        learner_id,
        purpose="edit learner details",
        capability=Capability.EDIT_LEARNER_DETAILS,
    )
    form = LearnerDetailsForm(request.POST or None, instance=learner)
    if request.method == "POST" and form.is_valid():
        try:
            changes = learner_update(
                actor=actor,
                learner=learner,
                data={name: form.cleaned_data[name] for name in form.Meta.fields},
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if changes:
                messages.success(request, _("The learner's details have been saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("learners:profile", learner_id=learner.public_id)
    return render(request, "learners/edit.html", {"learner": learner, "form": form})


@login_required
def caseload_summary_view(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    if not may(actor, Capability.VIEW_CASELOAD_COUNTS):
        raise PermissionDenied
    summary = caseload_summary_get(actor=actor)
    audit_record(
        actor=actor,
        action=AuditAction.LIST,
        object_type="caseload_summary",
        purpose="caseload counts",
        detail={"total": summary.total},
    )
    return render(request, "learners/summary.html", {"summary": summary})
