"""Departures from decision support's suggestion in the consistency report (issue 16 item 4): the
refresh counts the year's decisions with a suggestion, those that departed, which way and for
which kind of reason, per school, authority and nation; the analyst compares authorities with
small counts withheld; the officer compares their schools as they are and reads each departure
and its reason in a paged list nobody else finds. One small world, refreshed once."""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stagewise.accounts.models import User
from stagewise.audit.models import AuditEvent
from stagewise.conftest import staff_member
from stagewise.disclosure import WITHHELD_MARK
from stagewise.learners.models import Learner, StageDecision
from stagewise.measurement import departure_list as departure_list_module
from stagewise.measurement.models import DepartureFigure, ScopeLevel
from stagewise.measurement.refresh import measures_refresh
from stagewise.organisations.models import LocalAuthority, Nation, Role, Setting
from stagewise.planning.models import Plan
from stagewise.policy import SYSTEM
from stagewise.statutory.models import DepartureKind, LocalStage
from stagewise.statutory.selectors import stage_list
from stagewise.testing.factories import (
    SettingFactory,
    add_need,
    authority,
    enrolled_learner,
    staff_for,
)
from stagewise.testing.plans import acting, started_plan
from stagewise.testing.worlds import built_once_per_module

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 11, 20)
SCHOOL_YEAR = 2026
DECIDED = date(2026, 10, 1)
REPORT = "/measures/consistency/"
LIST = "/measures/consistency/departures/"


@dataclass
class World:
    users: dict[str, User]
    glasgow: LocalAuthority
    fife: LocalAuthority
    riverside: Setting
    hillview: Setting
    harbourside: Setting
    planned: Learner

    def client(self, actor: str) -> Client:
        client = Client()
        client.force_login(self.users[actor])
        return client


def _stage(model: str, order: int) -> LocalStage:
    return LocalStage.objects.get(stage_model__key=model, order=order)


def _decide(
    school: Setting,
    chosen: LocalStage,
    suggested: LocalStage | None,
    kind: str = "",
    *,
    decided_on: date = DECIDED,
    name: str = "",
) -> Learner:
    """A learner of the school with one decision: following the suggestion, departing from it
    (with a kind and a reason), or made without decision support (no suggestion)."""
    learner = enrolled_learner(school, **({"legal_last_name": name} if name else {}))
    # With needs, so that the report has a needs profile to show beside the departures.
    add_need(learner, identified_on=date(2026, 9, 1))
    departs = suggested is not None and suggested != chosen
    StageDecision.objects.create(
        learner=learner,
        stage=chosen,
        decided_on=decided_on,
        rationale="Made up for the test.",
        next_review_on=decided_on + timedelta(days=180),
        suggested_national_stage=suggested.national_stage if suggested else "",
        suggested_stage=suggested,
        departs_from_suggestion=departs,
        departure_kind=kind if departs else "",
        departure_reason=f"Reason for {name or 'a learner'}." if departs else "",
    )
    return learner


