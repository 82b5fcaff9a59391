"""Census returns: the Scottish pupil census additional support needs items and the Welsh PLASC
ALN items, per school and per authority, checked before they are offered.

The world (built once for this module), on the census day 17 September 2025 (Scotland) and
20 January 2026 (Wales):

- Glasgow City: Riverside Primary (SEED code 8430001; `head` and `support_lead` lead it, `teacher`
  teaches there) and Hillhead Primary (8430002). Fife: Harbourside Primary, led by `fife_head`.
- At Riverside, Ailsa Campbell has autism (assessed as disabled) and family issues, and both an
  IEP and a co-ordinated support plan in force; Ben Shaw has dyslexia and no plan; Cara Lin has a
  child's plan for a social, emotional and behavioural difficulty declared as disabled; Dan Moir
  has no need or plan (not in the return); Eve Hart's need was resolved before the census day.
- At Hillhead, Iain Ross has English as an additional language and no plan.
- Cardiff: Ysgol Glan Taf (6812001), led by `alnco`: Gwen Jones has ASD and SLCD and an IDP the
  school keeps; Huw Davies, looked after, has MLD and an IDP the local authority keeps.

Riverside's, Hillhead's and Glan Taf's returns pass their checks as built; each test that needs a
problem makes it (and the module's transaction rolls every test back).
"""

import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stagewise.accounts.actors import actors_for
from stagewise.accounts.models import User
from stagewise.audit.models import AuditAction, AuditEvent
from stagewise.conftest import staff_member
from stagewise.learners.models import Disability, Enrolment, Learner, Need
from stagewise.measurement.census import census_return_get, census_scope
from stagewise.measurement.census_codes import CENSUS_CODES
from stagewise.organisations.models import Role, Setting
from stagewise.planning.models import Plan, PlanStatus, PlanType
from stagewise.statutory.models import ReasonForSupport
from stagewise.testing.audit import learner_of
from stagewise.testing.factories import (
    SettingFactory,
    add_need,
    authority,
    enrolled_learner,
)
from stagewise.testing.worlds import built_once_per_module

pytestmark = pytest.mark.django_db

SCOTTISH_CENSUS_DAY = date(2025, 9, 17)
WELSH_CENSUS_DAY = date(2026, 1, 20)


@dataclass
class CensusWorld:
    users: dict[str, User]
    learners: dict[str, Learner]
    riverside: Setting
    hillhead: Setting
    glan_taf: Setting

    def client(self, actor: str) -> Client:
        client = Client()
        client.force_login(self.users[actor])
        return client


def on(day: date) -> dict[str, str]:
    return {"on_0": str(day.day), "on_1": str(day.month), "on_2": str(day.year)}


def plan(
    learner: Learner,
    key: str,
    status: str = PlanStatus.ACTIVE,
    starts_on: date = date(2025, 8, 20),
    **fields: Any,
) -> Plan:
    setting = learner.enrolments.all()[0].setting
    return Plan.objects.create(
        learner=learner,
        plan_type=PlanType.objects.get(key=key),
        authority=setting.authority,
        status=status,
        starts_on=starts_on,
        **fields,
    )


