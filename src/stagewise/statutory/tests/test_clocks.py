"""Statutory timescales as versioned data, school calendars per authority and school, the
calendar import and the `deadline` and `calendar` commands."""

from datetime import date, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from stagewise.accounts.actors import Actor
from stagewise.organisations.models import Role
from stagewise.policy import SYSTEM, CapabilityRequired
from stagewise.statutory.calendar import CalendarNotLoaded, Unit
from stagewise.statutory.calendar_import import CalendarImportRefused, calendar_import
from stagewise.statutory.models import CalendarPeriodKind, SchoolCalendarPeriod, StatutoryTimescale
from stagewise.statutory.selectors import DeadlineRefused, deadline_for, school_calendar_for
from stagewise.testing.factories import SettingFactory, UserFactory, authority

pytestmark = pytest.mark.django_db

REQUIRED_KEYS = {
    "scotland.establish_needs_request",
    "scotland.coordinated_support_plan_prepare",
    "scotland.agency_help",
    "scotland.coordinated_support_plan_review",
    "scotland.early_review_request",
    "scotland.leaving_seek_views",
    "scotland.leaving_share_information",
    "wales.individual_development_plan_school_decision",
    "wales.individual_development_plan_authority_decision",
    "wales.individual_development_plan_review",
}
HEADER = "authority,setting,academic_year,kind,first_day,last_day,description"


def test_every_required_timescale_is_loaded_with_its_citation() -> None:
    rules = {rule.key: rule for rule in StatutoryTimescale.objects.all()}
    assert set(rules) >= REQUIRED_KEYS
    assert all(rule.citation and rule.label and rule.label_cy for rule in rules.values())
    preparation = rules["scotland.coordinated_support_plan_prepare"]
    assert (preparation.amount, preparation.unit) == (16, Unit.WEEKS)
    assert (preparation.ceiling_amount, preparation.ceiling_unit) == (24, Unit.WEEKS)
    assert rules["scotland.leaving_seek_views"].direction == "back"
    assert rules["wales.individual_development_plan_school_decision"].unit == Unit.SCHOOL_DAYS


def test_a_corrected_rule_applies_only_to_clocks_started_after_it_takes_effect() -> None:
    first = StatutoryTimescale.objects.get(key="scotland.agency_help")
    StatutoryTimescale.objects.create(
        key=first.key,
        nation=first.nation,
        label=first.label,
        citation=first.citation,
        version="2",
        effective_from=date(2026, 1, 1),
        unit=Unit.WEEKS,
        amount=12,
    )
    assert deadline_for(rule_key=first.key, start=date(2025, 12, 31)) == date(2026, 3, 11)
    assert deadline_for(rule_key=first.key, start=date(2026, 1, 1)) == date(2026, 3, 26)


def test_weeks_months_and_counting_back_need_no_calendar() -> None:
    assert deadline_for(
        rule_key="scotland.establish_needs_request", start=date(2025, 12, 1)
    ) == date(2026, 1, 26)
    assert deadline_for(
        rule_key="scotland.coordinated_support_plan_review", start=date(2024, 2, 29)
    ) == date(2025, 2, 28)
    assert deadline_for(
        rule_key="scotland.leaving_share_information", start=date(2027, 6, 30)
    ) == date(2026, 12, 30)


def test_school_days_use_the_authority_calendar_and_the_schools_own_closures() -> None:
    cardiff = authority("Cardiff")
    rule = "wales.individual_development_plan_school_decision"
    assert deadline_for(rule_key=rule, start=date(2025, 9, 15), authority=cardiff) == date(
        2025, 11, 10
    )
    eastern_high = SettingFactory.create(authority=cardiff, name="Eastern High")
    for inset_day in ["2025-09-01", "2025-10-10", "2025-12-01"]:
        SchoolCalendarPeriod.objects.create(
            authority=cardiff,
            setting=eastern_high,
            academic_year="2025-26",
            kind=CalendarPeriodKind.CLOSURE,
            first_day=inset_day,
            last_day=inset_day,
            description="INSET day",
        )
    # One INSET day (10 October) falls in the count: CALENDARS.md's school-level answer.
    assert deadline_for(rule_key=rule, start=date(2025, 9, 15), setting=eastern_high) == date(
        2025, 11, 11
    )


