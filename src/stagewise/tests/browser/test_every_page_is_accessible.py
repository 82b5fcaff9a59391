"""Every other page, in English and Welsh, passes axe: forms and their error states, account and
administration pages, each role's home page, the chronology filters, the not-found page, and the
plan pages the journeys pass by (versions, comparing them, printing, the family's view).

The journeys sign in through the forms; here a session cookie stands in, to keep the sweep fast.
"""

import json
from collections.abc import Callable
from datetime import time, timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import Page, expect

from stagewise.accounts.models import User
from stagewise.api.models import Integration
from stagewise.api.services import api_token_create, integration_create
from stagewise.conftest import World, staff_member
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
from stagewise.data_protection.models import RetentionDue, RetentionSchedule
from stagewise.disagreements.services import (
    disagreement_record,
)
from stagewise.families.review_views_forms import question_labels
from stagewise.families.review_views_models import ViewsFormVersion
from stagewise.families.review_views_services import (
    Answers,
    review_views_give,
    review_views_invite,
)
from stagewise.learners.models import Carer, Learner, TransitionKind
from stagewise.learners.services import learner_move, transition_plan
from stagewise.moderation.services import moderation_group_create
from stagewise.notifications.models import Notification, NotificationKind
from stagewise.organisations.models import Agency, LocalAuthority, Membership, Role
from stagewise.planning.models import Plan, ResponseKind
from stagewise.planning.services import (
    plan_finalise,
    plan_response_record,
    plan_revise,
    plan_support_in_place,
)
from stagewise.policy import SYSTEM
from stagewise.roll_imports.models import ColumnMapping
from stagewise.statutory.models import SchoolCalendarPeriod
from stagewise.synthetic.demo_thresholds import add_demo_thresholds
from stagewise.testing.factories import (
    SettingFactory,
    UserFactory,
    add_need,
    authority,
    enrolled_learner,
)
from stagewise.testing.files import pdf_upload
from stagewise.testing.plans import acting, finalised_plan, review_held_today
from stagewise.testing.transfers import sent_elsewhere
from stagewise.transfers.services import record_transfer_export, record_transfer_import
from stagewise.webhooks.models import WebhookDelivery
from stagewise.webhooks.services import webhook_subscription_create

from .support import LANGUAGES, assert_accessible, check_page, sign_in_as

NOTICES = "notifications.Notification"  # kept two years after they were sent


