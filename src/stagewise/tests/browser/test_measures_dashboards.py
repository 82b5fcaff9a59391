"""Visibility of needs, support and progress (issue 12), done when: the national analyst's home
page is a dashboard of the four principles for the nation, from which they compare authorities
and look into one, never reaching a name; the Glasgow officer compares their schools; the support
lead sees their own school. axe checks every page on the way, in English and in Welsh.

The summary figures are written as the refresh task leaves them (stagewise/testing/measures.py):
Riverside's 3 learners with additional support needs attended 85.0% of their sessions, Hillhead's
50 attended 90.0%; Glasgow's learners without needs 92.0%.
"""

from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import FilePayload, Page, expect

from stagewise.accounts.models import User
from stagewise.conftest import World
from stagewise.learners.models import Learner
from stagewise.measurement.periods import school_year_of
from stagewise.measurement.services.outcomes import attendance_record
from stagewise.planning.models import Plan
from stagewise.testing.factories import SettingFactory
from stagewise.testing.measures import summary
from stagewise.testing.plans import acting, finalised_plan, review_held_today

from .support import LANGUAGES, check_page, sign_in_as, t


def _figures(world: World) -> None:
    glasgow = world.school.authority
    fife = world.fife_school.authority
    hillhead = SettingFactory.create(authority=glasgow, name="Hillhead High School")
    for year in (2024, 2025):
        summary(
            world.school,
            "attendance_rate",
            year,
            needs=True,
            learners=3,
            numerator=170,
            denominator=200,
        )
        summary(
            world.school,
            "attendance_rate",
            year,
            needs=False,
            learners=40,
            numerator=4600,
            denominator=5000,
        )
        summary(
            hillhead,
            "attendance_rate",
            year,
            needs=True,
            learners=50,
            numerator=9000,
            denominator=10000,
        )
        summary(
            glasgow,
            "attendance_rate",
            year,
            needs=True,
            learners=53,
            numerator=9170,
            denominator=10200,
        )
        summary(
            glasgow,
            "attendance_rate",
            year,
            needs=False,
            learners=40,
            numerator=4600,
            denominator=5000,
        )
        summary(
            fife, "attendance_rate", year, needs=True, learners=20, numerator=3480, denominator=4000
        )
        summary(
            glasgow.nation,
            "attendance_rate",
            year,
            needs=True,
            learners=73,
            numerator=12650,
            denominator=14200,
        )
        summary(
            glasgow.nation,
            "attendance_rate",
            year,
            needs=False,
            learners=40,
            numerator=4600,
            denominator=5000,
        )
    summary(
        glasgow,
        "exclusions_per_thousand",
        2025,
        needs=True,
        learners=53,
        numerator=2,
        denominator=53,
    )


# An attendance file a school might send: a learner nobody knows, more attended than possible.
BAD_ATTENDANCE_FILE = (
    b"candidate_number,starts_on,ends_on,possible_sessions,attended_sessions\n"
    b"NOBODY,2025-08-20,2025-12-19,100,120\n"
)


def name_in(organisation: object, language: str) -> str:
    """An organisation's name as a reader in `language` reads it (kept in both in the data)."""
    with translation.override(language):
        return str(organisation)


