"""Valid forms for every page of the access harness that writes, and the records its URLs name.

Each payload is what a person allowed to use the page would submit, filled in so that it passes
validation: a refused write that landed would therefore show in the record, and a permitted one is
seen to land. Fingerprints and revisions are read at the moment of posting, as the page would have
shown them.
"""

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from django.forms.models import model_to_dict
from django.utils import timezone

from stagewise.learners.models import (
    ChronologyEntryType,
    Learner,
    LearnerCarer,
    TransitionKind,
    WellbeingIndicator,
    WellbeingLevel,
)
from stagewise.learners.services import EDITABLE_IDENTITY_FIELDS, learner_current_enrolment
from stagewise.organisations.models import LocalAuthority, Setting
from stagewise.planning.models import (
    OPEN_STATUSES,
    CommunicationFormat,
    Plan,
    PlanSection,
    RecipientKind,
    ResponseKind,
    ReviewDecision,
    SectionKind,
    SupportProvision,
    Target,
    TargetProgress,
    ViewKind,
)
from stagewise.planning.selectors import plan_types_for
from stagewise.planning.services import (
    content_fingerprint,
    plan_details_current,
    section_text_current,
    target_current,
)
from stagewise.statutory.models import StatutoryProcess
from stagewise.statutory.selectors import reason_list, stage_list
from stagewise.testing.access_harness import (
    PLAN_BEING_REVISED,
    Subject,
    dates,
    last_school_year,
)
from stagewise.testing.files import pdf_upload

Ids = Mapping[str, object]


def _today() -> Any:
    return timezone.localdate()


def _authority(subject: Subject) -> LocalAuthority:
    enrolment = learner_current_enrolment(subject.learner)
    assert enrolment is not None
    return enrolment.setting.authority


def _plan(subject: Subject) -> Plan:
    assert subject.plan is not None
    return Plan.objects.select_related("plan_type").get(pk=subject.plan.pk)


# The records a URL names -------------------------------------------------------------------------


def open_need(subject: Subject) -> object:
    return subject.records.open_need.pk


def wellbeing_assessment(subject: Subject) -> object:
    return subject.records.wellbeing_assessment.pk


def first_text_section(subject: Subject) -> object:
    plan = _plan(subject)
    return plan.plan_type.sections.filter(kind=SectionKind.TEXT).order_by("order").first().key  # type: ignore[union-attr]


def first_target(subject: Subject) -> object:
    return _plan(subject).targets.earliest("pk").pk


def latest_review(subject: Subject) -> object:
    """The plan's latest review; a draft has none, and its address is refused before the review
    is looked for, so any number will do there."""
    return _plan(subject).reviews.order_by("-pk").values_list("pk", flat=True).first() or 999999999


def first_support(subject: Subject) -> object:
    return SupportProvision.objects.filter(target__plan=_plan(subject)).earliest("pk").pk


def first_views(subject: Subject) -> object:
    return _plan(subject).views.earliest("pk").pk


def first_version(subject: Subject) -> object:
    """Every plan's first version is number 1 (a draft's is still being written)."""
    return 1


# The learner record ------------------------------------------------------------------------------


def learner_details(subject: Subject, ids: Ids) -> dict[str, Any]:
    """The details as they stand, with a preferred name added."""
    learner = Learner.objects.get(pk=subject.learner.pk)
    current = model_to_dict(learner, fields=EDITABLE_IDENTITY_FIELDS)
    payload = {
        name: value
        for name, value in current.items()
        if name != "date_of_birth" and value is not False and value is not None
    }
    return payload | dates("date_of_birth", learner.date_of_birth) | {"preferred_name": "Ails"}


def learner_move(subject: Subject, ids: Ids) -> dict[str, Any]:
    """A move, today, to another school of the same nation, in the same year group."""
    enrolment = learner_current_enrolment(subject.learner)
    assert enrolment is not None
    receiving = (
        Setting.objects.filter(authority__nation_id=enrolment.setting.authority.nation_id)
        .exclude(pk=enrolment.setting_id)
        .order_by("pk")
        .first()
    )
    assert receiving is not None
    return {
        "to_setting": str(receiving.pk),
        **dates("moved_on", _today()),
        "year_group": enrolment.year_group,
        "reason": "The family moved house.",
    }


def leaving_school(subject: Subject, ids: Ids) -> dict[str, Any]:
    """Leaving school in a little over a year: both Scottish leaving clocks start."""
    return {
        "kind": TransitionKind.LEAVING_SCHOOL,
        **dates("planned_on", _today() + timedelta(days=400)),
        "plan": "Visits to the college in spring; support worker goes with her.",
        "family_part": "Her parent will come to the college open day.",
    }


