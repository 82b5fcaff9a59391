"""Published pathways: each local authority's services, for anyone to read without signing in,
in English or Welsh; kept by the authority's own officers (and administrators), with every change
audited.

The world (built once for this module; each test's changes are rolled back): Glasgow City has an
educational psychology service and a family support charity with published pathways, and a
speech and language therapy service without one; Cardiff has an educational psychology service
with a pathway in both languages; Fife has a service without one. `glasgow_officer` works for
Glasgow, `fife_officer` for Fife; `administrator` configures the platform; `teacher` teaches in
Glasgow.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stagewise.accounts.models import User
from stagewise.audit.models import AuditAction, AuditEvent
from stagewise.coordination.models import ServicePathway
from stagewise.coordination.services import pathway_save
from stagewise.organisations.models import Agency, AgencyType, LocalAuthority, Role
from stagewise.policy import SYSTEM, CapabilityRequired
from stagewise.statutory.models import NationalStage
from stagewise.testing.factories import (
    AgencyFactory,
    MembershipFactory,
    SettingFactory,
    UserFactory,
    authority,
)
from stagewise.testing.plans import acting

pytestmark = pytest.mark.django_db


@dataclass
class PathwayWorld:
    glasgow: LocalAuthority
    cardiff: LocalAuthority
    fife: LocalAuthority
    psychology: Agency
    charity: Agency
    speech: Agency
    cardiff_psychology: Agency
    fife_service: Agency
    glasgow_officer: User
    fife_officer: User
    administrator: User
    teacher: User


def pathway_fields(**changes: Any) -> dict[str, Any]:
    """A complete, valid pathway, as the form would send it to the service."""
    return {
        "summary": "Educational psychologists help schools understand and support learning.",
        "access_criteria": "Children aged 0 to 18 at a school in the authority.",
        "request_must_include": "What the school has tried, and the family's views.",
        "usual_stages": [NationalStage.TARGETED, NationalStage.SPECIALIST],
        "response_weeks": 6,
        "telephone": "0141 496 0100",
        "email": "psychology@glasgow.example.org",
    } | changes


def staff(email: str, role: str, **organisation: Any) -> User:
    user = UserFactory.create(email=email, full_name=email.split("@")[0].title())
    MembershipFactory.create(user=user, role=role, **organisation)
    return user


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[PathwayWorld]:
    with django_db_blocker.unblock(), transaction.atomic():
        glasgow, cardiff, fife = authority("Glasgow City"), authority("Cardiff"), authority("Fife")
        built = PathwayWorld(
            glasgow=glasgow,
            cardiff=cardiff,
            fife=fife,
            psychology=AgencyFactory.create(
                authority=glasgow,
                name="Glasgow Educational Psychology Service",
                agency_type=AgencyType.EDUCATIONAL_PSYCHOLOGY,
            ),
            charity=AgencyFactory.create(
                authority=glasgow,
                name="Glasgow Family Support Network",
                agency_type=AgencyType.THIRD_SECTOR,
            ),
            speech=AgencyFactory.create(
                authority=glasgow,
                name="Glasgow Speech and Language Therapy",
                agency_type=AgencyType.SPEECH_AND_LANGUAGE_THERAPY,
            ),
            cardiff_psychology=AgencyFactory.create(
                authority=cardiff,
                name="Cardiff Educational Psychology Service",
                name_cy="Gwasanaeth Seicoleg Addysg Caerdydd",
                agency_type=AgencyType.EDUCATIONAL_PSYCHOLOGY,
            ),
            fife_service=AgencyFactory.create(authority=fife, name="Fife Social Work"),
            glasgow_officer=staff(
                "glasgow-officer@example.org", Role.LOCAL_AUTHORITY_OFFICER, authority=glasgow
            ),
            fife_officer=staff(
                "fife-officer@example.org", Role.LOCAL_AUTHORITY_OFFICER, authority=fife
            ),
            administrator=staff("administrator@example.org", Role.SYSTEM_ADMINISTRATOR),
            teacher=staff(
                "teacher@example.org",
                Role.CLASS_TEACHER,
                setting=SettingFactory.create(authority=glasgow),
            ),
        )
        pathway_save(actor=SYSTEM, service=built.psychology, **pathway_fields())
        pathway_save(
            actor=SYSTEM,
            service=built.charity,
            **pathway_fields(
                summary="A charity for families of children who need extra support.",
                usual_stages=[NationalStage.UNIVERSAL],
                response_weeks=1,
                telephone="0141 496 0170",
                email="",
                website="https://www.familysupport.example.org/",
                accepts_requests=False,
            ),
        )
        pathway_save(
            actor=SYSTEM,
            service=built.cardiff_psychology,
            **pathway_fields(
                summary_cy="Mae seicolegwyr addysg yn helpu ysgolion i ddeall a chefnogi dysgu.",
                access_criteria_cy="Plant rhwng 0 a 18 oed mewn ysgol yn yr awdurdod.",
                request_must_include_cy="Beth mae'r ysgol wedi rhoi cynnig arno.",
                telephone="029 2018 0100",
                email="seicoleg@cardiff.example.org",
            ),
        )
        yield built
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _staff_need_no_authenticator_app(settings: Any) -> None:
    """Two-factor set-up is tested in accounts; here it would only redirect every request."""
    settings.STAFF_TWO_FACTOR_REQUIRED = False


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response: Any) -> str:
    return response.content.decode()


def edit_url(authority: LocalAuthority, agency: Agency) -> str:
    return reverse("pathways:edit", args=[authority.code, agency.pk])


def form_data(**changes: Any) -> dict[str, Any]:
    data = pathway_fields(**changes)
    if data.get("accepts_requests", True):
        data["accepts_requests"] = "true"
    else:
        del data["accepts_requests"]
    return data


# Published for anyone -----------------------------------------------------------------------


def test_the_index_lists_every_authority_by_nation_for_a_visitor_signed_out(world):
    response = Client().get(reverse("pathways:index"))

    assert response.status_code == 200
    assert "Scotland" in text(response) and "Wales" in text(response)
    assert reverse("pathways:authority", args=["glasgow-city"]) in text(response)
    assert reverse("pathways:authority", args=["cardiff"]) in text(response)


def test_an_authority_page_lists_its_services_by_type_with_how_to_contact_each(world):
    response = Client().get(reverse("pathways:authority", args=[world.glasgow.code]))

    assert response.status_code == 200
    page = text(response)
    assert "Glasgow Educational Psychology Service" in page
    assert "Educational psychology" in page and "Third sector" in page
    assert "Children aged 0 to 18 at a school in the authority." in page
    assert "Targeted, Specialist" in page
    assert "Usually answers within 6 weeks" in page
    assert "Usually answers within 1 week" in page
    assert "0141 496 0100" in page
    assert "mailto:psychology@glasgow.example.org" in page
    assert "https://www.familysupport.example.org/" in page
    assert "Schools and the local authority send requests through Stagewise." in page
    assert "Families and schools contact the service directly." in page
    # A service with no pathway is not published, nor is another authority's.
    assert "Glasgow Speech and Language Therapy" not in page
    assert "Cardiff Educational Psychology Service" not in page
    # Nobody signed in: no way to change them.
    assert reverse("pathways:manage", args=[world.glasgow.code]) not in page


def test_the_welsh_page_shows_the_welsh_texts(world):
    client = Client()
    client.cookies["stagewise_language"] = "cy"

    response = client.get(reverse("pathways:authority", args=[world.cardiff.code]))

    page = text(response)
    assert 'lang="cy"' in page
    assert "Gwasanaeth Seicoleg Addysg Caerdydd" in page
    assert "Mae seicolegwyr addysg yn helpu ysgolion i ddeall a chefnogi dysgu." in page
    assert "Plant rhwng 0 a 18 oed mewn ysgol yn yr awdurdod." in page
    assert "Seicoleg addysg" in page
    assert "Educational psychologists help schools" not in page


def test_an_unknown_authority_code_is_not_found(world):
    assert Client().get(reverse("pathways:authority", args=["atlantis"])).status_code == 404


def test_an_authority_with_no_published_pathways_says_so(world):
    response = Client().get(reverse("pathways:authority", args=[world.fife.code]))

    assert response.status_code == 200
    assert "Fife has not published the pathways of its services yet." in text(response)


def test_the_authority_page_makes_as_many_queries_however_many_services_it_lists(world):
    url = reverse("pathways:authority", args=[world.glasgow.code])
    client = Client()
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(4):
        extra = AgencyFactory.create(
            authority=world.glasgow,
            name=f"Glasgow Extra Service {number}",
            agency_type=AgencyType.values[number],
        )
        pathway_save(actor=SYSTEM, service=extra, **pathway_fields())

    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert "Glasgow Extra Service 3" in text(response)
    assert len(many) == len(few)


def test_the_authority_page_offers_its_officer_a_way_to_change_the_pathways(world):
    manage = reverse("pathways:manage", args=[world.glasgow.code])

    own = signed_in(world.glasgow_officer).get(reverse("pathways:authority", args=["glasgow-city"]))
    other = signed_in(world.fife_officer).get(reverse("pathways:authority", args=["glasgow-city"]))

    assert manage in text(own)
    assert manage not in text(other)


# Kept by the authority ----------------------------------------------------------------------


def test_an_officer_sees_every_service_of_their_authority_published_or_not(world):
    response = signed_in(world.glasgow_officer).get(
        reverse("pathways:manage", args=[world.glasgow.code])
    )

    assert response.status_code == 200
    assert "Glasgow Speech and Language Therapy" in text(response)
    assert edit_url(world.glasgow, world.speech) in text(response)
    assert "Fife Social Work" not in text(response)


def test_an_officer_publishes_a_pathway_for_their_own_authoritys_service_and_it_is_audited(world):
    client = signed_in(world.glasgow_officer)

    response = client.post(
        edit_url(world.glasgow, world.speech),
        form_data(summary="Speech and language therapists help children communicate."),
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("pathways:manage", args=[world.glasgow.code])
    pathway = ServicePathway.objects.get(service=world.speech)
    assert pathway.summary == "Speech and language therapists help children communicate."
    assert pathway.usual_stages == [NationalStage.TARGETED, NationalStage.SPECIALIST]
    event = AuditEvent.objects.filter(object_type="service_pathway").latest("pk")
    assert event.action == AuditAction.CREATE
    assert event.user == world.glasgow_officer
    assert event.object_id == str(world.speech.pk)
    public = Client().get(reverse("pathways:authority", args=[world.glasgow.code]))
    assert "Speech and language therapists help children communicate." in text(public)


def test_a_change_is_audited_with_what_it_was_and_what_it_became(world):
    client = signed_in(world.glasgow_officer)

    client.post(edit_url(world.glasgow, world.psychology), form_data(response_weeks="8"))

    assert ServicePathway.objects.get(service=world.psychology).response_weeks == 8
    event = AuditEvent.objects.filter(object_type="service_pathway").latest("pk")
    assert event.action == AuditAction.UPDATE
    assert event.changes == {"response_weeks": [6, 8]}


def test_saving_without_a_change_records_nothing(world):
    before = AuditEvent.objects.filter(object_type="service_pathway").count()

    response = signed_in(world.glasgow_officer).post(
        edit_url(world.glasgow, world.psychology), form_data(), follow=True
    )

    assert "Nothing was changed." in text(response)
    assert AuditEvent.objects.filter(object_type="service_pathway").count() == before


def test_an_administrator_keeps_any_authoritys_pathways(world):
    client = signed_in(world.administrator)

    response = client.post(edit_url(world.fife, world.fife_service), form_data())

    assert response.status_code == 302
    assert ServicePathway.objects.filter(service=world.fife_service).exists()


@pytest.mark.parametrize("who", ["fife_officer", "teacher"])
def test_anyone_else_is_refused_and_nothing_is_written(world, who):
    client = signed_in(getattr(world, who))

    manage = client.get(reverse("pathways:manage", args=[world.glasgow.code]))
    form = client.get(edit_url(world.glasgow, world.speech))
    posted = client.post(edit_url(world.glasgow, world.speech), form_data())

    assert (manage.status_code, form.status_code, posted.status_code) == (403, 403, 403)
    assert not ServicePathway.objects.filter(service=world.speech).exists()


def test_a_visitor_signed_out_is_sent_to_sign_in_to_change_a_pathway(world):
    response = Client().get(edit_url(world.glasgow, world.speech))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_another_authoritys_service_cannot_be_reached_through_ones_own_authority(world):
    client = signed_in(world.glasgow_officer)

    response = client.post(edit_url(world.glasgow, world.fife_service), form_data())

    assert response.status_code == 404
    assert not ServicePathway.objects.filter(service=world.fife_service).exists()


def test_the_service_refuses_an_officer_of_another_authority(world):
    with pytest.raises(CapabilityRequired):
        pathway_save(actor=acting(world.fife_officer), service=world.speech, **pathway_fields())

    assert not ServicePathway.objects.filter(service=world.speech).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"telephone": "", "email": ""},
            "Give at least one way to contact the service: a telephone number, an email "
            "address, a website or an address.",
        ),
        ({"response_weeks": "0"}, "The response time must be between 1 and 52 weeks."),
        ({"response_weeks": "53"}, "The response time must be between 1 and 52 weeks."),
        ({"response_weeks": "six"}, "Enter the response time as a whole number of weeks, like 6."),
        ({"usual_stages": ["statutory"]}, "Choose universal, targeted or specialist."),
        (
            {"usual_stages": []},
            "Select at least one stage at which the service is usually involved.",
        ),
        ({"summary": ""}, "Enter what the service does."),
        (
            {"email": "psychology at glasgow"},
            "Enter an email address in the correct format, like name@example.org.",
        ),
    ],
    ids=[
        "no contact",
        "no weeks",
        "over a year",
        "weeks in words",
        "unknown stage",
        "no stage",
        "no summary",
        "bad email",
    ],
)
def test_bad_input_is_explained_in_an_error_summary_and_nothing_is_written(world, changes, message):
    response = signed_in(world.glasgow_officer).post(
        edit_url(world.glasgow, world.speech), form_data(**changes)
    )

    assert response.status_code == 200
    page = text(response).replace("&#x27;", "'")
    assert "govuk-error-summary" in page
    assert message in page
    assert not ServicePathway.objects.filter(service=world.speech).exists()


def test_the_service_refuses_an_unknown_stage_or_a_response_time_out_of_range(world):
    officer = acting(world.glasgow_officer)
    for changes in ({"usual_stages": ["statutory"]}, {"response_weeks": 53}):
        with pytest.raises(ValidationError):
            pathway_save(actor=officer, service=world.speech, **pathway_fields(**changes))

    assert not ServicePathway.objects.filter(service=world.speech).exists()
