"""The statutory app's tables: rules as data (rules.py), threshold descriptors (thresholds.py)
and the statutory processes whose clocks run on them (processes.py)."""

from stagewise.statutory.models.considerations import (
    CONDITIONS,
    ConsiderationConclusion,
    CoordinatedSupportPlanConsideration,
)
from stagewise.statutory.models.departures import (
    DEPARTURE_KINDS_VERSION,
    DepartureFromSuggestion,
    DepartureKind,
)
from stagewise.statutory.models.processes import (
    OPEN_PROCESS_STATUSES,
    ProcessEvent,
    ProcessEventKind,
    ProcessOutcome,
    ProcessStatus,
    StatutoryProcess,
)
from stagewise.statutory.models.provision_offers import AdditionalLearningProvisionOffer
from stagewise.statutory.models.rules import (
    ACADEMIC_YEAR,
    NATIONAL_STAGE_ORDER,
    RULE_KEY,
    AuthorityStageModel,
    BankHoliday,
    CalendarPeriodKind,
    Localised,
    LocalStage,
    NationalStage,
    ReasonForSupport,
    Responsible,
    SchoolCalendarPeriod,
    StageModel,
    StatutoryTimescale,
    TimescaleDirection,
    TimescaleUnit,
    validate_academic_year,
    validate_lead_days,
    validate_rule_key,
)
from stagewise.statutory.models.thresholds import (
    LocalThresholdDescriptor,
    NationalThresholdDescriptor,
    StageSuggestionRule,
    ThresholdDimension,
)

__all__ = [
    "ACADEMIC_YEAR",
    "CONDITIONS",
    "DEPARTURE_KINDS_VERSION",
    "NATIONAL_STAGE_ORDER",
    "OPEN_PROCESS_STATUSES",
    "RULE_KEY",
    "AdditionalLearningProvisionOffer",
    "AuthorityStageModel",
    "BankHoliday",
    "CalendarPeriodKind",
    "ConsiderationConclusion",
    "CoordinatedSupportPlanConsideration",
    "DepartureFromSuggestion",
    "DepartureKind",
    "LocalStage",
    "LocalThresholdDescriptor",
    "Localised",
    "NationalStage",
    "NationalThresholdDescriptor",
    "ProcessEvent",
    "ProcessEventKind",
    "ProcessOutcome",
    "ProcessStatus",
    "ReasonForSupport",
    "Responsible",
    "SchoolCalendarPeriod",
    "StageModel",
    "StageSuggestionRule",
    "StatutoryProcess",
    "StatutoryTimescale",
    "ThresholdDimension",
    "TimescaleDirection",
    "TimescaleUnit",
    "validate_academic_year",
    "validate_lead_days",
    "validate_rule_key",
]
