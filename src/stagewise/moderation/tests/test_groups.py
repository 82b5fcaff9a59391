"""Moderation groups kept by administrators (ADR 0046, amended): on Stagewise's administration
pages, through the services, audited; two or more authorities of one nation, or refused with what
to fix. A group decides whose samples an officer reads, so, like a membership (ADR 0008), it is
never changed in the configuration admin site."""

from datetime import date
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from stagewise.accounts.models import User
from stagewise.audit.models import AuditAction, AuditEvent
from stagewise.moderation.models import ModerationGroup
from stagewise.moderation.services import moderation_group_create
from stagewise.organisations.models import LocalAuthority, Membership, Role, Setting
from stagewise.policy import SYSTEM

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _staff_need_no_authenticator_app(settings: Any) -> None:
    settings.STAFF_TWO_FACTOR_REQUIRED = False


def _person(email: str, role: str, **organisation: Any) -> User:
    user = User.objects.create_user(email, "a-long-and-unusual-passphrase", full_name=email)
    Membership.objects.create(user=user, role=role, started_on=date(2020, 8, 1), **organisation)
    return user


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def administrator() -> Client:
    return _client(_person("admin@example.org", Role.SYSTEM_ADMINISTRATOR))


def _authority(name: str) -> LocalAuthority:
    return LocalAuthority.objects.get(name=name)


def _posted(name: str, *authorities: str, name_cy: str = "") -> dict[str, Any]:
    return {
        "name": name,
        "name_cy": name_cy,
        "authorities": [_authority(authority).pk for authority in authorities],
    }


def test_an_administrator_adds_a_group_of_two_authorities_and_it_is_audited(administrator):
    response = administrator.post(
        reverse("moderation_groups:create"), _posted("West", "Glasgow City", "Fife")
    )

    assert response.status_code == 302
    group = ModerationGroup.objects.get(name="West")
    assert set(group.authorities.values_list("name", flat=True)) == {"Glasgow City", "Fife"}
    event = AuditEvent.objects.get(object_type="moderation_group", action=AuditAction.CREATE)
    assert (event.changes or {})["authorities"] == [None, ["Fife", "Glasgow City"]]
    page = administrator.get(reverse("moderation_groups:list")).content.decode()
    assert "West" in page and "Fife" in page


@pytest.mark.parametrize(
    ("posted", "words"),
    [
        (("West", "Glasgow City"), "Choose two or more authorities"),
        (("West", "Glasgow City", "Cardiff"), "Choose authorities of one nation"),
        (("",), "Enter the group&#x27;s name."),
        (("West and Fife", "Glasgow City", "Fife"), "Another moderation group is called"),
    ],
)
def test_a_group_that_breaks_the_rules_is_refused_with_what_to_fix(administrator, posted, words):
    moderation_group_create(
        actor=SYSTEM,
        name="West and Fife",
        authorities=[_authority("Glasgow City"), _authority("Fife")],
    )

    response = administrator.post(reverse("moderation_groups:create"), _posted(*posted))

    assert response.status_code == 200
    assert words in response.content.decode()
    assert ModerationGroup.objects.count() == 1


def test_an_administrator_changes_a_groups_authorities_and_the_change_is_audited(administrator):
    group = moderation_group_create(
        actor=SYSTEM,
        name="West",
        authorities=[_authority("Glasgow City"), _authority("Fife")],
    )
    url = reverse("moderation_groups:update", args=[group.pk])
    assert administrator.get(url).status_code == 200

    refused = administrator.post(url, _posted("West", "Glasgow City", "Cardiff"))
    assert "Choose authorities of one nation" in refused.content.decode()
    assert (
        administrator.post(
            url, _posted("West", "Glasgow City", "Fife", "City of Edinburgh")
        ).status_code
        == 302
    )
    assert (
        administrator.post(
            url, _posted("West", "Glasgow City", "Fife", "City of Edinburgh")
        ).status_code
        == 302
    )

    assert group.authorities.count() == 3
    updates = AuditEvent.objects.filter(object_type="moderation_group", action=AuditAction.UPDATE)
    # Saving it unchanged records nothing.
    assert [event.changes for event in updates] == [
        {"authorities": [["Fife", "Glasgow City"], ["City of Edinburgh", "Fife", "Glasgow City"]]}
    ]


def test_only_administrators_reach_the_group_pages_and_the_admin_site_never_changes_a_group():
    setting = Setting.objects.create(authority=_authority("Glasgow City"), name="Riverside")
    group = moderation_group_create(
        actor=SYSTEM, name="West", authorities=[_authority("Glasgow City"), _authority("Fife")]
    )
    officer = _client(
        _person("officer@example.org", Role.LOCAL_AUTHORITY_OFFICER, authority=setting.authority)
    )
    teacher = _client(_person("teacher@example.org", Role.CLASS_TEACHER, setting=setting))

    for client in (officer, teacher):
        for url in (
            reverse("moderation_groups:list"),
            reverse("moderation_groups:create"),
            reverse("moderation_groups:update", args=[group.pk]),
        ):
            assert client.get(url).status_code == 403, url
        assert (
            client.post(
                reverse("moderation_groups:create"), _posted("East", "Fife", "Angus")
            ).status_code
            == 403
        )
    assert ModerationGroup.objects.count() == 1
    assert ModerationGroup not in admin.site._registry
