"""School years, the period every outcome and summary is counted in.

A school year is named by the calendar year it starts in (2025 is "2025/26") and runs from
1 August to 31 July: Scottish schools go back in mid-August and Welsh schools in September, so
every term of both nations falls inside it, and summer holidays fall at its end.
"""

from datetime import date

SCHOOL_YEAR_FIRST_MONTH = 8


def school_year_of(day: date) -> int:
    return day.year if day.month >= SCHOOL_YEAR_FIRST_MONTH else day.year - 1


def school_year_bounds(school_year: int) -> tuple[date, date]:
    """The first and last day of the school year."""
    return date(school_year, SCHOOL_YEAR_FIRST_MONTH, 1), date(
        school_year + 1, SCHOOL_YEAR_FIRST_MONTH - 1, 31
    )


def school_year_label(school_year: int) -> str:
    return f"{school_year}/{(school_year + 1) % 100:02d}"
