"""Adding an authority's threshold descriptors outside the configuration admin (a loader, the
demo): Stagewise itself acting, each row checked as the admin checks it, all or none, each row
audited as a configuration change and versioned (ADR 0008, ADR 0045)."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from stagewise.audit.configuration import configuration_change_record, row_state
from stagewise.organisations.models import LocalAuthority
from stagewise.statutory.models import LocalThresholdDescriptor, NationalThresholdDescriptor
from stagewise.statutory.selectors import stage_model_for
from stagewise.statutory.thresholds import (
    covered_national_stages,
    left_without_descriptor_message,
)


@dataclass(frozen=True)
class LocalDescriptorRow:
    """One descriptor as a loader gives it: the local stage by its order in the authority's
    model, the national descriptor by its key."""

    stage_order: int
    national_key: str
    wording: str
    source: str
    version: str
    wording_cy: str = ""
    order: int = 1


@transaction.atomic
def local_threshold_descriptors_add(
    *, authority: LocalAuthority, rows: Iterable[LocalDescriptorRow]
) -> list[LocalThresholdDescriptor]:
    """Add the descriptors together. Refused (ValidationError, nothing saved) if any row is
    wrong, or if afterwards a national stage the authority's stages map onto has none."""
    stage_model = stage_model_for(authority)
    stages = {stage.order: stage for stage in stage_model.stages.all()}
    added = []
    for row in rows:
        if row.stage_order not in stages:
            raise ValidationError(
                f"{stage_model} has no stage {row.stage_order}: its stages are "
                f"{', '.join(str(order) for order in sorted(stages))}."
            )
        national = NationalThresholdDescriptor.objects.filter(key=row.national_key).first()
        if national is None:
            raise ValidationError(
                f"There is no national threshold descriptor {row.national_key!r}."
            )
        descriptor = LocalThresholdDescriptor(
            authority=authority,
            local_stage=stages[row.stage_order],
            national_descriptor=national,
            wording=row.wording,
            wording_cy=row.wording_cy,
            source=row.source,
            version=row.version,
            order=row.order,
        )
        descriptor.full_clean()
        descriptor.save()
        configuration_change_record(user=None, before=None, after=row_state(descriptor))
        added.append(descriptor)
    covered = covered_national_stages(authority, stage_model)
    for national_stage in dict.fromkeys(stage.national_stage for stage in stages.values()):
        if national_stage not in covered:
            raise ValidationError(left_without_descriptor_message(authority, national_stage))
    return added
