"""Who may reach which learner's data, page by page: the access policy as a table, and every named
actor run against it for their own learner and for someone else's, reading and writing.

The world (built once for this module; each test's changes are rolled back):
`learner`, Ailsa Campbell, attends Riverside Primary School in Glasgow; the class teacher `teacher`
and the head (her named person) are linked to her, her parent and she herself have accounts, and
the Glasgow speech and language therapy service is involved. `other_learner`, Finlay Reid,
attends a school in Fife, where only `other_authority_officer` and `other_parent` know him. Each
learner has an open need, a wellbeing assessment and three plans: a finalised individualised
educational programme, a personal learning plan being revised (version 1 signed off, version 2
being written) and a child's plan still in draft; and two statutory clocks, a request to
establish needs running and a request for an early review paused.

The rule for every address: someone who does not see the learner gets 404, never a hint the record
exists, and the attempt is recorded against that learner. Someone who sees the learner gets the
address if their role may use it, and 403 if not. A family sees only plans that have been finalised,
and never the staff record of a plan (its versions and their comparison).

The harness machinery is in stagewise/testing/access_harness.py; the valid forms it posts, and the
records each URL names, in stagewise/testing/access_payloads.py.
"""

import re
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import HttpResponse
from django.urls import URLResolver, include, path, re_path, reverse
from django.urls.resolvers import RegexPattern
from django.utils import timezone

import stagewise
from stagewise.accounts.actors import actors_for
from stagewise.api.tests.access_matrix import CHECKS as API_CHECKS
from stagewise.audit.models import AuditAction, AuditEvent
from stagewise.data_protection.models import RetentionDue, RetentionSchedule
from stagewise.learners.access import ERASURE_RECORD_TYPE
from stagewise.learners.models import Enrolment, Learner, StaffRelationshipKind
from stagewise.learners.services import learner_move
from stagewise.notifications.models import Notification, NotificationKind
from stagewise.organisations.models import Membership, Role
from stagewise.policy import SYSTEM
from stagewise.roll_imports.models import ColumnMapping
from stagewise.testing import access_payloads as valid
from stagewise.testing.access_harness import (
    ALL_ROLES,
    DRAFT_PLAN,
    FINALISED_PLAN,
    PAGE,
    PLAN_BEING_REVISED,
    ActorSpec,
    ListPage,
    Outcome,
    Page,
    Specification,
    Variant,
    World,
    Write,
    audit_mark,
    audit_since,
    changed,
    patterns_without_expectations,
    record_states,
    send,
    state_keys,
    text,
    url_kwargs,
    url_patterns,
    world_for_module,
)
from stagewise.testing.audit import learner_of
from stagewise.testing.factories import link_carer
from stagewise.testing.writes import tables_written
from stagewise.transfers.models import SigningKey
from stagewise.webhooks.tests.access_matrix import CHECKS as WEBHOOK_CHECKS

# An access matrix: CI runs it on PostgreSQL only (stagewise/testing/database_passes.py).
pytestmark = pytest.mark.access_matrix

# The named actors of ARCHITECTURE.md, as stagewise/conftest.py makes them.
ACTORS = {
    "teacher": ActorSpec(
        Role.CLASS_TEACHER,
        at="school",
        linked_to="learner",
        link=StaffRelationshipKind.CLASS_TEACHER,
    ),
    "colleague": ActorSpec(Role.CLASS_TEACHER, at="school"),
    "support_lead": ActorSpec(Role.SUPPORT_FOR_LEARNING_LEAD, at="school"),
    "head": ActorSpec(
        Role.HEAD_TEACHER,
        at="school",
        linked_to="learner",
        link=StaffRelationshipKind.NAMED_PERSON,
    ),
    "authority_officer": ActorSpec(Role.LOCAL_AUTHORITY_OFFICER, at="glasgow"),
    "other_authority_officer": ActorSpec(Role.LOCAL_AUTHORITY_OFFICER, at="fife"),
    "psychologist": ActorSpec(Role.EDUCATIONAL_PSYCHOLOGIST, at="glasgow"),
    "agency_practitioner": ActorSpec(Role.AGENCY_PRACTITIONER, at="agency"),
    "service_manager": ActorSpec(Role.SERVICE_MANAGER, at="agency"),
    "other_agency": ActorSpec(Role.AGENCY_PRACTITIONER, at="other_agency"),
    "parent": ActorSpec(Role.PARENT_CARER, linked_to="learner", full_name="Claire Campbell"),
    "other_parent": ActorSpec(Role.PARENT_CARER, linked_to="other_learner", full_name="Moira Reid"),
    "young_person": ActorSpec(Role.YOUNG_PERSON, linked_to="learner", full_name="Ailsa Campbell"),
    "analyst": ActorSpec(Role.NATIONAL_ANALYST, at="scotland"),
    "administrator": ActorSpec(Role.SYSTEM_ADMINISTRATOR),
    "outsider_teacher": ActorSpec(Role.CLASS_TEACHER, at="other_school"),
    # Glasgow's data protection officer: reads no record page, exports Glasgow's learners'.
    "data_protection_officer": ActorSpec(Role.DATA_PROTECTION_OFFICER, at="glasgow"),
}
ALL_ACTORS = list(ACTORS)
LEARNERS = ["learner", "other_learner"]

# Who sees each learner, and why. Nobody else does: a colleague not linked to her, a teacher at
# another school, an agency not involved, an analyst (figures only), an administrator (configures,
# never reads).
SEES = {
    "learner": frozenset(
        {
            "teacher",  # her class teacher, at her school
            "support_lead",  # every learner of the school
            "head",  # every learner of the school
            "authority_officer",  # every learner of the authority
            "psychologist",  # every learner of the authority
            "agency_practitioner",  # their agency took on a request about her, with consent
            "service_manager",  # the same service's manager
            "parent",  # her parent
            "young_person",  # herself
        }
    ),
    "other_learner": frozenset({"other_authority_officer", "other_parent"}),
}

# What each role may do, among those who see a learner.
FAMILY = frozenset({Role.PARENT_CARER, Role.YOUNG_PERSON})
# Staff working with the learner: record needs, wellbeing and the chronology, read them back,
# and write plans.
WORKS_WITH_LEARNERS = frozenset(
    {
        Role.CLASS_TEACHER,
        Role.SUPPORT_FOR_LEARNING_LEAD,
        Role.HEAD_TEACHER,
        Role.LOCAL_AUTHORITY_OFFICER,
        Role.EDUCATIONAL_PSYCHOLOGIST,
        Role.AGENCY_PRACTITIONER,
    }
)
DECIDES_STAGE = WORKS_WITH_LEARNERS - {Role.AGENCY_PRACTITIONER}
# Read the professional record: those who work with the learner, and the manager of a service
# that has taken a request about them on (who triages and allocates, and writes nothing).
READS_RECORD = WORKS_WITH_LEARNERS | {Role.SERVICE_MANAGER}
# See who has opened the record, and change the learner's details.
MANAGES_RECORD = frozenset(
    {Role.SUPPORT_FOR_LEARNING_LEAD, Role.HEAD_TEACHER, Role.LOCAL_AUTHORITY_OFFICER}
)
# Sign off, and close, a school's plans (an individualised educational programme, a personal
# learning plan): the others who write plans may open the address and are told who can.
SIGNS_OFF_SCHOOL_PLANS = frozenset(
    {Role.CLASS_TEACHER, Role.SUPPORT_FOR_LEARNING_LEAD, Role.HEAD_TEACHER}
)
# Start, pause, resume, extend and close statutory clocks.
RUNS_CLOCKS = frozenset(
    {Role.SUPPORT_FOR_LEARNING_LEAD, Role.HEAD_TEACHER, Role.LOCAL_AUTHORITY_OFFICER}
)
# Ask a service for help: draft, record consent or a lawful basis, send, withdraw.
REQUESTS_ASSISTANCE = frozenset(
    {Role.SUPPORT_FOR_LEARNING_LEAD, Role.HEAD_TEACHER, Role.LOCAL_AUTHORITY_OFFICER}
)
# Withdraw a consent to share: the family, or the staff who asked, told by the family.
WITHDRAWS_CONSENT = FAMILY | REQUESTS_ASSISTANCE
# Record a disagreement and read the learner's disagreements: the family, and the school and
# authority staff they would raise it with; move it along its routes and record its outcome:
# the school's leaders and the authority.
RECORDS_DISAGREEMENTS = FAMILY | {
    Role.CLASS_TEACHER,
    Role.SUPPORT_FOR_LEARNING_LEAD,
    Role.HEAD_TEACHER,
    Role.LOCAL_AUTHORITY_OFFICER,
}
MANAGES_DISAGREEMENTS = frozenset(
    {Role.SUPPORT_FOR_LEARNING_LEAD, Role.HEAD_TEACHER, Role.LOCAL_AUTHORITY_OFFICER}
)
# Record, change and remove a learner's outcomes (attendance, exclusions, curriculum judgements
# and the rest): those who manage the record at the school and the authority. Reading them is
# part of the professional record.
RECORDS_OUTCOMES = frozenset(
    {Role.SUPPORT_FOR_LEARNING_LEAD, Role.HEAD_TEACHER, Role.LOCAL_AUTHORITY_OFFICER}
)
# Staff with a list of learners (and a caseload count): families reach their children from home.
HAS_LEARNER_LIST = READS_RECORD
# The deadline board counts the clocks of one's own school or authority: for those who run them.
VIEWS_DEADLINE_BOARD = frozenset(
    {Role.SUPPORT_FOR_LEARNING_LEAD, Role.HEAD_TEACHER, Role.LOCAL_AUTHORITY_OFFICER}
)
# Enrol learners, and so import a school's or an authority's roll: those who manage the record.
ENROLS_LEARNERS = frozenset(
    {Role.SUPPORT_FOR_LEARNING_LEAD, Role.HEAD_TEACHER, Role.LOCAL_AUTHORITY_OFFICER}
)
# Make the census return of additional support needs (pupil-level): a school's leaders for their
# school, an authority's officers for its schools. To anyone else it does not exist (404).
MAKES_CENSUS_RETURNS = frozenset(
    {Role.SUPPORT_FOR_LEARNING_LEAD, Role.HEAD_TEACHER, Role.LOCAL_AUTHORITY_OFFICER}
)

# Export everything held about a learner for a subject access request, and read the retention
# report: an authority's data protection officer, for the authority's learners.
DATA_PROTECTION = frozenset({Role.DATA_PROTECTION_OFFICER})

# Arrange meetings about a learner and run them: invite, record views, attendance and minutes,
# agree actions (and mark any of them done).
HOLDS_MEETINGS = frozenset(
    {
        Role.SUPPORT_FOR_LEARNING_LEAD,
        Role.HEAD_TEACHER,
        Role.LOCAL_AUTHORITY_OFFICER,
        Role.EDUCATIONAL_PSYCHOLOGIST,
    }
)
# Answer a family's requests to use their rights, record them on the family's behalf and record
# a child's capacity and wellbeing assessment: those who lead the school and the authority.
ANSWERS_RIGHTS_REQUESTS = frozenset(
    {Role.SUPPORT_FOR_LEARNING_LEAD, Role.HEAD_TEACHER, Role.LOCAL_AUTHORITY_OFFICER}
)
# What a young person's parents and carers see (ADR 0021): the young person's own decision, and
# the same leaders recording one the young person told them. Every decision is refused on the
# form here: the learner is 14, and only a young person of 16 or over decides.
RECORDS_SHARING_DECISIONS = ANSWERS_RIGHTS_REQUESTS

