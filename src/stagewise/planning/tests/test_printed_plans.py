"""Printed plans: every type of plan prints every one of its sections, in English and in Welsh, as
an accessible (tagged, PDF/UA-1) PDF, and a family's copy holds nothing meant only for staff.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from stagewise.accounts.models import User
from stagewise.learners.models import Carer, CarerRelationship, Learner, LearnerCarer
from stagewise.organisations.models import Role, role_label
from stagewise.planning.models import Plan, PlanSection
from stagewise.planning.services import content_fingerprint, plan_revise, plan_staff_notes_update
from stagewise.testing.factories import (
    MembershipFactory,
    SettingFactory,
    UserFactory,
    authority,
    enrolled_learner,
    with_authenticator_app,
)
from stagewise.testing.pdf import pdf_metadata, pdf_text
from stagewise.testing.plans import acting, finalised_plan, started_plan

pytestmark = pytest.mark.django_db

SCOTLAND, WALES = "scotland", "wales"

# Each type of plan: the nation of its learner, who writes it and who signs it off.
PLAN_TYPES = {
    "personal_learning_plan": (SCOTLAND, "teacher", "teacher"),
    "individualised_educational_programme": (SCOTLAND, "teacher", "teacher"),
    "childs_plan": (SCOTLAND, "teacher", "support_lead"),
    "coordinated_support_plan": (SCOTLAND, "teacher", "authority_officer"),
    "individual_development_plan_school": (WALES, "alnco", "alnco"),
    "individual_development_plan_local_authority": (WALES, "alnco", "cardiff_officer"),
}

TARGET_TEXT = "Target outcome 1: read a short text aloud"
PROVISION_TEXT = "Small-group reading support 1"
VIEWS_TEXT = "says: I like maths when it is practical."


@dataclass
class Printed:
    plan: Plan
    learner: Learner
    signer: User
    client: Client

    def pdf(self, language: str = "en", **query: str) -> bytes:
        response = self.client.get(pdf_url(self.plan), {"language": language, **query})
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        return response.content


def pdf_url(plan: Plan) -> str:
    return reverse("planning:pdf", args=[plan.learner.public_id, plan.public_id])


def print_url(plan: Plan) -> str:
    return reverse("planning:print", args=[plan.learner.public_id, plan.public_id])


@pytest.fixture
def welsh_learner(world) -> Learner:
    cardiff = authority("Cardiff")
    school = SettingFactory.create(authority=cardiff, name="Ysgol Gynradd Glan Taf")
    return enrolled_learner(
        school, year_group="Y6", legal_first_name="Megan", legal_last_name="Jones"
    )


@pytest.fixture
def alnco(welsh_learner) -> User:
    user = with_authenticator_app(
        UserFactory.create(email="alnco@example.org", full_name="Rhian Price")
    )
    MembershipFactory.create(
        user=user,
        role=Role.SUPPORT_FOR_LEARNING_LEAD,
        setting=welsh_learner.enrolments.get().setting,
    )
    return user


@pytest.fixture
def cardiff_officer(welsh_learner) -> User:
    user = with_authenticator_app(
        UserFactory.create(email="cardiff-officer@example.org", full_name="Dafydd Morgan")
    )
    MembershipFactory.create(
        user=user, role=Role.LOCAL_AUTHORITY_OFFICER, authority=authority("Cardiff")
    )
    return user


@pytest.fixture
def printed(request, client) -> Callable[[str], Printed]:
    """printed(key): a finalised plan of that type, and a client signed in as its signer."""

    def build(key: str) -> Printed:
        nation, writer, signer = PLAN_TYPES[key]
        learner = request.getfixturevalue("learner" if nation == SCOTLAND else "welsh_learner")
        signing = request.getfixturevalue(signer)
        plan = finalised_plan(
            acting(request.getfixturevalue(writer)), learner, key, signer=acting(signing)
        )
        client.force_login(signing)
        return Printed(plan, learner, signing, client)

    return build


def expected_headings(plan: Plan, language: str) -> list[str]:
    """Each section's heading as the printed plan must show it: its number on the prescribed
    form, where it has one, then its title in the language of the document."""
    headings = []
    for section in PlanSection.objects.filter(plan_type=plan.plan_type).order_by("order"):
        title = section.title_cy if language == "cy" else section.title
        headings.append(f"{section.number} {title}" if section.number else title)
    return headings


def sign_off_line(printed: "Printed", role: str, language: str, signed_on: date) -> str:
    """The sign-off as the plan's nation names the role (an ALNCo in Wales)."""
    signer = printed.signer
    with translation.override(language):
        return gettext("Signed off by %(name)s, %(role)s, on %(date)s.") % {
            "name": signer.full_name,
            "role": role_label(role, printed.plan.authority.nation.code),
            "date": dateformat.format(signed_on, "j F Y"),
        }


# ---------------------------------------------------------------------------------------------
# Every plan type, in both languages


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("key", PLAN_TYPES)
def test_a_finalised_plan_prints_every_section_as_an_accessible_pdf_in_the_language_asked_for(
    printed, key, language
):
    plan = printed(key)

    pdf = plan.pdf(language)  # made once: rendering is the slow part
    text, metadata = pdf_text(pdf), pdf_metadata(pdf)

    for heading in expected_headings(plan.plan, language):
        assert heading in text, heading
    assert plan.learner.display_name in text
    assert TARGET_TEXT in text
    assert PROVISION_TEXT in text
    assert f"{plan.learner} {VIEWS_TEXT}" in text
    assert f"Their mum {VIEWS_TEXT}" in text
    role = plan.signer.memberships.get().role
    assert sign_off_line(plan, role, language, timezone.localdate()) in text
    # Accessible: tagged PDF/UA with a structure of headings, a title and its language.
    assert metadata["language"] == language
    assert metadata["tagged"]
    assert metadata["has_structure_tree"]
    assert metadata["pdfua_part"] == 1
    assert metadata["title"] and plan.learner.display_name in metadata["title"]
    assert metadata["display_title"]
    assert "H1" in metadata["structure_types"] and "H2" in metadata["structure_types"]


