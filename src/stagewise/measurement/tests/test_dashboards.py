"""The measures dashboards: a school's leaders see their school, an authority's officer their
authority with its schools compared, the national analyst the nation with its authorities
compared; each reads only the summary figures; figures that leave an authority are about 5 or
more learners or withheld; nobody else learns that a school or authority has figures at all.

The world (built once for this module): Glasgow City has Riverside Primary (led by
`support_lead` and `head`, where `teacher` teaches) and Hillhead Primary; Fife has Harbourside
Primary. `analyst` works for Scotland; `welsh_analyst` for Wales. The summary figures are written
here as the refresh task would leave them, for attendance in 2024/25 and 2025/26 and exclusions
in 2025/26: Riverside's attendance for learners with additional support needs is 85.0% (170 of
200 sessions, 3 learners); Hillhead's 90.0% (9,000 of 10,000 sessions, 50 learners).
"""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stagewise.accounts.models import User
from stagewise.audit.models import AuditEvent
from stagewise.conftest import staff_member
from stagewise.measurement.models import FundingAllocation, Measure
from stagewise.organisations.models import LocalAuthority, Nation, Role, Setting
from stagewise.testing.factories import (
    AgencyFactory,
    SettingFactory,
    UserFactory,
    authority,
    enrolled_learner,
    involve_agency,
    link_carer,
)
from stagewise.testing.measures import summary
from stagewise.testing.worlds import built_once_per_module

pytestmark = pytest.mark.django_db


@dataclass
class DashboardWorld:
    users: dict[str, User]
    riverside: Setting
    hillhead: Setting
    harbourside: Setting
    glasgow: LocalAuthority
    fife: LocalAuthority

    def client(self, actor: str) -> Client:
        client = Client()
        client.force_login(self.users[actor])
        return client


def _build() -> DashboardWorld:
    glasgow = authority("Glasgow City")
    fife = authority("Fife")
    scotland = glasgow.nation
    riverside = SettingFactory.create(authority=glasgow, name="Riverside Primary School")
    hillhead = SettingFactory.create(authority=glasgow, name="Hillhead Primary School")
    harbourside = SettingFactory.create(authority=fife, name="Harbourside Primary School")
    learner = enrolled_learner(riverside, legal_first_name="Ailsa", legal_last_name="Campbell")
    agency = AgencyFactory.create(authority=glasgow, name="Glasgow Speech and Language Therapy")
    involve_agency(learner, agency)
    users = {
        "teacher": staff_member("teacher@example.org", Role.CLASS_TEACHER, setting=riverside),
        "support_lead": staff_member(
            "lead@example.org", Role.SUPPORT_FOR_LEARNING_LEAD, setting=riverside
        ),
        "head": staff_member("head@example.org", Role.HEAD_TEACHER, setting=riverside),
        "hillhead_head": staff_member("hh@example.org", Role.HEAD_TEACHER, setting=hillhead),
        "authority_officer": staff_member(
            "officer@example.org", Role.LOCAL_AUTHORITY_OFFICER, authority=glasgow
        ),
        "other_authority_officer": staff_member(
            "fife@example.org", Role.LOCAL_AUTHORITY_OFFICER, authority=fife
        ),
        "psychologist": staff_member(
            "ep@example.org", Role.EDUCATIONAL_PSYCHOLOGIST, authority=glasgow
        ),
        "analyst": staff_member("analyst@example.org", Role.NATIONAL_ANALYST, nation=scotland),
        "welsh_analyst": staff_member(
            "dadansoddwr@example.org",
            Role.NATIONAL_ANALYST,
            nation=Nation.objects.get(code=Nation.WALES),
        ),
        "administrator": staff_member("admin@example.org", Role.SYSTEM_ADMINISTRATOR),
        "agency_practitioner": staff_member(
            "slt@example.org", Role.AGENCY_PRACTITIONER, agency=agency
        ),
        "service_manager": staff_member(
            "slt-lead@example.org", Role.SERVICE_MANAGER, agency=agency
        ),
        "parent": UserFactory.create(email="parent@example.org"),
        "young_person": UserFactory.create(email="ailsa@example.org"),
    }
    link_carer(learner, user=users["parent"], portal_access=True)
    learner.young_person_account = users["young_person"]
    learner.save(update_fields=["young_person_account"])
    for year, riverside_attended in ((2024, 160), (2025, 170)):
        summary(
            riverside,
            "attendance_rate",
            year,
            needs=True,
            learners=3,
            numerator=riverside_attended,
            denominator=200,
        )
        summary(
            riverside,
            "attendance_rate",
            year,
            needs=False,
            learners=40,
            numerator=4600,
            denominator=5000,
        )
        summary(
            hillhead,
            "attendance_rate",
            year,
            needs=True,
            learners=50,
            numerator=9000,
            denominator=10000,
        )
        summary(
            hillhead,
            "attendance_rate",
            year,
            needs=False,
            learners=60,
            numerator=11040,
            denominator=12000,
        )
        summary(
            glasgow,
            "attendance_rate",
            year,
            needs=True,
            learners=53,
            numerator=9000 + riverside_attended,
            denominator=10200,
        )
        summary(
            glasgow,
            "attendance_rate",
            year,
            needs=False,
            learners=100,
            numerator=15640,
            denominator=17000,
        )
        summary(
            fife, "attendance_rate", year, needs=True, learners=20, numerator=3480, denominator=4000
        )
        summary(
            fife, "attendance_rate", year, needs=False, learners=2, numerator=370, denominator=400
        )
        summary(
            scotland,
            "attendance_rate",
            year,
            needs=True,
            learners=73,
            numerator=12480 + riverside_attended,
            denominator=14200,
        )
        summary(
            scotland,
            "attendance_rate",
            year,
            needs=False,
            learners=102,
            numerator=16010,
            denominator=17400,
        )
    summary(
        riverside,
        "exclusions_per_thousand",
        2025,
        needs=True,
        learners=3,
        numerator=1,
        denominator=3,
    )
    summary(
        riverside,
        "attendance_rate",
        2025,
        needs=True,
        learners=2,
        numerator=80,
        denominator=100,
        breakdown="sex",
        value="female",
    )
    summary(
        glasgow,
        "attendance_rate",
        2025,
        needs=True,
        learners=2,
        numerator=80,
        denominator=100,
        breakdown="sex",
        value="female",
    )
    summary(
        glasgow,
        "attendance_rate",
        2025,
        needs=True,
        learners=51,
        numerator=9090,
        denominator=10100,
        breakdown="sex",
        value="male",
    )
    return DashboardWorld(users, riverside, hillhead, harbourside, glasgow, fife)


