"""Families and young people as partners (issue 11), done when: a parent asks whether a
co-ordinated support plan is needed and, once the authority has decided, reads the answer and its
date; a young person gives their views before a review and finds them, in their words, in the
review record; a parent records a disagreement, is shown mediation with who to contact and the
date the tribunal's time limit runs out, and the authority records how it ended; a learner moves
from a Glasgow primary to a Fife secondary, reaching the new school's work queue, while the
teacher who taught them no longer finds the record.

Only what each journey is about happens in the browser: the plan, the review, the step to the
authority and the move are made with the services, and everyone signs in by session cookie.
axe checks every page on the way once, in English and in Welsh, each form's error state too; a
page seen again in another state (a list after a form sends you back to it) is read, not checked
again, to keep the journeys within the suite's time budget.
"""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from stagewise.accounts.models import User
from stagewise.conftest import World, make_teacher, staff_member
from stagewise.disagreements.models import Disagreement
from stagewise.disagreements.routes import route_get, subject_get
from stagewise.disagreements.services import disagreement_move
from stagewise.families.models import RightsRequest
from stagewise.families.review_views_services import review_views_invite
from stagewise.learners.access import visible_learners
from stagewise.learners.models import Learner, LearnerMove
from stagewise.learners.services import learner_move
from stagewise.organisations.models import Nation, Role
from stagewise.organisations.public_information_models import AdviceService, ServiceHelp
from stagewise.planning.models import Plan
from stagewise.statutory.calendar import add_months
from stagewise.testing.factories import SettingFactory, authority, enrolled_learner, link_staff
from stagewise.testing.plans import acting, finalised_plan, review_held_today

from .support import (
    LANGUAGES,
    check_page,
    fill_date,
    long_date,
    path_is,
    sign_in_as,
    t,
)


def in_language(entry: Callable[[], Any], attribute: str, language: str) -> str:
    """A name kept in both languages in the data (a route's, a subject's, a plan type's), as a
    reader in `language` reads it: gettext does not translate data."""
    with translation.override(language):
        found = entry()
        return str(getattr(found, attribute))


def press(page: Page, name: str, language: str) -> None:
    page.get_by_role("button", name=t(name, language), exact=True).click()


