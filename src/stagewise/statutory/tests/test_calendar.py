"""The date arithmetic every statutory clock uses (statutory/calendar.py), on hand-built calendars
and on the published calendars Stagewise ships (data/school_calendars.json)."""

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from stagewise.statutory.calendar import (
    CalendarNotLoaded,
    Direction,
    SchoolCalendar,
    Unit,
    academic_year_of,
    add_months,
    add_school_days,
    due_date,
    latest_school_day_on_or_before,
)

CALENDARS = Path(__file__).resolve().parent.parent / "data" / "school_calendars.json"


def published(authority: str) -> SchoolCalendar:
    """An authority's shipped calendar, read straight from the data file."""
    entries = [
        entry
        for entry in json.loads(CALENDARS.read_text(encoding="utf-8"))["calendars"]
        if entry["authority"] == authority
    ]
    periods = [period for entry in entries for period in entry["periods"]]
    return SchoolCalendar.build(
        place=authority,
        terms=[
            (date.fromisoformat(p[1]), date.fromisoformat(p[2])) for p in periods if p[0] == "term"
        ],
        closures=[
            (date.fromisoformat(p[1]), date.fromisoformat(p[2]))
            for p in periods
            if p[0] == "closure"
        ],
        loaded_years=[entry["academic_year"] for entry in entries],
    )


def test_twelve_months_after_a_date_is_the_same_date_next_year() -> None:
    assert add_months(date(2026, 3, 15), 12) == date(2027, 3, 15)


def test_a_missing_day_becomes_the_last_day_of_that_month() -> None:
    assert add_months(date(2028, 2, 29), 12) == date(2029, 2, 28)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 1, 1)), st.integers(0, 240))
def test_adding_months_lands_in_the_right_month_never_earlier(day: date, months: int) -> None:
    later = add_months(day, months)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    assert later.day <= day.day
    assert later >= day


def test_counting_back_months_from_an_event_clamps_to_the_month_end() -> None:
    # Leaving school on 31 August: information shared no later than 28 February (6 months before).
    assert due_date(
        start=date(2027, 8, 31), unit=Unit.MONTHS, amount=6, direction=Direction.BACK
    ) == date(2027, 2, 28)
    assert due_date(
        start=date(2027, 6, 25), unit=Unit.MONTHS, amount=12, direction=Direction.BACK
    ) == date(2026, 6, 25)


def test_eight_weeks_across_christmas_ignores_the_holiday_and_lands_on_the_same_weekday() -> None:
    # A request to Glasgow on Monday 1 December 2025: answered by Monday 26 January 2026.
    assert due_date(start=date(2025, 12, 1), unit=Unit.WEEKS, amount=8) == date(2026, 1, 26)


def test_calendar_days_do_not_count_the_start() -> None:
    assert due_date(start=date(2026, 1, 30), unit=Unit.CALENDAR_DAYS, amount=28) == date(
        2026, 2, 27
    )


# Hand-worked from the published calendars (CALENDARS.md "Worked counts"): the 35th school day
# after the trigger, the trigger itself not counted.
@pytest.mark.parametrize(
    ("authority", "trigger", "due"),
    [
        ("Cardiff", date(2025, 9, 15), date(2025, 11, 10)),  # skips the October half-term
        ("Cardiff", date(2025, 10, 1), date(2025, 11, 26)),
        ("Cardiff", date(2025, 11, 24), date(2026, 1, 26)),  # skips Christmas
        ("Cardiff", date(2026, 2, 2), date(2026, 4, 13)),  # skips February half-term and Easter
        ("Cardiff", date(2026, 3, 2), date(2026, 5, 5)),  # skips Easter and May Day
        ("Cardiff", date(2026, 6, 1), date(2026, 7, 20)),  # the last day of the year
        ("Fife", date(2025, 9, 15), date(2025, 11, 18)),  # skips October and an in-service day
        ("Fife", date(2025, 11, 24), date(2026, 1, 26)),
        ("Fife", date(2026, 5, 1), date(2026, 6, 24)),  # skips May Day, in-service, local holiday
    ],
)
def test_thirty_five_school_days_on_a_published_calendar(
    authority: str, trigger: date, due: date
) -> None:
    assert add_school_days(trigger, 35, published(authority)) == due


def test_a_start_in_a_holiday_makes_the_first_school_day_after_it_day_one() -> None:
    cardiff = published("Cardiff")
    # Saturday 25 October 2025 and the half-term week after it: day 1 is Monday 3 November.
    assert add_school_days(date(2025, 10, 25), 1, cardiff) == date(2025, 11, 3)
    assert add_school_days(date(2025, 10, 29), 1, cardiff) == date(2025, 11, 3)


