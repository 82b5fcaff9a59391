"""Every read of learners, scoped to an actor through learners/access.py."""

from stagewise.learners.selectors.record import (
    SCOPE_LABELS,
    CaseloadSummary,
    LearnerFilters,
    LearnerProfile,
    ReviewDue,
    actor_nation_id,
    caseload_summary_get,
    learner_list,
    learner_list_scopes,
    learner_list_settings,
    learner_profile_get,
)
from stagewise.learners.selectors.support import (
    ChronologyItem,
    WellbeingView,
    chronology_kinds,
    chronology_list,
    current_stage_get,
    need_list,
    stage_timeline,
    wellbeing_assessment_list,
    wellbeing_view_get,
)

__all__ = [
    "SCOPE_LABELS",
    "CaseloadSummary",
    "ChronologyItem",
    "LearnerFilters",
    "LearnerProfile",
    "ReviewDue",
    "WellbeingView",
    "actor_nation_id",
    "caseload_summary_get",
    "chronology_kinds",
    "chronology_list",
    "current_stage_get",
    "learner_list",
    "learner_list_scopes",
    "learner_list_settings",
    "learner_profile_get",
    "need_list",
    "stage_timeline",
    "wellbeing_assessment_list",
    "wellbeing_view_get",
]