def build() -> CensusWorld:
    glasgow = authority("Glasgow City")
    cardiff = authority("Cardiff")
    riverside = SettingFactory.create(
        authority=glasgow, name="Riverside Primary School", reference_number="8430001"
    )
    hillhead = SettingFactory.create(
        authority=glasgow, name="Hillhead Primary School", reference_number="8430002"
    )
    harbourside = SettingFactory.create(
        authority=authority("Fife"), name="Harbourside Primary School", reference_number="8430003"
    )
    glan_taf = SettingFactory.create(
        authority=cardiff, name="Ysgol Glan Taf", reference_number="6812001"
    )
    users = {
        "teacher": staff_member("teacher@example.org", Role.CLASS_TEACHER, setting=riverside),
        "head": staff_member("head@example.org", Role.HEAD_TEACHER, setting=riverside),
        "support_lead": staff_member(
            "lead@example.org", Role.SUPPORT_FOR_LEARNING_LEAD, setting=riverside
        ),
        "authority_officer": staff_member(
            "officer@example.org", Role.LOCAL_AUTHORITY_OFFICER, authority=glasgow
        ),
        "psychologist": staff_member(
            "psychologist@example.org", Role.EDUCATIONAL_PSYCHOLOGIST, authority=glasgow
        ),
        "fife_head": staff_member("fife@example.org", Role.HEAD_TEACHER, setting=harbourside),
        "alnco": staff_member(
            "alnco@example.org", Role.SUPPORT_FOR_LEARNING_LEAD, setting=glan_taf
        ),
        "analyst": staff_member(
            "analyst@example.org", Role.NATIONAL_ANALYST, nation=glasgow.nation
        ),
    }
    learners = {
        "ailsa": enrolled_learner(riverside, legal_first_name="Ailsa", legal_last_name="Campbell"),
        "ben": enrolled_learner(riverside, legal_first_name="Ben", legal_last_name="Shaw"),
        "cara": enrolled_learner(riverside, legal_first_name="Cara", legal_last_name="Lin"),
        "dan": enrolled_learner(riverside, legal_first_name="Dan", legal_last_name="Moir"),
        "eve": enrolled_learner(riverside, legal_first_name="Eve", legal_last_name="Hart"),
        "iain": enrolled_learner(hillhead, legal_first_name="Iain", legal_last_name="Ross"),
        "finlay": enrolled_learner(harbourside, legal_first_name="Finlay", legal_last_name="Reid"),
        "gwen": enrolled_learner(
            glan_taf,
            year_group="Y5",
            legal_first_name="Gwen",
            legal_last_name="Jones",
            candidate_number="A681200105001",
        ),
        "huw": enrolled_learner(
            glan_taf,
            year_group="Y5",
            legal_first_name="Huw",
            legal_last_name="Davies",
            candidate_number="B681200105002",
            looked_after=True,
        ),
    }
    add_need(learners["ailsa"], "25", disability=Disability.ASSESSED)
    add_need(learners["ailsa"], "48")
    plan(learners["ailsa"], "individualised_educational_programme")
    plan(learners["ailsa"], "coordinated_support_plan")
    add_need(learners["ben"], "11")
    add_need(learners["cara"], "26", disability=Disability.DECLARED)
    plan(learners["cara"], "childs_plan")
    # A draft plan is not in force, and a plan closed before the census day no longer is.
    plan(learners["dan"], "individualised_educational_programme", status=PlanStatus.DRAFT)
    add_need(learners["eve"], "41", identified_on=date(2024, 9, 1), resolved_on=date(2025, 6, 30))
    plan(
        learners["eve"],
        "childs_plan",
        status=PlanStatus.CLOSED,
        starts_on=date(2024, 9, 1),
        closed_on=date(2025, 6, 30),
    )
    add_need(learners["iain"], "41")
    add_need(learners["finlay"], "11")
    add_need(learners["gwen"], "ASD")
    add_need(learners["gwen"], "SLCD", identified_on=date(2025, 10, 1))
    plan(learners["gwen"], "individual_development_plan_school")
    add_need(learners["huw"], "MLD")
    plan(learners["huw"], "individual_development_plan_local_authority")
    return CensusWorld(users, learners, riverside, hillhead, glan_taf)


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    with built_once_per_module(build, django_db_blocker) as world:
        yield world


@pytest.fixture
def census(module_world, db) -> CensusWorld:
    return module_world


def return_of(census: CensusWorld, actor: str, day: date = SCOTTISH_CENSUS_DAY):
    acting = actors_for(census.users[actor])[0]
    return census_return_get(actor=acting, scope=census_scope(acting), census_day=day)


