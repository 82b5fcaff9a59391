"""Looked-after children considered for a co-ordinated support plan, in the consistency report
(ASL Act 2004 s6(1A), issue 16 item 4; ADR 0049): the refresh counts, per scope and school year,
the looked-after learners on the roll, those considered in or before the year while looked after,
and those of them with a plan; the analyst compares authorities through disclosure control, the
officer their own schools as they are, and the CSV holds what the page shows. One synthetic
population of Scotland (large enough for a hundred looked-after children), refreshed once for
the module."""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.test.utils import CaptureQueriesContext

from stagewise.accounts.models import User
from stagewise.conftest import staff_member
from stagewise.disclosure import WITHHELD_MARK
from stagewise.learners.models import Learner
from stagewise.measurement.consistency import ConsistencyAccess
from stagewise.measurement.consistency_considerations import consideration_rows
from stagewise.measurement.models import ConsiderationFigure, ScopeLevel
from stagewise.measurement.refresh import measures_refresh
from stagewise.measurement.scopes import Scope
from stagewise.organisations.models import LocalAuthority, Nation, Role
from stagewise.planning.models import Plan, PlanStatus
from stagewise.policy import SYSTEM, nation_policy
from stagewise.statutory.models import CoordinatedSupportPlanConsideration
from stagewise.statutory.services import ConditionsJudged, coordinated_support_plan_consider
from stagewise.synthetic.services import population_create
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
    population_create(nation="scotland", scale=0.01, seed=16, as_of=AS_OF)
    measures_refresh(actor=SYSTEM, full=True, today=AS_OF)
    glasgow = LocalAuthority.objects.get(name="Glasgow City")
    users = {
        "analyst": staff_member(
            "analyst@example.org",
            Role.NATIONAL_ANALYST,
            nation=Nation.objects.get(code=Nation.SCOTLAND),
        ),
        "authority_officer": staff_member(
            "officer@example.org", Role.LOCAL_AUTHORITY_OFFICER, authority=glasgow
        ),
    }
    return World(users, glasgow)


@pytest.fixture(scope="module")
def built(django_db_setup: None, django_db_blocker: object) -> Iterator[World]:
    with built_once_per_module(_build, django_db_blocker) as world:
        yield world


@pytest.fixture(autouse=True)
def report_worked_out_afresh() -> None:
    cache.clear()


def _scottish_looked_after() -> "list[Learner]":
    return list(
        Learner.objects.filter(
            looked_after=True,
            enrolments__ended_on__isnull=True,
            enrolments__setting__authority__nation__code=Nation.SCOTLAND,
        ).distinct()
    )


def _nation_row() -> ConsiderationFigure:
    return ConsiderationFigure.objects.get(
        school_year=SCHOOL_YEAR, level=ScopeLevel.NATION, nation__code=Nation.SCOTLAND
    )


def test_the_refresh_counts_looked_after_learners_and_those_considered_at_every_level(built):
    looked_after = _scottish_looked_after()
    considered = {
        learner_id
        for learner_id in CoordinatedSupportPlanConsideration.objects.filter(
            considered_on__lte=AS_OF
        ).values_list("learner_id", flat=True)
    }
    nation = _nation_row()

    assert nation.looked_after == len(looked_after)
    assert nation.considered == len({learner.pk for learner in looked_after} & considered)
    assert nation.considered_with_plan <= nation.considered < nation.looked_after
    for level in (ScopeLevel.SCHOOL, ScopeLevel.AUTHORITY):
        sums = ConsiderationFigure.objects.filter(
            school_year=SCHOOL_YEAR, level=level, nation__code=Nation.SCOTLAND
        ).aggregate(*(Sum(name) for name in ("looked_after", "considered")))
        assert list(sums.values()) == [nation.looked_after, nation.considered]


def test_a_consideration_made_before_the_learner_became_looked_after_again_does_not_count(built):
    consideration = (
        CoordinatedSupportPlanConsideration.objects.filter(learner__looked_after=True)
        .order_by("pk")
        .first()
    )
    assert consideration is not None
    before = _nation_row().considered
    Learner.objects.filter(pk=consideration.learner_id).update(
        looked_after_since=consideration.considered_on + timedelta(days=1)
    )
    CoordinatedSupportPlanConsideration.objects.filter(learner_id=consideration.learner_id).exclude(
        pk=consideration.pk
    ).delete()

    measures_refresh(actor=SYSTEM, today=AS_OF)

    assert _nation_row().considered == before - 1


