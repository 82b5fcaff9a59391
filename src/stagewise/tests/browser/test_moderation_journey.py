"""Moderation of stage decisions (issue 16 item 3, ADR 0046), done when: Glasgow's authority
officer draws a moderation sample of the decisions Riverside's support-for-learning lead recorded
(a sample larger than the decisions is refused with what to fix) and gives it to a teacher at
Hillhead; the teacher reads a case without the learner's name and records a disagreement (a
disagreement without a reason is refused); Riverside's lead finds it in their work queue and
marks it considered with a response. And for plan decisions (ADR 0046, amended): the officer
samples the plans Riverside opened, gives them to Hillhead's teacher and reassigns one to
Northfield's; Northfield's teacher reads the plan decision anonymised and disagrees; Riverside's
lead finds it in the work queue. axe checks every page on the way, in English and in Welsh.
"""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from stagewise.accounts.actors import actors_for
from stagewise.accounts.models import User
from stagewise.conftest import World, staff_member
from stagewise.learners.services import stage_decide
from stagewise.organisations.models import Role
from stagewise.planning.models import PlanType
from stagewise.planning.services import plan_create
from stagewise.statutory.selectors import stage_list
from stagewise.testing.factories import (
    JUDGED_BEYOND_THE_RECORD,
    JUDGED_BEYOND_THE_RECORD_KIND,
    SettingFactory,
    enrolled_learner,
)

from .support import LANGUAGES, check_page, fill_date, sign_in_as, t

MODERATION_LINK = (
    "Moderation of stage and plan decisions: samples, decisions to moderate and disagreements"
)


def _decisions(world: World, support_lead: User) -> None:
    lead = actors_for(support_lead)[0]
    today = timezone.localdate()
    stages = list(stage_list(world.school.authority))
    for learner, stage in ((world.learner, stages[1]), (enrolled_learner(world.school), stages[0])):
        stage_decide(
            actor=lead,
            learner=learner,
            stage=stage,
            decided_on=today - timedelta(days=5),
            rationale="Small-group reading support every morning, agreed at the planning meeting.",
            next_review_on=today + timedelta(days=90),
            departure_reason=JUDGED_BEYOND_THE_RECORD,  # decision support (ADR 0047)
            departure_kind=JUDGED_BEYOND_THE_RECORD_KIND,
        )


