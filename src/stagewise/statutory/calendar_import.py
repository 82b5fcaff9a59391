"""Loading school calendars from CSV, all or nothing, with every problem named by its line.

The columns are `authority,setting,academic_year,kind,first_day,last_day,description`. An empty
setting means the whole authority; authorities and settings are named as Stagewise shows them. An
import replaces every period of each (authority, setting, academic year) it contains.
"""

import csv
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Protocol

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from stagewise.organisations.models import LocalAuthority, Setting
from stagewise.policy import Capability, SystemProcess, require
from stagewise.statutory.calendar import academic_year_bounds, academic_year_label
from stagewise.statutory.models import (
    ACADEMIC_YEAR,
    CalendarPeriodKind,
    SchoolCalendarPeriod,
)

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor

COLUMNS = ["authority", "setting", "academic_year", "kind", "first_day", "last_day", "description"]


class Period(Protocol):
    """What the checks read of a period, whether a CSV row or a stored one."""

    @property
    def academic_year(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def first_day(self) -> date: ...
    @property
    def last_day(self) -> date: ...
    @property
    def setting_id(self) -> int | None: ...


def _span(period: Period) -> str:
    return f"{period.first_day.isoformat()} to {period.last_day.isoformat()}"


def row_problems(period: Period) -> list[str]:
    """What is wrong with a period on its own."""
    problems = []
    if period.last_day < period.first_day:
        problems.append(
            _("The period ends on %(last)s, before it starts on %(first)s.")
            % {"last": period.last_day.isoformat(), "first": period.first_day.isoformat()}
        )
    year_start, year_end = academic_year_bounds(period.academic_year)
    for day in (period.first_day, period.last_day):
        if not year_start <= day <= year_end:
            problems.append(
                _(
                    "%(day)s is outside the academic year %(year)s, which runs from "
                    "%(start)s to %(end)s."
                )
                % {
                    "day": day.isoformat(),
                    "year": academic_year_label(period.academic_year),
                    "start": year_start.isoformat(),
                    "end": year_end.isoformat(),
                }
            )
    if period.setting_id is not None and period.kind == CalendarPeriodKind.TERM:
        problems.append(
            _(
                "A school takes its terms from its authority: give a school closures only, "
                "or leave the setting empty for the authority's terms."
            )
        )
    return problems


def fit_problems(period: Period, terms: Sequence[Period]) -> list[str]:
    """What is wrong with a period among the authority's terms of its academic year."""
    if period.kind == CalendarPeriodKind.TERM:
        return [
            _("This term (%(this)s) overlaps the term %(other)s.")
            % {"this": _span(period), "other": _span(other)}
            for other in terms
            if other is not period
            and other.first_day <= period.last_day
            and period.first_day <= other.last_day
        ]
    if not any(
        term.first_day <= period.first_day and period.last_day <= term.last_day for term in terms
    ):
        return [
            _("This closure (%(this)s) is not inside any term of %(year)s.")
            % {"this": _span(period), "year": academic_year_label(period.academic_year)}
        ]
    return []


def period_problems(
    period: SchoolCalendarPeriod, siblings: list[SchoolCalendarPeriod]
) -> list[str]:
    """The import's checks for one period edited on its own, among the other stored periods of
    its authority and academic year."""
    problems = row_problems(period)
    if problems:
        return problems
    terms: list[Period] = [
        sibling
        for sibling in siblings
        if sibling.kind == CalendarPeriodKind.TERM and sibling.setting_id is None
    ]
    if period.kind == CalendarPeriodKind.TERM:
        terms.append(period)
    return fit_problems(period, terms)


@dataclass
class CalendarRow:
    line: int
    authority: LocalAuthority
    setting: Setting | None
    academic_year: str
    kind: str
    first_day: date
    last_day: date
    description: str

    @property
    def setting_id(self) -> int | None:
        return self.setting.pk if self.setting is not None else None


class CalendarImportRefused(ValueError):
    """The file has problems; nothing was saved. `problems` holds (line, message) pairs."""

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(f"Line {line}: {message}" for line, message in self.problems))


@dataclass(frozen=True)
class CalendarImportResult:
    periods: int
    groups: int


def _named[Named: (LocalAuthority, Setting)](queryset: QuerySet[Named], name: str) -> Named | None:
    return queryset.filter(Q(name__iexact=name) | Q(name_cy__iexact=name)).first()


def _parse_day(value: str, column: str, problems: list[str]) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.append(
            _("The %(column)s %(value)s is not a date: write it as YYYY-MM-DD, like 2025-09-01.")
            % {"column": column.replace("_", " "), "value": repr(value)}
        )
        return None