def staff_pages(world: World, learner: Learner) -> list[tuple[str, str]]:
    need = add_need(learner)
    add_demo_thresholds()
    profile = f"/learners/{learner.public_id}"
    return [
        ("change details", f"{profile}/edit/"),
        ("record a need as resolved", f"{profile}/needs/{need.pk}/resolve/"),
        ("chronology with filters", f"{profile}/chronology/?kind=health"),
        ("your account", "/me/"),
        ("thresholds for the authority", "/thresholds/glasgow-city/"),
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
    generic_mapping = ColumnMapping.objects.get(name="Generic census export")
    retired_mapping = ColumnMapping.objects.create(
        name="A retired export", columns=generic_mapping.columns, retired_at=timezone.now()
    )
    group = moderation_group_create(
        actor=SYSTEM,
        name="West of Scotland",
        authorities=[glasgow, LocalAuthority.objects.get(name="Fife")],
    )
    integration = integration_create(
        actor=SYSTEM, name="Riverside MIS", role=Role.HEAD_TEACHER, setting=world.school
    )
    token = api_token_create(actor=SYSTEM, integration=integration, scopes=["learners:read"]).token
    with override_settings(WEBHOOKS_ALLOW_LOCAL=True):
        subscription = webhook_subscription_create(
            actor=SYSTEM,
            integration=integration,
            target_url="https://127.0.0.1/hooks",
            event_types=["plan.finalised"],
        ).subscription
    # A delivery given up, so that the list shows its answer and "Send again".
    WebhookDelivery.objects.create(
        subscription=subscription,
        event_type="plan.finalised",
        occurred_at=timezone.now(),
        status="given_up",
        attempts=6,
        last_response="HTTP 500",
    )
    webhooks = f"/administration/integrations/{integration.pk}/webhooks/"
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
        ("add a column mapping for roll imports", "/roll-imports/mappings/add/"),
        ("a column mapping added", "/roll-imports/mappings/added/"),
        ("change a column mapping", f"/roll-imports/mappings/{generic_mapping.pk}/"),
        ("retire a column mapping", f"/roll-imports/mappings/{generic_mapping.pk}/retire/"),
        ("a retired column mapping", f"/roll-imports/mappings/{retired_mapping.pk}/"),
        (
            "bring back a column mapping",
            f"/roll-imports/mappings/{retired_mapping.pk}/reinstate/",
        ),
        ("record transfer signing keys", "/record-transfers/signing-keys/"),
        ("replace a signing key", f"/record-transfers/signing-keys/{glasgow.pk}/replace/"),
        ("moderation groups", "/administration/moderation-groups/"),
        ("add a moderation group", "/administration/moderation-groups/add/"),
        ("change a moderation group", f"/administration/moderation-groups/{group.pk}/change/"),
        ("integrations", "/administration/integrations/"),
        ("add an integration", "/administration/integrations/add/"),
        ("create a token", f"/administration/integrations/{integration.pk}/tokens/add/"),
        ("revoke a token", f"/administration/integrations/tokens/{token.pk}/revoke/"),
        ("webhooks", webhooks),
        ("add a webhook subscription", f"{webhooks}add/"),
        (
            "remove a webhook subscription",
            f"/administration/integrations/webhooks/{subscription.pk}/remove/",
        ),
    ]


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_pages_and_error_states_are_accessible(
    page: Page, live_server, world: World, learner: Learner, support_lead: User, language: str
) -> None:
    sign_in_as(page, live_server.url, support_lead, language)

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
    page: Page,
    live_server,
    world: World,
    learner: Learner,
    administrator: User,
    analyst: User,
    language: str,
) -> None:
    data_protection_officer = staff_member(
        "data-protection@example.org",
        Role.DATA_PROTECTION_OFFICER,
        authority=LocalAuthority.objects.get(name="Glasgow City"),
    )
    glasgow = LocalAuthority.objects.get(name="Glasgow City")
    # The retention review found the learner's own record due: the officer may erase it.
    RetentionDue.objects.create(
        reported_on=timezone.localdate(),
        authority=glasgow,
        schedule=RetentionSchedule.objects.get(record_type="learners.Learner"),
        learner=learner,
        records=1,
        due_since=timezone.localdate() - timedelta(days=30),
    )
    # Two notices about the learner sent three years ago, past their two years: due alone too.
    old_notices = [
        Notification.objects.create(
            recipient=administrator,
            learner=learner,
            kind=NotificationKind.choices[0][0],
            subject="A notice",
            body="About the learner",
            dedupe_key=f"accessibility-sweep-{number}",
        ).pk
        for number in range(2)
    ]
    Notification.objects.filter(pk__in=old_notices).update(
        created_at=timezone.now() - timedelta(days=3 * 366)
    )
    RetentionDue.objects.create(
        reported_on=timezone.localdate(),
        authority=glasgow,
        schedule=RetentionSchedule.objects.get(record_type=NOTICES),
        learner=learner,
        records=2,
        due_since=timezone.localdate() - timedelta(days=30),
    )
    erase = f"/data-protection/retention/{learner.public_id}/erase/"
    erase_notices = f"{erase}{NOTICES}/"
    visits: list[tuple[User, Callable[[], list[tuple[str, str]]]]] = [
        (administrator, lambda: administrator_pages(world, administrator)),
        (analyst, lambda: [("national analyst home", "/")]),
        (
            data_protection_officer,
            lambda: [
                ("data protection officer home", "/"),
                ("retention review", "/data-protection/retention/"),
                ("erasure confirmation", erase),
                ("erasure of one record type", erase_notices),
                (
                    "subject access search",
                    f"/data-protection/subject-access/?words={learner.legal_last_name}",
                ),
                ("subject access summary", f"/data-protection/subject-access/{learner.public_id}/"),
            ],
        ),
    ]
    for user, pages in visits:
        sign_in_as(page, live_server.url, user, language)
        for name, path in pages():
            page.goto(path)
            check_page(page, name, language)
    # The last page, the officer's summary of the learner, found them: not a page saying no one was.
    expect(page.locator("main")).to_contain_text(learner.legal_last_name)
    # An integration's token form sent back unticked, then the token it shows once.
    sign_in_as(page, live_server.url, administrator, language)
    page.goto(f"/administration/integrations/{Integration.objects.get().pk}/tokens/add/")
    page.locator("main form[method=post] button[type=submit]").last.click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_page(page, "token form with errors", language)
    page.locator("input[name=scopes]").first.check()
    page.locator("main form[method=post] button[type=submit]").last.click()
    expect(page.locator("[data-token]")).to_be_visible()
    check_page(page, "token shown once", language)
    # Both erasure confirmations sent back unticked (as the data protection officer).
    sign_in_as(page, live_server.url, data_protection_officer, language)
    for name, path in [
        ("erasure confirmation with errors", erase),
        ("erasure of one record type with errors", erase_notices),
    ]:
        page.goto(path)
        page.locator("main form[method=post] button[type=submit]").last.click()
        expect(page.locator(".govuk-error-summary")).to_be_visible()
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
    sign_in_as(page, live_server.url, administrator, language)
    for name, path in [
        (
            "term or closure form with errors",
            f"/administration/authorities/{cardiff.pk}/calendar/add/",
        ),
        ("calendar upload with errors", "/administration/calendars/upload/"),
        ("deleting a term with closures", f"/administration/calendar-periods/{autumn.pk}/delete/"),
        ("moderation group form with errors", "/administration/moderation-groups/add/"),
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
    review_held_today(staff, plan)
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
        sign_in_as(page, live_server.url, user, language)
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
        sign_in_as(page, live_server.url, user, language)
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


def family_rights_world(learner: Learner, support_lead: User, parent: User) -> dict[str, str]:
    """The family's side of issue 11 that no journey passes by, each page of the sweep with
    something to show (test_family_partner_journeys.py walks the rest). Ailsa's plan's review is
    a fortnight away and the family were asked for their views, which her mother gave; one
    disagreement is at the school; a transition is planned; Rory has just left the school for a
    Fife secondary. Returns the addresses the sweep visits."""
    today = timezone.localdate()
    lead, mother = acting(support_lead), acting(parent)

    plan = finalised_plan(lead, learner, "individualised_educational_programme")
    Plan.objects.filter(pk=plan.pk).update(next_review_on=today + timedelta(days=14))
    plan.refresh_from_db()
    review_views_invite(actor=lead, plan=plan)
    review_views_give(
        actor=mother,
        plan=plan,
        answers=Answers(going_well="She likes her reading group.", worries="Spelling tests."),
        version=ViewsFormVersion.PARENT,
        labels=question_labels(ViewsFormVersion.PARENT),
    )

    at_school = disagreement_record(
        actor=mother,
        learner=learner,
        subject="support",
        about="The reading support stopped after October.",
        family_wants="Reading support three times a week again.",
        opened_on=today - timedelta(days=7),
    )
    leaving = transition_plan(
        actor=lead,
        learner=learner,
        kind=TransitionKind.LEAVING_SCHOOL,
        planned_on=today + timedelta(days=400),
        plan="Two taster days at Glasgow Clyde College in the spring.",
        family_part="Ailsa would like to study animal care.",
    )

    # Rory, who left Riverside for a Fife secondary today: his old school's second door.
    school = learner.enrolments.get().setting
    rory = enrolled_learner(school, legal_first_name="Rory", legal_last_name="Baird")
    finalised_plan(lead, rory, "individualised_educational_programme")
    learner_move(
        actor=lead,
        learner=rory,
        to_setting=SettingFactory.create(authority=authority("Fife"), name="Kirkcaldy High School"),
        moved_on=today,
        year_group="S1",
        reason="The family moved to Kirkcaldy.",
    )

    # Kirsty, 17, at Riverside's secondary stage: old enough to decide what her parents see.
    kirsty = enrolled_learner(
        school,
        year_group="S5",
        legal_first_name="Kirsty",
        legal_last_name="Lennox",
        date_of_birth=today - timedelta(days=17 * 366),
        young_person_account=UserFactory.create(
            email="kirsty@example.org", full_name="Kirsty Lennox"
        ),
    )

    profile = f"/learners/{learner.public_id}"
    disagreements = f"{profile}/disagreements/"
    moved_away = f"/learners/moved-away/{rory.public_id}/"
    return {
        "profile": profile,
        "rights": f"{profile}/rights-requests/",
        "views": f"{profile}/plans/{plan.public_id}/views-before-review/",
        "disagreements": disagreements,
        "move disagreement": f"{disagreements}{at_school.public_id}/move/",
        "route taken": f"{disagreements}{at_school.public_id}/route-taken/",
        "transition part": f"{profile}/transitions/{leaving.public_id}/your-part/",
        "moved away": moved_away,
        "kirsty": f"/learners/{kirsty.public_id}",
    }


def received_transfer_world(learner: Learner, support_lead: User) -> tuple[str, bytes]:
    """Record transfer (ADR 0053), with one database standing for two deployments: Riverside
    signs a transfer document of Ailsa's record (her agreed plan among it), and trusts its own
    key; her row here then takes another candidate number, so the document arrives as
    a new learner, whose received record the sweep reads. The second, signed after and uploaded
    in the sweep, matches Ailsa. Returns the received page's address and the second document."""
    lead = acting(support_lead)
    first = sent_elsewhere(lead, learner)
    second = json.dumps(record_transfer_export(actor=lead, learner=learner)).encode()
    school = learner.enrolments.get().setting
    arrived = record_transfer_import(
        actor=lead, setting=school, content=first, confirmed_match="new", year_group="P6"
    ).learner
    return f"/record-transfers/learners/{arrived.public_id}/received/", second


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_family_rights_disagreements_and_moves_pages_are_accessible(
    page: Page,
    live_server,
    learner: Learner,
    support_lead: User,
    parent: User,
    young_person: User,
    language: str,
) -> None:
    """Issue 11's pages that the journeys of test_family_partner_journeys.py do not check: who
    has looked at the record, recording a request or a capacity assessment, views before a
    review (the family's before they answer, the parents' and the easy-read forms, and staff's),
    staff recording and moving a disagreement, the route a family took and their own part in a
    transition, what a young person's parents see (and staff recording it), recording a move and
    planned transitions, and the school a learner left: who moved away, what it wrote and the
    plans it agreed; importing a record transfer (the upload, the check before confirming) and
    the record received. The
    family's and the young person's home pages, making and deciding a request, the child's views
    form, recording and closing a disagreement, the open disagreements and a new arrival are
    checked on those journeys. Each form is sent back empty, and checked with its errors."""
    paths = family_rights_world(learner, support_lead, parent)
    received, transfer_document = received_transfer_world(learner, support_lead)
    profile, rights, views = paths["profile"], paths["rights"], paths["views"]
    disagreements = paths["disagreements"]
    # Each page as its person sees it; a page marked True is a form, sent back empty after.
    visits: list[tuple[User, list[tuple[str, str, bool]]]] = [
        (
            parent,
            [
                ("who has looked", f"{profile}/who-has-looked/", False),
                ("views before a review, the family's", views, False),
                ("giving views", f"{views}give/", True),
                ("giving views, easy read", f"{views}give/?easy_read=1", True),
                ("the route the family took", paths["route taken"], True),
                ("the family's part in a transition", paths["transition part"], True),
            ],
        ),
        (young_person, [("what my parents see, under 16", f"{profile}/what-parents-see/", False)]),
        (
            User.objects.get(email="kirsty@example.org"),
            [("what my parents see", f"{paths['kirsty']}/what-parents-see/", True)],
        ),
        (
            support_lead,
            [
                ("recording a request", f"{rights}record/", True),
                ("recording a capacity assessment", f"{rights}capacity/", True),
                ("views before a review, staff", views, False),
                ("recording views", f"{views}record/", True),
                ("recording a disagreement, staff", f"{disagreements}new/", True),
                ("moving a disagreement", paths["move disagreement"], True),
                ("moving a learner", f"{profile}/move/", True),
                ("transitions", f"{profile}/transitions/", False),
                ("planning a transition", f"{profile}/transitions/add/", True),
                # Ailsa is 14: the page says why there is nothing to record yet, with no form.
                ("recording what parents see", f"{profile}/what-parents-see/record/", False),
                (
                    "recording what parents see, 17",
                    f"{paths['kirsty']}/what-parents-see/record/",
                    True,
                ),
                ("learners who moved away", "/learners/moved-away/", False),
                ("what the school wrote, moved away", paths["moved away"], False),
                ("plans the school agreed, moved away", f"{paths['moved away']}plans/", False),
                ("importing a transfer document", "/record-transfers/import/", True),
                ("records received from another organisation", received, False),
            ],
        ),
    ]
    the_form = "main form[method=post]"
    for user, pages in visits:
        sign_in_as(page, live_server.url, user, language)
        for name, path, is_form in pages:
            response = page.goto(path)
            assert response is not None and response.ok, (name, path)
            check_page(page, name, language)
            if is_form:
                page.locator(f"{the_form} button[type=submit]").last.click()
                expect(page.locator(".govuk-error-summary")).to_be_visible()
                check_page(page, f"{name}, with errors", language)

    # Still Riverside's lead: a transfer document checked, before it is confirmed.
    page.goto("/record-transfers/import/")
    page.locator("input[type=file]").set_input_files(
        {"name": "transfer.json", "mimeType": "application/json", "buffer": transfer_document}
    )
    page.locator(f"{the_form} button[type=submit]").click()
    expect(page.locator("form input[name=match]")).to_have_count(1)
    check_page(page, "checking a transfer document", language)


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