def reasons_by_learner(census_return) -> dict[str, list[tuple[str, list[str]]]]:
    return {
        row.name: [(r.code, [t.code for t in r.types_of_support]) for r in row.reasons]
        for row in census_return.rows
    }


def problems(census_return) -> list[tuple[str, str]]:
    return [(p.learner_name or p.school, p.what) for p in census_return.problems]


# What the Scottish return says --------------------------------------------------------------------


def test_a_scottish_return_has_each_reason_with_its_types_of_support(census):
    census_return = return_of(census, "support_lead")

    assert reasons_by_learner(census_return) == {
        # An IEP (2) and a CSP (1) support every reason; autism is assessed as disabled (3).
        "Ailsa Campbell": [("25", ["1", "2", "3"]), ("48", ["1", "2"])],
        # No plan: other need type (5).
        "Ben Shaw": [("11", ["5"])],
        # A child's plan (6), and declared as disabled (4).
        "Cara Lin": [("26", ["4", "6"])],
    }
    assert census_return.ready


def test_learners_without_a_need_or_plan_in_force_on_the_census_day_are_not_in_the_return(
    census,
):
    names = {row.name for row in return_of(census, "head").rows}

    # Dan has only a draft plan; Eve's need was resolved and her plan closed before the day.
    assert "Dan Moir" not in names
    assert "Eve Hart" not in names


def test_a_need_identified_after_the_census_day_is_not_in_that_days_return(census):
    census_return = return_of(census, "head", day=date(2025, 9, 5))

    assert "Ben Shaw" not in {row.name for row in census_return.rows}


def test_the_codes_come_from_the_data_with_their_source_and_version():
    scotland = CENSUS_CODES["scotland"]
    wales = CENSUS_CODES["wales"]

    assert [code.code for code in scotland.types_of_support] == ["1", "2", "3", "4", "5", "6"]
    assert scotland.type_for_plan_type == {
        "coordinated_support_plan": "1",
        "individualised_educational_programme": "2",
        "childs_plan": "6",
    }
    assert [code.code for code in wales.plan_keepers] == ["S", "L"]
    assert len(wales.level_of_support_codes) == 16
    assert scotland.source and scotland.version and wales.source and wales.version


def test_the_default_census_day_is_in_the_school_year_of_today():
    assert CENSUS_CODES["scotland"].census_day.in_school_year_of(date(2025, 12, 1)) == date(
        2025, 9, 17
    )
    assert CENSUS_CODES["wales"].census_day.in_school_year_of(date(2025, 12, 1)) == date(
        2026, 1, 20
    )
    assert CENSUS_CODES["scotland"].census_day.in_school_year_of(date(2026, 7, 1)) == date(
        2025, 9, 17
    )


# What the Welsh return says -----------------------------------------------------------------------


def test_a_welsh_return_has_each_need_type_and_who_keeps_the_plan(census):
    census_return = return_of(census, "alnco", day=WELSH_CENSUS_DAY)

    assert [
        (row.name, [r.code for r in row.reasons], row.plan_keeper.code)
        for row in census_return.rows
        if row.plan_keeper
    ] == [("Huw Davies", ["MLD"], "L"), ("Gwen Jones", ["ASD", "SLCD"], "S")]
    assert census_return.ready


# What is checked ----------------------------------------------------------------------------------


def test_a_plan_in_force_with_no_reason_recorded_as_its_cause_is_listed(census):
    plan(census.learners["dan"], "coordinated_support_plan")

    assert problems(return_of(census, "head")) == [
        (
            "Dan Moir",
            "Co-ordinated support plan is in force but no reason for support is recorded as "
            "its cause.",
        )
    ]


def test_a_reason_from_another_nations_code_list_is_listed(census):
    Need.objects.create(
        learner=census.learners["dan"],
        reason=ReasonForSupport.objects.get(code="ASD"),
        identified_on=date(2025, 9, 1),
    )

    assert problems(return_of(census, "head")) == [
        ("Dan Moir", "ASD Autistic spectrum disorder is not in Scotland's code list.")
    ]


