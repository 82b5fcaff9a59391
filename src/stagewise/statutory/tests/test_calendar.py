from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from stagewise.statutory.calendar import add_months


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
