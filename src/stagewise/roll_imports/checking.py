"""Checking an export against the roll (ADR 0052): what each line would create, change or leave
alone, which lines are refused and why, and who is on the roll but not in the file (the
leavers). The same check is the dry run and the first half of the real run.

Everything about the learners in the file is read in a few queries for the whole file, never a
query per line: the learners by candidate number, their current enrolments, their carers and
their class teachers, the staff of the schools in scope by email, and the leavers.
"""

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from stagewise.learners.models import (
    YEAR_GROUPS,
    Carer,
    CarerRelationship,
    Enrolment,
    Learner,
    LearnerCarer,
    Sex,
    StaffRelationship,
    StaffRelationshipKind,
)
from stagewise.learners.validators import validate_candidate_number
from stagewise.organisations.models import Membership, Setting
from stagewise.roll_imports.models import REQUIRED_FIELDS, ColumnMapping, DateOrder
from stagewise.tabular_reading import Problem, Row

# Learner fields an import keeps up to date from the export. A date of birth is not among them:
# it is the check that the candidate number names the right learner.
IDENTITY_FIELDS = ("legal_first_name", "legal_last_name", "preferred_name", "sex")
CARER_FIELDS = ("email", "telephone")
# Rows read in one query (SQLite allows a few thousand parameters comfortably).
CHUNK = 2_000

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DAY_FIRST_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


class Action:
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    REJECT = "reject"


@dataclass
class Line:
    """One line of the export: what it says, and what importing it does."""

    number: int
    candidate_number: str
    name: str
    action: str = Action.UNCHANGED
    changes: list[str] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    setting: Setting | None = None
    learner: Learner | None = None
    enrolment: Enrolment | None = None
    # What saving it writes, filled in by the check.
    learner_changes: dict[str, Any] = field(default_factory=dict)
    new_enrolment: Enrolment | None = None
    year_group_change: str | None = None
    new_carer: tuple[Carer, LearnerCarer] | None = None
    carer_changes: tuple[Carer, dict[str, Any]] | None = None
    relationship_change: tuple[LearnerCarer, str] | None = None
    new_class_teacher: StaffRelationship | None = None

    def refuse(self, column: str, message: str) -> None:
        self.problems.append((column, message))
        self.action = Action.REJECT


@dataclass
class Leaver:
    enrolment_id: int
    learner_id: int
    setting_id: int


@dataclass
class Check:
    lines: list[Line] = field(default_factory=list)
    file_problems: list[Problem] = field(default_factory=list)
    leavers: list[Leaver] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for line in self.lines if line.action == action)

    @property
    def rejected(self) -> bool:
        return bool(self.file_problems) or any(line.problems for line in self.lines)


def check_rows(
    *,
    rows: Sequence[Row],
    mapping: ColumnMapping,
    settings: Sequence[Setting],
    school: Setting | None,
    today: date,
    progress: Callable[[int], None] | None = None,
) -> Check:
    """`settings` are the schools whose roll the importer keeps (one school's, or an authority's
    schools); `school` the one school of a school's import."""
    result = Check()
    column = _Columns(mapping, set(rows[0].cells) if rows else set())
    by_reference = {setting.reference_number.lower(): setting for setting in settings}
    first_line: dict[str, Line] = {}
    for index, row in enumerate(rows, start=1):
        line = _read_line(row, column, mapping, by_reference, school)
        result.lines.append(line)
        if line.candidate_number:
            earlier = first_line.setdefault(line.candidate_number, line)
            if earlier is not line:
                _refuse_repeated(line, earlier, column)
        if progress is not None and index % CHUNK == 0:
            progress(index)
    _match([line for line in result.lines if not line.problems], column, today)
    _staff([line for line in result.lines if line.setting is not None], column, today)
    result.leavers = _leavers(result.lines, settings, school)
    return result


class _Columns:
    """The export's column for each field, for naming where a problem is."""

    def __init__(self, mapping: ColumnMapping, present: set[str]) -> None:
        self.mapping = mapping
        self.present = present

    def __call__(self, field_name: str) -> str:
        return str(self.mapping.columns.get(field_name, ""))

    def has(self, field_name: str) -> bool:
        """Whether the file has the field's column: a column it lacks changes nothing."""
        return self.mapping.column_for(field_name) in self.present