def test_a_missing_or_misshapen_candidate_number_is_listed(census):
    Learner.objects.filter(pk=census.learners["ben"].pk).update(candidate_number="12345")
    Learner.objects.filter(pk=census.learners["cara"].pk).update(candidate_number="")

    assert problems(return_of(census, "head")) == [
        ("Cara Lin", "No Scottish candidate number (SCN) is recorded."),
        ("Ben Shaw", "The Scottish candidate number (SCN), 12345, is not in the right form."),
    ]


def test_a_learner_enrolled_at_two_schools_on_the_census_day_is_listed(census):
    Enrolment.objects.create(
        learner=census.learners["ben"],
        setting=census.hillhead,
        year_group="P7",
        started_on=date(2025, 9, 1),
    )

    assert problems(return_of(census, "head")) == [
        (
            "Ben Shaw",
            "Enrolled at another school on the census day as well: Hillhead Primary School.",
        )
    ]


def test_a_school_without_its_reference_number_is_listed(census):
    Setting.objects.filter(pk=census.riverside.pk).update(reference_number="")

    assert problems(return_of(census, "head")) == [
        ("Riverside Primary School", "The school has no SEED code.")
    ]


def test_welsh_plans_and_need_types_that_disagree_are_listed(census):
    Learner.objects.filter(pk=census.learners["gwen"].pk).update(looked_after=True)
    huw = census.learners["huw"]
    plan(huw, "individual_development_plan_school")
    nia, owen = (
        enrolled_learner(
            census.glan_taf,
            year_group="Y5",
            legal_first_name=first_name,
            legal_last_name="Evans",
            candidate_number=number,
        )
        for first_name, number in (("Nia", "C681200105003"), ("Owen", "D681200105004"))
    )
    add_need(nia, "HI")
    plan(owen, "individual_development_plan_school")

    assert problems(return_of(census, "alnco", day=WELSH_CENSUS_DAY)) == [
        (
            "Huw Davies",
            "Both the school and the local authority have an individual development plan in force.",
        ),
        (
            "Nia Evans",
            "Additional learning needs are recorded but no individual development plan is in "
            "force.",
        ),
        (
            "Owen Evans",
            "Individual development plan (maintained by the school) is in force but no need "
            "type is recorded as its cause.",
        ),
        (
            "Gwen Jones",
            "The learner is looked after, so the local authority must keep the individual "
            "development plan, but the school keeps it.",
        ),
    ]


# The page and the download ------------------------------------------------------------------------


def test_a_school_leader_sees_the_return_with_each_learner_linked_to_their_record(census):
    response = census.client("support_lead").get(reverse("census:return"), on(SCOTTISH_CENSUS_DAY))

    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("learners:profile", args=[census.learners["ailsa"].public_id]) in page
    assert "The return passes its checks" in page
    assert reverse("census:download") in page


def test_with_a_problem_the_page_lists_it_and_offers_no_download(census):
    plan(census.learners["dan"], "coordinated_support_plan")

    response = census.client("head").get(reverse("census:return"), on(SCOTTISH_CENSUS_DAY))

    page = response.content.decode()
    assert "1 thing to put right before the return can be downloaded" in page
    assert reverse("learners:profile", args=[census.learners["dan"].public_id]) in page
    assert "Download the return (CSV)" not in page
    download = census.client("head").get(reverse("census:download"), on(SCOTTISH_CENSUS_DAY))
    assert download.status_code == 302
    assert download.url.startswith(reverse("census:return"))


def test_the_scottish_download_has_a_line_per_reason_and_is_recorded_against_each_learner(census):
    response = census.client("head").get(reverse("census:download"), on(SCOTTISH_CENSUS_DAY))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert lines[0][:3] == ["Scottish candidate number (SCN)", "SEED code", "Reason for support"]
    ailsa = census.learners["ailsa"].candidate_number
    assert [ailsa, "8430001", "25", "Y", "Y", "Y", "", "", ""] in lines
    assert len(lines) == 1 + 4
    exported = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="census_return")
    assert {learner_of(event) for event in exported if event.learner_key_id} == {
        census.learners[name] for name in ("ailsa", "ben", "cara")
    }


