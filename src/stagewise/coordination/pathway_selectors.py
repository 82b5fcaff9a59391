"""Reads of the published pathways: the public pages (no sign-in, nothing about a learner) and
the pages on which an authority keeps its own.

Who keeps which authority's pathways is decided here from the policy table: the capability, and
where the role is held. A role held at an authority keeps that authority's; a role held at no
organisation (an administrator) keeps every authority's.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from stagewise.coordination.models import ServicePathway
from stagewise.organisations.models import Agency, AgencyType, LocalAuthority, Nation
from stagewise.policy import SYSTEM, Capability, SystemProcess, may, policy_for

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor

# Service types in the order AgencyType declares them, not alphabetically by code.
_TYPE_ORDER = {value: position for position, value in enumerate(AgencyType.values)}


@dataclass(frozen=True)
class ServiceTypeGroup:
    agency_type: str
    label: str
    pathways: list[ServicePathway]


def pathway_nation_list() -> QuerySet[Nation]:
    """Nations, each with `.authority_list`: its authorities, each with `.published_count`, the
    number of its services with a published pathway."""
    authorities = LocalAuthority.objects.annotate(
        published_count=Count("agencies__pathway")
    ).order_by("name")
    return Nation.objects.prefetch_related(
        Prefetch("authorities", queryset=authorities, to_attr="authority_list")
    ).order_by("name")


def pathway_authority_get(*, code: str) -> LocalAuthority:
    """The authority with that code, or 404."""
    authority = LocalAuthority.objects.select_related("nation").filter(code=code).first()
    if authority is None:
        raise Http404("No local authority has that code.")
    return authority


def published_pathways(*, authority: LocalAuthority) -> list[ServiceTypeGroup]:
    """The authority's services with a published pathway, grouped by type of service, in one
    query however many there are."""
    pathways = ServicePathway.objects.filter(service__authority=authority).select_related("service")
    groups: dict[str, list[ServicePathway]] = {}
    for pathway in sorted(
        pathways,
        key=lambda p: (_TYPE_ORDER.get(p.service.agency_type, 99), p.service.display_name),
    ):
        groups.setdefault(pathway.service.agency_type, []).append(pathway)
    labels = dict(AgencyType.choices)
    return [
        ServiceTypeGroup(agency_type=kind, label=str(labels.get(kind, kind)), pathways=items)
        for kind, items in groups.items()
    ]


def keeps_pathways_of(actor: "Actor | SystemProcess | None", authority: LocalAuthority) -> bool:
    """Whether the actor may change the authority's published pathways."""
    if actor is SYSTEM:
        return True
    if actor is None or not may(actor, Capability.MANAGE_PATHWAYS):
        return False
    held_at = policy_for(actor).organisation  # type: ignore[arg-type]
    if held_at == "":
        return True
    membership = actor.membership
    return held_at == "authority" and (
        membership is not None and membership.authority_id == authority.pk
    )


def pathway_service_list(*, authority: LocalAuthority) -> list[Agency]:
    """Every service of the authority, with its pathway if it has one (`agency.pathway_or_none`),
    for the page on which the authority keeps them."""
    agencies = list(Agency.objects.filter(authority=authority).select_related("pathway"))
    for agency in agencies:
        agency.pathway_or_none = getattr(agency, "pathway", None)  # type: ignore[attr-defined]
    agencies.sort(key=lambda a: (_TYPE_ORDER.get(a.agency_type, 99), a.display_name))
    return agencies


def pathway_service_get(*, authority: LocalAuthority, agency_id: int) -> Agency:
    """One service of the authority, with its pathway if it has one; 404 for a service of
    another authority, so an address cannot be turned to a neighbour's service."""
    agency = (
        Agency.objects.select_related("authority__nation", "pathway")
        .filter(authority=authority, pk=agency_id)
        .first()
    )
    if agency is None:
        raise Http404("The authority has no such service.")
    return agency
