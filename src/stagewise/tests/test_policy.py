"""The policy layer: every service guards itself, whoever calls it.

A service called directly (as a command, a task, the admin or a future API would) with an actor
whose role lacks the capability, or who cannot see the learner, raises PermissionDenied and
writes nothing. The table below names every service; a new service without an entry fails.
"""

import ast
import inspect
from collections.abc import Callable, Iterator
from datetime import date, time, timedelta
from importlib import import_module
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from stagewise.accounts.models import User
from stagewise.actionplans.models import Action, ProgressReport
from stagewise.actionplans.services import published_plans_load
from stagewise.api.services import api_token_create, integration_create
from stagewise.audit.models import AuditAction, AuditEvent
from stagewise.audit.services import audit_session
from stagewise.conftest import ACTOR_MAKERS, World, build_world
from stagewise.coordination.models import ConsentGivenBy, ConsentMethod, ContributionKind
from stagewise.coordination.services import (
    attachment_add,
    consent_record,
    contribution_add,
    request_accept,
    request_draft,
    request_send,
    request_start,
)
from stagewise.coordination.services.meetings import (
    meeting_action_add,
    meeting_arrange,
    meeting_invite,
)
from stagewise.disagreements.services import disagreement_record
from stagewise.families.feedback_services import FeedbackGiven
from stagewise.families.review_views_services import Answers, Speaker
from stagewise.families.services import Requester, rights_request_record
from stagewise.learners.models import (
    Carer,
    ChronologyEntryType,
    StaffRelationshipKind,
    StageDecision,
)
from stagewise.learners.services import transition_plan
from stagewise.measurement.models import FundingAllocation, Measure
from stagewise.measurement.periods import school_year_of
from stagewise.measurement.services.outcomes import attendance_record
from stagewise.moderation.models import ModerationGroup
from stagewise.organisations.models import LocalAuthority, Membership, Role
from stagewise.planning.models import (
    PlanReview,
    PlanSection,
    ReviewDecision,
    SectionKind,
    ViewKind,
)
from stagewise.planning.services import content_fingerprint, target_current
from stagewise.policy import (
    ROLE_POLICIES,
    SYSTEM,
    Capability,
    CapabilityRequired,
    may,
    nation_policy,
    require,
    roles_with,
)
from stagewise.roll_imports.models import ColumnMapping, RollImport, RollImportStatus
from stagewise.statutory.models import LocalStage, ReasonForSupport
from stagewise.statutory.selectors import stage_list
from stagewise.statutory.services import ConditionsJudged, process_pause, process_start
from stagewise.testing.audit import learner_of
from stagewise.testing.factories import add_need, link_carer
from stagewise.testing.files import pdf_upload
from stagewise.testing.plans import acting, complete_plan, finalised_plan, plan_type
from stagewise.testing.worlds import built_once_per_module
from stagewise.testing.writes import tables_written
from stagewise.webhooks.models import WebhookDelivery, WebhookSubscription

# An access matrix: CI runs it on PostgreSQL only (stagewise/testing/database_passes.py).
pytestmark = pytest.mark.access_matrix

SERVICE_MODULES = [
    "stagewise.actionplans.services",
    "stagewise.api.services",
    "stagewise.coordination.services.attachments",
    "stagewise.coordination.services.consents",
    "stagewise.coordination.services.contributions",
    "stagewise.coordination.services.meetings",
    "stagewise.coordination.services.pathways",
    "stagewise.coordination.services.requests",
    "stagewise.data_protection.services",
    "stagewise.families.feedback_services",
    "stagewise.families.review_views_services",
    "stagewise.families.services",
    "stagewise.families.transition_part_services",
    "stagewise.disagreements.services",
    "stagewise.learners.services.moves",
    "stagewise.learners.services.record",
    "stagewise.learners.services.sharing",
    "stagewise.learners.services.support",
    "stagewise.measurement.services.outcomes",
    "stagewise.measurement.imports",
    "stagewise.measurement.services.funding",
    "stagewise.moderation.services",
    "stagewise.transfers.services",
    "stagewise.organisations.public_information_services",
    "stagewise.organisations.services",
    "stagewise.planning.services.content",
    "stagewise.planning.services.plans",
    "stagewise.planning.services.reviews",
    "stagewise.planning.services.sharing",
    "stagewise.roll_imports.services",
    "stagewise.statutory.services.considerations",
    "stagewise.statutory.services.plan_clocks",
    "stagewise.statutory.services.processes",
    "stagewise.statutory.services.thresholds",
    "stagewise.webhooks.services",
]
# Helpers inside the services that take an actor but are not entry points of their own.
NOT_ENTRY_POINTS = {
    "lock_editable_plan",
    "require_plan_editor",
    "require_closer",
    "audit_plan",
    "may_mark_done",  # a question the pages ask, not a change
    "consent_withdraw_capability",  # which capability withdrawing needs: a question, not a change
}


