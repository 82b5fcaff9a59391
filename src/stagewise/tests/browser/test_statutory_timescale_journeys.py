"""Statutory timescales from start to the family's view (issue 15): a support-for-learning lead
starts the preparation of a co-ordinated support plan, sets a later date with a reason, and the
parent sees the new date and the reason; a Welsh ALNCo records a concern at a Cardiff school and
sees the decision due 35 school days later, skipping the February half-term and Easter, and for a
concern raised today is told which calendar is missing. axe checks every page on the way, each
form's error state too, in English and in Welsh."""

from datetime import date, timedelta

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from stagewise.accounts.models import User
from stagewise.conftest import staff_member
from stagewise.learners.models import Learner
from stagewise.organisations.models import Role
from stagewise.statutory.models import StatutoryTimescale
from stagewise.testing.factories import (
    TEST_PASSWORD,
    SettingFactory,
    authority,
    enrolled_learner,
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

PREPARE_COORDINATED_SUPPORT_PLAN = "scotland.coordinated_support_plan_prepare"
SCHOOL_DECISION = "wales.individual_development_plan_school_decision"


def day(value: date, language: str) -> str:
    with translation.override(language):
        return date_format(value, "j F Y")


def rule_label(key: str, language: str) -> str:
    with translation.override(language):
        return StatutoryTimescale.objects.filter(key=key).latest("pk").display_label


def submit(page: Page, name: str, language: str) -> None:
    page.get_by_role("button", name=t(name, language), exact=True).click()


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_later_date_and_its_reason_reach_the_parent(
    page: Page,
    live_server: LiveServer,
    learner: Learner,
    support_lead: User,
    parent: User,
    language: str,
) -> None:
    for person in (support_lead, parent):
        person.preferred_language = language
        person.save(update_fields=["preferred_language"])
    today = timezone.localdate()
    started = today - timedelta(days=7)
    first_due, later = started + timedelta(weeks=16), started + timedelta(weeks=20)
    reason = "The health board's report is late."

    sign_in_as(page, live_server.url, support_lead, language)
    page.goto(f"/learners/{learner.public_id}/")
    page.get_by_role("link", name=t("Statutory timescales", language), exact=True).click()
    expect(page).to_have_url(path_is(f"/learners/{learner.public_id}/timescales/"))
    check_page(page, "statutory timescales, none yet", language)

    page.get_by_role("button", name=t("Start a statutory timescale", language)).click()
    check_page(page, "start a statutory timescale", language)
    submit(page, "Start the clock", language)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        t("Choose the statutory timescale to start.", language)
    )
    check_page(page, "start a statutory timescale, with errors", language)

    page.get_by_label(rule_label(PREPARE_COORDINATED_SUPPORT_PLAN, language), exact=True).check()
    fill_date(page, "started_on", started)
    page.get_by_label(t("Why the clock is starting (optional)", language)).fill(
        "The authority proposed to prepare a co-ordinated support plan."
    )
    submit(page, "Start the clock", language)
    expect(page.locator("#process-due")).to_contain_text(day(first_due, language))
    check_page(page, "a running clock", language)

    page.get_by_role("link", name=t("Set a later date", language), exact=True).click()
    expect(
        page.get_by_text(t("The family will see the new date and this reason.", language))
    ).to_be_visible()
    check_page(page, "set a later date", language)
    fill_date(page, "new_due_on", started + timedelta(weeks=25))
    page.get_by_label(t("Why the date is later", language)).fill(reason)
    submit(page, "Set the new date", language)
    expect(page.locator(".govuk-error-summary")).to_contain_text("24")
    check_page(page, "set a later date, past the ceiling", language)
    fill_date(page, "new_due_on", later)
    submit(page, "Set the new date", language)
    expect(page.locator("#process-due")).to_contain_text(day(later, language))
    expect(page.locator("#process-history")).to_contain_text(reason)
    check_page(page, "a clock with a later date", language)

    page.context.clear_cookies()
    page.goto("/accounts/login/")
    choose_language(page, language)
    sign_in_with_password(page, parent.email, TEST_PASSWORD, language)
    page.goto(f"/learners/{learner.public_id}/")
    deadlines = page.locator(".govuk-summary-card").filter(
        has_text=rule_label(PREPARE_COORDINATED_SUPPORT_PLAN, language)
    )
    expect(
        page.get_by_role("heading", name=t("Dates the school or authority must meet", language))
    ).to_be_visible()
    expect(deadlines).to_contain_text(day(later, language))
    expect(deadlines).to_contain_text(reason)
    assert support_lead.full_name not in page.content()
    expect(page.get_by_role("link", name=t("Set a later date", language))).to_have_count(0)
    check_page(page, "the family's view of the dates", language)


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_welsh_alnco_records_concerns_and_is_told_which_calendar_is_missing(
    page: Page, live_server: LiveServer, language: str
) -> None:
    cardiff = authority("Cardiff")
    school = SettingFactory.create(authority=cardiff, name="Ysgol Glan Taf")
    pupil = enrolled_learner(school, year_group="Y4", legal_first_name="Osian")
    alnco = staff_member("alnco@example.org", Role.SUPPORT_FOR_LEARNING_LEAD, setting=school)
    alnco.preferred_language = language
    alnco.save(update_fields=["preferred_language"])
    today = timezone.localdate()
    concern = t(
        "Record a concern: the school decides on ALN and an IDP within 35 school days", language
    )

    sign_in_as(page, live_server.url, alnco, language)
    page.goto(f"/learners/{pupil.public_id}/timescales/start/")
    expect(page.get_by_label(concern, exact=True)).to_be_visible()
    expect(
        page.get_by_label(rule_label(PREPARE_COORDINATED_SUPPORT_PLAN, language), exact=True)
    ).to_have_count(0)
    page.get_by_label(concern, exact=True).check()
    fill_date(page, "started_on", date(2026, 2, 2))
    submit(page, "Start the clock", language)
    # 35 school days on Cardiff's calendar, skipping the February half-term and Easter.
    expect(page.locator("#process-due")).to_contain_text(day(date(2026, 4, 13), language))

    page.get_by_role("link", name=t("Close the process", language), exact=True).click()
    check_page(page, "close the process", language)
    page.get_by_label(t("Withdrawn or no longer needed", language), exact=True).check()
    submit(page, "Close the process", language)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        t("Say why the process is no longer needed.", language)
    )
    check_page(page, "close the process, with errors", language)
    page.get_by_label(t("Done: what the timescale asks for was done", language)).check()
    fill_date(page, "closed_on", date(2026, 4, 10))
    submit(page, "Close the process", language)
    expect(page.locator("#process-summary")).to_contain_text(t("On time", language))
    check_page(page, "a closed clock", language)

    if today < date(2026, 11, 30):
        pytest.skip("a concern raised today needs the 2026/27 calendar only from 30 November 2026")
    page.goto(f"/learners/{pupil.public_id}/timescales/start/")
    page.get_by_label(concern, exact=True).check()
    fill_date(page, "started_on", today)
    submit(page, "Start the clock", language)
    with translation.override(language):
        missing = t("The %(year)s calendar for %(place)s is needed to set this date.", language) % {
            "year": "2026/27",
            "place": str(cardiff),
        }
    expect(page.locator("#process-due")).to_have_text(missing)
    expect(page.get_by_role("link", name=t("Set a later date", language))).to_have_count(0)

    page.get_by_role("link", name=t("Pause the clock", language), exact=True).click()
    check_page(page, "pause the clock", language)
    submit(page, "Pause the clock", language)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        t("Give the reason for pausing the clock.", language)
    )
    check_page(page, "pause the clock, with errors", language)
    page.get_by_label(t("Why the clock is paused", language)).fill("Waiting for the family.")
    submit(page, "Pause the clock", language)
    page.get_by_role("link", name=t("Start the clock again", language), exact=True).click()
    check_page(page, "start the clock again", language)
    submit(page, "Start the clock again", language)
    expect(page.locator("#process-history")).to_contain_text("Waiting for the family.")

    page.get_by_role("link", name=t("Back to the statutory timescales", language)).click()
    expect(page.locator("#open-timescales")).to_contain_text(missing)
    expect(page.locator("#closed-timescales")).to_contain_text(day(date(2026, 4, 13), language))
    check_page(page, "statutory timescales, open and closed", language)
