"""Reading a learner's outcomes, for the staff who may (the professional record): every kind of
record grouped by school year, newest first, with each year's attendance worked out. One query
a kind, however many records the learner has."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from stagewise.learners.access import get_learner_for
from stagewise.learners.models import YEAR_GROUPS, Learner
from stagewise.measurement.codes import curriculum_for, framework_level_label
from stagewise.measurement.models import (
    AttendanceRecord,
    CurriculumJudgement,
    Exclusion,
    LeaverDestination,
    MainstreamTime,
    PartTimeTimetable,
    Qualification,
)
from stagewise.measurement.periods import school_year_label
from stagewise.policy import Capability

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor


def attendance_percentage(attended: int, possible: int) -> Decimal | None:
    """Sessions attended as a percentage of those possible, to one decimal place (None when
    there were none)."""
    if not possible:
        return None
    return (Decimal(attended) * 100 / Decimal(possible)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


@dataclass(frozen=True)
class AttendanceRow:
    record: AttendanceRecord
    percentage: Decimal | None


@dataclass(frozen=True)
class JudgementRow:
    record: CurriculumJudgement
    year_group_label: Any
    area_label: Any
    level_label: Any


@dataclass(frozen=True)
class QualificationRow:
    record: Qualification
    level_label: Any


@dataclass
class SchoolYearOutcomes:
    school_year: int
    attendance: list[AttendanceRow] = field(default_factory=list)
    exclusions: list[Exclusion] = field(default_factory=list)
    part_time_timetables: list[PartTimeTimetable] = field(default_factory=list)
    mainstream_time: MainstreamTime | None = None
    judgements: list[JudgementRow] = field(default_factory=list)
    qualifications: list[QualificationRow] = field(default_factory=list)
    leaver_destination: LeaverDestination | None = None

    @property
    def label(self) -> str:
        return school_year_label(self.school_year)

    @property
    def possible_sessions(self) -> int:
        return sum(row.record.possible_sessions for row in self.attendance)

    @property
    def attended_sessions(self) -> int:
        return sum(row.record.attended_sessions for row in self.attendance)

    @property
    def attendance_percentage(self) -> Decimal | None:
        return attendance_percentage(self.attended_sessions, self.possible_sessions)

    @property
    def mainstream_percentage(self) -> Decimal | None:
        """Hours in mainstream classes as a share of the hours timetabled, in per cent."""
        record = self.mainstream_time
        if record is None or not record.timetabled_hours_a_week:
            return None
        return (record.mainstream_hours_a_week * 100 / record.timetabled_hours_a_week).quantize(
            Decimal("1"), rounding=ROUND_HALF_UP
        )

    @property
    def days_excluded(self) -> Decimal:
        return sum((exclusion.days for exclusion in self.exclusions), Decimal(0))


@dataclass(frozen=True)
class LearnerOutcomes:
    learner: Learner
    years: list[SchoolYearOutcomes]

    @property
    def any(self) -> bool:
        return bool(self.years)


def _nation(record: Any) -> str:
    return record.setting.authority.nation.code


def _judgement_row(record: CurriculumJudgement) -> JudgementRow:
    nation = _nation(record)
    codes = curriculum_for(nation)
    return JudgementRow(
        record=record,
        year_group_label=dict(YEAR_GROUPS.get(nation, [])).get(
            record.year_group, record.year_group
        ),
        area_label=dict(codes.areas).get(record.area, record.area),
        level_label=dict(codes.levels).get(record.level, record.level),
    )


def learner_outcomes(learner: Learner) -> list[SchoolYearOutcomes]:
    """The learner's outcome records by school year, newest first: one query a kind."""
    years: dict[int, SchoolYearOutcomes] = {}

    def year(school_year: int) -> SchoolYearOutcomes:
        return years.setdefault(school_year, SchoolYearOutcomes(school_year))

    nation = "setting__authority__nation"
    for record in AttendanceRecord.objects.filter(learner=learner).order_by("starts_on", "pk"):
        year(record.school_year).attendance.append(
            AttendanceRow(
                record, attendance_percentage(record.attended_sessions, record.possible_sessions)
            )
        )
    for exclusion in Exclusion.objects.filter(learner=learner).order_by("excluded_on", "pk"):
        year(exclusion.school_year).exclusions.append(exclusion)
    for timetable in PartTimeTimetable.objects.filter(learner=learner).order_by("starts_on", "pk"):
        year(timetable.school_year).part_time_timetables.append(timetable)
    for mainstream in MainstreamTime.objects.filter(learner=learner):
        year(mainstream.school_year).mainstream_time = mainstream
    judgements = CurriculumJudgement.objects.filter(learner=learner).select_related(nation)
    for judgement in judgements.order_by("area", "pk"):
        year(judgement.school_year).judgements.append(_judgement_row(judgement))
    qualifications = Qualification.objects.filter(learner=learner).select_related(nation)
    for qualification in qualifications.order_by("awarded_on", "pk"):
        year(qualification.school_year).qualifications.append(
            QualificationRow(
                qualification,
                framework_level_label(_nation(qualification), qualification.framework_level),
            )
        )
    for destination in LeaverDestination.objects.filter(learner=learner):
        year(destination.school_year).leaver_destination = destination
    return [years[key] for key in sorted(years, reverse=True)]


def learner_outcomes_get(*, actor: "Actor | None", learner_id: object) -> LearnerOutcomes:
    """A learner's outcomes, for staff who read the professional record (anyone else: 404 if
    they do not see the learner, 403 if they do)."""
    learner = get_learner_for(
        actor,
        learner_id,
        purpose="view outcomes",
        capability=Capability.VIEW_PROFESSIONAL_RECORD,
    )
    return LearnerOutcomes(learner=learner, years=learner_outcomes(learner))
