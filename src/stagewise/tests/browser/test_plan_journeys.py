"""Plans from first draft to review: a class teacher's individualised educational programme that
a parent agrees with, a co-ordinated support plan only a local authority officer may sign off, and
a Welsh-medium school's individual development plan written in Welsh and downloaded as a PDF.

Two people work at once in two browsers: the second (a parent at home, an officer at the council)
gets their own context, so neither is signed out to let the other in.
"""

import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import translation
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, expect
from pytest_django.live_server_helper import LiveServer

from stagewise.accounts.models import User
from stagewise.conftest import World, staff_member
from stagewise.learners.models import Learner
from stagewise.organisations.models import LanguageMedium, Role
from stagewise.planning.models import Plan, PlanSection
from stagewise.planning.services import sign_off_roles_text
from stagewise.testing.factories import (
    TEST_PASSWORD,
    SettingFactory,
    authority,
    enrolled_learner,
)
from stagewise.testing.pdf import pdf_metadata, pdf_text
from stagewise.testing.plans import plan_type

from .support import (
    LANGUAGES,
    check_page,
    choose_language,
    fill_date,
    path_is,
    sign_in_as,
    sign_in_with_password,
    t,
)

INDIVIDUALISED_EDUCATIONAL_PROGRAMME = "individualised_educational_programme"
COORDINATED_SUPPORT_PLAN = "coordinated_support_plan"
INDIVIDUAL_DEVELOPMENT_PLAN = "individual_development_plan_school"


@pytest.fixture
def second_page(new_context: Callable[..., BrowserContext]) -> Iterator[Page]:
    """A second person's browser, with its own cookies; script errors fail the test here too."""
    page = new_context().new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))

    def on_console(message: ConsoleMessage) -> None:
        where = message.location.get("url", "")
        if message.type == "error" and not where.endswith("/favicon.ico"):
            problems.append(f"console error on {page.url} ({where}): {message.text}")

    page.on("console", on_console)
    yield page
    assert not problems, "\n".join(problems)


def plan_type_name(key: str, language: str) -> str:
    with translation.override(language):
        return plan_type(key).display_name


def sign_off_roles(key: str, language: str) -> str:
    with translation.override(language):
        return sign_off_roles_text(plan_type(key))


def section_title(key: str, section: str, language: str) -> str:
    with translation.override(language):
        return PlanSection.objects.get(plan_type__key=key, key=section).display_title


def section_name(key: str, section: str, language: str) -> str:
    """How a problem message names a section: by number in a plan whose sections are numbered."""
    row = PlanSection.objects.get(plan_type__key=key, key=section)
    title = section_title(key, section, language)
    if row.number:
        return t("section %(number)s, “%(title)s”", language) % {
            "number": row.number,
            "title": title,
        }
    return t("“%(title)s”", language) % {"title": title}


def success(page: Page, message: str) -> None:
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text(message)


def start_plan(page: Page, learner: Learner, key: str, starts_on: date, language: str) -> Plan:
    """From the learner's profile: the plans page, then a new draft of this type."""
    plans = f"/learners/{learner.public_id}/plans/"
    page.goto(f"/learners/{learner.public_id}/")
    check_page(page, "learner profile", language)
    page.get_by_role("link", name=t("Plans", language), exact=True).click()
    expect(page).to_have_url(path_is(plans))
    expect(page.get_by_text(t("There are no plans to show.", language))).to_be_visible()
    check_page(page, "plans before", language)

    page.get_by_role("link", name=t("Start a plan", language), exact=True).click()
    expect(page).to_have_url(path_is(f"{plans}new/"))
    check_page(page, "start a plan", language)
    page.get_by_label(plan_type_name(key, language), exact=True).check()
    fill_date(page, "starts_on", starts_on)
    # The journeys' learners have little recorded: opening a statutory plan departs from the
    # suggestion, so the reason is given (kept only when it departs).
    page.get_by_label(t("Reason for departing from the suggestion", language), exact=True).fill(
        "Agreed at the multi-agency meeting."
    )
    page.locator("input[name=departure_kind][value=professional_judgement]").check()
    page.get_by_role("button", name=t("Start plan", language), exact=True).click()

    success(page, t("The plan has been started as a draft.", language))
    expect(page.get_by_role("heading", level=1)).to_have_text(plan_type_name(key, language))
    plan = Plan.objects.get(learner=learner, plan_type__key=key)
    expect(page).to_have_url(path_is(f"{plans}{plan.public_id}/"))
    check_page(page, "draft plan", language)
    return plan