def _read_line(
    row: Row,
    column: _Columns,
    mapping: ColumnMapping,
    by_reference: dict[str, Setting],
    school: Setting | None,
) -> Line:
    def cell(field_name: str) -> str:
        header = mapping.column_for(field_name)
        return row.cells.get(header, "") if header else ""

    line = Line(
        number=row.line,
        candidate_number=cell("candidate_number").upper(),
        name=f"{cell('legal_first_name')} {cell('legal_last_name')}".strip(),
    )
    for required in REQUIRED_FIELDS:
        if not cell(required):
            line.refuse(column(required), _("This cell is empty: fill it in."))
    line.setting = _line_setting(line, cell("school_reference"), column, by_reference, school)
    if line.problems:
        return line
    nation_code = line.setting.authority.nation.code  # type: ignore[union-attr]
    try:
        validate_candidate_number(line.candidate_number, nation_code)
    except ValidationError as error:
        line.refuse(column("candidate_number"), error.messages[0])
    values: dict[str, Any] = {
        "legal_first_name": cell("legal_first_name"),
        "legal_last_name": cell("legal_last_name"),
        "preferred_name": cell("preferred_name"),
        "candidate_number": line.candidate_number,
    }
    values["date_of_birth"] = _date(line, "date_of_birth", cell, column, mapping)
    if column.has("enrolled_on") and cell("enrolled_on"):
        values["enrolled_on"] = _date(line, "enrolled_on", cell, column, mapping)
    values["sex"] = _code(line, "sex", cell("sex"), mapping.sex_codes, Sex, column)
    year_group = cell("year_group").upper()
    if year_group not in {code for code, _label in YEAR_GROUPS.get(nation_code, [])}:
        line.refuse(
            column("year_group"),
            _("%(value)s is not a year group used in %(nation)s: write it like %(example)s.")
            % {
                "value": repr(cell("year_group")),
                "nation": line.setting.authority.nation,  # type: ignore[union-attr]
                "example": YEAR_GROUPS[nation_code][3][0],
            },
        )
    values["year_group"] = year_group
    if cell("carer_name"):
        values["carer_name"] = cell("carer_name")
        values["carer_email"] = cell("carer_email")
        values["carer_telephone"] = cell("carer_telephone")
        values["carer_relationship"] = _code(
            line,
            "carer_relationship",
            cell("carer_relationship") or CarerRelationship.PARENT,
            mapping.relationship_codes,
            CarerRelationship,
            column,
        )
    values["class_teacher_email"] = cell("class_teacher_email").lower()
    line.values = values
    return line


def _line_setting(
    line: Line,
    reference: str,
    column: _Columns,
    by_reference: dict[str, Setting],
    school: Setting | None,
) -> Setting | None:
    if school is not None:
        # A school without a reference number in Stagewise takes the column as it is.
        known = school.reference_number.lower()
        if reference and known and reference.lower() != known:
            line.refuse(
                column("school_reference"),
                _(
                    "This line is for school %(reference)s, not %(school)s: remove the line, "
                    "or import it at its own school."
                )
                % {"reference": reference, "school": school.display_name},
            )
        return school
    if not column.has("school_reference"):
        line.refuse(
            "",
            _(
                "An authority's file needs a column naming each learner's school: choose a "
                "mapping with one."
            ),
        )
        return None
    if not reference:
        line.refuse(
            column("school_reference"),
            _("This cell is empty: write the reference number of the learner's school."),
        )
        return None
    setting = by_reference.get(reference.lower())
    if setting is None:
        line.refuse(
            column("school_reference"),
            _("No school of your authority has the reference number %(reference)s: check it.")
            % {"reference": reference},
        )
    return setting


def _date(
    line: Line,
    field_name: str,
    cell: Callable[[str], str],
    column: _Columns,
    mapping: ColumnMapping,
) -> date | None:
    value = cell(field_name)
    if not value:
        return None
    iso = _ISO_DATE.match(value)
    day_first = _DAY_FIRST_DATE.match(value) if mapping.date_order == DateOrder.DAY_FIRST else None
    parts = None
    if iso:
        parts = (int(iso[1]), int(iso[2]), int(iso[3]))
    elif day_first:
        parts = (int(day_first[3]), int(day_first[2]), int(day_first[1]))
    example = "31/03/2014" if mapping.date_order == DateOrder.DAY_FIRST else "2014-03-31"
    if parts is None:
        line.refuse(
            column(field_name),
            _("%(value)s is not a date: write it like %(example)s.")
            % {"value": repr(value), "example": example},
        )
        return None
    try:
        return date(*parts)
    except ValueError:
        line.refuse(
            column(field_name),
            _("%(value)s is not a day that exists: check the day and the month.")
            % {"value": repr(value)},
        )
        return None


def _code(
    line: Line,
    field_name: str,
    value: str,
    codes: dict[str, str],
    choices: Any,
    column: _Columns,
) -> str:
    known = {str(key).lower(): target for key, target in codes.items()}
    code = known.get(value.lower(), value.lower())
    if code not in choices.values:
        written = sorted({*codes, *choices.values})
        line.refuse(
            column(field_name),
            _("%(value)s is not one of the codes this column takes: %(codes)s.")
            % {"value": repr(value), "codes": ", ".join(written)},
        )
    return code


