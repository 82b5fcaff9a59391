"""Statutory clocks in the demo world, started through the clock services by the demo's staff, so
every sign-in that runs clocks has a work queue to show.

Riverside Primary's support-for-learning lead has clocks the school runs (requests to establish
needs that Glasgow hands to the school's support team): one overdue, one due this week, one due
within four weeks and one later. Glasgow's authority officer has the authority's own: a request
to establish needs that is overdue, an early review of a finalised co-ordinated support plan due
this week, the parent's first child's plan in preparation due within four weeks (its clock started
when the authority agreed to prepare it), the finalised plan's review clock and a request for the
speech and language therapists' help. At Ysgol Gymraeg Glan Taf the ALNCo has a school decision
on a concern raised in 2025/26, due 35 school days later on Cardiff's calendar, and one raised this
year that says Cardiff's 2026/27 calendar is needed.
"""

from datetime import date, timedelta
from typing import Any

from stagewise.accounts.actors import Actor, actors_for
from stagewise.accounts.models import User
from stagewise.learners.models import Learner
from stagewise.organisations.models import Agency, Setting
from stagewise.planning.models import PlanSection, PlanType, SectionKind, ViewKind
from stagewise.planning.services import (
    content_fingerprint,
    plan_create,
    plan_finalise,
    plan_section_update,
    provision_add,
    section_text_current,
    target_add,
    view_add,
)
from stagewise.statutory.models import Responsible
from stagewise.statutory.services import process_start
from stagewise.synthetic.demo_decisions import DEMO_DEPARTURE_KIND, DEMO_DEPARTURE_REASON

ESTABLISH_NEEDS = "scotland.establish_needs_request"
# A concern raised on Monday 2 February 2026: 35 Cardiff school days later, skipping the February
# half-term and Easter, is Monday 13 April 2026 (CALENDARS.md's worked count).
WELSH_CONCERN_2025_26 = date(2026, 2, 2)

CSP_TEXTS = {
    "skills_and_capabilities": "Kind and determined; reads well with a reading ruler; strong at"
    " drawing and building models.",
    "factors": "Cerebral palsy affecting fine motor skills and mobility (complex factor), with a"
    " significant adverse effect on school education; lasting more than a year; needs"
    " physiotherapy and occupational therapy from the NHS board.",
    "coordinator": "Graham Paterson, Support-for-learning lead, Riverside Primary School,"
    " 0141 000 0000",
    "contact_officer": "Alan Kerr, Inclusion Officer, Glasgow City Council",
}


def add_demo_clocks_before_plans(
    *, staff: dict[str, tuple[User, str, dict[str, Any], str]], story_learner: Learner, today: date
) -> None:
    """The parent's first child's plan is in preparation since the authority agreed to prepare it:
    its clock runs from then, and opening the draft joins that clock."""
    officer = actors_for(staff["authority_officer"][0])[0]
    process_start(
        actor=officer,
        learner=story_learner,
        rule_key="scotland.coordinated_support_plan_prepare",
        started_on=today - timedelta(weeks=13),
        reason="The authority agreed at the joint support meeting to prepare a co-ordinated"
        " support plan.",
    )


