"""A learner's moves between schools, for the learner's page of moves (the learner is already
reached through learners/access.get_learner_for); and, for the school a learner has left, what
it wrote (reached through the second door, learners/access.records_written_here_for)."""

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from stagewise.learners.access import MovedAway, moved_away_list
from stagewise.learners.models import Learner, LearnerMove, Transition
from stagewise.learners.selectors.support import (
    ChronologyItem,
    chronology_entry_item,
    chronology_kinds,
    need_identified_item,
    stage_decision_item,
)
from stagewise.policy import Capability, may

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor


def learner_move_list(learner: Learner) -> QuerySet[LearnerMove]:
    return LearnerMove.objects.filter(learner=learner).select_related(
        "from_setting__authority", "to_setting__authority", "recorded_by", "acknowledged_by"
    )


def transition_list(learner: Learner) -> QuerySet[Transition]:
    # The family's own parts (families.TransitionFamilyPart), each in its author's words.
    return (
        Transition.objects.filter(learner=learner)
        .select_related("recorded_by")
        .prefetch_related("family_parts")
    )


@dataclass(frozen=True)
class WrittenHere:
    """What the school a learner left receives of them: their name, the day they left, the last
    day it may read its records, and (on the learner's page) the records. Never the learner's
    new school, details or anything written since."""

    public_id: uuid.UUID
    name: str
    moved_on: date
    # The learner's internal id, for the audit of who was shown the list.
    learner_id: int
    open_until: date
    items: list[ChronologyItem] = field(default_factory=list)


def _written_here(moved_away: MovedAway, items: list[ChronologyItem]) -> WrittenHere:
    return WrittenHere(
        public_id=moved_away.learner.public_id,
        name=moved_away.learner.display_name,
        moved_on=moved_away.move.moved_on,
        learner_id=moved_away.learner.pk,
        open_until=moved_away.open_until,
        items=items,
    )


def moved_away_rows(actor: "Actor") -> list[WrittenHere]:
    """The learners who moved away from the actor's school whose records it may still read."""
    return [_written_here(moved_away, []) for moved_away in moved_away_list(actor)]


def written_here_get(*, actor: "Actor", moved_away: MovedAway) -> WrittenHere:
    return _written_here(moved_away, records_written_here(actor=actor, moved_away=moved_away))


def records_written_here(*, actor: "Actor", moved_away: MovedAway) -> list[ChronologyItem]:
    """What people acting for the school the learner left recorded while the learner was there,
    newest first: its chronology entries, stage decisions and the needs it identified (not
    whether a need was later resolved: that may be the new school's doing). Nothing written by
    the authority, an agency or the new school; restricted entries only for a role that read
    them before (the school's leaders)."""
    move = moved_away.move
    learner = moved_away.learner
    labels = dict(chronology_kinds())
    entries = learner.chronology.filter(
        recorded_for_setting_id=move.from_setting_id, recorded_at__date__lt=move.moved_on
    )
    if not may(actor, Capability.RESTRICTED_CHRONOLOGY):
        entries = entries.filter(restricted=False)
    decisions = learner.stage_decisions.filter(
        decided_for_setting_id=move.from_setting_id, decided_on__lt=move.moved_on
    ).select_related("stage")
    needs = learner.needs.filter(
        identified_for_setting_id=move.from_setting_id, identified_on__lt=move.moved_on
    ).select_related("reason")
    items = [
        *(chronology_entry_item(entry, labels) for entry in entries),
        *(stage_decision_item(decision, labels) for decision in decisions),
        *(need_identified_item(need, labels) for need in needs),
    ]
    return sorted(items, key=lambda item: item.occurred_on, reverse=True)