PRINTABLE = Variant("printable version", query={"print": "1"})
HTMX_FRAGMENT = Variant("htmx fragment", headers={"HX-Request": "true"})
CSV_DOWNLOAD = Variant("csv download", query={"format": "csv"})


# Every address about one learner: who may use it, what it is about, and what posting it does.
PAGES = [
    # The learner record.
    Page("learners:profile", used_by=ALL_ROLES),
    Page("learners:access_history", used_by=MANAGES_RECORD),
    # The family's projection of the same history: roles and organisations, never names.
    Page("who_has_looked", used_by=FAMILY),
    Page(
        "learners:edit",
        used_by=MANAGES_RECORD,
        write=Write(valid.learner_details, changes=("details",)),
    ),
    # A move to another school (ADR 0020): recorded by those who manage the record where the
    # learner is now; the learner's moves are read with the professional record.
    Page(
        "learners:move",
        used_by=MANAGES_RECORD,
        write=Write(valid.learner_move, changes=("enrolments",)),
    ),
    Page("learners:moves", used_by=READS_RECORD),
    # Record transfer (ADR 0053): the signed transfer document is downloaded by those who may
    # record a move; what other organisations sent is read with the professional record.
    Page("transfers:export", used_by=MANAGES_RECORD),
    Page("transfers:received", used_by=READS_RECORD),
    # Planned transitions: leaving school starts the two Scottish clocks that count back from it.
    Page("learners:transitions", used_by=READS_RECORD),
    Page(
        "learners:transition_add",
        used_by=MANAGES_RECORD,
        write=Write(valid.leaving_school, changes=("transitions", "statutory processes")),
    ),
    # The family's own part in a planned transition, in their words: a parent (who sees plans)
    # for their own child, the young person for themself.
    Page(
        "transition_family_part",
        used_by=FAMILY,
        ids={"transition_id": valid.transition},
        write=Write(valid.transition_family_part, changes=("transitions",)),
    ),
    Page(
        "learners:need_add",
        used_by=WORKS_WITH_LEARNERS,
        write=Write(valid.new_need, changes=("needs",)),
    ),
    Page(
        "learners:need_resolve",
        used_by=WORKS_WITH_LEARNERS,
        ids={"need_id": valid.open_need},
        write=Write(valid.need_resolved, changes=("resolved needs",)),
    ),
    Page("learners:stage_timeline", used_by=READS_RECORD),
    Page(
        "learners:stage_decision_add",
        used_by=DECIDES_STAGE,
        write=Write(valid.stage_decision, changes=("stage decisions",)),
    ),
    Page(
        "learners:wellbeing_add",
        used_by=WORKS_WITH_LEARNERS,
        write=Write(valid.wellbeing, changes=("wellbeing assessments",)),
    ),
    Page(
        "learners:wellbeing",
        used_by=READS_RECORD,
        ids={"assessment_id": valid.wellbeing_assessment},
    ),
    Page("learners:chronology", used_by=READS_RECORD, variants=(PAGE, PRINTABLE)),
    Page(
        "learners:chronology_add",
        used_by=WORKS_WITH_LEARNERS,
        write=Write(valid.chronology_entry, changes=("chronology entries",)),
    ),
    # The learner's plans.
    Page("planning:list", used_by=ALL_ROLES),
    Page(
        "planning:create",
        used_by=WORKS_WITH_LEARNERS,
        # The type of plan the learner has none of is a co-ordinated support plan: opening one
        # starts the clock for preparing it.
        write=Write(valid.new_plan, changes=("plans", "statutory processes")),
    ),
    Page("planning:progress", used_by=ALL_ROLES),
    Page("planning:detail", used_by=ALL_ROLES, plan=FINALISED_PLAN),
    Page(
        "planning:details",
        used_by=WORKS_WITH_LEARNERS,
        plan=PLAN_BEING_REVISED,
        write=Write(valid.plan_dates, changes=("dates", "content revision")),
    ),
    Page(
        "planning:section",
        used_by=WORKS_WITH_LEARNERS,
        plan=PLAN_BEING_REVISED,
        ids={"section_key": valid.first_text_section},
        write=Write(valid.section_text, changes=("section texts", "content revision")),
    ),
    Page(
        "planning:target_add",
        used_by=WORKS_WITH_LEARNERS,
        plan=PLAN_BEING_REVISED,
        write=Write(valid.new_target, changes=("targets", "content revision")),
    ),
    Page(
        "planning:target_edit",
        used_by=WORKS_WITH_LEARNERS,
        plan=PLAN_BEING_REVISED,
        ids={"target_id": valid.first_target},
        write=Write(valid.changed_target, changes=("targets", "content revision")),
    ),
    Page(
        "planning:target_remove",
        used_by=WORKS_WITH_LEARNERS,
        plan=PLAN_BEING_REVISED,
        ids={"target_id": valid.first_target},
        write=Write(valid.target_removal, changes=("targets", "support", "content revision")),
    ),
    Page(
        "planning:provision_add",
        used_by=WORKS_WITH_LEARNERS,
        plan=PLAN_BEING_REVISED,
        ids={"target_id": valid.first_target},
        write=Write(valid.new_support, changes=("support", "content revision")),
    ),
    Page(
        "planning:provision_remove",
        used_by=WORKS_WITH_LEARNERS,
        plan=PLAN_BEING_REVISED,
        ids={"provision_id": valid.first_support},
        write=Write(None, changes=("support", "content revision")),
    ),
    Page(
        "planning:view_add",
        used_by=WORKS_WITH_LEARNERS,
        plan=PLAN_BEING_REVISED,
        write=Write(valid.new_views, changes=("views", "content revision")),
    ),
    Page(
        "planning:view_remove",
        used_by=WORKS_WITH_LEARNERS,
        plan=PLAN_BEING_REVISED,
        ids={"view_id": valid.first_views},
        write=Write(None, changes=("views", "content revision")),
    ),
    Page(
        "planning:staff_notes",
        used_by=WORKS_WITH_LEARNERS,
        plan=PLAN_BEING_REVISED,
        write=Write(valid.staff_notes, changes=("staff notes",)),
    ),
    Page(
        "planning:finalise",
        used_by=WORKS_WITH_LEARNERS,
        plan=PLAN_BEING_REVISED,
        write=Write(
            valid.sign_off, changes=("status", "versions"), succeeds_for=SIGNS_OFF_SCHOOL_PLANS
        ),
    ),
    Page(
        "planning:in_place",
        used_by=WORKS_WITH_LEARNERS,
        plan=FINALISED_PLAN,
        write=Write(valid.support_in_place, changes=("status", "dates")),
    ),
    Page(
        "planning:revise",
        used_by=WORKS_WITH_LEARNERS,
        plan=FINALISED_PLAN,
        write=Write(None, changes=("status", "version")),
    ),
    Page(
        "planning:close",
        used_by=WORKS_WITH_LEARNERS,
        plan=FINALISED_PLAN,
        write=Write(
            valid.closing, changes=("status", "dates"), succeeds_for=SIGNS_OFF_SCHOOL_PLANS
        ),
    ),
    Page(
        "planning:share",
        used_by=WORKS_WITH_LEARNERS,
        plan=FINALISED_PLAN,
        write=Write(valid.shared_with_parent, changes=("shared",)),
    ),
    Page(
        "planning:respond",
        used_by=FAMILY,
        plan=FINALISED_PLAN,
        write=Write(valid.family_response, changes=("responses",)),
    ),
    Page(
        "planning:review_begin",
        used_by=WORKS_WITH_LEARNERS,
        plan=FINALISED_PLAN,
        write=Write(None, changes=("status",)),
    ),
    Page(
        "planning:review",
        used_by=WORKS_WITH_LEARNERS,
        plan=FINALISED_PLAN,
        # The views the family gave before it become part of the review (ADR 0018).
        write=Write(valid.review, changes=("reviews", "status", "dates", "views before review")),
    ),
    # Views before a review (ADR 0018): who was asked and what they said (staff), or what you
    # were asked and what you wrote (family); asking now or reminding; the family's own form
    # (which the learner's family and the learner were asked to fill in); and staff recording
    # views given on paper or by telephone. Each answer becomes one of the plan's views.
    Page("review_views:detail", used_by=FAMILY | WORKS_WITH_LEARNERS, plan=FINALISED_PLAN),
    Page(
        "review_views:invite",
        used_by=WORKS_WITH_LEARNERS,
        plan=FINALISED_PLAN,
        write=Write(None, changes=("views before review",)),
    ),
    Page(
        "review_views:give",
        used_by=FAMILY,
        plan=FINALISED_PLAN,
        write=Write(valid.review_views_given, changes=("views", "views before review")),
    ),
    Page(
        "review_views:record",
        used_by=WORKS_WITH_LEARNERS,
        plan=FINALISED_PLAN,
        write=Write(valid.review_views_recorded, changes=("views", "views before review")),
    ),
    # The family's say on a review once recorded (ADR 0026): each family member answers for
    # themself, or declines; staff read the answers on the plan page.
    Page(
        "review_feedback:give",
        used_by=FAMILY,
        plan=FINALISED_PLAN,
        ids={"review_id": valid.latest_review},
        write=Write(valid.review_feedback_given, changes=("review feedback",)),
    ),
    Page(
        "review_feedback:decline",
        used_by=FAMILY,
        plan=FINALISED_PLAN,
        ids={"review_id": valid.latest_review},
        write=Write(None, changes=("review feedback",)),
    ),
    Page("planning:compare", used_by=ALL_ROLES, plan=FINALISED_PLAN, hidden_from_family=True),
    Page(
        "planning:version",
        used_by=ALL_ROLES,
        plan=FINALISED_PLAN,
        ids={"number": valid.first_version},
        hidden_from_family=True,
    ),
    # The learner's statutory timescales: the staff record (families see their dates on the
    # profile), each clock, and the forms that act on one.
    Page("statutory:process_list", used_by=READS_RECORD),
    Page(
        "statutory:process_start",
        used_by=RUNS_CLOCKS,
        write=Write(valid.process_started, changes=("statutory processes",)),
    ),
    Page(
        "statutory:process_detail",
        used_by=READS_RECORD,
        ids={"process_id": valid.running_process},
    ),
    Page(
        "statutory:process_pause",
        used_by=RUNS_CLOCKS,
        ids={"process_id": valid.running_process},
        write=Write(valid.process_paused, changes=("statutory processes",)),
    ),
    Page(
        "statutory:process_resume",
        used_by=RUNS_CLOCKS,
        ids={"process_id": valid.paused_process},
        write=Write(valid.process_resumed, changes=("statutory processes",)),
    ),
    Page(
        "statutory:process_extend",
        used_by=RUNS_CLOCKS,
        ids={"process_id": valid.running_process},
        write=Write(valid.process_extended, changes=("statutory processes",)),
    ),
    Page(
        "statutory:process_close",
        used_by=RUNS_CLOCKS,
        ids={"process_id": valid.running_process},
        write=Write(valid.process_closed, changes=("statutory processes",)),
    ),
    # The authority's considerations of a looked-after child for a co-ordinated support plan
    # (ADR 0049): read with the staff record; recorded by the authority's officers only.
    Page("considerations:list", used_by=READS_RECORD),
    Page(
        "considerations:add",
        used_by=frozenset({Role.LOCAL_AUTHORITY_OFFICER}),
        write=Write(valid.consideration_recorded, changes=("considerations",)),
    ),
    # Requests for assistance: the learner's list, a new one, one with its history, and the
    # requester's steps on a draft; a consent withdrawn (by the family, or staff told by them).
    Page("requests:list", used_by=READS_RECORD),
    Page(
        "requests:new",
        used_by=REQUESTS_ASSISTANCE,
        write=Write(valid.new_request, changes=("requests for assistance",)),
    ),
    Page("requests:detail", used_by=READS_RECORD, ids={"request_id": valid.involvement}),
    Page(
        "requests:edit",
        used_by=REQUESTS_ASSISTANCE,
        ids={"request_id": valid.draft_request},
        write=Write(valid.changed_request, changes=("requests for assistance",)),
    ),
    Page(
        "requests:consent",
        used_by=REQUESTS_ASSISTANCE,
        ids={"request_id": valid.draft_request},
        write=Write(valid.consent_given, changes=("requests for assistance",)),
    ),
    Page(
        "requests:lawful_basis",
        used_by=REQUESTS_ASSISTANCE,
        ids={"request_id": valid.draft_request},
        write=Write(valid.lawful_basis, changes=("requests for assistance",)),
    ),
    Page(
        "requests:send",
        used_by=REQUESTS_ASSISTANCE,
        ids={"request_id": valid.ready_request},
        write=Write(None, changes=("requests for assistance",)),
    ),
    Page(
        "requests:withdraw",
        used_by=REQUESTS_ASSISTANCE,
        ids={"request_id": valid.draft_request},
        write=Write(valid.request_withdrawn, changes=("requests for assistance",)),
    ),
    Page(
        "sharing:consent_withdraw",
        used_by=WITHDRAWS_CONSENT,
        ids={"consent_id": valid.involvement_consent},
        write=Write(valid.consent_withdrawn, changes=("requests for assistance",)),
    ),
    # A service's advice on the request, adopted into a plan being revised as support: by those
    # who write plans; a staff record, which to a family does not exist.
    Page(
        "requests:contribution_accept",
        used_by=WORKS_WITH_LEARNERS,
        ids={"request_id": valid.involvement, "contribution_id": valid.involvement_contribution},
        hidden_from_family=True,
        write=Write(
            valid.contribution_accepted,
            changes=(
                f"{PLAN_BEING_REVISED}: support",
                f"{PLAN_BEING_REVISED}: content revision",
                "requests for assistance",
            ),
        ),
    ),
    # Meetings about the learner (a team around the child): the list and each meeting, for all
    # who see the learner (a service: the meetings it is invited to; a family: without the
    # staff-only notes, the minutes and actions once shared); run by those who hold meetings;
    # the family gives its own views beforehand.
    Page("meetings:list", used_by=ALL_ROLES),
    Page(
        "meetings:new",
        used_by=HOLDS_MEETINGS,
        write=Write(valid.new_meeting, changes=("meetings",)),
    ),
    Page("meetings:detail", used_by=ALL_ROLES, ids={"meeting_id": valid.meeting}),
    Page(
        "meetings:invite",
        used_by=HOLDS_MEETINGS,
        ids={"meeting_id": valid.meeting},
        write=Write(valid.invitation, changes=("meetings",)),
    ),
    Page(
        "meetings:attendance",
        used_by=HOLDS_MEETINGS,
        ids={"meeting_id": valid.meeting},
        write=Write(valid.attendance, changes=("meetings",)),
    ),
    Page(
        "meetings:views",
        used_by=HOLDS_MEETINGS | FAMILY,
        ids={"meeting_id": valid.meeting},
        write=Write(valid.meeting_views, changes=("meetings",)),
    ),
    Page(
        "meetings:minutes",
        used_by=HOLDS_MEETINGS,
        ids={"meeting_id": valid.meeting},
        write=Write(valid.minutes, changes=("meetings",)),
    ),
    Page(
        "meetings:action_add",
        used_by=HOLDS_MEETINGS,
        ids={"meeting_id": valid.meeting},
        write=Write(valid.agreed_action, changes=("meetings",)),
    ),
    Page(
        "meetings:action_done",
        used_by=HOLDS_MEETINGS,
        ids={"meeting_id": valid.meeting, "action_id": valid.meeting_action},
        write=Write(None, changes=("meetings",)),
    ),
    # A family's rights, used as requests: their list with due dates and outcomes (the family's
    # and the staff who answer), the family's own request (a child of 14 with no capacity and
    # wellbeing assessment is refused on the form), and staff's pages to record a request made
    # by letter, a capacity assessment, and the decision (which closes the clock).
    Page("rights_requests:list", used_by=FAMILY | ANSWERS_RIGHTS_REQUESTS),
    Page(
        "rights_requests:new",
        used_by=FAMILY,
        write=Write(
            valid.rights_request_made,
            changes=("rights requests", "statutory processes"),
            succeeds_for=frozenset({Role.PARENT_CARER}),
        ),
    ),
    Page(
        "rights_requests:record",
        used_by=ANSWERS_RIGHTS_REQUESTS,
        write=Write(
            valid.rights_request_recorded, changes=("rights requests", "statutory processes")
        ),
    ),
    Page(
        "rights_requests:capacity",
        used_by=ANSWERS_RIGHTS_REQUESTS,
        write=Write(valid.capacity_assessed, changes=("rights requests",)),
    ),
    Page(
        "rights_requests:decide",
        used_by=ANSWERS_RIGHTS_REQUESTS,
        ids={"request_id": valid.open_rights_request},
        write=Write(
            valid.rights_request_decided, changes=("rights requests", "statutory processes")
        ),
    ),
    Page(
        "learners:parent_sharing",
        used_by=frozenset({Role.YOUNG_PERSON}),
        write=Write(
            valid.parent_sharing_decided,
            changes=("parent sharing decisions",),
            succeeds_for=frozenset(),
        ),
    ),
    Page(
        "learners:parent_sharing_record",
        used_by=RECORDS_SHARING_DECISIONS,
        write=Write(
            valid.parent_sharing_recorded,
            changes=("parent sharing decisions",),
            succeeds_for=frozenset(),
        ),
    ),
    # Disagreements and their routes: the learner's (each with the next route open), a new one,
    # and moving one on or recording its outcome.
    Page("disagreements:list", used_by=RECORDS_DISAGREEMENTS),
    Page(
        "disagreements:new",
        used_by=RECORDS_DISAGREEMENTS,
        write=Write(valid.new_disagreement, changes=("disagreements",)),
    ),
    Page(
        "disagreements:move",
        used_by=MANAGES_DISAGREEMENTS,
        ids={"disagreement_id": valid.disagreement},
        write=Write(valid.disagreement_moved, changes=("disagreements",)),
    ),
    # The family's own record that they have taken a later route (the school's and the
    # authority's staff move it with "move" above).
    Page(
        "disagreements:route_taken",
        used_by=FAMILY,
        ids={"disagreement_id": valid.disagreement},
        write=Write(valid.disagreement_route_taken, changes=("disagreements",)),
    ),
    Page(
        "disagreements:close",
        used_by=MANAGES_DISAGREEMENTS,
        ids={"disagreement_id": valid.disagreement},
        write=Write(valid.disagreement_closed, changes=("disagreements",)),
    ),
    # The learner's outcomes by school year, and recording, changing and removing one (tried
    # with attendance: the other kinds share the views and the service's guard).
    Page("outcomes:list", used_by=READS_RECORD),
    Page(
        "outcomes:add",
        used_by=RECORDS_OUTCOMES,
        ids={"kind": valid.outcome_kind},
        write=Write(valid.new_attendance, changes=("outcomes",)),
    ),
    Page(
        "outcomes:change",
        used_by=RECORDS_OUTCOMES,
        ids={"kind": valid.outcome_kind, "record_id": valid.attendance_record},
        write=Write(valid.attendance_changed, changes=("outcomes",)),
    ),
    Page(
        "outcomes:remove",
        used_by=RECORDS_OUTCOMES,
        ids={"kind": valid.outcome_kind, "record_id": valid.attendance_record},
        write=Write(valid.outcome_removed, changes=("outcomes",)),
    ),
    # The plan printed, and as a PDF file.
    Page("planning:print", used_by=ALL_ROLES, plan=FINALISED_PLAN),
    Page("planning:pdf", used_by=ALL_ROLES, plan=FINALISED_PLAN),
    # The files sent with a request for assistance. A request is part of the staff record: to a
    # family these addresses do not exist. Read by staff who see the learner (a service: only
    # the requests addressed to it); added and removed by those who ask, while it is a draft.
    Page(
        "request_files:download",
        used_by=READS_RECORD,
        ids={"request_id": valid.shared_request, "attachment_id": valid.shared_attachment},
        hidden_from_family=True,
    ),
    Page(
        "request_files:add",
        used_by=REQUESTS_ASSISTANCE,
        ids={"request_id": valid.draft_request},
        write=Write(valid.new_attachment, changes=("attachments",)),
        hidden_from_family=True,
    ),
    Page(
        "request_files:remove",
        used_by=REQUESTS_ASSISTANCE,
        ids={"request_id": valid.draft_request, "attachment_id": valid.attachment},
        write=Write(None, changes=("attachments",)),
        hidden_from_family=True,
    ),
]