def test_a_deadline_past_the_loaded_calendar_is_not_guessed() -> None:
    with pytest.raises(CalendarNotLoaded, match="the 2026/27 calendar for Cardiff is needed"):
        deadline_for(
            rule_key="wales.individual_development_plan_school_decision",
            start=date(2026, 6, 2),
            authority=authority("Cardiff"),
        )


def test_school_days_without_a_calendar_or_an_unknown_rule_are_refused() -> None:
    with pytest.raises(DeadlineRefused, match="counts school days"):
        deadline_for(
            rule_key="wales.individual_development_plan_school_decision", start=date(2025, 9, 15)
        )
    with pytest.raises(DeadlineRefused, match="no rule"):
        deadline_for(rule_key="wales.no_such_rule", start=date(2025, 9, 15))
    with pytest.raises(DeadlineRefused, match="is not in Cardiff"):
        deadline_for(
            rule_key="scotland.agency_help",
            start=date(2025, 9, 15),
            authority=authority("Cardiff"),
            setting=SettingFactory.create(),
        )


def test_a_period_edited_on_its_own_gets_the_imports_checks() -> None:
    fife = authority("Fife")
    overlapping = SchoolCalendarPeriod(
        authority=fife,
        academic_year="2025-26",
        kind=CalendarPeriodKind.TERM,
        first_day=date(2025, 12, 15),
        last_day=date(2026, 1, 9),
    )
    with pytest.raises(ValidationError, match="overlaps the term 2025-08-18 to 2025-12-19"):
        overlapping.full_clean()
    other_school = SchoolCalendarPeriod(
        authority=fife,
        setting=SettingFactory.create(),  # a Glasgow school
        academic_year="2025-26",
        kind=CalendarPeriodKind.CLOSURE,
        first_day=date(2025, 9, 1),
        last_day=date(2025, 9, 1),
    )
    with pytest.raises(ValidationError, match="is not in Fife"):
        other_school.full_clean()
    in_a_holiday = SchoolCalendarPeriod(
        authority=fife,
        academic_year="2025-26",
        kind=CalendarPeriodKind.CLOSURE,
        first_day=date(2025, 12, 24),
        last_day=date(2025, 12, 24),
    )
    with pytest.raises(ValidationError, match="not inside any term of 2025/26"):
        in_a_holiday.full_clean()


def import_lines(*rows: str) -> list[str]:
    return [HEADER, *rows]


def test_an_import_replaces_the_calendars_it_contains() -> None:
    result = calendar_import(
        actor=SYSTEM,
        rows=import_lines(
            "Cardiff,,2026-27,term,2026-09-01,2026-12-18,Autumn term",
            "Cardiff,,2026-27,closure,2026-10-26,2026-10-30,Autumn half-term",
        ),
    )
    assert (result.periods, result.groups) == (2, 1)
    stored = SchoolCalendarPeriod.objects.filter(
        authority=authority("Cardiff"), academic_year="2026-27"
    )
    assert stored.count() == 2
    calendar_import(
        actor=SYSTEM, rows=import_lines("Caerdydd,,2026-27,term,2026-09-02,2026-12-18,Autumn")
    )
    assert list(stored.values_list("first_day", flat=True)) == [date(2026, 9, 2)]
    # 2025/26 was not in either file and is untouched.
    assert (
        SchoolCalendarPeriod.objects.filter(
            authority=authority("Cardiff"), academic_year="2025-26"
        ).count()
        == 7
    )


