"""Plans, split by concept; everything is importable from here."""

from stagewise.planning.models.plans import (
    EDITABLE_STATUSES,
    OPEN_STATUSES,
    Plan,
    PlanSectionText,
    PlanStatus,
    PlanView,
    SupportProvision,
    Target,
    ViewKind,
)
from stagewise.planning.models.printed import (
    PrintedAudience,
    PrintedPlan,
    printed_copies_storage,
    printed_plan_storage,
)
from stagewise.planning.models.types import LocalPlanTypeName, PlanSection, PlanType, SectionKind
from stagewise.planning.models.versions import (
    CommunicationFormat,
    PlanCommunication,
    PlanResponse,
    PlanResponseRead,
    PlanReview,
    PlanVersion,
    RecipientKind,
    ResponseKind,
    ReviewDecision,
    TargetProgress,
    TargetReview,
)

__all__ = [
    "EDITABLE_STATUSES",
    "OPEN_STATUSES",
    "CommunicationFormat",
    "LocalPlanTypeName",
    "Plan",
    "PlanCommunication",
    "PlanResponse",
    "PlanResponseRead",
    "PlanReview",
    "PlanSection",
    "PlanSectionText",
    "PlanStatus",
    "PlanType",
    "PlanVersion",
    "PlanView",
    "PrintedAudience",
    "PrintedPlan",
    "RecipientKind",
    "ResponseKind",
    "ReviewDecision",
    "SectionKind",
    "SupportProvision",
    "Target",
    "TargetProgress",
    "TargetReview",
    "ViewKind",
    "printed_copies_storage",
    "printed_plan_storage",
]