def send_empty_and_check(page: Page, button: str, error: str, name: str, language: str) -> None:
    """Send the form as it stands, untouched: it comes back saying what to fix."""
    press(page, button, language)
    expect(page.locator(".govuk-error-summary")).to_contain_text(t(error, language))
    check_page(page, f"{name}, with errors", language)


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_parent_asks_whether_a_coordinated_support_plan_is_needed_and_reads_the_answer(
    page: Page,
    live_server: Any,
    learner: Learner,
    parent: User,
    authority_officer: User,
    language: str,
) -> None:
    rights = f"/learners/{learner.public_id}/rights-requests/"
    whether_a_plan_is_needed = t(
        "Find out whether the child needs a co-ordinated support plan", language
    )
    answer = "Agreed: a co-ordinated support plan will be prepared with you."

    # The parent asks, in their own words, and is shown the date the answer is due.
    sign_in_as(page, live_server.url, parent, language)
    page.goto(f"{rights}new/")
    check_page(page, "making a request", language)
    send_empty_and_check(
        page, "Send the request", "Choose what you are asking for.", "making a request", language
    )
    page.get_by_label(whether_a_plan_is_needed, exact=True).check()
    page.get_by_label(t("What are you asking for, in your own words?", language)).fill(
        "Whether Ailsa should have a co-ordinated support plan."
    )
    page.get_by_label(t("Why are you asking?", language)).fill(
        "Speech and language therapy and the school both support her, and no one joins it up."
    )
    press(page, "Send the request", language)
    expect(page).to_have_url(path_is(rights))
    asked = RightsRequest.objects.get(learner=learner)
    assert asked.kind == "establish_coordinated_support_plan"
    assert asked.process is not None and asked.process.due_on is not None
    card = page.locator(f"#request-{asked.public_id}")
    expect(card).to_contain_text(whether_a_plan_is_needed)
    expect(card).to_contain_text(long_date(asked.process.due_on, language))
    expect(card).to_contain_text(t("Waiting for a decision", language))

    # The authority's officer records the decision.
    sign_in_as(page, live_server.url, authority_officer, language)
    page.goto(rights)
    check_page(page, "families' requests, staff", language)
    page.locator(f"#request-{asked.public_id}").get_by_role(
        "link", name=t("Record the decision", language)
    ).click()
    check_page(page, "recording the decision", language)
    send_empty_and_check(
        page, "Record the decision", "Choose what was decided.", "recording the decision", language
    )
    decided_on = timezone.localdate()
    page.get_by_label(t("Agreed", language), exact=True).check()
    fill_date(page, "decided_on", decided_on)
    page.get_by_label(t("What was decided and why", language)).fill(answer)
    press(page, "Record the decision", language)
    expect(page).to_have_url(path_is(rights))
    expect(page.locator(f"#request-{asked.public_id}")).to_contain_text(t("Agreed", language))

    # The parent is told on their home page, and reads the answer and its date.
    sign_in_as(page, live_server.url, parent, language)
    page.goto("/")
    told = t("A decision has been made on your request", language)
    waiting = page.locator(f"#child-{learner.public_id} li").filter(has_text=told)
    check_page(page, "family home, a decision waiting", language)
    waiting.get_by_role("button", name=t("Read more", language)).click()
    expect(page).to_have_url(path_is(rights))
    card = page.locator(f"#request-{asked.public_id}")
    expect(card).to_contain_text(t("Agreed", language))
    expect(card).to_contain_text(long_date(decided_on, language))
    expect(card).to_contain_text(answer)
    check_page(page, "requests to use your rights, answered", language)


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_young_persons_views_before_a_review_reach_the_review_record_in_their_words(
    page: Page,
    live_server: Any,
    learner: Learner,
    young_person: User,
    support_lead: User,
    language: str,
) -> None:
    today = timezone.localdate()
    lead = acting(support_lead)
    plan = finalised_plan(lead, learner, "individualised_educational_programme")
    Plan.objects.filter(pk=plan.pk).update(next_review_on=today + timedelta(days=14))
    plan.refresh_from_db()
    review_views_invite(actor=lead, plan=plan)
    views = f"/learners/{learner.public_id}/plans/{plan.public_id}/views-before-review/"
    going_well = "I like the reading group on Tuesdays. Mr Shah explains things twice."
    to_change = "I want to sit near the front in maths."

    # The young person finds the review waiting for them, and gives their views on the form
    # written for them.
    sign_in_as(page, live_server.url, young_person, language)
    page.goto("/")
    asked = t("Give your views before the review: %(plan)s", language) % {
        "plan": in_language(lambda: plan.plan_type, "display_name", language)
    }
    check_page(page, "young person home, views asked for", language)
    page.get_by_role("link", name=asked).click()
    expect(page).to_have_url(path_is(views))
    page.get_by_role("link", name=t("Give my views", language), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("My views before my review", language)
    )
    check_page(page, "giving views, the child's form", language)
    send_empty_and_check(
        page,
        "Send my views",
        "Answer at least one question.",
        "giving views, the child's form",
        language,
    )
    answers = page.locator("main form[method=post] textarea")
    answers.nth(0).fill(going_well)
    answers.nth(2).fill(to_change)
    press(page, "Send my views", language)
    expect(page).to_have_url(path_is(views))
    expect(page.locator("main")).to_contain_text(going_well)

    # The review is held and recorded; the views join its record as they were written.
    review_held_today(lead, plan, attendees="Ailsa; her mother; the support for learning lead")

    page.reload()
    expect(page.locator(".govuk-inset-text")).to_contain_text(long_date(today, language))
    expect(page.locator("main")).to_contain_text(going_well)
    expect(page.locator("main")).to_contain_text(to_change)
    check_page(page, "your views, part of the review record", language)

    sign_in_as(page, live_server.url, support_lead, language)
    page.goto(f"/learners/{learner.public_id}/plans/{plan.public_id}/")
    review = page.locator(".govuk-summary-list__row").filter(has_text=going_well)
    expect(review).to_contain_text(young_person.full_name)
    expect(page.get_by_text(to_change, exact=True)).to_be_visible()
    check_page(page, "the plan with its review record", language)


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_parents_disagreement_is_shown_mediation_and_the_authority_records_its_outcome(
    page: Page,
    live_server: Any,
    learner: Learner,
    parent: User,
    authority_officer: User,
    language: str,
) -> None:
    glasgow = authority("Glasgow City")
    mediation = AdviceService.objects.create(
        key="clyde-family-mediation-journey",
        nation=Nation.objects.get(code=Nation.SCOTLAND),
        authority=glasgow,
        name="Clyde Family Mediation",
        description="Independent mediation for families and the authority.",
        helps_with=[ServiceHelp.MEDIATION],
        telephone="0141 496 0000",
        email="mediation@clyde.example.org",
        details_confirmed=True,
    )
    disagreements = f"/learners/{learner.public_id}/disagreements/"
    today = timezone.localdate()
    outcome = "The authority will prepare a co-ordinated support plan by March."

    # The parent records the disagreement, in their own words.
    sign_in_as(page, live_server.url, parent, language)
    page.goto(f"{disagreements}new/")
    check_page(page, "recording a disagreement", language)
    send_empty_and_check(
        page,
        "Record the disagreement",
        "Choose what the disagreement is about.",
        "recording a disagreement",
        language,
    )
    page.get_by_label(
        in_language(lambda: subject_get("scotland", "coordinated_support_plan"), "label", language),
        exact=True,
    ).check()
    page.get_by_label(t("What do you disagree with?", language)).fill(
        "The authority says Ailsa does not need a co-ordinated support plan."
    )
    page.get_by_label(t("What would you like to happen?", language)).fill(
        "A co-ordinated support plan that joins up the school and therapy."
    )
    fill_date(page, "opened_on", today - timedelta(days=21))
    press(page, "Record the disagreement", language)
    expect(page).to_have_url(path_is(disagreements))
    recorded = Disagreement.objects.get(learner=learner)

    # The school could not settle it: the family complained to the authority a week later.
    complained_on = today - timedelta(days=14)
    disagreement_move(
        actor=acting(authority_officer),
        disagreement=recorded,
        route_key="scotland.authority_complaint",
        moved_on=complained_on,
        step_outcome="The school could not change the authority's decision.",
        staff_note="",
    )

    page.reload()
    card = page.locator(f"#disagreement-{recorded.public_id}")
    next_route = card.locator(".govuk-inset-text")
    expect(next_route.get_by_role("heading", level=3)).to_contain_text(
        in_language(lambda: route_get("scotland.mediation"), "name", language)
    )
    expect(next_route).to_contain_text(t("There is no time limit to ask for this route.", language))
    expect(next_route).to_contain_text(long_date(add_months(complained_on, 2), language))
    expect(next_route.get_by_role("heading", name=mediation.name)).to_be_visible()
    expect(next_route.get_by_role("link", name=mediation.telephone)).to_be_visible()
    expect(next_route.get_by_role("link", name=mediation.email)).to_be_visible()
    check_page(page, "disagreements, mediation next", language)

    # The authority's officer finds it among the open disagreements and records the outcome.
    sign_in_as(page, live_server.url, authority_officer, language)
    page.goto("/disagreements/")
    check_page(page, "open disagreements", language)
    page.locator("#open-disagreements").get_by_role("link", name=learner.display_name).click()
    expect(page).to_have_url(path_is(disagreements))
    check_page(page, "disagreements, staff", language)
    page.get_by_role("link", name=t("Record the outcome", language)).click()
    check_page(page, "recording the outcome", language)
    send_empty_and_check(
        page,
        "Record the outcome and close",
        "Say how the disagreement ended.",
        "recording the outcome",
        language,
    )
    fill_date(page, "closed_on", today)
    page.get_by_label(t("Outcome", language), exact=True).fill(outcome)
    press(page, "Record the outcome and close", language)
    expect(page).to_have_url(path_is(disagreements))
    card = page.locator(f"#disagreement-{recorded.public_id}")
    expect(card).to_contain_text(outcome)
    expect(card).to_contain_text(long_date(today, language))


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_learner_moving_to_a_fife_secondary_reaches_its_lead_and_leaves_their_teacher(
    page: Page,
    live_server: Any,
    world: World,
    support_lead: User,
    language: str,
) -> None:
    today = timezone.localdate()
    pupil = enrolled_learner(world.school, year_group="P7", legal_first_name="Callum")
    teacher = make_teacher(world)
    link_staff(pupil, teacher)
    secondary = SettingFactory.create(authority=authority("Fife"), name="Kirkcaldy High School")
    fife_lead = staff_member(
        "kirkcaldy-lead@example.org", Role.SUPPORT_FOR_LEARNING_LEAD, setting=secondary
    )
    assert visible_learners(acting(teacher)).filter(pk=pupil.pk).exists()
    learner_move(
        actor=acting(support_lead),
        learner=pupil,
        to_setting=secondary,
        moved_on=today,
        year_group="S1",
        reason="The family moved to Kirkcaldy.",
    )
    record = f"/learners/{pupil.public_id}/"

    # The receiving school's lead finds the arrival in their work queue, and the record.
    sign_in_as(page, live_server.url, fife_lead, language)
    page.goto("/")
    arrival = page.locator(".stagewise-work-queue tr").filter(has_text=pupil.display_name)
    expect(arrival).to_contain_text(world.school.name)
    check_page(page, "work queue, a new arrival", language)
    arrival.get_by_role("link").click()
    expect(page).to_have_url(path_is(f"{record}moves/"))
    expect(page.locator("main table")).to_contain_text(secondary.name)
    check_page(page, "moves between schools, an arrival", language)
    page.get_by_role("link", name=t("The learner's record", language), exact=True).click()
    expect(page).to_have_url(path_is(record))
    expect(page.get_by_role("heading", level=1)).to_have_text(pupil.display_name)
    check_page(page, "the arrival's record", language)
    assert LearnerMove.objects.get(learner=pupil).acknowledged_by == fife_lead

    # The teacher who taught them at the primary no longer finds the record.
    sign_in_as(page, live_server.url, teacher, language)
    response = page.goto(record)
    assert response is not None and response.status == 404
    check_page(page, "the record, no longer there", language)