def _refuse_repeated(line: Line, earlier: Line, column: _Columns) -> None:
    if line.setting is not None and earlier.setting not in (None, line.setting):
        line.refuse(
            column("candidate_number"),
            _(
                "This learner is also on line %(line)s at another school, and a learner is at "
                "one school at a time: remove one of the lines."
            )
            % {"line": earlier.number},
        )
        return
    line.refuse(
        column("candidate_number"),
        _(
            "The candidate number %(number)s is also on line %(line)s: each learner has one "
            "line, so remove or correct one of them."
        )
        % {"number": line.candidate_number, "line": earlier.number},
    )


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _match(lines: list[Line], column: _Columns, today: date) -> None:
    """Each line against the learner of its candidate number, if Stagewise has them."""
    numbers = [line.candidate_number for line in lines]
    learners: dict[str, Learner] = {}
    for chunk in _chunks(numbers):
        for learner in Learner.objects.filter(candidate_number__in=chunk).select_related(
            "audit_key"
        ):
            learners[learner.candidate_number] = learner
    learner_ids = [learner.pk for learner in learners.values()]
    enrolments: dict[int, list[Enrolment]] = defaultdict(list)
    carers: dict[int, list[LearnerCarer]] = defaultdict(list)
    for chunk in _chunks(learner_ids):
        for enrolment in Enrolment.objects.current(today).filter(learner_id__in=chunk):
            enrolments[enrolment.learner_id].append(enrolment)
        for link in LearnerCarer.objects.filter(learner_id__in=chunk).select_related("carer"):
            carers[link.learner_id].append(link)
    for line in lines:
        found = learners.get(line.candidate_number)
        if found is None:
            _new_learner(line, column, today)
            continue
        learner = found
        line.learner = learner
        # Someone else's learner first, before the date of birth is compared: a file must not
        # be a way to try dates of birth of learners at other schools.
        current = enrolments.get(learner.pk, [])
        here = [enrolment for enrolment in current if enrolment.setting_id == line.setting.pk]  # type: ignore[union-attr]
        if current and not here:
            line.refuse(
                column("candidate_number"),
                _(
                    "This learner is enrolled at another school, and a learner is at one school "
                    "at a time: the school they are leaving records the move first."
                ),
            )
            continue
        if learner.date_of_birth != line.values["date_of_birth"]:
            line.refuse(
                column("date_of_birth"),
                _(
                    "The date of birth is not the one recorded for this candidate number: "
                    "check both, and correct whichever is wrong."
                ),
            )
            continue
        _identity_changes(line, learner, column)
        if here:
            line.enrolment = here[0]
            if here[0].year_group != line.values["year_group"]:
                line.year_group_change = line.values["year_group"]
                line.changes.append("year_group")
        else:
            line.new_enrolment = _enrolment(line, learner, column, today)
            line.changes.append("enrolment")
        _carer(line, learner, carers.get(learner.pk, []), column)
        if line.action != Action.REJECT:
            line.action = Action.UPDATE if line.changes else Action.UNCHANGED


def _new_learner(line: Line, column: _Columns, today: date) -> None:
    identity = {
        name: line.values[name]
        for name in ("legal_first_name", "legal_last_name", "preferred_name", "sex")
    }
    learner = Learner(
        candidate_number=line.candidate_number,
        date_of_birth=line.values["date_of_birth"],
        **identity,
    )
    _validated(line, learner, column, exclude=["young_person_account"])
    line.new_enrolment = _enrolment(line, learner, column, today)
    line.values["new_learner"] = learner
    _carer(line, learner, [], column)
    if line.action != Action.REJECT:
        line.action = Action.CREATE


