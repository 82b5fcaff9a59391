"""A request for assistance from start to a withdrawn consent (issue 10): a support-for-learning
lead asks speech and language therapy for help with the parent's consent; the service manager
puts the request on the waiting list and later allocates it; the practitioner takes it on and
sees the learner; the parent sees the service among those that can see the record, withdraws
consent, and the practitioner loses access at once. axe checks every page on the way, each
form's error state too, in English and in Welsh."""

from datetime import date, timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from stagewise.accounts.models import User
from stagewise.conftest import World
from stagewise.coordination.models import RequestForAssistance
from stagewise.testing.factories import (
    TEST_PASSWORD,
    UserFactory,
    enrolled_learner,
    link_carer,
)

from .support import (
    LANGUAGES,
    check_page,
    choose_language,
    fill_date,
    path_is,
    sign_in_as,
    sign_in_with_password,
    t,
)


def status_of(page: Page, path: str) -> int:
    response = page.goto(path)
    assert response is not None
    return response.status


def press(page: Page, name: str, language: str) -> None:
    page.get_by_role("button", name=t(name, language), exact=True).click()


def signed_in_elsewhere(
    browser: Browser, context_args: dict[str, Any], person: User, language: str
) -> Page:
    """A browser of the person's own, signed in: each person in the journey keeps their session,
    as people on different computers do."""
    page = browser.new_context(**context_args).new_page()
    sign_in_as(page, context_args["base_url"], person, language)
    return page


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_request_with_consent_reaches_the_service_and_withdrawing_consent_closes_the_door(
    page: Page,
    live_server: LiveServer,
    browser: Browser,
    browser_context_args: dict[str, Any],
    world: World,
    support_lead: User,
    service_manager: User,
    agency_practitioner: User,
    language: str,
) -> None:
    for person in (support_lead, service_manager, agency_practitioner):
        person.preferred_language = language
        person.save(update_fields=["preferred_language"])
    pupil = enrolled_learner(world.school, year_group="P4", legal_first_name="Rory")
    parent = UserFactory.create(
        email="rory.parent@example.org", full_name="Fiona Dunn", preferred_language=language
    )
    link_carer(pupil, user=parent)
    record = f"/learners/{pupil.public_id}/"

    # The support-for-learning lead drafts the request, is told consent is needed, records it,
    # and sends the request.
    sign_in_as(page, live_server.url, support_lead, language)
    page.goto(record)
    page.get_by_role("link", name=t("Requests for assistance", language), exact=True).click()
    expect(page).to_have_url(path_is(f"{record}requests/"))
    check_page(page, "requests for assistance, none yet", language)
    page.get_by_role("button", name=t("Ask a service for help", language)).click()
    check_page(page, "a new request", language)
    press(page, "Save as a draft", language)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        t("Choose the service you are asking for help.", language)
    )
    check_page(page, "a new request, with errors", language)
    page.locator(f"input[name=service][value='{world.agency.pk}']").check()
    page.get_by_label(t("Why are you asking for help?", language)).fill(
        "Rory's speech is hard for classmates and staff to understand."
    )
    page.get_by_label(t("What has been tried?", language)).fill(
        "Small-group listening and speaking work three times a week."
    )
    page.get_by_label(t("For how long?", language)).fill("Since August")
    page.get_by_label(t("The learner's views", language)).fill("I want people to understand me.")
    page.get_by_label(t("The family's views", language)).fill("We would like advice for home.")
    press(page, "Save as a draft", language)
    check_page(page, "a draft request", language)

    press(page, "Send the request", language)
    expect(page.locator(".govuk-notification-banner, .govuk-error-summary").first).to_contain_text(
        t(
            "Record the consent of the parent or young person to share this request, or the"
            " lawful basis for sharing it without consent, before sending it.",
            language,
        )
    )
    page.get_by_role("button", name=t("Record consent", language)).click()
    check_page(page, "record consent", language)
    press(page, "Record consent", language)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        t("Say who gave consent.", language)
    )
    check_page(page, "record consent, with errors", language)
    page.get_by_label(t("A parent or carer", language), exact=True).check()
    page.get_by_label(t("Their name", language), exact=True).fill("Fiona Dunn")
    fill_date(page, "given_on", pupil.enrolments.get().started_on)
    page.get_by_label(t("In writing", language), exact=True).check()
    page.get_by_label(t("Needs and stage of support", language), exact=True).check()
    press(page, "Record consent", language)
    expect(page.locator("#sharing")).to_be_visible()
    press(page, "Send the request", language)
    expect(page.locator("#request-history")).to_contain_text(t("Sent", language))
    check_page(page, "a sent request", language)
    request = RequestForAssistance.objects.get(learner=pupil)

    # The service manager finds it among the new requests, lists it, then allocates it.
    manager = signed_in_elsewhere(browser, browser_context_args, service_manager, language)
    manager.goto("/services/queue/")
    expect(manager.get_by_text(pupil.display_name)).to_be_visible()
    check_page(manager, "the service's queue", language)
    manager.goto(f"/services/requests/{request.public_id}/")
    check_page(manager, "a new request, from the service's side", language)
    press(manager, "Put on the waiting list", language)
    expect(manager.locator(".govuk-notification-banner")).to_contain_text(
        t("The request is on the waiting list.", language)
    )
    check_page(manager, "a request on the waiting list", language)
    press(manager, "Allocate", language)
    expect(manager.locator("#allocate-form")).to_contain_text(
        t("Choose the practitioner to allocate the request to.", language)
    )
    check_page(manager, "allocating, with errors", language)
    manager.locator("#allocate-form").get_by_label(t("Allocate to", language)).select_option(
        label=agency_practitioner.full_name
    )
    press(manager, "Allocate", language)
    check_page(manager, "an allocated request", language)
    request.refresh_from_db()
    assert request.allocated_to == agency_practitioner

    # The practitioner takes it on, and now sees the learner's record.
    practitioner = signed_in_elsewhere(browser, browser_context_args, agency_practitioner, language)
    practitioner.goto("/services/my-requests/")
    check_page(practitioner, "a practitioner's requests", language)
    practitioner.goto(f"/services/requests/{request.public_id}/")
    press(practitioner, "Start work", language)
    check_page(practitioner, "a request in progress", language)
    assert status_of(practitioner, record) == 200

    # The support-for-learning lead arranges a team around the child and invites the
    # practitioner, who reaches the meeting through the learner.
    page.goto(record)
    page.get_by_role("link", name=t("Meetings", language), exact=True).click()
    check_page(page, "meetings, none yet", language)
    page.get_by_role("button", name=t("Arrange a meeting", language)).click()
    press(page, "Arrange the meeting", language)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        t("Say what the meeting is for.", language)
    )
    check_page(page, "arrange a meeting, with errors", language)
    page.get_by_label(t("Team around the child", language), exact=True).check()
    fill_date(page, "held_on", date.today() + timedelta(days=7))
    page.get_by_label(t("Time it starts", language)).fill("15:30")
    page.get_by_label(t("Where", language), exact=True).fill("Riverside Primary, room 4")
    page.get_by_label(t("What is the meeting for?", language)).fill("Agree who does what.")
    press(page, "Arrange the meeting", language)
    page.get_by_role("button", name=t("Invite someone", language)).click()
    page.locator(f"input[name=person][value='user-{agency_practitioner.pk}']").check()
    press(page, "Invite", language)
    expect(page.locator("#invitees")).to_contain_text(agency_practitioner.full_name)
    check_page(page, "a meeting", language)
    meeting = page.url
    assert status_of(practitioner, meeting) == 200

    # The parent sees the service and on what basis, and withdraws consent.
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    choose_language(page, language)
    sign_in_with_password(page, parent.email, TEST_PASSWORD, language)
    page.goto(record)
    services = page.locator("#services-with-access + .govuk-summary-list")
    expect(services).to_contain_text(str(world.agency))
    expect(services).to_contain_text("Fiona Dunn")
    check_page(page, "the family's view of the services", language)
    page.get_by_role("link", name=t("Withdraw consent", language)).click()
    check_page(page, "withdraw consent", language)
    press(page, "Withdraw consent", language)
    expect(page).to_have_url(path_is(record))
    expect(
        page.get_by_text(
            t(
                "No service outside the school and the local authority can see this record.",
                language,
            )
        )
    ).to_be_visible()

    # At once, the practitioner no longer reaches the record.
    assert status_of(practitioner, record) == 404
    assert status_of(practitioner, f"/services/requests/{request.public_id}/") == 404
    assert status_of(practitioner, meeting) == 404
