"""Checking an outcome import's records: each against the model's rules, then across records in
the file and against those already saved (ADR 0023)."""

from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from stagewise.learners.access import visible_learners
from stagewise.learners.models import Enrolment, Learner
from stagewise.measurement.codes import curriculum_for
from stagewise.measurement.import_layouts import CANDIDATE_NUMBER, CellError, Layout
from stagewise.measurement.models import AttendanceRecord
from stagewise.measurement.periods import school_year_label, school_year_of
from stagewise.measurement.validation import overlapping_period, periods_overlap
from stagewise.plausible import HAPPENED, RANGES
from stagewise.policy import policy_for
from stagewise.tabular_reading import Problem, Row

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor

# Fields every record has that the import sets itself, checked by the import, not the model
# (validating a foreign key costs a query a row).
SET_BY_IMPORT = ["learner", "setting", "recorded_by"]


def check_rows(actor: "Actor", layout: Layout, rows: list[Row], problems: list[Problem]) -> None:
    learners = _learners(actor, {row.cells[CANDIDATE_NUMBER] for row in rows})
    settings = _settings(actor, learners.values())
    not_here = (
        _("No learner has this candidate number at your school: check it.")
        if policy_for(actor).organisation == "setting"
        else _("No learner has this candidate number in your authority: check it.")
    )
    for row in rows:
        number = row.cells[CANDIDATE_NUMBER]
        learner = learners.get(number.upper())
        if not number:
            problems.append(
                Problem(
                    row.line, CANDIDATE_NUMBER, _("Fill this in: the learner's candidate number.")
                )
            )
        elif learner is None:
            problems.append(Problem(row.line, CANDIDATE_NUMBER, not_here))
        values = _values(layout, row, problems)
        if learner is None or values is None:
            continue
        row.record = layout.model(
            learner=learner, setting=settings[learner.pk], recorded_by=actor.user, **values
        )
        _check_record(layout, row, problems)
    checked = [row for row in rows if row.record is not None]
    if layout.same_record is None:
        _check_periods(checked, problems)
    else:
        _check_duplicates(layout, layout.same_record, checked, problems)


def _learners(actor: "Actor", numbers: set[str]) -> dict[str, Learner]:
    wanted = {number.upper() for number in numbers if number} | {n for n in numbers if n}
    found = visible_learners(actor).filter(candidate_number__in=wanted).select_for_update()
    return {learner.candidate_number.upper(): learner for learner in found}


def _settings(actor: "Actor", learners: Any) -> dict[int, Any]:
    """The setting each learner's records are for: their current enrolment's, the one where the
    actor works if they are enrolled at two."""
    membership = actor.membership
    enrolments = (
        Enrolment.objects.current()
        .filter(learner_id__in=[learner.pk for learner in learners])
        .select_related("setting__authority__nation")
        .order_by("learner_id", "-started_on", "-pk")
    )

    def where_actor_works(enrolment: Enrolment) -> bool:
        return membership is not None and (
            enrolment.setting_id == membership.setting_id
            or enrolment.setting.authority_id == membership.authority_id
        )

    chosen: dict[int, Enrolment] = {}
    for enrolment in enrolments:
        current = chosen.get(enrolment.learner_id)
        if current is None or (where_actor_works(enrolment) and not where_actor_works(current)):
            chosen[enrolment.learner_id] = enrolment
    return {learner_id: enrolment.setting for learner_id, enrolment in chosen.items()}


def _values(layout: Layout, row: Row, problems: list[Problem]) -> dict[str, Any] | None:
    """The record's fields read from the line's cells; None if any cell cannot be read."""
    values: dict[str, Any] = {}
    wrong = False
    for column in layout.columns:
        cell = row.cells[column.name]
        if not cell:
            if column.required:
                problems.append(
                    Problem(
                        row.line,
                        column.name,
                        _("Fill this in. %(explanation)s") % {"explanation": column.explanation},
                    )
                )
                wrong = True
            continue
        try:
            values[column.name] = column.reader(cell)
        except CellError as error:
            problems.append(Problem(row.line, column.name, str(error)))
            wrong = True
    return None if wrong else values


