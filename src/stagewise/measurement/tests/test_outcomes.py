"""Staff enter a learner's outcomes in the app: attendance, exclusions, part-time timetables,
time in mainstream classes, curriculum judgements, qualifications and a leaver destination.

Those who record outcomes (a school's leaders, the authority's officer) record, change and remove
them; everyone who reads the professional record reads them, by school year, with the year's
attendance worked out; a family does not (403, as the other staff pages). Each record belongs to
the school the learner is enrolled at when it is recorded; the checks across records (periods
that overlap, a second record where there is one a year) are the same as an import's
(measurement/validation.outcome_check).

The world (built once for this module; each test's changes are rolled back): Ailsa Campbell is in
S3 at Riverside in Glasgow, where `teacher` teaches her and `support_lead` leads support;
`authority_officer` works for Glasgow; her parent has an account. Bethan Jones is in Year 6 at
Ysgol y Bont in Cardiff, where `welsh_lead` leads support. `outsider_lead` leads support at
another Glasgow school. Rory Grant left school last year and is enrolled nowhere.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stagewise.accounts.models import User
from stagewise.audit.models import AuditAction, AuditEvent
from stagewise.conftest import staff_member
from stagewise.learners.models import Enrolment, Learner, StaffRelationshipKind
from stagewise.measurement.models import (
    AttendanceRecord,
    CurriculumJudgement,
    Exclusion,
    LeaverDestination,
    MainstreamTime,
    PartTimeTimetable,
    Qualification,
)
from stagewise.measurement.periods import school_year_label, school_year_of
from stagewise.measurement.selectors import learner_outcomes_get
from stagewise.measurement.services.outcomes import (
    attendance_record,
    curriculum_judgement_record,
    exclusion_record,
    leaver_destination_record,
    mainstream_time_record,
    outcome_change,
    outcome_remove,
    part_time_timetable_record,
    qualification_record,
)
from stagewise.measurement.validation import outcome_check
from stagewise.organisations.models import Role
from stagewise.policy import SYSTEM
from stagewise.testing.audit import learner_of
from stagewise.testing.factories import (
    SettingFactory,
    UserFactory,
    authority,
    enrolled_learner,
    link_carer,
    link_staff,
)
from stagewise.testing.plans import acting
from stagewise.testing.worlds import built_once_per_module

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
THIS_YEAR = school_year_of(TODAY)
# Last school year: every day of it has happened, whatever today is.
LAST_YEAR = THIS_YEAR - 1


def day(month: int, day_of_month: int, school_year: int = LAST_YEAR) -> date:
    """A day of a school year (August to December in its first calendar year)."""
    return date(school_year if month >= 8 else school_year + 1, month, day_of_month)


AUTUMN = (day(8, 18), day(10, 10))
SPRING = (day(1, 6), day(3, 27))


@dataclass
class OutcomesWorld:
    users: dict[str, User]
    learner: Learner
    welsh_learner: Learner
    left_learner: Learner

    def actor(self, name: str) -> Any:
        return acting(self.users[name])

    def client(self, name: str) -> Client:
        client = Client()
        client.force_login(self.users[name])
        return client


def _build() -> OutcomesWorld:
    glasgow = authority("Glasgow City")
    school = SettingFactory.create(authority=glasgow, name="Riverside High School")
    other_school = SettingFactory.create(authority=glasgow, name="Hillhead High School")
    welsh_school = SettingFactory.create(authority=authority("Cardiff"), name="Ysgol y Bont")
    learner = enrolled_learner(
        school, year_group="S3", legal_first_name="Ailsa", legal_last_name="Campbell"
    )
    welsh_learner = enrolled_learner(
        welsh_school, year_group="Y6", legal_first_name="Bethan", legal_last_name="Jones"
    )
    left_learner = enrolled_learner(
        school, year_group="S6", legal_first_name="Rory", legal_last_name="Grant"
    )
    Enrolment.objects.filter(learner=left_learner).update(ended_on=TODAY - timedelta(days=120))
    users = {
        "teacher": staff_member("teacher@example.org", Role.CLASS_TEACHER, setting=school),
        "support_lead": staff_member(
            "lead@example.org", Role.SUPPORT_FOR_LEARNING_LEAD, setting=school
        ),
        "authority_officer": staff_member(
            "officer@example.org", Role.LOCAL_AUTHORITY_OFFICER, authority=glasgow
        ),
        "outsider_lead": staff_member(
            "outsider@example.org", Role.SUPPORT_FOR_LEARNING_LEAD, setting=other_school
        ),
        "welsh_lead": staff_member(
            "alnco@example.org", Role.SUPPORT_FOR_LEARNING_LEAD, setting=welsh_school
        ),
        "parent": UserFactory.create(email="parent@example.org", full_name="Claire Campbell"),
    }
    link_staff(learner, users["teacher"], kind=StaffRelationshipKind.CLASS_TEACHER)
    link_carer(learner, user=users["parent"], portal_access=True)
    return OutcomesWorld(
        users=users, learner=learner, welsh_learner=welsh_learner, left_learner=left_learner
    )


@pytest.fixture(scope="module")
def module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[OutcomesWorld]:
    with built_once_per_module(_build, django_db_blocker) as built:
        yield built


@pytest.fixture
def w(module_world: OutcomesWorld, db: None) -> OutcomesWorld:
    return module_world


def messages_of(problem: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return problem.value.messages


def attendance(w: OutcomesWorld, period=AUTUMN, possible=76, attended=70, actor="support_lead"):
    return attendance_record(
        actor=w.actor(actor),
        learner=w.learner,
        starts_on=period[0],
        ends_on=period[1],
        possible_sessions=possible,
        attended_sessions=attended,
    )


# Recording ---------------------------------------------------------------------------------------


def test_attendance_is_recorded_at_the_learners_school_in_the_school_year_of_its_dates(w):
    record = attendance(w)

    assert record.setting.name == "Riverside High School"
    assert record.school_year == LAST_YEAR
    assert record.recorded_by == w.users["support_lead"]
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_id=str(record.public_id))
    assert (learner_of(event), event.purpose, event.object_type) == (
        w.learner,
        "record attendance",
        "attendance",
    )


def test_the_authority_officer_records_outcomes_too(w):
    assert attendance(w, actor="authority_officer").pk


@pytest.mark.parametrize("refused", ["teacher", "parent", "outsider_lead", "welsh_lead"])
def test_only_those_who_record_outcomes_for_the_learner_may(w, refused):
    """The class teacher reads outcomes but does not record them; the family does neither; a
    leader of another school, or in another nation, does not see Ailsa."""
    with pytest.raises(PermissionDenied):
        attendance(w, actor=refused)

    assert not AttendanceRecord.objects.exists()


def test_a_learner_enrolled_nowhere_has_nowhere_to_record_against(w):
    with pytest.raises(ValidationError) as problem:
        exclusion_record(
            actor=SYSTEM, learner=w.left_learner, excluded_on=day(9, 1), days=Decimal(1)
        )

    assert messages_of(problem) == [
        "The learner is not enrolled at a school or setting, so there is nowhere to record this "
        "against. Record their enrolment first."
    ]


def test_more_sessions_attended_than_possible_is_refused(w):
    with pytest.raises(ValidationError) as problem:
        attendance(w, possible=76, attended=80)

    assert problem.value.message_dict == {
        "attended_sessions": ["Sessions attended cannot be more than the possible sessions (76)."]
    }


def test_a_period_with_no_possible_sessions_is_refused(w):
    with pytest.raises(ValidationError) as problem:
        attendance(w, possible=0, attended=0)

    assert problem.value.message_dict == {
        "possible_sessions": ["Possible sessions must be at least 1."]
    }


def test_an_attendance_period_may_not_run_past_the_end_of_its_school_year(w):
    with pytest.raises(ValidationError) as problem:
        attendance(w, period=(day(6, 1), day(8, 20, LAST_YEAR + 1)))

    assert problem.value.message_dict == {
        "ends_on": [
            f"The period must end in the school year it starts in ({school_year_label(LAST_YEAR)},"
            " which ends on 31 July)."
        ]
    }


@pytest.mark.parametrize(
    "period",
    [
        # Before the first school year there is (found by the API's fuzzing: a 500, not a message).
        (date(1, 1, 1), date(1, 1, 2)),
        # In the last school year a date can name, whose end is past the last date there is.
        (date(9999, 9, 1), date(9999, 12, 31)),
    ],
)
def test_a_period_at_the_ends_of_the_calendar_is_refused_as_implausible(w, period):
    with pytest.raises(ValidationError) as problem:
        attendance(w, period=period)

    assert set(problem.value.message_dict) >= {"starts_on"}
    assert AttendanceRecord.objects.count() == 0


def test_attendance_periods_may_not_overlap_and_nothing_is_saved(w):
    attendance(w)

    with pytest.raises(ValidationError) as problem:
        attendance(w, period=(day(10, 1), day(12, 19)))

    assert problem.value.message_dict["starts_on"][0].startswith(
        "This period overlaps attendance already recorded from 18 August"
    )
    assert AttendanceRecord.objects.count() == 1


def test_exclusions_are_counted_in_whole_or_half_days(w):
    with pytest.raises(ValidationError) as problem:
        exclusion_record(
            actor=w.actor("support_lead"),
            learner=w.learner,
            excluded_on=day(9, 1),
            days=Decimal("1.3"),
        )

    assert problem.value.message_dict == {
        "days": ["Enter days in whole or half days, like 1 or 2.5."]
    }


def test_a_part_time_timetable_may_still_be_running(w):
    timetable = part_time_timetable_record(
        actor=w.actor("support_lead"),
        learner=w.learner,
        starts_on=day(9, 1),
        ends_on=None,
        hours_a_week=Decimal("12.5"),
        reason="phased_return",
        reason_detail="  Back after a long illness.  ",
    )

    assert (timetable.ends_on, timetable.reason_detail) == (None, "Back after a long illness.")


def test_time_in_mainstream_classes_is_one_record_a_school_year(w):
    def mainstream(school_year: int, mainstream_hours: str = "20") -> MainstreamTime:
        return mainstream_time_record(
            actor=w.actor("support_lead"),
            learner=w.learner,
            school_year=school_year,
            timetabled_hours_a_week=Decimal("27.5"),
            mainstream_hours_a_week=Decimal(mainstream_hours),
        )

    mainstream(LAST_YEAR)
    with pytest.raises(ValidationError) as duplicate:
        mainstream(LAST_YEAR)
    with pytest.raises(ValidationError) as too_many:
        mainstream(THIS_YEAR, "30")
    with pytest.raises(ValidationError) as future:
        mainstream(THIS_YEAR + 1)

    label = school_year_label(LAST_YEAR)
    assert duplicate.value.message_dict == {
        "school_year": [
            f"Time in mainstream classes is already recorded for {label}. Change that record "
            "instead."
        ]
    }
    assert too_many.value.message_dict == {
        "mainstream_hours_a_week": [
            "Hours in mainstream classes cannot be more than the hours timetabled (27.5)."
        ]
    }
    assert future.value.message_dict["school_year"][0].startswith("Choose a school year from")
    assert MainstreamTime.objects.count() == 1


def judgement(w, learner=None, actor="support_lead", **fields) -> CurriculumJudgement:
    values: dict[str, Any] = {
        "school_year": LAST_YEAR,
        "year_group": "S3",
        "area": "reading",
        "level": "third",
    }
    return curriculum_judgement_record(
        actor=w.actor(actor), learner=learner or w.learner, **(values | fields)
    )


def test_in_scotland_whether_the_expected_level_was_achieved_is_worked_out(w):
    """By the end of S3 the level expected is third: fourth achieves it, second does not,
    whatever was typed."""
    above = judgement(w, level="fourth", expected_level_achieved=False)
    below = judgement(w, area="writing", level="second", expected_level_achieved=True)

    assert (above.expected_level_achieved, below.expected_level_achieved) == (True, False)


def test_in_scotland_levels_are_judged_in_p1_p4_p7_and_s3_only_from_scotlands_lists(w):
    with pytest.raises(ValidationError) as problem:
        judgement(w, year_group="S2", area="humanities", level="step_3")

    assert problem.value.message_dict == {
        "year_group": ["Levels are judged in P1, P4, P7, S3 only."],
        "area": ["Choose a curriculum area used in Scotland."],
        "level": ["Choose a level used in Scotland."],
    }


def test_one_judgement_per_area_a_school_year(w):
    judgement(w)

    with pytest.raises(ValidationError) as problem:
        judgement(w, level="second")

    assert problem.value.message_dict == {
        "area": [
            f"A judgement in Reading is already recorded for {school_year_label(LAST_YEAR)}. "
            "Change that one instead."
        ]
    }


def test_in_wales_progress_is_the_teachers_judgement_in_any_year_group(w):
    recorded = judgement(
        w,
        learner=w.welsh_learner,
        actor="welsh_lead",
        year_group="Y6",
        area="humanities",
        level="step_2",
        expected_level_achieved=True,
    )

    assert recorded.expected_level_achieved is True


def test_a_qualification_is_at_a_level_of_its_nations_framework(w):
    with pytest.raises(ValidationError) as welsh:
        qualification_record(
            actor=w.actor("welsh_lead"),
            learner=w.welsh_learner,
            awarded_on=day(6, 20),
            title="GCSE Welsh",
            framework_level=10,
        )
    scottish = qualification_record(
        actor=w.actor("support_lead"),
        learner=w.learner,
        awarded_on=day(6, 20),
        title="National 4 English",
        framework_level=4,
    )

    assert welsh.value.message_dict == {
        "framework_level": ["Choose a framework level used in Wales."]
    }
    assert scottish.school_year == LAST_YEAR


def test_a_learner_has_one_leaver_destination(w):
    def destination() -> LeaverDestination:
        return leaver_destination_record(
            actor=w.actor("support_lead"),
            learner=w.learner,
            left_on=day(6, 26),
            destination="further_education",
        )

    assert destination().positive
    with pytest.raises(ValidationError) as problem:
        destination()

    assert messages_of(problem) == [
        "A leaver destination is already recorded for this learner. Change it instead."
    ]


# Changing and removing ---------------------------------------------------------------------------


def test_a_change_is_checked_like_a_new_record_and_a_refused_one_changes_nothing(w):
    autumn = attendance(w)
    attendance(w, period=SPRING)

    with pytest.raises(ValidationError):
        outcome_change(
            actor=w.actor("support_lead"), record=autumn, ends_on=day(1, 20), possible_sessions=90
        )

    autumn.refresh_from_db()
    assert (autumn.ends_on, autumn.possible_sessions) == (AUTUMN[1], 76)


def test_a_change_is_audited_with_what_changed(w):
    record = attendance(w)

    changed = outcome_change(
        actor=w.actor("authority_officer"), record=record, attended_sessions=72
    )

    assert changed.attended_sessions == 72
    assert changed.setting == record.setting
    event = AuditEvent.objects.get(action=AuditAction.UPDATE)
    assert event.purpose == "change attendance"
    assert event.changes == {"attended_sessions": "changed"}  # never the values (ADR 0033)


def test_only_what_staff_typed_may_be_changed(w):
    record = attendance(w)

    with pytest.raises(ValueError, match="setting"):
        outcome_change(actor=w.actor("support_lead"), record=record, setting=None)


def test_a_record_is_removed_by_those_who_record_outcomes_and_the_audit_keeps_that_it_was(w):
    record = attendance(w)

    with pytest.raises(PermissionDenied):
        outcome_remove(actor=w.actor("teacher"), record=record)
    outcome_remove(actor=w.actor("support_lead"), record=record)

    assert not AttendanceRecord.objects.exists()
    event = AuditEvent.objects.get(action=AuditAction.DELETE)
    assert (event.object_id, event.purpose) == (str(record.public_id), "remove attendance")


def test_an_import_checks_one_unsaved_record_as_the_forms_do(w):
    """The CSV import builds a record with its learner and setting and asks the same check."""
    attendance(w)
    setting = Enrolment.objects.get(learner=w.learner).setting
    overlapping = AttendanceRecord(
        learner=w.learner,
        setting=setting,
        starts_on=day(9, 1),
        ends_on=day(9, 30),
        possible_sessions=40,
        attended_sessions=40,
    )
    fine = AttendanceRecord(
        learner=w.learner,
        setting=setting,
        starts_on=SPRING[0],
        ends_on=SPRING[1],
        possible_sessions=40,
        attended_sessions=40,
    )

    with pytest.raises(ValidationError):
        outcome_check(overlapping)
    outcome_check(fine)

    assert fine.school_year == LAST_YEAR
    assert AttendanceRecord.objects.count() == 1


# Reading -----------------------------------------------------------------------------------------


def _every_kind(w: OutcomesWorld, school_year: int) -> None:
    lead = w.actor("support_lead")
    day_in = lambda month, n: day(month, n, school_year)  # noqa: E731
    attendance_record(
        actor=lead,
        learner=w.learner,
        starts_on=day_in(8, 18),
        ends_on=day_in(10, 10),
        possible_sessions=76,
        attended_sessions=70,
    )
    attendance_record(
        actor=lead,
        learner=w.learner,
        starts_on=day_in(10, 27),
        ends_on=day_in(12, 19),
        possible_sessions=80,
        attended_sessions=60,
    )
    exclusion_record(actor=lead, learner=w.learner, excluded_on=day_in(11, 3), days=Decimal("1.5"))
    part_time_timetable_record(
        actor=lead,
        learner=w.learner,
        starts_on=day_in(9, 1),
        ends_on=day_in(10, 1),
        hours_a_week=Decimal(15),
        reason="health",
    )
    mainstream_time_record(
        actor=lead,
        learner=w.learner,
        school_year=school_year,
        timetabled_hours_a_week=Decimal(25),
        mainstream_hours_a_week=Decimal(20),
    )
    curriculum_judgement_record(
        actor=lead,
        learner=w.learner,
        school_year=school_year,
        year_group="S3",
        area="numeracy",
        level="third",
    )
    qualification_record(
        actor=lead,
        learner=w.learner,
        awarded_on=day_in(6, 20),
        title="National 3 Mathematics",
        framework_level=3,
    )


def test_outcomes_are_grouped_by_school_year_with_the_years_attendance_worked_out(w):
    _every_kind(w, LAST_YEAR)
    _every_kind(w, LAST_YEAR - 1)

    outcomes = learner_outcomes_get(actor=w.actor("teacher"), learner_id=w.learner.public_id)

    assert [year.school_year for year in outcomes.years] == [LAST_YEAR, LAST_YEAR - 1]
    latest = outcomes.years[0]
    assert [row.percentage for row in latest.attendance] == [Decimal("92.1"), Decimal("75.0")]
    assert (latest.possible_sessions, latest.attended_sessions) == (156, 130)
    assert latest.attendance_percentage == Decimal("83.3")
    assert latest.days_excluded == Decimal("1.5")
    assert latest.mainstream_percentage == Decimal(80)
    assert [(row.area_label, row.level_label) for row in latest.judgements] == [
        ("Numeracy", "Third level")
    ]
    assert str(latest.qualifications[0].level_label) == "SCQF level 3"


def test_a_family_does_not_read_outcomes(w):
    with pytest.raises(PermissionDenied):
        learner_outcomes_get(actor=w.actor("parent"), learner_id=w.learner.public_id)


# The pages ---------------------------------------------------------------------------------------


def outcomes_url(w: OutcomesWorld, learner: Learner | None = None) -> str:
    return reverse("outcomes:list", args=[(learner or w.learner).public_id])


def add_url(w: OutcomesWorld, kind: str, learner: Learner | None = None) -> str:
    return reverse("outcomes:add", args=[(learner or w.learner).public_id, kind])


def dates(name: str, value: date) -> dict[str, object]:
    return {f"{name}_0": value.day, f"{name}_1": value.month, f"{name}_2": value.year}


def test_the_page_shows_each_kind_by_school_year_and_offers_the_forms_to_those_who_record(w):
    _every_kind(w, LAST_YEAR)

    lead_page = w.client("support_lead").get(outcomes_url(w)).content.decode()
    teacher_page = w.client("teacher").get(outcomes_url(w)).content.decode()

    assert f"School year {school_year_label(LAST_YEAR)}" in lead_page
    for shown in ("92.1%", "83.3%", "Numeracy", "Third level", "SCQF level 3", "80%"):
        assert shown in lead_page
    assert "Record attendance" in lead_page
    assert "Numeracy" in teacher_page
    assert "Record attendance" not in teacher_page
    assert "/change/" not in teacher_page


def test_the_page_speaks_welsh_to_those_who_prefer_it(w):
    attendance(w)
    lead = w.users["support_lead"]
    lead.preferred_language = "cy"
    lead.save(update_fields=["preferred_language"])

    page = w.client("support_lead").get(outcomes_url(w)).content.decode()

    assert "Canlyniadau" in page
    assert f"Presenoldeb yn {school_year_label(LAST_YEAR)}" in page
    assert "92.1%" in page


def test_the_learners_record_links_to_the_outcomes_for_staff(w):
    page = w.client("teacher").get(reverse("learners:profile", args=[w.learner.public_id]))

    assert outcomes_url(w) in page.content.decode()


def test_a_family_is_refused_the_page_and_the_forms(w):
    parent = w.client("parent")

    assert parent.get(outcomes_url(w)).status_code == 403
    assert parent.get(add_url(w, "attendance")).status_code == 403


def test_an_unknown_kind_is_not_found(w):
    assert w.client("support_lead").get(add_url(w, "detentions")).status_code == 404


def test_a_form_sent_empty_says_what_to_fill_in_and_saves_nothing(w):
    response = w.client("support_lead").post(add_url(w, "attendance"), {})

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    for message in (
        "Enter the date the period starts.",
        "Enter the possible sessions.",
        "Enter the sessions attended.",
    ):
        assert message in page
    assert not AttendanceRecord.objects.exists()


def test_a_number_out_of_range_or_not_a_number_is_named(w):
    response = w.client("support_lead").post(
        add_url(w, "exclusion"), {**dates("excluded_on", day(9, 1)), "days": "lots"}
    )
    too_many = w.client("support_lead").post(
        add_url(w, "exclusion"), {**dates("excluded_on", day(9, 1)), "days": "300"}
    )

    assert "Enter the days excluded as a number, like 2.5." in response.content.decode()
    assert "Days excluded must be from 0.5 to 200." in too_many.content.decode()
    assert not Exclusion.objects.exists()


def test_the_services_refusal_is_shown_on_the_form(w):
    attendance(w)

    response = w.client("support_lead").post(
        add_url(w, "attendance"),
        {
            **dates("starts_on", day(9, 1)),
            **dates("ends_on", day(9, 30)),
            "possible_sessions": "40",
            "attended_sessions": "38",
        },
    )

    assert response.status_code == 200
    assert "This period overlaps attendance already recorded" in response.content.decode()
    assert AttendanceRecord.objects.count() == 1


def test_a_valid_form_records_and_returns_to_the_outcomes(w):
    response = w.client("support_lead").post(
        add_url(w, "part-time-timetable"),
        {**dates("starts_on", day(9, 1)), "hours_a_week": "12.5", "reason": "health"},
    )

    assert response.status_code == 302
    assert response["Location"] == outcomes_url(w)
    assert PartTimeTimetable.objects.get().hours_a_week == Decimal("12.5")


def test_the_curriculum_form_offers_the_learners_nations_lists(w):
    scottish = w.client("support_lead").get(add_url(w, "curriculum-judgement")).content.decode()
    welsh = (
        w.client("welsh_lead")
        .get(add_url(w, "curriculum-judgement", w.welsh_learner))
        .content.decode()
    )

    assert "Listening and talking" in scottish and "Humanities" not in scottish
    assert 'value="S3"' in scottish and 'value="S2"' not in scottish
    assert "Is the learner&#x27;s progress as expected?" not in scottish
    assert "Humanities" in welsh and "Progression step 3" in welsh
    assert "Is the learner&#x27;s progress as expected?" in welsh


def test_a_judgement_recorded_through_the_form(w):
    response = w.client("welsh_lead").post(
        add_url(w, "curriculum-judgement", w.welsh_learner),
        {
            "school_year": str(LAST_YEAR),
            "year_group": "Y6",
            "area": "humanities",
            "level": "step_2",
            "expected_level_achieved": "False",
        },
    )

    assert response.status_code == 302
    assert CurriculumJudgement.objects.get().expected_level_achieved is False


def test_the_change_form_shows_the_record_and_saves_the_change(w):
    record = attendance(w)
    url = reverse("outcomes:change", args=[w.learner.public_id, "attendance", record.public_id])
    client = w.client("support_lead")

    shown = client.get(url).content.decode()
    response = client.post(
        url,
        {
            **dates("starts_on", AUTUMN[0]),
            **dates("ends_on", AUTUMN[1]),
            "possible_sessions": "76",
            "attended_sessions": "74",
        },
    )

    assert 'value="70"' in shown
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.attended_sessions == 74


def test_removing_asks_first_then_removes(w):
    record = attendance(w)
    url = reverse("outcomes:remove", args=[w.learner.public_id, "attendance", record.public_id])
    client = w.client("support_lead")

    asked = client.get(url)
    assert asked.status_code == 200
    assert AttendanceRecord.objects.exists()

    assert client.post(url).status_code == 302
    assert not AttendanceRecord.objects.exists()


def test_another_learners_record_under_this_learners_address_is_not_found(w):
    welsh = qualification_record(
        actor=SYSTEM,
        learner=w.welsh_learner,
        awarded_on=day(6, 20),
        title="GCSE Welsh",
        framework_level=2,
    )
    url = reverse("outcomes:change", args=[w.learner.public_id, "qualification", welsh.public_id])
    wrong_kind = reverse(
        "outcomes:change", args=[w.learner.public_id, "exclusion", welsh.public_id]
    )

    assert w.client("support_lead").get(url).status_code == 404
    assert w.client("support_lead").get(wrong_kind).status_code == 404
    assert Qualification.objects.count() == 1


def test_the_page_reads_the_same_number_of_times_however_many_records(w):
    client = w.client("support_lead")
    _every_kind(w, LAST_YEAR)
    client.get(outcomes_url(w))  # the session and the language, settled
    with CaptureQueriesContext(connection) as one_year:
        client.get(outcomes_url(w))
    for school_year in range(LAST_YEAR - 4, LAST_YEAR):
        _every_kind(w, school_year)
    with CaptureQueriesContext(connection) as five_years:
        response = client.get(outcomes_url(w))

    assert response.content.decode().count("School year ") == 5
    assert len(five_years) == len(one_year)