@pytest.fixture(scope="module")
def built(django_db_setup: None, django_db_blocker: object) -> Iterator[DashboardWorld]:
    with built_once_per_module(_build, django_db_blocker) as world:
        yield world


def dashboard_url(level: str, key: object) -> str:
    return reverse("dashboards:dashboard", args=[level, str(key)])


def measure_url(level: str, key: object, code: str) -> str:
    return reverse("dashboards:measure", args=[level, str(key), code])


def test_the_analysts_home_page_is_the_nations_dashboard_of_the_four_principles(built):
    page = built.client("analyst").get("/").content.decode()
    assert "Measures of inclusion: Scotland" in page
    for principle in ("Present", "Supported"):
        assert principle in page
    # The nation's attendance, 2025/26: 12,650 of 14,200 sessions and 16,010 of 17,400.
    assert "89.1%" in page and "92.0%" in page and "-2.9%" in page


def test_the_school_leaders_see_their_school_with_every_figure_as_it_is(built):
    for who in ("support_lead", "head"):
        response = built.client(who).get(dashboard_url("school", built.riverside.pk))
        page = response.content.decode()
        assert response.status_code == 200
        # 3 learners with needs: inside the school, shown (170 of 200 sessions).
        assert "85.0%" in page and "92.0%" in page
        assert "2024/25" in page and "2025/26" in page


def test_the_school_is_compared_with_its_authority_and_nation_through_disclosure_control(built):
    page = built.client("support_lead").get(dashboard_url("school", built.riverside.pk))
    text = page.content.decode()
    assert "Glasgow City, 2025/26" in text and "Scotland, 2025/26" in text


