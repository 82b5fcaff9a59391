"""A support-for-learning lead records a stage decision: sees which threshold descriptors the
record evidences and the suggested stage, departs from it, is refused without a reason, and
records the decision with one (issue 16, ADR 0047)."""

from datetime import date, timedelta

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from stagewise.accounts.models import User
from stagewise.learners.models import Learner
from stagewise.statutory.models import LocalStage
from stagewise.testing.factories import add_need

from .support import LANGUAGES, check_page, fill_date, path_is, sign_in_as, t


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_lead_sees_the_suggestion_and_departs_from_it_with_a_reason(
    page: Page, live_server: LiveServer, learner: Learner, support_lead: User, language: str
) -> None:
    add_need(learner, "11", factor_groups=["learning_environment"])
    stage_two = LocalStage.objects.get(stage_model__key="glasgow", order=2)
    stage_one = LocalStage.objects.get(stage_model__key="glasgow", order=1)
    with translation.override(language):
        choice = f"{stage_two.display_label} ({stage_two.national_label})"
        suggested_label = stage_one.display_label
        suggested = f"{suggested_label} ({stage_one.national_label})"
    today = date.today()
    sign_in_as(page, live_server.url, support_lead, language)

    page.goto(f"/learners/{learner.public_id}/stages/add/")
    expect(page.locator("#suggested-stage")).to_have_text(suggested)
    expect(page.get_by_text(t("Evidenced", language), exact=True).first).to_be_visible()
    # The suggested stage's descriptors are open; the next stage's, one click away.
    page.locator("details summary").nth(1).click()
    expect(page.get_by_text(t("Not evidenced", language), exact=True).first).to_be_visible()
    check_page(page, "stage decision with decision support", language)

    page.get_by_label(choice, exact=True).check()
    fill_date(page, "decided_on", today)
    page.get_by_label(t("Rationale", language), exact=True).fill("Reading group every day.")
    fill_date(page, "next_review_on", today + timedelta(days=90))
    page.get_by_role("button", name=t("Record decision", language), exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(suggested_label)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        t(
            "Choose the kind of reason for departing from the suggestion, as well as giving the"
            " reason in your own words.",
            language,
        )
    )
    check_page(page, "stage decision refused without a reason or its kind", language)

    reason = page.get_by_label(t("Reason for departing from the suggestion", language), exact=True)
    reason.fill("Reading age two years behind; the family asked for more.")
    page.locator("input[name=departure_kind][value=views]").check()
    page.get_by_role("button", name=t("Record decision", language), exact=True).click()
    expect(page).to_have_url(path_is(f"/learners/{learner.public_id}/stages/"))
    expect(
        page.get_by_text("Reading age two years behind; the family asked for more.")
    ).to_be_visible()
    expect(page.get_by_text(t("The child's or family's views", language))).to_be_visible()
    check_page(page, "stage timeline with the departure", language)
