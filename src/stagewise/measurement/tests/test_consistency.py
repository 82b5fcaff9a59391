"""The consistency report: the national analyst compares the authorities of their nation through
disclosure control, an authority's officer compares its schools with every count as it is, and
nobody else finds the page. Read only from the refreshed consistency figures, in a constant
number of queries. One synthetic population of both nations, refreshed once for the module."""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.test.utils import CaptureQueriesContext

from stagewise.accounts.models import User
from stagewise.audit.models import AuditEvent
from stagewise.conftest import staff_member
from stagewise.disclosure import WITHHELD_MARK
from stagewise.learners.models import Enrolment
from stagewise.measurement.models import ConsistencyFigure, Grouping, ScopeLevel
from stagewise.measurement.refresh import measures_refresh
from stagewise.organisations.models import LocalAuthority, Nation, Role, Setting
from stagewise.policy import SYSTEM
from stagewise.synthetic.services import population_create
from stagewise.testing.factories import UserFactory
from stagewise.testing.worlds import built_once_per_module

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 11, 20)
SCHOOL_YEAR = 2026
URL = "/measures/consistency/"


@dataclass
class World:
    users: dict[str, User]
    glasgow: LocalAuthority

    def client(self, actor: str) -> Client:
        client = Client()
        client.force_login(self.users[actor])
        return client


def _build() -> World:
    population_create(nation="both", scale=0.002, seed=16, as_of=AS_OF)
    measures_refresh(actor=SYSTEM, full=True, today=AS_OF)
    glasgow = LocalAuthority.objects.get(name="Glasgow City")
    school = Setting.objects.filter(authority=glasgow).first()
    scotland = Nation.objects.get(code=Nation.SCOTLAND)
    users = {
        "analyst": staff_member("analyst@example.org", Role.NATIONAL_ANALYST, nation=scotland),
        "welsh_analyst": staff_member(
            "dadansoddwr@example.org",
            Role.NATIONAL_ANALYST,
            nation=Nation.objects.get(code=Nation.WALES),
        ),
        "authority_officer": staff_member(
            "officer@example.org", Role.LOCAL_AUTHORITY_OFFICER, authority=glasgow
        ),
        "head": staff_member("head@example.org", Role.HEAD_TEACHER, setting=school),
        "support_lead": staff_member(
            "lead@example.org", Role.SUPPORT_FOR_LEARNING_LEAD, setting=school
        ),
        "psychologist": staff_member(
            "ep@example.org", Role.EDUCATIONAL_PSYCHOLOGIST, authority=glasgow
        ),
        "administrator": staff_member("admin@example.org", Role.SYSTEM_ADMINISTRATOR),
        "parent": UserFactory.create(email="parent@example.org"),
    }
    return World(users, glasgow)


@pytest.fixture(scope="module")
def built(django_db_setup: None, django_db_blocker: object) -> Iterator[World]:
    with built_once_per_module(_build, django_db_blocker) as world:
        yield world


@pytest.fixture(autouse=True)
def report_worked_out_afresh() -> None:
    """Each test reads the report as the first reader after a refresh does (then the page's
    context carries it); later readers get what the first one's request rendered."""
    cache.clear()


def test_the_refresh_counts_every_learner_on_the_roll_once_at_each_level(built):
    on_roll = Enrolment.objects.filter(ended_on__isnull=True).values("learner").distinct().count()
    for level in ScopeLevel.values:
        for grouping in Grouping.values:
            counted = ConsistencyFigure.objects.filter(
                school_year=SCHOOL_YEAR, level=level, grouping=grouping
            )
            assert counted.aggregate(total=Sum("learners"))["total"] == on_roll
    glasgow_rows = ConsistencyFigure.objects.filter(
        school_year=SCHOOL_YEAR,
        level=ScopeLevel.AUTHORITY,
        authority=built.glasgow,
        grouping=Grouping.PROFILE,
    )
    reason_sets = set(glasgow_rows.values_list("reasons", flat=True))
    assert "" in reason_sets and any(" " in key for key in reason_sets)
    assert all(key.split() == sorted(key.split()) for key in reason_sets)


@pytest.mark.parametrize(
    ("actor", "status"),
    [
        ("analyst", 200),
        ("welsh_analyst", 200),
        ("authority_officer", 200),
        ("head", 404),
        ("support_lead", 404),
        ("psychologist", 404),
        ("administrator", 404),
        ("parent", 404),
    ],
)
def test_only_the_national_analyst_and_the_authority_officer_find_the_report(built, actor, status):
    client = built.client(actor)

    assert client.get(URL).status_code == status
    assert client.get(URL + "?format=csv").status_code == status


