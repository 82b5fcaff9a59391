"""Every write to an authority's record of additional funding: record an allocation, remove one
recorded in error. Each requires RECORD_FUNDING and that the authority is the actor's own, runs in
one transaction and is audited."""

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.measurement.models import FundingAllocation, Measure
from stagewise.organisations.models import LocalAuthority
from stagewise.policy import SYSTEM, Capability, CapabilityRequired, SystemProcess, require

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor

    AnyActor = Actor | SystemProcess | None


def _require_own_authority(actor: "AnyActor", authority: LocalAuthority) -> None:
    require(actor, Capability.RECORD_FUNDING)
    if actor is SYSTEM:
        return
    membership = getattr(actor, "membership", None)
    if membership is None or membership.authority_id != authority.pk:
        raise CapabilityRequired(Capability.RECORD_FUNDING)


def _audit(actor: "AnyActor", action: str, allocation: FundingAllocation, purpose: str) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type="funding_allocation",
        object_id=str(allocation.public_id),
        purpose=purpose,
        detail={
            "authority": allocation.authority_id,
            "school_year": allocation.school_year,
            "amount": str(allocation.amount),
        },
    )


@transaction.atomic
def funding_record(
    *,
    actor: "AnyActor",
    authority: LocalAuthority,
    school_year: int,
    amount: Decimal,
    source: str,
    purpose: str,
    measures: Iterable[Measure],
) -> FundingAllocation:
    """Record funding the authority received for a school year, and the measures it was meant
    to change (at least one, each of the framework for the authority's nation)."""
    _require_own_authority(actor, authority)
    measures = list(measures)
    if not measures:
        raise ValidationError({"measures": _("Choose at least one measure it is meant to change.")})
    if any(m.nation_id not in (None, authority.nation_id) for m in measures):
        raise ValidationError(
            {
                "measures": _("Choose measures of the framework used in %(nation)s.")
                % {"nation": authority.nation}
            }
        )
    allocation = FundingAllocation(
        authority=authority,
        school_year=school_year,
        amount=amount,
        source=source.strip(),
        purpose=purpose.strip(),
        recorded_by=actor.user if actor else None,
    )
    allocation.full_clean()
    allocation.save()
    allocation.measures.set(measures)
    _audit(actor, AuditAction.CREATE, allocation, "record additional funding")
    return allocation


@transaction.atomic
def funding_remove(*, actor: "AnyActor", allocation: FundingAllocation) -> None:
    """Remove an allocation recorded in error; the audit keeps what it said."""
    _require_own_authority(actor, allocation.authority)
    _audit(actor, AuditAction.DELETE, allocation, "remove additional funding")
    allocation.delete()