def service_functions() -> dict[str, Callable[..., Any]]:
    """Every public function in a services module that takes an actor."""
    found: dict[str, Callable[..., Any]] = {}
    for name in SERVICE_MODULES:
        module = import_module(name)
        for function_name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != name or function_name.startswith("_"):
                continue
            if function_name in NOT_ENTRY_POINTS:
                continue
            if "actor" in inspect.signature(function).parameters:
                found[function_name] = function
    return found


def today():
    return timezone.localdate()


def _roll_file(w):
    learner = w.learner
    return (
        "Candidate Number,Legal Forename,Legal Surname,Date of Birth,Sex,Year Group\n"
        f"{learner.candidate_number},Ailsa,Campbell,{learner.date_of_birth:%d/%m/%Y},F,S5\n"
    ).encode()


def _roll_import(w):
    """A checked import of the learner's school's roll, made by its head teacher."""
    membership = Membership.objects.get(user=w.head, setting=w.school)
    return RollImport.objects.create(
        created_by=w.head,
        membership=membership,
        setting=w.school,
        authority=w.school.authority,
        mapping=ColumnMapping.objects.get(name="Generic census export"),
        file_name="roll.csv",
        content=_roll_file(w),
        content_sha256="",
        status=RollImportStatus.CHECKED,
        report={"counts": {}, "lines": [], "leavers": []},
    )


def _integration(w):
    return integration_create(
        actor=SYSTEM, name="Riverside MIS", role=Role.HEAD_TEACHER, setting=w.school
    )


def _subscription(w):
    return WebhookSubscription.objects.create(
        integration=_integration(w),
        target_url="https://example.org/hooks",
        event_types=["plan.finalised"],
        encrypted_secret=b"",
        secret_hint="whsec_abcd",
    )


def _moderation_case(w, verdict="disagree"):
    """A decision about the learner at the school, sampled, assigned to no one, and (unless
    `verdict` is empty) disagreed with."""
    from stagewise.moderation.models import ModerationCase, ModerationSample

    decision = StageDecision.objects.create(
        learner=w.learner,
        stage=stage_list(w.school.authority)[0],
        decided_on=today(),
        rationale="Agreed at the planning meeting.",
        next_review_on=today() + timedelta(days=90),
        decided_for_setting=w.school,
    )
    sample = ModerationSample.objects.create(
        authority=w.school.authority,
        decided_from=today(),
        decided_to=today(),
        size=1,
        seed=1,
        population_count=1,
    )
    return ModerationCase.objects.create(
        sample=sample,
        learner=w.learner,
        decision=decision,
        number=1,
        setting=w.school,
        stage=decision.stage,
        verdict=verdict,
        reason="The evidence points elsewhere." if verdict else "",
    )


def _action_plan_action():
    published_plans_load(actor=SYSTEM)
    return Action.objects.get(number="LI 9")


def _progress_report(w):
    published_plans_load(actor=SYSTEM)
    return ProgressReport.objects.create(
        nation=w.school.authority.nation,
        title="Progress report",
        starts_on=date(2024, 12, 1),
        ends_on=date(2026, 5, 31),
        created_by=w.teacher,
    )


def _iep(w):
    return complete_plan(acting(w.teacher), w.learner, "individualised_educational_programme")


def _finalised(w):
    return finalised_plan(acting(w.teacher), w.learner, "individualised_educational_programme")


def _meeting(w):
    return meeting_arrange(
        actor=SYSTEM,
        learner=w.learner,
        kind="joint_support_team",
        held_on=today(),
        starts_at=time(9, 30),
        place="The library",
        purpose="Plan the next term.",
    )


def _meeting_action(w):
    meeting = _meeting(w)
    meeting_invite(actor=SYSTEM, meeting=meeting, user=w.teacher)
    return meeting_action_add(
        actor=SYSTEM,
        meeting=meeting,
        description="Observe in class.",
        owner=w.teacher,
        due_on=today() + timedelta(days=21),
    )


def _reviewed_soon(w):
    plan = _finalised(w)
    plan.next_review_on = today() + timedelta(days=14)
    plan.save(update_fields=["next_review_on"])
    return plan


def _reviewed(w):
    """A review of the finalised plan, recorded today."""
    return PlanReview.objects.create(
        plan=_finalised(w),
        version_number=1,
        held_on=today(),
        attendees="Teacher, parent",
        decision=ReviewDecision.CONTINUE,
    )


def _process(w, paused=False):
    process = process_start(
        actor=SYSTEM,
        learner=w.learner,
        rule_key="scotland.establish_needs_request",
        started_on=today() - timedelta(days=7),
    )
    if paused:
        process_pause(actor=SYSTEM, process=process, paused_on=today(), reason="Parent asked")
    return process


def _rights_request(w):
    return rights_request_record(
        actor=SYSTEM,
        learner=w.learner,
        kind="specific_assessment",
        requester=Requester(carer_link=link_carer(w.learner)),
        channel="letter",
        received_on=today(),
        what="A psychological assessment",
        why="Reading is not improving",
    )


def _disagreement(w):
    return disagreement_record(
        actor=SYSTEM,
        learner=w.learner,
        subject="support",
        about="The support stopped.",
        family_wants="The support back.",
        opened_on=today(),
        raised_for="parent",
    )


