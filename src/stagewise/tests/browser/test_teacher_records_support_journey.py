"""A class teacher records a need, a stage decision, a wellbeing assessment and a chronology entry,
and sees them on the learner's profile, timeline and chronology."""

import re
from datetime import date, timedelta

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from stagewise.accounts.models import User
from stagewise.learners.models import Learner, WellbeingIndicator
from stagewise.statutory.models import LocalStage, ReasonForSupport
from stagewise.testing.factories import TEST_PASSWORD, TEST_TOTP_SECRET, add_wellbeing_assessment

from .support import (
    LANGUAGES,
    assert_accessible,
    check_page,
    fill_date,
    path_is,
    sign_in_with_two_factor,
    t,
)


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_teacher_records_support_and_sees_it_on_the_profile_timeline_and_chronology(
    page: Page, learner: Learner, teacher: User, language: str
) -> None:
    teacher.preferred_language = language
    teacher.save(update_fields=["preferred_language"])
    add_wellbeing_assessment(
        learner, assessed_on=date.today() - timedelta(days=90), level="some_concern"
    )
    reason = ReasonForSupport.objects.get(nation__code="scotland", code="11")
    stage = LocalStage.objects.get(stage_model__key="glasgow", order=2)
    with translation.override(language):
        reason_label = reason.display_label
        stage_choice = f"{stage.display_label} ({stage.national_label})"
    last_week = date.today() - timedelta(days=7)
    profile = f"/learners/{learner.public_id}/"

    sign_in_with_two_factor(page, teacher.email, TEST_PASSWORD, TEST_TOTP_SECRET, language)
    page.goto(profile)
    check_page(page, "profile before", language)

    # A need
    page.get_by_role("link", name=t("Record a need", language), exact=True).click()
    check_page(page, "need form", language)
    page.get_by_label(t("Reason for support", language), exact=True).select_option(str(reason.pk))
    page.get_by_label(t("Learning environment", language), exact=True).check()
    fill_date(page, "identified_on", last_week)
    page.get_by_label(t("Evidence", language), exact=True).fill("Reading age two years behind.")
    # The character count counts down from the limit as the teacher types (Welsh writes 9971).
    before, after = t("You have %%{count} characters remaining", language).split("%%{count}")
    remaining = re.compile(rf"^{re.escape(before)}9,?971{re.escape(after)}$")
    expect(page.get_by_text(remaining).first).to_be_visible()
    page.get_by_role("button", name=t("Record need", language), exact=True).click()
    expect(page).to_have_url(path_is(profile))
    expect(page.get_by_role("cell", name=reason_label).first).to_be_visible()

    # A stage decision, with its rationale, on the timeline
    page.get_by_role("link", name=t("Record a stage decision", language), exact=True).click()
    check_page(page, "stage decision form", language)
    page.get_by_label(stage_choice, exact=True).check()
    fill_date(page, "decided_on", last_week)
    page.get_by_label(t("Rationale", language), exact=True).fill(
        "Reading group three times a week."
    )
    # Decision support suggests universal on this record: a departure gives its reason.
    page.get_by_label(t("Reason for departing from the suggestion", language), exact=True).fill(
        "Reading age two years behind."
    )
    page.locator("input[name=departure_kind][value=evidence_outside]").check()
    fill_date(page, "next_review_on", last_week + timedelta(days=120))
    page.get_by_role("button", name=t("Record decision", language), exact=True).click()
    expect(page).to_have_url(path_is(f"{profile}stages/"))
    expect(page.get_by_text("Reading group three times a week.")).to_be_visible()
    check_page(page, "stage timeline", language)

    # A wellbeing assessment, shown as a wheel and compared with the last one
    page.goto(profile)
    page.get_by_role("link", name=t("Record a wellbeing assessment", language), exact=True).click()
    check_page(page, "wellbeing form", language)
    fill_date(page, "assessed_on", last_week)
    for indicator in WellbeingIndicator:
        page.locator(f"input[name={indicator.value}_level][value=no_concern]").check()
    page.get_by_role("button", name=t("Record assessment", language), exact=True).click()
    expect(page.get_by_role("img", name=t("Wellbeing wheel", language))).to_be_visible()
    expect(page.get_by_text(t("Better", language), exact=True).first).to_be_visible()
    check_page(page, "wellbeing assessment", language)

    # A chronology entry, merged with the decision and the need
    page.goto(f"{profile}chronology/add/")
    check_page(page, "chronology form", language)
    page.get_by_label(t("Type", language), exact=True).select_option("health")
    fill_date(page, "occurred_on", last_week)
    page.get_by_label(t("What happened", language), exact=True).fill("Eyesight test: glasses.")
    page.get_by_label(t("Source", language), exact=True).fill("Optician's letter")
    page.get_by_role("button", name=t("Add entry", language), exact=True).click()
    expect(page).to_have_url(path_is(f"{profile}chronology/"))
    expect(page.get_by_text("Eyesight test: glasses.")).to_be_visible()
    expect(page.get_by_text("Reading group three times a week.", exact=False)).to_be_visible()
    check_page(page, "chronology", language)

    page.get_by_role("link", name=t("Printable version", language), exact=True).click()
    expect(page.get_by_text("Eyesight test: glasses.")).to_be_visible()
    # The printable page has no header, so no language switch: check its language and axe.
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert_accessible(page, f"printable chronology [{language}]")

    # Back on the profile: the current stage in local and national terms
    page.goto(profile)
    expect(page.get_by_text(t("Targeted", language), exact=True).first).to_be_visible()
    check_page(page, "profile after", language)

    page.goto("/learners/summary/")
    check_page(page, "caseload summary", language)