def add_demo_clocks(
    *,
    staff: dict[str, tuple[User, str, dict[str, Any], str]],
    riverside: Setting,
    glan_taf: Setting,
    speech_agency: Agency,
    story_learner: Learner,
    today: date,
) -> None:
    lead = actors_for(staff["support_lead"][0])[0]
    officer = actors_for(staff["authority_officer"][0])[0]
    alnco = actors_for(staff["alnco"][0])[0]
    # The parent's two children come first; the clocks are for the pupils after them.
    pupils = list(Learner.objects.filter(enrolments__setting=riverside).order_by("pk")[2:8])

    finalised = _finalised_coordinated_support_plan(lead, officer, pupils[0], today)
    process_start(
        actor=officer,
        learner=pupils[0],
        rule_key="scotland.early_review_request",
        started_on=today - timedelta(days=25),
        plan=finalised,
        reason="Mum asked for an early review: the physiotherapy has been cut to once a month.",
    )

    # Requests to establish needs that Glasgow hands to the school's support team.
    for pupil, days_ago in zip(pupils[1:5], (60, 52, 36, 5), strict=True):
        process_start(
            actor=lead,
            learner=pupil,
            rule_key=ESTABLISH_NEEDS,
            started_on=today - timedelta(days=days_ago),
            responsible=Responsible.SETTING,
            reason="The parents asked in writing; the school's support team gathers the"
            " assessment for the authority.",
        )
    process_start(
        actor=officer,
        learner=pupils[5],
        rule_key=ESTABLISH_NEEDS,
        started_on=today - timedelta(days=70),
        reason="The parents wrote to the authority directly.",
    )
    process_start(
        actor=officer,
        learner=story_learner,
        rule_key="scotland.agency_help",
        started_on=today - timedelta(days=40),
        agency=speech_agency,
        reason="Asked for a speech and language therapy assessment for the plan.",
    )

    welsh_pupils = list(Learner.objects.filter(enrolments__setting=glan_taf).order_by("pk")[1:3])
    if today >= WELSH_CONCERN_2025_26:
        process_start(
            actor=alnco,
            learner=welsh_pupils[0],
            rule_key="wales.individual_development_plan_school_decision",
            started_on=WELSH_CONCERN_2025_26,
            reason="Pryder a godwyd gan yr athro dosbarth am ddarllen ac ysgrifennu.",
        )
    process_start(
        actor=alnco,
        learner=welsh_pupils[1],
        rule_key="wales.individual_development_plan_school_decision",
        started_on=today - timedelta(days=10),
        reason="Pryder a godwyd gan y rhieni am leferydd ac iaith.",
    )


def _write(actor: Actor, plan: Any, key: str, text: str) -> None:
    section = PlanSection.objects.get(plan_type=plan.plan_type, key=key)
    plan_section_update(
        actor=actor,
        plan=plan,
        section=section,
        text=text,
        based_on=content_fingerprint(section_text_current(plan, section)),
    )


def _finalised_coordinated_support_plan(
    lead: Actor, officer: Actor, learner: Learner, today: date
) -> Any:
    """A plan the authority agreed to prepare 14 weeks ago, written by the school and signed off
    by the authority officer today: its preparation clock closes on time and its review starts."""
    process_start(
        actor=officer,
        learner=learner,
        rule_key="scotland.coordinated_support_plan_prepare",
        started_on=today - timedelta(weeks=14),
        reason="The authority proposed a co-ordinated support plan after the annual review.",
    )
    plan_type = PlanType.objects.get(key="coordinated_support_plan")
    plan = plan_create(
        actor=lead,
        learner=learner,
        plan_type=plan_type,
        starts_on=today,
        departure_reason=DEMO_DEPARTURE_REASON,
        departure_kind=DEMO_DEPARTURE_KIND,
    )
    for key, text in CSP_TEXTS.items():
        if plan_type.sections.filter(key=key, kind=SectionKind.TEXT).exists():
            _write(lead, plan, key, text)
    for kind, speaker, words in (
        (ViewKind.LEARNER, learner.display_name, "I want to use the laptop for long writing."),
        (ViewKind.PARENT, "Dad", "Everyone should know what the physiotherapist advises."),
    ):
        view_add(
            actor=lead,
            plan=plan,
            kind=kind,
            speaker=speaker,
            words=words,
            gathered_on=today - timedelta(days=14),
            how_gathered="Meeting at school",
        )
    target = target_add(
        actor=lead,
        plan=plan,
        outcome="Write a half-page story independently using the laptop.",
        measure="Writing samples, checked monthly",
        baseline="Writes three sentences with an adult scribing",
        success_criteria="Half a page, independently",
        achieve_by=today + timedelta(days=180),
    )
    provision_add(
        actor=lead,
        target=target,
        description="Touch-typing programme and a laptop for extended writing",
        frequency="Daily",
        minutes_per_week=100,
        starts_on=today,
        provider_name="Pupil support assistant",
        location="Classroom",
    )
    plan.refresh_from_db()
    plan_finalise(actor=officer, plan=plan, based_on_revision=plan.edit_revision)
    plan.refresh_from_db()
    return plan