def _request(w, until="draft"):
    """A request about the learner to the involved agency, taken as far as `until`."""
    request = request_draft(
        actor=SYSTEM,
        learner=w.learner,
        service=w.agency_record,
        reason="Hard to understand",
        tried="Small-group work",
        tried_for="A term",
        learner_views="Wants help",
        family_views="Agree",
    )
    if until == "draft":
        return request
    consent_record(
        actor=SYSTEM,
        request=request,
        given_by=ConsentGivenBy.PARENT,
        given_by_name="A parent",
        given_on=today(),
        method=ConsentMethod.IN_WRITING,
        parts=[],
    )
    if until == "consented":
        return request
    request_send(actor=SYSTEM, request=request)
    if until == "sent":
        return request
    request_accept(actor=SYSTEM, request=request, practitioner=w.agency_practitioner)
    if until == "allocated":
        return request
    return request_start(actor=SYSTEM, request=request)


def _last_school_year():
    return school_year_of(today()) - 1


def _autumn_attendance(w):
    year = _last_school_year()
    return attendance_record(
        actor=SYSTEM,
        learner=w.learner,
        starts_on=date(year, 8, 20),
        ends_on=date(year, 10, 10),
        possible_sessions=70,
        attended_sessions=60,
    )


def _contribution(w):
    """Advice the service's practitioner wrote on a request they are working on."""
    return contribution_add(
        actor=SYSTEM,
        request=_request(w, "started"),
        kind=ContributionKind.ADVICE,
        title="Speech and language advice",
        body="Short instructions, one step at a time.",
        suggested_description="Small-group language work",
        suggested_frequency="Twice a week",
    )


def _section(plan):
    return PlanSection.objects.filter(plan_type=plan.plan_type, kind=SectionKind.TEXT).first()