def test_a_looked_after_child_considered_with_a_plan_counts_among_those_with_a_plan(built):
    plan = Plan.objects.filter(
        plan_type__key="coordinated_support_plan",
        status__in=[PlanStatus.FINALISED, PlanStatus.ACTIVE],
        learner__looked_after=False,
    ).first()
    assert plan is not None
    before = _nation_row()
    Learner.objects.filter(pk=plan.learner_id).update(looked_after=True)
    coordinated_support_plan_consider(
        actor=SYSTEM,
        learner=Learner.objects.get(pk=plan.learner_id),
        considered_on=AS_OF - timedelta(days=30),
        conditions=ConditionsJudged(True, True, True, True),
        conclusion="required",
        reason="Health and social work support for years to come.",
        departure_kind="evidence_outside",
        departure_reason="The agencies' reports are not yet in the record.",
    )

    measures_refresh(actor=SYSTEM, today=AS_OF)

    after = _nation_row()
    assert after.looked_after == before.looked_after + 1
    assert after.considered == before.considered + 1
    assert after.considered_with_plan == before.considered_with_plan + 1


def test_the_analyst_compares_authorities_with_small_counts_withheld(built):
    response = built.client("analyst").get(URL)
    rows = response.context["report"].considerations
    page = response.content.decode()

    assert rows[-1].total and rows[-1].looked_after.value == _nation_row().looked_after
    names = {row.name for row in rows[:-1]}
    assert names <= set(LocalAuthority.objects.values_list("name", flat=True))
    figures = [
        figure for row in rows for figure in (row.looked_after, row.considered, row.with_plan)
    ]
    assert any(not figure.shown for figure in figures)
    assert all(not (figure.shown and 0 < (figure.value or 0) < 5) for figure in figures)
    # A share is shown only from shown figures.
    assert all(
        row.considered.shown and row.looked_after.shown
        for row in rows
        if row.considered_share.shown
    )
    assert "Looked-after children considered for a co-ordinated support plan" in page
    assert "Co-ordinated support plans per 100 considered" in page


def test_the_officer_sees_their_own_schools_as_they_are(built):
    rows = built.client("authority_officer").get(URL).context["report"].considerations
    glasgow = ConsiderationFigure.objects.get(
        school_year=SCHOOL_YEAR, level=ScopeLevel.AUTHORITY, authority=built.glasgow
    )

    assert all(figure.shown for row in rows for figure in (row.looked_after, row.considered))
    assert rows[-1].looked_after.value == glasgow.looked_after
    assert rows[-1].considered.value == glasgow.considered
    assert rows[-1].with_plan.value == glasgow.considered_with_plan


def test_a_nation_whose_law_has_no_coordinated_support_plan_has_no_such_section(built):
    wales = Nation.objects.get(code=Nation.WALES)
    access = ConsistencyAccess(Scope(ScopeLevel.NATION, wales), ScopeLevel.AUTHORITY, True)

    with CaptureQueriesContext(connection) as queries:
        rows = consideration_rows(access, SCHOOL_YEAR, {}, nation_policy(Nation.WALES))

    assert rows == [] and len(queries) == 0


def test_the_csv_holds_the_section_as_the_page_shows_it(built):
    client = built.client("analyst")
    rows = client.get(URL).context["report"].considerations
    download = client.get(URL + "?format=csv")
    lines = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))

    start = next(
        index
        for index, line in enumerate(lines)
        if line and line[0] == "Looked-after children considered for a co-ordinated support plan"
    )
    body = lines[start + 2 : start + 2 + len(rows)]
    shown = [
        (row.name, f"{row.looked_after.value:,}" if row.looked_after.shown else WITHHELD_MARK)
        for row in rows
    ]
    assert [(line[0], line[1]) for line in body] == [(name, str(mark)) for name, mark in shown]
