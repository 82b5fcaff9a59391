"""The named actors of ARCHITECTURE.md, built the same way for every test.

`learner` attends `school` in Glasgow City; `other_learner` attends a school in Fife. Each actor
is a User; staff have an authenticator app, as they must before they can work.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import factory.random
import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client
from django.utils import translation
from pytest_django.plugin import blocking_manager_key

from stagewise.accounts.models import User
from stagewise.learners.models import Learner, StaffRelationshipKind
from stagewise.organisations.models import Agency, Role, Setting
from stagewise.testing.factories import (
    AgencyFactory,
    MembershipFactory,
    SettingFactory,
    UserFactory,
    authority,
    enrolled_learner,
    involve_agency,
    link_carer,
    link_staff,
    scotland,
    with_authenticator_app,
)
from stagewise.testing.flush import flush_only_tables_holding_rows


def staff_member(email: str, role: str, **organisation: object) -> User:
    user = with_authenticator_app(
        UserFactory.create(email=email, full_name=email.split("@")[0].title())
    )
    MembershipFactory.create(user=user, role=role, **organisation)
    return user


@pytest.fixture(scope="session", autouse=True)
def _flush_empties_only_tables_holding_rows() -> Iterator[None]:
    """A test that commits for real ends with Django's flush: let it skip the empty tables."""
    with flush_only_tables_holding_rows():
        yield


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """A test that commits for real (`django_db(transaction=True)`: the concurrency of submitted
    forms, the audit log's migrations over old events) ends with Django's flush, which empties
    every table: put back the rows the migrations load (nations, local authorities), so that any
    test may follow it in the same process, as under pytest-xdist. The rows are there to put back
    when a test of the session asked for serialized rollback."""
    try:
        return (yield)
    finally:
        marker = item.get_closest_marker("django_db")
        committed = marker is not None and marker.kwargs.get("transaction")
        database = connections[DEFAULT_DB_ALIAS]
        rows = getattr(database, "_test_serialized_contents", None)
        if committed and nextitem is not None and rows is not None:
            with item.config.stash[blocking_manager_key].unblock():
                database.creation.deserialize_db_from_string(rows)


@pytest.fixture(autouse=True)
def _same_made_up_names_every_run() -> None:
    """Factories draw names at random: reseed so each test sees the same names every run."""
    factory.random.reseed_random("stagewise")


