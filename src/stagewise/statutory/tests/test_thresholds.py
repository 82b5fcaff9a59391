"""Threshold descriptors as data (ADR 0045): the national descriptors are loaded with their source
and version for every stage and dimension of both nations' frames; an authority's own descriptors
each map onto a national descriptor of the national stage their local stage maps onto; and no
change may leave a national stage an authority's stages map onto without a descriptor."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from stagewise.audit.models import AuditAction, AuditEvent
from stagewise.organisations.models import LocalAuthority, Nation
from stagewise.statutory.models import (
    LocalStage,
    LocalThresholdDescriptor,
    NationalStage,
    NationalThresholdDescriptor,
    ThresholdDimension,
)
from stagewise.statutory.selectors import stage_list
from stagewise.statutory.services.thresholds import (
    LocalDescriptorRow,
    local_threshold_descriptors_add,
)
from stagewise.statutory.thresholds import removal_problems
from stagewise.synthetic.demo_thresholds import add_demo_thresholds
from stagewise.testing.worlds import built_once_per_module

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def _demo_descriptors(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Glasgow's, Fife's and Cardiff's demo descriptors, added once for the module."""
    with built_once_per_module(add_demo_thresholds, django_db_blocker):
        yield


@pytest.fixture
def glasgow(_demo_descriptors: None) -> LocalAuthority:
    return LocalAuthority.objects.get(name="Glasgow City")


def stage(authority: LocalAuthority, label: str) -> LocalStage:
    return stage_list(authority).get(label=label)


def national(key: str) -> NationalThresholdDescriptor:
    return NationalThresholdDescriptor.objects.get(key=key)


def descriptor(authority: LocalAuthority, local_stage: str, national_key: str) -> Any:
    return LocalThresholdDescriptor(
        authority=authority,
        local_stage=stage(authority, local_stage),
        national_descriptor=national(national_key),
        wording="Our own words",
        source="Test",
        version="1",
    )