# Each service: the valid arguments (other than the actor) it would accept from someone allowed.
SERVICE_ARGUMENTS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "request_draft": lambda w: {
        "learner": w.learner,
        "service": w.agency_record,
        "reason": "Hard to understand",
        "tried": "Small-group work",
        "tried_for": "A term",
        "learner_views": "Wants help",
        "family_views": "Agree",
    },
    "request_update": lambda w: {"request": _request(w), "reason": "Changed"},
    "attachment_add": lambda w: {"request": _request(w), "upload": pdf_upload()},
    "attachment_remove": lambda w: {
        "attachment": attachment_add(actor=SYSTEM, request=_request(w), upload=pdf_upload())
    },
    "lawful_basis_record": lambda w: {"request": _request(w), "lawful_basis": "Risk of harm"},
    "consent_record": lambda w: {
        "request": _request(w),
        "given_by": ConsentGivenBy.PARENT,
        "given_by_name": "A parent",
        "given_on": today(),
        "method": ConsentMethod.IN_PERSON,
        "parts": [],
    },
    "consent_withdraw": lambda w: {"consent": _request(w, "consented").consents.get()},
    "request_send": lambda w: {"request": _request(w, "consented")},
    "request_withdraw": lambda w: {"request": _request(w, "sent"), "reason": "No longer needed"},
    "request_accept": lambda w: {"request": _request(w, "sent")},
    "request_waiting_list": lambda w: {"request": _request(w, "sent")},
    "request_decline": lambda w: {"request": _request(w, "sent"), "reason": "Not for us"},
    "request_allocate": lambda w: {
        "request": _request(w, "sent"),
        "practitioner": w.agency_practitioner,
    },
    "request_start": lambda w: {"request": _request(w, "allocated")},
    "request_complete": lambda w: {"request": _request(w, "started"), "note": "Advice given"},
    "contribution_add": lambda w: {
        "request": _request(w, "started"),
        "kind": ContributionKind.ASSESSMENT,
        "title": "Speech and language assessment",
        "body": "Understands two-step instructions.",
    },
    "contribution_accept": lambda w: {
        "contribution": _contribution(w),
        "target": _iep(w).targets.first(),
    },
    "pathway_save": lambda w: {
        "service": w.agency_record,
        "summary": "Speech and language therapy",
        "access_criteria": "Children up to 18",
        "request_must_include": "What has been tried",
        "usual_stages": ["targeted"],
        "response_weeks": 8,
        "telephone": "0141 496 0100",
    },
    "learner_create": lambda w: {
        "setting": w.school,
        "year_group": "P5",
        "enrolled_on": today(),
        "legal_first_name": "New",
        "legal_last_name": "Learner",
        "date_of_birth": today() - timedelta(days=3650),
    },
    "learner_update": lambda w: {"learner": w.learner, "data": {"preferred_name": "Changed"}},
    "carer_link": lambda w: {
        "learner": w.learner,
        "carer": Carer(full_name="A New Carer"),
        "relationship": "mother",
    },
    "meeting_arrange": lambda w: {
        "learner": w.learner,
        "kind": "joint_support_team",
        "held_on": today() + timedelta(days=7),
        "starts_at": time(9, 30),
        "place": "The library",
        "purpose": "Plan the next term.",
    },
    "meeting_invite": lambda w: {"meeting": _meeting(w), "user": w.teacher},
    "meeting_attendance_record": lambda w: {"meeting": _meeting(w), "attendance": {}},
    "meeting_views_record": lambda w: {"meeting": _meeting(w), "words": "I like art."},
    "meeting_minutes_write": lambda w: {"meeting": _meeting(w), "minutes": "Agreed."},
    "meeting_action_add": lambda w: {
        "meeting": _meeting(w),
        "description": "Observe in class.",
        "owner": w.teacher,
        "due_on": today() + timedelta(days=21),
    },
    "meeting_action_done": lambda w: {"action": _meeting_action(w)},
    "review_feedback_give": lambda w: {
        "review": _reviewed(w),
        "given": FeedbackGiven(feel_supported="yes", listened_to="yes"),
    },
    "review_feedback_decline": lambda w: {"review": _reviewed(w)},
    "review_views_invite": lambda w: {"plan": _reviewed_soon(w)},
    "review_views_invite_due": lambda w: {},
    "review_views_give": lambda w: {
        "plan": _reviewed_soon(w),
        "answers": Answers(going_well="Reading"),
        "version": "parent",
        "labels": {},
    },
    "review_views_record": lambda w: {
        "plan": _reviewed_soon(w),
        "speaker": Speaker(),
        "channel": "telephone",
        "gathered_on": today(),
        "answers": Answers(going_well="Reading"),
        "labels": {},
    },
    "authority_statement_save": lambda w: {
        "authority": w.school.authority,
        "how_to_ask": "Ask the school.",
    },
    "school_offer_save": lambda w: {
        "setting": w.school,
        "statement": "Small-group reading.",
        "provision": [("Reading group", "")],
    },
    "learner_move": lambda w: {
        "learner": w.learner,
        "to_setting": w.world.fife_school,
        "moved_on": today(),
        "year_group": "S5",
        "reason": "The family moved to Fife.",
    },
    "learner_arrival_acknowledge": lambda w: {"learner": w.learner},
    "record_transfer_export": lambda w: {"learner": w.learner},
    "signing_key_replace": lambda w: {"authority": w.school.authority},
    "record_transfer_check": lambda w: {"setting": w.school, "content": b"{}"},
    "record_transfer_import": lambda w: {
        "setting": w.school,
        "content": b"{}",
        "confirmed_match": "new",
        "year_group": "P5",
    },
    "transition_plan": lambda w: {
        "learner": w.learner,
        "kind": "leaving_school",
        "planned_on": today() + timedelta(days=400),
        "plan": "College visits in spring.",
    },
    "staff_relationship_start": lambda w: {
        "learner": w.learner,
        "staff": w.colleague,
        "kind": StaffRelationshipKind.CLASS_TEACHER,
        "started_on": today(),
    },
    "need_record": lambda w: {
        "learner": w.learner,
        "reason": ReasonForSupport.objects.filter(nation__code="scotland").first(),
        "identified_on": today(),
    },
    "need_resolve": lambda w: {"need": add_need(w.learner), "resolved_on": today()},
    "stage_decide": lambda w: {
        "learner": w.learner,
        "stage": LocalStage.objects.first(),
        "decided_on": today(),
        "rationale": "Needs more support",
        "next_review_on": today() + timedelta(days=90),
    },
    "wellbeing_assess": lambda w: {
        "learner": w.learner,
        "assessed_on": today(),
        "ratings": {},
    },
    "chronology_record": lambda w: {
        "learner": w.learner,
        "entry_type": ChronologyEntryType.values[0],
        "occurred_on": today(),
        "summary": "Met the family",
        "source": "Head teacher",
    },
    "setting_create": lambda w: {
        "authority": w.school.authority,
        "name": "New School",
        "setting_type": w.school.setting_type,
    },
    "setting_update": lambda w: {
        "setting": w.school,
        "name": "Renamed School",
        "name_cy": "",
        "setting_type": w.school.setting_type,
        "language_medium": w.school.language_medium,
        "reference_number": "",
    },
    "agency_create": lambda w: {
        "authority": w.school.authority,
        "name": "New Agency",
        "agency_type": w.other_agency_record.agency_type,
    },
    "agency_update": lambda w: {
        "agency": w.other_agency_record,
        "name": "Renamed",
        "name_cy": "",
        "agency_type": w.other_agency_record.agency_type,
    },
    "person_create": lambda w: {"email": "new@example.org", "full_name": "New Person"},
    "membership_create": lambda w: {
        "user": w.colleague,
        "role": Role.HEAD_TEACHER,
        "setting": w.school,
    },
    "membership_end": lambda w: {
        "membership": w.colleague.memberships.first(),
        "ended_on": today(),
    },
    "plan_create": lambda w: {
        "learner": w.learner,
        "plan_type": plan_type("individualised_educational_programme"),
    },
    "plan_section_update": lambda w: (
        lambda plan, section: {
            "plan": plan,
            "section": section,
            "text": "Changed",
            "based_on": content_fingerprint({"text": ""}),
        }
    )(plan := _iep(w), _section(plan)),
    "plan_details_update": lambda w: {
        "plan": _iep(w),
        "starts_on": today(),
        "next_review_on": today() + timedelta(days=90),
        "multi_agency": False,
        "lead_professional": "",
        "based_on": "",
    },
    "plan_staff_notes_update": lambda w: {"plan": _iep(w), "staff_notes": "x", "based_on": ""},
    "target_add": lambda w: {"plan": _iep(w), "outcome": "Read aloud"},
    "target_update": lambda w: (
        lambda target: {
            "target": target,
            **target_current(target),
            "outcome": "Changed",
            "based_on": content_fingerprint(target_current(target)),
        }
    )(_iep(w).targets.first()),
    "target_remove": lambda w: (
        lambda target: {"target": target, "based_on": content_fingerprint(target_current(target))}
    )(_iep(w).targets.first()),
    "provision_add": lambda w: {
        "target": _iep(w).targets.first(),
        "description": "Reading group",
        "frequency": "Weekly",
        "starts_on": today(),
        "provider_name": "Assistant",
    },
    "provision_remove": lambda w: {"provision": _iep(w).targets.first().provision.first()},
    "view_add": lambda w: {
        "plan": _iep(w),
        "kind": ViewKind.LEARNER,
        "speaker": "Ailsa",
        "words": "I like maths",
        "gathered_on": today(),
    },
    "view_remove": lambda w: {"view": _iep(w).views.first()},
    "plan_finalise": lambda w: (
        lambda plan: {"plan": plan, "based_on_revision": plan.edit_revision}
    )(_iep(w)),
    "plan_support_in_place": lambda w: {"plan": _finalised(w), "in_place_on": today()},
    "plan_review_begin": lambda w: {"plan": _finalised(w)},
    "plan_revise": lambda w: {"plan": _finalised(w)},
    "plan_close": lambda w: {"plan": _finalised(w), "closed_on": today(), "reason": "Moved"},
    "plan_review_record": lambda w: {
        "plan": _finalised(w),
        "held_on": today(),
        "attendees": "Teacher, parent",
        "views_beforehand": "Gathered",
        "progress": [],
        "decision": ReviewDecision.CONTINUE,
        "next_review_on": today() + timedelta(days=90),
    },
    "plan_communication_record": lambda w: {
        "plan": _finalised(w),
        "recipient": "Parent",
        "recipient_kind": "parent",
        "sent_on": today(),
        "format": "family_portal",
    },
    "plan_response_record": lambda w: {"plan": _finalised(w), "response": "agreed"},
    "plan_responses_mark_read": lambda w: {"plan": _finalised(w)},
    "coordinated_support_plan_consider": lambda w: {
        "learner": w.learner,
        "considered_on": today(),
        "conditions": ConditionsJudged(True, False, False, False),
        "conclusion": "not_required",
        "reason": "Support from the school meets her needs.",
    },
    "process_start": lambda w: {
        "learner": w.learner,
        "rule_key": "scotland.establish_needs_request",
        "started_on": today(),
    },
    "process_pause": lambda w: {"process": _process(w), "paused_on": today(), "reason": "Asked"},
    "process_resume": lambda w: {"process": _process(w, paused=True), "resumed_on": today()},
    "process_extend": lambda w: {
        "process": _process(w),
        "new_due_on": today() + timedelta(weeks=9),
        "reason": "The agency's report is late.",
    },
    "process_close": lambda w: {"process": _process(w), "closed_on": today(), "outcome": "done"},
    "disagreement_record": lambda w: {
        "learner": w.learner,
        "subject": "support",
        "about": "The support stopped.",
        "family_wants": "The support back.",
        "opened_on": today(),
        "raised_for": "parent",
    },
    "disagreement_move": lambda w: {
        "disagreement": _disagreement(w),
        "route_key": "scotland.authority_complaint",
        "moved_on": today(),
        "step_outcome": "Not settled at school.",
    },
    "disagreement_close": lambda w: {
        "disagreement": _disagreement(w),
        "closed_on": today(),
        "outcome": "Settled.",
    },
    "process_dates_refresh": lambda w: {"process": _process(w)},
    "plan_clocks_opened": lambda w: {"plan": _iep(w), "opened_on": today()},
    "plan_clocks_finalised": lambda w: {
        "plan": _iep(w),
        "signed_on": today(),
        "first_version": True,
    },
    "plan_clocks_reviewed": lambda w: {"plan": _iep(w), "held_on": today(), "plan_continues": True},
    "plan_clocks_closed": lambda w: {"plan": _iep(w), "closed_on": today()},
    "rights_request_make": lambda w: {
        "learner": w.learner,
        "kind": "specific_assessment",
        "what": "A psychological assessment",
        "why": "Reading is not improving",
    },
    "rights_request_record": lambda w: {
        "learner": w.learner,
        "kind": "specific_assessment",
        "requester": Requester(),
        "channel": "letter",
        "received_on": today(),
        "what": "A psychological assessment",
        "why": "Reading is not improving",
    },
    "rights_request_decide": lambda w: {
        "request": _rights_request(w),
        "outcome": "agreed",
        "decided_on": today(),
        "note": "Agreed",
    },
    "transition_family_part_give": lambda w: {
        "transition": transition_plan(
            actor=SYSTEM,
            learner=w.learner,
            kind="moving_school",
            planned_on=today() + timedelta(days=30),
            plan="Visits first.",
        ),
        "words": "We will visit in May.",
    },
    "parent_sharing_decide": lambda w: {"learner": w.learner, "sharing": "nothing"},
    "parent_sharing_record": lambda w: {
        "learner": w.learner,
        "sharing": "nothing",
        "decided_on": today(),
        "given_by": "letter",
    },
    "attendance_record": lambda w: {
        "learner": w.learner,
        "starts_on": date(_last_school_year(), 8, 20),
        "ends_on": date(_last_school_year(), 10, 10),
        "possible_sessions": 70,
        "attended_sessions": 60,
    },
    "exclusion_record": lambda w: {
        "learner": w.learner,
        "excluded_on": date(_last_school_year(), 9, 1),
        "days": 1,
    },
    "part_time_timetable_record": lambda w: {
        "learner": w.learner,
        "starts_on": date(_last_school_year(), 9, 1),
        "ends_on": None,
        "hours_a_week": 10,
        "reason": "health",
    },
    "mainstream_time_record": lambda w: {
        "learner": w.learner,
        "school_year": _last_school_year(),
        "timetabled_hours_a_week": 25,
        "mainstream_hours_a_week": 20,
    },
    "curriculum_judgement_record": lambda w: {
        "learner": w.learner,
        "school_year": _last_school_year(),
        "year_group": "S3",
        "area": "reading",
        "level": "third",
    },
    "qualification_record": lambda w: {
        "learner": w.learner,
        "awarded_on": date(_last_school_year() + 1, 6, 20),
        "title": "National 5 English",
        "framework_level": 5,
    },
    "leaver_destination_record": lambda w: {
        "learner": w.learner,
        "left_on": date(_last_school_year() + 1, 6, 26),
        "destination": "employment",
    },
    "outcome_change": lambda w: {"record": _autumn_attendance(w), "attended_sessions": 65},
    "outcome_remove": lambda w: {"record": _autumn_attendance(w)},
    "funding_record": lambda w: {
        "authority": w.school.authority,
        "school_year": school_year_of(today()),
        "amount": 1000,
        "source": "Scottish Government",
        "purpose": "Pupil support assistants",
        "measures": list(Measure.objects.filter(code="attendance_rate")),
    },
    "funding_remove": lambda w: {
        "allocation": FundingAllocation.objects.create(
            authority=w.school.authority,
            school_year=school_year_of(today()),
            amount=1000,
            source="Scottish Government",
            purpose="Pupil support assistants",
        )
    },
    "outcome_import": lambda w: {
        "kind": "attendance",
        "file": (
            "candidate_number,starts_on,ends_on,possible_sessions,attended_sessions\n"
            f"{w.learner.candidate_number},2024-09-02,2024-09-06,10,9\n"
        ).encode(),
        "dry_run": False,
    },
    "subject_access_export": lambda w: {"learner": w.learner, "file_format": "zip"},
    "retention_review_run": lambda w: {},
    "learner_erase": lambda w: {"learner": w.learner, "confirmed": True},
    "records_erase": lambda w: {
        "learner": w.learner,
        "record_type": "notifications.Notification",
        "confirmed": True,
    },
    "published_plans_load": lambda w: {},
    "progress_update_add": lambda w: {
        "action": _action_plan_action(),
        "written_on": today(),
        "text": "Progress.",
    },
    "action_status_change": lambda w: {
        "action": _action_plan_action(),
        "status": "complete",
        "reason": "Delivered.",
    },
    "evidence_add": lambda w: {
        "action": _action_plan_action(),
        "title": "Minutes",
        "web_address": "https://www.gov.scot/",
    },
    "action_measure_link": lambda w: {
        "action": _action_plan_action(),
        "measure": Measure.objects.get(code="attendance_rate"),
    },
    "progress_report_create": lambda w: {
        "title": "Progress report",
        "starts_on": date(2024, 12, 1),
        "ends_on": date(2026, 5, 31),
    },
    "progress_report_publish": lambda w: {"report": _progress_report(w)},
    "progress_report_delete": lambda w: {"report": _progress_report(w)},
    "local_action_add": lambda w: {
        "authority": w.school.authority,
        "reference": "GC 1",
        "text": "Promote mediation in every school.",
        "responsible_team": "Inclusion Service",
        "timeframe": "By end 2030",
        "national_actions": [_action_plan_action()],
    },
    "sample_draw": lambda w: {"decided_from": today(), "decided_to": today(), "size": 1},
    "moderators_assign": lambda w: {
        "sample": _moderation_case(w).sample,
        "moderators": list(Membership.objects.filter(setting=w.school)),
    },
    "case_reassign": lambda w: {
        "case": _moderation_case(w, verdict=""),
        "moderator": Membership.objects.filter(setting=w.school).first(),
    },
    "case_review": lambda w: {
        "case": _moderation_case(w, verdict=""),
        "verdict": "agree",
        "reason": "",
    },
    "disagreement_consider": lambda w: {"case": _moderation_case(w), "response": "Considered."},
    "integration_create": lambda w: {
        "name": "Riverside MIS",
        "role": Role.SUPPORT_FOR_LEARNING_LEAD,
        "setting": w.school,
    },
    "api_token_create": lambda w: {"integration": _integration(w), "scopes": ["learners:read"]},
    "api_token_revoke": lambda w: {
        "token": api_token_create(
            actor=SYSTEM, integration=_integration(w), scopes=["learners:read"]
        ).token
    },
    "webhook_subscription_create": lambda w: {
        "integration": _integration(w),
        "target_url": "https://example.org/hooks",
        "event_types": ["plan.finalised"],
    },
    "webhook_subscription_pause": lambda w: {"subscription": _subscription(w)},
    "webhook_subscription_resume": lambda w: {"subscription": _subscription(w)},
    "webhook_subscription_remove": lambda w: {"subscription": _subscription(w)},
    "webhook_delivery_resend": lambda w: {
        "delivery": WebhookDelivery.objects.create(
            subscription=_subscription(w),
            event_type="plan.finalised",
            occurred_at=timezone.now(),
            status="given_up",
        )
    },
    "webhook_deliveries_requeue": lambda w: {},
    "webhook_deliveries_expire": lambda w: {"kept_for_years": 1},
    "moderation_group_create": lambda w: {
        "name": "West",
        "authorities": list(LocalAuthority.objects.filter(nation=w.school.authority.nation)[:2]),
    },
    "moderation_group_update": lambda w: {
        "group": ModerationGroup.objects.create(name="East"),
        "name": "West",
        "authorities": list(LocalAuthority.objects.filter(nation=w.school.authority.nation)[:2]),
    },
    "column_mapping_create": lambda w: {
        "name": "Another export",
        "columns": {
            "candidate_number": "UPN",
            "legal_first_name": "Forename",
            "legal_last_name": "Surname",
            "date_of_birth": "DOB",
            "sex": "Gender",
            "year_group": "Year",
        },
        "date_order": "iso",
    },
    "roll_import_check": lambda w: {
        "mapping": ColumnMapping.objects.get(name="Generic census export"),
        "file_name": "roll.csv",
        "content": _roll_file(w),
    },
    "column_mapping_change": lambda w: {
        "mapping": ColumnMapping.objects.get(name="Generic census export"),
        "name": "Renamed export",
        "columns": {"candidate_number": "UPN"},
        "date_order": "iso",
    },
    "column_mapping_retire": lambda w: {
        "mapping": ColumnMapping.objects.get(name="Generic census export")
    },
    "column_mapping_reinstate": lambda w: {
        "mapping": ColumnMapping.objects.get(name="Generic census export")
    },
    "roll_imports_expire": lambda w: {"kept_for_years": 1},
    "roll_import_start": lambda w: {"roll_import": _roll_import(w), "leavers_to_end": []},
    "roll_import_run": lambda w: {"roll_import": _roll_import(w)},
    "capacity_assessment_record": lambda w: {
        "learner": w.learner,
        "assessed_on": today(),
        "capable": True,
        "assessed_by_name": "A psychologist",
    },
}


