"""A new member of staff must set up an authenticator app before they can do anything else."""

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import Page, expect

from stagewise.accounts.models import User
from stagewise.conftest import World
from stagewise.organisations.models import Role
from stagewise.testing.factories import TEST_PASSWORD, MembershipFactory, UserFactory

from .support import (
    LANGUAGES,
    check_page,
    choose_language,
    enter_authenticator_code,
    path_is,
    sign_in_with_password,
    t,
)

SET_UP = "/accounts/2fa/totp/activate/"


@pytest.fixture
def new_teacher(world: World) -> User:
    """A class teacher on their first day: a password, a school, no authenticator app yet."""
    user = UserFactory.create(email="new-teacher@example.org", full_name="Niamh Kerr")
    MembershipFactory(user=user, role=Role.CLASS_TEACHER, setting=world.school)
    return user


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_new_staff_member_sets_up_an_authenticator_before_anything_else(
    page: Page, new_teacher: User, language: str
) -> None:
    new_teacher.preferred_language = language
    new_teacher.save(update_fields=["preferred_language"])

    page.goto("/accounts/login/")
    choose_language(page, language)
    sign_in_with_password(page, new_teacher.email, TEST_PASSWORD, language)
    expect(page).to_have_url(path_is(SET_UP))
    for elsewhere in ["/", "/learners/"]:
        page.goto(elsewhere)
        expect(page).to_have_url(path_is(SET_UP))
    check_page(page, "authenticator set-up", language)

    # The person types the secret into their phone; the phone shows the code.
    secret = page.locator("#authenticator-secret").inner_text().strip()
    enter_authenticator_code(
        page,
        secret,
        field=t("Code from your authenticator app", language),
        button=t("Turn on two-factor authentication", language),
    )

    expect(page).to_have_url(path_is("/accounts/2fa/recovery-codes/"))
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    check_page(page, "recovery codes", language)
    assert Authenticator.objects.filter(user=new_teacher, type=Authenticator.Type.TOTP).exists()

    page.get_by_role("link", name=t("Continue", language), exact=True).click()
    expect(page).to_have_url(path_is("/"))
    page.goto("/learners/")
    expect(page).to_have_url(path_is("/learners/"))