def attendance_link(page: Page, language: str) -> Any:
    # A measure's name is data kept in both languages, not a string gettext translates.
    return page.get_by_role(
        "link", name="Attendance" if language == "en" else "Presenoldeb", exact=True
    )


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_analyst_starts_from_the_nation_and_compares_authorities_never_reaching_a_name(
    page: Page, live_server: Any, world: World, analyst: User, language: str
) -> None:
    _figures(world)
    sign_in_as(page, live_server.url, analyst, language)
    page.goto(live_server.url + "/")
    expect(page.locator("h2").first).to_contain_text(
        name_in(world.school.authority.nation, language)
    )
    expect(page.locator("table").first).to_contain_text("89.1%")
    check_page(page, "national analyst's home: the nation's dashboard", language)

    attendance_link(page, language).first.click()
    expect(page.locator("h1")).to_have_text("Attendance" if language == "en" else "Presenoldeb")
    glasgow = name_in(world.school.authority, language)
    expect(page.get_by_role("link", name=glasgow)).to_be_visible()
    check_page(page, "attendance, authorities compared", language)

    page.get_by_role("link", name=glasgow).click()
    # Riverside's 3 learners are withheld; Hillhead's 50 are shown; no learner is named.
    main = page.locator("main")
    expect(main).to_contain_text("90.0%")
    expect(main).not_to_contain_text("85.0%")
    expect(main).to_contain_text(t("withheld", language))
    expect(main).not_to_contain_text("Ailsa")
    check_page(page, "attendance, Glasgow's schools compared for the analyst", language)

    page.goto(live_server.url + "/")
    page.get_by_role(
        "link",
        name=t("Annual report of successes and achievements: %(name)s", language)
        % {"name": name_in(world.school.authority.nation, language)},
    ).click()
    expect(page.locator("main")).to_contain_text(t("Successes and achievements", language))
    check_page(page, "the nation's annual report", language)


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_glasgow_officer_compares_their_schools(
    page: Page, live_server: Any, world: World, authority_officer: User, language: str
) -> None:
    _figures(world)
    sign_in_as(page, live_server.url, authority_officer, language)
    page.goto(live_server.url + "/measures/")
    expect(page.locator("h1")).to_contain_text(name_in(world.school.authority, language))
    check_page(page, "the officer's dashboard", language)

    attendance_link(page, language).first.click()
    main = page.locator("main")
    expect(main).to_contain_text(name_in(world.school, language))
    expect(main).to_contain_text("85.0%")
    expect(main).to_contain_text("90.0%")
    check_page(page, "attendance, schools compared", language)

    page.locator("select[name=by]").select_option("")
    page.locator("select[name=year]").select_option("2024")
    page.get_by_role("button", name=t("Show", language), exact=True).click()
    expect(main).to_contain_text("2024/25")
    check_page(page, "attendance, schools compared in 2024/25", language)

    page.goto(live_server.url + "/measures/authority/glasgow-city/funding/")
    page.get_by_role("button", name=t("Record the funding", language), exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        t("Choose at least one measure it is meant to change.", language)
    )
    check_page(page, "additional funding, the form sent back with its errors", language)


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_support_lead_sees_their_own_school(
    page: Page, live_server: Any, world: World, support_lead: User, language: str
) -> None:
    _figures(world)
    sign_in_as(page, live_server.url, support_lead, language)
    page.goto(live_server.url + "/measures/")
    expect(page.locator("h1")).to_contain_text(name_in(world.school, language))
    main = page.locator("main")
    expect(main).to_contain_text("85.0%")
    check_page(page, "the school's dashboard", language)

    page.goto(page.url + "?year=1999")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        t("Choose a school year from the list.", language)
    )
    check_page(page, "the school's dashboard, a year not on the list", language)


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_outcome_records_imports_the_census_and_the_familys_say_are_accessible(
    page: Page,
    live_server: Any,
    world: World,
    learner: Learner,
    support_lead: User,
    parent: User,
    language: str,
) -> None:
    lead = acting(support_lead)
    last_year = school_year_of(timezone.localdate()) - 1
    attendance_record(
        actor=lead,
        learner=learner,
        starts_on=date(last_year, 8, 20),
        ends_on=date(last_year, 12, 19),
        possible_sessions=150,
        attended_sessions=131,
    )
    plan = finalised_plan(lead, learner, "individualised_educational_programme")
    Plan.objects.filter(pk=plan.pk).update(starts_on=timezone.localdate() - timedelta(days=60))
    plan.refresh_from_db()
    review = review_held_today(lead, plan)

    sign_in_as(page, live_server.url, support_lead, language)
    outcomes = f"/learners/{learner.public_id}/outcomes/"
    page.goto(live_server.url + outcomes)
    expect(page.locator("main")).to_contain_text("87.3%")
    check_page(page, "a learner's outcomes", language)
    page.goto(live_server.url + outcomes + "attendance/new/")
    page.locator("main form[method=post] button[type=submit]").last.click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_page(page, "recording attendance, sent back with its errors", language)

    page.goto(live_server.url + "/outcomes/import/")
    page.locator("input[type=file]").set_input_files(
        files=FilePayload(name="attendance.csv", mimeType="text/csv", buffer=BAD_ATTENDANCE_FILE)
    )
    page.get_by_role("button", name=t("Check file", language), exact=True).click()
    expect(page.locator("main")).to_contain_text("2")
    check_page(page, "an outcome import with errors by line", language)

    page.goto(live_server.url + "/census/")
    check_page(page, "the school's census return", language)

    sign_in_as(page, live_server.url, parent, language)
    page.goto(
        live_server.url
        + reverse("review_feedback:give", args=[learner.public_id, plan.public_id, review.pk])
    )
    check_page(page, "the family's say on a review", language)