@pytest.mark.parametrize(
    ("rows", "line", "says"),
    [
        (
            [
                "Cardiff,,2026-27,term,2026-09-01,2026-12-18,Autumn",
                "Cardiff,,2026-27,term,2026-12-01,2027-03-19,Spring",
            ],
            4,
            "overlaps the term 2026-09-01 to 2026-12-18",
        ),
        (["Cardiff,,2026-27,term,2026-12-18,2026-09-01,Autumn"], 3, "before it starts"),
        (
            [
                "Cardiff,,2026-27,term,2026-09-01,2026-12-18,Autumn",
                "Cardiff,,2026-27,closure,2026-12-21,2026-12-22,Christmas",
            ],
            4,
            "not inside any term of 2026/27",
        ),
        (["Cardif,,2026-27,term,2026-09-01,2026-12-18,Autumn"], 3, "No local authority is called"),
        (["Cardiff,Nowhere High,2026-27,closure,2026-09-01,2026-09-01,INSET"], 3, "no setting"),
        (["Cardiff,,2026-27,term,2026-09-01,2027-08-18,Too long"], 3, "outside the academic year"),
        (["Cardiff,,2026-27,term,2026-09-31,2026-12-18,Autumn"], 3, "is not a date"),
        (["Cardiff,,2026/27,term,2026-09-01,2026-12-18,Autumn"], 3, "written like 2025-26"),
        (["Cardiff,,2026-27,holiday,2026-09-01,2026-12-18,Autumn"], 3, "term or closure"),
    ],
)
def test_a_bad_calendar_is_refused_by_line_and_nothing_is_saved(
    rows: list[str], line: int, says: str
) -> None:
    # Line 1 is the header and line 2 a good term, so the first row given is line 3.
    before = SchoolCalendarPeriod.objects.count()
    with pytest.raises(CalendarImportRefused) as refused:
        calendar_import(
            actor=SYSTEM,
            rows=import_lines("Fife,,2026-27,term,2026-08-17,2026-12-22,Autumn term", *rows),
        )
    assert any(
        problem_line == line and says in message for problem_line, message in refused.value.problems
    ), refused.value.problems
    assert SchoolCalendarPeriod.objects.count() == before


def test_every_problem_in_a_file_is_reported_at_once() -> None:
    with pytest.raises(CalendarImportRefused) as refused:
        calendar_import(
            actor=SYSTEM,
            rows=import_lines(
                "Cardiff,,2026-27,term,2026-09-01,2026-12-18,Autumn",
                "Cardiff,,2026-27,closure,2026-12-21,2026-12-22,Christmas",
                "Fife,,2026-27,term,2026-08-17,2026-12-22,Autumn",
                "Fife,,2026-27,closure,2026-12-23,2026-12-23,Not a term day",
                "Fife,,2026-27,term,2027-01-06,2027-13-01,Spring",
            ),
        )
    # Fife's calendar has a wrong row, so its closure is not also reported outside every term.
    assert [line for line, _message in refused.value.problems] == [3, 6]
    assert "Line 3: This closure" in str(refused.value)


def test_only_an_administrator_may_import_a_calendar() -> None:
    teacher = Actor(user=UserFactory.create(), role=Role.CLASS_TEACHER, key="teacher")
    administrator = Actor(
        user=UserFactory.create(), role=Role.SYSTEM_ADMINISTRATOR, key="administrator"
    )
    rows = import_lines("Cardiff,,2026-27,term,2026-09-01,2026-12-18,Autumn")
    for refused in (teacher, None):
        with pytest.raises(CapabilityRequired):
            calendar_import(actor=refused, rows=rows)
    assert not SchoolCalendarPeriod.objects.filter(academic_year="2026-27").exists()
    calendar_import(actor=administrator, rows=rows)
    period = SchoolCalendarPeriod.objects.get(academic_year="2026-27")
    assert period.history.get().history_user == administrator.user


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_deadline_command_lists_every_rule_with_its_citation() -> None:
    lines = run("deadline", "--list").splitlines()
    listed = dict(line.split("\t") for line in lines)
    assert set(listed) >= REQUIRED_KEYS
    assert listed["scotland.establish_needs_request"] == "SSI 2010/149 reg 4A"
    assert len(lines) == StatutoryTimescale.objects.values("key").distinct().count()


def test_the_deadline_command_prints_the_due_date() -> None:
    assert (
        run(
            "deadline",
            "--rule",
            "wales.individual_development_plan_school_decision",
            "--start",
            "2026-03-02",
            "--authority",
            "Cardiff",
        )
        == "2026-05-05\n"
    )
    assert (
        run("deadline", "--rule", "scotland.leaving_seek_views", "--start", "2027-06-25")
        == "2026-06-25\n"
    )