def write_section(page: Page, key: str, section: str, text: str, language: str) -> None:
    title = section_title(key, section, language)
    page.get_by_role("link", name=f"{t('Write', language)} {title}", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    check_page(page, f"write {section}", language)
    page.get_by_label(title, exact=True).fill(text)
    page.get_by_role("button", name=t("Save", language), exact=True).click()
    success(page, t("“%(section)s” has been saved.", language) % {"section": title})
    expect(page.locator(f"#section-{section}")).to_contain_text(text)


def record_views(page: Page, kind: str, speaker: str, words: str, language: str) -> None:
    """kind is "learner" or "parent"; the button chooses whose views the form starts with."""
    if kind == "learner":
        button, choice = (
            "Record the child's or young person's views",
            "The child's or young person's views",
        )
    else:
        button, choice = "Record parents' or carers' views", "Parents' or carers' views"
    page.get_by_role("link", name=t(button, language), exact=True).click()
    check_page(page, f"record {kind} views", language)
    expect(page.get_by_label(t(choice, language), exact=True)).to_be_checked()
    page.get_by_label(t("Who gave these views", language), exact=True).fill(speaker)
    page.get_by_label(t("Their views, in their own words", language), exact=True).fill(words)
    page.get_by_role("button", name=t("Record views", language), exact=True).click()
    success(page, t("The views have been recorded.", language))
    expect(page.get_by_text(words)).to_be_visible()


def add_target(
    page: Page, outcome: str, measure: str, achieve_by: date, language: str, *, errors_first: bool
) -> None:
    page.get_by_role("link", name=t("Add a target", language), exact=True).click()
    check_page(page, "add a target", language)
    page.get_by_label(t("How progress will be measured", language), exact=True).fill(measure)
    if errors_first:
        # Sent without the outcome: the GOV.UK error summary, linked to the empty question.
        page.get_by_role("button", name=t("Add target", language), exact=True).click()
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_be_visible()
        expect(summary).to_be_focused()
        error = t("Describe the target or outcome.", language)
        expect(summary.get_by_role("link", name=error)).to_have_attribute("href", "#id_outcome")
        title = f"{t('Error:', language)} {t('Add a target', language)}"
        expect(page).to_have_title(re.compile(rf"^{re.escape(title)} "))
        # What was typed is kept.
        expect(
            page.get_by_label(t("How progress will be measured", language), exact=True)
        ).to_have_value(measure)
        check_page(page, "add a target with errors", language)
    page.get_by_label(t("Target or outcome", language), exact=True).fill(outcome)
    fill_date(page, "achieve_by", achieve_by)
    page.get_by_role("button", name=t("Add target", language), exact=True).click()
    success(page, t("The target has been added.", language))
    expect(page.locator("#section-targets")).to_contain_text(outcome)


def open_support_form(page: Page, number: int, language: str) -> None:
    for_target = t("for target %(number)s", language) % {"number": number}
    page.get_by_role("link", name=f"{t('Add support', language)} {for_target}", exact=True).click()
    check_page(page, f"add support for target {number}", language)


def save_support(page: Page, description: str, language: str) -> None:
    page.get_by_role("button", name=t("Add support", language), exact=True).click()
    success(page, t("The support has been added.", language))
    expect(page.get_by_role("cell", name=description)).to_be_visible()


def finalise(page: Page, number: int, language: str) -> None:
    page.get_by_role("link", name=t("Finalise the plan", language), exact=True).click()
    check_page(page, "finalise", language)
    page.get_by_role("button", name=t("Sign off and finalise", language), exact=True).click()
    success(
        page, t("Version %(number)s of the plan has been finalised.", language) % {"number": number}
    )


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_teacher_writes_an_individualised_educational_programme_agreed_and_reviewed(
    page: Page,
    live_server: LiveServer,
    second_page: Page,
    learner: Learner,
    teacher: User,
    parent: User,
    language: str,
) -> None:
    for person in (teacher, parent):
        person.preferred_language = language
        person.save(update_fields=["preferred_language"])
    today = date.today()
    outcome = "Ailsa will read a short chapter book aloud to a partner."
    support = "Paired reading with a trained older pupil"
    words = "Ailsa is happy with the reading partner. We will read at home too."

    sign_in_as(page, live_server.url, teacher, language)
    starts_on = today - timedelta(days=14)
    plan = start_plan(page, learner, INDIVIDUALISED_EDUCATIONAL_PROGRAMME, starts_on, language)
    detail = f"/learners/{learner.public_id}/plans/{plan.public_id}/"

    # The plan's content: the required text, both sets of views, a target and its support
    write_section(
        page,
        INDIVIDUALISED_EDUCATIONAL_PROGRAMME,
        "additional_support_needs",
        "Dyslexia: reading age two years behind.",
        language,
    )
    record_views(page, "learner", "Ailsa", "I like reading when it is about animals.", language)
    record_views(page, "parent", parent.full_name, "She reads better after school.", language)
    add_target(
        page,
        outcome,
        "Words read correctly a minute, checked every fortnight",
        today + timedelta(days=120),
        language,
        errors_first=True,
    )
    open_support_form(page, 1, language)
    page.get_by_label(t("What the support is", language), exact=True).fill(support)
    page.get_by_label(t("Member of staff who provides it", language), exact=True).select_option(
        label=teacher.full_name
    )
    page.get_by_label(t("How often", language), exact=True).fill("Three times a week")
    page.get_by_label(t("Minutes a week", language), exact=True).fill("60")
    expect(page.locator("input[name=starts_on_2]")).to_have_value(str(starts_on.year))
    save_support(page, support, language)

    # A class teacher may sign off an individualised educational programme
    expect(page.locator("#next-step")).to_contain_text(
        t("Finalise the plan. Who may sign it off: %(roles)s.", language)
        % {"roles": sign_off_roles(INDIVIDUALISED_EDUCATIONAL_PROGRAMME, language)}
    )
    finalise(page, 1, language)
    expect(page.locator("#section-sign_off")).to_contain_text(teacher.full_name)
    expect(page.get_by_role("link", name=t("Add a target", language))).to_have_count(0)
    expect(page.locator("#next-step")).to_contain_text(
        t("Share the plan with the family and record who received it.", language)
    )
    check_page(page, "finalised plan", language)

    page.get_by_role("link", name=t("Record who received the plan", language), exact=True).click()
    check_page(page, "record who received the plan", language)
    page.get_by_label(t("Who received the plan", language), exact=True).fill(parent.full_name)
    page.get_by_label(t("Parent or carer", language), exact=True).check()
    page.get_by_label(t("Shared in Stagewise", language), exact=True).check()
    page.get_by_role("button", name=t("Record", language), exact=True).click()
    success(page, t("Who received the plan has been recorded.", language))
    shared = page.locator("#communication").get_by_role("row").filter(has_text=parent.full_name)
    expect(shared).to_contain_text(t("Shared in Stagewise", language))

    # The parent, at home, finds the plan from their child's page and agrees with it
    second_page.goto("/accounts/login/")
    choose_language(second_page, language)
    sign_in_with_password(second_page, parent.email, TEST_PASSWORD, language)
    expect(second_page).to_have_url(path_is("/"))
    check_page(second_page, "family home", language)
    second_page.get_by_role("link", name=learner.display_name, exact=True).click()
    check_page(second_page, "family profile", language)
    second_page.get_by_role(
        "link", name=t("Plans, and your views on them", language), exact=True
    ).click()
    check_page(second_page, "family plans", language)
    second_page.get_by_role(
        "link", name=plan_type_name(INDIVIDUALISED_EDUCATIONAL_PROGRAMME, language), exact=True
    ).click()
    expect(second_page).to_have_url(path_is(detail))
    expect(second_page.get_by_text(outcome)).to_be_visible()
    expect(second_page.get_by_text(t("Staff-only notes", language))).to_have_count(0)
    check_page(second_page, "family plan", language)

    second_page.get_by_role("link", name=t("Respond to the plan", language), exact=True).click()
    check_page(second_page, "respond to the plan", language)
    second_page.get_by_label(t("I agree with the plan", language), exact=True).check()
    second_page.get_by_label(
        t("Anything you want to say about the plan", language), exact=True
    ).fill(words)
    second_page.get_by_role("button", name=t("Send response", language), exact=True).click()
    success(second_page, t("Thank you. Your response has been sent to the school.", language))
    expect(second_page.get_by_text(words)).to_be_visible()
    check_page(second_page, "family plan after responding", language)

    # The teacher sees the agreement, puts the support in place and reviews the plan
    page.reload()
    responses = page.locator("#communication")
    expect(responses.get_by_text(t("I agree with the plan", language), exact=True)).to_be_visible()
    expect(responses).to_contain_text(parent.full_name)
    expect(responses.get_by_text(words)).to_be_visible()
    expect(page.locator("#next-step")).to_contain_text(
        t("Record when the support is in place.", language)
    )
    check_page(page, "plan with the family's response", language)

    page.get_by_role(
        "link", name=t("Record that support is in place", language), exact=True
    ).click()
    check_page(page, "record that support is in place", language)
    page.get_by_role("button", name=t("Save", language), exact=True).click()
    success(page, t("The plan is now active.", language))

    page.get_by_role("link", name=t("Record a review", language), exact=True).click()
    check_page(page, "record a review", language)
    page.get_by_label(t("Who attended", language), exact=True).fill(
        f"{teacher.full_name}, class teacher; {parent.full_name}, parent; Ailsa"
    )
    page.get_by_role(
        "group",
        name=t("Target %(number)s: %(outcome)s", language) % {"number": 1, "outcome": outcome},
    ).get_by_label(t("Partly achieved", language), exact=True).check()
    evidence = "Reads 45 words a minute, up from 30; still slow with new words."
    page.get_by_label(
        t("Evidence for target %(number)s", language) % {"number": 1}, exact=True
    ).fill(evidence)
    page.get_by_label(t("Continue the plan as it is", language), exact=True).check()
    fill_date(page, "next_review_on", today + timedelta(days=180))
    page.get_by_role("button", name=t("Record review", language), exact=True).click()
    success(page, t("The review has been recorded.", language))
    expect(page.locator("#reviews")).to_contain_text(evidence)
    check_page(page, "reviewed plan", language)

    page.get_by_role("link", name=t("Progress across all reviews", language), exact=True).click()
    expect(page).to_have_url(path_is(f"/learners/{learner.public_id}/plans/progress/"))
    expect(page.get_by_text(evidence)).to_be_visible()
    expect(page.get_by_text(t("Partly achieved", language), exact=True)).to_be_visible()
    check_page(page, "progress across reviews", language)


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_support_lead_writes_a_coordinated_support_plan_an_authority_officer_signs_it_off(
    page: Page,
    live_server: LiveServer,
    second_page: Page,
    world: World,
    learner: Learner,
    support_lead: User,
    authority_officer: User,
    language: str,
) -> None:
    for person in (support_lead, authority_officer):
        person.preferred_language = language
        person.save(update_fields=["preferred_language"])
    today = date.today()
    outcome = "Ailsa will take part in a whole-class discussion using her communication aid."
    support = "Speech and language therapy: setting up and teaching the communication aid"
    roles = sign_off_roles(COORDINATED_SUPPORT_PLAN, language)

    sign_in_as(page, live_server.url, support_lead, language)
    plan = start_plan(page, learner, COORDINATED_SUPPORT_PLAN, today - timedelta(days=7), language)
    detail = f"/learners/{learner.public_id}/plans/{plan.public_id}/"

    # Every required section but the authority's contact officer, which comes later
    for section, text in [
        ("skills_and_capabilities", "Strong visual memory; enjoys number work."),
        ("factors", "Cerebral palsy affecting speech and fine motor skills."),
        ("coordinator", "Morag Kerr, support-for-learning lead, Riverside Primary School."),
    ]:
        write_section(page, COORDINATED_SUPPORT_PLAN, section, text, language)
    record_views(page, "learner", "Ailsa", "I want to answer questions in class.", language)
    record_views(page, "parent", "Claire Campbell, mum", "Speech therapy has helped.", language)
    add_target(
        page,
        outcome,
        "Contributions in class discussions, logged weekly by the class teacher",
        today + timedelta(days=300),
        language,
        errors_first=False,
    )
    open_support_form(page, 1, language)
    page.get_by_label(t("What the support is", language), exact=True).fill(support)
    page.get_by_label(t("Agency that provides it", language), exact=True).select_option(
        label=world.agency.name
    )
    page.get_by_label(t("How often", language), exact=True).fill("Once a fortnight")
    page.get_by_label(t("Minutes a week", language), exact=True).fill("30")
    save_support(page, support, language)
    expect(page.locator("#section-providers")).to_contain_text(world.agency.name)
    expect(page.locator("#section-nominated_school")).to_contain_text(world.school.name)

    # A co-ordinated support plan is not the school's to sign off
    expect(page.get_by_role("link", name=t("Finalise the plan", language))).to_have_count(0)
    expect(
        page.get_by_text(
            t("When the plan is complete, it is signed off by one of: %(roles)s.", language)
            % {"roles": roles}
        )
    ).to_be_visible()
    # Even at the finalise address, the lead is told who signs it off and offered no button.
    page.goto(f"{detail}finalise/")
    check_page(page, "finalise, as the lead", language)
    expect(
        page.get_by_text(
            t("You cannot sign off this plan. It is signed off by one of: %(roles)s.", language)
            % {"roles": roles}
        )
    ).to_be_visible()
    expect(
        page.get_by_role("button", name=t("Sign off and finalise", language), exact=True)
    ).to_have_count(0)
    assert not plan.versions.exists()

    # The authority officer looks too early: the finalise page names what is missing
    sign_in_as(second_page, live_server.url, authority_officer, language)
    second_page.goto(f"/learners/{learner.public_id}/")
    check_page(second_page, "learner profile, as the officer", language)
    second_page.get_by_role("link", name=t("Plans", language), exact=True).click()
    check_page(second_page, "plans, as the officer", language)
    second_page.get_by_role(
        "link", name=plan_type_name(COORDINATED_SUPPORT_PLAN, language), exact=True
    ).click()
    expect(second_page).to_have_url(path_is(detail))
    check_page(second_page, "draft plan, as the officer", language)
    finalise_early = second_page.get_by_role(
        "link", name=t("Finalise the plan", language), exact=True
    )
    finalise_early.click()
    check_page(second_page, "finalise, as the officer", language)
    second_page.get_by_role("button", name=t("Sign off and finalise", language), exact=True).click()
    missing = t("Complete %(section)s.", language) % {
        "section": section_name(COORDINATED_SUPPORT_PLAN, "contact_officer", language)
    }
    summary = second_page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("listitem")).to_have_text([missing])
    check_page(second_page, "finalise with a section missing", language)
    assert not plan.versions.exists()

    # The lead adds the contact officer; the officer signs the plan off
    page.goto(detail)
    write_section(
        page,
        COORDINATED_SUPPORT_PLAN,
        "contact_officer",
        f"{authority_officer.full_name}, Glasgow City Council Education Services",
        language,
    )
    expect(page.locator("#next-step")).to_contain_text(
        t("Finalise the plan. Who may sign it off: %(roles)s.", language) % {"roles": roles}
    )

    second_page.goto(detail)
    finalise(second_page, 1, language)
    expect(second_page.locator("#section-sign_off")).to_contain_text(authority_officer.full_name)
    check_page(second_page, "finalised plan, as the officer", language)

    page.reload()
    page.get_by_role(
        "link", name=t("Version %(number)s", language) % {"number": 1}, exact=True
    ).click()
    expect(page).to_have_url(path_is(f"{detail}versions/1/"))
    expect(page.locator("#section-sign_off")).to_contain_text(authority_officer.full_name)
    expect(page.locator("#section-contact_officer")).to_contain_text("Glasgow City Council")
    check_page(page, "finalised version", language)


