"""An authority officer finds a looked-after child waiting in their work queue, records the
authority's consideration for a co-ordinated support plan beside what decision support finds,
is refused a conclusion other than the one indicated without a reason, gives one, and sees the
consideration on the learner's record (ASL Act 2004 s6(1A); ADR 0049)."""

from datetime import date

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from stagewise.accounts.models import User
from stagewise.learners.models import Learner

from .support import LANGUAGES, check_page, fill_date, path_is, sign_in_as, t


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_an_officer_considers_a_looked_after_child_from_the_work_queue(
    page: Page,
    live_server: LiveServer,
    learner: Learner,
    authority_officer: User,
    language: str,
) -> None:
    Learner.objects.filter(pk=learner.pk).update(looked_after=True)
    sign_in_as(page, live_server.url, authority_officer, language)

    page.goto("/")
    waiting = page.locator("#queue-waiting")
    expect(waiting).to_contain_text(learner.display_name)
    check_page(page, "officer's work queue with a looked-after child", language)
    waiting.get_by_role(
        "link", name=t("Consider them for a co-ordinated support plan", language)
    ).first.click()
    expect(page).to_have_url(
        path_is(f"/learners/{learner.public_id}/coordinated-support-plan-considerations/new/")
    )
    expect(page.get_by_text(t("Not evidenced", language), exact=True).first).to_be_visible()
    check_page(page, "consideration with decision support", language)

    fill_date(page, "considered_on", date.today())
    for condition in (
        "authority_responsible",
        "complex_or_multiple_factors",
        "lasting_more_than_a_year",
        "significant_support_from_others",
    ):
        page.locator(f"#id_{condition}").check()  # met
    page.locator("#id_conclusion").check()  # a plan is required
    page.get_by_label(t("Reason for the conclusion", language), exact=True).fill(
        "Health and social work will support her for years."
    )
    page.get_by_role("button", name=t("Record the consideration", language), exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_page(page, "consideration refused without a reason for departing", language)

    page.get_by_label(t("Reason for departing from the suggestion", language), exact=True).fill(
        "Social work's assessment is not on the record yet."
    )
    page.locator("input[name=departure_kind][value=evidence_outside]").check()
    page.get_by_role("button", name=t("Record the consideration", language), exact=True).click()
    expect(page).to_have_url(
        path_is(f"/learners/{learner.public_id}/coordinated-support-plan-considerations/")
    )
    expect(page.get_by_text("Social work's assessment is not on the record yet.")).to_be_visible()
    check_page(page, "considerations of a looked-after child", language)

    page.get_by_role("link", name=t("Back to the learner's record", language)).click()
    expect(page.locator("#coordinated-support-plan-consideration")).to_be_visible()
    expect(page.get_by_text(t("A co-ordinated support plan is required", language))).to_be_visible()
    check_page(page, "learner's record with the consideration", language)
