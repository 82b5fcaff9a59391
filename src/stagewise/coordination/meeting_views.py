"""A learner's meetings: the list, arranging one, the meeting's page, and the organiser's steps
(invite, attendance, views beforehand, minutes, agreed actions); a family's own views; an action
marked done by its owner. Every page reaches the learner through learners/access.py and the
meeting through its learner (a service: only meetings it is invited to)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stagewise.accounts.models import User
from stagewise.coordination.meeting_forms import (
    ActionForm,
    AttendanceForm,
    InviteForm,
    MeetingForm,
    MinutesForm,
    ViewsForm,
)
from stagewise.coordination.meeting_models import Meeting
from stagewise.coordination.meeting_selectors import (
    is_family,
    meeting_action_get,
    meeting_detail,
    meeting_get,
    meeting_history,
    meeting_list,
    plans_to_meet_about,
    team_around_the_child,
)
from stagewise.coordination.services.meetings import (
    action_owners,
    involved_service_staff,
    meeting_action_add,
    meeting_action_done,
    meeting_arrange,
    meeting_attendance_record,
    meeting_invite,
    meeting_minutes_write,
    meeting_views_record,
    school_and_authority_staff,
)
from stagewise.form_errors import posted, save_or_show_errors
from stagewise.learners.access import get_learner_for, refuse
from stagewise.learners.models import Learner, LearnerCarer, ParentPart
from stagewise.policy import Capability, CapabilityRequired, may


def _to_meeting(learner: Learner, meeting: Meeting) -> HttpResponse:
    return redirect("meetings:detail", learner_id=learner.public_id, meeting_id=meeting.public_id)


def _meeting_for(
    request: HttpRequest, learner_id: str, meeting_id: str, purpose: str, capability: Capability
) -> tuple[Any, Learner, Meeting]:
    actor = request.actor  # type: ignore[attr-defined]
    learner = get_learner_for(
        actor, learner_id, purpose=purpose, capability=capability, part=ParentPart.MEETINGS
    )
    meeting = meeting_get(actor=actor, learner=learner, meeting_id=meeting_id, purpose=purpose)
    return actor, learner, meeting


@login_required
def meeting_list_view(request: HttpRequest, learner_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    learner = get_learner_for(actor, learner_id, purpose="view meetings", part=ParentPart.MEETINGS)
    return render(
        request,
        "coordination/meetings/list.html",
        {
            "learner": learner,
            "meetings": meeting_list(actor, learner),
            "team": team_around_the_child(actor, learner),
            "may_hold": may(actor, Capability.HOLD_MEETINGS),
        },
    )


@login_required
def meeting_new_view(request: HttpRequest, learner_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    learner = get_learner_for(
        actor, learner_id, purpose="arrange a meeting", capability=Capability.HOLD_MEETINGS
    )
    form = MeetingForm(posted(request), plans=plans_to_meet_about(learner))
    if request.method == "POST" and form.is_valid():
        arranged = save_or_show_errors(
            form, lambda: meeting_arrange(actor=actor, learner=learner, **form.cleaned_data)
        )
        if isinstance(arranged, Meeting):
            messages.success(
                request,
                _("The meeting is arranged. Invite the people who should come to it."),
            )
            return _to_meeting(learner, arranged)
    return render(request, "coordination/meetings/form.html", {"learner": learner, "form": form})


@login_required
def meeting_detail_view(request: HttpRequest, learner_id: str, meeting_id: str) -> HttpResponse:
    actor, learner, meeting = _meeting_for(
        request, learner_id, meeting_id, "view a meeting", Capability.VIEW_LEARNER
    )
    detail = meeting_detail(actor, meeting)
    return render(
        request,
        "coordination/meetings/detail.html",
        {
            "learner": learner,
            "detail": detail,
            "meeting": meeting,
            "team": team_around_the_child(actor, learner),
            "history": [] if detail.family else meeting_history(meeting),
        },
    )


def _step_page(
    request: HttpRequest,
    *,
    learner: Learner,
    meeting: Meeting,
    form: Any,
    write: Any,
    success: str,
    title: str,
    submit: str,
    lead: str = "",
) -> HttpResponse:
    if (
        request.method == "POST"
        and form.is_valid()
        and save_or_show_errors(form, lambda: write(form.cleaned_data)) is not None
    ):
        messages.success(request, success)
        return _to_meeting(learner, meeting)
    return render(
        request,
        "coordination/meetings/step.html",
        {
            "learner": learner,
            "meeting": meeting,
            "form": form,
            "title": title,
            "submit": submit,
            "lead": lead,
        },
    )


def _people_to_invite(learner: Learner, meeting: Meeting) -> tuple[list[tuple[str, str]], dict]:
    """The choices of the invitation form, and what each stands for."""
    invited_users = set(meeting.invitees.exclude(user=None).values_list("user_id", flat=True))
    invited_carers = set(meeting.invitees.exclude(carer=None).values_list("carer_id", flat=True))
    choices: list[tuple[str, str]] = []
    stands_for: dict[str, dict[str, Any]] = {}
    for membership in school_and_authority_staff(learner) + involved_service_staff(learner):
        value = f"user-{membership.user_id}"
        if membership.user_id in invited_users or value in stands_for:
            continue
        choices.append((value, f"{membership.user.full_name}, {membership}"))
        stands_for[value] = {"user": membership.user}
    links = LearnerCarer.objects.filter(learner=learner).select_related("carer")
    for link in links:
        if link.carer_id in invited_carers:
            continue
        value = f"carer-{link.carer_id}"
        choices.append((value, f"{link.carer.full_name} ({link.get_relationship_display()})"))
        stands_for[value] = {"carer": link.carer}
    if not meeting.invitees.filter(kind="young_person").exists():
        choices.append(
            ("young_person", _("%(name)s, the child or young person") % {"name": learner})
        )
        stands_for["young_person"] = {"young_person": True}
    return choices, stands_for


@login_required
def meeting_invite_view(request: HttpRequest, learner_id: str, meeting_id: str) -> HttpResponse:
    actor, learner, meeting = _meeting_for(
        request, learner_id, meeting_id, "invite to a meeting", Capability.HOLD_MEETINGS
    )
    choices, stands_for = _people_to_invite(learner, meeting)
    return _step_page(
        request,
        learner=learner,
        meeting=meeting,
        form=InviteForm(posted(request), people=choices),
        write=lambda data: meeting_invite(
            actor=actor, meeting=meeting, **stands_for[data["person"]]
        ),
        success=_("The invitation is recorded."),
        title=_("Invite someone"),
        submit=_("Invite"),
        lead=_(
            "Staff of the learner's school and authority, practitioners of the services working"
            " with the learner with consent, and the family."
        ),
    )


@login_required
def meeting_attendance_view(request: HttpRequest, learner_id: str, meeting_id: str) -> HttpResponse:
    actor, learner, meeting = _meeting_for(
        request, learner_id, meeting_id, "record attendance", Capability.HOLD_MEETINGS
    )
    form = AttendanceForm(posted(request), invitees=list(meeting.invitees.all()))
    return _step_page(
        request,
        learner=learner,
        meeting=meeting,
        form=form,
        write=lambda data: meeting_attendance_record(
            actor=actor, meeting=meeting, attendance=form.attendance()
        ),
        success=_("Attendance is recorded."),
        title=_("Who attended"),
        submit=_("Save attendance"),
    )


@login_required
def meeting_views_view(request: HttpRequest, learner_id: str, meeting_id: str) -> HttpResponse:
    """Views before the meeting: the family's own, or recorded by staff on their behalf."""
    actor = request.actor  # type: ignore[attr-defined]
    purpose = "record views before a meeting"
    family = is_family(actor)
    capability = Capability.GIVE_MEETING_VIEWS if family else Capability.HOLD_MEETINGS
    _actor, learner, meeting = _meeting_for(request, learner_id, meeting_id, purpose, capability)
    return _step_page(
        request,
        learner=learner,
        meeting=meeting,
        form=ViewsForm(posted(request), family=family),
        write=lambda data: meeting_views_record(
            actor=actor, meeting=meeting, words=data["words"], whose=data.get("whose", "")
        ),
        success=_("The views are recorded. Everyone at the meeting will read them."),
        title=_("Your views before the meeting") if family else _("Views before the meeting"),
        submit=_("Save the views"),
        lead=(
            _(
                "Tell the meeting what is going well, what is hard and what you would like"
                " to happen."
            )
            if family
            else _("Record the child's or the family's views, in their own words, on their behalf.")
        ),
    )


