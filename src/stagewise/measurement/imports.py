"""Loading outcome records from a CSV file: all or nothing, every problem named by its line and
column, the same rules as a record entered on its own (ADR 0023).

The file's layout for each kind of record is in `import_layouts`. A file is read as UTF-8 (a
spreadsheet's byte order mark is allowed), its header must name the layout's columns (in any
order), and each line is checked three ways: each cell is read as what its column holds; the record
is checked by the model's `full_clean` (the model's own rules: attended sessions no more than
possible, a period within one school year, dates that have happened, codes of the nation); and
across lines, in the file and against the records already saved: a learner's attendance periods
may not overlap (`validation.periods_overlap`), and no record may be saved twice. A learner is
found by candidate number among those the actor sees; anyone else, recorded or not, is the same
problem, so the file cannot be used to learn who is recorded elsewhere.
"""

from collections import Counter
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.measurement.import_checks import check_rows
from stagewise.measurement.import_layouts import LAYOUTS, Layout
from stagewise.measurement.periods import school_year_label
from stagewise.policy import Capability, require
from stagewise.tabular_reading import MAX_ROWS, Problem, read_rows

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor

__all__ = ["LAYOUTS", "MAX_ROWS", "OutcomeImport", "Problem", "outcome_import"]

BATCH_SIZE = 1_000


@dataclass
class OutcomeImport:
    """What an import found: its problems, or what it saved (or, checking, would save)."""

    kind: str
    dry_run: bool
    problems: list[Problem] = field(default_factory=list)
    records: int = 0
    learners: int = 0
    by_school_year: list[tuple[str, int]] = field(default_factory=list)
    by_setting: list[tuple[str, int]] = field(default_factory=list)

    @property
    def saved(self) -> bool:
        return not self.dry_run and not self.problems and self.records > 0


def outcome_import(
    *, actor: "Actor | None", kind: str, file: bytes | IO[bytes], dry_run: bool
) -> OutcomeImport:
    """Check a CSV file of one kind of outcome record and, unless `dry_run` or any line has a
    problem, save every record in one transaction with one audit event for the import."""
    require(actor, Capability.RECORD_OUTCOMES)
    assert actor is not None  # require() refuses a missing actor
    result = OutcomeImport(kind=kind, dry_run=dry_run)
    layout = LAYOUTS.get(kind)
    if layout is None:
        result.problems.append(
            Problem(None, "", _("Choose which kind of outcome records the file holds."))
        )
        return result
    rows = read_rows(file, layout, result.problems)
    if result.problems:
        return result
    if not rows:
        result.problems.append(
            Problem(None, "", _("The file has no records: add a line for each below the header."))
        )
        return result
    with transaction.atomic():
        check_rows(actor, layout, rows, result.problems)
        records = [row.record for row in rows]
        if not result.problems:
            _summarise(result, records)
        if result.problems or dry_run:
            result.problems.sort(key=_in_file_order(layout))
            return result
        try:
            with transaction.atomic():
                layout.model.objects.bulk_create(records, batch_size=BATCH_SIZE)
        except IntegrityError:
            # Someone saved one of these records while the file was being checked.
            result.problems.append(
                Problem(
                    None,
                    "",
                    _(
                        "Some of these records were saved by someone else while the file was "
                        "being checked, so nothing was saved: check the file again."
                    ),
                )
            )
            return result
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="outcome_import",
            object_id=kind,
            purpose="import outcome records",
            changes={"records": [None, result.records], "learners": [None, result.learners]},
            detail={"school_years": dict(result.by_school_year)},
        )
    return result


def _in_file_order(layout: Layout) -> Any:
    order = {name: index for index, name in enumerate(layout.headers)}
    return lambda problem: (problem.line or 0, order.get(problem.column, -1))


def _summarise(result: OutcomeImport, records: list[Any]) -> None:
    result.records = len(records)
    result.learners = len({record.learner_id for record in records})
    years = Counter(record.school_year for record in records)
    result.by_school_year = [(school_year_label(year), years[year]) for year in sorted(years)]
    settings = Counter(record.setting.name for record in records)
    result.by_setting = sorted(settings.items())