def test_every_service_is_in_the_table_so_none_can_be_added_unguarded():
    assert set(service_functions()) == set(SERVICE_ARGUMENTS)


def test_every_service_starts_by_requiring_a_capability():
    """Read the code: each service's body calls a guard before anything else it does."""
    guards = (
        "require",
        "require_for_learner",
        "require_for_setting",
        "require_for_subject_access",
        "require_for_erasure",
        "require_plan_editor",
        "lock_editable_plan",
        "_move",
        "_plan_guard",
        "_require_own_service",
        "_require_own_authority",
        "_require_allocated",
        "_require_may_withdraw",
        "_require_stagewise_itself",
        "_require_family_member",
        "_require_tracks",
        "_require_makes_reports",
        "_require_keeps_local_plan",
    )
    for name, function in service_functions().items():
        tree = ast.parse(inspect.getsource(function).lstrip())
        called = [
            node.func.id
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        ]
        assert any(guard in called for guard in guards), f"{name} never requires a capability"


@pytest.fixture(scope="module")
def policy_world(
    django_db_setup: None, django_db_blocker: Any
) -> Iterator[tuple[World, dict[str, User]]]:
    """conftest's world and every named actor in it, built once for the module: each of the
    table's hundreds of cases used to build them again."""

    def build() -> tuple[World, dict[str, User]]:
        world = build_world()
        return world, {name: make(world) for name, make in ACTOR_MAKERS.items()}

    with built_once_per_module(build, django_db_blocker) as built:
        yield built


