"""The national action plans in public, without signing in, in English and Welsh: every action
with its current status and last update, filterable by theme, responsible body and status; each
action's page with its updates and status changes (never who recorded them); an Atom feed of the
progress updates.

The world (built once for this module): the published plans loaded; the Scottish Government's
policy officer, Fiona MacLeod, has added an update to LI 9 and marked 6.1.5 complete.
"""

from collections.abc import Iterator
from datetime import date
from typing import Any
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stagewise.accounts.actors import actors_for
from stagewise.actionplans.models import Action, ProgressUpdate
from stagewise.actionplans.services import (
    action_status_change,
    progress_update_add,
    published_plans_load,
)
from stagewise.conftest import staff_member
from stagewise.organisations.models import NationalBody, Role
from stagewise.policy import SYSTEM
from stagewise.testing.worlds import built_once_per_module

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def _build() -> None:
    published_plans_load(actor=SYSTEM)
    officer = staff_member(
        "fiona@example.org",
        Role.POLICY_OFFICER,
        national_body=NationalBody.objects.get(code="scottish-government"),
    )
    officer.full_name = "Fiona MacLeod"
    officer.save(update_fields=["full_name"])
    actor = actors_for(officer)[0]
    progress_update_add(
        actor=actor,
        action=Action.objects.get(number="LI 9"),
        written_on=date(2025, 6, 2),
        text="The framework is being tested in three authorities.",
    )
    action_status_change(
        actor=actor,
        action=Action.objects.get(number="6.1.5"),
        status="complete",
        reason="Mediation information is on every council's website.",
    )


@pytest.fixture(scope="module")
def built(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with built_once_per_module(_build, django_db_blocker):
        yield


def shown_numbers(page: str) -> list[str]:
    return [
        action.number
        for action in Action.objects.order_by("pk")
        if f'">{action.number}</a>' in page
    ]


def test_a_signed_out_visitor_reads_every_action_with_its_status_and_last_update(built, client):
    response = client.get(reverse("public_action_plans:index"))
    page = response.content.decode()

    assert response.status_code == 200
    assert len(shown_numbers(page)) == 36
    assert "36 actions shown" in page
    assert "2 June 2025" in page and "three authorities" in page  # LI 9's latest
    assert "Published November 2022" in page  # the last update of an action not updated since


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "complete"}, ["6.1.2", "6.1.5"]),
        ({"body": "sagrabis"}, ["LI 6", "LI 7"]),
        (
            {"body": "asl-project-board", "status": "not_stated"},
            ["LI 7", "LI 8", "LI 9", "LI 11", "LI 29", "LI 30"],
        ),
        ({"status": "ongoing", "body": "ades"}, ["LI 19", "6.1.1"]),
    ],
)
def test_the_actions_are_filtered_by_theme_body_and_status(built, client, query, expected):
    page = client.get(reverse("public_action_plans:index"), query).content.decode()

    assert shown_numbers(page) == expected


def test_the_theme_filter_shows_one_themes_actions(built, client):
    theme_6 = Action.objects.get(number="6.1.1").theme_id

    page = client.get(reverse("public_action_plans:index"), {"theme": theme_6}).content.decode()

    assert shown_numbers(page) == ["6.1.1", "6.1.2", "6.1.3", "6.1.4", "6.1.5"]


def test_a_filter_value_that_is_not_offered_is_refused_with_a_message_not_an_error(built, client):
    response = client.get(reverse("public_action_plans:index"), {"theme": "nine", "status": "x"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose a theme from the list." in page and "Choose a status from the list." in page


def test_an_actions_public_page_shows_its_updates_and_status_changes_but_not_who(built, client):
    item = Action.objects.get(number="6.1.5")
    page = client.get(reverse("public_action_plans:action", args=[item.pk])).content.decode()

    assert "The benefits of the use of mediation must be widely promoted" in page
    assert "From Ongoing to Complete." in page
    assert "Mediation information is on every council&#x27;s website." in page
    assert "ADES have shared information on mediation approaches" in page
    assert "Fiona" not in page


def test_an_unknown_action_is_not_found(built, client):
    assert client.get(reverse("public_action_plans:action", args=[0])).status_code == 404


def test_the_atom_feed_lists_the_updates_newest_first_linking_to_their_actions(built, client):
    response = client.get(reverse("public_action_plans:feed"))
    feed = ElementTree.fromstring(response.content)  # noqa: S314 (our own feed, in a test)
    entries = feed.findall(f"{ATOM}entry")
    li_9 = Action.objects.get(number="LI 9")
    newest = ProgressUpdate.objects.get(action=li_9, published_in__isnull=True)

    assert response["Content-Type"].startswith("application/atom+xml")
    assert len(entries) == min(50, ProgressUpdate.objects.count())
    assert entries[0].findtext(f"{ATOM}title") == "LI 9: progress update of 2025-06-02"
    link = entries[0].find(f"{ATOM}link")
    assert link is not None
    assert str(link.get("href")).endswith(
        reverse("public_action_plans:action", args=[li_9.pk]) + f"#update-{newest.pk}"
    )
    assert "three authorities" in str(entries[0].findtext(f"{ATOM}summary"))


def test_in_welsh_the_pages_are_welsh_and_the_plans_words_are_marked_english(built, client):
    client.post(reverse("accounts:language"), {"language": "cy"})

    index = client.get(reverse("public_action_plans:index")).content.decode()
    item = Action.objects.get(number="LI 9")
    page = client.get(reverse("public_action_plans:action", args=[item.pk])).content.decode()

    assert "Cynlluniau gweithredu cenedlaethol" in index
    assert "Cyhoeddwyd yn Saesneg." in page
    assert '<p class="govuk-body" lang="en">The ASL Project Board will develop' in page


def test_the_public_page_costs_the_same_however_many_actions_it_shows(built):
    def queries(query: dict[str, str]) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert Client().get(reverse("public_action_plans:index"), query).status_code == 200
        return len(captured)

    assert queries({}) == queries({"body": "sagrabis"}) == queries({"status": "complete"})


@pytest.mark.parametrize("role", [Role.NATIONAL_ANALYST, Role.POLICY_OFFICER])
def test_signed_in_people_read_the_public_pages_too(built, role):
    body = NationalBody.objects.get(code="ades")
    place = {"national_body": body} if role == Role.POLICY_OFFICER else {"nation": body.nation}
    client = Client()
    client.force_login(staff_member("reader@example.org", role, **place))

    assert client.get(reverse("public_action_plans:index")).status_code == 200
    assert client.get(reverse("public_action_plans:feed")).status_code == 200