def test_a_rule_counted_on_another_nations_calendar_comes_with_a_note() -> None:
    out, err = StringIO(), StringIO()
    call_command(
        "deadline",
        "--rule",
        "wales.individual_development_plan_school_decision",
        "--start",
        "2025-09-15",
        "--authority",
        "Fife",
        stdout=out,
        stderr=err,
    )
    assert out.getvalue() == "2025-11-18\n"  # CALENDARS.md: Fife pupil days
    assert "is a rule of Wales; Fife is in Scotland" in err.getvalue()


@pytest.mark.parametrize(
    ("args", "status", "says"),
    [
        (
            [
                "--rule",
                "wales.individual_development_plan_school_decision",
                "--start",
                "2026-06-02",
                "--authority",
                "Cardiff",
            ],
            3,
            "the 2026/27 calendar for Cardiff is needed to set this date",
        ),
        (["--rule", "scotland.nothing", "--start", "2026-06-02"], 2, "no rule"),
        (["--rule", "scotland.agency_help", "--start", "2026-02-30"], 2, "YYYY-MM-DD"),
        (
            ["--rule", "scotland.agency_help", "--start", "2026-02-03", "--authority", "Atlantis"],
            2,
            "No local authority",
        ),
        (
            [
                "--rule",
                "scotland.agency_help",
                "--start",
                "2026-02-03",
                "--setting",
                "Nowhere High",
            ],
            2,
            "No setting",
        ),
    ],
)
def test_the_deadline_command_exits_with_a_reason(args: list[str], status: int, says: str) -> None:
    with pytest.raises(CommandError) as refused:
        run("deadline", *args)
    assert refused.value.returncode == status
    assert says in str(refused.value)
    assert "\n" not in str(refused.value)


def test_the_calendar_command_imports_a_file(tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text("\n".join(import_lines("Fife,,2026-27,term,2026-08-17,2026-12-22,Autumn")))
    assert "Loaded 1 periods into 1 calendars" in run("calendar", "import", str(good))
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "\n".join(import_lines("Fife,,2026-27,term,2026-08-17,2026-12-22,Autumn", "Fife,,x"))
    )
    with pytest.raises(CommandError, match="Line 3: Expected 7 columns") as refused:
        run("calendar", "import", str(bad))
    assert refused.value.returncode == 1
    with pytest.raises(CommandError, match="Cannot read"):
        run("calendar", "import", str(tmp_path / "missing.csv"))


@pytest.mark.parametrize(
    ("authority_name", "start", "due"),
    [
        # CALENDARS.md's worked counts: 35 school days after the trigger, day 1 the first school
        # day after it, on each authority's published 2025/26 calendar.
        ("Swansea", date(2025, 9, 15), date(2025, 11, 10)),
        ("Swansea", date(2026, 2, 2), date(2026, 4, 13)),
        ("Cardiff", date(2026, 3, 2), date(2026, 5, 5)),
        ("Cardiff", date(2026, 6, 1), date(2026, 7, 20)),
    ],
)
def test_the_welsh_school_decision_on_every_published_welsh_calendar(
    authority_name: str, start: date, due: date
) -> None:
    assert (
        deadline_for(
            rule_key="wales.individual_development_plan_school_decision",
            start=start,
            authority=authority(authority_name),
        )
        == due
    )


def test_the_published_scottish_calendars_have_190_pupil_days() -> None:
    for name in ("South Lanarkshire", "City of Edinburgh", "Fife"):
        school_calendar = school_calendar_for(authority(name))
        days = [date(2025, 8, 1) + timedelta(days=offset) for offset in range(365)]
        assert sum(school_calendar.is_school_day(day) for day in days) == 190, name


def test_every_shipped_calendar_fits_the_table_it_is_loaded_into() -> None:
    """PostgreSQL enforces lengths SQLite does not: the data must fit the columns."""
    import json

    from stagewise.statutory.models import SchoolCalendarPeriod

    limit = SchoolCalendarPeriod._meta.get_field("source").max_length
    data = Path(__file__).resolve().parents[1] / "data" / "school_calendars.json"
    for calendar in json.loads(data.read_text(encoding="utf-8"))["calendars"]:
        assert limit is not None and len(calendar["source"]) <= limit, calendar["authority"]