@pytest.fixture
def world(policy_world: tuple[World, dict[str, User]], db: None) -> World:
    """The module's world, with this test's changes rolled back when it ends."""
    return policy_world[0]


def _named_actor(name: str) -> Any:
    """The module's `name` (teacher, parent...) in place of conftest's fixture, which builds one
    for each test."""

    def named(policy_world: tuple[World, dict[str, User]], db: None) -> User:
        return policy_world[1][name]

    return pytest.fixture(name=name)(named)


globals().update({f"_{name}_of_the_module": _named_actor(name) for name in ACTOR_MAKERS})


class Actors:
    def __init__(self, request: pytest.FixtureRequest) -> None:
        self.request = request

    def __getattr__(self, name: str) -> Any:
        return self.request.getfixturevalue(name)


@pytest.fixture
def w(request, world, teacher, colleague, other_agency):
    actors = Actors(request)
    actors.learner = world.learner  # type: ignore[attr-defined]
    actors.school = world.school  # type: ignore[attr-defined]
    actors.other_agency_record = world.other_agency  # type: ignore[attr-defined]
    actors.agency_record = world.agency  # type: ignore[attr-defined]
    return actors


# Roles that lack what every learner-facing service needs, and one that has the capability
# but not the learner (a class teacher at another school); for organisation services, staff.
REFUSED_ACTORS = ["analyst", "outsider_teacher", "other_parent"]


