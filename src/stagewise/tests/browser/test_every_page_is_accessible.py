"""Every other page, in English and Welsh, passes axe: forms and their error states, account and
administration pages, each role's home page, the chronology filters and the not-found page.

The journeys sign in through the forms; here a session cookie stands in, to keep the sweep fast.
"""

from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from stagewise.accounts.models import User
from stagewise.conftest import World
from stagewise.learners.models import Learner
from stagewise.organisations.models import LocalAuthority, Membership
from stagewise.testing.factories import add_need

from .support import LANGUAGES, check_page


def sign_in_by_cookie(page: Page, live_server_url: str, user: User, language: str) -> None:
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server_url}])


def staff_pages(world: World, learner: Learner) -> list[tuple[str, str]]:
    need = add_need(learner)
    profile = f"/learners/{learner.public_id}"
    return [
        ("change details", f"{profile}/edit/"),
        ("record a need as resolved", f"{profile}/needs/{need.pk}/resolve/"),
        ("chronology with filters", f"{profile}/chronology/?kind=health"),
        ("your account", "/me/"),
        ("learner not found", "/learners/00000000-0000-0000-0000-000000000000/"),
        ("sign out", "/accounts/logout/"),
    ]


def administrator_pages(world: World, administrator: User) -> list[tuple[str, str]]:
    glasgow = LocalAuthority.objects.get(name="Glasgow City")
    membership = Membership.objects.filter(user=administrator).first()
    assert membership is not None
    return [
        ("administrator home", "/"),
        ("administration", "/administration/"),
        ("authority", f"/administration/authorities/{glasgow.pk}/"),
        ("add a setting", f"/administration/authorities/{glasgow.pk}/settings/add/"),
        ("change a setting", f"/administration/settings/{world.school.pk}/change/"),
        ("people", "/administration/people/"),
        ("add a person", "/administration/people/add/"),
        ("person", f"/administration/people/{administrator.pk}/"),
        ("add a membership", f"/administration/people/{administrator.pk}/memberships/add/"),
        ("memberships", "/administration/memberships/"),
    ]


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_pages_and_error_states_are_accessible(
    page: Page, live_server, world: World, learner: Learner, support_lead: User, language: str
) -> None:
    sign_in_by_cookie(page, live_server.url, support_lead, language)

    for name, path in staff_pages(world, learner):
        page.goto(path)
        check_page(page, name, language)

    # Forms sent back with errors: the GOV.UK error summary must be accessible too.
    for name, path in [
        ("need form with errors", f"/learners/{learner.public_id}/needs/add/"),
        ("stage decision form with errors", f"/learners/{learner.public_id}/stages/add/"),
        ("wellbeing form with errors", f"/learners/{learner.public_id}/wellbeing/add/"),
        ("change details with errors", f"/learners/{learner.public_id}/edit/"),
    ]:
        page.goto(path)
        if name.startswith("change details"):
            page.locator("input[name=legal_first_name]").fill("")
        page.locator("main form[method=post] button[type=submit]").last.click()
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        check_page(page, name, language)


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_administration_and_analyst_pages_are_accessible(
    page: Page, live_server, world: World, administrator: User, analyst: User, language: str
) -> None:
    visits: list[tuple[User, Callable[[], list[tuple[str, str]]]]] = [
        (administrator, lambda: administrator_pages(world, administrator)),
        (analyst, lambda: [("national analyst home", "/")]),
    ]
    for user, pages in visits:
        sign_in_by_cookie(page, live_server.url, user, language)
        for name, path in pages():
            page.goto(path)
            check_page(page, name, language)
