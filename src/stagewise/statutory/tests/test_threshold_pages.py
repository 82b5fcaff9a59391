"""The thresholds page: an authority's stages with their descriptors beside the national ones,
read by any member of staff of that authority (and administrators); to anyone else it does not
exist. Its queries do not grow with the number of descriptors."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.fixtures import Settings

from stagewise.accounts.models import User
from stagewise.conftest import World
from stagewise.organisations.models import LocalAuthority
from stagewise.statutory.services.thresholds import (
    LocalDescriptorRow,
    local_threshold_descriptors_add,
)
from stagewise.statutory.threshold_selectors import authority_thresholds_get
from stagewise.synthetic.demo_thresholds import add_demo_thresholds
from stagewise.testing.plans import acting

pytestmark = pytest.mark.django_db

GLASGOW = reverse("thresholds:authority", args=["glasgow-city"])

# Staff of Glasgow (at a school, at the authority, at an agency serving it) and administrators.
READERS = [
    "teacher",
    "outsider_teacher",
    "support_lead",
    "head",
    "authority_officer",
    "psychologist",
    "agency_practitioner",
    "service_manager",
    "administrator",
]
# Fife's officer, families and the national analyst (figures only).
REFUSED = ["other_authority_officer", "parent", "young_person", "analyst"]


@pytest.fixture(autouse=True)
def _staff_need_no_authenticator_app(settings: Settings) -> None:
    settings.STAFF_TWO_FACTOR_REQUIRED = False


@pytest.fixture
def described(world: World) -> None:
    add_demo_thresholds()


@pytest.mark.parametrize("actor", READERS)
def test_staff_of_the_authority_read_its_thresholds(signed_in, described: None, actor: str) -> None:
    response = signed_in(actor).get(GLASGOW)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Thresholds for Glasgow City" in page
    assert "The joint support team: school, educational psychology, health and social work." in page
    assert "Needs arising from one or more complex factors" in page  # the national descriptor
    assert "No local descriptor maps onto this one." in page


@pytest.mark.parametrize("actor", REFUSED)
def test_anyone_else_is_told_the_page_does_not_exist(
    signed_in, described: None, actor: str
) -> None:
    assert signed_in(actor).get(GLASGOW).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(GLASGOW)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_short_address_leads_to_ones_own_authority(signed_in, world: World) -> None:
    fife = signed_in("other_authority_officer").get(reverse("thresholds:own"))

    assert fife.status_code == 302
    assert fife["Location"] == reverse("thresholds:authority", args=["fife"])


def test_an_authority_without_its_own_descriptors_shows_the_national_ones(
    signed_in, world: World
) -> None:
    page = signed_in("support_lead").get(GLASGOW).content.decode()

    assert "Glasgow City has not written its own descriptors yet" in page
    assert "Needs arising from one or more complex factors" in page


def test_the_welsh_page_shows_the_welsh_national_wording_and_marks_english_local_wording(
    signed_in, described: None, support_lead: User
) -> None:
    support_lead.preferred_language = "cy"
    support_lead.save()
    client = signed_in("support_lead")

    page = client.get(GLASGOW).content.decode()

    assert "Anghenion sy&#x27;n codi o un neu ragor o ffactorau cymhleth" in page
    assert '<span lang="en">The joint support team' in page


def test_the_queries_do_not_grow_with_the_descriptors(signed_in, described: None) -> None:
    client = signed_in("authority_officer")
    client.get(GLASGOW)
    with CaptureQueriesContext(connection) as few:
        assert client.get(GLASGOW).status_code == 200
    local_threshold_descriptors_add(
        authority=LocalAuthority.objects.get(name="Glasgow City"),
        rows=[
            LocalDescriptorRow(stage, key, f"More words {number}", "Test", "1")
            for number in range(5)
            for stage, key in (
                (1, "scotland-universal-expected-duration"),
                (2, "scotland-targeted-agencies-involved"),
                (4, "scotland-specialist-tried-at-stage-below"),
            )
        ],
    )
    with CaptureQueriesContext(connection) as many:
        page = client.get(GLASGOW).content.decode()

    assert page.count("More words") == 15
    assert len(many) == len(few)


def test_the_page_reads_its_rows_in_five_queries(
    described: None, authority_officer: User, django_assert_num_queries
) -> None:
    actor = acting(authority_officer)

    # The authority, its stage model, its stages, the national and the local descriptors.
    with django_assert_num_queries(5):
        thresholds = authority_thresholds_get(actor=actor, authority_code="glasgow-city")

    assert [stage.label for stage in thresholds.stages] == ["Universal", "Targeted", "Specialist"]
    assert sum(len(row.local) for stage in thresholds.stages for row in stage.rows) == 11


def test_staff_home_pages_link_to_their_thresholds(signed_in, world: World) -> None:
    link = reverse("thresholds:own")

    assert link in signed_in("teacher").get("/").content.decode()
    assert link not in signed_in("parent").get("/").content.decode()
