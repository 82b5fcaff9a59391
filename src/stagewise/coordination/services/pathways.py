"""A service's published pathway: what it does, for whom, what a request must include, how soon
it answers and how to reach it. Kept by the authority's officers for their own authority's
services, and by administrators for any; published on the authority's public pathways page."""

from typing import TYPE_CHECKING, Any

from django.db import transaction

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record, field_changes
from stagewise.coordination.models import ServicePathway
from stagewise.coordination.pathway_selectors import keeps_pathways_of
from stagewise.organisations.models import Agency
from stagewise.policy import Capability, CapabilityRequired, SystemProcess, require
from stagewise.statutory.models import NationalStage

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor

# The pathway's own fields, in the order the audit records them.
PATHWAY_FIELDS = (
    "summary",
    "summary_cy",
    "access_criteria",
    "access_criteria_cy",
    "request_must_include",
    "request_must_include_cy",
    "usual_stages",
    "response_weeks",
    "telephone",
    "email",
    "website",
    "address",
    "accepts_requests",
)


def _in_frame_order(stages: list[str]) -> list[str]:
    """The stages in the national frame's order, each once, whatever order they arrived in;
    anything not a stage is kept, for the model's validation to refuse by name."""
    if not isinstance(stages, list):
        return stages
    known = [stage for stage in NationalStage.values if stage in stages]
    return known + [stage for stage in dict.fromkeys(stages) if stage not in NationalStage.values]


@transaction.atomic
def pathway_save(
    *,
    actor: "Actor | SystemProcess | None",
    service: Agency,
    summary: str,
    access_criteria: str,
    request_must_include: str,
    usual_stages: list[str],
    response_weeks: int,
    summary_cy: str = "",
    access_criteria_cy: str = "",
    request_must_include_cy: str = "",
    telephone: str = "",
    email: str = "",
    website: str = "",
    address: str = "",
    accepts_requests: bool = True,
) -> dict[str, list[Any]]:
    """Publish the service's pathway, or change it; returns the changes as
    {field: [before, after]} (empty if nothing changed). Raises ValidationError with the
    messages to show, CapabilityRequired for anyone who does not keep the service's authority's
    pathways."""
    require(actor, Capability.MANAGE_PATHWAYS)
    # The service row, locked: two people publishing the same service's first pathway at once
    # wait for each other instead of one failing on the one-to-one constraint.
    locked_service = (
        Agency.objects.select_for_update(of=("self",))
        .select_related("authority")
        .get(pk=service.pk)
    )
    if not keeps_pathways_of(actor, locked_service.authority):
        raise CapabilityRequired(Capability.MANAGE_PATHWAYS)
    data: dict[str, Any] = {
        "summary": summary.strip(),
        "summary_cy": summary_cy.strip(),
        "access_criteria": access_criteria.strip(),
        "access_criteria_cy": access_criteria_cy.strip(),
        "request_must_include": request_must_include.strip(),
        "request_must_include_cy": request_must_include_cy.strip(),
        "usual_stages": _in_frame_order(usual_stages),
        "response_weeks": response_weeks,
        "telephone": telephone.strip(),
        "email": email.strip(),
        "website": website.strip(),
        "address": address.strip(),
        "accepts_requests": accepts_requests,
    }
    pathway = ServicePathway.objects.filter(service=locked_service).first()
    if pathway is None:
        pathway = ServicePathway(service=locked_service)
        changes = {field: [None, data[field]] for field in PATHWAY_FIELDS}
        action = AuditAction.CREATE
    else:
        changes = field_changes(pathway, data)
        if not changes:
            return {}
        action = AuditAction.UPDATE
    for field, value in data.items():
        setattr(pathway, field, value)
    pathway.full_clean()
    pathway.save()
    audit_record(
        actor=actor,
        action=action,
        object_type="service_pathway",
        object_id=str(locked_service.pk),
        purpose="publish a service's pathway",
        changes=changes,
        detail={"service": locked_service.name, "authority": locked_service.authority.name},
    )
    return changes
