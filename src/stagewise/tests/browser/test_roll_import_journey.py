"""Importing a school's roll (issue 17, ADR 0052), done when: the head teacher imports a school
export with a deliberate error (a date that does not exist), puts it right, imports it, and
imports it again with no changes. axe on each page, in English and in Welsh."""

from typing import Any

import pytest
from playwright.sync_api import FilePayload, Page, expect

from stagewise.accounts.models import User
from stagewise.conftest import World
from stagewise.learners.models import Learner

from .support import LANGUAGES, check_page, sign_in_as, t

HEADER = "Candidate Number,Legal Forename,Legal Surname,Date of Birth,Sex,Year Group"
FIXED = (
    f"{HEADER}\n912300011,Eilidh,Fraser,14/09/2012,F,P7\n"
    "912300012,Callum,Morrison,02/03/2013,M,P6\n"
)
WITH_AN_ERROR = FIXED.replace("02/03/2013", "30/02/2013")


def choose_and_check(page: Page, url: str, content: str, language: str) -> None:
    page.goto(url + "/roll-imports/")
    page.locator("input[type=file]").set_input_files(
        files=FilePayload(name="roll.csv", mimeType="text/csv", buffer=content.encode())
    )
    page.get_by_role("button", name=t("Check file", language), exact=True).click()


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_head_imports_the_roll_puts_an_error_right_and_imports_it_again_unchanged(
    page: Page, live_server: Any, world: World, head: User, language: str
) -> None:
    sign_in_as(page, live_server.url, head, language)
    choose_and_check(page, live_server.url, WITH_AN_ERROR, language)

    main = page.locator("main")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(main.locator("#lines")).to_contain_text("Date of Birth")
    expect(main.locator("#lines")).to_contain_text("'30/02/2013'")
    check_page(page, "a roll import refused by line and column", language)
    assert not Learner.objects.filter(candidate_number__startswith="9123000").exists()

    choose_and_check(page, live_server.url, FIXED, language)
    expect(page.locator("h1")).to_have_text(t("What the import would do", language))
    check_page(page, "a roll import checked, with its leavers to confirm", language)
    page.get_by_role("button", name=t("Import", language), exact=True).click()

    expect(main.locator(".govuk-panel")).to_contain_text(t("Imported", language))
    check_page(page, "a roll import done", language)
    assert Learner.objects.filter(candidate_number__startswith="9123000").count() == 2

    choose_and_check(page, live_server.url, FIXED, language)
    page.get_by_role("button", name=t("Import", language), exact=True).click()
    expect(main.locator(".govuk-panel__body")).to_contain_text("0")
    assert Learner.objects.filter(candidate_number__startswith="9123000").count() == 2
    saved = main.locator(".govuk-panel__body").inner_text()
    assert [int(word) for word in saved.split() if word.isdigit()] == [0, 0, 0]
