"""Measurement records, split by concept; everything is importable from here."""

from stagewise.measurement.models.considerations import ConsiderationFigure
from stagewise.measurement.models.consistency import ConsistencyFigure, Grouping
from stagewise.measurement.models.departures import (
    DecisionKind,
    DepartureDirection,
    DepartureFigure,
)
from stagewise.measurement.models.framework import Measure, MeasureKind, Principle, Unit
from stagewise.measurement.models.funding import FundingAllocation
from stagewise.measurement.models.outcomes import (
    POSITIVE_DESTINATIONS,
    AttendanceRecord,
    CurriculumJudgement,
    Exclusion,
    LeaverDestination,
    LeaverDestinationKind,
    MainstreamTime,
    PartTimeReason,
    PartTimeTimetable,
    Qualification,
)
from stagewise.measurement.models.summaries import Breakdown, ScopeLevel, SummaryFigure
from stagewise.measurement.models.working import (
    LearnerYear,
    LearnerYearContribution,
    LearnerYearReason,
    MeasureRefresh,
)

__all__ = [
    "POSITIVE_DESTINATIONS",
    "AttendanceRecord",
    "Breakdown",
    "ConsiderationFigure",
    "ConsistencyFigure",
    "CurriculumJudgement",
    "DecisionKind",
    "DepartureDirection",
    "DepartureFigure",
    "Exclusion",
    "FundingAllocation",
    "Grouping",
    "LearnerYear",
    "LearnerYearContribution",
    "LearnerYearReason",
    "LeaverDestination",
    "LeaverDestinationKind",
    "MainstreamTime",
    "Measure",
    "MeasureKind",
    "MeasureRefresh",
    "PartTimeReason",
    "PartTimeTimetable",
    "Principle",
    "Qualification",
    "ScopeLevel",
    "SummaryFigure",
    "Unit",
]
