"""Reads of threshold descriptors (ADR 0045): an authority's stages and their descriptors beside
the national ones, for its staff, in a fixed number of queries however many there are.

Who may read which authority's thresholds is decided here from the policy table: the capability,
and where the role is held. Held at a school, an authority or an agency, it reads that one
authority's; held at no organisation (an administrator), every authority's. Anyone else is told
the page does not exist (404), as for a record they cannot see.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.http import Http404

from stagewise.organisations.models import LocalAuthority
from stagewise.policy import Capability, may, policy_for
from stagewise.statutory.models import (
    LocalStage,
    LocalThresholdDescriptor,
    NationalStage,
    NationalThresholdDescriptor,
    StageModel,
    ThresholdDimension,
)
from stagewise.statutory.selectors import stage_model_for

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor

DIMENSION_ORDER = {dimension: rank for rank, dimension in enumerate(ThresholdDimension.values)}


@dataclass(frozen=True)
class DescriptorRow:
    """One national descriptor and the authority's descriptors that map onto it."""

    dimension_label: str
    national: NationalThresholdDescriptor
    local: list[LocalThresholdDescriptor]


@dataclass(frozen=True)
class NationalStageThresholds:
    """One stage of the national frame: the authority's stages mapped onto it, and each national
    descriptor of the stage with the local descriptors that map onto it."""

    national_stage: str
    label: str
    local_stages: list[LocalStage]
    rows: list[DescriptorRow]

    @property
    def has_local_descriptors(self) -> bool:
        return any(row.local for row in self.rows)


@dataclass(frozen=True)
class AuthorityThresholds:
    authority: LocalAuthority
    stage_model: StageModel
    stages: list[NationalStageThresholds]

    @property
    def has_local_descriptors(self) -> bool:
        return any(stage.has_local_descriptors for stage in self.stages)


def authority_of(actor: "Actor | None") -> LocalAuthority | None:
    """The authority an actor's role is held in (its school's, its agency's, or itself)."""
    membership = getattr(actor, "membership", None)
    if membership is None:
        return None
    if membership.setting_id:
        return membership.setting.authority
    if membership.agency_id:
        return membership.agency.authority
    return membership.authority


def reads_thresholds_of(actor: "Actor | None", authority: LocalAuthority) -> bool:
    if not may(actor, Capability.VIEW_THRESHOLDS):
        return False
    if not policy_for(actor).organisation:
        return True  # held at no organisation: an administrator
    own = authority_of(actor)
    return own is not None and own.pk == authority.pk


def authority_thresholds_get(*, actor: "Actor | None", authority_code: str) -> AuthorityThresholds:
    """The authority's stages with their descriptors beside the national ones, or 404 for anyone
    who may not read them (and for an authority that does not exist)."""
    authority = LocalAuthority.objects.select_related("nation").filter(code=authority_code).first()
    if authority is None or not reads_thresholds_of(actor, authority):
        raise Http404("No thresholds to show here.")
    stage_model = stage_model_for(authority)
    local_stages = list(stage_model.stages.order_by("order"))
    national = sorted(
        NationalThresholdDescriptor.objects.filter(nation_id=authority.nation_id),
        key=lambda descriptor: (DIMENSION_ORDER[descriptor.dimension], descriptor.order),
    )
    local_by_national: dict[int, list[LocalThresholdDescriptor]] = {}
    stage_by_id = {stage.pk: stage for stage in local_stages}
    for descriptor in LocalThresholdDescriptor.objects.filter(
        authority=authority, local_stage__in=local_stages
    ).order_by("local_stage__order", "order", "pk"):
        descriptor.local_stage = stage_by_id[descriptor.local_stage_id]
        local_by_national.setdefault(descriptor.national_descriptor_id, []).append(descriptor)
    stages = [
        NationalStageThresholds(
            national_stage=national_stage.value,
            label=str(national_stage.label),
            local_stages=[s for s in local_stages if s.national_stage == national_stage.value],
            rows=[
                DescriptorRow(
                    dimension_label=str(ThresholdDimension(descriptor.dimension).label),
                    national=descriptor,
                    local=local_by_national.get(descriptor.pk, []),
                )
                for descriptor in national
                if descriptor.national_stage == national_stage.value
            ],
        )
        for national_stage in NationalStage
    ]
    return AuthorityThresholds(authority=authority, stage_model=stage_model, stages=stages)
