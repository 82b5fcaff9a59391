"""Someone who has forgotten their password gets a link by email and chooses a new one."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from stagewise.accounts.models import User

from .support import LANGUAGES, check_page, choose_language, path_is, sign_in_with_password, t

NEW_PASSWORD = "a-new-long-passphrase-2026"


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_parent_resets_a_forgotten_password_and_signs_in_with_the_new_one(
    page: Page, parent: User, language: str
) -> None:
    parent.preferred_language = language
    parent.save(update_fields=["preferred_language"])
    page.goto("/accounts/login/")
    choose_language(page, language)

    page.get_by_role("link", name=t("Forgotten your password?", language), exact=True).click()
    check_page(page, "reset your password", language)
    page.get_by_label(t("Email address", language), exact=True).fill(parent.email)
    page.get_by_role("button", name=t("Send the link", language), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Check your email", language))
    check_page(page, "check your email", language)

    (message,) = mail.outbox
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", str(message.body))
    assert link, message.body
    page.goto(link.group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Choose a new password", language))
    check_page(page, "choose a new password", language)

    page.get_by_label(t("New password", language), exact=True).fill(NEW_PASSWORD)
    page.get_by_label(t("Confirm new password", language), exact=True).fill("something else")
    page.get_by_role("button", name=t("Save new password", language), exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_page(page, "choose a new password with errors", language)

    page.get_by_label(t("New password", language), exact=True).fill(NEW_PASSWORD)
    page.get_by_label(t("Confirm new password", language), exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name=t("Save new password", language), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Your password has been changed", language)
    )
    check_page(page, "password changed", language)

    page.get_by_role("link", name=t("Sign in", language), exact=True).click()
    sign_in_with_password(page, parent.email, NEW_PASSWORD, language)
    expect(page).to_have_url(path_is("/"))
