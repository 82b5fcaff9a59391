"""The learner record, split by concept; everything is importable from here."""

from stagewise.learners.models.chronology import ChronologyEntry, ChronologyEntryType
from stagewise.learners.models.moves import LearnerMove, Transition, TransitionKind
from stagewise.learners.models.needs import Disability, FactorGroup, Need, StageDecision
from stagewise.learners.models.record import (
    ALL_YEAR_GROUPS,
    YEAR_GROUPS,
    Carer,
    CarerRelationship,
    CurrentQuerySet,
    DatedRelationship,
    Enrolment,
    Learner,
    LearnerCarer,
    Sex,
    StaffRelationship,
    StaffRelationshipKind,
)
from stagewise.learners.models.sharing import (
    DecisionGivenBy,
    ParentPart,
    ParentSharing,
    ParentSharingDecision,
)
from stagewise.learners.models.wellbeing import (
    LEVEL_SCORE,
    WellbeingAssessment,
    WellbeingIndicator,
    WellbeingLevel,
    WellbeingRating,
)

__all__ = [
    "ALL_YEAR_GROUPS",
    "LEVEL_SCORE",
    "YEAR_GROUPS",
    "Carer",
    "CarerRelationship",
    "ChronologyEntry",
    "ChronologyEntryType",
    "CurrentQuerySet",
    "DatedRelationship",
    "DecisionGivenBy",
    "Disability",
    "Enrolment",
    "FactorGroup",
    "Learner",
    "LearnerCarer",
    "LearnerMove",
    "Need",
    "ParentPart",
    "ParentSharing",
    "ParentSharingDecision",
    "Sex",
    "StaffRelationship",
    "StaffRelationshipKind",
    "StageDecision",
    "Transition",
    "TransitionKind",
    "WellbeingAssessment",
    "WellbeingIndicator",
    "WellbeingLevel",
    "WellbeingRating",
]
