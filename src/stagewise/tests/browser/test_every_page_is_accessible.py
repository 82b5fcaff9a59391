"""Every other page, in English and Welsh, passes axe: forms and their error states, account and
administration pages, each role's home page, the chronology filters, the not-found page, and the
plan pages the journeys pass by (versions, comparing them, printing, the family's view).

The journeys sign in through the forms; here a session cookie stands in, to keep the sweep fast.
"""

from collections.abc import Callable
from datetime import time, timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect

from stagewise.accounts.models import User
from stagewise.conftest import World
from stagewise.coordination.meeting_models import MeetingKind
from stagewise.coordination.models import (
    ConsentGivenBy,
    ConsentMethod,
    ContributionKind,
    RecordPart,
    RequestForAssistance,
)
from stagewise.coordination.services import (
    attachment_add,
    consent_record,
    contribution_add,
    lawful_basis_record,
    request_accept,
    request_draft,
    request_send,
    request_start,
)
from stagewise.coordination.services.meetings import meeting_arrange, meeting_invite
from stagewise.learners.models import Carer, Learner
from stagewise.organisations.models import Agency, LocalAuthority, Membership
from stagewise.planning.models import Plan, ResponseKind, ReviewDecision, TargetProgress
from stagewise.planning.services import (
    TargetProgressEntry,
    plan_finalise,
    plan_response_record,
    plan_review_record,
    plan_revise,
    plan_support_in_place,
)
from stagewise.policy import SYSTEM
from stagewise.statutory.models import SchoolCalendarPeriod
from stagewise.testing.factories import add_need
from stagewise.testing.files import pdf_upload
from stagewise.testing.plans import acting, finalised_plan

from .support import LANGUAGES, assert_accessible, check_page


def sign_in_by_cookie(page: Page, live_server_url: str, user: User, language: str) -> None:
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server_url}])


def staff_pages(world: World, learner: Learner) -> list[tuple[str, str]]:
    need = add_need(learner)
    profile = f"/learners/{learner.public_id}"
    return [
        ("change details", f"{profile}/edit/"),
        ("record a need as resolved", f"{profile}/needs/{need.pk}/resolve/"),
        ("chronology with filters", f"{profile}/chronology/?kind=health"),
        ("your account", "/me/"),
        ("learner not found", "/learners/00000000-0000-0000-0000-000000000000/"),
        ("sign out", "/accounts/logout/"),
    ]