def new_need(subject: Subject, ids: Ids) -> dict[str, Any]:
    reason = reason_list(_authority(subject).nation_id).first()
    assert reason is not None
    return {
        "reason": reason.pk,
        **dates("identified_on", _today()),
        "evidence": "Reading assessment, March.",
        "notes": "",
    }


def need_resolved(subject: Subject, ids: Ids) -> dict[str, Any]:
    return dates("resolved_on", _today())


def stage_decision(subject: Subject, ids: Ids) -> dict[str, Any]:
    stage = stage_list(_authority(subject)).first()
    assert stage is not None
    return {
        "stage": stage.pk,
        **dates("decided_on", _today()),
        "rationale": "Universal support meets her needs for now.",
        # Kept only if the stage departs from the one decision support suggests (ADR 0047).
        "departure_reason": "Her needs are met in class since the family moved.",
        "departure_kind": "change_in_circumstances",
        **dates("next_review_on", _today() + timedelta(days=180)),
    }


def wellbeing(subject: Subject, ids: Ids) -> dict[str, Any]:
    levels = {
        f"{indicator.value}_level": WellbeingLevel.NO_CONCERN for indicator in WellbeingIndicator
    }
    return {**dates("assessed_on", _today()), "summary": "Settled this term.", **levels}


def chronology_entry(subject: Subject, ids: Ids) -> dict[str, Any]:
    return {
        "entry_type": ChronologyEntryType.MEETING,
        **dates("occurred_on", _today()),
        "summary": "Team around the child met.",
        "source": "Meeting minutes",
    }


# Plans -------------------------------------------------------------------------------------------


def new_plan(subject: Subject, ids: Ids) -> dict[str, Any]:
    """A type of plan the learner's authority uses and the learner has none open of."""
    open_types = set(
        Plan.objects.filter(learner=subject.learner, status__in=OPEN_STATUSES).values_list(
            "plan_type_id", flat=True
        )
    )
    plan_type = next(
        plan_type
        for plan_type, _local in plan_types_for(subject.learner)
        if plan_type.pk not in open_types
    )
    return {
        "plan_type": plan_type.pk,
        **dates("starts_on", _today()),
        # Kept only if the plan departs from the one decision support suggests (ADR 0047).
        "departure_reason": "Agreed with the family and the agencies involved.",
        "departure_kind": "views",
    }


def plan_dates(subject: Subject, ids: Ids) -> dict[str, Any]:
    plan = _plan(subject)
    starts_on = plan.starts_on or _today()
    return {
        **dates("starts_on", starts_on),
        **dates("next_review_on", starts_on + timedelta(days=200)),
        "based_on": content_fingerprint(plan_details_current(plan)),
    }


def section_text(subject: Subject, ids: Ids) -> dict[str, Any]:
    plan = _plan(subject)
    section = PlanSection.objects.get(plan_type=plan.plan_type, key=ids["section_key"])
    return {
        "text": "She enjoys helping younger pupils read.",
        "based_on": content_fingerprint(section_text_current(plan, section)),
    }


def _target_fields() -> dict[str, Any]:
    return {
        "outcome": "Write three sentences about a picture",
        "measure": "Writing samples, fortnightly",
        "baseline": "Writes one sentence with help",
        "success_criteria": "Three sentences without help",
        **dates("achieve_by", _today() + timedelta(days=60)),
    }


def new_target(subject: Subject, ids: Ids) -> dict[str, Any]:
    return _target_fields()


def changed_target(subject: Subject, ids: Ids) -> dict[str, Any]:
    target = Target.objects.get(pk=str(ids["target_id"]))
    return _target_fields() | {"based_on": content_fingerprint(target_current(target))}


def target_removal(subject: Subject, ids: Ids) -> dict[str, Any]:
    target = Target.objects.get(pk=str(ids["target_id"]))
    return {"based_on": content_fingerprint(target_current(target))}


def new_support(subject: Subject, ids: Ids) -> dict[str, Any]:
    plan = _plan(subject)
    payload: dict[str, Any] = {
        "description": "Paired writing with a buddy",
        "frequency": "Twice a week",
        "minutes_per_week": 40,
        "provider_name": "Class teacher",
        **dates("starts_on", plan.starts_on or _today()),
    }
    if plan.authority.nation.code == "wales":
        payload["delivered_in_welsh"] = "no"
    return payload


def new_views(subject: Subject, ids: Ids) -> dict[str, Any]:
    return {
        "kind": ViewKind.LEARNER,
        "speaker": "The learner",
        "words": "I like writing when I can draw first.",
        **dates("gathered_on", _today()),
    }