def test_the_welsh_download_has_a_line_per_need_type_with_its_rank_and_the_plans_keeper(census):
    response = census.client("alnco").get(reverse("census:download"), on(WELSH_CENSUS_DAY))

    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert lines[1:] == [
        ["B681200105002", "6812001", "MLD", "1", "L"],
        ["A681200105001", "6812001", "ASD", "1", "S"],
        ["A681200105001", "6812001", "SLCD", "2", "S"],
    ]


def test_the_page_speaks_welsh_to_those_who_prefer_it_with_the_codes_labels_from_the_data(census):
    User.objects.filter(pk=census.users["alnco"].pk).update(preferred_language="cy")

    response = census.client("alnco").get(reverse("census:return"), on(WELSH_CENSUS_DAY))

    page = response.content.decode()
    assert "Ffurflen y cyfrifiad: Ysgol Glan Taf" in page
    assert "Rhif disgybl unigryw (UPN)" in page
    assert "Awdurdod lleol" in page


def test_an_authority_officer_sees_each_school_and_may_narrow_to_one(census):
    client = census.client("authority_officer")

    whole = client.get(reverse("census:return"), on(SCOTTISH_CENSUS_DAY))
    one = client.get(
        reverse("census:return"), on(SCOTTISH_CENSUS_DAY) | {"school": census.hillhead.pk}
    )

    summaries = {
        (s.setting.name, s.learners, s.problems)
        for s in whole.context["census_return"].school_summaries()
    }
    assert summaries == {("Riverside Primary School", 3, 0), ("Hillhead Primary School", 1, 0)}
    assert [row.name for row in one.context["census_return"].rows] == ["Iain Ross"]


def test_a_school_of_another_authority_is_not_one_to_choose(census):
    response = census.client("authority_officer").get(
        reverse("census:return"), on(SCOTTISH_CENSUS_DAY) | {"school": "999999"}
    )

    assert response.status_code == 200
    assert "Choose a school from the list." in response.content.decode()
    assert response.context["census_return"] is None


def test_a_census_day_that_is_not_a_date_is_explained(census):
    response = census.client("head").get(
        reverse("census:return"), {"on_0": "31", "on_1": "2", "on_2": "2025"}
    )

    assert response.status_code == 200
    assert "Enter a real date" in response.content.decode()


def test_another_schools_leader_has_only_their_own_learners(census):
    names = {row.name for row in return_of(census, "fife_head").rows}

    assert names == {"Finlay Reid"}


@pytest.mark.parametrize("actor", ["teacher", "psychologist", "analyst"])
def test_those_who_make_no_return_are_told_it_does_not_exist(census, actor):
    for name in ("census:return", "census:download"):
        assert census.client(actor).get(reverse(name)).status_code == 404


def test_the_page_takes_the_same_number_of_queries_however_many_learners(census):
    def queries() -> int:
        client = census.client("authority_officer")
        client.get(reverse("census:return"), on(SCOTTISH_CENSUS_DAY))  # sign-in, sessions warm
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("census:return"), on(SCOTTISH_CENSUS_DAY))
        return len(captured)

    before = queries()
    for number in range(12):
        learner = enrolled_learner(census.hillhead, legal_last_name=f"Extra{number}")
        add_need(learner, "11")
        plan(learner, "individualised_educational_programme")

    assert queries() == before


def test_those_who_make_the_return_find_it_from_their_home_page(census):
    census_url = reverse("census:return")

    assert census_url in census.client("head").get(reverse("home")).content.decode()
    assert census_url not in census.client("teacher").get(reverse("home")).content.decode()
