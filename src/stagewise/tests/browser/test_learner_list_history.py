"""Going back after a search on the learner list shows the whole page, and the browser's session
storage holds no copy of any page with learners' names."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from stagewise.accounts.models import User
from stagewise.conftest import World
from stagewise.learners.models import Learner
from stagewise.testing.factories import enrolled_learner

from .support import path_is


@pytest.mark.browser
def test_back_after_a_search_shows_the_whole_list_page_and_nothing_is_kept_in_storage(
    page: Page, live_server, world: World, learner: Learner, support_lead: User
) -> None:
    enrolled_learner(world.school, legal_first_name="Morag", legal_last_name="Stewart")
    client = Client()
    client.force_login(support_lead)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])

    page.goto("/learners/")
    page.get_by_label("Name or candidate number", exact=True).fill("Campbell")
    page.get_by_role("button", name="Search", exact=True).click()
    results = page.locator("#results")
    expect(results.get_by_role("link", name="Morag Stewart")).to_have_count(0)
    assert "name=Campbell" in page.url

    page.go_back()

    expect(page).to_have_url(path_is("/learners/"))
    expect(page.get_by_role("heading", name="Learners", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Search", exact=True)).to_be_visible()
    expect(results.get_by_role("link", name="Morag Stewart")).to_be_visible()
    assert page.evaluate("window.sessionStorage.getItem('htmx-history-cache')") is None

    page.go_forward()

    expect(page).to_have_url(path_is("/learners/"))
    assert "name=Campbell" in page.url
    expect(page.get_by_role("heading", name="Learners", level=1)).to_be_visible()
    expect(results.get_by_role("link", name=learner.display_name)).to_be_visible()
    expect(results.get_by_role("link", name="Morag Stewart")).to_have_count(0)
    assert page.evaluate("window.sessionStorage.getItem('htmx-history-cache')") is None
