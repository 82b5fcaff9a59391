"""Date arithmetic for statutory timescales: pure functions, no database (ARCHITECTURE rule 4).

The convention, written once here and used by every clock:

- The day a clock starts is not counted.
- N calendar days land N days after the start; N weeks land on the same weekday N weeks later.
- N months land on the same day of the month N months later, clamped to the month's last day.
- N school days land on the Nth school day after the start. A start in a holiday or at a weekend
  is not a school day, so the first school day after it is day 1.
- A rule that counts back from an event (leaving school: 12 months before) takes the event as its
  start and moves backwards by the same rules.
- A working day is a weekday that is not one of the nation's bank holidays (GOV.UK's list);
  where a day's year is not loaded, `CalendarNotLoaded` says so.
- A school day is a weekday inside a term of the school's calendar and inside none of its closures
  (the authority's closures and the school's own). Where the calendar for a day's academic year is
  not loaded, the day cannot be classified: `CalendarNotLoaded` says which calendar is needed.
  Nothing is ever guessed.
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class Unit(StrEnum):
    CALENDAR_DAYS = "calendar_days"
    WEEKS = "weeks"
    MONTHS = "months"
    SCHOOL_DAYS = "school_days"
    # Weekdays other than bank holidays (independent adjudication in Scotland).
    WORKING_DAYS = "working_days"


class Direction(StrEnum):
    FORWARD = "forward"
    BACK = "back"


class CalendarNotLoaded(Exception):
    """The date cannot be set because a calendar it needs is not in Stagewise."""

    def __init__(self, message: str, academic_year: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.academic_year = academic_year


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later; the month's last day if that day is missing.

    "12 months after preparation" from 29 February is 28 February, never 1 March.
    """
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last_day))


def add_weeks(day: date, weeks: int) -> date:
    return day + timedelta(weeks=weeks)


def add_days(day: date, days: int) -> date:
    return day + timedelta(days=days)


def academic_year_of(day: date) -> str:
    """The academic year (1 August to 31 July) a day falls in, written like "2025-26"."""
    first_year = day.year if day.month >= 8 else day.year - 1
    return f"{first_year}-{(first_year + 1) % 100:02d}"


def academic_year_bounds(academic_year: str) -> tuple[date, date]:
    """1 August and 31 July of an academic year written like "2025-26"."""
    first_year = int(academic_year[:4])
    return date(first_year, 8, 1), date(first_year + 1, 7, 31)


def academic_year_label(academic_year: str) -> str:
    """ "2025-26" as people write it in a sentence: "2025/26"."""
    return academic_year.replace("-", "/")


@dataclass(frozen=True)
class SchoolCalendar:
    """One school's calendar: its authority's terms, minus the authority's and the school's
    closures, for the academic years that are loaded. `place` names whose calendar it is in
    messages (the authority, since terms are set by the authority)."""

    place: str
    terms: tuple[tuple[date, date], ...]
    closures: tuple[tuple[date, date], ...]
    loaded_years: frozenset[str]

    @classmethod
    def build(
        cls,
        *,
        place: str,
        terms: Iterable[tuple[date, date]],
        closures: Iterable[tuple[date, date]] = (),
        loaded_years: Iterable[str] | None = None,
    ) -> "SchoolCalendar":
        """A calendar; unless told otherwise, the years loaded are those its terms fall in."""
        term_tuple = tuple(sorted(terms))
        years = (
            frozenset(loaded_years)
            if loaded_years is not None
            else frozenset(academic_year_of(first) for first, _last in term_tuple)
        )
        return cls(
            place=place, terms=term_tuple, closures=tuple(sorted(closures)), loaded_years=years
        )

    def needed_message(self, academic_year: str) -> str:
        return (
            f"the {academic_year_label(academic_year)} calendar for {self.place} "
            "is needed to set this date"
        )

    def is_school_day(self, day: date) -> bool:
        year = academic_year_of(day)
        if year not in self.loaded_years:
            raise CalendarNotLoaded(self.needed_message(year), academic_year=year)
        if day.weekday() >= 5:
            return False
        if not any(first <= day <= last for first, last in self.terms):
            return False
        return not any(first <= day <= last for first, last in self.closures)