def administrator_pages(world: World, administrator: User) -> list[tuple[str, str]]:
    glasgow = LocalAuthority.objects.get(name="Glasgow City")
    cardiff = LocalAuthority.objects.get(name="Cardiff")
    term = SchoolCalendarPeriod.objects.filter(authority=cardiff, kind="term").first()
    assert term is not None
    membership = Membership.objects.filter(user=administrator).first()
    assert membership is not None
    return [
        ("administrator home", "/"),
        ("administration", "/administration/"),
        ("authority", f"/administration/authorities/{glasgow.pk}/"),
        ("add a setting", f"/administration/authorities/{glasgow.pk}/settings/add/"),
        ("change a setting", f"/administration/settings/{world.school.pk}/change/"),
        ("people", "/administration/people/"),
        ("add a person", "/administration/people/add/"),
        ("person", f"/administration/people/{administrator.pk}/"),
        ("add a membership", f"/administration/people/{administrator.pk}/memberships/add/"),
        ("memberships", "/administration/memberships/"),
        ("school calendar", f"/administration/authorities/{cardiff.pk}/calendar/"),
        ("add a term or closure", f"/administration/authorities/{cardiff.pk}/calendar/add/"),
        ("change a term", f"/administration/calendar-periods/{term.pk}/change/"),
        ("delete a term", f"/administration/calendar-periods/{term.pk}/delete/"),
        ("upload a calendar file", "/administration/calendars/upload/"),
    ]


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_pages_and_error_states_are_accessible(
    page: Page, live_server, world: World, learner: Learner, support_lead: User, language: str
) -> None:
    sign_in_by_cookie(page, live_server.url, support_lead, language)

    for name, path in staff_pages(world, learner):
        page.goto(path)
        check_page(page, name, language)

    # Forms sent back with errors: the GOV.UK error summary must be accessible too.
    for name, path in [
        ("need form with errors", f"/learners/{learner.public_id}/needs/add/"),
        ("stage decision form with errors", f"/learners/{learner.public_id}/stages/add/"),
        ("wellbeing form with errors", f"/learners/{learner.public_id}/wellbeing/add/"),
        ("change details with errors", f"/learners/{learner.public_id}/edit/"),
    ]:
        page.goto(path)
        if name.startswith("change details"):
            page.locator("input[name=legal_first_name]").fill("")
        page.locator("main form[method=post] button[type=submit]").last.click()
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        check_page(page, name, language)


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_administration_and_analyst_pages_are_accessible(
    page: Page, live_server, world: World, administrator: User, analyst: User, language: str
) -> None:
    visits: list[tuple[User, Callable[[], list[tuple[str, str]]]]] = [
        (administrator, lambda: administrator_pages(world, administrator)),
        (analyst, lambda: [("national analyst home", "/")]),
    ]
    for user, pages in visits:
        sign_in_by_cookie(page, live_server.url, user, language)
        for name, path in pages():
            page.goto(path)
            check_page(page, name, language)


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_school_calendar_forms_sent_back_with_errors_are_accessible(
    page: Page, live_server, world: World, administrator: User, language: str
) -> None:
    cardiff = LocalAuthority.objects.get(name="Cardiff")
    autumn = SchoolCalendarPeriod.objects.filter(
        authority=cardiff, kind="term", academic_year="2025-26"
    ).first()
    assert autumn is not None
    sign_in_by_cookie(page, live_server.url, administrator, language)
    for name, path in [
        (
            "term or closure form with errors",
            f"/administration/authorities/{cardiff.pk}/calendar/add/",
        ),
        ("calendar upload with errors", "/administration/calendars/upload/"),
        ("deleting a term with closures", f"/administration/calendar-periods/{autumn.pk}/delete/"),
    ]:
        page.goto(path)
        page.locator("main form[method=post] button[type=submit]").last.click()
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        check_page(page, name, language)


def reviewed_plan_in_its_second_version(learner: Learner, teacher: User, parent: User) -> Plan:
    """An individualised educational programme signed off, agreed by the parent, reviewed, then
    revised and signed off again: every part of the plan pages has something to show, and there
    are two versions to compare."""
    staff = acting(teacher)
    plan = finalised_plan(staff, learner, "individualised_educational_programme")
    plan_response_record(
        actor=acting(parent), plan=plan, response=ResponseKind.AGREED, words="We agree."
    )
    today = timezone.localdate()
    plan_support_in_place(actor=staff, plan=plan, in_place_on=today)
    plan_review_record(
        actor=staff,
        plan=plan,
        held_on=today,
        attendees="Class teacher; parent",
        views_beforehand="",
        progress=[
            TargetProgressEntry(target=target, progress=TargetProgress.ACHIEVED, evidence="Done.")
            for target in plan.targets.all()
        ],
        decision=ReviewDecision.CONTINUE,
        next_review_on=today + timedelta(days=180),
    )
    plan = plan_revise(actor=staff, plan=plan)
    plan_finalise(actor=staff, plan=plan, based_on_revision=plan.edit_revision)
    return plan


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_plan_pages_are_accessible_to_staff_and_family(
    page: Page, live_server, learner: Learner, teacher: User, parent: User, language: str
) -> None:
    plan = reviewed_plan_in_its_second_version(learner, teacher, parent)
    plans = f"/learners/{learner.public_id}/plans/"
    detail = f"{plans}{plan.public_id}/"

    visits: list[tuple[User, str, list[tuple[str, str]]]] = [
        (
            teacher,
            "staff",
            [
                ("plans", plans),
                ("plan", detail),
                ("plan version", f"{detail}versions/1/"),
                ("plan versions compared", f"{detail}versions/compare/?left=1&right=2"),
                ("progress across reviews", f"{plans}progress/"),
            ],
        ),
        (parent, "family", [("plans", plans), ("plan", detail)]),
    ]
    for user, who, pages in visits:
        sign_in_by_cookie(page, live_server.url, user, language)
        for name, path in pages:
            response = page.goto(path)
            assert response is not None and response.ok, (who, path)
            check_page(page, f"{who} {name}", language)
        # The printable plan has no header, so no language switch: check its language and axe.
        response = page.goto(f"{detail}print/")
        assert response is not None and response.ok, (who, "print")
        expect(page.locator("html")).to_have_attribute("lang", language)
        assert_accessible(page, f"{who} printable plan [{language}]")


