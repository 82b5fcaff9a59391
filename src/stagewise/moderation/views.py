"""Moderation pages (ADR 0046): thin; the selectors decide who reaches what (404 for anyone
else), the services every write, and every page records its read in the audit."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.form_errors import posted, save_or_show_errors
from stagewise.learners.access import visible_learners
from stagewise.learners.models import Learner
from stagewise.moderation.evidence import case_evidence
from stagewise.moderation.forms import (
    AssignForm,
    ReassignForm,
    ResponseForm,
    ReviewForm,
    SampleForm,
)
from stagewise.moderation.models import ModerationCase
from stagewise.moderation.sampling import draw
from stagewise.moderation.selectors import (
    agreement,
    authorities_of,
    authority_cases,
    case_for_moderator_or_officer,
    eligible_moderators,
    groups_of,
    is_moderator_of,
    moderator_case_list,
    officer_authority,
    returned_case,
    returned_list,
    sample_cases,
    sample_for_officer,
    sample_list,
)
from stagewise.moderation.services import (
    Assignment,
    case_reassign,
    case_review,
    disagreement_consider,
    moderators_assign,
    sample_draw,
    sample_redraw,
)
from stagewise.policy import Capability, may


def _actor(request: HttpRequest) -> Any:
    return request.actor  # type: ignore[attr-defined]


def _learner_of(case: ModerationCase) -> Learner:
    return Learner.objects.select_related("audit_key").get(pk=case.learner_id)


@login_required
def index_view(request: HttpRequest) -> HttpResponse:
    """The officer's samples and the authority's agreement; the moderator's cases; the school's
    returned disagreements. Whoever has none of the three is told there is nothing here."""
    actor = _actor(request)
    authority = officer_authority(actor)
    runs = authority is not None
    moderates = may(actor, Capability.MODERATE_DECISIONS)
    considers = may(actor, Capability.CONSIDER_MODERATION)
    if not (runs or moderates or considers):
        raise Http404
    samples = sample_list(actor) if runs else []
    cases = moderator_case_list(actor) if moderates else []
    returned = returned_list(actor) if considers else []
    audit_record(
        actor=actor,
        action=AuditAction.LIST,
        object_type="moderation",
        purpose="moderation: list",
        learners_shown=[case.learner_id for case in [*cases, *returned]],
    )
    return render(
        request,
        "moderation/index.html",
        {
            "authority": authority,
            "samples": samples,
            "authority_agreement": agreement(authority_cases(actor)) if runs else None,
            "cases": cases,
            "returned": returned,
            "moderates": moderates,
            "considers": considers,
        },
    )


@login_required
def sample_draw_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    authority = officer_authority(actor)
    if authority is None:
        raise Http404
    form = SampleForm(posted(request), groups=groups_of(authority))
    if request.method == "POST" and form.is_valid():
        drawn = save_or_show_errors(
            form,
            lambda: sample_draw(
                actor=actor,
                decided_from=form.cleaned_data["decided_from"],
                decided_to=form.cleaned_data["decided_to"],
                size=form.cleaned_data["size"],
                group=form.cleaned_data.get("group"),
                kind=form.cleaned_data["kind"],
            ),
        )
        if drawn is not None:
            messages.success(request, _("The sample has been drawn."))
            return redirect("moderation:sample", sample_id=drawn.public_id)  # type: ignore[attr-defined]
    return render(request, "moderation/draw.html", {"authority": authority, "form": form})


@login_required
def sample_view(request: HttpRequest, sample_id: str) -> HttpResponse:
    actor = _actor(request)
    sample = sample_for_officer(actor, sample_id)
    cases = sample_cases(sample)
    # How it was drawn, worked out again from the sample's own cases: its strata and places.
    _chosen, strata = draw(
        ((case.decided_pk, (case.setting_id, case.decided_id)) for case in cases),
        len(cases),
        sample.seed,
    )
    schools = {case.setting_id: case.setting for case in cases}
    decided = {case.decided_id: case.decided for case in cases}
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        object_type="moderation_sample",
        object_id=str(sample.public_id),
        purpose="run moderation: read a sample",
        learners_shown=[case.learner_id for case in cases],
    )
    return render(
        request,
        "moderation/sample.html",
        {
            "sample": sample,
            "cases": cases,
            "strata": [
                (schools[stratum.key[0]], decided[stratum.key[1]], stratum.sampled)
                for stratum in strata
            ],
            "agreement": agreement(sample.cases.all()),
            "unassigned": sum(1 for case in cases if case.moderator_id is None),
            "redraws_the_same": sample_redraw(sample) == [case.decided_pk for case in cases],
            "reassigns": sample.drawn_by_id == actor.user.pk,
        },
    )


@login_required
def assign_view(request: HttpRequest, sample_id: str) -> HttpResponse:
    actor = _actor(request)
    sample = sample_for_officer(actor, sample_id)
    moderators = eligible_moderators(
        authority_ids=authorities_of(authority=sample.authority, group=sample.group)
    )
    form = AssignForm(posted(request), moderators=moderators)
    if request.method == "POST" and form.is_valid():
        assignment = save_or_show_errors(
            form,
            lambda: moderators_assign(
                actor=actor, sample=sample, moderators=list(form.cleaned_data["moderators"])
            ),
        )
        if isinstance(assignment, Assignment):
            messages.success(
                request,
                ngettext(
                    "%(count)s case has been assigned.",
                    "%(count)s cases have been assigned.",
                    assignment.assigned,
                )
                % {"count": assignment.assigned},
            )
            if assignment.left_unassigned:
                messages.warning(
                    request,
                    _(
                        "No chosen moderator may take cases %(numbers)s: each is at the school"
                        " that made the decision or that the learner attends. Choose another"
                        " moderator for them."
                    )
                    % {"numbers": ", ".join(map(str, assignment.left_unassigned))},
                )
            return redirect("moderation:sample", sample_id=sample.public_id)
    return render(request, "moderation/assign.html", {"sample": sample, "form": form})


@login_required
def case_view(request: HttpRequest, case_id: str) -> HttpResponse:
    actor = _actor(request)
    case = case_for_moderator_or_officer(actor, case_id)
    moderating = is_moderator_of(actor, case)
    form = ReviewForm(posted(request) if moderating else None)
    if request.method == "POST":
        if not moderating or case.is_reviewed:
            raise Http404
        if form.is_valid():
            reviewed = save_or_show_errors(
                form,
                lambda: case_review(
                    actor=actor,
                    case=case,
                    verdict=form.cleaned_data["verdict"],
                    reason=form.cleaned_data["reason"],
                ),
            )
            if reviewed is not None:
                messages.success(request, _("Your view of the decision has been recorded."))
                return redirect("moderation:index")
    evidence = case_evidence(case)
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        learner=_learner_of(case),
        object_type="moderation_case",
        object_id=str(case.public_id),
        purpose="moderate a decision" if moderating else "run moderation: read a case",
    )
    return render(
        request,
        "moderation/case.html",
        {"case": case, "evidence": evidence, "form": form, "moderating": moderating},
    )


@login_required
def returned_view(request: HttpRequest, case_id: str) -> HttpResponse:
    """A moderator's disagreement, for the deciding school's leaders: the moderator's reason,
    the anonymised evidence they read, the school's response; and, for those who see the learner,
    the way to the learner's stage decisions."""
    actor = _actor(request)
    case = returned_case(actor, case_id)
    form = ResponseForm(posted(request))
    if request.method == "POST":
        if case.considered_at is not None:
            raise Http404
        if form.is_valid():
            considered = save_or_show_errors(
                form,
                lambda: disagreement_consider(
                    actor=actor, case=case, response=form.cleaned_data["response"]
                ),
            )
            if considered is not None:
                messages.success(request, _("The disagreement has been marked as considered."))
                return redirect("moderation:returned", case_id=case.public_id)
    # The learner is read once, with the case (returned_case), for the page and the audit.
    learner = case.learner
    sees_learner = visible_learners(actor).filter(pk=learner.pk).exists()
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        learner=learner,
        object_type="moderation_case",
        object_id=str(case.public_id),
        purpose="consider a moderator's disagreement",
    )
    return render(
        request,
        "moderation/returned.html",
        {
            "case": case,
            "evidence": case_evidence(case),
            "form": form,
            "learner": learner if sees_learner else None,
        },
    )


