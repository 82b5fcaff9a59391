"""Changing a school calendar in the app: a term or closure at a time, or a whole file, checked as
an import checks it, all or nothing, audited, and giving a date to the clocks that were waiting for
that calendar. Only system administrators may change a calendar."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from stagewise.accounts.models import User
from stagewise.audit.models import AuditEvent
from stagewise.learners.models import Learner
from stagewise.organisations.models import Setting
from stagewise.policy import SYSTEM, CapabilityRequired
from stagewise.statutory.calendar_edit import (
    calendar_period_create,
    calendar_period_delete,
    calendar_period_update,
    calendar_upload,
)
from stagewise.statutory.calendar_import import CalendarImportRefused
from stagewise.statutory.models import CalendarPeriodKind, SchoolCalendarPeriod
from stagewise.statutory.services import process_start
from stagewise.testing.factories import SettingFactory, authority, enrolled_learner
from stagewise.testing.plans import acting

pytestmark = pytest.mark.django_db

AUTUMN_2026 = (date(2026, 9, 1), date(2026, 12, 18))
# A concern raised on Monday 7 September 2026: with the autumn term from 1 September and no
# closures, the 35th school day after it is Monday 26 October 2026.
CONCERN_RAISED = date(2026, 9, 7)
DECISION_DUE = date(2026, 10, 26)


@pytest.fixture
def cardiff_school(db: None) -> Setting:
    return SettingFactory.create(authority=authority("Cardiff"), name="Ysgol Glan Taf")


@pytest.fixture
def welsh_learner(cardiff_school: Setting) -> Learner:
    return enrolled_learner(cardiff_school, year_group="Y4")


def add_autumn_term(administrator: User, **overrides: object) -> SchoolCalendarPeriod:
    values: dict[str, object] = {
        "authority": authority("Cardiff"),
        "academic_year": "2026-27",
        "kind": CalendarPeriodKind.TERM,
        "first_day": AUTUMN_2026[0],
        "last_day": AUTUMN_2026[1],
        "description": "Autumn term",
    }
    values.update(overrides)
    return calendar_period_create(actor=acting(administrator), **values)  # type: ignore[arg-type]


def test_adding_the_missing_term_gives_the_waiting_clock_its_date(
    administrator: User, welsh_learner: Learner
) -> None:
    waiting = process_start(
        actor=SYSTEM,
        learner=welsh_learner,
        rule_key="wales.individual_development_plan_school_decision",
        started_on=CONCERN_RAISED,
    )
    assert waiting.due_on is None
    assert "2026/27 calendar for Cardiff" in waiting.due_problem

    add_autumn_term(administrator)
    waiting.refresh_from_db()
    assert waiting.due_on == DECISION_DUE
    assert waiting.due_problem == ""
    assert waiting.events.filter(kind="date_set").exists()


def test_every_change_is_audited_and_kept_in_the_periods_history(administrator: User) -> None:
    term = add_autumn_term(administrator)
    calendar_period_update(
        actor=acting(administrator),
        period=term,
        academic_year="2026-27",
        kind=CalendarPeriodKind.TERM,
        first_day=AUTUMN_2026[0],
        last_day=date(2026, 12, 21),
        description="Autumn term",
    )
    calendar_period_delete(actor=acting(administrator), period=term)
    actions = list(
        AuditEvent.objects.filter(object_type="school_calendar_period", object_id=str(term.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update", "delete"]
    change = AuditEvent.objects.get(object_id=str(term.pk), action="update").changes or {}
    assert change["last_day"] == ["2026-12-18", "2026-12-21"]
    assert term.history.count() == 3


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"first_day": date(2026, 12, 1), "last_day": date(2027, 1, 20)},
            "overlaps the term",
        ),
        ({"first_day": date(2027, 2, 1), "last_day": date(2027, 1, 20)}, "before it starts"),
        (
            {
                "kind": CalendarPeriodKind.CLOSURE,
                "first_day": date(2027, 1, 4),
                "last_day": date(2027, 1, 5),
            },
            "not inside any term",
        ),
        ({"first_day": date(2027, 7, 20), "last_day": date(2027, 8, 2)}, "outside the academic"),
        ({"academic_year": "2026-28"}, "2025-26"),
    ],
)
def test_a_period_that_does_not_fit_is_refused_and_nothing_is_saved(
    administrator: User, change: dict[str, object], message: str
) -> None:
    add_autumn_term(administrator)
    with pytest.raises(ValidationError, match=message):
        add_autumn_term(administrator, description="Second", **change)
    assert SchoolCalendarPeriod.objects.filter(academic_year__startswith="2026-").count() == 1


def test_a_school_closure_must_be_for_a_school_in_the_authority(administrator: User) -> None:
    add_autumn_term(administrator)
    glasgow_school = SettingFactory.create(authority=authority("Glasgow City"), name="Riverside")
    with pytest.raises(ValidationError, match="Riverside is not in Cardiff"):
        add_autumn_term(
            administrator,
            kind=CalendarPeriodKind.CLOSURE,
            first_day=date(2026, 10, 5),
            last_day=date(2026, 10, 5),
            setting=glasgow_school,
        )


def test_a_school_closes_for_a_day_of_its_own(administrator: User, cardiff_school: Setting) -> None:
    add_autumn_term(administrator)
    closure = add_autumn_term(
        administrator,
        kind=CalendarPeriodKind.CLOSURE,
        first_day=date(2026, 10, 5),
        last_day=date(2026, 10, 5),
        setting=cardiff_school,
        description="INSET day",
    )
    assert closure.setting == cardiff_school


def test_a_term_cannot_go_or_shrink_while_a_closure_sits_inside_it(administrator: User) -> None:
    term = add_autumn_term(administrator)
    add_autumn_term(
        administrator,
        kind=CalendarPeriodKind.CLOSURE,
        first_day=date(2026, 12, 14),
        last_day=date(2026, 12, 18),
        description="Early Christmas",
    )
    with pytest.raises(ValidationError, match="outside every term"):
        calendar_period_delete(actor=acting(administrator), period=term)
    with pytest.raises(ValidationError, match="outside every term"):
        calendar_period_update(
            actor=acting(administrator),
            period=term,
            academic_year="2026-27",
            kind=CalendarPeriodKind.TERM,
            first_day=AUTUMN_2026[0],
            last_day=date(2026, 12, 11),
        )
    term.refresh_from_db()
    assert term.last_day == AUTUMN_2026[1]


@pytest.mark.parametrize("who", ["support_lead", "head", "authority_officer", "analyst"])
def test_only_a_system_administrator_may_change_a_calendar(
    who: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(who)
    with pytest.raises(CapabilityRequired):
        add_autumn_term(user)
    with pytest.raises(CapabilityRequired):
        calendar_upload(actor=acting(user), lines=["authority,setting"])
    assert not SchoolCalendarPeriod.objects.filter(academic_year="2026-27").exists()


CSV_HEADER = "authority,setting,academic_year,kind,first_day,last_day,description"


def test_an_uploaded_file_is_loaded_whole_and_dates_the_waiting_clocks(
    administrator: User, welsh_learner: Learner
) -> None:
    waiting = process_start(
        actor=SYSTEM,
        learner=welsh_learner,
        rule_key="wales.individual_development_plan_school_decision",
        started_on=CONCERN_RAISED,
    )
    result = calendar_upload(
        actor=acting(administrator),
        lines=[CSV_HEADER, "Cardiff,,2026-27,term,2026-09-01,2026-12-18,Autumn term"],
    )
    assert result.periods == 1
    waiting.refresh_from_db()
    assert waiting.due_on == DECISION_DUE
    assert AuditEvent.objects.filter(object_type="school_calendar").exists()


def test_an_uploaded_file_with_a_problem_saves_nothing_and_names_each_line(
    administrator: User,
) -> None:
    with pytest.raises(CalendarImportRefused) as refused:
        calendar_upload(
            actor=acting(administrator),
            lines=[
                CSV_HEADER,
                "Cardiff,,2026-27,term,2026-09-01,2026-12-18,Autumn term",
                "Cardiff,,2026-27,term,2026-12-01,2027-03-26,Spring term",
                "Atlantis,,2026-27,term,2027-04-12,2027-07-20,Summer term",
            ],
        )
    lines = [line for line, _message in refused.value.problems]
    assert 3 in lines and 4 in lines
    assert not SchoolCalendarPeriod.objects.filter(academic_year="2026-27").exists()
