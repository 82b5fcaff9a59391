"""The organisation services: the rules that hold whether a change comes from a page, an import or
the shell."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from stagewise.accounts.actors import Actor
from stagewise.accounts.models import User
from stagewise.audit.models import AuditAction, AuditEvent
from stagewise.organisations.models import (
    Agency,
    AgencyType,
    LocalAuthority,
    Membership,
    Role,
    Setting,
    SettingType,
)
from stagewise.organisations.services import (
    agency_create,
    agency_update,
    membership_create,
    membership_end,
    person_create,
    setting_create,
    setting_update,
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


def test_creating_a_setting_records_who_added_it(actor: Actor, glasgow: LocalAuthority) -> None:
    setting = setting_create(
        actor=actor, authority=glasgow, name="  Hillhead Primary School ", setting_type="primary"
    )
    assert setting.name == "Hillhead Primary School"
    event = AuditEvent.objects.get(object_type="setting", object_id=str(setting.pk))
    assert event.action == AuditAction.CREATE
    assert event.user == actor.user
    assert (event.changes or {})["name"] == [None, "Hillhead Primary School"]


def test_a_setting_name_is_unique_within_its_authority_whatever_the_capitals(
    actor: Actor, school: Setting
) -> None:
    with pytest.raises(ValidationError) as refused:
        setting_create(
            actor=actor,
            authority=school.authority,
            name="RIVERSIDE primary school",
            setting_type="primary",
        )
    assert "name" in refused.value.message_dict
    assert Setting.objects.count() == 1


def test_a_setting_of_an_unknown_type_is_refused(actor: Actor, glasgow: LocalAuthority) -> None:
    with pytest.raises(ValidationError) as refused:
        setting_create(actor=actor, authority=glasgow, name="Somewhere", setting_type="castle")
    assert "setting_type" in refused.value.message_dict
    assert not Setting.objects.exists()


def test_updating_a_setting_returns_and_records_only_what_changed(
    actor: Actor, school: Setting
) -> None:
    changes = setting_update(
        actor=actor,
        setting=school,
        name=school.name,
        name_cy="",
        setting_type=SettingType.SPECIAL,
        language_medium=school.language_medium,
        reference_number="",
    )
    assert changes == {"setting_type": [SettingType.PRIMARY, SettingType.SPECIAL]}
    assert school.setting_type == SettingType.SPECIAL
    assert AuditEvent.objects.filter(object_type="setting", action=AuditAction.UPDATE).count() == 1


def test_updating_a_setting_with_no_change_records_nothing(actor: Actor, school: Setting) -> None:
    changes = setting_update(
        actor=actor,
        setting=school,
        name=school.name,
        name_cy=school.name_cy,
        setting_type=school.setting_type,
        language_medium=school.language_medium,
        reference_number=school.reference_number,
    )
    assert changes == {}
    assert not AuditEvent.objects.filter(object_type="setting").exists()


def test_a_setting_keeps_its_own_name_when_other_details_change(
    actor: Actor, school: Setting
) -> None:
    setting_update(
        actor=actor,
        setting=school,
        name=school.name,
        name_cy="",
        setting_type="primary",
        language_medium="english",
        reference_number="1234567",
    )
    school.refresh_from_db()
    assert school.reference_number == "1234567"


def test_an_agency_name_is_unique_within_its_authority(actor: Actor, agency: Agency) -> None:
    with pytest.raises(ValidationError) as refused:
        agency_create(
            actor=actor,
            authority=agency.authority,
            name=agency.name,
            agency_type=AgencyType.SOCIAL_WORK,
        )
    assert "name" in refused.value.message_dict


def test_an_agency_can_be_renamed(actor: Actor, agency: Agency) -> None:
    changes = agency_update(
        actor=actor,
        agency=agency,
        name="Glasgow Speech Therapy",
        name_cy="",
        agency_type=agency.agency_type,
    )
    assert changes["name"] == ["Glasgow Speech and Language Therapy", "Glasgow Speech Therapy"]


def test_a_person_is_created_with_their_email_in_lower_case(actor: Actor) -> None:
    person = person_create(actor=actor, email=" Someone@Example.ORG ", full_name="Some One")
    assert person.email == "someone@example.org"
    assert not person.has_usable_password()
    event = AuditEvent.objects.get(object_type="user", object_id=str(person.pk))
    assert "password" not in (event.changes or {})
    assert (event.changes or {})["password_set"] == [None, False]


def test_a_password_like_the_persons_name_is_refused(actor: Actor) -> None:
    with pytest.raises(ValidationError) as refused:
        person_create(
            actor=actor,
            email="morag.macdonald@example.org",
            full_name="Morag Macdonald",
            password="moragmacdonald",
        )
    assert "password" in refused.value.message_dict
    assert not User.objects.filter(email="morag.macdonald@example.org").exists()


def test_a_membership_at_the_right_kind_of_organisation_is_created_and_recorded(
    actor: Actor, class_teacher: User, glasgow: LocalAuthority
) -> None:
    membership = membership_create(
        actor=actor,
        user=class_teacher,
        role=Role.EDUCATIONAL_PSYCHOLOGIST,
        authority=glasgow,
    )
    assert membership.started_on == timezone.localdate()
    event = AuditEvent.objects.get(object_type="membership", object_id=str(membership.pk))
    assert (event.changes or {})["organisation"] == [None, "Glasgow City"]


def test_a_system_administrator_is_held_at_no_organisation(
    actor: Actor, class_teacher: User, school: Setting
) -> None:
    with pytest.raises(ValidationError) as refused:
        membership_create(
            actor=actor, user=class_teacher, role=Role.SYSTEM_ADMINISTRATOR, setting=school
        )
    assert refused.value.message_dict == {
        "setting": ["This role is not held at a school, nursery or college: leave it empty."]
    }


def test_an_agency_practitioner_needs_an_agency(actor: Actor, class_teacher: User) -> None:
    with pytest.raises(ValidationError) as refused:
        membership_create(actor=actor, user=class_teacher, role=Role.AGENCY_PRACTITIONER)
    assert refused.value.message_dict == {"agency": ["Choose the agency."]}


def test_the_same_role_may_be_held_again_after_the_last_one_ended(
    actor: Actor, class_teacher: User, school: Setting
) -> None:
    old = class_teacher.memberships.get()
    old.ended_on = date(2024, 7, 1)
    old.save()
    again = membership_create(
        actor=actor,
        user=class_teacher,
        role=Role.CLASS_TEACHER,
        setting=school,
        started_on=date(2024, 8, 15),
    )
    assert again.pk != old.pk


def test_overlapping_spells_of_the_same_role_at_the_same_school_are_refused(
    actor: Actor, class_teacher: User, school: Setting
) -> None:
    with pytest.raises(ValidationError) as refused:
        membership_create(
            actor=actor,
            user=class_teacher,
            role=Role.CLASS_TEACHER,
            setting=school,
            started_on=date(2019, 1, 1),
            ended_on=date(2021, 1, 1),
        )
    assert "role" in refused.value.message_dict


def test_ending_a_membership_defaults_to_today_and_is_recorded(
    actor: Actor, class_teacher: User
) -> None:
    membership = class_teacher.memberships.get()
    membership_end(actor=actor, membership=membership)
    membership.refresh_from_db()
    assert membership.ended_on == timezone.localdate()
    event = AuditEvent.objects.get(object_type="membership", action=AuditAction.UPDATE)
    assert event.changes == {"ended_on": [None, timezone.localdate().isoformat()]}


def test_a_membership_that_has_already_ended_cannot_be_ended_again(
    actor: Actor, class_teacher: User
) -> None:
    membership = class_teacher.memberships.get()
    membership.ended_on = timezone.localdate() - timedelta(days=3)
    membership.save()
    with pytest.raises(ValidationError) as refused:
        membership_end(actor=actor, membership=membership)
    assert refused.value.message_dict == {"ended_on": ["This membership has already ended."]}


def test_a_system_administrator_may_leave_once_another_is_in_post(
    actor: Actor, class_teacher: User
) -> None:
    membership_create(actor=actor, user=class_teacher, role=Role.SYSTEM_ADMINISTRATOR)
    own = Membership.objects.get(user=actor.user)
    membership_end(actor=actor, membership=own)
    own.refresh_from_db()
    assert own.ended_on == timezone.localdate()


def test_a_membership_is_recorded_with_its_organisations_own_name_whatever_the_language(
    actor: Actor, class_teacher: User, cardiff: LocalAuthority
) -> None:
    with translation.override("cy"):
        membership = membership_create(
            actor=actor, user=class_teacher, role=Role.EDUCATIONAL_PSYCHOLOGIST, authority=cardiff
        )
    event = AuditEvent.objects.get(object_type="membership", object_id=str(membership.pk))
    assert cardiff.name_cy and cardiff.name_cy != cardiff.name
    assert (event.changes or {})["organisation"] == [None, "Cardiff"]


def test_ending_a_membership_records_whose_access_ended(actor: Actor, class_teacher: User) -> None:
    membership_end(actor=actor, membership=class_teacher.memberships.get())
    event = AuditEvent.objects.get(object_type="membership", action=AuditAction.UPDATE)
    assert event.detail == {
        "user": "teacher@example.org",
        "role": Role.CLASS_TEACHER,
        "organisation": "Riverside Primary School",
    }
