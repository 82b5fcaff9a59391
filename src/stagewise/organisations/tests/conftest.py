"""People and places for the administration tests.

These fixtures build only what the administration pages need (no learners), so the tests stand
apart from the learner world in stagewise/conftest.py.
"""

from datetime import date

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from stagewise.accounts.models import User
from stagewise.organisations.models import (
    Agency,
    AgencyType,
    LocalAuthority,
    Membership,
    Role,
    Setting,
    SettingType,
)

PASSWORD = "a-long-and-unusual-passphrase"


@pytest.fixture(autouse=True)
def _staff_need_no_authenticator_app(settings: Settings) -> None:
    """Two-factor set-up is tested in accounts; here it would only redirect every request."""
    settings.STAFF_TWO_FACTOR_REQUIRED = False


@pytest.fixture
def glasgow(db: None) -> LocalAuthority:
    return LocalAuthority.objects.get(name="Glasgow City")


@pytest.fixture
def cardiff(db: None) -> LocalAuthority:
    return LocalAuthority.objects.get(name="Cardiff")


@pytest.fixture
def school(glasgow: LocalAuthority) -> Setting:
    return Setting.objects.create(
        authority=glasgow, name="Riverside Primary School", setting_type=SettingType.PRIMARY
    )


@pytest.fixture
def agency(glasgow: LocalAuthority) -> Agency:
    return Agency.objects.create(
        authority=glasgow,
        name="Glasgow Speech and Language Therapy",
        agency_type=AgencyType.SPEECH_AND_LANGUAGE_THERAPY,
    )


@pytest.fixture
def administrator(db: None) -> User:
    user = User.objects.create_user("admin@example.org", PASSWORD, full_name="Ada Administrator")
    Membership.objects.create(
        user=user, role=Role.SYSTEM_ADMINISTRATOR, started_on=date(2020, 8, 1)
    )
    return user


@pytest.fixture
def class_teacher(school: Setting) -> User:
    user = User.objects.create_user("teacher@example.org", PASSWORD, full_name="Tam Teacher")
    Membership.objects.create(
        user=user, role=Role.CLASS_TEACHER, setting=school, started_on=date(2020, 8, 1)
    )
    return user


@pytest.fixture
def administrator_client(client: Client, administrator: User) -> Client:
    client.force_login(administrator)
    return client


@pytest.fixture
def class_teacher_client(client: Client, class_teacher: User) -> Client:
    client.force_login(class_teacher)
    return client
