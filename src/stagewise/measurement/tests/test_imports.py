"""Outcome records loaded from CSV files: all or nothing, every problem by line and column.

The world (built once for this module; each test's changes are rolled back): Ailsa Campbell is
at Riverside Primary School in Glasgow; Finlay Reid at Harbourside Primary in Fife; Cerys at a
school in Cardiff. Riverside's head and Glasgow's officer record outcomes for Ailsa; neither
sees Finlay, and a class teacher records none by file.

The rules: a file is one kind of record with its layout's header; each line is read, checked by
the model's own rules and across the file and the saved records; if any line is wrong nothing is
saved and every problem is listed by line and column; otherwise every record is saved with one
audit event. A learner someone does not see is the same problem as one who does not exist.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import stagewise
from stagewise.accounts.models import User
from stagewise.audit.models import AuditEvent
from stagewise.conftest import ACTOR_MAKERS, build_world, staff_member
from stagewise.learners.models import Learner
from stagewise.measurement.imports import LAYOUTS, MAX_ROWS, OutcomeImport, Problem, outcome_import
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
from stagewise.organisations.models import Role, Setting
from stagewise.policy import CapabilityRequired
from stagewise.testing.factories import (
    EnrolmentFactory,
    SettingFactory,
    authority,
    enrolled_learner,
)
from stagewise.testing.plans import acting
from stagewise.testing.worlds import built_once_per_module

pytestmark = pytest.mark.django_db

DOCS = Path(stagewise.__file__).resolve().parents[2] / "docs" / "howto"

# Last school year, over by now whatever today is: its dates have all happened.
YEAR = school_year_of(timezone.localdate()) - 1
LABEL = school_year_label(YEAR)
AUTUMN = (date(YEAR, 8, 18), date(YEAR, 10, 10))
WINTER = (date(YEAR, 10, 27), date(YEAR, 12, 19))
ATTENDANCE = "candidate_number,starts_on,ends_on,possible_sessions,attended_sessions"


@dataclass
class ImportWorld:
    users: dict[str, User]
    ailsa: Learner
    finlay: Learner
    cerys: Learner
    rory: Learner

    def actor(self, name: str) -> Any:
        return acting(self.users[name])


def _build() -> ImportWorld:
    world = build_world()
    cardiff_school = SettingFactory.create(authority=authority("Cardiff"), name="Ysgol y Bont")
    cerys = enrolled_learner(cardiff_school, year_group="Y5", legal_first_name="Cerys")
    names = ["head", "authority_officer", "teacher", "other_authority_officer", "parent"]
    users = {name: ACTOR_MAKERS[name](world) for name in names}
    users["cardiff_head"] = staff_member(
        "cardiff-head@example.org", Role.HEAD_TEACHER, setting=cardiff_school
    )
    rory = enrolled_learner(world.school, legal_first_name="Rory")
    return ImportWorld(users, world.learner, world.other_learner, cerys, rory)


@pytest.fixture(scope="module")
def module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[ImportWorld]:
    with built_once_per_module(_build, django_db_blocker) as built:
        yield built


@pytest.fixture
def w(module_world: ImportWorld, db: None) -> ImportWorld:
    return module_world


def csv_file(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode()


def attendance_line(learner: Learner, period: tuple[date, date], possible=76, attended=70) -> str:
    return f"{learner.candidate_number},{period[0]},{period[1]},{possible},{attended}"


def run(w: ImportWorld, data: bytes, kind="attendance", by="head", dry_run=False) -> OutcomeImport:
    return outcome_import(actor=w.actor(by), kind=kind, file=data, dry_run=dry_run)


def where(result: OutcomeImport) -> list[tuple[int | None, str]]:
    return [(problem.line, problem.column) for problem in result.problems]


# A good file -------------------------------------------------------------------------------------


def test_a_good_file_is_saved_whole_with_one_audit_event_and_no_event_per_record(w):
    data = csv_file(ATTENDANCE, attendance_line(w.ailsa, AUTUMN), attendance_line(w.ailsa, WINTER))

    result = run(w, data)

    assert result.problems == [] and result.saved
    assert (result.records, result.learners, result.by_school_year) == (2, 1, [(LABEL, 2)])
    saved = AttendanceRecord.objects.filter(learner=w.ailsa).order_by("starts_on")
    assert [(r.starts_on, r.ends_on, r.school_year) for r in saved] == [
        (*AUTUMN, YEAR),
        (*WINTER, YEAR),
    ]
    assert {r.setting.name for r in saved} == {"Riverside Primary School"}
    assert {r.recorded_by for r in saved} == {w.users["head"]}
    event = AuditEvent.objects.get(object_type="outcome_import")
    assert event.changes == {"records": [None, 2], "learners": [None, 1]}
    assert AuditEvent.objects.filter(learner_key__learner=w.ailsa).count() == 0


def test_checking_a_file_says_what_would_be_saved_and_saves_nothing(w):
    result = run(w, csv_file(ATTENDANCE, attendance_line(w.ailsa, AUTUMN)), dry_run=True)

    assert result.problems == [] and not result.saved
    assert result.records == 1 and result.by_setting == [("Riverside Primary School", 1)]
    assert not AttendanceRecord.objects.exists()


def test_a_spreadsheet_saved_as_csv_with_a_byte_order_mark_columns_in_any_order_and_trailing_commas(
    w,
):
    data = (
        "\ufeffAttended_Sessions,Candidate_Number,starts_on,ends_on,possible_sessions,,\r\n"
        f"70,{w.ailsa.candidate_number},{AUTUMN[0]},{AUTUMN[1]},76,,\r\n"
        ",,,,,,\r\n"
    ).encode()

    assert run(w, data).saved


def test_a_learner_enrolled_at_two_schools_has_the_records_at_the_importing_school(w):
    hillhead = Setting.objects.get(name="Hillhead Primary School")
    EnrolmentFactory.create(learner=w.ailsa, setting=hillhead, started_on=timezone.localdate())

    run(w, csv_file(ATTENDANCE, attendance_line(w.ailsa, AUTUMN)))

    assert AttendanceRecord.objects.get(learner=w.ailsa).setting.name == "Riverside Primary School"


def test_an_authority_officer_imports_for_the_authoritys_learners(w):
    assert run(
        w, csv_file(ATTENDANCE, attendance_line(w.ailsa, AUTUMN)), by="authority_officer"
    ).saved


@pytest.mark.parametrize(
    ("kind", "header", "values", "model"),
    [
        ("exclusions", "excluded_on,days,removed_from_register", f"{YEAR}-11-04,1.5,no", Exclusion),
        (
            "part_time_timetables",
            "starts_on,ends_on,hours_a_week,reason,reason_detail",
            f"{YEAR}-09-01,,12.5,phased_return,Back after an operation",
            PartTimeTimetable,
        ),
        (
            "mainstream_time",
            "school_year,timetabled_hours_a_week,mainstream_hours_a_week",
            f"{LABEL},25,18.5",
            MainstreamTime,
        ),
        (
            "curriculum_judgements",
            "school_year,year_group,area,level,expected_level_achieved",
            f"{LABEL},P4,reading,first,",
            CurriculumJudgement,
        ),
        (
            "qualifications",
            "awarded_on,title,framework_level",
            f"{YEAR}-08-05,National 4 English,4",
            Qualification,
        ),
        (
            "leaver_destinations",
            "left_on,destination",
            f"{YEAR + 1}-06-27,further_education",
            LeaverDestination,
        ),
    ],
)
def test_every_kind_has_its_layout(w, kind, header, values, model):
    data = csv_file(f"candidate_number,{header}", f"{w.ailsa.candidate_number},{values}")

    result = run(w, data, kind=kind)

    assert result.problems == []
    assert model.objects.filter(learner=w.ailsa).count() == 1


def test_in_scotland_the_expected_level_is_derived_and_in_wales_it_must_be_given(w):
    header = "candidate_number,school_year,year_group,area,level,expected_level_achieved"
    run(
        w,
        csv_file(header, f"{w.ailsa.candidate_number},{LABEL},P4,reading,second,no"),
        kind="curriculum_judgements",
    )
    welsh = run(
        w,
        csv_file(header, f"{w.cerys.candidate_number},{LABEL},Y5,humanities,step_2,"),
        kind="curriculum_judgements",
        by="cardiff_head",
    )

    assert CurriculumJudgement.objects.get(learner=w.ailsa).expected_level_achieved is True
    assert where(welsh) == [(2, "expected_level_achieved")]


# Bad files: nothing saved, every problem by line and column -------------------------------------


def test_a_file_with_one_bad_line_saves_nothing_and_lists_every_problem_by_line_and_column(w):
    data = csv_file(
        ATTENDANCE,
        attendance_line(w.ailsa, AUTUMN),
        f"{w.ailsa.candidate_number},{YEAR}-13-01,{WINTER[1]},76,abc",
        attendance_line(w.ailsa, WINTER, possible=60, attended=61),
    )

    result = run(w, data)

    assert where(result) == [(3, "starts_on"), (3, "attended_sessions"), (4, "attended_sessions")]
    assert (
        "Sessions attended cannot be more than the possible sessions (60)."
        in result.problems[2].message
    )
    assert not AttendanceRecord.objects.exists()
    assert not AuditEvent.objects.filter(object_type="outcome_import").exists()


def test_overlapping_periods_are_refused_in_the_file_and_against_saved_records(w):
    run(w, csv_file(ATTENDANCE, attendance_line(w.ailsa, AUTUMN)))
    data = csv_file(
        ATTENDANCE,
        attendance_line(w.ailsa, WINTER),
        attendance_line(w.ailsa, (date(YEAR, 12, 1), date(YEAR + 1, 2, 1))),
        attendance_line(w.ailsa, (date(YEAR, 10, 1), date(YEAR, 10, 20))),
    )

    result = run(w, data)

    assert where(result) == [(3, "starts_on"), (4, "starts_on")]
    assert "overlaps the period on line 2" in result.problems[0].message
    assert "overlaps attendance already recorded" in result.problems[1].message
    assert AttendanceRecord.objects.count() == 1


def test_a_period_running_past_its_school_year_or_in_the_future_is_refused(w):
    next_year = date(timezone.localdate().year + 1, 1, 5)
    data = csv_file(
        ATTENDANCE,
        attendance_line(w.ailsa, (date(YEAR + 1, 7, 1), date(YEAR + 1, 8, 20))),
        attendance_line(w.ailsa, (next_year, next_year)),
    )

    result = run(w, data)

    assert (2, "ends_on") in where(result)
    assert (3, "starts_on") in where(result)


def test_a_learner_elsewhere_is_the_same_problem_as_one_who_does_not_exist(w):
    data = csv_file(
        ATTENDANCE,
        attendance_line(w.finlay, AUTUMN),
        f"ZZ9999999999,{AUTUMN[0]},{AUTUMN[1]},76,70",
    )

    result = run(w, data)

    assert where(result) == [(2, "candidate_number"), (3, "candidate_number")]
    assert result.problems[0].message == result.problems[1].message
    assert "at your school" in result.problems[0].message
    officer = run(w, data, by="authority_officer")
    assert "in your authority" in officer.problems[0].message


def test_the_same_record_twice_in_a_file_or_already_saved_is_refused(w):
    header = "candidate_number,excluded_on,days,removed_from_register"
    line = f"{w.ailsa.candidate_number},{YEAR}-11-04,1,no"
    run(w, csv_file(header, f"{w.ailsa.candidate_number},{YEAR}-11-05,1,no"), kind="exclusions")

    result = run(
        w,
        csv_file(header, line, line, f"{w.ailsa.candidate_number},{YEAR}-11-05,2,"),
        kind="exclusions",
    )

    assert where(result) == [(3, "excluded_on"), (4, "excluded_on")]
    assert "same record as line 2" in result.problems[0].message


def test_unknown_codes_are_refused_with_the_codes_to_use(w):
    header = "candidate_number,school_year,year_group,area,level,expected_level_achieved"
    result = run(
        w,
        csv_file(header, f"{w.ailsa.candidate_number},{LABEL},P4,maths,first,"),
        kind="curriculum_judgements",
    )
    leavers = run(
        w,
        csv_file(
            "candidate_number,left_on,destination",
            f"{w.ailsa.candidate_number},{YEAR}-06-27,gap_year",
        ),
        kind="leaver_destinations",
    )

    assert where(result) == [(2, "area")]
    assert "reading, writing, listening_talking, numeracy" in result.problems[0].message
    assert where(leavers) == [(2, "destination")]
    assert "further_education" in leavers.problems[0].message


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", [(1, "")]),
        (b"\r\n\r\n", [(1, "")]),
        (csv_file(ATTENDANCE), [(None, "")]),
        (
            csv_file("candidate_number,starts_on,ends_on,possible_sessions,attendance,notes"),
            [(1, "attended_sessions"), (1, "attendance"), (1, "notes")],
        ),
        (csv_file(ATTENDANCE + ",starts_on"), [(1, "starts_on")]),
        ("candidate_number,starts_on\n\u00e9".encode("latin-1"), [(2, "")]),
        ("x".encode("utf-16"), [(None, "")]),
        (csv_file(ATTENDANCE, 'A1,"2025-08-01'), [(2, "")]),
        (csv_file(ATTENDANCE, "A1,2025-08-01,2025-09-01,1,1,extra"), [(2, "")]),
        (b"\x00\x01\x02", [(None, "")]),
        (csv_file(ATTENDANCE.replace(",", ";")), [(1, "")]),
    ],
    ids=[
        "empty",
        "blank lines",
        "header only",
        "wrong columns",
        "a column twice",
        "not UTF-8",
        "UTF-16",
        "a quote left open",
        "too many values",
        "binary",
        "semicolons",
    ],
)
def test_a_file_that_cannot_be_read_says_why_and_saves_nothing(w, data, expected):
    result = run(w, data)

    assert where(result) == expected
    assert all(problem.message for problem in result.problems)
    assert not AttendanceRecord.objects.exists()


def test_a_line_is_numbered_where_its_record_starts_counting_values_over_several_lines(w):
    header = "candidate_number,starts_on,ends_on,hours_a_week,reason,reason_detail"
    data = csv_file(
        header,
        f'{w.ailsa.candidate_number},{YEAR}-09-01,,12.5,phased_return,"Mornings.\nReviewed."',
        "",
        f"{w.ailsa.candidate_number},{YEAR}-10-01,,40,health,",
    )

    result = run(w, data, kind="part_time_timetables")

    assert where(result) == [(5, "hours_a_week")]


def test_a_file_with_more_records_than_the_limit_is_refused_at_the_first_line_over_it(w):
    line = attendance_line(w.ailsa, AUTUMN)
    data = csv_file(ATTENDANCE, *[line] * (MAX_ROWS + 1))

    result = run(w, data, dry_run=True)

    assert where(result) == [(MAX_ROWS + 2, "")]


def test_a_record_saved_by_someone_else_while_checking_rolls_the_whole_import_back(w, monkeypatch):
    manager = AttendanceRecord.objects
    real_bulk_create = manager.bulk_create

    def first_batch_then_a_clash(records, batch_size):
        real_bulk_create(records[:1])
        raise IntegrityError("a record saved meanwhile meets a unique constraint")

    monkeypatch.setattr(manager, "bulk_create", first_batch_then_a_clash)
    data = csv_file(ATTENDANCE, attendance_line(w.ailsa, AUTUMN), attendance_line(w.ailsa, WINTER))

    result = run(w, data)

    assert where(result) == [(None, "")] and not result.saved
    assert "saved by someone else" in result.problems[0].message
    assert not AttendanceRecord.objects.exists()
    assert not AuditEvent.objects.filter(object_type="outcome_import").exists()


def test_only_those_who_record_outcomes_may_import(w):
    data = csv_file(ATTENDANCE, attendance_line(w.ailsa, AUTUMN))
    for name in ["teacher", "parent"]:
        with pytest.raises(CapabilityRequired):
            run(w, data, by=name)
    assert not AttendanceRecord.objects.exists()


def test_checking_a_file_takes_as_many_queries_whatever_its_length(w):
    def queries(count: int) -> int:
        lines = [
            attendance_line(w.ailsa, (date(YEAR, 8, 1 + day), date(YEAR, 8, 1 + day)))
            for day in range(count)
        ]
        with CaptureQueriesContext(connection) as captured:
            assert run(w, csv_file(ATTENDANCE, *lines), dry_run=True).problems == []
        return len(captured)

    assert queries(2) == queries(25)


def test_the_how_to_shows_every_layout_and_its_example_file_imports(w):
    how_to = (DOCS / "outcome-imports.md").read_text()
    example = (DOCS / "outcome-imports-attendance.csv").read_text()
    example = example.replace("1234567890123", w.ailsa.candidate_number)
    example = example.replace("1234567890124", w.rory.candidate_number)

    for layout in LAYOUTS.values():
        assert ",".join(layout.headers) in how_to
        for column in layout.columns:
            assert f"`{column.name}`" in how_to
    assert run(w, example.encode(), dry_run=True).problems == []


# Properties -----------------------------------------------------------------------------------

PROPERTIES = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
days_of_the_year = st.integers(min_value=0, max_value=300)


def _periods(starts: list[int]) -> list[tuple[date, date]]:
    """Periods of one day each, on distinct days of the school year: none overlap."""
    first = date(YEAR, 8, 1).toordinal()
    return [(date.fromordinal(first + d), date.fromordinal(first + d)) for d in sorted(set(starts))]


@PROPERTIES
@given(
    starts=st.lists(days_of_the_year, min_size=1, max_size=15),
    blank_lines=st.lists(st.booleans(), max_size=15),
)
def test_a_good_file_round_trips(w, starts, blank_lines):
    periods = _periods(starts)
    lines = [ATTENDANCE]
    for index, period in enumerate(periods):
        lines.append(attendance_line(w.ailsa, period, possible=2, attended=index % 3))
        if index < len(blank_lines) and blank_lines[index]:
            lines.append("")
    with transaction.atomic():
        result = run(w, csv_file(*lines))
        saved = sorted(
            AttendanceRecord.objects.filter(learner=w.ailsa).values_list(
                "starts_on", "attended_sessions"
            )
        )
        transaction.set_rollback(True)

    assert result.problems == []
    assert saved == [(period[0], index % 3) for index, period in enumerate(periods)]


@PROPERTIES
@given(
    starts=st.lists(days_of_the_year, min_size=2, max_size=15, unique=True),
    bad=st.data(),
    blank_lines=st.lists(st.booleans(), max_size=15),
)
def test_any_file_with_a_bad_line_saves_nothing_and_names_the_real_line(
    w, starts, bad, blank_lines
):
    periods = _periods(starts)
    wrong = bad.draw(st.integers(min_value=0, max_value=len(periods) - 1))
    lines = [ATTENDANCE]
    bad_line = 0
    for index, period in enumerate(periods):
        if index == wrong:
            bad_line = len(lines) + 1
            lines.append(attendance_line(w.ailsa, period, possible=2, attended=3))
        else:
            lines.append(attendance_line(w.ailsa, period, possible=2, attended=1))
        if index < len(blank_lines) and blank_lines[index]:
            lines.append("")

    result = run(w, csv_file(*lines))

    assert result.problems == [Problem(bad_line, "attended_sessions", result.problems[0].message)]
    assert lines[bad_line - 1].endswith(",2,3")
    assert not AttendanceRecord.objects.exists()


@PROPERTIES
@given(st.binary(max_size=400))
def test_no_bytes_whatever_make_the_import_fail_or_save(w, data):
    result = run(w, data)

    assert result.problems
    assert not AttendanceRecord.objects.exists()


# The page --------------------------------------------------------------------------------------


def client_of(w: ImportWorld, name: str) -> Client:
    client = Client()
    client.force_login(w.users[name])
    return client


def post(client: Client, data: bytes, action: str, kind: str = "attendance") -> Any:
    upload = SimpleUploadedFile("outcomes.csv", data, content_type="text/csv")
    return client.post(reverse("outcome_import"), {"kind": kind, "file": upload, "action": action})


def test_school_leaders_find_the_import_on_their_home_page_and_teachers_do_not(w):
    assert reverse("outcome_import") in client_of(w, "head").get(reverse("home")).content.decode()
    assert (
        reverse("outcome_import")
        not in client_of(w, "teacher").get(reverse("home")).content.decode()
    )
    assert client_of(w, "teacher").get(reverse("outcome_import")).status_code == 403


def test_the_page_documents_every_layout(w):
    page = client_of(w, "head").get(reverse("outcome_import")).content.decode()

    for column in ["possible_sessions", "removed_from_register", "reason_detail", "destination"]:
        assert f"<code>{column}</code>" in page
    assert "listening_talking" in page and "step_5" in page


def test_checking_then_importing_a_file_on_the_page(w):
    client = client_of(w, "head")
    data = csv_file(ATTENDANCE, attendance_line(w.ailsa, AUTUMN))

    checked = post(client, data, "check")
    imported = post(client, data, "import")

    assert "What the file would save" in checked.content.decode()
    assert not checked.context["result"].saved
    assert imported.context["result"].saved
    assert "1 record was saved." in imported.content.decode()
    assert AttendanceRecord.objects.filter(learner=w.ailsa).count() == 1


def test_the_page_lists_each_problem_by_line_and_column_and_saves_nothing(w):
    data = csv_file(ATTENDANCE, attendance_line(w.ailsa, AUTUMN, possible=5, attended=6))

    response = post(client_of(w, "head"), data, "import")

    page = response.content.decode()
    assert response.status_code == 200
    assert "The file has 1 problem: nothing was saved" in page
    assert "<code>attended_sessions</code>" in page
    assert not AttendanceRecord.objects.exists()


@pytest.mark.parametrize(
    "data", [b"", b"\xff\xfe\x00a", "caf\u00e9".encode("cp1252"), b'a,b\n"x', b"\x00" * 10]
)
def test_no_bad_file_is_a_server_error(w, data):
    response = post(client_of(w, "head"), data, "import")

    assert response.status_code == 200
    assert not AttendanceRecord.objects.exists()


def test_the_page_without_a_file_or_a_kind_says_what_to_choose(w):
    response = client_of(w, "head").post(reverse("outcome_import"), {"action": "check"})

    assert response.status_code == 200
    assert "Choose a CSV file to check or import." in response.content.decode()
    assert "Choose which records the file holds." in response.content.decode()


def test_the_page_in_welsh(w):
    w.users["head"].preferred_language = "cy"
    w.users["head"].save()
    data = csv_file(ATTENDANCE, f"ZZ1,{AUTUMN[0]},{AUTUMN[1]},76,70")

    response = post(client_of(w, "head"), data, "check")

    page = response.content.decode()
    assert "Mewnforio cofnodion canlyniadau" in page
    assert "Does dim dysgwr â&#x27;r rhif ymgeisydd hwn yn eich ysgol" in page