# Pages about many learners: each shows only the learners the actor sees (tested below).
LISTS = [
    ListPage("home", used_by=ALL_ROLES),
    ListPage("learners:list", used_by=HAS_LEARNER_LIST, variants=(PAGE, HTMX_FRAGMENT)),
    ListPage("learners:summary", used_by=HAS_LEARNER_LIST),
    ListPage("deadline_board", used_by=VIEWS_DEADLINE_BOARD),
    ListPage(
        "shared_without_consent",
        used_by=frozenset({Role.LOCAL_AUTHORITY_OFFICER}),
    ),
    # Measures of requests for assistance: figures about learners' requests, naming none.
    ListPage("measures:service", used_by=frozenset({Role.SERVICE_MANAGER})),
    ListPage("measures:authority", used_by=frozenset({Role.LOCAL_AUTHORITY_OFFICER})),
    ListPage("measures:national", used_by=frozenset({Role.NATIONAL_ANALYST})),
    # The authority's open disagreements, naming the learners: only those the officer sees.
    ListPage("open_disagreements", used_by=frozenset({Role.LOCAL_AUTHORITY_OFFICER})),
    # Outcome records loaded from a CSV file: names no learner; a learner is found by candidate
    # number among those the actor sees, and one they do not see is the same problem as one who
    # does not exist.
    ListPage(
        "outcome_import",
        used_by=frozenset(
            {Role.SUPPORT_FOR_LEARNING_LEAD, Role.HEAD_TEACHER, Role.LOCAL_AUTHORITY_OFFICER}
        ),
    ),
    # A school's or an authority's roll imported from its information system's export (ADR
    # 0052): for those who enrol learners. The check of a file names only what the file says
    # and the learners on the importer's own roll; its page is the roll's keepers' alone.
    ListPage("roll_imports:upload", used_by=ENROLS_LEARNERS),
    # Column mappings (how an export is read) are configuration: administrators add them.
    ListPage("roll_imports:mapping_add", used_by=frozenset({Role.SYSTEM_ADMINISTRATOR})),
    ListPage("roll_imports:mapping_add_done", used_by=frozenset({Role.SYSTEM_ADMINISTRATOR})),
    # Importing a transfer document another organisation signed: for those who enrol learners
    # at a school (its leaders, its authority's officers). Names no learner until a document is
    # checked, and then only the one it carries.
    ListPage("transfers:import", used_by=MANAGES_RECORD),
    # Each authority's signing keys (public halves only) and their replacement: administrators.
    ListPage("transfers:signing_keys", used_by=frozenset({Role.SYSTEM_ADMINISTRATOR})),
    # The census return (naming the learners with needs it reports) and its CSV.
    ListPage("census:return", used_by=MAKES_CENSUS_RETURNS),
    ListPage("census:download", used_by=MAKES_CENSUS_RETURNS),
    # The data protection officer's search for a learner to export, and the retention report.
    ListPage("data_protection:find", used_by=DATA_PROTECTION),
    ListPage("data_protection:retention", used_by=DATA_PROTECTION),
    # The consistency report (ADR 0048) and its CSV: counts from the refreshed consistency
    # figures, naming no learner; anyone else is told nothing (404, not 403).
    ListPage(
        "dashboards:consistency",
        used_by=frozenset({Role.NATIONAL_ANALYST, Role.LOCAL_AUTHORITY_OFFICER}),
        variants=(PAGE, CSV_DOWNLOAD),
    ),
    # Its officer's list of the authority's departures from the suggestion and their reasons,
    # naming the learners: only those the officer sees; anyone else, the analyst included, 404.
    ListPage(
        "dashboards:consistency_departures",
        used_by=frozenset({Role.LOCAL_AUTHORITY_OFFICER}),
    ),
]