@pytest.fixture(autouse=True)
def _each_test_starts_in_the_default_language() -> Iterator[None]:
    """A request by someone who prefers Welsh switches the thread to Welsh (the middleware
    activates their language and nothing switches it back): without this, a later test on the
    same worker would read Welsh messages, depending on the order tests happen to run in."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@dataclass
class World:
    school: Setting
    other_school: Setting
    fife_school: Setting
    agency: Agency
    other_agency: Agency
    learner: Learner
    other_learner: Learner


def build_world() -> World:
    """The organisations and the two learners every named actor is placed among."""
    glasgow = authority("Glasgow City")
    fife = authority("Fife")
    school = SettingFactory.create(authority=glasgow, name="Riverside Primary School")
    other_school = SettingFactory.create(authority=glasgow, name="Hillhead Primary School")
    fife_school = SettingFactory.create(authority=fife, name="Harbourside Primary School")
    agency = AgencyFactory.create(authority=glasgow, name="Glasgow Speech and Language Therapy")
    other_agency = AgencyFactory.create(authority=glasgow, name="Glasgow CAMHS")
    learner = enrolled_learner(
        school,
        year_group="S5",
        legal_first_name="Ailsa",
        legal_last_name="Campbell",
        staff_notes="Staff only: settles best with a visual timetable.",
    )
    other_learner = enrolled_learner(
        fife_school,
        legal_first_name="Finlay",
        legal_last_name="Reid",
    )
    involve_agency(learner, agency)
    return World(school, other_school, fife_school, agency, other_agency, learner, other_learner)


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def learner(world: World) -> Learner:
    return world.learner


@pytest.fixture
def other_learner(world: World) -> Learner:
    return world.other_learner


def make_teacher(world: World) -> User:
    user = staff_member("teacher@example.org", Role.CLASS_TEACHER, setting=world.school)
    link_staff(world.learner, user)
    return user


def make_colleague(world: World) -> User:
    return staff_member("colleague@example.org", Role.CLASS_TEACHER, setting=world.school)


def make_outsider_teacher(world: World) -> User:
    return staff_member("outsider@example.org", Role.CLASS_TEACHER, setting=world.other_school)


def make_support_lead(world: World) -> User:
    return staff_member(
        "support-lead@example.org", Role.SUPPORT_FOR_LEARNING_LEAD, setting=world.school
    )


def make_head(world: World) -> User:
    user = staff_member("head@example.org", Role.HEAD_TEACHER, setting=world.school)
    link_staff(world.learner, user, kind=StaffRelationshipKind.NAMED_PERSON)
    return user


def make_authority_officer(world: World) -> User:
    return staff_member(
        "officer@example.org", Role.LOCAL_AUTHORITY_OFFICER, authority=authority("Glasgow City")
    )


def make_other_authority_officer(world: World) -> User:
    return staff_member(
        "fife-officer@example.org", Role.LOCAL_AUTHORITY_OFFICER, authority=authority("Fife")
    )


def make_psychologist(world: World) -> User:
    return staff_member(
        "psychologist@example.org",
        Role.EDUCATIONAL_PSYCHOLOGIST,
        authority=authority("Glasgow City"),
    )


def make_agency_practitioner(world: World) -> User:
    return staff_member("therapist@example.org", Role.AGENCY_PRACTITIONER, agency=world.agency)


def make_service_manager(world: World) -> User:
    return staff_member("therapy-manager@example.org", Role.SERVICE_MANAGER, agency=world.agency)


def make_other_agency(world: World) -> User:
    return staff_member("camhs@example.org", Role.AGENCY_PRACTITIONER, agency=world.other_agency)


def make_parent(world: World) -> User:
    user = UserFactory.create(email="parent@example.org", full_name="Claire Campbell")
    link_carer(world.learner, user=user)
    return user


def make_other_parent(world: World) -> User:
    user = UserFactory.create(email="other-parent@example.org", full_name="Moira Reid")
    link_carer(world.other_learner, user=user)
    return user


def make_young_person(world: World) -> User:
    user = UserFactory.create(email="ailsa@example.org", full_name="Ailsa Campbell")
    world.learner.young_person_account = user
    world.learner.save(update_fields=["young_person_account"])
    return user


def make_analyst(world: World) -> User:
    return staff_member("analyst@example.org", Role.NATIONAL_ANALYST, nation=scotland())


def make_administrator(world: World) -> User:
    return staff_member("admin@example.org", Role.SYSTEM_ADMINISTRATOR)


# Each named actor, made in a world: the fixtures below, and worlds built once per module.
ACTOR_MAKERS: dict[str, Callable[[World], User]] = {
    "teacher": make_teacher,
    "colleague": make_colleague,
    "outsider_teacher": make_outsider_teacher,
    "support_lead": make_support_lead,
    "head": make_head,
    "authority_officer": make_authority_officer,
    "other_authority_officer": make_other_authority_officer,
    "psychologist": make_psychologist,
    "agency_practitioner": make_agency_practitioner,
    "service_manager": make_service_manager,
    "other_agency": make_other_agency,
    "parent": make_parent,
    "other_parent": make_other_parent,
    "young_person": make_young_person,
    "analyst": make_analyst,
    "administrator": make_administrator,
}


@pytest.fixture
def teacher(world: World) -> User:
    return make_teacher(world)


@pytest.fixture
def colleague(world: World) -> User:
    return make_colleague(world)


@pytest.fixture
def outsider_teacher(world: World) -> User:
    return make_outsider_teacher(world)


@pytest.fixture
def support_lead(world: World) -> User:
    return make_support_lead(world)


@pytest.fixture
def head(world: World) -> User:
    return make_head(world)


@pytest.fixture
def authority_officer(world: World) -> User:
    return make_authority_officer(world)


@pytest.fixture
def other_authority_officer(world: World) -> User:
    return make_other_authority_officer(world)


@pytest.fixture
def psychologist(world: World) -> User:
    return make_psychologist(world)


@pytest.fixture
def agency_practitioner(world: World) -> User:
    return make_agency_practitioner(world)


@pytest.fixture
def service_manager(world: World) -> User:
    return make_service_manager(world)


@pytest.fixture
def other_agency(world: World) -> User:
    return make_other_agency(world)


@pytest.fixture
def parent(world: World) -> User:
    return make_parent(world)


@pytest.fixture
def other_parent(world: World) -> User:
    return make_other_parent(world)


@pytest.fixture
def young_person(world: World) -> User:
    return make_young_person(world)


@pytest.fixture
def analyst(world: World) -> User:
    return make_analyst(world)


@pytest.fixture
def administrator(world: World) -> User:
    return make_administrator(world)


@pytest.fixture
def signed_in(client: Client, request: pytest.FixtureRequest) -> Callable[[str], Client]:
    """signed_in("teacher") returns a client signed in as that named actor."""

    def sign_in(actor_name: str) -> Client:
        client.force_login(request.getfixturevalue(actor_name))
        return client

    return sign_in
