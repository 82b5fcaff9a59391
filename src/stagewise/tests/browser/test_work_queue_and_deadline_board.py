"""A support-for-learning lead opens their home page to find what needs them, overdue first, and
follows the link to the deadline board: both pass axe in English and Welsh."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from stagewise.accounts.models import User
from stagewise.conftest import World
from stagewise.learners.models import Learner
from stagewise.planning.models import ResponseKind
from stagewise.planning.services import plan_response_record
from stagewise.statutory.calendar import add_months
from stagewise.statutory.models import (
    ProcessOutcome,
    ProcessStatus,
    Responsible,
    StatutoryProcess,
    StatutoryTimescale,
)
from stagewise.testing.factories import add_wellbeing_assessment
from stagewise.testing.plans import acting, finalised_plan

from .support import LANGUAGES, check_page, path_is, sign_in_as, t


def school_clock(learner: Learner, due_in: int | None, **fields: object) -> StatutoryProcess:
    today = timezone.localdate()
    setting = learner.enrolments.get(ended_on__isnull=True).setting
    due_on = None if due_in is None else today + timedelta(days=due_in)
    return StatutoryProcess.objects.create(
        learner=learner,
        timescale=StatutoryTimescale.objects.filter(key="scotland.early_review_request").earliest(
            "pk"
        ),
        rule_key="scotland.early_review_request",
        authority=setting.authority,
        setting=setting,
        responsible=Responsible.SETTING,
        started_on=today - timedelta(days=60),
        due_on=due_on,
        **fields,
    )


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_support_leads_work_queue_and_deadline_board_are_accessible(
    page: Page,
    live_server,
    world: World,
    learner: Learner,
    support_lead: User,
    parent: User,
    language: str,
) -> None:
    today = timezone.localdate()
    school_clock(learner, -4)
    school_clock(learner, 3)
    school_clock(learner, None, due_problem="The 2027/28 calendar for Glasgow City is needed.")
    school_clock(
        learner,
        -20,
        status=ProcessStatus.CLOSED,
        closed_on=today - timedelta(days=10),
        outcome=ProcessOutcome.DONE,
    )
    add_wellbeing_assessment(learner, assessed_on=add_months(today, -12) + timedelta(days=12))
    plan = finalised_plan(acting(support_lead), learner, "individualised_educational_programme")
    plan_response_record(
        actor=acting(parent), plan=plan, response=ResponseKind.DISAGREED, words="Too little."
    )
    sign_in_as(page, live_server.url, support_lead, language)

    page.goto("/")
    overdue = page.locator("#queue-overdue")
    expect(overdue).to_contain_text(learner.display_name)
    expect(overdue).to_contain_text(t("Overdue", language))
    expect(page.locator("#queue-this_week")).to_be_visible()
    expect(page.locator("#queue-next_four_weeks")).to_be_visible()
    expect(page.locator("#queue-needs_calendar")).to_contain_text("2027/28 calendar")
    expect(page.locator("#queue-waiting")).to_contain_text(t("Disagreement", language))
    check_page(page, "support lead's work queue", language)

    page.get_by_role("link", name=t("Deadlines", language), exact=True).click()
    expect(page).to_have_url(path_is("/deadlines/"))
    expect(page.locator("#open-clocks")).to_be_visible()
    expect(page.locator("#closed-clocks")).to_contain_text("10")  # days late
    check_page(page, "deadline board", language)

    # A period that ends before it starts: the error summary says what to fix.
    page.goto("/deadlines/?from_0=2&from_1=9&from_2=2026&to_0=1&to_1=9&to_2=2026")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_page(page, "deadline board with an error", language)
