"""A wrong password is explained the GOV.UK way, and what the person typed is kept."""

import re

import pytest
from playwright.sync_api import Page, expect

from stagewise.accounts.models import User

from .support import LANGUAGES, check_page, choose_language, path_is, sign_in_with_password, t


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_wrong_password_shows_the_error_summary_and_keeps_the_email(
    page: Page, teacher: User, language: str
) -> None:
    page.goto("/accounts/login/")
    choose_language(page, language)
    sign_in_with_password(page, teacher.email, "not-the-password", language)

    expect(page).to_have_url(path_is("/accounts/login/"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text(t("There is a problem", language))
    expect(summary).to_be_focused()  # GOV.UK Frontend moves focus to the summary
    expect(page).to_have_title(re.compile(rf"^{re.escape(t('Error:', language))} "))
    expect(page.get_by_label(t("Email address", language), exact=True)).to_have_value(teacher.email)
    expect(page.get_by_label(t("Password", language), exact=True)).to_have_value("")
    check_page(page, "sign-in with a wrong password", language)
