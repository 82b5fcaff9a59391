"""A form that cannot be accepted is explained on a GOV.UK page, in the reader's language, that
passes axe: sent without its security cookie, or too large to accept."""

import pytest
from playwright.sync_api import Page, expect

from stagewise.accounts.models import User

from .support import LANGUAGES, check_page, choose_language, t


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_form_sent_without_its_security_cookie_says_nothing_was_saved(
    page: Page, teacher: User, language: str
) -> None:
    page.goto("/accounts/login/")
    choose_language(page, language)
    # As after the browser dropped its cookies while the page stayed open.
    page.context.clear_cookies(name="csrftoken")
    page.get_by_label(t("Email address", language), exact=True).fill(teacher.email)
    page.get_by_label(t("Password", language), exact=True).fill("anything")
    page.get_by_role("button", name=t("Sign in", language)).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Your form could not be sent", language)
    )
    check_page(page, "form sent without its security cookie", language)


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_form_too_large_to_accept_says_what_to_do(
    page: Page, teacher: User, language: str
) -> None:
    page.goto("/accounts/login/")
    choose_language(page, language)
    page.get_by_label(t("Email address", language), exact=True).fill(teacher.email)
    # More than the 2.5 MB a request may carry (DATA_UPLOAD_MAX_MEMORY_SIZE).
    page.get_by_label(t("Password", language), exact=True).fill("x" * 2_700_000)
    page.get_by_role("button", name=t("Sign in", language)).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("What you sent is too large", language)
    )
    check_page(page, "form too large to accept", language)
