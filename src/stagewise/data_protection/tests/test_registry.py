"""The export registry names every kind of record held about a learner: a model that reaches a
learner by a foreign key, directly or through another of their records, is either exported or
excluded with a reason, and every exported type has a retention schedule."""

import pytest
from django.apps import apps
from django.db.models import Model
from django.utils.module_loading import import_string

from stagewise.data_protection.models import RetentionSchedule
from stagewise.data_protection.registry import ABOUT_NO_ONE_LEARNER, NOT_EXPORTED, RECORD_TYPES
from stagewise.learners.models import Learner


def models_reaching_a_learner() -> set[str]:
    """Every model with a foreign key (or one-to-one) to a learner, or to a model that has."""
    reaching: set[type[Model]] = {Learner}
    grew = True
    while grew:
        grew = False
        for model in apps.get_models():
            if model in reaching:
                continue
            if any(
                field.is_relation and field.related_model in reaching
                for field in model._meta.concrete_fields
            ):
                reaching.add(model)
                grew = True
    return {model._meta.label for model in reaching}


def test_every_model_reaching_a_learner_is_exported_or_excluded_with_a_reason():
    exported = {record_type.label for record_type in RECORD_TYPES}

    missing = models_reaching_a_learner() - exported - set(NOT_EXPORTED)

    assert not missing, (
        "Add these to data_protection/registry.py (RECORD_TYPES, or NOT_EXPORTED with the "
        f"reason): {sorted(missing)}"
    )


def test_the_registry_names_real_models_each_once_and_reaches_the_learner():
    labels = [record_type.label for record_type in RECORD_TYPES]
    assert len(labels) == len(set(labels))
    assert not set(labels) & set(NOT_EXPORTED)
    assert all(reason.strip() for reason in NOT_EXPORTED.values())
    for record_type in RECORD_TYPES:
        # The lookup resolves (a typo raises FieldError when the query is built).
        str(record_type.records_of([1]).values(record_type.learner_id_lookup).query)
        if record_type.closed_field:
            record_type.model._meta.get_field(record_type.closed_field)


@pytest.mark.django_db
def test_every_exported_record_type_has_a_retention_schedule_with_its_basis():
    schedules = {schedule.record_type: schedule for schedule in RetentionSchedule.objects.all()}

    assert set(schedules) == {record_type.label for record_type in RECORD_TYPES} | {
        record_type.label for record_type in ABOUT_NO_ONE_LEARNER
    }
    for record_type in ABOUT_NO_ONE_LEARNER:  # each names a model and what removes its records
        apps.get_model(record_type.label)
        assert callable(import_string(record_type.expire))
    assert all(schedule.basis.strip() for schedule in schedules.values())