def test_the_welsh_pdf_names_the_plan_type_in_welsh(printed):
    plan = printed("individual_development_plan_school")

    text = pdf_text(plan.pdf("cy"))

    assert "Cynllun datblygu unigol (a gynhelir gan yr ysgol)" in text
    assert pdf_metadata(plan.pdf("cy"))["title"].startswith("Cynllun datblygu unigol")


def test_a_printed_welsh_plan_says_whether_each_provision_is_delivered_in_welsh(printed):
    plan = printed("individual_development_plan_school")

    text = pdf_text(plan.pdf("en"))

    assert "In Welsh" in text


@pytest.mark.parametrize("key", PLAN_TYPES)
def test_the_print_friendly_page_shows_every_section_heading(printed, key):
    plan = printed(key)

    response = plan.client.get(print_url(plan.plan))

    assert response.status_code == 200
    html = response.content.decode()
    for heading in expected_headings(plan.plan, "en"):
        assert escape(heading) in html, heading
    assert escape(plan.learner.display_name) in html
    role = plan.signer.memberships.get().role
    assert escape(sign_off_line(plan, role, "en", timezone.localdate())) in html


# ---------------------------------------------------------------------------------------------
# Drafts, versions and who may print


def test_a_draft_printed_by_staff_says_it_is_a_draft(signed_in, teacher, learner):
    plan = started_plan(acting(teacher), learner, "individualised_educational_programme")
    client = signed_in("teacher")

    text = pdf_text(client.get(pdf_url(plan), {"language": "en"}).content)
    page = client.get(print_url(plan)).content.decode()

    assert "Draft: this plan has not been finalised." in text
    assert "Draft: this plan has not been finalised." in page


def test_a_finalised_plan_is_not_printed_as_a_draft(printed):
    plan = printed("individualised_educational_programme")

    assert "Draft" not in pdf_text(plan.pdf("en"))


def test_a_plan_being_revised_prints_as_a_draft_and_its_signed_version_on_request(printed):
    plan = printed("individualised_educational_programme")
    plan_revise(actor=acting(plan.signer), plan=plan.plan)

    draft = pdf_text(plan.pdf("en"))
    signed = pdf_text(plan.pdf("en", version="1"))

    assert "Draft: this plan has not been finalised." in draft
    assert "Version 2" in draft
    assert "Draft" not in signed
    assert "Version 1" in signed
    role = plan.signer.memberships.get().role
    assert sign_off_line(plan, role, "en", timezone.localdate()) in signed


def test_people_outside_the_learners_circle_cannot_print_the_plan(printed, outsider_teacher):
    plan = printed("individualised_educational_programme")
    plan.client.force_login(outsider_teacher)

    assert plan.client.get(pdf_url(plan.plan), {"language": "en"}).status_code == 404
    assert plan.client.get(print_url(plan.plan)).status_code == 404


def test_a_family_cannot_print_a_plan_that_has_never_been_finalised(signed_in, teacher, learner):
    plan = started_plan(acting(teacher), learner, "individualised_educational_programme")

    response = signed_in("parent").get(pdf_url(plan), {"language": "en"})

    assert response.status_code == 404


# ---------------------------------------------------------------------------------------------
# The family's copy


@pytest.fixture
def family_plan(teacher, parent, learner) -> Plan:
    """A finalised plan for a learner with a second carer, and notes meant only for staff."""
    carer = Carer.objects.create(full_name="Duncan Campbell", telephone="07700 900456")
    LearnerCarer.objects.create(learner=learner, carer=carer, relationship=CarerRelationship.FATHER)
    plan = finalised_plan(acting(teacher), learner, "individualised_educational_programme")
    plan_staff_notes_update(
        actor=acting(teacher),
        plan=plan,
        staff_notes="Staff only: dad not to be told about meetings.",
        based_on=content_fingerprint({"staff_notes": ""}),
    )
    return plan


STAFF_ONLY = [
    "Staff only: dad not to be told about meetings.",  # the plan's staff-only notes
    "Staff only: settles best with a visual timetable.",  # the learner's staff-only notes
]


def test_the_familys_pdf_holds_no_staff_only_notes_and_no_other_carers_telephone(
    signed_in, family_plan, learner
):
    response = signed_in("parent").get(pdf_url(family_plan), {"language": "en"})

    assert response.status_code == 200
    text = pdf_text(response.content)
    assert TARGET_TEXT in text  # it is the plan
    assert "Duncan Campbell" in text  # carers are named
    assert "07700 900456" not in text
    for note in STAFF_ONLY:
        assert note not in text
    assert learner.candidate_number not in text


def test_the_familys_print_page_holds_no_staff_only_notes_and_no_other_carers_telephone(
    signed_in, family_plan
):
    response = signed_in("parent").get(print_url(family_plan))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Duncan Campbell" in html
    assert "07700 900456" not in html
    for note in STAFF_ONLY:
        assert escape(note) not in html


def test_staff_only_notes_are_never_printed_even_for_staff(signed_in, family_plan):
    text = pdf_text(signed_in("teacher").get(pdf_url(family_plan), {"language": "en"}).content)

    assert TARGET_TEXT in text
    for note in STAFF_ONLY:
        assert note not in text