# Files that look like exports but hold no learner data.
NOT_LEARNER_DATA = {
    "mfa_download_recovery_codes": "a person's own two-factor recovery codes, for themselves only",
    "action_plans:evidence_file": (
        "evidence of progress on a national action plan's action, for policy officers; no learner"
        " data (stagewise/actionplans/tests/test_tracking.py)"
    ),
    # The 18-month progress report on the national action plans: about actions and national
    # figures through disclosure control, never a learner
    # (stagewise/actionplans/tests/test_progress_reports.py).
    "action_plans:report_pdf": "a national action plans progress report, for policy officers",
    "action_plans:report_csv": "a national action plans progress report, for policy officers",
    "public_action_plans:report_pdf": "a published national action plans progress report",
    "public_action_plans:report_csv": "a published national action plans progress report",
    "local_action_plans:evidence_file": (
        "evidence of progress on a local authority's own improvement action, for that authority's"
        " officers; no learner data (stagewise/actionplans/tests/test_local_actions.py)"
    ),
}

# The API (ADR 0051) is reached with an integration's token, not a person's session: its matrix
# (api/tests/access_matrix.py, run at the end of this module on its world) checks a token of each
# role against each learner, its reads against the pages.
API_MATRIX = (
    "an integration acting in each role, as this world's people do: "
    "stagewise/tests/test_access_harness.py, test_the_api_*"
)
# Addresses with learner data that name no learner, each with the test that checks its access.
TESTED_ELSEWHERE = {
    "roll_imports:detail": (
        "a roll import's check, progress and confirmation, reached by the import's id: "
        "stagewise/tests/test_access_harness.py, test_a_roll_import_is_read_only_by_*"
    ),
    # Configuration, not learner data, but in the roll imports' namespace: by a mapping's id.
    "roll_imports:mapping_change": (
        "a column mapping, changed by administrators: stagewise/tests/test_access_harness.py, "
        "test_a_column_mapping_is_changed_and_retired_only_by_*"
    ),
    "roll_imports:mapping_retire": (
        "a column mapping retired by administrators: stagewise/tests/test_access_harness.py, "
        "test_a_column_mapping_is_changed_and_retired_only_by_*"
    ),
    "roll_imports:mapping_reinstate": (
        "a retired column mapping brought back by administrators: "
        "stagewise/tests/test_access_harness.py, test_a_retired_column_mapping_is_brought_back_*"
    ),
    "api:learner_list": API_MATRIX,
    "api:learner_detail": API_MATRIX,
    "api:learner_needs": API_MATRIX,
    "api:learner_stages": API_MATRIX,
    "api:learner_plans": API_MATRIX,
    "api:learner_plan": API_MATRIX,
    "api:learner_requests": API_MATRIX,
    "api:learner_request": API_MATRIX,
    "api:learner_request_draft": API_MATRIX,
    "api:learner_request_send": API_MATRIX,
    "api:learner_request_withdraw": API_MATRIX,
    "api:learner_request_consent": API_MATRIX,
    "api:learner_consent_withdraw": API_MATRIX,
    "api:learner_attendance": API_MATRIX,
    "api:learner_exclusion": API_MATRIX,
    "service_request_files:download": (
        "a request's file from the service's side, reached through the service it was sent to: "
        "stagewise/coordination/tests/test_attachments.py, test_the_service_side_download_*"
    ),
}

# The second door (learners/access.records_written_here_for, ADR 0020): the school a learner has
# left reads, for a while, what its staff wrote. The roles that may use its pages, and, once
# Ailsa has moved from Riverside to Fife, the actors who read what Riverside wrote about her: those
# who saw her there the day before, her class teacher and the school's leaders. Not a colleague
# who was not linked to her, another school, the authority, a service or her family.
READS_WRITTEN_HERE = frozenset(
    {Role.CLASS_TEACHER, Role.SUPPORT_FOR_LEARNING_LEAD, Role.HEAD_TEACHER}
)
SENDING_SCHOOL_PAGES = {
    "learners:moved_away": READS_WRITTEN_HERE,
    "learners:moved_away_records": READS_WRITTEN_HERE,
    "plans_agreed_here": READS_WRITTEN_HERE,
}
# The second door's pages about one learner (the others list learners).
SENDING_SCHOOL_LEARNER_PAGES = ["learners:moved_away_records", "plans_agreed_here"]
READS_WHAT_RIVERSIDE_WROTE = frozenset({"teacher", "support_lead", "head"})

# The third door (learners/access.learner_for_subject_access, ADR 0032): the export of everything
# held about a learner, for a subject access request, by the data protection officer of an
# authority where the learner is or was enrolled: Glasgow's exports Ailsa, never Finlay (Fife).
SUBJECT_ACCESS_PAGES = {
    "data_protection:subject_access": DATA_PROTECTION,
    "data_protection:download": DATA_PROTECTION,
    "data_protection:pdf": DATA_PROTECTION,
}
EXPORTS_RECORD_OF = {
    "learner": frozenset({"data_protection_officer"}),
    "other_learner": frozenset(),
}

# The fourth door (learners/access.learner_for_erasure, ADR 0033): once the retention review has
# found both learners' own records due, each in their own authority, Glasgow's data protection
# officer may erase Ailsa, and nobody may erase Finlay (Fife's officer is not in this world).
ERASURE_PAGES = {
    "data_protection:erase": DATA_PROTECTION,
    "data_protection:erase_records": DATA_PROTECTION,
}
# Notices are kept two years after they are sent: the harness's old ones are due on their own.
OLD_NOTICES = "notifications.Notification"
ERASURE_ARGUMENTS = {"data_protection:erase_records": [OLD_NOTICES]}
ERASES_RECORD_OF = EXPORTS_RECORD_OF

# The fifth door (moderation/, ADR 0046): Glasgow's officer samples the stage decision Riverside's
# support-for-learning lead made about Ailsa and gives it to a teacher at Hillhead (the outsider
# teacher), who disagrees. The sample is the officer's; the anonymised case is the officer's and
# the moderator's; the disagreement goes back to Riverside's leaders. Every other actor, Fife's
# officer included, is told none of it exists. The moderation list is for school staff (who may
# be given decisions to moderate) and authority officers. Only the officer who drew the sample
# reassigns a case nobody has reviewed yet.
MODERATION_PAGES = {
    "moderation:index": frozenset(
        {
            "teacher",
            "colleague",
            "support_lead",
            "head",
            "outsider_teacher",
            "authority_officer",
            "other_authority_officer",
        }
    ),
    "moderation:draw": frozenset({"authority_officer", "other_authority_officer"}),
    "moderation:sample": frozenset({"authority_officer"}),
    "moderation:assign": frozenset({"authority_officer"}),
    "moderation:case": frozenset({"authority_officer", "outsider_teacher"}),
    "moderation:reassign": frozenset({"authority_officer"}),
    "moderation:returned": frozenset({"support_lead", "head"}),
}

SPEC = Specification(
    actors=ACTORS,
    sees=SEES,
    family_roles=FAMILY,
    pages=PAGES,
    lists=LISTS,
    not_learner_data=NOT_LEARNER_DATA,
    tested_elsewhere=TESTED_ELSEWHERE,
    sending_school_pages=SENDING_SCHOOL_PAGES,
    subject_access_pages=SUBJECT_ACCESS_PAGES,
    erasure_pages=ERASURE_PAGES,
    moderation_pages=MODERATION_PAGES,
)


# The world, built once per module ---------------------------------------------------------------


@pytest.fixture(scope="module")
def module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with world_for_module(SPEC, django_db_blocker) as built:
        yield built


@pytest.fixture
def harness(module_world: World, db: None) -> World:
    """The module's world, with this test's changes rolled back when it ends. (Named apart from
    conftest's `world`, which conftest's actors are built on.)"""
    return module_world


# Every address with learner data is in the table --------------------------------------------------


def test_every_page_with_learner_data_has_an_expectation():
    missing = patterns_without_expectations(SPEC.names)

    assert not missing, "Add an expectation to PAGES or LISTS for: " + ", ".join(map(str, missing))


def test_every_address_tested_elsewhere_names_tests_that_exist():
    source_root = Path(stagewise.__file__).parent.parent
    for name, reason in TESTED_ELSEWHERE.items():
        found = re.search(r"(stagewise/\S+\.py), (test_\w+)\*", reason)
        assert found, f"{name}: name the module and the tests' common beginning"
        module, beginning = found.groups()
        assert f"def {beginning}" in (source_root / module).read_text(), name


def test_every_expectation_names_a_page_that_exists():
    served = {pattern.name for pattern in url_patterns()}

    assert SPEC.names - served == set()


def test_every_printable_download_or_fragment_form_of_a_page_is_in_the_table():
    """A view that serves a file, a printed address or an HTMX fragment on a query parameter or a
    header is checked in that form too."""
    variants = {address.name: address.variants for address in PAGES} | {
        address.name: address.variants for address in LISTS
    }
    served = {pattern.name: pattern for pattern in url_patterns()}
    unchecked = {
        name: served[name].other_forms - {form for v in variants[name] for form in v.forms}
        for name in variants
    }

    assert {name: forms for name, forms in unchecked.items() if forms} == {}
    assert served["learners:chronology"].other_forms == {"?print"}
    assert served["learners:list"].other_forms == {"HX-Request"}


