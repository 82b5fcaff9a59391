"""Working days leave out the nation's bank holidays, as GOV.UK publishes them: Scotland's own list,
and England and Wales's for Wales. A year whose list is not loaded is said, never guessed."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from stagewise.learners.models import Learner
from stagewise.organisations.models import Nation
from stagewise.policy import SYSTEM
from stagewise.statutory.calendar import BankHolidays, CalendarNotLoaded, add_working_days
from stagewise.statutory.models import BankHoliday
from stagewise.statutory.selectors import bank_holidays_for, deadline_for
from stagewise.statutory.services import process_start

pytestmark = pytest.mark.django_db


def holidays(code: str) -> BankHolidays:
    return bank_holidays_for(Nation.objects.get(code=code))


def test_the_bank_holidays_are_loaded_from_gov_uk_with_their_source() -> None:
    st_andrews = BankHoliday.objects.get(nation__code="scotland", day=date(2025, 12, 1))
    assert "St Andrew" in st_andrews.title
    assert "gov.uk/bank-holidays" in st_andrews.source
    # CALENDARS.md: the Welsh summer bank holiday 2026 falls in the summer holiday.
    assert BankHoliday.objects.filter(nation__code="wales", day=date(2026, 8, 31)).exists()
    assert not BankHoliday.objects.filter(nation__code="scotland", day=date(2026, 8, 31)).exists()


def test_christmas_and_boxing_day_substitute_are_not_working_days() -> None:
    # Wednesday 23 December 2026: Thursday 24th, then Tuesday 29th and Wednesday 30th (Friday
    # 25th is Christmas Day and Monday 28th the substitute Boxing Day).
    for code in ("scotland", "wales"):
        assert add_working_days(date(2026, 12, 23), 3, code, holidays(code)) == date(2026, 12, 30)


def test_scotland_keeps_2_january_and_wales_does_not() -> None:
    # Wednesday 30 December 2026, two working days: Thursday 31st, then Monday 4 January in
    # Wales but Tuesday 5th in Scotland (the 2nd January holiday moves to Monday 4th).
    start = date(2026, 12, 30)
    assert add_working_days(start, 2, "wales", holidays("wales")) == date(2027, 1, 4)
    assert add_working_days(start, 2, "scotland", holidays("scotland")) == date(2027, 1, 5)


def test_a_year_whose_bank_holidays_are_not_loaded_is_named() -> None:
    with pytest.raises(CalendarNotLoaded, match="the 2029 bank holidays for Scotland"):
        add_working_days(date(2028, 12, 20), 20, "Scotland", holidays("scotland"))


def test_an_independent_adjudication_clock_now_has_a_due_date(learner: Learner) -> None:
    started = timezone.localdate() - timedelta(days=10)
    process = process_start(
        actor=SYSTEM,
        learner=learner,
        rule_key="scotland.independent_adjudication_decision",
        started_on=started,
    )
    assert process.due_on == add_working_days(started, 60, "Scotland", holidays("scotland"))
    assert process.due_problem == ""
    assert (
        deadline_for(rule_key="scotland.independent_adjudication_decision", start=started)
        == process.due_on
    )
