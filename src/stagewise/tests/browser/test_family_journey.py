"""A parent signs in without two-factor and sees their child's record as the family sees it."""

import pytest
from playwright.sync_api import Page, expect

from stagewise.accounts.models import User
from stagewise.learners.models import Learner
from stagewise.testing.factories import TEST_PASSWORD

from .support import LANGUAGES, check_page, choose_language, path_is, sign_in_with_password, t


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_parent_sees_their_childs_family_view_without_staff_notes(
    page: Page, parent: User, learner: Learner, language: str
) -> None:
    assert "visual timetable" in learner.staff_notes
    parent.preferred_language = language
    parent.save(update_fields=["preferred_language"])

    page.goto("/accounts/login/")
    choose_language(page, language)
    sign_in_with_password(page, parent.email, TEST_PASSWORD, language)
    expect(page).to_have_url(path_is("/"))  # no authenticator code asked of a parent
    check_page(page, "family home", language)

    page.get_by_role("link", name=learner.display_name, exact=True).click()
    expect(page).to_have_url(path_is(f"/learners/{learner.public_id}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(learner.display_name)
    expect(page.get_by_text(t("Your contact details", language), exact=True)).to_be_visible()
    assert "visual timetable" not in page.content()
    expect(page.get_by_text(t("Staff notes", language), exact=True)).to_have_count(0)
    expect(
        page.get_by_role("link", name=t("Who has accessed this record", language))
    ).to_have_count(0)
    check_page(page, "family profile", language)