# Who may open each scope's dashboard, its measure pages and their CSV: everyone else gets 404.
EVERY_ACTOR = [
    "teacher",
    "support_lead",
    "head",
    "hillhead_head",
    "authority_officer",
    "other_authority_officer",
    "psychologist",
    "agency_practitioner",
    "service_manager",
    "analyst",
    "welsh_analyst",
    "administrator",
    "parent",
    "young_person",
]
OPENS = {
    ("nation", "scotland"): {"analyst"},
    ("nation", "wales"): {"welsh_analyst"},
    ("authority", "glasgow-city"): {"authority_officer", "analyst"},
    ("authority", "fife"): {"other_authority_officer", "analyst"},
    ("school", "riverside"): {"support_lead", "head", "authority_officer", "analyst"},
    ("school", "hillhead"): {"hillhead_head", "authority_officer", "analyst"},
    ("school", "harbourside"): {"other_authority_officer", "analyst"},
}
OWN_DASHBOARD = {
    "support_lead": ("school", "riverside"),
    "head": ("school", "riverside"),
    "hillhead_head": ("school", "hillhead"),
    "authority_officer": ("authority", "glasgow-city"),
    "other_authority_officer": ("authority", "fife"),
    "analyst": ("nation", "scotland"),
    "welsh_analyst": ("nation", "wales"),
}


def address_key(built: DashboardWorld, level: str, name: str) -> str:
    if level != "school":
        return name
    return str(getattr(built, name).pk)


@pytest.mark.parametrize("actor", EVERY_ACTOR)
def test_every_role_against_every_dashboard_its_measure_pages_and_their_csv(built, actor):
    client = built.client(actor)
    for (level, name), openers in OPENS.items():
        key = address_key(built, level, name)
        code = "curriculum_progress" if name == "wales" else "attendance_rate"
        expected = 200 if actor in openers else 404
        reports = (
            [reverse("dashboards:annual_report", args=[level, key])] if level != "school" else []
        )
        if level == "authority":
            reports.append(reverse("dashboards:funding", args=[key]))
        for url in (
            *reports,
            dashboard_url(level, key),
            dashboard_url(level, key) + "?format=csv",
            measure_url(level, key, code),
            measure_url(level, key, code) + "?format=csv&by=sex",
        ):
            assert client.get(url).status_code == expected, (actor, url)
    own = client.get(reverse("dashboards:own"))
    if actor in OWN_DASHBOARD:
        level, name = OWN_DASHBOARD[actor]
        assert own["Location"] == dashboard_url(level, address_key(built, level, name))
    else:
        assert own.status_code == 404


def test_the_officer_compares_their_authoritys_schools_with_every_figure_shown(built):
    client = built.client("authority_officer")
    assert client.get(reverse("dashboards:own"))["Location"] == dashboard_url(
        "authority", "glasgow-city"
    )
    page = client.get(measure_url("authority", "glasgow-city", "attendance_rate")).content.decode()
    assert "Schools compared" in page
    assert "Riverside Primary School" in page and "Hillhead Primary School" in page
    assert "85.0%" in page and "90.0%" in page
    # The officer may look at any school in their authority, and none in another.
    assert client.get(dashboard_url("school", built.hillhead.pk)).status_code == 200
    assert client.get(dashboard_url("school", built.harbourside.pk)).status_code == 404
    assert client.get(dashboard_url("authority", "fife")).status_code == 404


def test_the_analyst_compares_authorities_and_never_sees_a_figure_about_fewer_than_5(built):
    client = built.client("analyst")
    page = client.get(measure_url("nation", "scotland", "attendance_rate")).content.decode()
    assert "Local authorities compared" in page
    # Fife's learners without needs are 2: withheld, and the gap with them.
    assert "92.5%" not in page
    assert "87.0%" in page and "withheld" in page
    # Drilling into Glasgow: Riverside's 3 learners with needs are withheld; Hillhead's shown.
    page = client.get(measure_url("authority", "glasgow-city", "attendance_rate")).content.decode()
    assert "90.0%" in page and "85.0%" not in page
    csv_text = client.get(
        measure_url("authority", "glasgow-city", "attendance_rate") + "?format=csv"
    ).content.decode("utf-8-sig")
    assert "85.0" not in csv_text and "withheld" in csv_text


def test_a_filter_that_leaves_fewer_than_5_learners_shows_the_figure_withheld(built):
    url = measure_url("authority", "glasgow-city", "attendance_rate") + "?learners=sex:female"
    analyst_page = built.client("analyst").get(url).content.decode()
    assert "80.0%" not in analyst_page and "withheld" in analyst_page
    officer_page = built.client("authority_officer").get(url).content.decode()
    assert "80.0%" in officer_page


def test_a_measure_by_breakdown_lists_each_value(built):
    url = measure_url("authority", "glasgow-city", "attendance_rate") + "?by=sex"
    page = built.client("authority_officer").get(url).content.decode()
    assert "Female" in page and "Male" in page and "90.0%" in page