@login_required
def meeting_minutes_view(request: HttpRequest, learner_id: str, meeting_id: str) -> HttpResponse:
    actor, learner, meeting = _meeting_for(
        request, learner_id, meeting_id, "write the minutes", Capability.HOLD_MEETINGS
    )
    form = MinutesForm(
        posted(request),
        agreed=meeting.minutes_agreed,
        initial={"minutes": meeting.minutes, "share_with_family": meeting.shared_with_family},
    )
    return _step_page(
        request,
        learner=learner,
        meeting=meeting,
        form=form,
        write=lambda data: meeting_minutes_write(
            actor=actor,
            meeting=meeting,
            minutes=data["minutes"],
            agreed=data.get("agreed", False),
            share_with_family=data["share_with_family"],
            reason=data.get("reason", ""),
        ),
        success=_("The minutes are saved."),
        title=_("Minutes"),
        submit=_("Save the minutes"),
    )


@login_required
def meeting_action_add_view(request: HttpRequest, learner_id: str, meeting_id: str) -> HttpResponse:
    actor, learner, meeting = _meeting_for(
        request, learner_id, meeting_id, "agree an action", Capability.HOLD_MEETINGS
    )
    form = ActionForm(posted(request), owners=action_owners(meeting))
    return _step_page(
        request,
        learner=learner,
        meeting=meeting,
        form=form,
        write=lambda data: meeting_action_add(
            actor=actor,
            meeting=meeting,
            description=data["description"],
            owner=User.objects.filter(pk=data["owner"]).first(),
            due_on=data["due_on"],
        ),
        success=_("The action is added. It is in its owner's work queue until it is done."),
        title=_("Add an agreed action"),
        submit=_("Add the action"),
    )


@login_required
@require_POST
def meeting_action_done_view(
    request: HttpRequest, learner_id: str, meeting_id: str, action_id: str
) -> HttpResponse:
    """The action's owner, or whoever holds the meeting, marks it done."""
    purpose = "mark an action done"
    actor, learner, meeting = _meeting_for(
        request, learner_id, meeting_id, purpose, Capability.VIEW_PROFESSIONAL_RECORD
    )
    action = meeting_action_get(actor=actor, meeting=meeting, action_id=action_id, purpose=purpose)
    if action.owner_id != actor.user.pk and not may(actor, Capability.HOLD_MEETINGS):
        refuse(actor=actor, learner=learner, purpose=purpose)
        raise CapabilityRequired(Capability.HOLD_MEETINGS)
    try:
        meeting_action_done(actor=actor, action=action)
    except ValidationError as refused:
        for message in refused.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The action is marked done."))
    return _to_meeting(learner, meeting)
