"""The consistency report (issue 16), done when: the national analyst opens the consistency
report and sees authorities compared with small counts suppressed. axe on each page, in English
and in Welsh.

Figures as the refresh leaves them (stagewise/testing/measures.py): learners whose one reason for
support is social, emotional and behavioural difficulty (26); Glasgow has 40 at targeted, 30 at
specialist and 3 with no stage; Fife 12 at targeted and 20 at specialist, 2 of them with a
co-ordinated support plan. The 3 and the 2 are withheld, and so is what would give them back.
Departures from the suggestion: Glasgow's 2 lower than suggested are withheld. The authority
officer compares their schools' departures and reads each departure and its reason.
"""

from datetime import date
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from stagewise.accounts.models import User
from stagewise.conftest import World
from stagewise.disclosure import WITHHELD_MARK
from stagewise.learners.models import StageDecision
from stagewise.measurement.models import ConsistencyFigure, ScopeLevel
from stagewise.statutory.selectors import stage_list
from stagewise.testing.measures import consistency_figures, departure_figures

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
    departure_figures(
        glasgow,
        YEAR,
        {
            ("stage", False, "", ""): 60,
            ("stage", True, "higher", "evidence_outside"): 9,
            ("stage", True, "lower", "views"): 2,
            ("plan", False, "", ""): 6,
            ("plan", True, "other_plan_type", "views"): 5,
        },
    )
    departure_figures(
        fife,
        YEAR,
        {("stage", False, "", ""): 25, ("stage", True, "higher", "professional_judgement"): 8},
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
    # Departures from the suggestion: Glasgow's 2 lower are withheld, and its rate with them.
    departures = main.locator("#departures")
    expect(departures).to_have_text(t("Departures from the suggestion", language))
    expect(main.locator("#departures-kinds-title")).to_have_count(1)
    expect(main).not_to_contain_text(t("Read each departure and its reason", language))
    check_page(page, "the consistency report, authorities compared", language)

    page.get_by_text(t("What “similar needs” means here", language)).click()
    expect(main).to_contain_text(t("Wellbeing bands", language))
    page.locator("select[name=attendance]").select_option("under_80")
    page.get_by_role("button", name=t("Show", language), exact=True).click()
    expect(main).to_contain_text(t("No learners with this profile.", language))
    check_page(page, "the consistency report, a profile with nobody in it", language)


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_officer_compares_departures_by_school_and_reads_each_departure_and_its_reason(
    page: Page,
    live_server: Any,
    world: World,
    authority_officer: User,
    support_lead: User,
    language: str,
) -> None:
    glasgow = world.school.authority
    consistency_figures(glasgow, YEAR, reasons="26", counts={("targeted", "no_plan"): 12})
    ConsistencyFigure.objects.create(
        level=ScopeLevel.SCHOOL,
        scope=f"school:{world.school.pk}",
        nation=glasgow.nation,
        authority=glasgow,
        setting=world.school,
        school_year=YEAR,
        reasons="26",
        wellbeing_band="not_assessed",
        attendance_band="90_or_more",
        national_stage="targeted",
        plan_type="no_plan",
        additional_support_needs=True,
        learners=12,
        refreshed_at=timezone.now(),
    )
    departure_figures(
        world.school,
        YEAR,
        {("stage", False, "", ""): 10, ("stage", True, "higher", "views"): 1},
    )
    stages = list(stage_list(glasgow))
    StageDecision.objects.create(
        learner=world.learner,
        stage=stages[1],
        decided_on=date(YEAR + 1, 3, 2),
        rationale="Reading group.",
        next_review_on=date(YEAR + 1, 9, 2),
        suggested_national_stage=stages[0].national_stage,
        suggested_stage=stages[0],
        departs_from_suggestion=True,
        departure_kind="views",
        departure_reason="Her parents asked for the reading group.",
    )
    sign_in_as(page, live_server.url, authority_officer, language)
    page.goto(live_server.url + "/measures/consistency/")

    main = page.locator("main")
    expect(main.locator("#departures")).to_be_visible()
    expect(main).to_contain_text(str(world.school))
    check_page(page, "the consistency report, departures by school", language)

    main.get_by_role("link", name=t("Read each departure and its reason", language)).click()
    expect(page.locator("h1")).to_have_text(t("Departures from the suggestion", language))
    expect(main).to_contain_text("Her parents asked for the reading group.")
    expect(main).to_contain_text(t("The child's or family's views", language))
    check_page(page, "the authority's departures and their reasons", language)
