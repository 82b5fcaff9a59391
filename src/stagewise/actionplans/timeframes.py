"""An action's delivery timeframe as published ("By end 2024", "Spring 2023", "March 2024")
turned into the date range it means. Seasons are the meteorological ones (spring is March to
May), so a season ends on the last day of its third month. "By end <year>" runs from the plan's
publication. Words not in one of these shapes give no range: the action is then never overdue,
rather than overdue on a guess."""

import calendar
import re
from datetime import date

SEASON_FIRST_MONTH = {"spring": 3, "summer": 6, "autumn": 9, "winter": 12}
MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}

BY_END_OF_YEAR = re.compile(r"^by (?:the )?end(?: of)? (\d{4})$")
SEASON = re.compile(r"^(spring|summer|autumn|winter) (\d{4})$")
MONTH = re.compile(r"^([a-z]+) (\d{4})$")


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def timeframe_range(timeframe: str, *, published_on: date) -> tuple[date | None, date | None]:
    """The first and last day of the timeframe; (None, None) when the words are not a date."""
    words = " ".join(timeframe.lower().split())
    if found := BY_END_OF_YEAR.match(words):
        return published_on, date(int(found[1]), 12, 31)
    if found := SEASON.match(words):
        first_month, year = SEASON_FIRST_MONTH[found[1]], int(found[2])
        last_year, last_month = divmod(year * 12 + first_month - 1 + 2, 12)
        return date(year, first_month, 1), _month_end(last_year, last_month + 1)
    if (found := MONTH.match(words)) and found[1] in MONTHS:
        month, year = MONTHS[found[1]], int(found[2])
        return date(year, month, 1), _month_end(year, month)
    return None, None