def staff_notes(subject: Subject, ids: Ids) -> dict[str, Any]:
    plan = _plan(subject)
    return {
        "staff_notes": "Check in with the family after the holidays.",
        "based_on": content_fingerprint({"staff_notes": plan.staff_notes}),
    }


def sign_off(subject: Subject, ids: Ids) -> dict[str, Any]:
    return {"based_on_revision": _plan(subject).edit_revision}


def support_in_place(subject: Subject, ids: Ids) -> dict[str, Any]:
    return dates("in_place_on", _today())


def closing(subject: Subject, ids: Ids) -> dict[str, Any]:
    return {**dates("closed_on", _today()), "reason": "Her needs are now met without a plan."}


def shared_with_parent(subject: Subject, ids: Ids) -> dict[str, Any]:
    return {
        "recipient": "Her parent",
        "recipient_kind": RecipientKind.PARENT,
        **dates("sent_on", _today()),
        "format": CommunicationFormat.FAMILY_PORTAL,
        "language": "English",
    }


def family_response(subject: Subject, ids: Ids) -> dict[str, Any]:
    return {"response": ResponseKind.AGREED, "words": "Thank you."}


def review(subject: Subject, ids: Ids) -> dict[str, Any]:
    payload: dict[str, Any] = {
        **dates("held_on", _today()),
        "attendees": "Class teacher, parent, learner",
        "views_beforehand": "",
        "decision": ReviewDecision.CONTINUE,
        "decision_notes": "Continue as planned.",
        **dates("next_review_on", _today() + timedelta(days=180)),
    }
    for target in _plan(subject).targets.all():
        payload[f"progress_{target.pk}"] = TargetProgress.PARTLY_ACHIEVED
        payload[f"evidence_{target.pk}"] = "Reading record"
    return payload


# Views before a review (ADR 0018) ---------------------------------------------------------------


def review_views_given(subject: Subject, ids: Ids) -> dict[str, Any]:
    return {
        "going_well": "Reading at bedtime <b>together</b>.",
        "worries": "The noise in the dinner hall.",
    }


def review_feedback_given(subject: Subject, ids: Ids) -> dict[str, Any]:
    """The family's say on a review (ADR 0026)."""
    return {"feel_supported": "partly", "listened_to": "yes", "comment": "More <b>reading</b>."}


def review_views_recorded(subject: Subject, ids: Ids) -> dict[str, Any]:
    return {
        "speaker": "learner",
        "channel": "telephone",
        **dates("gathered_on", _today()),
        "change": "More time for spelling tests.",
    }


# Statutory timescales ----------------------------------------------------------------------------


def running_process(subject: Subject) -> object:
    return subject.records.running_process.public_id


def paused_process(subject: Subject) -> object:
    return subject.records.paused_process.public_id


def process_started(subject: Subject, ids: Ids) -> dict[str, Any]:
    """A clock the learner has none of running: preparing a co-ordinated support plan."""
    return {
        "rule_key": "scotland.coordinated_support_plan_prepare",
        **dates("started_on", _today()),
        "reason": "The authority proposed to prepare a plan.",
    }


def consideration_recorded(subject: Subject, ids: Ids) -> dict[str, Any]:
    """The authority's consideration of the looked-after learner: condition 1 met (the world's
    learner is enrolled at an authority school), the others not, so no plan is required, as
    decision support indicates on the world's record."""
    return {
        **dates("considered_on", _today()),
        "authority_responsible": "met",
        "complex_or_multiple_factors": "not_met",
        "lasting_more_than_a_year": "not_met",
        "significant_support_from_others": "not_met",
        "conclusion": "not_required",
        "reason": "Support from the school meets her needs; no other agency is needed.",
    }


def process_paused(subject: Subject, ids: Ids) -> dict[str, Any]:
    return {**dates("paused_on", _today()), "reason": "Waiting for the family's views."}


def process_resumed(subject: Subject, ids: Ids) -> dict[str, Any]:
    return dates("resumed_on", _today())


def process_extended(subject: Subject, ids: Ids) -> dict[str, Any]:
    process = StatutoryProcess.objects.get(public_id=str(ids["process_id"]))
    assert process.due_on is not None
    return {
        **dates("new_due_on", process.due_on + timedelta(days=14)),
        "reason": "The health board's report is late.",
    }


def process_closed(subject: Subject, ids: Ids) -> dict[str, Any]:
    return {**dates("closed_on", _today()), "outcome": "done", "note": "Needs established."}