def test_the_published_calendars_have_the_statutory_number_of_days() -> None:
    def school_days(calendar: SchoolCalendar) -> int:
        day, count = date(2025, 8, 1), 0
        while day <= date(2026, 7, 31):
            count += calendar.is_school_day(day)
            day += timedelta(days=1)
        return count

    assert school_days(published("Cardiff")) == 195  # INSET days are each school's own
    assert school_days(published("Fife")) == 190


def test_a_clock_past_the_last_loaded_calendar_says_which_calendar_is_needed() -> None:
    with pytest.raises(CalendarNotLoaded) as refused:
        add_school_days(date(2026, 6, 2), 35, published("Cardiff"))
    assert refused.value.message == "the 2026/27 calendar for Cardiff is needed to set this date"
    assert refused.value.academic_year == "2026-27"


def test_school_days_without_a_calendar_are_refused_not_guessed() -> None:
    with pytest.raises(CalendarNotLoaded):
        due_date(start=date(2025, 9, 15), unit=Unit.SCHOOL_DAYS, amount=35)


def test_the_academic_year_runs_from_august_to_july() -> None:
    assert academic_year_of(date(2025, 8, 1)) == "2025-26"
    assert academic_year_of(date(2026, 7, 31)) == "2025-26"
    assert academic_year_of(date(2099, 9, 1)) == "2099-00"


YEAR_START, YEAR_END = date(2025, 8, 1), date(2026, 7, 31)


@st.composite
def school_calendars(draw: st.DrawFn) -> SchoolCalendar:
    """A calendar for 2025/26 with any number of terms and closures."""
    boundaries = sorted(
        set(draw(st.lists(st.dates(YEAR_START, YEAR_END), min_size=2, max_size=12)))
    )
    terms = [(first, last) for first, last in zip(boundaries[::2], boundaries[1::2], strict=False)]
    closures = [
        (first, first + timedelta(days=length))
        for first, length in draw(
            st.lists(st.tuples(st.dates(YEAR_START, YEAR_END), st.integers(0, 10)), max_size=8)
        )
    ]
    return SchoolCalendar.build(
        place="Testshire", terms=terms, closures=closures, loaded_years=["2025-26"]
    )


def school_days_between(after: date, up_to: date, calendar: SchoolCalendar) -> int:
    count, day = 0, after + timedelta(days=1)
    while day <= up_to:
        count += calendar.is_school_day(day)
        day += timedelta(days=1)
    return count


@given(school_calendars(), st.dates(YEAR_START, YEAR_END), st.integers(1, 60))
def test_adding_school_days_lands_on_a_school_day_n_school_days_later(
    calendar: SchoolCalendar, start: date, n: int
) -> None:
    try:
        due = add_school_days(start, n, calendar)
    except CalendarNotLoaded:
        assume(False)
        return
    assert due > start
    assert due.weekday() < 5
    assert any(first <= due <= last for first, last in calendar.terms)
    assert not any(first <= due <= last for first, last in calendar.closures)
    assert school_days_between(start, due, calendar) == n


@given(school_calendars(), st.dates(YEAR_START, YEAR_END), st.integers(0, 60))
def test_adding_school_days_is_monotonic_in_n(
    calendar: SchoolCalendar, start: date, n: int
) -> None:
    try:
        shorter, longer = (
            add_school_days(start, n, calendar),
            add_school_days(start, n + 1, calendar),
        )
    except CalendarNotLoaded:
        assume(False)
        return
    assert shorter < longer


@given(school_calendars(), st.dates(YEAR_START, YEAR_END), st.integers(1, 60))
def test_counting_back_returns_to_the_starts_school_day(
    calendar: SchoolCalendar, start: date, n: int
) -> None:
    try:
        due = add_school_days(start, n, calendar)
        start_school_day = latest_school_day_on_or_before(start, calendar)
    except CalendarNotLoaded:
        assume(False)
        return
    assert add_school_days(due, -n, calendar) == start_school_day
    if calendar.is_school_day(start):
        assert start_school_day == start


@given(
    st.sampled_from(["Cardiff", "Fife"]),
    st.dates(date(2025, 9, 1), date(2026, 4, 30)),  # 35 school days stay inside 2025/26
    st.integers(1, 35),
)
def test_on_the_published_calendars_a_count_never_lands_on_a_holiday_and_counts_back(
    authority: str, start: date, n: int
) -> None:
    calendar = published(authority)
    due = add_school_days(start, n, calendar)
    assert calendar.is_school_day(due)
    assert school_days_between(start, due, calendar) == n
    assert add_school_days(due, -n, calendar) == latest_school_day_on_or_before(start, calendar)
