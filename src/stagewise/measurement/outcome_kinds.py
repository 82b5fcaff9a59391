"""The kinds of outcome record staff enter, by the word their addresses use."""

from stagewise.measurement.models import (
    AttendanceRecord,
    CurriculumJudgement,
    Exclusion,
    LeaverDestination,
    MainstreamTime,
    PartTimeTimetable,
    Qualification,
)
from stagewise.measurement.models.outcomes import OutcomeRecord

OUTCOME_KINDS: dict[str, type[OutcomeRecord]] = {
    "attendance": AttendanceRecord,
    "exclusion": Exclusion,
    "part-time-timetable": PartTimeTimetable,
    "mainstream-time": MainstreamTime,
    "curriculum-judgement": CurriculumJudgement,
    "qualification": Qualification,
    "leaver-destination": LeaverDestination,
}
KIND_OF_MODEL = {model: kind for kind, model in OUTCOME_KINDS.items()}


def kind_of(record: OutcomeRecord) -> str:
    return KIND_OF_MODEL[type(record)]
