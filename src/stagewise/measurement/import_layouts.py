"""The CSV layout of each kind of outcome record, as data: its columns, how each cell is read,
and what makes two records the same one.

Every layout starts with `candidate_number` (the Scottish Candidate Number or Welsh Unique Pupil
Number); the other columns are named after the model's fields, so a problem the model finds in a
field is reported in the column of the same name. Dates are written YYYY-MM-DD, school years
2025/26, yes-or-no answers yes or no, codes as listed for the column. The layouts are shown on the
import page and in docs/howto/outcome-imports.md; the page and the how-to read them from here.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stagewise.measurement.models import (
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

CANDIDATE_NUMBER = "candidate_number"

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SCHOOL_YEAR = re.compile(r"^(\d{4})[/-](\d{2})$")
_YES = {"yes", "y", "true", "1", "ie"}
_NO = {"no", "n", "false", "0", "na"}


class CellError(ValueError):
    """A cell that cannot be read as what its column holds; the message says what to write."""


def read_text(value: str) -> str:
    return value


def read_date(value: str) -> date:
    try:
        if _DATE.match(value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise CellError(
        _("%(value)s is not a date: write it as YYYY-MM-DD, like 2025-09-01.")
        % {"value": repr(value)}
    )


def read_whole_number(value: str) -> int:
    if not re.fullmatch(r"-?\d{1,9}", value):
        raise CellError(
            _("%(value)s is not a whole number: write digits only, like 180.")
            % {"value": repr(value)}
        )
    return int(value)


def read_decimal(value: str) -> Decimal:
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or not re.fullmatch(r"-?\d*\.?\d+", value):
        raise CellError(
            _("%(value)s is not a number: write it with a full stop, like 2.5.")
            % {"value": repr(value)}
        )
    return number


def read_yes_no(value: str) -> bool:
    answer = value.lower()
    if answer in _YES:
        return True
    if answer in _NO:
        return False
    raise CellError(_("%(value)s is not yes or no.") % {"value": repr(value)})


def read_school_year(value: str) -> int:
    match = _SCHOOL_YEAR.match(value)
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise CellError(
            _("%(value)s is not a school year: write it like 2025/26.") % {"value": repr(value)}
        )
    return int(match.group(1))


def code_reader(choices: type[models.TextChoices]) -> Callable[[str], str]:
    def read_code(value: str) -> str:
        if value in choices.values:
            return value
        raise CellError(
            _("%(value)s is not one of the codes: use one of %(codes)s.")
            % {"value": repr(value), "codes": ", ".join(choices.values)}
        )

    return read_code


@dataclass(frozen=True)
class Column:
    name: str
    reader: Callable[[str], Any]
    # What to write, for the page and the how-to.
    explanation: Promise
    example: str
    required: bool = True
    # The codes the column takes, where they are the same in both nations.
    codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Layout:
    kind: str
    label: Promise
    model: type[Any]
    columns: tuple[Column, ...]
    # The fields (beside the learner) that make two records the same one: a second record with
    # the same values, in the file or already saved, is a duplicate. None: no such key (the
    # attendance periods of a learner may not overlap at all, which is stricter).
    same_record: tuple[str, ...] | None = None

    @property
    def headers(self) -> list[str]:
        return [CANDIDATE_NUMBER, *(column.name for column in self.columns)]

    def example_rows(self) -> list[list[str]]:
        return [["1234567890123", *(column.example for column in self.columns)]]


_SCHOOL_YEAR_COLUMN = Column(
    "school_year",
    read_school_year,
    gettext_lazy("The school year, written like 2025/26 (1 August to 31 July)."),
    "2025/26",
)

LAYOUTS: dict[str, Layout] = {
    layout.kind: layout
    for layout in (
        Layout(
            "attendance",
            gettext_lazy("Attendance"),
            AttendanceRecord,
            (
                Column(
                    "starts_on",
                    read_date,
                    gettext_lazy("First day of the period, usually a term (YYYY-MM-DD)."),
                    "2025-08-18",
                ),
                Column(
                    "ends_on",
                    read_date,
                    gettext_lazy(
                        "Last day of the period, in the same school year (YYYY-MM-DD). A "
                        "learner's periods may not overlap."
                    ),
                    "2025-10-10",
                ),
                Column(
                    "possible_sessions",
                    read_whole_number,
                    gettext_lazy("Sessions (half days) the learner could attend, 0 to 500."),
                    "76",
                ),
                Column(
                    "attended_sessions",
                    read_whole_number,
                    gettext_lazy("Sessions attended: no more than the possible sessions."),
                    "70",
                ),
            ),
        ),
        Layout(
            "exclusions",
            gettext_lazy("Exclusions"),
            Exclusion,
            (
                Column(
                    "excluded_on",
                    read_date,
                    gettext_lazy("Date of the exclusion (YYYY-MM-DD)."),
                    "2025-11-04",
                ),
                Column(
                    "days",
                    read_decimal,
                    gettext_lazy("Days excluded, in whole or half days, like 1 or 2.5."),
                    "1.5",
                ),
                Column(
                    "removed_from_register",
                    read_yes_no,
                    gettext_lazy("Removed from the register: yes or no (empty means no)."),
                    "no",
                    required=False,
                ),
            ),
            same_record=("excluded_on",),
        ),
        Layout(
            "part_time_timetables",
            gettext_lazy("Part-time timetables"),
            PartTimeTimetable,
            (
                Column("starts_on", read_date, gettext_lazy("From (YYYY-MM-DD)."), "2025-09-01"),
                Column(
                    "ends_on",
                    read_date,
                    gettext_lazy("To (YYYY-MM-DD), or empty while it lasts."),
                    "",
                    required=False,
                ),
                Column(
                    "hours_a_week",
                    read_decimal,
                    gettext_lazy("Hours a week in school, 0 to 35, like 12.5."),
                    "12.5",
                ),
                Column(
                    "reason",
                    code_reader(PartTimeReason),
                    gettext_lazy("Why, as one of the codes listed."),
                    "phased_return",
                    codes=tuple(PartTimeReason.values),
                ),
                Column(
                    "reason_detail",
                    read_text,
                    gettext_lazy("About the reason, up to 1,000 characters (may be empty)."),
                    "",
                    required=False,
                ),
            ),
            same_record=("starts_on",),
        ),
        Layout(
            "mainstream_time",
            gettext_lazy("Time in mainstream classes"),
            MainstreamTime,
            (
                _SCHOOL_YEAR_COLUMN,
                Column(
                    "timetabled_hours_a_week",
                    read_decimal,
                    gettext_lazy("Hours timetabled a week, 0.5 to 35."),
                    "25",
                ),
                Column(
                    "mainstream_hours_a_week",
                    read_decimal,
                    gettext_lazy("Hours a week in mainstream classes: no more than timetabled."),
                    "18.5",
                ),
            ),
            same_record=("school_year",),
        ),
        Layout(
            "curriculum_judgements",
            gettext_lazy("Curriculum judgements"),
            CurriculumJudgement,
            (
                _SCHOOL_YEAR_COLUMN,
                Column(
                    "year_group",
                    read_text,
                    gettext_lazy("Year group; in Scotland P1, P4, P7 or S3."),
                    "P4",
                ),
                Column(
                    "area",
                    read_text,
                    gettext_lazy("Curriculum area, as a code of the school's nation (below)."),
                    "reading",
                ),
                Column(
                    "level",
                    read_text,
                    gettext_lazy("Level reached, as a code of the school's nation (below)."),
                    "first",
                ),
                Column(
                    "expected_level_achieved",
                    read_yes_no,
                    gettext_lazy(
                        "Progress as expected: yes or no. In Scotland leave it empty: the "
                        "expected level of the year group decides it."
                    ),
                    "",
                    required=False,
                ),
            ),
            same_record=("school_year", "area"),
        ),
        Layout(
            "qualifications",
            gettext_lazy("Qualifications"),
            Qualification,
            (
                Column(
                    "awarded_on",
                    read_date,
                    gettext_lazy("Date awarded (YYYY-MM-DD)."),
                    "2025-08-05",
                ),
                Column(
                    "title",
                    read_text,
                    gettext_lazy("The qualification, up to 200 characters."),
                    "National 4 English",
                ),
                Column(
                    "framework_level",
                    read_whole_number,
                    gettext_lazy("Level on SCQF (1 to 12) or CQFW (0 for entry level, 1 to 8)."),
                    "4",
                ),
            ),
            same_record=("awarded_on", "title"),
        ),
        Layout(
            "leaver_destinations",
            gettext_lazy("Leaver destinations"),
            LeaverDestination,
            (
                Column(
                    "left_on",
                    read_date,
                    gettext_lazy("Date left school (YYYY-MM-DD)."),
                    "2025-06-27",
                ),
                Column(
                    "destination",
                    code_reader(LeaverDestinationKind),
                    gettext_lazy("Destination, as one of the codes listed."),
                    "further_education",
                    codes=tuple(LeaverDestinationKind.values),
                ),
            ),
            same_record=(),
        ),
    )
}
