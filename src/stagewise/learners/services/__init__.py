"""Every write to the learner record."""

from stagewise.learners.services.moves import (
    learner_arrival_acknowledge,
    learner_move,
    transition_plan,
)
from stagewise.learners.services.record import (
    EDITABLE_IDENTITY_FIELDS,
    carer_link,
    learner_create,
    learner_current_enrolment,
    learner_update,
    staff_relationship_start,
)
from stagewise.learners.services.support import (
    chronology_record,
    need_record,
    need_resolve,
    stage_decide,
    wellbeing_assess,
)

__all__ = [
    "EDITABLE_IDENTITY_FIELDS",
    "carer_link",
    "chronology_record",
    "learner_arrival_acknowledge",
    "learner_create",
    "learner_current_enrolment",
    "learner_move",
    "learner_update",
    "need_record",
    "need_resolve",
    "staff_relationship_start",
    "stage_decide",
    "transition_plan",
    "wellbeing_assess",
]
