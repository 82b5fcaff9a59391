"""The plans the school a learner has left agreed, as it agreed them: its part of the second door
(learners/access.records_written_here_for, ADR 0020). The learner is reached through that door
only; this module cuts what the school then reads of their plans."""

import dataclasses
from typing import TYPE_CHECKING

from stagewise.learners.access import MovedAway
from stagewise.planning.documents import PlanDocument, plan_document_load
from stagewise.planning.models import PlanVersion
from stagewise.policy import Capability, may

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor


@dataclasses.dataclass(frozen=True)
class PlanAgreedHere:
    """One plan as the school last agreed it before the learner left, cut by
    `PlanDocument.for_school_left` (never the learner's or carers' details, the nominated school
    or the family's words); its staff-only notes as they stood then, for the school's leaders
    only (empty for anyone else)."""

    document: PlanDocument
    staff_notes: str


def plans_agreed_here(*, actor: "Actor", moved_away: MovedAway) -> list[PlanAgreedHere]:
    """For each of the learner's plans, the latest version signed off by someone acting for the
    school they left, before the day they left, most recently signed first. A version the new
    school, the authority or an agency signed is not the school's, even of a plan it began."""
    move = moved_away.move
    versions = PlanVersion.objects.filter(
        plan__learner=moved_away.learner,
        finalised_for_setting_id=move.from_setting_id,
        finalised_at__date__lt=move.moved_on,
    ).order_by("plan_id", "-number")
    latest: dict[int, PlanVersion] = {}
    for version in versions:
        latest.setdefault(version.plan_id, version)
    # Staff-only notes go where restricted chronology entries go: to the school's leaders.
    leader = may(actor, Capability.RESTRICTED_CHRONOLOGY)
    chosen = sorted(latest.values(), key=lambda version: version.finalised_at, reverse=True)
    return [
        PlanAgreedHere(
            document=plan_document_load(version.document).for_school_left(),
            staff_notes=version.staff_notes if leader else "",
        )
        for version in chosen
    ]