@pytest.mark.parametrize("service", sorted(SERVICE_ARGUMENTS))
@pytest.mark.parametrize("refused", REFUSED_ACTORS)
def test_a_service_called_directly_by_someone_without_the_capability_raises_and_writes_nothing(
    w, request, service, refused
):
    arguments = SERVICE_ARGUMENTS[service](w)
    actor = acting(request.getfixturevalue(refused))

    with tables_written() as written, pytest.raises(PermissionDenied):
        service_functions()[service](actor=actor, **arguments)

    assert written == set()


def test_staff_cannot_answer_for_the_family_nor_a_family_change_the_plan(w, parent, teacher):
    plan = _finalised(w)
    with pytest.raises(PermissionDenied):
        service_functions()["plan_response_record"](
            actor=acting(teacher), plan=plan, response="agreed"
        )
    with pytest.raises(PermissionDenied):
        service_functions()["plan_revise"](actor=acting(parent), plan=plan)


def test_a_refused_service_call_is_recorded_as_a_refusal_against_the_learner(w, outsider_teacher):
    # A command or task runs its work in an audit session, as every request does.
    with audit_session(), pytest.raises(PermissionDenied):
        service_functions()["need_record"](
            actor=acting(outsider_teacher), **SERVICE_ARGUMENTS["need_record"](w)
        )

    refusal = AuditEvent.objects.get(action=AuditAction.REFUSED)
    assert learner_of(refusal) == w.learner
    assert refusal.purpose == "record need"