@login_required
def reassign_view(request: HttpRequest, case_id: str) -> HttpResponse:
    """The officer who drew the sample gives a case not yet reviewed to another moderator."""
    actor = _actor(request)
    case = case_for_moderator_or_officer(actor, case_id)
    sample = case.sample
    if sample.drawn_by_id != actor.user.pk or case.is_reviewed:
        raise Http404
    moderators = eligible_moderators(
        authority_ids=authorities_of(authority=sample.authority, group=sample.group)
    ).exclude(setting_id=case.setting_id)
    if case.moderator_id is not None:
        moderators = moderators.exclude(pk=case.moderator_id)
    form = ReassignForm(posted(request), moderators=moderators)
    if request.method == "POST" and form.is_valid():
        reassigned = save_or_show_errors(
            form,
            lambda: case_reassign(actor=actor, case=case, moderator=form.cleaned_data["moderator"]),
        )
        if reassigned is not None:
            messages.success(
                request,
                _("Case %(number)s has been reassigned.") % {"number": case.number},
            )
            return redirect("moderation:sample", sample_id=sample.public_id)
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        learner=_learner_of(case),
        object_type="moderation_case",
        object_id=str(case.public_id),
        purpose="run moderation: reassign a case",
    )
    return render(request, "moderation/reassign.html", {"case": case, "form": form})
