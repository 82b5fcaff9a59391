"""Reading a roll import: only its school's leaders and its authority's officers see it."""

from typing import TYPE_CHECKING
from uuid import UUID

from django.http import Http404

from stagewise.learners.access import visible_learners
from stagewise.learners.models import Learner
from stagewise.policy import Capability, require
from stagewise.roll_imports.models import RollImport

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor


def roll_import_get(actor: "Actor | None", public_id: UUID) -> RollImport:
    """403 for a role that does not keep a roll; 404 for one that keeps another's."""
    require(actor, Capability.ENROL_LEARNERS)
    membership = actor.membership if actor is not None else None
    roll_import = (
        RollImport.objects.select_related("mapping", "setting", "authority")
        .defer("content")  # the file itself, up to 40 MB, is for the task alone
        .filter(public_id=public_id)
        .first()
    )
    if roll_import is None or not roll_import.kept_by(membership):
        raise Http404
    return roll_import


def leaver_names(actor: "Actor | None", roll_import: RollImport) -> dict[int, Learner]:
    """The leavers the check listed, by enrolment id, through the one door: learners on the
    importer's own roll (one who has moved away since is left out)."""
    pairs = roll_import.report.get("leavers", [])
    learners = visible_learners(actor).in_bulk([learner_id for _enrolment, learner_id in pairs])
    return {
        enrolment_id: learners[learner_id]
        for enrolment_id, learner_id in pairs
        if learner_id in learners
    }
