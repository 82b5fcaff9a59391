"""A learner's moves between schools, for the learner's page of moves (the learner is already
reached through learners/access.get_learner_for); and, for the school a learner has left, what
it wrote (reached through the second door, learners/access.records_written_here_for)."""

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from stagewise.learners.access import MovedAway, moved_away_list
from stagewise.learners.models import ChronologyEntryType, Learner, LearnerMove, Transition
from stagewise.learners.selectors.support import ChronologyItem
from stagewise.policy import Capability, may

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor


def learner_move_list(learner: Learner) -> QuerySet[LearnerMove]:
    return LearnerMove.objects.filter(learner=learner).select_related(
        "from_setting__authority", "to_setting__authority", "recorded_by", "acknowledged_by"
    )


def transition_list(learner: Learner) -> QuerySet[Transition]:
    return Transition.objects.filter(learner=learner).select_related("recorded_by")


@dataclass(frozen=True)
class WrittenHere:
    """What the school a learner left receives of them: their name, the day they left, the last
    day it may read its records, and (on the learner's page) the records. Never the learner's
    new school, details or anything written since."""

    public_id: uuid.UUID
    name: str
    moved_on: date
    open_until: date
    items: list[ChronologyItem] = field(default_factory=list)


def _written_here(moved_away: MovedAway, items: list[ChronologyItem]) -> WrittenHere:
    return WrittenHere(
        public_id=moved_away.learner.public_id,
        name=moved_away.learner.display_name,
        moved_on=moved_away.move.moved_on,
        open_until=moved_away.open_until,
        items=items,
    )


def moved_away_rows(actor: "Actor") -> list[WrittenHere]:
    """The learners who moved away from the actor's school whose records it may still read."""
    return [_written_here(moved_away, []) for moved_away in moved_away_list(actor)]


def written_here_get(*, actor: "Actor", moved_away: MovedAway) -> WrittenHere:
    return _written_here(moved_away, records_written_here(actor=actor, moved_away=moved_away))


def records_written_here(*, actor: "Actor", moved_away: MovedAway) -> list[ChronologyItem]:
    """The chronology entries written by people acting for the school the learner left, while
    the learner was there, newest first: nothing written by the authority, an agency or the new
    school, and restricted entries only for a role that read them before (the school's leaders).
    Stage decisions and needs are not stamped with a school, so they are not shown."""
    move = moved_away.move
    entries = moved_away.learner.chronology.filter(
        recorded_for_setting_id=move.from_setting_id, recorded_at__date__lt=move.moved_on
    )
    if not may(actor, Capability.RESTRICTED_CHRONOLOGY):
        entries = entries.filter(restricted=False)
    return [
        ChronologyItem(
            occurred_on=entry.occurred_on,
            kind=entry.entry_type,
            kind_label=str(ChronologyEntryType(entry.entry_type).label),
            summary=entry.summary,
            source=entry.source or entry.recorded_by_label,
            restricted=entry.restricted,
        )
        for entry in entries
    ]