def test_a_new_page_with_learner_data_and_no_expectation_is_named():
    def letters(request, learner_id):
        return HttpResponse()

    def census(request):
        return HttpResponse()

    with_new_pages = URLResolver(
        RegexPattern(r"^/"),
        [
            path("", include("stagewise.urls")),
            path("learners/<str:learner_id>/letters/", letters, name="letters"),
            path("learners/<str:learner_id>/unnamed/", letters),
            re_path(r"^reports/census\.csv$", census, name="census_export"),
        ],
    )

    missing = patterns_without_expectations(SPEC.names, url_patterns(with_new_pages))

    assert sorted(map(str, missing)) == [
        "(unnamed) /learners/<str:learner_id>/unnamed/",
        "census_export /^reports/census\\.csv$",
        "letters /learners/<str:learner_id>/letters/",
    ]


def test_the_admin_site_registers_no_learner_data():
    registered = {model._meta.app_label for model in admin.site._registry}

    assert "learners" not in registered
    assert "audit" not in registered


# Reading -----------------------------------------------------------------------------------------


def learners_to_try(actor: str) -> list[str]:
    """Their own learner and someone else's. Someone who sees neither learner (a colleague not
    linked to her, a teacher at another school, another service, an analyst, an administrator)
    is tried on Ailsa, at the school and in the authority nearest them: for them Finlay, in
    Fife, is someone else's in the same way and would repeat the case."""
    if any(actor in seers for seers in SPEC.sees.values()):
        return LEARNERS
    return ["learner"]


def readings() -> list[Any]:
    return [
        pytest.param(
            actor, address, whose, variant, id=f"{actor}-{address.name}-{variant.label}-{whose}"
        )
        for address in PAGES
        if not address.button
        for variant in address.variants
        for actor in ALL_ACTORS
        for whose in learners_to_try(actor)
    ]


@pytest.mark.parametrize(("actor", "address", "whose", "variant"), readings())
def test_each_actor_reaches_only_what_their_relationship_and_role_justify(
    harness, actor, address, whose, variant
):
    expected = SPEC.reading(actor, address, whose)
    records = harness.learners[whose]
    mark = audit_mark()

    response = send(harness.client(actor), address, harness.url(address, whose), variant)

    assert response.status_code == expected.status(address, posting=False)
    if expected in (Outcome.FORBIDDEN, Outcome.HIDDEN):
        # Refused on a learner one sees: recorded as a refusal, never as a view.
        actions = [
            event.action for event in audit_since(mark) if learner_of(event) == records.learner
        ]
        assert AuditAction.REFUSED in actions
        assert AuditAction.VIEW not in actions
    if expected is Outcome.NOT_FOUND:
        # The outsider is told nothing, and the attempt is recorded against the learner.
        assert records.learner.legal_last_name not in text(response)
        if address.plan:
            assert records.plans[address.plan].plan_type.name not in text(response)
        refusals = [event for event in audit_since(mark) if event.action == AuditAction.REFUSED]
        assert [(event.user, learner_of(event)) for event in refusals] == [
            (harness.users[actor], records.learner)
        ]
    if expected is Outcome.ALLOWED and address.name == "planning:pdf":
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
    if expected is Outcome.ALLOWED and address.name == "planning:detail":
        family_view = "planning/plan_family.html" in [t.name for t in response.templates]
        assert family_view == SPEC.is_family(actor)
    if expected is Outcome.ALLOWED and address.name == "request_files:download":
        # A download, of the type the content was found to be, never shown as a page.
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    if expected is Outcome.ALLOWED and variant is PRINTABLE:
        assert "learners/chronology_print.html" in [t.name for t in response.templates]


@pytest.mark.parametrize(
    "address", [address for address in PAGES if address.button], ids=lambda p: p.name
)
def test_a_button_does_nothing_when_asked_for_by_get(harness, address):
    with tables_written() as written:
        response = harness.client("support_lead").get(harness.url(address, "learner"))

    assert response.status_code == 405
    harness.assert_no_learner_changed(written)


# Writing, with forms that pass validation --------------------------------------------------------


def writings() -> list[Any]:
    return [
        pytest.param(actor, address, whose, id=f"{actor}-{address.name}-{whose}")
        for address in PAGES
        if address.write is not None
        for actor in ALL_ACTORS
        for whose in learners_to_try(actor)
    ]


@pytest.mark.parametrize(("actor", "address", "whose"), writings())
def test_each_actor_changes_only_what_their_relationship_and_role_justify(
    harness, actor, address, whose
):
    expected = SPEC.writing(actor, address, whose)
    records = harness.learners[whose]
    subject = records.subject(address.plan)
    kwargs = url_kwargs(address, subject)
    payload = address.write.payload(subject, kwargs) if address.write.payload else None
    mark = audit_mark()

    with tables_written() as written:
        response = send(
            harness.client(actor), address, reverse(address.name, kwargs=kwargs), data=payload
        )

    assert response.status_code == expected.status(address, posting=True)
    events = audit_since(mark)
    if expected is Outcome.ALLOWED:
        # It landed exactly where it should, nowhere else, and is recorded against the learner.
        before = dict(harness.states_as_built())
        after = record_states(harness.learners)
        assert changed(before[whose], after[whose]) == state_keys(address, address.write.changes)
        assert any(
            event.action in (AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE)
            and learner_of(event) == records.learner
            for event in events
        )
        del before[whose], after[whose]
        assert after == before
    else:
        harness.assert_no_learner_changed(written)
    if expected is Outcome.NOT_FOUND:
        assert [(e.action, learner_of(e)) for e in events] == [
            (AuditAction.REFUSED, records.learner)
        ]


# Refusals are recorded as refusals ---------------------------------------------------------------


def refusals_on_a_learner_one_sees() -> list[Any]:
    """Everyone who sees a learner and is refused something: a button their role may not press,
    a draft hidden from families, a write the service turns down. (Asking for a page one's role
    may not use, or a record hidden from families, is checked with every reading above.)"""
    cases = []
    for address in PAGES:
        for whose in LEARNERS:
            for actor in sorted(SPEC.sees[whose]):
                family_plans = [DRAFT_PLAN] if address.plan and SPEC.is_family(actor) else []
                read_above = [] if address.button else [address.plan]
                for plan in [address.plan, *family_plans]:
                    if plan in read_above:
                        continue
                    if SPEC.reading(actor, address, whose, plan).refused:
                        label = plan or "learner"
                        cases.append(
                            pytest.param(
                                actor,
                                address,
                                whose,
                                plan,
                                False,
                                id=f"{actor}-{address.name}-{label}-{whose}",
                            )
                        )
                if address.write and SPEC.writing(actor, address, whose) is Outcome.REFUSED_ON_FORM:
                    cases.append(
                        pytest.param(
                            actor,
                            address,
                            whose,
                            address.plan,
                            True,
                            id=f"{actor}-{address.name}-posted-{whose}",
                        )
                    )
    return cases


@pytest.mark.parametrize(
    ("actor", "address", "whose", "plan", "posting"), refusals_on_a_learner_one_sees()
)
def test_a_refusal_on_a_learner_one_sees_is_recorded_as_a_refusal_not_a_view(
    harness, actor, address, whose, plan, posting
):
    subject = harness.learners[whose].subject(plan)
    kwargs = url_kwargs(address, subject)
    payload = address.write.payload(subject, kwargs) if posting and address.write.payload else None
    mark = audit_mark()

    send(harness.client(actor), address, reverse(address.name, kwargs=kwargs), data=payload)

    events = [event for event in audit_since(mark) if learner_of(event) == subject.learner]
    assert AuditAction.REFUSED in [event.action for event in events]
    assert AuditAction.VIEW not in [event.action for event in events]


# A record of one learner, reached through another ------------------------------------------------

# One actor from each side: staff and a parent who see `learner`, and the Fife officer who sees
# `other_learner`; each asks, under their own learner's address, for the other learner's records.
CROSSING_ACTORS = ["support_lead", "parent", "other_authority_officer"]


def crossings() -> list[Any]:
    cases = []
    for address in PAGES:
        ways = ["every record", "last record only"][: len(address.record_ids)]
        posts = [False, True] if address.write and address.write.payload else [False]
        for actor in CROSSING_ACTORS:
            for way in ways:
                for posting in posts:
                    method = "posted" if posting or address.button else "asked for"
                    cases.append(
                        pytest.param(
                            actor,
                            address,
                            way,
                            posting,
                            id=f"{actor}-{address.name}-{way}-{method}",
                        )
                    )
    return cases


@pytest.mark.parametrize(("actor", "address", "way", "posting"), crossings())
def test_a_record_of_another_learner_cannot_be_reached_through_a_learner_one_sees(
    harness, actor, address, way, posting
):
    url, _own, foreign = harness.crossed_url(SPEC, actor, address, way)
    payload = address.write.payload(foreign, url_kwargs(address, foreign)) if posting else None
    with tables_written() as written:
        response = send(harness.client(actor), address, url, data=payload)

    # Someone who may use the address is told the record is not there; someone who may not use it
    # at all may be told so before the record is looked up.
    assert response.status_code in ({404} if SPEC.may_use(actor, address) else {403, 404})
    assert foreign.learner.legal_last_name not in text(response)
    harness.assert_no_learner_changed(written)


def audited_crossings() -> list[Any]:
    return [
        pytest.param(actor, address, way, id=f"{actor}-{address.name}-{way}")
        for address in PAGES
        for way in ["every record", "last record only"][: len(address.record_ids)]
        for actor in CROSSING_ACTORS
        if SPEC.may_use(actor, address)
    ]


@pytest.mark.parametrize(("actor", "address", "way"), audited_crossings())
def test_a_record_asked_for_under_another_learner_is_recorded_against_its_own_learner(
    harness, actor, address, way
):
    url, own, foreign = harness.crossed_url(SPEC, actor, address, way)
    mark = audit_mark()

    send(harness.client(actor), address, url)

    events = audit_since(mark)
    assert any(e.action == AuditAction.REFUSED and learner_of(e) == foreign.learner for e in events)
    assert not any(learner_of(e) == own.learner for e in events)


# Drafts are not the family's ---------------------------------------------------------------------


def families_and_plan_pages() -> list[Any]:
    return [
        pytest.param(actor, address, id=f"{actor}-{address.name}")
        for address in PAGES
        if address.plan is not None
        for actor in ALL_ACTORS
        if SPEC.is_family(actor)
    ]


@pytest.mark.parametrize(("actor", "address"), families_and_plan_pages())
def test_families_never_reach_a_draft(harness, actor, address):
    whose = SPEC.learner_seen_by(actor)
    with tables_written() as written:
        response = send(
            harness.client(actor), address, harness.url(address, whose, plan=DRAFT_PLAN)
        )

    assert SPEC.reading(actor, address, whose, DRAFT_PLAN) is Outcome.HIDDEN
    assert response.status_code == 404
    harness.assert_no_learner_changed(written)


def test_a_refusal_is_compared_record_by_record_whenever_it_wrote_beyond_the_audit(harness):
    """The shortcut the refusal checks take: only a request that wrote nothing but the audit trail
    (or its session, or the cache) skips reading every record; any other statement counts."""
    records = harness.learners["learner"]
    with tables_written() as audit_only:
        harness.client("outsider_teacher").get(
            reverse("learners:profile", args=[records.learner.public_id])
        )
    with tables_written() as wrote_a_learner:
        Learner.objects.filter(pk=records.learner.pk).update(staff_notes="changed")
    with tables_written() as unrecognised, connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE harness_scratch (id integer)")

    assert audit_only == set()
    assert wrote_a_learner == {Learner._meta.db_table}
    assert unrecognised
    with pytest.raises(AssertionError):
        harness.assert_no_learner_changed(wrote_a_learner)


