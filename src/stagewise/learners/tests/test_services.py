"""Writing the learner record: validation that says what to fix, and nothing half-saved."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from stagewise.accounts.actors import actors_for
from stagewise.audit.models import AuditAction, AuditEvent
from stagewise.learners.models import Enrolment, Learner
from stagewise.learners.services import learner_create, learner_update
from stagewise.policy import SYSTEM

pytestmark = pytest.mark.django_db


def identity(**overrides):
    fields = {
        "legal_first_name": "Cerys",
        "legal_last_name": "Evans",
        "preferred_name": "",
        "date_of_birth": date(2015, 2, 3),
        "sex": "female",
        "candidate_number": "123456789",
    }
    return fields | overrides


def test_enrolling_a_learner_creates_the_record_its_enrolment_and_an_audit_event(world):
    learner = learner_create(
        actor=SYSTEM,
        setting=world.school,
        year_group="P5",
        enrolled_on=date(2025, 8, 18),
        **identity(),
    )

    assert Enrolment.objects.get(learner=learner).year_group == "P5"
    assert AuditEvent.objects.get(action=AuditAction.CREATE, learner_key__learner=learner)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"candidate_number": "12345"}, "candidate_number", "9 digits"),
        (
            {"date_of_birth": date.today() + timedelta(days=1)},
            "date_of_birth",
            "cannot be in the future",
        ),
        ({"legal_first_name": ""}, "legal_first_name", "cannot be blank"),
    ],
)
def test_bad_identity_is_refused_with_a_message_and_nothing_is_saved(
    world, overrides, field, message
):
    with pytest.raises(ValidationError) as refused:
        learner_create(
            actor=SYSTEM,
            setting=world.school,
            year_group="P5",
            enrolled_on=date(2025, 8, 18),
            **identity(**overrides),
        )

    assert message in " ".join(refused.value.message_dict[field])
    assert not Learner.objects.filter(legal_last_name="Evans").exists()


def test_a_year_group_from_the_other_nation_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        learner_create(
            actor=SYSTEM,
            setting=world.school,
            year_group="Y5",
            enrolled_on=date(2025, 8, 18),
            **identity(),
        )

    assert "year_group" in refused.value.message_dict
    assert not Learner.objects.filter(legal_last_name="Evans").exists()


def test_a_welsh_learner_needs_a_unique_pupil_number(db):
    from stagewise.testing.factories import SettingFactory, authority

    cardiff_school = SettingFactory.create(authority=authority("Cardiff"))

    with pytest.raises(ValidationError) as refused:
        learner_create(
            actor=SYSTEM,
            setting=cardiff_school,
            year_group="Y5",
            enrolled_on=date(2025, 9, 1),
            **identity(candidate_number="123456789"),
        )
    learner = learner_create(
        actor=SYSTEM,
        setting=cardiff_school,
        year_group="Y5",
        enrolled_on=date(2025, 9, 1),
        **identity(candidate_number="A123456789012"),
    )

    assert "Unique Pupil Number" in " ".join(refused.value.message_dict["candidate_number"])
    assert learner.pk


def test_an_update_records_only_what_changed(learner, support_lead):
    actor = actors_for(support_lead)[0]

    changes = learner_update(
        actor=actor, learner=learner, data={"preferred_name": "Ally", "sex": learner.sex}
    )

    assert changes == {"preferred_name": ["", "Ally"]}
    learner.refresh_from_db()
    assert learner.preferred_name == "Ally"


def test_an_update_that_changes_nothing_records_nothing(learner, support_lead):
    actor = actors_for(support_lead)[0]

    assert learner_update(actor=actor, learner=learner, data={"sex": learner.sex}) == {}
    assert not AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="learner").exists()


def test_a_refused_update_leaves_the_record_unchanged(learner, support_lead):
    actor = actors_for(support_lead)[0]

    with pytest.raises(ValidationError):
        learner_update(
            actor=actor,
            learner=learner,
            data={"preferred_name": "Ally", "candidate_number": "bad"},
        )

    learner.refresh_from_db()
    assert learner.preferred_name == ""
    assert not AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="learner").exists()
