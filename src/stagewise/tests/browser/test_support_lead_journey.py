"""A support-for-learning lead signs in with two factors, finds a learner and sees who looked."""

import pytest
from playwright.sync_api import Page, expect

from stagewise.accounts.models import User
from stagewise.conftest import World
from stagewise.learners.models import Learner
from stagewise.testing.factories import TEST_PASSWORD, TEST_TOTP_SECRET, enrolled_learner

from .support import (
    LANGUAGES,
    check_page,
    choose_language,
    enter_authenticator_code,
    path_is,
    sign_in_with_password,
    t,
)


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_support_lead_finds_a_learner_and_sees_their_own_view_recorded(
    page: Page, world: World, learner: Learner, support_lead: User, language: str
) -> None:
    support_lead.preferred_language = language
    support_lead.save(update_fields=["preferred_language"])
    # A second learner at the same school, so the search has someone to leave out.
    enrolled_learner(world.school, legal_first_name="Morag", legal_last_name="Stewart")

    page.goto("/accounts/login/")
    choose_language(page, language)
    check_page(page, "sign-in", language)

    sign_in_with_password(page, support_lead.email, TEST_PASSWORD, language)
    expect(page).to_have_url(path_is("/accounts/2fa/authenticate/"))
    check_page(page, "two-factor", language)

    enter_authenticator_code(
        page, TEST_TOTP_SECRET, field=t("Code", language), button=t("Continue", language)
    )
    expect(page).to_have_url(path_is("/"))
    check_page(page, "home", language)

    page.get_by_role("link", name=t("Find a learner", language), exact=True).click()
    expect(page).to_have_url(path_is("/learners/"))
    results = page.locator("#results")
    expect(results.get_by_role("link", name="Morag Stewart")).to_be_visible()

    # HTMX swaps the results in place: a full page load would forget this marker.
    page.evaluate("window.stagewiseSamePage = true")
    page.get_by_label(t("Name or candidate number", language), exact=True).fill("Campbell")
    page.get_by_role("button", name=t("Search", language), exact=True).click()
    expect(results.get_by_role("link", name="Morag Stewart")).to_have_count(0)
    expect(results.get_by_role("link", name=learner.display_name)).to_be_visible()
    expect(page).to_have_url(path_is("/learners/"))
    assert "name=Campbell" in page.url
    assert page.evaluate("window.stagewiseSamePage") is True
    check_page(page, "learner list after a search", language)

    results.get_by_role("link", name=learner.display_name).click()
    expect(page).to_have_url(path_is(f"/learners/{learner.public_id}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(learner.display_name)
    expect(page.get_by_text("visual timetable")).to_be_visible()  # staff see staff notes
    check_page(page, "learner profile", language)

    page.get_by_role("link", name=t("Who has accessed this record", language)).click()
    expect(page).to_have_url(path_is(f"/learners/{learner.public_id}/access-history/"))
    own_view = (
        page.get_by_role("row").filter(has_text=support_lead.email).filter(has_text="view profile")
    )
    expect(own_view).to_have_count(1)
    expect(own_view).to_contain_text(t("Viewed", language))
    check_page(page, "access history", language)