@pytest.mark.parametrize("actor", ["parent", "young_person", "support_lead", "teacher"])
def test_the_plan_list_shows_a_draft_to_staff_only(harness, actor):
    records = harness.learners["learner"]
    draft, finalised = records.plans[DRAFT_PLAN], records.plans[FINALISED_PLAN]

    response = harness.client(actor).get(reverse("planning:list", args=[records.learner.public_id]))

    assert response.status_code == 200
    assert (str(draft.public_id) in text(response)) == (not SPEC.is_family(actor))
    assert str(finalised.public_id) in text(response)


# Addresses that name nothing ---------------------------------------------------------------------

UNKNOWN_UUIDS = ["not-a-uuid", "12345", "00000000-0000-0000-0000-000000000000"]
BAD_VALUES = {
    "learner_id": UNKNOWN_UUIDS,
    "plan_id": UNKNOWN_UUIDS,
    "need_id": ["999999999"],
    "assessment_id": ["999999999"],
    "target_id": ["999999999"],
    "provision_id": ["999999999"],
    "view_id": ["999999999"],
    "review_id": ["999999999"],
    "section_key": ["no-such-section"],
    "number": ["0", "99", "not-a-number"],
    "process_id": UNKNOWN_UUIDS,
    "request_id": UNKNOWN_UUIDS,
    "consent_id": UNKNOWN_UUIDS,
    "attachment_id": UNKNOWN_UUIDS,
    "contribution_id": UNKNOWN_UUIDS,
    "meeting_id": UNKNOWN_UUIDS,
    "action_id": UNKNOWN_UUIDS,
    "disagreement_id": UNKNOWN_UUIDS,
    "transition_id": UNKNOWN_UUIDS,
    "kind": ["no-such-kind"],
    "record_id": UNKNOWN_UUIDS,
    "evidence_id": ["999999999"],
    "report_id": ["999999999"],
    "local_action_id": ["999999999"],
    # The moderation pages' ids (tried in the fifth door's tests below).
    "sample_id": UNKNOWN_UUIDS,
    "case_id": UNKNOWN_UUIDS,
    # A roll import (tried in test_a_roll_import_is_read_only_by_those_who_keep_that_roll).
    "import_id": UNKNOWN_UUIDS,
    # A column mapping (tried in test_a_column_mapping_is_changed_and_retired_only_by_*).
    "mapping_id": ["999999"],
    # Record types that cannot be erased alone (tried in the fourth door's tests below).
    "record_type": ["no.SuchRecord", "learners.Learner", "audit.AuditEvent", "learners.Need"],
}


def bad_addresses() -> list[Any]:
    return [
        pytest.param(address, name, value, id=f"{address.name}-{name}={value}")
        for address in PAGES
        for name in ["learner_id", *(["plan_id"] if address.plan else []), *address.ids]
        for value in BAD_VALUES[name]
    ]


@pytest.mark.parametrize(("address", "name", "value"), bad_addresses())
def test_a_malformed_or_unknown_id_gives_404(harness, address, name, value):
    actor = next(actor for actor in sorted(SPEC.sees["learner"]) if SPEC.may_use(actor, address))

    response = send(
        harness.client(actor), address, harness.url_with(address, "learner", name, value)
    )

    assert response.status_code == 404


def test_every_id_in_a_page_address_has_bad_values_to_try():
    ids = {
        name for pattern in url_patterns() if pattern.name in SPEC.names for name in pattern.kwargs
    }

    assert ids <= set(BAD_VALUES)


