"""The checks that keep threshold descriptors a map of the national frame (ADR 0045).

- A local descriptor describes a stage of its authority's staged intervention model and maps onto
  a national descriptor of its nation and of the national stage that local stage maps onto.
- An authority whose descriptors cover a national stage keeps at least one there: an edit or a
  removal that would leave a national stage its stages map onto with none is refused, naming it.
  An authority with no descriptors yet reads the national ones alone (nothing to leave).

The model's `clean` (every save through a form or a service) and the configuration admin's
removals call these, so no door skips them.
"""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from stagewise.organisations.models import LocalAuthority
from stagewise.statutory.models import NationalStage, StageModel
from stagewise.statutory.selectors import stage_model_for

if TYPE_CHECKING:
    from stagewise.statutory.models.thresholds import LocalThresholdDescriptor


def _stage_label(national_stage: str) -> str:
    return str(NationalStage(national_stage).label)


def left_without_descriptor_message(authority: LocalAuthority, national_stage: str) -> str:
    return _(
        "This would leave the national stage %(stage)s with no threshold descriptor for "
        "%(authority)s: each national stage its stages map onto needs at least one. Add another "
        "descriptor for %(stage)s first."
    ) % {"stage": _stage_label(national_stage), "authority": authority}


def covered_national_stages(
    authority: LocalAuthority, stage_model: StageModel, *, excluding: Iterable[int] = ()
) -> set[str]:
    """The national stages the authority's descriptors on its model's stages describe."""
    from stagewise.statutory.models.thresholds import LocalThresholdDescriptor

    return set(
        LocalThresholdDescriptor.objects.filter(
            authority=authority, local_stage__stage_model=stage_model
        )
        .exclude(pk__in=list(excluding))
        .values_list("local_stage__national_stage", flat=True)
    )


def local_descriptor_problems(descriptor: "LocalThresholdDescriptor") -> list[str]:
    """What is wrong with a local descriptor as it would be saved, in the reader's language."""
    if not (
        descriptor.authority_id and descriptor.local_stage_id and descriptor.national_descriptor_id
    ):
        return []  # the missing field has its own message
    authority = descriptor.authority
    local_stage = descriptor.local_stage
    national = descriptor.national_descriptor
    stage_model = stage_model_for(authority)
    problems = []
    if local_stage.stage_model_id != stage_model.pk:
        problems.append(
            _(
                "%(stage)s is not a stage of %(authority)s's staged intervention model "
                "(%(model)s): choose one of its stages."
            )
            % {"stage": local_stage.label, "authority": authority, "model": stage_model}
        )
    if national.nation_id != authority.nation_id:
        problems.append(
            _("That national descriptor is %(nation)s's: choose one of %(authority)s's nation.")
            % {"nation": national.nation, "authority": authority}
        )
    if national.national_stage != local_stage.national_stage:
        problems.append(
            _(
                "%(stage)s maps onto the national stage %(local_national)s, but that national "
                "descriptor describes %(national)s: choose a national descriptor of "
                "%(local_national)s."
            )
            % {
                "stage": local_stage.label,
                "local_national": _stage_label(local_stage.national_stage),
                "national": _stage_label(national.national_stage),
            }
        )
    if problems or descriptor.pk is None:
        return problems
    stored = (
        type(descriptor)
        ._base_manager.select_related("authority", "local_stage")
        .filter(pk=descriptor.pk)
        .first()
    )
    if stored is None:
        return []
    stored_model = stage_model_for(stored.authority)
    if stored.local_stage.stage_model_id != stored_model.pk:
        return []  # it described a model the authority no longer uses: nothing to leave
    still_there = (
        stored.authority_id == authority.pk
        and local_stage.national_stage == stored.local_stage.national_stage
    )
    national_stage = stored.local_stage.national_stage
    if not still_there and national_stage not in covered_national_stages(
        stored.authority, stored_model, excluding=[stored.pk]
    ):
        problems.append(left_without_descriptor_message(stored.authority, national_stage))
    return problems


def removal_problems(descriptors: Iterable["LocalThresholdDescriptor"]) -> list[str]:
    """Why removing these descriptors together is refused: each national stage of an authority
    they would leave with no descriptor. Empty if they may go."""
    removed = list(descriptors)
    removed_ids = [descriptor.pk for descriptor in removed]
    problems: list[str] = []
    checked: set[tuple[int, str]] = set()
    for descriptor in removed:
        authority = descriptor.authority
        stage_model = stage_model_for(authority)
        national_stage = descriptor.local_stage.national_stage
        if descriptor.local_stage.stage_model_id != stage_model.pk:
            continue
        if (authority.pk, national_stage) in checked:
            continue
        checked.add((authority.pk, national_stage))
        if national_stage not in covered_national_stages(
            authority, stage_model, excluding=removed_ids
        ):
            problems.append(left_without_descriptor_message(authority, national_stage))
    return problems
