"""Names too long for their purpose and role dates outside a working life are refused by the
organisation services with a message naming the field, and the pages show it."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from stagewise.accounts.actors import Actor
from stagewise.accounts.models import User
from stagewise.organisations.models import (
    Agency,
    LanguageMedium,
    LocalAuthority,
    Membership,
    Role,
    Setting,
    SettingType,
)
from stagewise.organisations.services import (
    agency_update,
    membership_create,
    membership_end,
    setting_create,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor(administrator: User) -> Actor:
    membership = administrator.memberships.get()
    return Actor(
        user=administrator,
        role=Role.SYSTEM_ADMINISTRATOR,
        key=f"membership:{membership.pk}",
        membership=membership,
    )


def date_fields(name: str, day: date) -> dict[str, str]:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": f"{day.year:04d}"}


def test_a_setting_name_of_201_characters_is_refused_and_nothing_is_added(
    actor: Actor, glasgow: LocalAuthority
) -> None:
    with pytest.raises(ValidationError) as refused:
        setting_create(
            actor=actor, authority=glasgow, name="a" * 201, setting_type=SettingType.PRIMARY
        )

    assert refused.value.message_dict["name"] == [
        "Name must be 200 characters or fewer; it has 201."
    ]
    assert not Setting.objects.exists()


def test_a_welsh_agency_name_too_long_is_refused_and_the_agency_is_unchanged(
    actor: Actor, agency: Agency
) -> None:
    with pytest.raises(ValidationError) as refused:
        agency_update(
            actor=actor,
            agency=agency,
            name=agency.name,
            name_cy="a" * 201,
            agency_type=agency.agency_type,
        )

    assert (
        "Name in Welsh must be 200 characters or fewer" in refused.value.message_dict["name_cy"][0]
    )
    assert Agency.objects.get(pk=agency.pk).name_cy == ""


def test_a_role_starting_in_year_0001_or_ending_in_9999_is_refused(
    actor: Actor, class_teacher: User, school: Setting
) -> None:
    existing = class_teacher.memberships.get()

    with pytest.raises(ValidationError) as started:
        membership_create(
            actor=actor,
            user=class_teacher,
            role=Role.HEAD_TEACHER,
            setting=school,
            started_on=date(1, 1, 1),
        )
    with pytest.raises(ValidationError) as ended:
        membership_end(actor=actor, membership=existing, ended_on=date(9999, 12, 31))

    assert "Started on must be on or after" in started.value.message_dict["started_on"][0]
    assert "Ended on must be on or before" in ended.value.message_dict["ended_on"][0]
    assert not Membership.objects.filter(role=Role.HEAD_TEACHER).exists()
    assert Membership.objects.get(pk=existing.pk).ended_on is None


def test_the_setting_form_explains_a_name_that_is_too_long(
    administrator_client: Client, glasgow: LocalAuthority
) -> None:
    response = administrator_client.post(
        reverse("organisations:setting_create", args=[glasgow.pk]),
        {
            "name": "a" * 250,
            "setting_type": SettingType.PRIMARY,
            "language_medium": LanguageMedium.ENGLISH,
        },
    )

    assert response.status_code == 200
    assert "Name must be 200 characters or fewer; it has 250." in response.content.decode()
    assert not Setting.objects.exists()


def test_the_membership_form_explains_a_start_date_in_year_0001(
    administrator_client: Client, class_teacher: User, school: Setting
) -> None:
    response = administrator_client.post(
        reverse("organisations:membership_create", args=[class_teacher.pk]),
        {"role": Role.HEAD_TEACHER, "setting": school.pk}
        | date_fields("started_on", date(1, 1, 1)),
    )

    assert response.status_code == 200
    assert "Started on must be on or after" in response.content.decode()
    assert not class_teacher.memberships.filter(role=Role.HEAD_TEACHER).exists()


def test_a_start_date_stored_before_the_ranges_never_blocks_ending_a_role(
    actor: Actor, class_teacher: User
) -> None:
    membership = class_teacher.memberships.get()
    Membership.objects.filter(pk=membership.pk).update(started_on=date(1950, 9, 1))

    membership_end(actor=actor, membership=membership, ended_on=date(2026, 7, 1))

    assert Membership.objects.get(pk=membership.pk).ended_on == date(2026, 7, 1)
