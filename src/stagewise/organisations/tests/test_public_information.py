"""Clear information for families, public and bilingual: each authority's page (its stages mapped
to the national frame, how to ask for help, the statutory plans it keeps, its post-16 strategy,
mediation, and the advice services of its nation and its own) and each school's offer, for anyone
to read without signing in; kept by the authority's officers and the school's own leaders, every
change audited.

The world (built once for this module; each test's changes are rolled back): Cardiff has written
its statement in English and Welsh, Glasgow City has not. Riverside Primary (Glasgow) has
published its offer, Northfield Academy (Glasgow) has not; Bayside Primary (Cardiff) has an offer
in both languages. `glasgow_officer` works for Glasgow, `fife_officer` for Fife; `riverside_head`
is Riverside's head teacher, `northfield_lead` Northfield's support-for-learning lead,
`riverside_teacher` a class teacher at Riverside; `administrator` configures the platform.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stagewise.accounts.models import User
from stagewise.audit.models import AuditAction, AuditEvent
from stagewise.organisations.models import LocalAuthority, Nation, Role, Setting
from stagewise.organisations.public_information_models import (
    AdviceService,
    AuthorityStatement,
    SchoolOffer,
    ServiceHelp,
)
from stagewise.organisations.public_information_services import (
    authority_statement_save,
    school_offer_save,
)
from stagewise.policy import SYSTEM, CapabilityRequired
from stagewise.testing.factories import MembershipFactory, SettingFactory, UserFactory, authority
from stagewise.testing.plans import acting
from stagewise.testing.worlds import built_once_per_module

pytestmark = pytest.mark.django_db


@dataclass
class InformationWorld:
    glasgow: LocalAuthority
    cardiff: LocalAuthority
    fife: LocalAuthority
    riverside: Setting
    northfield: Setting
    bayside: Setting
    glasgow_officer: User
    fife_officer: User
    riverside_head: User
    northfield_lead: User
    riverside_teacher: User
    administrator: User


def staff(email: str, role: str, **organisation: Any) -> User:
    user = UserFactory.create(email=email, full_name=email.split("@")[0].title())
    MembershipFactory.create(user=user, role=role, **organisation)
    return user


def build() -> InformationWorld:
    glasgow, cardiff, fife = authority("Glasgow City"), authority("Cardiff"), authority("Fife")
    riverside = SettingFactory.create(authority=glasgow, name="Riverside Primary School")
    northfield = SettingFactory.create(authority=glasgow, name="Northfield Academy")
    bayside = SettingFactory.create(
        authority=cardiff, name="Bayside Primary School", name_cy="Ysgol Gynradd Glan y Bae"
    )
    authority_statement_save(
        actor=SYSTEM,
        authority=cardiff,
        how_to_ask="Speak to your child's ALNCo first.",
        how_to_ask_cy="Siaradwch â CADY eich plentyn yn gyntaf.",
        plans_kept="The authority keeps the plans of looked-after children.",
        plans_kept_cy="Mae'r awdurdod yn cadw cynlluniau plant sy'n derbyn gofal.",
        post_16="Planning for college starts in Year 9.",
        mediation="Disagreement resolution is free.",
    )
    school_offer_save(
        actor=SYSTEM,
        setting=riverside,
        statement="Children who need more get the support below.",
        provision=[("Small-group reading sessions", ""), ("A quiet base at lunchtime", "")],
    )
    school_offer_save(
        actor=SYSTEM,
        setting=bayside,
        statement="The provision below is additional learning provision.",
        statement_cy="Darpariaeth ddysgu ychwanegol yw'r ddarpariaeth isod.",
        provision=[("Daily numeracy sessions", "Sesiynau rhifedd bob dydd")],
    )
    return InformationWorld(
        glasgow=glasgow,
        cardiff=cardiff,
        fife=fife,
        riverside=riverside,
        northfield=northfield,
        bayside=bayside,
        glasgow_officer=staff(
            "glasgow-officer@example.org", Role.LOCAL_AUTHORITY_OFFICER, authority=glasgow
        ),
        fife_officer=staff(
            "fife-officer@example.org", Role.LOCAL_AUTHORITY_OFFICER, authority=fife
        ),
        riverside_head=staff("riverside-head@example.org", Role.HEAD_TEACHER, setting=riverside),
        northfield_lead=staff(
            "northfield-lead@example.org", Role.SUPPORT_FOR_LEARNING_LEAD, setting=northfield
        ),
        riverside_teacher=staff(
            "riverside-teacher@example.org", Role.CLASS_TEACHER, setting=riverside
        ),
        administrator=staff("administrator@example.org", Role.SYSTEM_ADMINISTRATOR),
    )


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[InformationWorld]:
    with built_once_per_module(build, django_db_blocker) as built:
        yield built


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def in_welsh() -> Client:
    client = Client()
    client.cookies["stagewise_language"] = "cy"
    return client


def text(response: Any) -> str:
    return response.content.decode()


def authority_url(place: LocalAuthority) -> str:
    return reverse("information:authority", args=[place.code])


def school_url(setting: Setting) -> str:
    return reverse("information:school", args=[setting.authority.code, setting.pk])


def offer_edit_url(setting: Setting) -> str:
    return reverse("information:offer_edit", args=[setting.authority.code, setting.pk])


def statement_edit_url(place: LocalAuthority) -> str:
    return reverse("information:statement_edit", args=[place.code])


# The advice services, as data -------------------------------------------------------------------


def test_the_advice_services_of_both_nations_are_loaded_with_only_the_details_known():
    national = AdviceService.objects.filter(authority__isnull=True)
    names = {service.name: service for service in national}

    assert {
        "Enquire",
        "My Rights, My Say",
        "Let's Talk ASN",
        "First-tier Tribunal for Scotland, Health and Education Chamber",
        "SNAP Cymru",
        "Education Tribunal for Wales",
    } <= set(names)
    assert names["Enquire"].telephone == "0345 123 2303"
    assert names["Enquire"].details_confirmed
    # Nothing guessed: what RULES.md marks unverified waits for the authority to confirm.
    assert not names["SNAP Cymru"].details_confirmed and not names["SNAP Cymru"].has_contact
    assert names["Education Tribunal for Wales"].nation.code == Nation.WALES
    assert names["Education Tribunal for Wales"].helps_with == [ServiceHelp.TRIBUNAL]


# Published for anyone ---------------------------------------------------------------------------


def test_the_index_lists_every_authority_by_nation_for_a_visitor_signed_out(world):
    response = Client().get(reverse("information:index"))

    assert response.status_code == 200
    assert authority_url(world.glasgow) in text(response)
    assert authority_url(world.cardiff) in text(response)


def test_a_scottish_authority_page_maps_its_stages_and_lists_its_nations_advice_services(world):
    response = Client().get(authority_url(world.glasgow))

    page = text(response)
    assert response.status_code == 200
    assert "Additional support for learning: Glasgow City" in page
    # The stages come from the statutory rules: Glasgow's own model, mapped to the frame.
    assert "Glasgow staged intervention" in page and "Stage 4" in page
    assert "Specialist" in page
    assert "Co-ordinated support plans" in page
    assert "Enquire" in page and 'href="tel:03451232303"' in page
    assert "Let&#x27;s Talk ASN" in page
    assert "Contact details to be confirmed by the local authority." in page
    assert "SNAP Cymru" not in page
    # Schools, each linked, marked when they have not published an offer.
    assert school_url(world.riverside) in page and school_url(world.northfield) in page
    assert "not published yet" in page
    # Nobody signed in: no way to change it.
    assert statement_edit_url(world.glasgow) not in page


def test_a_section_the_authority_has_not_written_says_so_and_points_to_advice(world):
    page = text(Client().get(authority_url(world.glasgow)))

    assert page.count("Glasgow City has not written this section yet.") == 4
    assert 'href="#advice-services"' in page and 'id="advice-services"' in page


def test_the_welsh_page_shows_the_welsh_texts_and_the_nations_words(world):
    page = text(in_welsh().get(authority_url(world.cardiff)))

    assert 'lang="cy"' in page
    assert "Siaradwch â CADY eich plentyn yn gyntaf." in page
    assert "Mae&#x27;r awdurdod yn cadw cynlluniau plant sy&#x27;n derbyn gofal." in page
    # A section with no Welsh shows the English rather than nothing.
    assert "Planning for college starts in Year 9." in page
    assert "Tribiwnlys Addysg Cymru" in page and "SNAP Cymru" in page
    assert "Enquire" not in page
    assert "Cynlluniau datblygu unigol y mae&#x27;r awdurdod yn eu cadw" in page


def test_a_school_page_shows_its_offer_item_by_item(world):
    page = text(Client().get(school_url(world.riverside)))

    assert "Additional support the school provides" in page
    assert "Children who need more get the support below." in page
    assert "<li>Small-group reading sessions</li>" in page
    assert "Enquire" in page


def test_a_welsh_school_page_shows_the_welsh_offer(world):
    page = text(in_welsh().get(school_url(world.bayside)))

    assert "Ysgol Gynradd Glan y Bae" in page
    assert "Darpariaeth ddysgu ychwanegol yw&#x27;r ddarpariaeth isod." in page
    assert "<li>Sesiynau rhifedd bob dydd</li>" in page


def test_a_school_without_an_offer_says_so_and_whom_to_ask(world):
    page = text(Client().get(school_url(world.northfield)))

    assert "Northfield Academy has not published its offer yet." in page
    assert "head teacher or support-for-learning lead" in page


def test_unknown_authorities_and_another_authoritys_school_are_not_found(world):
    client = Client()

    assert client.get(reverse("information:authority", args=["atlantis"])).status_code == 404
    elsewhere = reverse("information:school", args=[world.glasgow.code, world.bayside.pk])
    assert client.get(elsewhere).status_code == 404


def test_the_authority_and_school_pages_make_as_many_queries_however_much_they_list(world):
    client = Client()
    with CaptureQueriesContext(connection) as few_authority:
        client.get(authority_url(world.glasgow))
    with CaptureQueriesContext(connection) as few_school:
        client.get(school_url(world.riverside))
    for number in range(3):
        SettingFactory.create(authority=world.glasgow, name=f"Extra School {number}")
        AdviceService.objects.create(
            key=f"extra-{number}",
            nation=world.glasgow.nation,
            authority=world.glasgow,
            name=f"Extra Mediation {number}",
            description="Mediation.",
            helps_with=[ServiceHelp.MEDIATION],
        )
    school_offer_save(
        actor=SYSTEM,
        setting=world.riverside,
        statement="More support.",
        provision=[(f"Provision {number}", "") for number in range(6)],
    )

    with CaptureQueriesContext(connection) as many_authority:
        authority_page = client.get(authority_url(world.glasgow))
    with CaptureQueriesContext(connection) as many_school:
        school_page = client.get(school_url(world.riverside))

    assert "Extra School 2" in text(authority_page) and "Extra Mediation 2" in text(authority_page)
    # The nation's services first, then the authority's own, on every database.
    assert text(authority_page).index("Enquire") < text(authority_page).index("Extra Mediation 0")
    assert "Provision 5" in text(school_page)
    assert len(many_authority) == len(few_authority)
    assert len(many_school) == len(few_school)


# Kept by the authority and the school -----------------------------------------------------------


def test_an_officer_publishes_their_authoritys_statement_and_it_is_audited(world):
    client = signed_in(world.glasgow_officer)
    assert statement_edit_url(world.glasgow) in text(client.get(authority_url(world.glasgow)))

    response = client.post(
        statement_edit_url(world.glasgow),
        {"how_to_ask": "Talk to the class teacher first.", "post_16": "Transition from S3."},
    )

    assert response.status_code == 302
    assert response["Location"] == authority_url(world.glasgow)
    statement = AuthorityStatement.objects.get(authority=world.glasgow)
    assert statement.how_to_ask == "Talk to the class teacher first."
    event = AuditEvent.objects.filter(object_type="authority_statement").latest("pk")
    assert event.action == AuditAction.CREATE
    assert event.user == world.glasgow_officer
    assert event.changes == {
        "how_to_ask": ["", "Talk to the class teacher first."],
        "post_16": ["", "Transition from S3."],
    }
    page = text(Client().get(authority_url(world.glasgow)))
    assert "Talk to the class teacher first." in page
    assert page.count("Glasgow City has not written this section yet.") == 2


def test_only_the_authoritys_own_officers_and_administrators_keep_its_statement(world):
    url = statement_edit_url(world.glasgow)

    assert signed_in(world.fife_officer).get(url).status_code == 403
    assert signed_in(world.fife_officer).post(url, {"how_to_ask": "x"}).status_code == 403
    assert signed_in(world.riverside_head).get(url).status_code == 403
    assert signed_in(world.administrator).get(url).status_code == 200
    assert Client().get(url).status_code == 302  # to sign in
    assert not AuthorityStatement.objects.filter(authority=world.glasgow).exists()
    with pytest.raises(CapabilityRequired):
        authority_statement_save(
            actor=acting(world.fife_officer), authority=world.glasgow, how_to_ask="x"
        )


def test_a_statement_too_long_is_shown_in_the_error_summary_and_not_saved(world):
    response = signed_in(world.glasgow_officer).post(
        statement_edit_url(world.glasgow), {"how_to_ask": "x" * 3_001}
    )

    assert response.status_code == 200
    assert "govuk-error-summary" in text(response)
    assert 'href="#id_how_to_ask"' in text(response)
    assert not AuthorityStatement.objects.filter(authority=world.glasgow).exists()


def test_a_head_teacher_publishes_their_schools_offer_in_both_languages_and_it_is_audited(world):
    client = signed_in(world.northfield_lead)
    assert offer_edit_url(world.northfield) in text(client.get(school_url(world.northfield)))

    response = client.post(
        offer_edit_url(world.northfield),
        {
            "statement": "The support for learning base is open all day.",
            "provision": "A key adult\n\nScribes in assessments\n",
            "provision_cy": "Oedolyn allweddol\nYsgrifenyddion mewn asesiadau",
        },
    )

    assert response.status_code == 302
    offer = SchoolOffer.objects.get(setting=world.northfield)
    assert [(i.description, i.description_cy) for i in offer.items.all()] == [
        ("A key adult", "Oedolyn allweddol"),
        ("Scribes in assessments", "Ysgrifenyddion mewn asesiadau"),
    ]
    event = AuditEvent.objects.filter(object_type="school_offer").latest("pk")
    assert event.action == AuditAction.CREATE
    assert event.user == world.northfield_lead
    assert event.changes is not None
    assert event.changes["provision"] == [
        [],
        [
            ["A key adult", "Oedolyn allweddol"],
            ["Scribes in assessments", "Ysgrifenyddion mewn asesiadau"],
        ],
    ]


def test_only_the_schools_own_leaders_and_administrators_keep_its_offer(world):
    url = offer_edit_url(world.riverside)

    assert signed_in(world.riverside_head).get(url).status_code == 200
    assert signed_in(world.administrator).get(url).status_code == 200
    assert signed_in(world.northfield_lead).get(url).status_code == 403
    assert signed_in(world.northfield_lead).post(url, {"statement": "x"}).status_code == 403
    assert signed_in(world.riverside_teacher).get(url).status_code == 403
    assert signed_in(world.glasgow_officer).get(url).status_code == 403
    elsewhere = reverse("information:offer_edit", args=[world.glasgow.code, world.bayside.pk])
    assert signed_in(world.administrator).get(elsewhere).status_code == 404
    assert SchoolOffer.objects.get(setting=world.riverside).statement.startswith("Children")
    with pytest.raises(CapabilityRequired):
        school_offer_save(
            actor=acting(world.northfield_lead),
            setting=world.riverside,
            statement="x",
            provision=[],
        )


def test_bad_offers_are_shown_in_the_error_summary_and_not_saved(world):
    client = signed_in(world.northfield_lead)
    url = offer_edit_url(world.northfield)

    empty = client.post(url, {"statement": ""})
    mismatched = client.post(
        url, {"statement": "Support.", "provision": "One\nTwo", "provision_cy": "Un"}
    )
    too_long = client.post(url, {"statement": "Support.", "provision": "x" * 301})

    assert "Enter the school&#x27;s statement." in text(empty)
    assert "there are 2 in English and 1 in Welsh" in text(mismatched)
    assert "Line 1 is 301 characters long" in text(too_long)
    for response in (empty, mismatched, too_long):
        assert response.status_code == 200
        assert "govuk-error-summary" in text(response)
    assert not SchoolOffer.objects.filter(setting=world.northfield).exists()


def test_saving_an_unchanged_offer_records_nothing(world):
    client = signed_in(world.riverside_head)
    events = AuditEvent.objects.filter(object_type="school_offer").count()

    response = client.post(
        offer_edit_url(world.riverside),
        {
            "statement": "Children who need more get the support below.",
            "provision": "Small-group reading sessions\nA quiet base at lunchtime",
        },
    )

    assert response.status_code == 302
    assert AuditEvent.objects.filter(object_type="school_offer").count() == events