def test_a_class_teacher_cannot_record_a_restricted_chronology_entry_even_without_the_form(
    w, teacher
):
    arguments = SERVICE_ARGUMENTS["chronology_record"](w) | {"restricted": True}

    with pytest.raises(PermissionDenied):
        service_functions()["chronology_record"](actor=acting(teacher), **arguments)


def test_stagewise_itself_may_do_what_its_commands_do_but_a_missing_actor_is_refused(w):
    assert may(SYSTEM, Capability.ENROL_LEARNERS)
    with pytest.raises(CapabilityRequired):
        require(None, Capability.VIEW_LEARNER)


def test_every_role_has_a_policy_and_families_receive_the_family_projection():
    assert set(ROLE_POLICIES) == set(Role.values)
    assert ROLE_POLICIES[Role.PARENT_CARER].audience == "family"
    assert ROLE_POLICIES[Role.YOUNG_PERSON].audience == "family"
    for role, policy in ROLE_POLICIES.items():
        if role in (Role.NATIONAL_ANALYST, Role.SYSTEM_ADMINISTRATOR):
            assert policy.scope == "none", role


def test_nation_differences_are_data():
    assert nation_policy("wales").provision_language_required
    assert not nation_policy("scotland").provision_language_required
    assert str(nation_policy("wales").learner_identifier) == "Unique pupil number"
    assert nation_policy(None) == nation_policy("scotland")


def test_only_a_local_authority_officer_keeps_a_local_action_plan():
    assert roles_with(Capability.KEEP_LOCAL_ACTION_PLAN) == {Role.LOCAL_AUTHORITY_OFFICER}
    assert ROLE_POLICIES[Role.LOCAL_AUTHORITY_OFFICER].organisation == "authority"


def test_only_a_policy_officer_tracks_action_plans_and_they_see_no_learner():
    policy = ROLE_POLICIES[Role.POLICY_OFFICER]

    assert roles_with(Capability.TRACK_ACTION_PLANS) == {Role.POLICY_OFFICER}
    assert policy.capabilities == {Capability.TRACK_ACTION_PLANS}
    assert (policy.scope, policy.audience, policy.organisation) == ("none", "none", "national_body")
    assert policy.work_queue == frozenset()