# Requests for assistance and the files sent with them --------------------------------------------


def involvement(subject: Subject) -> object:
    return subject.records.involvement.public_id


def draft_request(subject: Subject) -> object:
    return subject.records.draft_request.public_id


def ready_request(subject: Subject) -> object:
    return subject.records.ready_request.public_id


def involvement_consent(subject: Subject) -> object:
    return subject.records.involvement.consents.get(withdrawn_at__isnull=True).public_id


def involvement_contribution(subject: Subject) -> object:
    return subject.records.contribution.public_id


def contribution_accepted(subject: Subject, ids: Ids) -> dict[str, Any]:
    """The service's advice, as support for the first target of the plan being revised."""
    plan = subject.records.plans[PLAN_BEING_REVISED]
    payload: dict[str, Any] = {
        "target": plan.targets.earliest("pk").pk,
        "description": "Instructions shown with symbols, one step at a time",
        "frequency": "Every lesson",
        "minutes_per_week": "",
        **dates("starts_on", _today()),
    }
    if plan.authority.nation.code == "wales":
        payload["delivered_in_welsh"] = "no"
    return payload


def _request_words() -> dict[str, Any]:
    return {
        "reason": "Struggles to follow spoken instructions.",
        "tried": "Visual timetable and instructions broken into steps.",
        "tried_for": "Two terms",
        "urgency": "routine",
        "learner_views": "Wants to understand the teacher.",
        "family_views": "Would like advice for home.",
    }


def new_request(subject: Subject, ids: Ids) -> dict[str, Any]:
    """To the service the learner's authority has (Glasgow's or Fife's), for no plan."""
    return {
        "service": subject.records.involvement.service_id,
        "plan": "",
        **_request_words(),
    }


def changed_request(subject: Subject, ids: Ids) -> dict[str, Any]:
    return new_request(subject, ids) | {"reason": "Changed: struggles with spoken language."}


def consent_given(subject: Subject, ids: Ids) -> dict[str, Any]:
    return {
        "given_by": "parent",
        "given_by_name": "Claire Campbell",
        **dates("given_on", _today()),
        "method": "in_writing",
        "parts": ["needs", "plans"],
    }


def lawful_basis(subject: Subject, ids: Ids) -> dict[str, Any]:
    return {"lawful_basis": "Risk of significant harm: child protection procedures apply."}


def request_withdrawn(subject: Subject, ids: Ids) -> dict[str, Any]:
    return {"reason": "The school found support elsewhere."}


def consent_withdrawn(subject: Subject, ids: Ids) -> dict[str, Any]:
    return {"note": "We have changed our minds."}


def attachment(subject: Subject) -> object:
    return subject.records.attachment.public_id


def shared_request(subject: Subject) -> object:
    return subject.records.shared_attachment.request.public_id


def shared_attachment(subject: Subject) -> object:
    return subject.records.shared_attachment.public_id


def new_attachment(subject: Subject, ids: Ids) -> dict[str, Any]:
    return {"file": pdf_upload("letter-from-home.pdf")}


def meeting(subject: Subject) -> object:
    return subject.records.meeting.public_id


def transition(subject: Subject) -> object:
    return subject.records.transition.public_id


def transition_family_part(subject: Subject, ids: Ids) -> dict[str, Any]:
    return {"words": "We will visit the new school <b>together</b>. She is worried about lunch."}


def meeting_action(subject: Subject) -> object:
    return subject.records.meeting_action.public_id


def new_meeting(subject: Subject, ids: Ids) -> dict[str, Any]:
    return {
        "kind": "joint_support_team",
        **dates("held_on", _today() + timedelta(days=7)),
        "starts_at": "09:30",
        "place": "Riverside Primary School, the library",
        "purpose": "Plan the move to secondary school.",
        "plan": "",
    }


def invitation(subject: Subject, ids: Ids) -> dict[str, Any]:
    """The child themselves: invited to neither learner's meeting yet."""
    return {"person": "young_person"}


def attendance(subject: Subject, ids: Ids) -> dict[str, Any]:
    return {
        f"invitee_{pk}": "attended"
        for pk in subject.records.meeting.invitees.values_list("pk", flat=True)
    }


def meeting_views(subject: Subject, ids: Ids) -> dict[str, Any]:
    """Staff choose whose views; a family's page has no such question and ignores it."""
    return {"whose": "child", "words": "I like art. Maths is hard when it is noisy."}


def minutes(subject: Subject, ids: Ids) -> dict[str, Any]:
    return {
        "minutes": "Everyone agreed the visual timetable is helping.",
        "agreed": "true",
        "share_with_family": "true",
    }