def _enrolment(line: Line, learner: Learner, column: _Columns, today: date) -> Enrolment:
    enrolment = Enrolment(
        learner=learner,
        setting=line.setting,
        year_group=line.values["year_group"],
        started_on=line.values.get("enrolled_on") or today,
    )
    try:
        enrolment.full_clean(exclude=["learner", "setting"], validate_unique=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            where = {"started_on": "enrolled_on"}.get(name, name)
            for message in messages:
                line.refuse(column(where), message)
    return enrolment


def _validated(line: Line, instance: Any, column: _Columns, exclude: list[str]) -> None:
    """The model's own rules, as when one record is entered on its own; not uniqueness (the
    whole file is matched in one query instead) nor foreign keys (just read)."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            for message in messages:
                line.refuse(column(name) if column.has(name) else "", message)


def _identity_changes(line: Line, learner: Learner, column: _Columns) -> None:
    changes = {
        name: line.values[name]
        for name in IDENTITY_FIELDS
        if column.has(name) and getattr(learner, name) != line.values[name]
    }
    if not changes:
        return
    # Checked on a copy: the learner read is left as it is until the import saves.
    copy = Learner(
        **{
            name: getattr(learner, name)
            for name in ("legal_first_name", "legal_last_name", "preferred_name", "sex")
        },
        date_of_birth=learner.date_of_birth,
        candidate_number=learner.candidate_number,
    )
    for name, value in changes.items():
        setattr(copy, name, value)
    _validated(line, copy, column, exclude=["young_person_account", "candidate_number"])
    line.learner_changes = changes
    line.changes.extend(changes)


def _carer(line: Line, learner: Learner, links: list[LearnerCarer], column: _Columns) -> None:
    name = line.values.get("carer_name")
    if not name:
        return
    relationship = line.values["carer_relationship"]
    found = next(
        (link for link in links if link.carer.full_name.strip().lower() == name.lower()), None
    )
    wanted = {"email": line.values["carer_email"], "telephone": line.values["carer_telephone"]}
    if found is None:
        carer = Carer(full_name=name, **wanted)
        _carer_validated(line, carer, column)
        line.new_carer = (
            carer,
            LearnerCarer(learner=learner, carer=carer, relationship=relationship),
        )
        line.changes.append("carer")
        return
    changes = {
        key: value
        for key, value in wanted.items()
        if value and column.has(f"carer_{key}") and getattr(found.carer, key) != value
    }
    if changes:
        copy = Carer(full_name=found.carer.full_name, **{**wanted, **changes})
        _carer_validated(line, copy, column)
        line.carer_changes = (found.carer, changes)
        line.changes.extend(f"carer_{key}" for key in changes)
    if column.has("carer_relationship") and found.relationship != relationship:
        line.relationship_change = (found, relationship)
        line.changes.append("carer_relationship")


def _carer_validated(line: Line, carer: Carer, column: _Columns) -> None:
    try:
        carer.full_clean(exclude=["user"], validate_unique=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            for message in messages:
                where = f"carer_{name}" if name != "full_name" else "carer_name"
                line.refuse(column(where), message)


def _staff(lines: list[Line], column: _Columns, today: date) -> None:
    """Each class teacher named, among the staff of the line's school by email; a link is added
    when the learner does not have it yet (secondary learners have several class teachers)."""
    wanted = [line for line in lines if line.values.get("class_teacher_email")]
    if not wanted:
        return
    setting_ids = {line.setting.pk for line in wanted}  # type: ignore[union-attr]
    staff: dict[tuple[str, int], Any] = {}
    for membership in (
        Membership.objects.current().filter(setting_id__in=setting_ids).select_related("user")
    ):
        staff[(membership.user.email.lower(), membership.setting_id)] = membership.user  # type: ignore[index]
    learner_ids = [line.learner.pk for line in wanted if line.learner is not None]
    linked: set[tuple[int, int]] = set()
    for chunk in _chunks(learner_ids):
        linked.update(
            StaffRelationship.objects.current()
            .filter(learner_id__in=chunk, kind=StaffRelationshipKind.CLASS_TEACHER)
            .values_list("learner_id", "staff_id")
        )
    for line in wanted:
        email = line.values["class_teacher_email"]
        user = staff.get((email, line.setting.pk))  # type: ignore[union-attr]
        if user is None:
            line.refuse(
                column("class_teacher_email"),
                _(
                    "Nobody on the staff of %(school)s has the email address %(email)s: add "
                    "them to Stagewise first, or correct the address."
                )
                % {"school": line.setting.display_name, "email": email},  # type: ignore[union-attr]
            )
            continue
        learner = line.learner
        if line.problems or (learner is not None and (learner.pk, user.pk) in linked):
            continue
        line.new_class_teacher = StaffRelationship(
            learner=learner or line.values["new_learner"],
            staff=user,
            kind=StaffRelationshipKind.CLASS_TEACHER,
            started_on=line.new_enrolment.started_on if line.new_enrolment else today,
        )
        if line.learner is not None:
            line.changes.append("class_teacher")
            line.action = Action.UPDATE


def _leavers(
    lines: list[Line], settings: Sequence[Setting], school: Setting | None
) -> list[Leaver]:
    """Learners on the roll of a school in the file (a school's own, or each school an
    authority's file has lines for) who are not in the file, and whose leaving is not already
    recorded. Listed, never ended unasked."""
    in_file = {line.candidate_number for line in lines}
    if school is not None:
        setting_ids = {school.pk}
    else:
        setting_ids = {line.setting.pk for line in lines if line.setting is not None}
    if not setting_ids:
        return []
    current = (
        Enrolment.objects.current()
        .filter(setting_id__in=setting_ids, ended_on__isnull=True)
        .values_list("pk", "learner_id", "setting_id", "learner__candidate_number")
        .order_by("learner_sort_last_name", "learner_sort_first_name", "learner_id")
    )
    return [
        Leaver(enrolment_id=pk, learner_id=learner_id, setting_id=setting_id)
        for pk, learner_id, setting_id, candidate_number in current
        if candidate_number not in in_file
    ]