def too_large(language: str) -> str:
    """The end of the refusal of a sample larger than the two decisions."""
    words = t(
        "The sample cannot be larger than the %(count)s decision recorded by schools between"
        " %(from)s and %(to)s. Enter %(count)s or fewer.",
        language,
    )
    return words.rsplit("%(to)s", 1)[1].replace("%(count)s", "2").strip()


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_an_officer_samples_decisions_and_a_moderator_from_another_school_disagrees(
    page: Page,
    live_server: Any,
    world: World,
    authority_officer: User,
    outsider_teacher: User,
    support_lead: User,
    language: str,
) -> None:
    _decisions(world, support_lead)
    today = timezone.localdate()

    sign_in_as(page, live_server.url, authority_officer, language)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name=t(MODERATION_LINK, language)).click()
    expect(page.locator("h1")).to_have_text(t("Moderation of stage and plan decisions", language))
    check_page(page, "moderation for the authority officer, no sample yet", language)
    page.get_by_role("link", name=t("Draw a sample", language), exact=True).click()
    fill_date(page, "decided_from", today - timedelta(days=30))
    fill_date(page, "decided_to", today)
    page.get_by_label(t("Sample size", language), exact=True).fill("5")
    page.get_by_role("button", name=t("Draw the sample", language), exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.locator(".govuk-error-summary")).to_contain_text(too_large(language))
    check_page(page, "a moderation sample larger than the decisions, refused", language)
    page.get_by_label(t("Sample size", language), exact=True).fill("2")
    page.get_by_role("button", name=t("Draw the sample", language), exact=True).click()
    expect(page.locator("main")).to_contain_text(t("How it was drawn", language))
    page.get_by_role("link", name=t("Assign moderators", language), exact=True).click()
    check_page(page, "assigning moderators", language)
    page.get_by_label("Hillhead Primary School").check()
    page.get_by_role("button", name=t("Assign the cases", language), exact=True).click()
    expect(page.locator("main")).to_contain_text("Hillhead Primary School")
    check_page(page, "the moderation sample, assigned", language)

    sign_in_as(page, live_server.url, outsider_teacher, language)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name=t(MODERATION_LINK, language)).click()
    page.locator("main ul.govuk-list a").first.click()
    main = page.locator("main")
    expect(main).to_contain_text("Small-group reading support")
    expect(main).not_to_contain_text("Ailsa")
    expect(main).not_to_contain_text("Riverside")
    page.get_by_label(t("Disagree with the decision", language), exact=True).check()
    page.get_by_role("button", name=t("Record your view", language), exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        t("Enter why you disagree, so that the school can consider it.", language)
    )
    check_page(page, "a moderation case, disagreement without a reason", language)
    page.get_by_label(t("Disagree with the decision", language), exact=True).check()
    page.get_by_label(t("Your reason", language), exact=True).fill(
        "Reading support in a small group is what the class offers everyone."
    )
    page.get_by_role("button", name=t("Record your view", language), exact=True).click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        t("Your view of the decision has been recorded.", language)
    )

    sign_in_as(page, live_server.url, support_lead, language)
    page.goto(live_server.url + "/")
    page.get_by_role(
        "link",
        name=t(
            "A moderator disagreed with the decision to place them at %(stage)s: consider it"
            " and respond",
            language,
        ).split("%(stage)s")[0],
    ).click()
    expect(page.locator("h1")).to_have_text(
        t("A moderator disagreed with a stage decision", language)
    )
    expect(page.locator("main")).to_contain_text("what the class offers everyone")
    expect(
        page.get_by_role("link", name=t("See the learner's stage decisions", language))
    ).to_be_visible()
    check_page(page, "a moderator's disagreement returned to the school", language)
    page.get_by_label(t("The school's response", language), exact=True).fill(
        "We looked again: the group is outside the class, so the stage stands."
    )
    page.get_by_role("button", name=t("Mark as considered", language), exact=True).click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        t("The disagreement has been marked as considered.", language)
    )


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_an_officer_samples_plan_decisions_reassigns_one_and_its_moderator_disagrees(
    page: Page,
    live_server: Any,
    world: World,
    authority_officer: User,
    outsider_teacher: User,
    support_lead: User,
    language: str,
) -> None:
    lead = actors_for(support_lead)[0]
    for learner, key in (
        (world.learner, "coordinated_support_plan"),
        (enrolled_learner(world.school), "personal_learning_plan"),
    ):
        plan_create(
            actor=lead,
            learner=learner,
            plan_type=PlanType.objects.get(key=key),
            departure_reason="Speech and language therapy every week, from the NHS board.",
            departure_kind=JUDGED_BEYOND_THE_RECORD_KIND,
        )
    northfield_teacher = staff_member(
        "nf-teacher@example.org",
        Role.CLASS_TEACHER,
        setting=SettingFactory.create(authority=world.school.authority, name="Northfield Academy"),
    )
    today = timezone.localdate()

    sign_in_as(page, live_server.url, authority_officer, language)
    page.goto(live_server.url + "/moderation/samples/draw/")
    page.get_by_label(t("Plan decisions", language), exact=True).check()
    fill_date(page, "decided_from", today - timedelta(days=30))
    fill_date(page, "decided_to", today)
    page.get_by_label(t("Sample size", language), exact=True).fill("2")
    page.get_by_role("button", name=t("Draw the sample", language), exact=True).click()
    expect(page.locator("main")).to_contain_text(t("Cases by school and plan type", language))
    page.get_by_role("link", name=t("Assign moderators", language), exact=True).click()
    page.get_by_label("Hillhead Primary School").check()
    page.get_by_role("button", name=t("Assign the cases", language), exact=True).click()
    check_page(page, "a plan decision sample, assigned", language)
    page.locator("main a[href$='/reassign/']").first.click()
    check_page(page, "reassigning a case", language)
    page.get_by_label("Northfield Academy").check()
    page.get_by_role("button", name=t("Reassign the case", language), exact=True).click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        t("Case %(number)s has been reassigned.", language).replace("%(number)s", "1")
    )

    sign_in_as(page, live_server.url, northfield_teacher, language)
    page.goto(live_server.url + "/moderation/")
    page.locator("main ul.govuk-list a").first.click()
    main = page.locator("main")
    expect(page.locator("h1")).to_contain_text(
        t("Case %(number)s: a plan decision to moderate", language).split(": ")[-1]
    )
    expect(main).not_to_contain_text("Ailsa")
    expect(main).not_to_contain_text("Riverside")
    check_page(page, "a plan decision to moderate", language)
    page.get_by_label(t("Disagree with the decision", language), exact=True).check()
    page.get_by_label(t("Your reason", language), exact=True).fill(
        "The plan the school keeps already meets the needs described."
    )
    page.get_by_role("button", name=t("Record your view", language), exact=True).click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        t("Your view of the decision has been recorded.", language)
    )

    sign_in_as(page, live_server.url, support_lead, language)
    page.goto(live_server.url + "/")
    page.get_by_role(
        "link",
        name=t(
            "A moderator disagreed with the decision to open their %(plan_type)s: consider"
            " it and respond",
            language,
        ).split("%(plan_type)s")[0],
    ).click()
    expect(page.locator("h1")).to_have_text(
        t("A moderator disagreed with a plan decision", language)
    )
    check_page(page, "a moderator's disagreement with a plan decision", language)