def test_a_choice_not_on_the_list_is_an_error_to_fix_not_a_failure(built):
    response = built.client("analyst").get(
        dashboard_url("nation", "scotland") + "?year=1999&learners=nonsense"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose a school year from the list." in page
    assert "Choose which learners from the list." in page
    assert "govuk-error-summary" in page


def test_the_csv_has_every_figure_the_page_shows(built):
    response = built.client("support_lead").get(
        dashboard_url("school", built.riverside.pk) + "?format=csv"
    )
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Measure,Principle,Area,School year")
    assert any("Riverside Primary School,2025/26" in line and "85.0%" in line for line in lines)
    assert any(line.startswith("Exclusions") and "333.3" in line for line in lines)


def test_an_unknown_measure_or_scope_is_not_found(built):
    client = built.client("analyst")
    assert client.get(measure_url("nation", "scotland", "no-such-measure")).status_code == 404
    assert client.get(measure_url("nation", "scotland", "curriculum_progress")).status_code == 404
    assert client.get(dashboard_url("nation", "wales")).status_code == 404
    assert client.get(dashboard_url("planet", "earth")).status_code == 404
    assert client.get(dashboard_url("school", "not-a-number")).status_code == 404


def test_a_dashboard_reads_the_same_number_of_queries_however_many_schools_and_years(built):
    client = built.client("authority_officer")
    url = measure_url("authority", "glasgow-city", "attendance_rate")
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for number in range(6):
        school = SettingFactory.create(authority=built.glasgow, name=f"New School {number}")
        for year in (2022, 2023):
            summary(
                school,
                "attendance_rate",
                year,
                needs=True,
                learners=9,
                numerator=90,
                denominator=100,
            )
        summary(
            built.glasgow,
            "attendance_rate",
            2014 + number,
            needs=True,
            learners=9,
            numerator=90,
            denominator=100,
        )
    with CaptureQueriesContext(connection) as after:
        response = client.get(url)
    assert "New School 5" in response.content.decode()
    assert len(after.captured_queries) == len(before.captured_queries)
    dashboard = dashboard_url("nation", "scotland")
    analyst = built.client("analyst")
    analyst.get(dashboard)
    with CaptureQueriesContext(connection) as overview:
        analyst.get(dashboard)
    assert len(overview.captured_queries) <= 16


# The annual report -------------------------------------------------------------------------------


def report_url(level: str, key: str) -> str:
    return reverse("dashboards:annual_report", args=[level, key])


def test_the_nations_annual_report_names_what_improved_in_sentences_made_from_the_figures(built):
    page = built.client("analyst").get(report_url("nation", "scotland")).content.decode()
    assert "annual report 2025/26" in page
    # 12,640 of 14,200 sessions in 2024/25 (89.0%), 12,650 in 2025/26 (89.1%).
    assert (
        "Attendance for learners with additional support needs was 89.1%, up 0.1 percentage "
        "points from 89.0% in 2024/25." in page
    )
    assert "Successes and achievements" in page


def test_an_authoritys_report_compares_it_with_the_nation_and_withholds_small_groups(built):
    page = built.client("other_authority_officer").get(report_url("authority", "fife"))
    text = page.content.decode()
    assert "Scotland, 2025/26" in text
    # Fife's 2 learners without needs: the officer's dashboard shows them, the report does not.
    assert "92.5%" not in text and "withheld" in text
    dashboard = built.client("other_authority_officer").get(dashboard_url("authority", "fife"))
    assert "92.5%" in dashboard.content.decode()


def test_schools_have_dashboards_but_no_annual_report(built):
    url = report_url("school", str(built.riverside.pk))
    assert built.client("support_lead").get(url).status_code == 404
    assert built.client("analyst").get(url).status_code == 404


def test_the_annual_report_is_a_tagged_pdf_in_the_readers_language(built):
    analyst = built.users["analyst"]
    analyst.preferred_language = "cy"
    analyst.save(update_fields=["preferred_language"])
    response = built.client("analyst").get(report_url("nation", "scotland") + "?format=pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "-cy.pdf" in response["Content-Disposition"]


# Additional funding beside the measures it was meant to change ----------------------------------


def funding_url(key: str) -> str:
    return reverse("dashboards:funding", args=[key])


def funding_form(**changes: object) -> dict[str, object]:
    attendance = Measure.objects.get(code="attendance_rate").pk
    return {
        "school_year": "2025",
        "amount": "250000",
        "source": "Scottish Government additional support for learning fund",
        "purpose": "Pupil support assistants in every primary school.",
        "measures": [attendance],
    } | changes


def test_the_officer_records_funding_and_sees_it_beside_the_measure_it_was_meant_to_change(built):
    client = built.client("authority_officer")
    response = client.post(funding_url("glasgow-city"), funding_form())
    assert response.status_code == 302
    page = client.get(funding_url("glasgow-city")).content.decode()
    assert "2025/26: £250,000.00" in page
    assert "Pupil support assistants in every primary school." in page
    # Glasgow's learners with needs: 89.8% in 2024/25 (9,160 of 10,200), 89.9% in 2025/26.
    assert "89.8%" in page and "89.9%" in page and "Better" in page
    allocation = FundingAllocation.objects.get(authority=built.glasgow)
    assert AuditEvent.objects.filter(
        object_type="funding_allocation", object_id=str(allocation.public_id), action="create"
    ).exists()


def test_the_analyst_reads_an_authoritys_funding_but_records_none(built):
    FundingAllocation.objects.create(
        authority=built.fife, school_year=2025, amount=1000, source="Fund", purpose="Training"
    ).measures.set(Measure.objects.filter(code="attendance_rate"))
    client = built.client("analyst")
    page = client.get(funding_url("fife")).content.decode()
    assert "£1,000.00" in page and "Record additional funding" not in page
    assert client.post(funding_url("fife"), funding_form()).status_code == 404
    assert FundingAllocation.objects.filter(authority=built.fife).count() == 1


def test_funding_without_a_measure_or_with_a_wrong_amount_is_sent_back_saying_what_to_fix(built):
    client = built.client("authority_officer")
    response = client.post(
        funding_url("glasgow-city"), funding_form(measures=[], amount="-5", source="")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose at least one measure it is meant to change." in page
    assert "Enter where the funding came from." in page
    assert "govuk-error-summary" in page
    welsh_measure = Measure.objects.get(code="curriculum_progress").pk
    response = client.post(funding_url("glasgow-city"), funding_form(measures=[welsh_measure]))
    assert response.status_code == 200
    assert not FundingAllocation.objects.filter(authority=built.glasgow).exists()


def test_only_the_authoritys_own_officer_removes_an_allocation(built):
    allocation = FundingAllocation.objects.create(
        authority=built.glasgow, school_year=2025, amount=1000, source="Fund", purpose="Training"
    )
    url = reverse("dashboards:funding_remove", args=["glasgow-city", allocation.public_id])
    for outsider in ("other_authority_officer", "analyst", "support_lead"):
        assert built.client(outsider).post(url).status_code == 404
    other_url = reverse("dashboards:funding_remove", args=["fife", allocation.public_id])
    assert built.client("other_authority_officer").post(other_url).status_code == 404
    assert built.client("authority_officer").post(url).status_code == 302
    assert not FundingAllocation.objects.filter(pk=allocation.pk).exists()


def test_targets_achieved_by_plan_type_names_each_type_and_learners_without_a_plan(built):
    """The plan type breakdown's values are plan type keys and "no_plan" (refresh_roll.py):
    the page names them in the reader's language."""
    for breakdown, value, learners, achieved in (
        ("all", "", 48, 21),
        ("plan_type", "individualised_educational_programme", 30, 18),
        ("plan_type", "coordinated_support_plan", 6, 3),
        ("plan_type", "no_plan", 12, 0),
    ):
        summary(
            built.glasgow,
            "targets_achieved",
            2025,
            needs=True,
            learners=learners,
            numerator=achieved,
            denominator=learners,
            breakdown=breakdown,
            value=value,
        )
    url = measure_url("authority", "glasgow-city", "targets_achieved") + "?by=plan_type"
    page = built.client("authority_officer").get(url).content.decode()
    assert "Individualised educational programme" in page and "60.0%" in page
    assert "Co-ordinated support plan" in page and "50.0%" in page
    assert "No plan" in page
    filtered = built.client("authority_officer").get(
        measure_url("authority", "glasgow-city", "targets_achieved")
        + "?learners=plan_type:coordinated_support_plan"
    )
    assert "Type of plan: Co-ordinated support plan" in filtered.content.decode()