def test_the_analyst_compares_authorities_with_small_counts_withheld(built):
    response = built.client("analyst").get(URL)
    report = response.context["report"]

    assert [row.name for row in report.stages.rows] == sorted(
        row.name for row in report.stages.rows
    )
    assert len(report.plans) == LocalAuthority.objects.filter(nation__code="scotland").count()
    figures = [
        figure
        for table in (report.stages, report.plan_types)
        for row in table.rows
        for figure in (*row.cells, row.total)
    ]
    assert any(not figure.shown for figure in figures)
    assert all(not (figure.shown and 0 < (figure.value or 0) < 5) for figure in figures)
    plan_counts = [figure for row in report.plans for figure in (row.coordinated, row.looked_after)]
    assert all(not (figure.shown and 0 < (figure.value or 0) < 5) for figure in plan_counts)
    page = response.content.decode()
    assert str(WITHHELD_MARK) in page
    assert "Co-ordinated support plans per 1,000" in page
    assert "<svg" in page and 'role="img"' in page


def test_the_welsh_analyst_sees_who_keeps_each_individual_development_plan(built):
    response = built.client("welsh_analyst").get(URL)
    report = response.context["report"]

    assert report.keeper_labels == ["Kept by the school", "Kept by the local authority"]
    assert report.plans_total.with_kept_plan.shown
    assert "Kept by the local authority" in response.content.decode()
    assert "Co-ordinated support plans per 1,000" not in response.content.decode()


def test_the_officer_compares_their_own_schools_with_every_count_as_it_is(built):
    response = built.client("authority_officer").get(URL)
    report = response.context["report"]

    glasgow_schools = set(
        Setting.objects.filter(authority=built.glasgow).values_list("name", flat=True)
    )
    names = {row.name for row in report.stages.rows}
    assert names and names <= glasgow_schools
    assert all(figure.shown for row in report.stages.rows for figure in row.cells)
    expected = ConsistencyFigure.objects.filter(
        school_year=SCHOOL_YEAR,
        level=ScopeLevel.SCHOOL,
        authority=built.glasgow,
        grouping=Grouping.PROFILE,
        reasons=report.profile.reasons,
        additional_support_needs=True,
    ).aggregate(total=Sum("learners"))["total"]
    assert report.stages.grand_total.value == expected


def test_the_csv_holds_what_the_page_shows(built):
    client = built.client("analyst")
    report = client.get(URL).context["report"]
    download = client.get(URL + "?format=csv")

    assert download["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    shown = {
        (row.name, f"{row.total.value:,}" if row.total.shown else str(WITHHELD_MARK))
        for row in report.stages.rows
    }
    assert shown <= {(line[0], line[-1]) for line in lines if line}


def test_the_csv_is_written_once_a_refresh_and_every_download_is_still_audited(built):
    client = built.client("analyst")
    cache.clear()
    first = client.get(URL + "?format=csv")
    events = AuditEvent.objects.count()
    with CaptureQueriesContext(connection) as again:
        second = client.get(URL + "?format=csv")

    assert second.content == first.content
    assert second["Content-Disposition"] == first["Content-Disposition"]
    assert AuditEvent.objects.count() == events + 1
    # The figures are not read again: no query touches the summary tables.
    assert not [q for q in again.captured_queries if "measurement_consistencyfigure" in q["sql"]]


def test_a_profile_of_bands_narrows_the_learners_and_bad_choices_are_explained(built):
    client = built.client("authority_officer")
    everyone = client.get(URL).context["report"]
    narrowed = client.get(
        URL, {"reasons": everyone.profile.reasons, "attendance": "90_or_more"}
    ).context["report"]
    wrong = client.get(URL, {"attendance": "sometimes", "year": "1999"})

    assert narrowed.stages.grand_total.value <= everyone.stages.grand_total.value
    assert wrong.status_code == 200
    assert "Choose an attendance band from the list." in wrong.content.decode()


def test_the_page_reads_a_constant_number_of_queries(built):
    counts = []
    for actor in ("analyst", "authority_officer", "welsh_analyst"):
        client = built.client(actor)
        client.get(URL)
        with CaptureQueriesContext(connection) as queries:
            client.get(URL)
        counts.append(len(queries))
    # Scotland's 32 authorities, Wales's 22 and one authority's schools: the same reads.
    assert len(set(counts)) == 1, counts