@pytest.fixture
def welsh_learner() -> Learner:
    """A pupil at a Welsh-medium primary school in Cardiff."""
    school = SettingFactory.create(
        authority=authority("Cardiff"),
        name="Ysgol Gymraeg Glan Taf",
        name_cy="Ysgol Gymraeg Glan Taf",
        language_medium=LanguageMedium.WELSH,
    )
    return enrolled_learner(
        school, year_group="Y5", legal_first_name="Elin", legal_last_name="Davies"
    )


@pytest.fixture
def alnco(welsh_learner: Learner) -> User:
    """The school's additional learning needs co-ordinator, who works in Welsh."""
    school = welsh_learner.enrolments.get().setting
    user = staff_member("alnco@example.org", Role.SUPPORT_FOR_LEARNING_LEAD, setting=school)
    user.full_name = "Siân Roberts"
    user.preferred_language = "cy"
    user.save(update_fields=["full_name", "preferred_language"])
    return user


@pytest.mark.browser
def test_alnco_writes_an_individual_development_plan_in_welsh_and_downloads_it(
    page: Page, live_server: LiveServer, welsh_learner: Learner, alnco: User
) -> None:
    language = "cy"
    today = date.today()
    outcome = "Bydd Elin yn darllen llyfr stori byr yn uchel i ffrind."
    provision = "Grŵp darllen bach gyda chynorthwyydd addysgu"

    sign_in_as(page, live_server.url, alnco, language)
    plan = start_plan(
        page, welsh_learner, INDIVIDUAL_DEVELOPMENT_PLAN, today - timedelta(days=7), language
    )
    detail = f"/learners/{welsh_learner.public_id}/plans/{plan.public_id}/"

    # The one-page profile and the description of her additional learning needs, in Welsh
    for section, text in [
        ("like_and_admire", "Mae Elin yn garedig ac yn gwneud i bawb chwerthin."),
        ("important_to_me", "Mae fy nghi, Mot, a chwarae pêl-droed yn bwysig i mi."),
        ("how_best_to_support", "Rhowch amser i mi feddwl cyn ateb."),
        ("description_of_needs", "Dyslecsia: mae darllen ac ysgrifennu yn anodd i Elin."),
    ]:
        write_section(page, INDIVIDUAL_DEVELOPMENT_PLAN, section, text, language)
    record_views(page, "learner", "Elin", "Dw i'n hoffi darllen am anifeiliaid.", language)
    record_views(page, "parent", "Rhian Davies, mam Elin", "Mae hi'n mwynhau'r ysgol.", language)
    add_target(
        page,
        outcome,
        "Nifer y geiriau a ddarllenir yn gywir mewn munud, bob pythefnos",
        today + timedelta(days=150),
        language,
        errors_first=False,
    )
    open_support_form(page, 1, language)
    page.get_by_label(t("What the support is", language), exact=True).fill(provision)
    page.get_by_label(t("Or someone else: name and role", language), exact=True).fill(
        "Huw Jones, cynorthwyydd addysgu"
    )
    page.get_by_label(t("How often", language), exact=True).fill("Tair gwaith yr wythnos")
    page.get_by_label(t("Minutes a week", language), exact=True).fill("90")
    page.get_by_role(
        "group", name=t("Is this provision delivered in Welsh?", language)
    ).get_by_label(t("Yes", language), exact=True).check()
    save_support(page, provision, language)
    provision_row = page.get_by_role("row").filter(has_text=provision)
    expect(provision_row.get_by_role("cell", name=t("Yes", language), exact=True)).to_be_visible()

    # The ALNCo may sign off a plan the school maintains
    finalise(page, 1, language)
    expect(page.locator("#section-sign_off")).to_contain_text(alnco.full_name)
    check_page(page, "finalised individual development plan", language)

    with page.expect_download() as download_info:
        page.get_by_role("link", name=t("Download PDF in Welsh", language), exact=True).click()
    download = download_info.value
    assert download.suggested_filename == f"plan-{INDIVIDUAL_DEVELOPMENT_PLAN}-v1-cy.pdf"
    pdf = Path(download.path()).read_bytes()
    assert pdf.startswith(b"%PDF-")
    metadata = pdf_metadata(pdf)
    assert metadata["language"] == "cy"
    assert metadata["title"].startswith(plan_type_name(INDIVIDUAL_DEVELOPMENT_PLAN, language))
    text = pdf_text(pdf)
    assert section_title(INDIVIDUAL_DEVELOPMENT_PLAN, "description_of_needs", language) in text
    assert outcome in text
    expect(page).to_have_url(path_is(detail))