def agreed_action(subject: Subject, ids: Ids) -> dict[str, Any]:
    return {
        "description": "Ask the speech and language therapist to observe in class.",
        "owner": str(subject.records.meeting.organised_by_id),
        **dates("due_on", _today() + timedelta(days=21)),
    }


# A family's rights, used as requests ------------------------------------------------------------


def open_rights_request(subject: Subject) -> object:
    return subject.records.rights_request.public_id


def rights_request_made(subject: Subject, ids: Ids) -> dict[str, Any]:
    """A parent asks for a kind of assessment: a right with no clock running yet."""
    return {
        "kind": "specific_assessment",
        "what": "An educational psychologist's assessment.",
        "why": "Her reading has not moved in a year.",
    }


def rights_request_recorded(subject: Subject, ids: Ids) -> dict[str, Any]:
    """The same, asked by the learner's parent in a letter the school received today."""
    parent = LearnerCarer.objects.filter(learner=subject.learner).first()
    assert parent is not None
    return {
        "requester": parent.pk,
        "channel": "letter",
        **dates("received_on", _today()),
        **rights_request_made(subject, ids),
    }


def rights_request_decided(subject: Subject, ids: Ids) -> dict[str, Any]:
    return {
        "outcome": "agreed",
        **dates("decided_on", _today()),
        "note": "The authority will assess whether a plan is needed.",
    }


def capacity_assessed(subject: Subject, ids: Ids) -> dict[str, Any]:
    return {
        **dates("assessed_on", _today()),
        "capable": "true",
        "assessed_by_name": "An educational psychologist",
    }


# Disagreements ------------------------------------------------------------------------------------


def disagreement(subject: Subject) -> object:
    return subject.records.disagreement.public_id


def new_disagreement(subject: Subject, ids: Ids) -> dict[str, Any]:
    """Valid for a family and for staff: staff's form also asks whose disagreement it is."""
    return {
        "raised_for": "parent",
        "subject": "support",
        "about": "The school stopped the lunchtime club.",
        "family_wants": "The club back.",
        "staff_notes": "",
        **dates("opened_on", _today()),
    }


def disagreement_moved(subject: Subject, ids: Ids) -> dict[str, Any]:
    return {
        "route": "scotland.authority_complaint",
        "step_outcome": "The school could not agree.",
        "staff_note": "",
        **dates("moved_on", _today()),
    }


def disagreement_route_taken(subject: Subject, ids: Ids) -> dict[str, Any]:
    """The family asked the authority to look at it: the next route open after the school."""
    return {
        "route": "scotland.authority_complaint",
        "step_outcome": "The school could not agree.",
        **dates("moved_on", _today()),
    }


def disagreement_closed(subject: Subject, ids: Ids) -> dict[str, Any]:
    return {"outcome": "Agreed at school.", "staff_note": "", **dates("closed_on", _today())}


# What parents see (ADR 0021) ----------------------------------------------------------------------


def parent_sharing_decided(subject: Subject, ids: Ids) -> dict[str, Any]:
    """The young person keeps everything but their plans from their parents."""
    return {"sharing": "chosen_parts", "parts": ["plans"]}


def parent_sharing_recorded(subject: Subject, ids: Ids) -> dict[str, Any]:
    """The same, told to the school in a letter today."""
    return {
        "sharing": "chosen_parts",
        "parts": ["plans"],
        **dates("decided_on", _today()),
        "given_by": "letter",
    }


# Outcomes ----------------------------------------------------------------------------------------


def outcome_kind(subject: Subject) -> object:
    """The kind of outcome record the harness's outcome pages are tried with."""
    return "attendance"


def attendance_record(subject: Subject) -> object:
    return subject.records.attendance.public_id


def new_attendance(subject: Subject, ids: Ids) -> dict[str, Any]:
    """The spring term of last school year, after the autumn term already recorded."""
    year = last_school_year() + 1
    return {
        **dates("starts_on", date(year, 1, 6)),
        **dates("ends_on", date(year, 3, 27)),
        "possible_sessions": "116",
        "attended_sessions": "101",
    }


def attendance_changed(subject: Subject, ids: Ids) -> dict[str, Any]:
    record = subject.records.attendance
    return {
        **dates("starts_on", record.starts_on),
        **dates("ends_on", record.ends_on),
        "possible_sessions": str(record.possible_sessions),
        "attended_sessions": str(record.attended_sessions - 1),
    }


def outcome_removed(subject: Subject, ids: Ids) -> dict[str, Any]:
    """The confirmation page's button posts nothing but the click."""
    return {}
