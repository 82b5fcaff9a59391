"""The national action plans (issue 14), done when: the Scottish Government's policy officer adds
a progress update to LI 9 and links a measure to it, marks 6.1.5 complete with a reason, makes a
draft progress report (a period in the future is refused first) and publishes it; a signed-out
visitor finds the report, reads it and downloads it as a PDF and a CSV. axe checks every page on
the way, in English and in Welsh.
"""

import csv
import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from stagewise.accounts.models import User
from stagewise.actionplans.services import published_plans_load
from stagewise.conftest import staff_member
from stagewise.measurement.models import Measure
from stagewise.measurement.periods import school_year_of
from stagewise.organisations.models import NationalBody, Role
from stagewise.policy import SYSTEM
from stagewise.testing.factories import scotland
from stagewise.testing.measures import summary
from stagewise.testing.pdf import pdf_metadata, pdf_text

from .support import LANGUAGES, check_page, choose_language, fill_date, long_date, sign_in_as, t

UPDATE = "The framework is being tested in three authorities."
REASON = "Mediation information is on every council's website."
TITLE = "Additional support for learning action plan: progress report"


def _policy_officer() -> User:
    published_plans_load(actor=SYSTEM)
    officer = staff_member(
        "fiona@example.org",
        Role.POLICY_OFFICER,
        national_body=NationalBody.objects.get(code="scottish-government"),
    )
    officer.full_name = "Fiona MacLeod"
    officer.save(update_fields=["full_name"])
    return officer


def press(page: Page, name: str, language: str) -> None:
    page.get_by_role("button", name=t(name, language), exact=True).click()


def download(page: Page, link: str, language: str) -> tuple[str, bytes]:
    with page.expect_download() as download_info:
        page.get_by_role("link", name=t(link, language), exact=True).click()
    done = download_info.value
    return done.suggested_filename, Path(done.path()).read_bytes()


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_policy_officer_tracks_two_actions_and_publishes_a_report_the_public_downloads(
    page: Page, live_server: Any, language: str
) -> None:
    officer = _policy_officer()
    today = timezone.localdate()
    attendance = Measure.objects.get(code="attendance_rate")
    summary(
        scotland(),
        "attendance_rate",
        school_year_of(today),
        needs=True,
        learners=60,
        numerator=870,
        denominator=1000,
    )
    sign_in_as(page, live_server.url, officer, language)
    page.goto(live_server.url + "/action-plans/")
    check_page(page, "the national action plans", language)

    # A progress update on LI 9, and a measure of the framework linked to it.
    page.get_by_role("link", name="LI 9", exact=True).click()
    check_page(page, "action LI 9", language)
    page.get_by_role("link", name=t("Add a progress update", language), exact=True).click()
    check_page(page, "adding a progress update", language)
    fill_date(page, "written_on", today)
    page.get_by_label(t("Progress update", language), exact=True).fill(UPDATE)
    press(page, "Add the update", language)
    expect(page.locator("main")).to_contain_text(UPDATE)
    page.get_by_role("link", name=t("Link a measure", language), exact=True).click()
    page.locator("select[name=measure]").select_option(str(attendance.pk))
    check_page(page, "linking a measure", language)
    press(page, "Link the measure", language)
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        t("The measure has been linked.", language)
    )
    check_page(page, "action LI 9, updated and with a measure", language)

    # 6.1.5 marked complete, with the reason.
    page.get_by_role("link", name=t("National action plans", language), exact=True).click()
    page.get_by_role("link", name="6.1.5", exact=True).click()
    page.get_by_role("link", name=t("Change the status", language), exact=True).click()
    page.get_by_label(t("Complete", language), exact=True).check()
    page.get_by_label(t("Reason for the change", language), exact=True).fill(REASON)
    check_page(page, "changing 6.1.5's status", language)
    press(page, "Change the status", language)
    expect(page.locator("main")).to_contain_text(REASON)
    check_page(page, "action 6.1.5, complete", language)

    # A draft report: a period ending tomorrow is refused; one ending today is made.
    page.get_by_role("link", name=t("National action plans", language), exact=True).click()
    page.get_by_role("link", name=t("Progress reports", language), exact=True).click()
    check_page(page, "the progress reports, none yet", language)
    page.get_by_role("link", name=t("Make a draft report", language), exact=True).click()
    check_page(page, "making a draft report", language)
    page.get_by_label(t("Title of the report", language), exact=True).fill(TITLE)
    fill_date(page, "starts_on", today - timedelta(days=548))
    fill_date(page, "ends_on", today + timedelta(days=1))
    press(page, "Make the draft", language)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        t("The end of the period must be today or in the past.", language)
    )
    check_page(page, "a draft report refused: a period in the future", language)
    fill_date(page, "ends_on", today)
    press(page, "Make the draft", language)
    main = page.locator("main")
    expect(page.locator("h1")).to_contain_text(t("Draft", language))
    expect(main).to_contain_text(UPDATE)
    expect(main).to_contain_text(REASON)
    expect(main).to_contain_text("87.0%")
    check_page(page, "the draft report", language)

    page.get_by_role("link", name=t("Publish the report", language), exact=True).click()
    check_page(page, "confirming the publication", language)
    press(page, "Publish the report", language)
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        t("The report has been published.", language)
    )
    expect(page.locator("h1")).not_to_contain_text(t("Draft", language))
    check_page(page, "the published report, for the officer", language)

    # A signed-out visitor finds it, reads it and downloads it.
    page.context.clear_cookies()
    page.goto(live_server.url + "/national-action-plans/")
    choose_language(page, language)
    check_page(page, "the public national action plans", language)
    page.get_by_role("link", name=t("Read the published progress reports", language)).click()
    check_page(page, "the published progress reports", language)
    page.get_by_role("link", name=TITLE, exact=True).click()
    expect(main).to_contain_text(UPDATE)
    expect(main).to_contain_text(REASON)
    expect(main).to_contain_text(long_date(today, language))
    check_page(page, "a published progress report, signed out", language)

    name, pdf = download(page, "Download the report (PDF)", language)
    assert name.endswith(f"-{language}.pdf") and "draft" not in name
    metadata = pdf_metadata(pdf)
    assert (metadata["language"], metadata["title"], metadata["pdfua_part"]) == (
        language,
        TITLE,
        1,
    )
    assert UPDATE in pdf_text(pdf)
    name, data = download(page, "Download the report (CSV)", language)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert name.endswith(".csv") and len(rows) == 1 + 36
    item = next(row for row in rows if row[3] == "6.1.5")
    assert t("Complete", language) in item and REASON in item[10]