def messages_of(error: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(error.value.messages)


# The national descriptors, as loaded --------------------------------------------------------------


@pytest.mark.parametrize("nation", [Nation.SCOTLAND, Nation.WALES])
def test_every_national_stage_has_a_descriptor_in_every_dimension(nation: str) -> None:
    loaded = NationalThresholdDescriptor.objects.filter(nation__code=nation)

    described = {(d.national_stage, d.dimension) for d in loaded}

    assert described == {
        (national_stage, dimension)
        for national_stage in NationalStage.values
        for dimension in ThresholdDimension.values
    }


def test_national_descriptors_are_worded_in_both_languages_with_a_source_version_and_history() -> (
    None
):
    loaded = list(NationalThresholdDescriptor.objects.all())

    assert len(loaded) == 30
    assert all(d.wording and d.wording_cy and d.source and d.version for d in loaded)
    assert national("scotland-specialist-needs").source.startswith("ASL Act 2004 s2")
    first_versions = NationalThresholdDescriptor.history.filter(history_type="+")
    assert first_versions.count() == 30


def test_welsh_readers_see_the_welsh_wording() -> None:
    needs = national("wales-targeted-needs")

    with translation.override("cy"):
        assert needs.display_wording == needs.wording_cy
        assert needs.wording_language == "cy"
    assert needs.display_wording == needs.wording


# Mapping ------------------------------------------------------------------------------------------


def test_a_local_descriptor_mapped_onto_another_national_stage_is_refused(
    glasgow: LocalAuthority,
) -> None:
    wrong = descriptor(glasgow, "Stage 2", "scotland-specialist-needs")

    with pytest.raises(ValidationError) as refused:
        wrong.full_clean()

    assert messages_of(refused) == (
        "Stage 2 maps onto the national stage Targeted, but that national descriptor describes "
        "Specialist: choose a national descriptor of Targeted."
    )


def test_the_refusal_speaks_welsh_to_a_welsh_reader(glasgow: LocalAuthority) -> None:
    wrong = descriptor(glasgow, "Stage 2", "scotland-specialist-needs")

    with translation.override("cy"), pytest.raises(ValidationError) as refused:
        wrong.full_clean()

    assert messages_of(refused) == (
        "Mae Stage 2 yn cyfateb i'r cam cenedlaethol Wedi'i dargedu, ond mae'r disgrifydd "
        "cenedlaethol hwnnw'n disgrifio Arbenigol: dewiswch ddisgrifydd cenedlaethol o Wedi'i "
        "dargedu."
    )


def test_a_descriptor_of_another_nation_or_another_model_is_refused(
    glasgow: LocalAuthority,
) -> None:
    welsh = descriptor(glasgow, "Stage 1", "scotland-universal-needs")
    welsh.national_descriptor = national("wales-universal-needs")
    fife_stage = descriptor(glasgow, "Stage 1", "scotland-universal-needs")
    fife_stage.local_stage = stage_list(LocalAuthority.objects.get(name="Fife")).get(order=1)

    with pytest.raises(ValidationError) as other_nation:
        welsh.full_clean()
    with pytest.raises(ValidationError) as other_model:
        fife_stage.full_clean()

    assert "That national descriptor is Wales's" in messages_of(other_nation)
    assert "Universal is not a stage of Glasgow City's staged intervention model" in messages_of(
        other_model
    )


def test_a_correct_mapping_is_saved(glasgow: LocalAuthority) -> None:
    added = descriptor(glasgow, "Stage 3", "scotland-specialist-tried-at-stage-below")

    added.full_clean()
    added.save()

    assert added.history.get().history_type == "+"


# Nothing left without a descriptor ----------------------------------------------------------------


def test_moving_the_last_descriptor_of_a_national_stage_is_refused_naming_the_stage(
    glasgow: LocalAuthority,
) -> None:
    # Cardiff's only targeted descriptors are two; Glasgow's Stage 2 has four. Use Cardiff's.
    cardiff = LocalAuthority.objects.get(name="Cardiff")
    targeted = list(
        LocalThresholdDescriptor.objects.filter(
            authority=cardiff, local_stage__national_stage="targeted"
        )
    )
    targeted[0].delete()
    last = targeted[1]
    last.local_stage = stage_list(cardiff).get(order=3)
    last.national_descriptor = national("wales-specialist-support-required")

    with pytest.raises(ValidationError) as refused:
        last.full_clean()

    assert messages_of(refused) == (
        "This would leave the national stage Targeted with no threshold descriptor for Cardiff: "
        "each national stage its stages map onto needs at least one. Add another descriptor for "
        "Targeted first."
    )


def test_moving_a_descriptor_is_allowed_while_another_describes_its_national_stage(
    glasgow: LocalAuthority,
) -> None:
    moved = LocalThresholdDescriptor.objects.filter(
        authority=glasgow, local_stage__label="Stage 3"
    ).first()
    assert moved is not None
    moved.local_stage = stage(glasgow, "Stage 4")

    moved.full_clean()  # Stage 4 is specialist too


def test_removing_every_descriptor_of_a_national_stage_is_refused() -> None:
    fife = LocalAuthority.objects.get(name="Fife")
    specialist = LocalThresholdDescriptor.objects.filter(
        authority=fife, local_stage__national_stage="specialist"
    ).select_related("authority", "local_stage")

    assert removal_problems(specialist[:1]) == []
    assert removal_problems(specialist) == [
        "This would leave the national stage Specialist with no threshold descriptor for Fife: "
        "each national stage its stages map onto needs at least one. Add another descriptor for "
        "Specialist first."
    ]


def test_a_local_stage_with_descriptors_keeps_its_national_stage(glasgow: LocalAuthority) -> None:
    stage_2 = stage(glasgow, "Stage 2")
    stage_2.national_stage = NationalStage.SPECIALIST

    with pytest.raises(ValidationError) as refused:
        stage_2.full_clean()

    assert "Threshold descriptors describe Stage 2" in messages_of(refused)


def test_a_national_descriptor_in_use_keeps_its_national_stage(glasgow: LocalAuthority) -> None:
    needs = national("scotland-targeted-needs")
    needs.national_stage = NationalStage.SPECIALIST

    with pytest.raises(ValidationError) as refused:
        needs.full_clean()

    assert "Local descriptors map onto this descriptor" in messages_of(refused)


# Loading an authority's descriptors ---------------------------------------------------------------


def test_the_demo_authorities_descriptors_cover_each_national_stage_and_are_audited(
    glasgow: LocalAuthority,
) -> None:
    for name in ("Glasgow City", "Fife", "Cardiff"):
        described = set(
            LocalThresholdDescriptor.objects.filter(authority__name=name).values_list(
                "local_stage__national_stage", flat=True
            )
        )
        assert described == set(NationalStage.values), name
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.CREATE, object_type="localthresholddescriptor"
        ).count()
        == LocalThresholdDescriptor.objects.count()
    )


def test_a_set_that_leaves_a_national_stage_without_a_descriptor_is_refused_whole() -> None:
    highland = LocalAuthority.objects.get(name="Highland")  # on the shared national frame
    rows = [
        LocalDescriptorRow(order, key, "Highland's own words", "Test", "1")
        for order, key in ((1, "scotland-universal-needs"), (2, "scotland-targeted-needs"))
    ]

    with pytest.raises(ValidationError) as refused:
        local_threshold_descriptors_add(authority=highland, rows=rows)

    assert "the national stage Specialist" in messages_of(refused)
    assert not LocalThresholdDescriptor.objects.filter(authority=highland).exists()