def coordination_world(
    world: World, learner: Learner, support_lead: User, practitioner: User, parent: User
) -> dict[str, str]:
    """Issue 10's records, each page of the sweep has something to show: a request the
    practitioner works on, with advice the plan's author may add to a plan being revised; a
    draft with a file attached; a request sent without consent, on a lawful basis; a team around
    the child the parent is invited to. Returns the addresses the sweep visits."""
    lead = acting(support_lead)
    plan = finalised_plan(lead, learner, "personal_learning_plan")
    plan_revise(actor=lead, plan=plan)

    def draft(service: Agency) -> RequestForAssistance:
        return request_draft(
            actor=lead,
            learner=learner,
            service=service,
            reason="Hard to follow spoken instructions in class.",
            tried="Visual prompts.",
            tried_for="Two terms",
            learner_views="Would like to understand the teacher first time.",
            family_views="Would like ideas to use at home.",
        )

    worked_on = draft(world.agency)
    consent_record(
        actor=lead,
        request=worked_on,
        given_by=ConsentGivenBy.PARENT,
        given_by_name=parent.full_name,
        given_on=timezone.localdate(),
        method=ConsentMethod.IN_WRITING,
        parts=[RecordPart.NEEDS, RecordPart.PLANS],
    )
    worked_on = request_send(actor=lead, request=worked_on)
    worked_on = request_accept(actor=SYSTEM, request=worked_on, practitioner=practitioner)
    request_start(actor=acting(practitioner), request=worked_on)
    advice = contribution_add(
        actor=acting(practitioner),
        request=worked_on,
        kind=ContributionKind.ADVICE,
        title="Speech and language advice",
        body="Ailsa follows two-step instructions when they are shown as well as said.",
        suggested_description="Instructions shown with symbols, one step at a time",
        suggested_frequency="Every lesson",
        suggested_minutes_per_week=60,
    )
    with_a_file = draft(world.other_agency)
    attachment_add(actor=lead, request=with_a_file, upload=pdf_upload())
    without_consent = draft(world.other_agency)
    lawful_basis_record(
        actor=lead, request=without_consent, lawful_basis="Risk of significant harm."
    )
    request_send(actor=lead, request=without_consent)
    meeting = meeting_arrange(
        actor=lead,
        learner=learner,
        kind=MeetingKind.TEAM_AROUND_THE_CHILD,
        held_on=timezone.localdate() + timedelta(days=7),
        starts_at=time(15, 30),
        place="Riverside Primary School, room 4",
        purpose="Agree who does what to help Ailsa in class.",
    )
    meeting_invite(actor=lead, meeting=meeting, carer=Carer.objects.get(user=parent))
    requests = f"/learners/{learner.public_id}/requests/"
    meeting_page = f"/learners/{learner.public_id}/meetings/{meeting.public_id}/"
    return {
        "contribution accept": (
            f"{requests}{worked_on.public_id}/contributions/{advice.public_id}/accept/"
        ),
        "service request": f"/services/requests/{worked_on.public_id}/",
        "my contribution": f"/services/my-contributions/{advice.public_id}/",
        "request files": f"{requests}{with_a_file.public_id}/files/add/",
        "meeting": meeting_page,
        "meeting views": f"{meeting_page}views/",
        "pathway edit": f"/pathways/glasgow-city/services/{world.agency.pk}/edit/",
    }


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_multi_agency_coordination_pages_and_error_states_are_accessible(
    page: Page,
    live_server,
    world: World,
    learner: Learner,
    support_lead: User,
    service_manager: User,
    agency_practitioner: User,
    authority_officer: User,
    analyst: User,
    parent: User,
    language: str,
) -> None:
    """Issue 10's pages not on a journey: the measures, pathway editing, a request's files,
    services' advice, requests shared without consent and a meeting from the family's side.
    Adding advice has no page of its own: its form is on the service's request page, and its
    address (POST only) sends that page back with the errors."""
    paths = coordination_world(world, learner, support_lead, agency_practitioner, parent)
    bad_period = "?period=last-century"
    # Each page as its person sees it; where a form is named, it is then sent back empty and
    # the page checked again with its errors.
    the_form = "main form[method=post]"
    visits: list[tuple[User, list[tuple[str, str, str | None]]]] = [
        (
            service_manager,
            [
                ("service measures", "/services/measures/", None),
                ("service measures, with errors", f"/services/measures/{bad_period}", None),
            ],
        ),
        (
            authority_officer,
            [
                ("authority measures", "/requests/measures/", None),
                ("authority measures, with errors", f"/requests/measures/{bad_period}", None),
                ("requests shared without consent", "/requests/shared-without-consent/", None),
                ("editing a pathway", paths["pathway edit"], the_form),
            ],
        ),
        (
            analyst,
            [
                ("national measures", "/requests/measures/national/", None),
                (
                    "national measures, with errors",
                    f"/requests/measures/national/{bad_period}",
                    None,
                ),
            ],
        ),
        (
            agency_practitioner,
            [
                ("a request with advice", paths["service request"], "#contribution-form"),
                ("a practitioner's advice", "/services/my-contributions/", None),
                ("one piece of a practitioner's advice", paths["my contribution"], None),
            ],
        ),
        (
            support_lead,
            [
                ("adding advice to a plan", paths["contribution accept"], None),
                ("files sent with a request", paths["request files"], the_form),
            ],
        ),
        (
            parent,
            [
                ("a meeting, the family's view", paths["meeting"], None),
                ("the family's views before a meeting", paths["meeting views"], the_form),
            ],
        ),
    ]
    for user, pages in visits:
        sign_in_by_cookie(page, live_server.url, user, language)
        for name, path, form in pages:
            response = page.goto(path)
            assert response is not None and response.ok, (name, path)
            if name.endswith("with errors"):
                expect(page.locator(".govuk-error-summary")).to_be_visible()
            check_page(page, name, language)
            if form is not None:
                # Emptied of what it starts with (advice's suggested support, a pathway's words).
                for box in page.locator(f"{form} textarea").all():
                    box.fill("")
                page.locator(f"{form} button[type=submit]").last.click()
                expect(page.locator(".govuk-error-summary")).to_be_visible()
                check_page(page, f"{name}, with errors", language)


@pytest.mark.browser
def test_the_accessibility_check_fails_on_a_page_that_breaks_the_rules(page: Page) -> None:
    """The check itself can fail: an image without a text alternative and a field without a label
    are reported by the rule they break."""
    page.set_content(
        '<!DOCTYPE html><html lang="en"><head><title>Broken</title></head>'
        '<body><main><h1>Broken</h1><img src="data:,"><input type="text"></main></body></html>'
    )

    with pytest.raises(AssertionError) as failure:
        assert_accessible(page, "a page made to fail")

    assert "image-alt" in str(failure.value)
    assert "label" in str(failure.value)
