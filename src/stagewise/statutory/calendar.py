"""Date arithmetic for statutory timescales: pure functions, no database."""

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later; the month's last day if that day is missing.

    "12 months after preparation" from 29 February is 28 February, never 1 March.
    """
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last_day))
