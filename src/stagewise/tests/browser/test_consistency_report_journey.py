"""The consistency report (issue 16), done when: the national analyst opens the consistency
report and sees authorities compared with small counts suppressed. axe on each page, in English
and in Welsh.

Figures as the refresh leaves them (stagewise/testing/measures.py): learners whose one reason for
support is social, emotional and behavioural difficulty (26); Glasgow has 40 at targeted, 30 at
specialist and 3 with no stage; Fife 12 at targeted and 20 at specialist, 2 of them with a
co-ordinated support plan. The 3 and the 2 are withheld, and so is what would give them back.
"""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from stagewise.accounts.models import User
from stagewise.conftest import World
from stagewise.disclosure import WITHHELD_MARK
from stagewise.testing.measures import consistency_figures

from .support import LANGUAGES, check_page, sign_in_as, t

YEAR = 2025


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_analyst_compares_authorities_for_similar_needs_with_small_counts_withheld(
    page: Page, live_server: Any, world: World, analyst: User, language: str
) -> None:
    glasgow = world.school.authority
    fife = world.fife_school.authority
    consistency_figures(
        glasgow,
        YEAR,
        reasons="26",
        counts={
            ("targeted", "no_plan"): 40,
            ("specialist", "individualised_educational_programme"): 30,
            ("none", "no_plan"): 3,
        },
    )
    consistency_figures(
        fife,
        YEAR,
        reasons="26",
        counts={
            ("targeted", "no_plan"): 12,
            ("specialist", "childs_plan"): 18,
            ("specialist", "coordinated_support_plan"): 2,
        },
    )
    sign_in_as(page, live_server.url, analyst, language)
    page.goto(live_server.url + "/measures/consistency/")

    main = page.locator("main")
    expect(page.locator("h1")).to_have_text(t("Consistency of stages and plans", language))
    stages = page.locator("table").first
    expect(stages).to_contain_text(str(glasgow))
    expect(stages).to_contain_text(str(fife))
    expect(stages).to_contain_text("40")
    expect(stages).to_contain_text(t(str(WITHHELD_MARK), language))
    expect(main.locator("svg[role=img]").first).to_be_visible()
    check_page(page, "the consistency report, authorities compared", language)

    page.get_by_text(t("What “similar needs” means here", language)).click()
    expect(main).to_contain_text(t("Wellbeing bands", language))
    page.locator("select[name=attendance]").select_option("under_80")
    page.get_by_role("button", name=t("Show", language), exact=True).click()
    expect(main).to_contain_text(t("No learners with this profile.", language))
    check_page(page, "the consistency report, a profile with nobody in it", language)