def _parse(
    lines: Iterable[str],
) -> tuple[list[CalendarRow], list[tuple[int, str]], set[tuple[int, str]]]:
    """The rows that are right on their own, every problem by line, and the (authority, academic
    year) calendars that have a wrong row, whose other rows cannot be checked against each other."""
    incomplete: set[tuple[int, str]] = set()
    reader = csv.reader(lines)
    problems: list[tuple[int, str]] = []
    header = next(reader, None)
    if header is None or [column.strip().lower() for column in header] != COLUMNS:
        return (
            [],
            [
                (
                    1,
                    _("The first line must be the columns %(columns)s.")
                    % {"columns": ",".join(COLUMNS)},
                )
            ],
            incomplete,
        )
    rows: list[CalendarRow] = []
    authorities: dict[str, LocalAuthority | None] = {}
    for values in reader:
        line = reader.line_num
        if not any(value.strip() for value in values):
            continue
        if len(values) != len(COLUMNS):
            problems.append(
                (
                    line,
                    _("Expected %(expected)d columns, found %(found)d.")
                    % {"expected": len(COLUMNS), "found": len(values)},
                )
            )
            continue
        authority_name, setting_name, year, kind, first, last, description = (
            v.strip() for v in values
        )
        row_messages: list[str] = []
        if authority_name not in authorities:
            authorities[authority_name] = _named(LocalAuthority.objects.all(), authority_name)
        authority = authorities[authority_name]
        setting = None
        if authority is None:
            row_messages.append(
                _(
                    "No local authority is called %(name)s: use the name shown in Stagewise, "
                    "like Cardiff."
                )
                % {"name": repr(authority_name)}
            )
        elif setting_name:
            setting = _named(Setting.objects.filter(authority=authority), setting_name)
            if setting is None:
                row_messages.append(
                    _(
                        "%(authority)s has no setting called %(name)s: use the name shown in "
                        "Stagewise, or leave it empty for the whole authority."
                    )
                    % {"authority": authority.name, "name": repr(setting_name)}
                )
        match = ACADEMIC_YEAR.match(year)
        if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
            row_messages.append(
                _("The academic year %(value)s must be written like 2025-26.")
                % {"value": repr(year)}
            )
        if kind not in CalendarPeriodKind.values:
            row_messages.append(
                _("The kind %(value)s must be term or closure.") % {"value": repr(kind)}
            )
        first_day = _parse_day(first, "first_day", row_messages)
        last_day = _parse_day(last, "last_day", row_messages)
        if len(description) > 200:
            row_messages.append(_("The description must be 200 characters or fewer."))
        if row_messages or authority is None or first_day is None or last_day is None:
            problems.extend((line, message) for message in row_messages)
            if authority is not None:
                incomplete.add((authority.pk, year))
            continue
        row = CalendarRow(line, authority, setting, year, kind, first_day, last_day, description)
        own = row_problems(row)
        problems.extend((line, message) for message in own)
        if own:
            incomplete.add((authority.pk, year))
        else:
            rows.append(row)
    return rows, problems, incomplete


def _fit(rows: list[CalendarRow]) -> list[tuple[int, str]]:
    """Terms must not overlap and every closure must sit inside a term of its year: the terms
    imported for that authority and year, or else the ones already stored."""
    problems: list[tuple[int, str]] = []
    by_year: dict[tuple[int, str], list[CalendarRow]] = defaultdict(list)
    for row in rows:
        by_year[(row.authority.pk, row.academic_year)].append(row)
    for (authority_id, year), year_rows in by_year.items():
        imported_terms = [row for row in year_rows if row.kind == CalendarPeriodKind.TERM]
        replaces_terms = any(row.setting is None for row in year_rows)
        terms: list[Period]
        if replaces_terms:
            terms = list(imported_terms)
        else:
            terms = list(
                SchoolCalendarPeriod.objects.filter(
                    authority_id=authority_id,
                    academic_year=year,
                    setting=None,
                    kind=CalendarPeriodKind.TERM,
                )
            )
        for row in year_rows:
            problems.extend((row.line, message) for message in fit_problems(row, terms))
        if replaces_terms:
            # A school's closures that this file leaves in place must still sit inside a term.
            kept_groups = {row.setting_id for row in year_rows}
            kept = (
                SchoolCalendarPeriod.objects.filter(
                    authority_id=authority_id, academic_year=year, kind=CalendarPeriodKind.CLOSURE
                )
                .exclude(setting=None)
                .exclude(setting_id__in=[s for s in kept_groups if s is not None])
            )
            first_line = min(row.line for row in year_rows if row.setting is None)
            for closure in kept.select_related("setting"):
                if fit_problems(closure, terms):
                    problems.append(
                        (
                            first_line,
                            _(
                                "These terms would leave the closure %(span)s of %(setting)s "
                                "outside every term: import its closures for %(year)s too."
                            )
                            % {
                                "span": _span(closure),
                                "setting": closure.setting.name if closure.setting else "",
                                "year": academic_year_label(year),
                            },
                        )
                    )
    return problems


def calendar_import(
    *, actor: "Actor | SystemProcess | None", rows: Iterable[str]
) -> CalendarImportResult:
    """Load a calendar CSV (`rows` are its lines, header first). All or nothing: on any problem
    raise CalendarImportRefused listing each by line, and save nothing."""
    require(actor, Capability.ADMINISTER_ORGANISATIONS)
    parsed, problems, incomplete = _parse(rows)
    problems += _fit(
        [row for row in parsed if (row.authority.pk, row.academic_year) not in incomplete]
    )
    if problems:
        raise CalendarImportRefused(problems)
    if not parsed:
        raise CalendarImportRefused([(2, _("The file has no periods to load."))])
    groups = {(row.authority.pk, row.setting_id, row.academic_year) for row in parsed}
    person = getattr(actor, "user", None)
    with transaction.atomic():
        for authority_id, setting_id, year in groups:
            group = SchoolCalendarPeriod.objects.filter(
                authority_id=authority_id, academic_year=year
            )
            group = (
                group.filter(setting__isnull=True)
                if setting_id is None
                else group.filter(setting_id=setting_id)
            )
            for old in group:
                if person is not None:
                    old._history_user = person  # type: ignore[attr-defined]
                old.delete()
        for row in sorted(parsed, key=lambda row: (row.kind != CalendarPeriodKind.TERM, row.line)):
            period = SchoolCalendarPeriod(
                authority=row.authority,
                setting=row.setting,
                academic_year=row.academic_year,
                kind=row.kind,
                first_day=row.first_day,
                last_day=row.last_day,
                description=row.description,
                source=_("Imported from a calendar file"),
            )
            period.clean_fields()
            if person is not None:
                period._history_user = person  # type: ignore[attr-defined]
            period.save()
    return CalendarImportResult(periods=len(parsed), groups=len(groups))
