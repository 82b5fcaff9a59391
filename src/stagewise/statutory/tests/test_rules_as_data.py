"""Code lists and stage models are data with their source, loaded by migration."""

import pytest

from stagewise.organisations.models import LocalAuthority
from stagewise.statutory.models import NationalStage, ReasonForSupport, StageModel
from stagewise.statutory.selectors import stage_list, stage_model_for

pytestmark = pytest.mark.django_db


def test_both_nations_code_lists_are_loaded_with_their_source():
    scottish = ReasonForSupport.objects.filter(nation__code="scotland")
    welsh = ReasonForSupport.objects.filter(nation__code="wales")

    assert scottish.count() == 25 and welsh.count() == 14
    assert scottish.get(code="25").label == "Autistic spectrum disorder"
    assert all(reason.source and reason.version for reason in ReasonForSupport.objects.all())
    assert all(reason.label_cy for reason in ReasonForSupport.objects.all())


@pytest.mark.parametrize(
    ("authority", "stages"),
    [
        ("Glasgow City", ["Stage 1", "Stage 2", "Stage 3", "Stage 4"]),
        ("City of Edinburgh", ["Pathway 1", "Pathway 2", "Pathway 3", "Pathway 4"]),
        ("Fife", ["Universal", "Additional", "Extended", "Enhanced", "Specialist"]),
        ("North Lanarkshire", ["Level 1", "Level 2", "Level 3", "Level 4"]),
        ("Aberdeen City", ["Universal", "Targeted", "Specialist and multi-agency"]),
        ("Highland", ["Universal", "Targeted", "Specialist"]),
    ],
)
def test_each_authority_has_its_published_stages(authority, stages):
    model_stages = stage_list(LocalAuthority.objects.get(name=authority))

    assert [stage.label for stage in model_stages] == stages


def test_every_welsh_authority_uses_the_welsh_frame():
    for authority in LocalAuthority.objects.filter(nation__code="wales"):
        assert stage_model_for(authority).key == "wales"


def test_every_local_stage_maps_onto_the_national_frame_in_order():
    for model in StageModel.objects.prefetch_related("stages"):
        mapped = [stage.national_stage for stage in model.stages.order_by("order")]
        ranks = [list(NationalStage.values).index(value) for value in mapped]
        assert ranks == sorted(ranks), model.key
        assert mapped[0] == NationalStage.UNIVERSAL
