"""The family's own part in a planned transition (ADR 0020), in their own words.

The world (built once for this module; each test's changes are rolled back):
- Sam Fraser, in P7 at Riverside Primary in Glasgow, moves up to secondary school in two months:
  the school's support-for-learning lead planned it, wrote the transition plan (staff only) and
  noted the family's part with them. Sam has his own account; his mother Morag and his father
  Iain, who live apart, each have portal access. A transition planned for last week has passed.
- Rory Fraser, 17, in S6 at the same school, moves school next month; he lets his mother Anne
  see only his needs, not his plans.
- Kirsty Bell, a parent of another learner at the school.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stagewise.accounts.models import User
from stagewise.audit.models import AuditAction, AuditEvent
from stagewise.conftest import staff_member
from stagewise.families.models import TransitionFamilyPart, TransitionPartAuthor
from stagewise.families.transition_part_services import transition_family_part_give
from stagewise.learners.models import (
    Learner,
    ParentPart,
    ParentSharing,
    Transition,
    TransitionKind,
)
from stagewise.learners.services import transition_plan
from stagewise.learners.services.sharing import parent_sharing_decide
from stagewise.organisations.models import Role
from stagewise.testing.factories import (
    SettingFactory,
    UserFactory,
    authority,
    enrolled_learner,
    link_carer,
)
from stagewise.testing.plans import acting
from stagewise.testing.worlds import built_once_per_module

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
STAFF_PLAN = "STAFF-PLAN: six extra visits, a buddy in S1, a pass for the quiet room."
AGREED = "Visit with the class in June."


@dataclass
class TransitionWorld:
    users: dict[str, User]
    sam: Learner
    rory: Learner
    upcoming: Transition
    passed: Transition
    rorys: Transition

    def actor(self, name: str) -> Any:
        return acting(self.users[name])

    def client(self, name: str) -> Client:
        client = Client()
        client.force_login(self.users[name])
        return client

    def address(self, transition: Transition, learner: Learner | None = None) -> str:
        owner = learner or transition.learner
        return reverse("transition_family_part", args=[owner.public_id, transition.public_id])


def _build() -> TransitionWorld:
    school = SettingFactory.create(authority=authority("Glasgow City"), name="Riverside Primary")
    born = TODAY.replace(year=TODAY.year - 11)
    sam = enrolled_learner(
        school, "P7", legal_first_name="Sam", legal_last_name="Fraser", date_of_birth=born
    )
    rory = enrolled_learner(
        school,
        "S6",
        legal_first_name="Rory",
        legal_last_name="Fraser",
        date_of_birth=TODAY.replace(year=TODAY.year - 17) - timedelta(days=30),
    )
    other = enrolled_learner(school, "P6", legal_first_name="Ella", legal_last_name="Bell")
    users = {
        name: UserFactory.create(email=f"{name}@example.org", full_name=full_name)
        for name, full_name in [
            ("morag", "Morag Fraser"),
            ("iain", "Iain Fraser"),
            ("sam", "Sam Fraser"),
            ("anne", "Anne Fraser"),
            ("rory", "Rory Fraser"),
            ("kirsty", "Kirsty Bell"),
        ]
    }
    users["lead"] = staff_member("lead@example.org", Role.SUPPORT_FOR_LEARNING_LEAD, setting=school)
    link_carer(sam, user=users["morag"])
    link_carer(sam, user=users["iain"])
    link_carer(rory, user=users["anne"])
    link_carer(other, user=users["kirsty"])
    for learner, account in ((sam, "sam"), (rory, "rory")):
        learner.young_person_account = users[account]
        learner.save(update_fields=["young_person_account"])
    lead = acting(users["lead"])
    upcoming = transition_plan(
        actor=lead,
        learner=sam,
        kind=TransitionKind.PRIMARY_TO_SECONDARY,
        planned_on=TODAY + timedelta(days=60),
        plan=STAFF_PLAN,
        family_part=AGREED,
    )
    passed = transition_plan(
        actor=lead,
        learner=sam,
        kind=TransitionKind.MOVING_SCHOOL,
        planned_on=TODAY,
        plan="A move that did not happen.",
    )
    Transition.objects.filter(pk=passed.pk).update(planned_on=TODAY - timedelta(days=7))
    passed.refresh_from_db()
    rorys = transition_plan(
        actor=lead,
        learner=rory,
        kind=TransitionKind.MOVING_SCHOOL,
        planned_on=TODAY + timedelta(days=30),
        plan="Rory moves to the college's school link.",
    )
    parent_sharing_decide(
        actor=acting(users["rory"]),
        learner=rory,
        sharing=ParentSharing.CHOSEN_PARTS,
        parts=[ParentPart.NEEDS],
    )
    return TransitionWorld(users, sam, rory, upcoming, passed, rorys)


@pytest.fixture(scope="module")
def module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[TransitionWorld]:
    with built_once_per_module(_build, django_db_blocker) as built:
        yield built


@pytest.fixture
def tw(module_world: TransitionWorld, db: None) -> TransitionWorld:
    return module_world


def test_a_parent_writes_their_part_from_the_home_page_and_changes_it_later(tw):
    client = tw.client("morag")
    home = client.get(reverse("home")).content.decode()
    assert tw.address(tw.upcoming) in home
    assert "Add your part and views" in home

    response = client.post(
        tw.address(tw.upcoming),
        {"words": "We will visit in May.\nSam is worried about <b>lunchtimes</b>."},
    )

    assert response.status_code == 302
    part = TransitionFamilyPart.objects.get(transition=tw.upcoming)
    assert part.author == tw.users["morag"]
    assert part.author_kind == TransitionPartAuthor.PARENT_CARER
    assert part.author_name == "Morag Fraser"
    # Kept exactly as typed, escaped where it is shown.
    assert part.words == "We will visit in May.\nSam is worried about <b>lunchtimes</b>."
    home = client.get(reverse("home")).content.decode()
    assert "Sam is worried about &lt;b&gt;lunchtimes&lt;/b&gt;." in home
    assert "Change your part" in home

    client.post(tw.address(tw.upcoming), {"words": "We visited twice. Lunch is fine now."})

    part.refresh_from_db()
    assert part.words == "We visited twice. Lunch is fine now."
    assert TransitionFamilyPart.objects.filter(transition=tw.upcoming).count() == 1
    assert list(
        AuditEvent.objects.filter(object_type="transition_family_part")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [AuditAction.CREATE, AuditAction.UPDATE]
    # The staff's plan, and what staff noted with the family, are untouched.
    tw.upcoming.refresh_from_db()
    assert (tw.upcoming.plan, tw.upcoming.family_part) == (STAFF_PLAN, AGREED)


def test_the_family_page_shows_what_is_planned_but_never_the_staff_plan(tw):
    text = tw.client("sam").get(tw.address(tw.upcoming)).content.decode()

    assert "Moving up from primary to secondary school" in text
    assert AGREED in text
    assert "STAFF-PLAN" not in text


def test_the_young_person_writes_their_own_part(tw):
    part = transition_family_part_give(
        actor=tw.actor("sam"), transition=tw.upcoming, words="I want to see the lunch hall."
    )

    assert part.author_kind == TransitionPartAuthor.YOUNG_PERSON
    assert part.author == tw.users["sam"]


def test_parents_living_apart_each_write_their_own_and_read_only_their_own(tw):
    transition_family_part_give(
        actor=tw.actor("morag"), transition=tw.upcoming, words="MORAG-WORDS: the bus."
    )
    transition_family_part_give(
        actor=tw.actor("iain"), transition=tw.upcoming, words="IAIN-WORDS: the uniform."
    )

    for page in (reverse("home"), tw.address(tw.upcoming)):
        text = tw.client("iain").get(page).content.decode()
        assert "IAIN-WORDS" in text
        assert "MORAG-WORDS" not in text


def test_staff_read_every_family_part_on_the_transitions_page_with_who_and_when(tw):
    transition_family_part_give(
        actor=tw.actor("morag"), transition=tw.upcoming, words="<script>alert(1)</script>"
    )
    transition_family_part_give(
        actor=tw.actor("sam"), transition=tw.upcoming, words="I want to see the lunch hall."
    )

    text = (
        tw.client("lead").get(reverse("learners:transitions", args=[tw.sam.public_id]))
    ).content.decode()

    assert "In their own words: Morag Fraser (Parent or carer)" in text
    assert "In their own words: Sam Fraser (The child or young person)" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<script>alert(1)" not in text
    assert "I want to see the lunch hall." in text


def test_a_transition_whose_date_has_passed_is_refused_with_a_clear_message(tw):
    client = tw.client("morag")
    shown = client.get(tw.address(tw.passed)).content.decode()
    assert "which has passed" in shown
    assert 'name="words"' not in shown

    response = client.post(tw.address(tw.passed), {"words": "Too late?"})

    assert response.status_code == 200
    assert "which has passed, so your part in it can no longer be written" in (
        response.content.decode()
    )
    assert not TransitionFamilyPart.objects.exists()
    with pytest.raises(ValidationError):
        transition_family_part_give(actor=tw.actor("sam"), transition=tw.passed, words="Late")


def test_empty_words_are_refused_on_the_field_and_nothing_is_saved(tw):
    response = tw.client("morag").post(tw.address(tw.upcoming), {"words": "   "})

    assert "Write your part and your views" in response.content.decode()
    assert not TransitionFamilyPart.objects.exists()


def test_a_parent_whose_young_person_keeps_plans_from_them_neither_reads_nor_writes_it(tw):
    assert tw.client("anne").get(tw.address(tw.rorys)).status_code == 404
    assert tw.address(tw.rorys) not in tw.client("anne").get(reverse("home")).content.decode()
    with pytest.raises(PermissionDenied):
        transition_family_part_give(actor=tw.actor("anne"), transition=tw.rorys, words="Mine")
    # Rory himself writes his.
    assert tw.client("rory").get(tw.address(tw.rorys)).status_code == 200


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("kirsty", 404),  # another family's parent: the learner does not exist for her
        ("rory", 404),  # another learner's record
        ("lead", 403),  # staff see Sam but write the staff's plan, not the family's part
    ],
)
def test_only_sams_own_family_may_use_the_page(tw, who, status):
    assert tw.client(who).get(tw.address(tw.upcoming)).status_code == status
    with pytest.raises(PermissionDenied):
        transition_family_part_give(actor=tw.actor(who), transition=tw.upcoming, words="Mine")
    assert not TransitionFamilyPart.objects.exists()


def test_a_transition_of_another_learner_under_ones_own_learner_is_404(tw):
    crossed = tw.address(tw.rorys, learner=tw.sam)

    assert tw.client("morag").get(crossed).status_code == 404
    assert tw.client("morag").post(crossed, {"words": "Crossed"}).status_code == 404
    assert not TransitionFamilyPart.objects.exists()
