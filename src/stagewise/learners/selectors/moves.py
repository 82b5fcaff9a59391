"""A learner's moves between schools, for the learner's page of moves (the learner is already
reached through learners/access.get_learner_for)."""

from django.db.models import QuerySet

from stagewise.learners.models import Learner, LearnerMove, Transition


def learner_move_list(learner: Learner) -> QuerySet[LearnerMove]:
    return LearnerMove.objects.filter(learner=learner).select_related(
        "from_setting__authority", "to_setting__authority", "recorded_by", "acknowledged_by"
    )


def transition_list(learner: Learner) -> QuerySet[Transition]:
    return Transition.objects.filter(learner=learner).select_related("recorded_by")