@pytest.mark.parametrize("address", PAGES, ids=lambda address: address.name)
def test_signed_out_visitors_are_sent_to_sign_in(harness, address):
    response = send(harness.client(None), address, harness.url(address, "learner"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


# Pages about many learners -----------------------------------------------------------------------


def list_cases(name: str) -> list[Any]:
    address = next(address for address in LISTS if address.name == name)
    return [
        pytest.param(actor, address, variant, id=f"{actor}-{variant.label}")
        for variant in address.variants
        for actor in ALL_ACTORS
    ]


def sees(actor: str, whose: str) -> bool:
    return actor in SPEC.sees[whose]


@pytest.mark.parametrize(("actor", "address", "variant"), list_cases("learners:list"))
def test_learner_lists_and_their_fragments_show_only_the_learners_one_sees(
    harness, actor, address, variant
):
    response = harness.client(actor).get(reverse(address.name), headers=dict(variant.headers))

    if SPEC.role(actor) not in address.used_by:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    for whose, records in harness.learners.items():
        assert (records.learner.candidate_number in text(response)) == sees(actor, whose)


@pytest.mark.parametrize(("actor", "address", "variant"), list_cases("learners:summary"))
def test_the_caseload_summary_counts_only_the_learners_one_sees(harness, actor, address, variant):
    response = harness.client(actor).get(reverse(address.name))

    if SPEC.role(actor) not in address.used_by:
        assert response.status_code == 403
        return
    assert response.context["summary"].total == sum(sees(actor, whose) for whose in LEARNERS)


@pytest.mark.parametrize(("actor", "address", "variant"), list_cases("home"))
def test_home_pages_name_only_learners_one_sees(harness, actor, address, variant):
    """A family's home lists their own children; a member of staff's lists the work waiting for
    them (drafts to sign off, reviews, clocks), each about a learner they see."""
    response = harness.client(actor).get(reverse(address.name))

    assert response.status_code == 200
    for whose, records in harness.learners.items():
        if SPEC.is_family(actor) and sees(actor, whose):
            assert str(records.learner.public_id) in text(response)
        if not sees(actor, whose):
            assert str(records.learner.public_id) not in text(response)
            assert records.learner.legal_last_name not in text(response)


@pytest.mark.parametrize(("actor", "address", "variant"), list_cases("deadline_board"))
def test_the_deadline_board_opens_only_for_those_who_run_clocks_and_names_no_learner(
    harness, actor, address, variant
):
    response = harness.client(actor).get(reverse(address.name))

    if SPEC.role(actor) not in address.used_by:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    for records in harness.learners.values():
        assert str(records.learner.public_id) not in text(response)
        assert records.learner.legal_last_name not in text(response)


@pytest.mark.parametrize(
    ("actor", "address", "variant"),
    [*list_cases("census:return"), *list_cases("census:download")],
)
def test_the_census_return_exists_only_for_those_who_make_it_and_names_only_learners_they_see(
    harness, actor, address, variant
):
    """Pupil-level: 404 for everyone else, analysts included. The harness's schools have no
    reference number, so the download sends its makers back to the page listing that."""
    response = harness.client(actor).get(reverse(address.name))

    if SPEC.role(actor) not in address.used_by:
        assert response.status_code == 404
        return
    if address.name == "census:download":
        assert response.status_code == 302
        assert response.url == reverse("census:return")
        return
    assert response.status_code == 200
    for whose, records in harness.learners.items():
        if not sees(actor, whose):
            assert str(records.learner.public_id) not in text(response)
            assert records.learner.legal_last_name not in text(response)


@pytest.mark.parametrize(
    ("actor", "address", "variant"),
    [
        *list_cases("measures:service"),
        *list_cases("measures:authority"),
        *list_cases("measures:national"),
    ],
)
def test_the_measures_of_requests_open_only_for_their_readers_and_name_no_learner(
    harness, actor, address, variant
):
    response = harness.client(actor).get(reverse(address.name))

    if SPEC.role(actor) not in address.used_by:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    for records in harness.learners.values():
        assert str(records.learner.public_id) not in text(response)
        assert records.learner.legal_last_name not in text(response)


@pytest.mark.parametrize(("actor", "address", "variant"), list_cases("dashboards:consistency"))
def test_the_consistency_report_opens_only_for_its_readers_and_names_no_learner(
    harness, actor, address, variant
):
    response = harness.client(actor).get(reverse(address.name), dict(variant.query))

    if SPEC.role(actor) not in address.used_by:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    for records in harness.learners.values():
        assert str(records.learner.public_id) not in text(response)
        assert records.learner.legal_last_name not in text(response)


@pytest.mark.parametrize(
    ("actor", "address", "variant"), list_cases("dashboards:consistency_departures")
)
def test_the_departures_list_names_only_the_learners_its_officer_sees(
    harness, actor, address, variant
):
    """Each learner has a stage decision today that departs from the suggestion, its reason
    naming them: the list shows it to the officer who sees them, and to nobody else."""
    from stagewise.learners.models import StageDecision
    from stagewise.statutory.selectors import stage_list

    today = timezone.localdate()
    for records in harness.learners.values():
        stages = list(stage_list(records.learner.enrolments.get().setting.authority))
        StageDecision.objects.create(
            learner=records.learner,
            stage=stages[1],
            decided_on=today,
            rationale="Made up for the harness.",
            next_review_on=today + timedelta(days=90),
            suggested_national_stage=stages[0].national_stage,
            suggested_stage=stages[0],
            departs_from_suggestion=True,
            departure_kind="views",
            departure_reason=f"Departed for {records.learner.legal_last_name}.",
        )
    response = harness.client(actor).get(reverse(address.name))

    if SPEC.role(actor) not in address.used_by:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    for whose, records in harness.learners.items():
        named = f"Departed for {records.learner.legal_last_name}." in text(response)
        assert named == sees(actor, whose)


@pytest.mark.parametrize(("actor", "address", "variant"), list_cases("open_disagreements"))
def test_the_open_disagreements_name_only_the_learners_one_sees(harness, actor, address, variant):
    response = harness.client(actor).get(reverse(address.name))

    if SPEC.role(actor) not in address.used_by:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    for whose, records in harness.learners.items():
        assert (str(records.learner.public_id) in text(response)) == sees(actor, whose)


@pytest.mark.parametrize(("actor", "address", "variant"), list_cases("outcome_import"))
def test_the_outcome_import_opens_only_for_those_who_record_outcomes_and_reveals_no_learner(
    harness, actor, address, variant
):
    client = harness.client(actor)
    period = "2024-09-02,2024-09-06,10,9"
    lines = ["candidate_number,starts_on,ends_on,possible_sessions,attended_sessions"] + [
        f"{records.learner.candidate_number},{period}" for records in harness.learners.values()
    ]
    upload = SimpleUploadedFile(
        "outcomes.csv", "\n".join([*lines, f"ZZ0000000000,{period}"]).encode()
    )

    response = client.get(reverse(address.name))
    posted = client.post(
        reverse(address.name), {"kind": "attendance", "file": upload, "action": "check"}
    )

    if SPEC.role(actor) not in address.used_by:
        assert (response.status_code, posted.status_code) == (403, 403)
        return
    assert (response.status_code, posted.status_code) == (200, 200)
    problems = {problem.line: problem.message for problem in posted.context["result"].problems}
    nobody = problems[len(lines) + 1]
    for line, (whose, records) in enumerate(harness.learners.items(), start=2):
        assert (line not in problems) == sees(actor, whose)
        assert problems.get(line, nobody) == nobody
        assert records.learner.legal_last_name not in text(posted)


ROLL_HEADER = (
    "Candidate Number,Legal Forename,Legal Surname,Date of Birth,Sex,Year Group,School Reference"
)


def _roll_file(harness: World) -> bytes:
    """Both learners, under a surname of the file's own, at the school where each is."""
    lines = [ROLL_HEADER] + [
        f"{records.learner.candidate_number},Made,Up,{records.learner.date_of_birth:%d/%m/%Y},F,"
        f"P7,{records.learner.enrolments.get().setting.reference_number}"
        for records in harness.learners.values()
    ]
    return "\n".join(lines).encode()


@pytest.mark.parametrize(("actor", "address", "variant"), list_cases("roll_imports:upload"))
def test_the_roll_import_opens_only_for_those_who_enrol_and_its_check_names_no_one_unseen(
    harness, actor, address, variant
):
    client = harness.client(actor)
    upload = SimpleUploadedFile("roll.csv", _roll_file(harness))
    mapping = ColumnMapping.objects.get(name="Generic census export")

    response = client.get(reverse(address.name))
    posted = client.post(reverse(address.name), {"mapping": mapping.pk, "file": upload})

    if SPEC.role(actor) not in address.used_by:
        assert (response.status_code, posted.status_code) == (403, 403)
        return
    assert (response.status_code, posted.status_code) == (200, 302)
    checked = client.get(posted.url)
    assert checked.status_code == 200
    for whose, records in harness.learners.items():
        if not sees(actor, whose):
            assert records.learner.legal_last_name not in text(checked)
            assert str(records.learner.public_id) not in text(checked)


@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_a_roll_import_is_read_only_by_those_who_keep_that_roll(harness, actor):
    """The school's leaders and its authority's officers read and confirm the school's import;
    anyone else who enrols learners is told nothing (404), and the others may not (403)."""
    from stagewise.roll_imports.services import roll_import_check

    head = actors_for(harness.users["head"])[0]
    roll_import = roll_import_check(
        actor=head,
        mapping=ColumnMapping.objects.get(name="Generic census export"),
        file_name="roll.csv",
        content=_roll_file(harness),
    )
    address = reverse("roll_imports:detail", kwargs={"import_id": roll_import.public_id})
    client = harness.client(actor)

    response = client.get(address)
    posted = client.post(address, {"leavers_end_on": ""})

    if actor in {"head", "support_lead", "authority_officer"}:
        assert response.status_code == 200
        assert posted.status_code in (200, 302)
    elif SPEC.role(actor) in ENROLS_LEARNERS:
        assert (response.status_code, posted.status_code) == (404, 404)
    else:
        assert (response.status_code, posted.status_code) == (403, 403)
    if actor == "head":
        unknown = reverse("roll_imports:detail", kwargs={"import_id": uuid.uuid4()})
        assert client.get(unknown).status_code == 404


@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_column_mappings_are_added_only_by_administrators(harness, actor):
    client = harness.client(actor)
    posted = client.post(
        reverse("roll_imports:mapping_add"),
        {
            "name": f"Mapping by {actor}",
            "date_order": "iso",
            "column_candidate_number": "UPN",
            "column_legal_first_name": "Forename",
            "column_legal_last_name": "Surname",
            "column_date_of_birth": "DOB",
            "column_sex": "Gender",
            "column_year_group": "Year",
        },
    )
    done = client.get(reverse("roll_imports:mapping_add_done"))

    added = ColumnMapping.objects.filter(name=f"Mapping by {actor}").exists()
    if actor == "administrator":
        assert (posted.status_code, done.status_code, added) == (302, 200, True)
    else:
        assert (posted.status_code, done.status_code, added) == (403, 403, False)


@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_a_column_mapping_is_changed_and_retired_only_by_administrators(harness, actor):
    generic = ColumnMapping.objects.get(name="Generic census export")
    ColumnMapping.objects.create(name=f"Replacement for {actor}", columns=generic.columns)
    change = reverse("roll_imports:mapping_change", kwargs={"mapping_id": generic.pk})
    retire = reverse("roll_imports:mapping_retire", kwargs={"mapping_id": generic.pk})
    columns = {f"column_{field}": column for field, column in generic.columns.items()}
    client = harness.client(actor)

    statuses = (
        client.get(change).status_code,
        client.post(
            change,
            {"name": "Census export", "description": "", "date_order": "iso"} | columns,
        ).status_code,
        client.get(retire).status_code,
        client.post(retire, {"confirmed": "true"}).status_code,
    )

    generic.refresh_from_db()
    if actor == "administrator":
        assert statuses == (200, 302, 200, 302)
        assert (generic.name, generic.retired_at is not None) == ("Census export", True)
        assert client.get(change).status_code == 200  # a retired mapping is still shown
        unknown = reverse("roll_imports:mapping_change", kwargs={"mapping_id": 999_999})
        assert client.get(unknown).status_code == 404
    else:
        assert statuses == (403, 403, 403, 403)
        assert (generic.name, generic.retired_at) == ("Generic census export", None)


@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_a_retired_column_mapping_is_brought_back_only_by_administrators(harness, actor):
    retired = ColumnMapping.objects.create(
        name=f"Retired for {actor}",
        columns=ColumnMapping.objects.get(name="Generic census export").columns,
        retired_at=timezone.now(),
    )
    reinstate = reverse("roll_imports:mapping_reinstate", kwargs={"mapping_id": retired.pk})
    client = harness.client(actor)

    statuses = (
        client.get(reinstate).status_code,
        client.post(reinstate, {}).status_code,
        client.post(reinstate, {"confirmed": "true"}).status_code,
    )

    retired.refresh_from_db()
    if actor == "administrator":
        # Unconfirmed, the page asks again; confirmed, the mapping is offered again, audited.
        assert statuses == (200, 200, 302)
        assert retired.retired_at is None
        assert AuditEvent.objects.filter(
            purpose="reinstate column mapping", object_id=str(retired.pk)
        ).exists()
        unknown = reverse("roll_imports:mapping_reinstate", kwargs={"mapping_id": 999_999})
        assert client.get(unknown).status_code == 404
    else:
        assert statuses == (403, 403, 403)
        assert retired.retired_at is not None


@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_a_signing_key_is_listed_and_replaced_only_by_administrators(harness, actor):
    authority = harness.learners["learner"].learner.enrolments.get().setting.authority
    replace = reverse("transfers:signing_key_replace", kwargs={"authority_id": authority.pk})
    client = harness.client(actor)

    statuses = (
        client.get(reverse("transfers:signing_keys")).status_code,
        client.get(replace).status_code,
        client.post(replace, {"confirmed": "true"}).status_code,
    )

    replaced = SigningKey.objects.filter(authority=authority, retired_at__isnull=True).exists()
    if actor == "administrator":
        assert (statuses, replaced) == ((200, 200, 302), True)
        unknown = reverse("transfers:signing_key_replace", kwargs={"authority_id": 999_999})
        assert client.get(unknown).status_code == 404
    else:
        assert (statuses, replaced) == ((403, 403, 403), False)


@pytest.mark.parametrize(("actor", "address", "variant"), list_cases("transfers:import"))
def test_the_transfer_import_opens_only_for_those_who_enrol_learners_and_offers_their_schools(
    harness, actor, address, variant
):
    client = harness.client(actor)

    response = client.get(reverse(address.name))
    posted = client.post(reverse(address.name), {"setting": "1"})

    if SPEC.role(actor) not in address.used_by:
        assert (response.status_code, posted.status_code) == (404, 404)
        return
    assert (response.status_code, posted.status_code) == (200, 200)
    offered = set(response.context["form"].fields["setting"].queryset)
    membership = Membership.objects.get(user=harness.users[actor])
    assert all(
        setting.pk == membership.setting_id or setting.authority_id == membership.authority_id
        for setting in offered
    )
    for records in harness.learners.values():
        assert records.learner.legal_last_name not in text(response)


def test_signed_out_visitors_to_a_list_are_sent_to_sign_in(harness):
    for address in LISTS:
        response = harness.client(None).get(reverse(address.name))

        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


# The second door: what the school a learner left wrote ------------------------------------------


def _ailsa_moves_to_fife(harness: World) -> None:
    """Ailsa leaves Riverside for Harbourside Primary in Fife today (rolled back after the test)."""
    learner_move(
        actor=SYSTEM,
        learner=harness.learners["learner"].learner,
        to_setting=Enrolment.objects.get(learner=harness.learners["other_learner"].learner).setting,
        moved_on=timezone.localdate(),
        year_group="S5",
        reason="The family moved to Fife.",
    )


@pytest.mark.parametrize(
    ("page", "actor", "whose"),
    [
        pytest.param(page, actor, whose, id=f"{page}-{actor}-{whose}")
        for page in SENDING_SCHOOL_LEARNER_PAGES
        for actor in ALL_ACTORS
        for whose in LEARNERS
    ],
)
def test_only_who_saw_her_at_the_school_she_left_reads_what_it_wrote(harness, page, actor, whose):
    """Ailsa has moved away; Finlay has not, so nobody reaches him through the second door."""
    _ailsa_moves_to_fife(harness)
    learner = harness.learners[whose].learner
    mark = audit_mark()

    response = harness.client(actor).get(reverse(page, args=[learner.public_id]))

    events = audit_since(mark)
    if whose == "learner" and actor in READS_WHAT_RIVERSIDE_WROTE:
        assert response.status_code == 200
        assert learner.legal_last_name in text(response)
        assert [(e.action, learner_of(e), e.object_type) for e in events] == [
            (AuditAction.VIEW, learner, "records_written_here")
        ]
    else:
        assert response.status_code == 404
        assert learner.legal_last_name not in text(response)
        assert [(e.action, e.user, learner_of(e)) for e in events] == [
            (AuditAction.REFUSED, harness.users[actor], learner)
        ]


@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_the_list_of_learners_who_moved_away_names_only_those_one_saw_at_the_school(harness, actor):
    _ailsa_moves_to_fife(harness)

    response = harness.client(actor).get(reverse("learners:moved_away"))

    if SPEC.role(actor) not in SENDING_SCHOOL_PAGES["learners:moved_away"]:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    ailsa, finlay = (harness.learners[whose].learner for whose in LEARNERS)
    assert (str(ailsa.public_id) in text(response)) == (actor in READS_WHAT_RIVERSIDE_WROTE)
    assert str(finlay.public_id) not in text(response)


@pytest.mark.parametrize("value", UNKNOWN_UUIDS)
def test_a_malformed_or_unknown_id_at_the_second_door_gives_404(harness, value):
    _ailsa_moves_to_fife(harness)
    ailsa = harness.learners["learner"].learner.public_id
    address = reverse("learners:moved_away_records", args=[ailsa]).replace(str(ailsa), value)

    assert harness.client("support_lead").get(address).status_code == 404


def test_signed_out_visitors_to_the_second_door_are_sent_to_sign_in(harness):
    learner = harness.learners["learner"].learner
    for address in (
        reverse("learners:moved_away"),
        *(reverse(page, args=[learner.public_id]) for page in SENDING_SCHOOL_LEARNER_PAGES),
    ):
        response = harness.client(None).get(address)

        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


# The third door: a subject access export ---------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "actor", "whose"),
    [
        pytest.param(page, actor, whose, id=f"{page}-{actor}-{whose}")
        for page in SUBJECT_ACCESS_PAGES
        for actor in ALL_ACTORS
        for whose in LEARNERS
    ],
)
def test_only_the_authoritys_data_protection_officer_exports_a_learners_record(
    harness, page, actor, whose
):
    """Everyone else is refused as at the first door: 403 if they see the learner, else 404."""
    learner = harness.learners[whose].learner
    mark = audit_mark()

    response = harness.client(actor).get(reverse(page, args=[learner.public_id]))

    events = [(e.action, e.user, learner_of(e)) for e in audit_since(mark)]
    refused = [(AuditAction.REFUSED, harness.users[actor], learner)]
    if actor in EXPORTS_RECORD_OF[whose]:
        assert response.status_code == 200
        assert events == [(AuditAction.EXPORT, harness.users[actor], learner)]
    elif sees(actor, whose):
        assert response.status_code == 403
        assert events == refused
    else:
        assert response.status_code == 404
        assert learner.legal_last_name not in text(response)
        assert events == refused


# The fourth door: erasure under a retention schedule -------------------------------------------


def review_finds_due(harness: Any) -> None:
    """The retention review's rows saying each learner's own record is due, in their authority,
    and each learner's notices sent three years ago (kept two years) due on their own."""
    long_ago = timezone.now() - timedelta(days=3 * 366)
    for whose in LEARNERS:
        learner = harness.learners[whose].learner
        authority_id = learner.enrolments.values_list("setting__authority_id", flat=True)[0]
        Notification.objects.create(
            recipient=harness.users["teacher"],
            learner=learner,
            kind=NotificationKind.choices[0][0],
            subject="A notice",
            body="About the learner",
            dedupe_key=f"harness-old-notice-{whose}",
        )
        Notification.objects.filter(dedupe_key=f"harness-old-notice-{whose}").update(
            created_at=long_ago
        )
        for record_type in (ERASURE_RECORD_TYPE, OLD_NOTICES):
            RetentionDue.objects.create(
                reported_on=timezone.localdate(),
                authority_id=authority_id,
                schedule=RetentionSchedule.objects.get(record_type=record_type),
                learner=learner,
                records=1,
                due_since=date(2020, 1, 1),
            )


@pytest.mark.parametrize(
    ("page", "actor", "whose", "posting"),
    [
        pytest.param(page, actor, whose, posting, id=f"{page}-{actor}-{whose}-{method}")
        for page in ERASURE_PAGES
        for actor in ALL_ACTORS
        for whose in LEARNERS
        for posting, method in ((False, "get"), (True, "post"))
    ],
)
def test_only_the_authoritys_data_protection_officer_erases_a_learner_found_due(
    harness, page, actor, whose, posting
):
    """Everyone else gets 404 whether or not they see the learner, the attempt recorded, and
    nothing is erased; the officer is shown what would go, and erases it on confirming: the
    whole record, or the type's records past their own period alone."""
    review_finds_due(harness)
    learner = harness.learners[whose].learner
    client = harness.client(actor)
    url = reverse(page, args=[learner.public_id, *ERASURE_ARGUMENTS.get(page, [])])
    notices = Notification.objects.filter(learner=learner).count()
    mark = audit_mark()

    response = client.post(url, {"confirm": "true"}) if posting else client.get(url)

    events = [(e.action, e.user) for e in audit_since(mark)]
    if actor not in ERASES_RECORD_OF[whose]:
        assert response.status_code == 404
        assert learner.legal_last_name not in text(response)
        assert [(e.action, learner_of(e)) for e in audit_since(mark)] == [
            (AuditAction.REFUSED, learner)
        ]
        assert Learner.objects.filter(pk=learner.pk).exists()
        assert Notification.objects.filter(learner=learner).count() == notices
    elif posting:
        assert response.status_code == 302
        erased_whole = page == "data_protection:erase"
        assert Learner.objects.filter(pk=learner.pk).exists() is not erased_whole
        if not erased_whole:
            assert Notification.objects.filter(learner=learner).count() == notices - 1
        assert events == [(AuditAction.DELETE, harness.users[actor])]
    else:
        assert response.status_code == 200
        assert learner.legal_last_name in text(response)
        assert events == [(AuditAction.VIEW, harness.users[actor])]


@pytest.mark.parametrize("record_type", BAD_VALUES["record_type"])
def test_a_record_type_not_due_to_be_erased_alone_gives_the_officer_404(harness, record_type):
    """Not in the registry, the learner's own record (erased only whole), the access trail
    (never this way), or a type the review did not find due."""
    review_finds_due(harness)
    learner = harness.learners["learner"].learner
    url = reverse("data_protection:erase_records", args=[learner.public_id, record_type])

    response = harness.client("data_protection_officer").post(url, {"confirm": "true"})

    assert response.status_code == 404
    assert Learner.objects.filter(pk=learner.pk).exists()


@pytest.mark.parametrize(
    ("actor", "address", "variant"),
    [*list_cases("data_protection:find"), *list_cases("data_protection:retention")],
)
def test_the_data_protection_pages_open_only_for_the_officer_and_find_only_their_learners(
    harness, actor, address, variant
):
    response = harness.client(actor).get(reverse(address.name), {"words": "a"})

    if SPEC.role(actor) not in address.used_by:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    if address.name == "data_protection:find":
        ailsa, finlay = (harness.learners[whose].learner for whose in LEARNERS)
        assert str(ailsa.public_id) in text(response)
        assert str(finlay.public_id) not in text(response)


# What each audience sees of a learner ------------------------------------------------------------


def test_the_family_view_hides_staff_notes_and_other_carers_details(harness):
    learner = harness.learners["learner"].learner
    other_carer = link_carer(learner).carer
    other_carer.telephone = "07700 955555"
    other_carer.save()

    response = harness.client("parent").get(reverse("learners:profile", args=[learner.public_id]))

    assert "visual timetable" not in text(response)
    assert "07700 955555" not in text(response)
    assert "07700 900123" in text(response)  # the parent's own telephone number


def test_staff_see_staff_notes_and_every_carer(harness):
    learner = harness.learners["learner"].learner

    response = harness.client("support_lead").get(
        reverse("learners:profile", args=[learner.public_id])
    )

    assert "visual timetable" in text(response)
    assert harness.users["parent"].full_name in text(response)


# The fifth door: moderation of stage decisions ----------------------------------------------------


def ailsas_decision_moderated(harness: Any) -> Any:
    """Riverside's lead places Ailsa at a stage; Glasgow's officer samples it and gives it to the
    teacher at Hillhead, who disagrees. Returns the case."""
    from stagewise.accounts.actors import actors_for
    from stagewise.learners.services import stage_decide
    from stagewise.moderation.models import ModerationCase
    from stagewise.moderation.services import case_review, moderators_assign, sample_draw
    from stagewise.organisations.models import Membership
    from stagewise.statutory.selectors import stage_list

    learner = harness.learners["learner"].learner
    today = timezone.localdate()
    stage_decide(
        actor=actors_for(harness.users["support_lead"])[0],
        learner=learner,
        stage=stage_list(learner.enrolments.get().setting.authority)[1],
        decided_on=today,
        rationale="Ailsa Campbell needs small-group reading.",
        next_review_on=date(today.year + 1, 1, 1),
        departure_reason="Her reading age is two years behind.",  # decision support (ADR 0047)
        departure_kind="evidence_outside",
    )
    officer = actors_for(harness.users["authority_officer"])[0]
    sample = sample_draw(actor=officer, decided_from=today, decided_to=today, size=1)
    moderators_assign(
        actor=officer,
        sample=sample,
        moderators=[Membership.objects.get(user=harness.users["outsider_teacher"])],
    )
    case = ModerationCase.objects.get(sample=sample)
    case_review(
        actor=actors_for(harness.users["outsider_teacher"])[0],
        case=case,
        verdict="disagree",
        reason="The evidence points to universal support.",
    )
    return case


def ailsas_decision_drawn_again(harness: Any) -> Any:
    """The officer draws the same decision again and gives it to the teacher at Hillhead, who has
    not reviewed it yet: a case the officer may reassign."""
    from stagewise.accounts.actors import actors_for
    from stagewise.moderation.models import ModerationCase
    from stagewise.moderation.services import moderators_assign, sample_draw
    from stagewise.organisations.models import Membership

    today = timezone.localdate()
    officer = actors_for(harness.users["authority_officer"])[0]
    sample = sample_draw(actor=officer, decided_from=today, decided_to=today, size=1)
    moderators_assign(
        actor=officer,
        sample=sample,
        moderators=[Membership.objects.get(user=harness.users["outsider_teacher"])],
    )
    return ModerationCase.objects.get(sample=sample)


@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_only_the_sample_its_moderator_and_the_deciding_school_reach_a_moderated_decision(
    harness, actor
):
    case = ailsas_decision_moderated(harness)
    ids = {
        "moderation:sample": [case.sample.public_id],
        "moderation:assign": [case.sample.public_id],
        "moderation:case": [case.public_id],
        "moderation:reassign": [ailsas_decision_drawn_again(harness).public_id],
        "moderation:returned": [case.public_id],
    }
    client = harness.client(actor)

    reached = {
        page: client.get(reverse(page, args=ids.get(page, []))).status_code
        for page in MODERATION_PAGES
    }

    assert reached == {
        page: 200 if actor in reachers else 404 for page, reachers in MODERATION_PAGES.items()
    }


def test_a_moderator_never_reaches_the_learners_record_through_moderation(harness):
    case = ailsas_decision_moderated(harness)
    learner = harness.learners["learner"].learner
    client = harness.client("outsider_teacher")
    mark = audit_mark()

    page = text(client.get(reverse("moderation:case", args=[case.public_id])))

    assert str(learner.public_id) not in page
    assert learner.legal_first_name not in page and learner.legal_last_name not in page
    assert client.get(reverse("learners:profile", args=[learner.public_id])).status_code == 404
    events = [(e.action, e.object_type, learner_of(e)) for e in audit_since(mark)]
    assert events == [
        (AuditAction.VIEW, "moderation_case", learner),
        (AuditAction.REFUSED, "learner", learner),
    ]


@pytest.mark.parametrize("value", BAD_VALUES["case_id"])
@pytest.mark.parametrize(
    "page",
    [
        "moderation:sample",
        "moderation:assign",
        "moderation:case",
        "moderation:reassign",
        "moderation:returned",
    ],
)
def test_an_unknown_sample_or_case_gives_404(harness, page, value):
    """Asked for by those who reach a real one (the officer; Riverside's lead for a case
    returned to the school)."""
    actor = "support_lead" if page == "moderation:returned" else "authority_officer"
    stand_in = "00000000-0000-0000-0000-000000000001"  # the address, with the value put in

    response = harness.client(actor).get(reverse(page, args=[stand_in]).replace(stand_in, value))

    assert response.status_code == 404


# The API (ADR 0051) ------------------------------------------------------------------------------


@pytest.mark.parametrize("check", API_CHECKS, ids=lambda check: check.__name__)
def test_the_api_answers_each_role_as_its_pages_do(harness, check):
    check(harness, SPEC)


@pytest.mark.parametrize("check", WEBHOOK_CHECKS, ids=lambda check: check.__name__)
def test_the_webhook_pages_open_only_to_administrators(harness, check):
    check(harness, SPEC)