def _check_record(layout: Layout, row: Row, problems: list[Problem]) -> None:
    record = row.record
    headers = set(layout.headers)
    if layout.kind == "curriculum_judgements" and record.expected_level_achieved is None:
        codes = curriculum_for(record.setting.authority.nation.code)
        if not codes.judged_year_groups:
            problems.append(
                Problem(
                    row.line,
                    "expected_level_achieved",
                    _("Fill this in: yes if progress is as expected, no if not."),
                )
            )
            return
        record.expected_level_achieved = False  # derived from the level by clean()
    exclude = list(SET_BY_IMPORT)
    if "school_year" in row.cells:
        _check_school_year(record.school_year, row, problems)
    else:
        exclude.append("school_year")  # derived from the record's dates by clean()
    try:
        record.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            column = name if name in headers and name != NON_FIELD_ERRORS else ""
            for message in messages:
                problems.append(Problem(row.line, column, message + _codes_of(record, column)))
        row.record = None


def _check_school_year(school_year: int, row: Row, problems: list[Problem]) -> None:
    today = timezone.localdate()
    earliest = school_year_of(today) - RANGES[HAPPENED].years_back
    if not earliest <= school_year <= school_year_of(today):
        problems.append(
            Problem(
                row.line,
                "school_year",
                _("The school year must be between %(first)s and this one, %(this)s.")
                % {
                    "first": school_year_label(earliest),
                    "this": school_year_label(school_year_of(today)),
                },
            )
        )


def _codes_of(record: Any, column: str) -> str:
    """For a curriculum code the model refused, the codes of the school's nation."""
    if column not in ("area", "level"):
        return ""
    codes = curriculum_for(record.setting.authority.nation.code)
    listed = codes.areas if column == "area" else codes.levels
    return " " + _("The codes are %(codes)s.") % {
        "codes": ", ".join(code for code, _label in listed)
    }


# Checking across records -----------------------------------------------------------------------


def _check_periods(rows: list[Row], problems: list[Problem]) -> None:
    """A learner's attendance periods may not overlap, in the file or with those saved."""
    by_learner: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        by_learner[row.record.learner_id].append(row)
    saved: dict[int, list[tuple[date, date]]] = defaultdict(list)
    for learner_id, starts_on, ends_on in AttendanceRecord.objects.filter(
        learner_id__in=list(by_learner)
    ).values_list("learner_id", "starts_on", "ends_on"):
        saved[learner_id].append((starts_on, ends_on))
    for learner_id, learner_rows in by_learner.items():
        # In order of starting: a period overlaps an earlier one only if it starts before the
        # latest end so far, so one pass finds every overlap without comparing every pair.
        latest: Row | None = None
        for row in sorted(learner_rows, key=lambda row: (row.record.starts_on, row.line)):
            period = _period(row)
            if latest is not None and periods_overlap(period, _period(latest)):
                problems.append(
                    Problem(
                        row.line,
                        "starts_on",
                        _(
                            "This period overlaps the period on line %(line)s for the same "
                            "learner: change the dates of one of them."
                        )
                        % {"line": latest.line},
                    )
                )
            if latest is None or row.record.ends_on > latest.record.ends_on:
                latest = row
            clash = overlapping_period(period, saved[learner_id])
            if clash:
                problems.append(
                    Problem(
                        row.line,
                        "starts_on",
                        _(
                            "This period overlaps attendance already recorded from %(start)s to "
                            "%(end)s. Change the dates, or change that record instead."
                        )
                        % {
                            "start": date_format(clash[0], "j F Y"),
                            "end": date_format(clash[1], "j F Y"),
                        },
                    )
                )


def _period(row: Row) -> tuple[date, date]:
    return row.record.starts_on, row.record.ends_on


def _check_duplicates(
    layout: Layout, fields: tuple[str, ...], rows: list[Row], problems: list[Problem]
) -> None:
    """No record twice: not in the file, and not one already saved."""
    column = fields[0] if fields else CANDIDATE_NUMBER
    learner_ids = {row.record.learner_id for row in rows}
    saved = set(
        layout.model.objects.filter(learner_id__in=learner_ids).values_list("learner_id", *fields)
    )
    first_line: dict[tuple[Any, ...], int] = {}
    for row in rows:
        key = (row.record.learner_id, *(getattr(row.record, name) for name in fields))
        if key in first_line:
            problems.append(
                Problem(
                    row.line,
                    column,
                    _("This is the same record as line %(line)s: remove one of them.")
                    % {"line": first_line[key]},
                )
            )
            continue
        first_line[key] = row.line
        if key in saved:
            problems.append(
                Problem(
                    row.line,
                    column,
                    _(
                        "This learner already has this record: remove the line, or change the "
                        "record on the learner's page."
                    ),
                )
            )