def add_school_days(start: date, school_days: int, school_calendar: SchoolCalendar) -> date:
    """The Nth school day after `start` (before it when N is negative); the start never counts."""
    step = timedelta(days=1 if school_days >= 0 else -1)
    remaining = abs(school_days)
    day = start
    while remaining:
        day += step
        if school_calendar.is_school_day(day):
            remaining -= 1
    return day


def latest_school_day_on_or_before(day: date, school_calendar: SchoolCalendar) -> date:
    while not school_calendar.is_school_day(day):
        day -= timedelta(days=1)
    return day


@dataclass(frozen=True)
class BankHolidays:
    """A nation's bank holidays for the calendar years that are loaded."""

    nation: str
    days: frozenset[date]
    loaded_years: frozenset[int]

    @classmethod
    def build(cls, *, nation: str, days: Iterable[date]) -> "BankHolidays":
        """Bank holidays for the years they fall in: every year has some, so a year with none is
        a year whose list is not loaded."""
        day_set = frozenset(days)
        return cls(nation=nation, days=day_set, loaded_years=frozenset(d.year for d in day_set))

    def is_working_day(self, day: date) -> bool:
        if day.year not in self.loaded_years:
            raise CalendarNotLoaded(
                f"the {day.year} bank holidays for {self.nation} are needed to count working days"
            )
        return day.weekday() < 5 and day not in self.days


def add_working_days(
    start: date, working_days: int, nation: str, bank_holidays: BankHolidays | None = None
) -> date:
    """The Nth working day after `start` (before it when N is negative): weekdays that are not
    bank holidays. Without the nation's bank holidays, say so rather than count weekdays and land
    on a bank holiday."""
    if bank_holidays is None:
        raise CalendarNotLoaded(
            f"a bank-holiday calendar for {nation} is needed to count working days"
        )
    step = timedelta(days=1 if working_days >= 0 else -1)
    remaining = abs(working_days)
    day = start
    while remaining:
        day += step
        if bank_holidays.is_working_day(day):
            remaining -= 1
    return day


def due_date(
    *,
    start: date,
    unit: Unit | str,
    amount: int,
    direction: Direction | str = Direction.FORWARD,
    school_calendar: SchoolCalendar | None = None,
    nation: str = "",
    bank_holidays: BankHolidays | None = None,
) -> date:
    """When a timescale of `amount` `unit`s from (or back from) `start` falls due."""
    signed = amount if Direction(direction) == Direction.FORWARD else -amount
    match Unit(unit):
        case Unit.CALENDAR_DAYS:
            return add_days(start, signed)
        case Unit.WEEKS:
            return add_weeks(start, signed)
        case Unit.MONTHS:
            return add_months(start, signed)
        case Unit.SCHOOL_DAYS:
            if school_calendar is None:
                raise CalendarNotLoaded(
                    "a school's or authority's calendar is needed to count school days"
                )
            return add_school_days(start, signed, school_calendar)
        case Unit.WORKING_DAYS:
            return add_working_days(start, signed, nation, bank_holidays)


@dataclass(frozen=True)
class ComputedDue:
    due_on: date | None
    problem: str = ""
    academic_year_needed: str = ""


def due_or_problem(
    *,
    start: date,
    unit: Unit | str,
    amount: int,
    direction: Direction | str = Direction.FORWARD,
    school_calendar: SchoolCalendar | None = None,
    nation: str = "",
    bank_holidays: BankHolidays | None = None,
) -> ComputedDue:
    """`due_date`, or no date and the sentence saying which calendar is needed: what a clock
    stores. The services and the synthetic population both use this, so they always agree."""
    try:
        return ComputedDue(
            due_date(
                start=start,
                unit=unit,
                amount=amount,
                direction=direction,
                school_calendar=school_calendar if Unit(unit) == Unit.SCHOOL_DAYS else None,
                nation=nation,
                bank_holidays=bank_holidays,
            )
        )
    except CalendarNotLoaded as missing:
        message = missing.message
        return ComputedDue(
            None, message[:1].upper() + message[1:] + ".", missing.academic_year or ""
        )