def _build() -> World:
    glasgow, fife = authority("Glasgow City"), authority("Fife")
    riverside = SettingFactory.create(authority=glasgow, name="Riverside Primary School")
    hillview = SettingFactory.create(authority=glasgow, name="Hillview Primary School")
    harbourside = SettingFactory.create(authority=fife, name="Harbourside Primary School")
    universal, targeted, specialist = (_stage("glasgow", order) for order in (1, 2, 3))
    # Riverside: three follow, two higher than suggested, one lower; one without a suggestion
    # and one from last year, neither counted.
    for _ in range(3):
        _decide(riverside, targeted, targeted)
    _decide(riverside, targeted, universal, DepartureKind.EVIDENCE_OUTSIDE, name="Higher")
    _decide(riverside, specialist, targeted, DepartureKind.VIEWS, name="Highest")
    _decide(riverside, universal, targeted, DepartureKind.OTHER, name="Lower")
    _decide(riverside, targeted, None)
    _decide(riverside, specialist, universal, DepartureKind.OTHER, decided_on=date(2026, 3, 1))
    # Hillview: one departure to another local stage of the same national stage.
    _decide(
        hillview, _stage("glasgow", 4), specialist, DepartureKind.SUPPORT_ELSEWHERE, name="Same"
    )
    # A co-ordinated support plan opened where the statutory test suggests none: a departure,
    # through the service.
    planned = enrolled_learner(riverside, legal_last_name="Planned")
    plan = started_plan(acting(staff_for(planned)), planned, "coordinated_support_plan")
    Plan.objects.filter(pk=plan.pk).update(
        created_at=timezone.make_aware(datetime(2026, 10, 5, 10))
    )
    # Fife: enough decisions that its counts are shown.
    fife_stages = list(stage_list(fife))
    fife_universal, fife_targeted = (
        next(stage for stage in fife_stages if stage.national_stage == national)
        for national in ("universal", "targeted")
    )
    for _ in range(12):
        _decide(harbourside, fife_targeted, fife_targeted)
    for number in range(7):
        _decide(
            harbourside,
            fife_targeted,
            fife_universal,
            DepartureKind.PROFESSIONAL_JUDGEMENT,
            name=f"Fifer{number}",
        )
    measures_refresh(actor=SYSTEM, full=True, today=AS_OF)
    scotland = Nation.objects.get(code=Nation.SCOTLAND)
    users = {
        "analyst": staff_member("analyst@example.org", Role.NATIONAL_ANALYST, nation=scotland),
        "authority_officer": staff_member(
            "officer@example.org", Role.LOCAL_AUTHORITY_OFFICER, authority=glasgow
        ),
        "other_authority_officer": staff_member(
            "fife@example.org", Role.LOCAL_AUTHORITY_OFFICER, authority=fife
        ),
        "head": staff_member("head@example.org", Role.HEAD_TEACHER, setting=riverside),
        "psychologist": staff_member(
            "ep@example.org", Role.EDUCATIONAL_PSYCHOLOGIST, authority=glasgow
        ),
    }
    return World(users, glasgow, fife, riverside, hillview, harbourside, planned)


@pytest.fixture(scope="module")
def built(django_db_setup: None, django_db_blocker: object) -> Iterator[World]:
    with built_once_per_module(_build, django_db_blocker) as world:
        yield world


@pytest.fixture(autouse=True)
def report_worked_out_afresh() -> None:
    cache.clear()


def _figures(**where: object) -> dict[tuple, int]:
    rows = (
        DepartureFigure.objects.filter(school_year=SCHOOL_YEAR, **where)
        .values_list("decision", "departs", "direction", "kind")
        .annotate(total=Sum("decisions"))
    )
    return {tuple(row[:4]): row[4] for row in rows}


def test_the_refresh_counts_the_years_decisions_with_a_suggestion_which_way_and_why(built):
    riverside = _figures(level=ScopeLevel.SCHOOL, setting=built.riverside)
    glasgow = _figures(level=ScopeLevel.AUTHORITY, authority=built.glasgow)
    nation = _figures(level=ScopeLevel.NATION, nation__code=Nation.SCOTLAND)

    assert riverside == {
        ("stage", False, "", ""): 3,
        ("stage", True, "higher", "evidence_outside"): 1,
        ("stage", True, "higher", "views"): 1,
        ("stage", True, "lower", "other"): 1,
        ("plan", True, "other_plan_type", "evidence_outside"): 1,
    }
    assert glasgow == {**riverside, ("stage", True, "same_national_stage", "support_elsewhere"): 1}
    assert nation[("stage", True, "higher", "professional_judgement")] == 7
    assert sum(nation.values()) == sum(glasgow.values()) + 19


def test_only_the_officer_of_the_authority_finds_the_list_of_departures(built):
    assert built.client("authority_officer").get(LIST).status_code == 200
    assert built.client("other_authority_officer").get(LIST).status_code == 200
    for outsider in ("analyst", "head", "psychologist"):
        assert built.client(outsider).get(LIST).status_code == 404
    assert Client().get(LIST).status_code == 302  # signing in first


