"""Local action plans (issue 14 item 3, ADR 0043), done when: Glasgow's authority officer adds an
improvement action of their own, linked to the national action it serves (LI 21, mediation), from
their home page; a form sent empty says what to fix; the Scottish Government's policy officer,
and then the public, find it on LI 21's page under Glasgow City, with its status. axe checks every
page on the way, in English and in Welsh.
"""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from stagewise.accounts.models import User
from stagewise.actionplans.models import Action
from stagewise.actionplans.services import published_plans_load
from stagewise.conftest import World, staff_member
from stagewise.organisations.models import NationalBody, Role
from stagewise.policy import SYSTEM

from .support import LANGUAGES, check_page, choose_language, sign_in_as, t


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_an_authority_officer_adds_a_local_action_and_the_national_page_shows_it(
    page: Page, live_server: Any, world: World, authority_officer: User, language: str
) -> None:
    published_plans_load(actor=SYSTEM)
    li_21 = Action.objects.get(number="LI 21")
    policy_officer = staff_member(
        "policy@example.org",
        Role.POLICY_OFFICER,
        national_body=NationalBody.objects.get(code="scottish-government"),
    )
    sign_in_as(page, live_server.url, authority_officer, language)

    page.goto(live_server.url + "/")
    page.get_by_role(
        "link",
        name=t(
            "Keep your authority's local action plan: its improvement actions and the national"
            " actions they serve",
            language,
        ),
    ).click()
    expect(page.locator("h1")).to_have_text(t("Local action plan", language))
    check_page(page, "the authority's local action plan, empty", language)

    page.get_by_role("link", name=t("Add a local action", language), exact=True).click()
    page.get_by_role("button", name=t("Add the local action", language), exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        t("Choose at least one national action it serves.", language)
    )
    check_page(page, "adding a local action, sent empty", language)

    page.get_by_label(t("Reference", language), exact=True).fill("GC 7")
    page.get_by_label(t("Action", language), exact=True).fill(
        "Name the independent mediation service in every letter answering a family."
    )
    page.get_by_label(t("Responsible team", language), exact=True).fill("Inclusion Service")
    page.get_by_label(t("Timeframe", language), exact=True).fill("Spring 2030")
    page.get_by_label("LI 21:").check()
    page.get_by_role("button", name=t("Add the local action", language), exact=True).click()
    expect(page.locator("h1")).to_have_text(
        t("Local action %(reference)s", language) % {"reference": "GC 7"}
    )
    expect(page.locator("main")).to_contain_text("Inclusion Service")
    check_page(page, "the local action just added", language)

    sign_in_as(page, live_server.url, policy_officer, language)
    page.goto(f"{live_server.url}/action-plans/actions/{li_21.pk}/")
    local_work = page.locator("main")
    expect(local_work).to_contain_text(t("Local work on this action", language))
    expect(local_work).to_contain_text(str(world.school.authority))
    expect(page.get_by_role("link", name="GC 7", exact=True)).to_be_visible()
    check_page(page, "LI 21 for the policy officer, with Glasgow's local work", language)

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/national-action-plans/actions/{li_21.pk}/")
    choose_language(page, language)
    page.get_by_role("link", name="GC 7", exact=True).click()
    expect(page.locator("main")).to_contain_text("Name the independent mediation service")
    check_page(page, "Glasgow's local action in public", language)
