"""What the family reads when they give their part in a transition: what is planned and when, in
plain words, and their own part so far. Never the staff's transition plan, nor another family
member's words (separated parents do not read each other's)."""

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.utils import timezone

from stagewise.families.home_selectors import NO_FAMILY_PART_YET, TRANSITION_WORDS
from stagewise.families.transition_part_models import TransitionFamilyPart
from stagewise.learners.access import learner_record_or_404
from stagewise.learners.models import Learner, Transition, TransitionKind

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor


@dataclass(frozen=True)
class TransitionForFamily:
    transition: Transition
    what: str
    planned_on: date
    # What staff wrote down with the family, as the home page shows it.
    agreed_with_school: str
    own_part: TransitionFamilyPart | None

    @property
    def has_passed(self) -> bool:
        return self.planned_on < timezone.localdate()


def transition_for_family_get(
    *, actor: "Actor", learner: Learner, transition_id: object, purpose: str
) -> TransitionForFamily:
    """One of the learner's transitions, or 404 (a transition of another learner is refused on
    its own learner). The caller reached the learner through get_learner_for."""
    transition = learner_record_or_404(
        actor=actor,
        records=Transition.objects.all(),
        learner=learner,
        purpose=purpose,
        object_type="transition",
        public_id=transition_id,
    )
    return TransitionForFamily(
        transition=transition,
        what=str(TRANSITION_WORDS[TransitionKind(transition.kind)]),
        planned_on=transition.planned_on,
        agreed_with_school=transition.family_part or str(NO_FAMILY_PART_YET),
        own_part=TransitionFamilyPart.objects.filter(
            transition=transition, author=actor.user
        ).first(),
    )