def test_the_officer_reads_each_departure_of_their_learners_with_its_kind_and_reason(built):
    page = built.client("authority_officer").get(LIST, {"year": SCHOOL_YEAR}).content.decode()
    other = built.client("other_authority_officer").get(LIST, {"year": SCHOOL_YEAR})

    for name in ("Higher", "Highest", "Lower", "Same"):
        assert f"Reason for {name}." in page
    assert "The child&#x27;s or family&#x27;s views" in page
    assert "Planned" in page and "No statutory plan" in page
    assert "Fifer" not in page and "Reason for a learner" not in page
    assert "Fifer0" in other.content.decode() and "Higher" not in other.content.decode()
    event = AuditEvent.objects.filter(object_type="departure_list").latest("pk")
    assert event.purpose == "read departures from the suggestion and their reasons"


def test_the_list_is_paged_and_reads_a_constant_number_of_queries(built, monkeypatch):
    counts = []
    for actor in ("authority_officer", "other_authority_officer"):
        client = built.client(actor)
        client.get(LIST, {"year": SCHOOL_YEAR})
        with CaptureQueriesContext(connection) as queries:
            client.get(LIST, {"year": SCHOOL_YEAR})
        counts.append(len(queries))
    monkeypatch.setattr(departure_list_module, "DEPARTURES_PAGE_SIZE", 2)
    client = built.client("authority_officer")
    first = client.get(LIST, {"year": SCHOOL_YEAR})
    cursor = first.context["departures"].stage_decisions.next_cursor
    second = client.get(LIST, {"year": SCHOOL_YEAR, "stage_cursor": cursor})
    altered = client.get(LIST, {"year": SCHOOL_YEAR, "stage_cursor": cursor[:-3] + "xyz"})

    # Four departing decisions and a plan in Glasgow, seven in Fife: the same reads.
    assert counts[0] == counts[1], counts
    assert len(first.context["departures"].stage_decisions.object_list) == 2
    assert len(second.context["departures"].stage_decisions.object_list) == 2
    assert "was not valid, so the list is shown from the start" in altered.content.decode()


def test_the_officer_compares_their_schools_departures_as_they_are(built):
    response = built.client("authority_officer").get(REPORT)
    departures = response.context["report"].departures
    page = response.content.decode()

    rows = {row.name: row for row in departures.stages.rows}
    assert [cell.value for cell in rows["Riverside Primary School"].cells] == [3, 2, 1, 0]
    assert [cell.value for cell in rows["Hillview Primary School"].cells] == [0, 0, 0, 1]
    assert departures.stage_rates[-1].value == 57  # 4 of 7
    assert departures.plans.grand_total.value == 1
    assert "Departures from the suggestion" in page and 'id="departures-kinds-title"' in page
    assert LIST in page


def test_the_analyst_compares_authorities_departures_with_small_counts_withheld(built):
    response = built.client("analyst").get(REPORT)
    departures = response.context["report"].departures

    rows = {row.name: row for row in departures.stages.rows}
    fife, glasgow = rows["Fife"], rows["Glasgow City"]
    figures = [
        figure
        for table in (departures.stages, departures.plans, departures.kinds)
        for row in table.rows
        for figure in (*row.cells, row.total)
    ]
    assert all(not (figure.shown and 0 < (figure.value or 0) < 5) for figure in figures)
    assert [cell.value for cell in fife.cells][:2] == [12, 7]
    assert not glasgow.cells[1].shown  # two higher than suggested
    rates = dict(
        zip(
            [row.name for row in departures.stages.rows],
            departures.stage_rates[:-1],
            strict=True,
        )
    )
    assert not rates["Glasgow City"].shown  # worked from withheld counts
    assert LIST not in response.content.decode()  # the reasons' words stay in the authority


def test_the_csv_holds_the_departures_as_the_page_shows_them(built):
    download = built.client("analyst").get(REPORT, {"format": "csv"})
    lines = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))

    titles = [line[0] for line in lines if line]
    assert "Stage decisions and the suggestion" in titles
    assert "Kinds of reason for departing" in titles
    start = next(
        number
        for number, line in enumerate(lines)
        if line[:1] == ["Stage decisions and the suggestion"]
    )
    glasgow = next(line for line in lines[start:] if line and line[0] == "Glasgow City")
    assert str(WITHHELD_MARK) in glasgow


def test_the_welsh_report_names_the_kinds_in_welsh(built):
    User.objects.filter(pk=built.users["authority_officer"].pk).update(preferred_language="cy")

    page = built.client("authority_officer").get(REPORT).content.decode()

    assert "Gwyro oddi wrth yr awgrym" in page
