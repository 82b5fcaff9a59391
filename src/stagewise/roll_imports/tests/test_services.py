"""Roll imports (ADR 0052): checked by line, saved all or nothing, the same file again changes
nothing, leavers ended only when confirmed, malformed files refused by line and column. One
world for the module; each test rolls back what it does."""

import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import tablib
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from stagewise.audit.models import AuditEvent
from stagewise.conftest import build_world, make_administrator, make_authority_officer, staff_member
from stagewise.data_protection.services import retention_review_run
from stagewise.learners.models import Enrolment, Learner, LearnerCarer, StaffRelationship
from stagewise.organisations.models import Role
from stagewise.policy import SYSTEM
from stagewise.roll_imports.forms import RollImportForm
from stagewise.roll_imports.models import ColumnMapping, RollImport, RollImportStatus
from stagewise.roll_imports.services import (
    column_mapping_change,
    column_mapping_create,
    column_mapping_reinstate,
    column_mapping_retire,
    roll_import_check,
    roll_import_start,
    roll_imports_expire,
)
from stagewise.roll_imports.tasks import run_roll_import
from stagewise.testing.factories import enrolled_learner
from stagewise.testing.plans import acting
from stagewise.testing.worlds import built_once_per_module

HEADER = (
    "Candidate Number,Legal Forename,Legal Surname,Preferred Forename,Date of Birth,Sex,"
    "Year Group,School Reference,Date of Entry,Contact Name,Contact Relationship,"
    "Contact Email,Contact Telephone,Class Teacher Email,Ethnicity"
)


class Place:
    def __init__(self) -> None:
        self.world = build_world()
        self.head = staff_member("head@example.org", Role.HEAD_TEACHER, setting=self.world.school)
        self.teacher = staff_member(
            "teacher@example.org", Role.CLASS_TEACHER, setting=self.world.school
        )
        self.officer = make_authority_officer(self.world)
        self.administrator = make_administrator(self.world)
        self.leaver = enrolled_learner(self.world.school, legal_first_name="Lewis")
        self.mapping = ColumnMapping.objects.get(name="Generic census export")


@pytest.fixture(scope="module")
def place(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Place]:
    with built_once_per_module(Place, django_db_blocker) as built:
        yield built


def export(*lines: str) -> bytes:
    return "\n".join([HEADER, *lines, ""]).encode()


def school_file(place: Place) -> bytes:
    ailsa = place.world.learner
    return export(
        f"{ailsa.candidate_number},Ailsa,Campbell,Ally,{ailsa.date_of_birth:%d/%m/%Y},F,S5,,"
        ",Morag Campbell,MUM,morag@example.org,07700 900001,teacher@example.org,White",
        "912345670,Rory,MacLeod,,03/02/2010,M,S6,,18/08/2025,Iain MacLeod,DAD,,,"
        "teacher@example.org,",
        "912345671,Isla,Grant,,2011-07-14,F,S4,,,,,,,,",
    )


def check(place: Place, content: bytes, user: Any = None) -> Any:
    return roll_import_check(
        actor=acting(user or place.head),
        mapping=place.mapping,
        file_name="roll.csv",
        content=content,
    )


def run(place: Place, roll_import: Any, capture: Any, **leavers: Any) -> Any:
    with capture(execute=True):
        roll_import_start(
            actor=acting(place.head),
            roll_import=roll_import,
            leavers_to_end=leavers.get("leavers_to_end", []),
            leavers_end_on=leavers.get("leavers_end_on"),
        )
    roll_import.refresh_from_db()
    return roll_import


@pytest.mark.django_db
def test_a_school_file_is_checked_then_imported_and_the_same_file_again_changes_nothing(
    place: Place, django_capture_on_commit_callbacks: Any
) -> None:
    learners_before = Learner.objects.count()

    checked = check(place, school_file(place))

    assert checked.status == RollImportStatus.CHECKED
    assert checked.report["counts"] == {
        "create": 2,
        "update": 1,
        "unchanged": 0,
        "reject": 0,
        "leavers": 1,
    }
    ailsa_line = checked.report["lines"][0]
    assert (ailsa_line["line"], ailsa_line["action"]) == (2, "update")
    assert set(ailsa_line["changes"]) == {"preferred_name", "carer", "class_teacher"}
    assert Learner.objects.count() == learners_before  # the dry run saved nothing
    leaver_enrolment = Enrolment.objects.get(learner=place.leaver)
    assert checked.report["leavers"] == [[leaver_enrolment.pk, place.leaver.pk]]

    done = run(
        place,
        checked,
        django_capture_on_commit_callbacks,
        leavers_to_end=[leaver_enrolment.pk],
        leavers_end_on=date.today(),
    )

    assert done.status == RollImportStatus.DONE
    assert done.report["saved"] == {"created": 2, "updated": 1, "ended": 1}
    rory = Learner.objects.get(candidate_number="912345670")
    assert (rory.legal_first_name, rory.sex, rory.date_of_birth) == (
        "Rory",
        "male",
        date(2010, 2, 3),
    )
    assert rory.enrolments.get().started_on == date(2025, 8, 18)
    assert rory.carer_links.get().relationship == "father"
    assert StaffRelationship.objects.filter(learner=rory, staff=place.teacher).exists()
    place.world.learner.refresh_from_db()
    assert place.world.learner.preferred_name == "Ally"
    assert LearnerCarer.objects.get(learner=place.world.learner).carer.email == "morag@example.org"
    leaver_enrolment.refresh_from_db()
    assert leaver_enrolment.ended_on == date.today()
    purposes = set(AuditEvent.objects.values_list("purpose", flat=True))
    assert {"check roll import", "start roll import", "import roll"} <= purposes
    assert AuditEvent.objects.filter(learner_key__key=rory.audit_key.key).exists()
    assert done.content == b""

    again = check(place, school_file(place))

    assert again.report["counts"] == {
        "create": 0,
        "update": 0,
        "unchanged": 3,
        "reject": 0,
        "leavers": 0,
    }
    assert run(place, again, django_capture_on_commit_callbacks).report["saved"] == {
        "created": 0,
        "updated": 0,
        "ended": 0,
    }


@pytest.mark.django_db
def test_a_malformed_file_is_refused_by_line_and_column_and_nothing_is_saved(
    place: Place, django_capture_on_commit_callbacks: Any
) -> None:
    elsewhere = place.world.other_learner
    content = export(
        "912345670,Rory,MacLeod,,30/02/2010,M,S6,,,,,,,,",
        "912345671,Isla,Grant,,14/07/2011,X,S9,,,,,,,nobody@example.org,",
        "912345671,Isla,Grant,,14/07/2011,F,S4,,,,,,,,",
        # Another school's learner, with a date of birth that is not theirs: the line says only
        # that they are at another school, never whether the date was right.
        f"{elsewhere.candidate_number},Finlay,Reid,,01/01/2013,M,P7,,,,,,,,",
        "12345,Kirsty,Muir,,01/01/2012,F,P6,,,,,,,,",
        ",Kirsty,,,01/01/2012,F,P6,,,,,,,,",
    )
    learners_before = Learner.objects.count()

    checked = check(place, content)

    assert checked.status == RollImportStatus.REJECTED
    checked.refresh_from_db(fields=["content"])
    assert bytes(checked.content) == b""  # a refused file is never run, so it is not kept
    problems = {
        (line["line"], column)
        for line in checked.report["lines"]
        for column, _message in line["problems"]
    }
    assert problems == {
        (2, "Date of Birth"),
        (3, "Sex"),
        (3, "Year Group"),
        (3, "Class Teacher Email"),
        (4, "Candidate Number"),
        (5, "Candidate Number"),
        (6, "Candidate Number"),
        (7, "Candidate Number"),
        (7, "Legal Surname"),
    }
    messages = {line["line"]: line["problems"][0][1] for line in checked.report["lines"]}
    assert "not a day that exists" in messages[2]
    assert "also on line 3" in messages[4]
    assert "enrolled at another school" in messages[5]
    with pytest.raises(ValidationError):
        roll_import_start(actor=acting(place.head), roll_import=checked, leavers_to_end=[])
    assert Learner.objects.count() == learners_before

    missing = check(place, b"Candidate Number,Legal Forename\n912345670,Rory\n")
    latin = check(
        place,
        export("912345670,Ròry,MacLeod,,03/02/2010,M,S6,,,,,,,,").replace("ò".encode(), b"\xf2"),
    )

    assert {(line, column) for line, column, _message in missing.report["file_problems"]} == {
        (1, "legal surname"),
        (1, "date of birth"),
        (1, "sex"),
        (1, "year group"),
    }
    assert latin.report["file_problems"][0][:2] == [2, ""]
    assert "UTF-8" in latin.report["file_problems"][0][2]


@pytest.mark.django_db
def test_an_authority_file_names_each_school_and_a_spreadsheet_reads_as_its_csv(
    place: Place,
) -> None:
    school, other = place.world.school, place.world.other_school
    school.reference_number, other.reference_number = "8400001", "8400002"
    school.save()
    other.save()
    dataset = tablib.Dataset(headers=HEADER.split(","))
    for values in (
        ["912345680", "Ewan", "Scott", "", date(2013, 1, 9), "M", "P6", "8400001"],
        ["912345681", "Skye", "Ross", "", date(2014, 4, 2), "F", "P5", "8400002"],
        ["912345681", "Skye", "Ross", "", date(2014, 4, 2), "F", "P5", "8400001"],
        ["912345682", "Cara", "Bell", "", date(2014, 4, 2), "F", "P5", "9999999"],
    ):
        dataset.append([*values, *[""] * (len(dataset.headers) - len(values))])
    workbook = dataset.export("xlsx")

    checked = check(place, workbook, user=place.officer)

    problems = {
        line["line"]: line["problems"] for line in checked.report["lines"] if line["problems"]
    }
    assert set(problems) == {4, 5}
    assert "at another school" in problems[4][0][1]
    assert problems[5][0][0] == "School Reference"
    assert checked.report["counts"]["create"] == 2
    # The authority's leavers are those of the schools its file has lines for.
    assert (
        len(checked.report["leavers"])
        == Enrolment.objects.current().filter(setting__in=[school, other]).count()
    )


@pytest.mark.django_db
def test_checking_a_file_reads_the_same_number_of_queries_whatever_its_length(
    place: Place,
) -> None:
    def lines(count: int) -> bytes:
        return export(
            *[
                f"{913000000 + n},Pupil,Number{n},,01/01/2012,F,P6,,,Carer {n},MUM,,,"
                "teacher@example.org,"
                for n in range(count)
            ]
        )

    with CaptureQueriesContext(connection) as small:
        check(place, lines(5))
    with CaptureQueriesContext(connection) as large:
        check(place, lines(300))

    assert len(large) == len(small)


@pytest.mark.django_db
def test_an_administrator_adds_a_mapping_and_only_an_administrator(place: Place) -> None:
    columns = {
        "candidate_number": "UPN",
        "legal_first_name": "Forename",
        "legal_last_name": "Surname",
        "date_of_birth": "DOB",
        "sex": "Gender",
        "year_group": "NC Year",
    }

    mapping = column_mapping_create(
        actor=acting(place.administrator), name="Welsh MIS", columns=columns, date_order="iso"
    )

    assert mapping.headers == ["upn", "forename", "surname", "dob", "gender", "nc year"]
    with pytest.raises(ValidationError) as refused:
        column_mapping_create(
            actor=acting(place.administrator),
            name="Half a mapping",
            columns={"candidate_number": "UPN", "year_group": "UPN"},
            date_order="iso",
        )
    assert set(refused.value.message_dict) == {"columns"}
    with pytest.raises(PermissionDenied):
        column_mapping_create(
            actor=acting(place.head), name="Another", columns=columns, date_order="iso"
        )


@pytest.mark.django_db
def test_a_changed_mapping_reads_the_next_file_and_a_retired_one_is_offered_until_brought_back(
    place: Place,
) -> None:
    administrator = acting(place.administrator)
    columns = dict(place.mapping.columns)
    past_import = check(place, school_file(place))

    changed = column_mapping_change(
        actor=administrator,
        mapping=place.mapping,
        name=place.mapping.name,
        description="Renamed by the system's supplier.",
        columns=columns | {"candidate_number": "SCN"},
        date_order=place.mapping.date_order,
    )
    assert changed.column_for("candidate_number") == "scn"
    renamed = school_file(place).replace(b"Candidate Number", b"SCN", 1)

    def check_with(mapping: ColumnMapping) -> Any:
        return roll_import_check(
            actor=acting(place.head), mapping=mapping, file_name="roll.csv", content=renamed
        )

    assert check_with(changed).status == RollImportStatus.CHECKED
    event = AuditEvent.objects.get(purpose="change column mapping")
    assert set(event.changes or {}) == {"description", "columns"}

    with pytest.raises(ValidationError, match="only mapping"):
        column_mapping_retire(actor=administrator, mapping=place.mapping)
    column_mapping_create(
        actor=administrator, name="Its replacement", columns=columns, date_order="iso"
    )
    column_mapping_retire(actor=administrator, mapping=place.mapping)

    offered = RollImportForm().fields["mapping"]
    assert isinstance(offered, forms.ModelChoiceField) and offered.queryset is not None
    assert place.mapping not in offered.queryset
    retired = ColumnMapping.objects.get(pk=place.mapping.pk)
    with pytest.raises(ValidationError) as refused:
        check_with(retired)
    assert set(refused.value.message_dict) == {"mapping"}
    past_import.refresh_from_db()
    assert past_import.mapping == place.mapping  # past imports still name what read them
    with pytest.raises(PermissionDenied):
        column_mapping_retire(actor=acting(place.head), mapping=place.mapping)

    # Brought back, it is offered again (audited); a mapping in use cannot be brought back.
    column_mapping_reinstate(actor=administrator, mapping=place.mapping)
    offered_again = RollImportForm().fields["mapping"]
    assert isinstance(offered_again, forms.ModelChoiceField) and offered_again.queryset is not None
    assert place.mapping in offered_again.queryset
    assert AuditEvent.objects.filter(purpose="reinstate column mapping").count() == 1
    with pytest.raises(ValidationError, match="not retired"):
        column_mapping_reinstate(actor=administrator, mapping=place.mapping)


@pytest.mark.django_db
def test_the_retention_review_deletes_unused_files_and_removes_imports_past_their_schedule(
    place: Place, django_capture_on_commit_callbacks: Any
) -> None:
    now = timezone.now()
    unused = check(place, school_file(place))
    RollImport.objects.filter(pk=unused.pk).update(created_at=now - timedelta(days=8))
    recent = check(place, school_file(place))
    old = check(place, school_file(place))
    RollImport.objects.filter(pk=old.pk).update(
        created_at=now - timedelta(days=366), status=RollImportStatus.DONE, content=b""
    )

    result = retention_review_run(actor=SYSTEM)

    assert result.expired["roll_imports.RollImport"] == {"abandoned": 1, "deleted": 1}
    assert not RollImport.objects.filter(pk=old.pk).exists()
    unused.refresh_from_db()
    assert (unused.status, bytes(unused.content)) == (RollImportStatus.ABANDONED, b"")
    recent.refresh_from_db()
    assert (recent.status, bytes(recent.content)) == (RollImportStatus.CHECKED, school_file(place))
    with pytest.raises(ValidationError):  # an abandoned import cannot run: its file is gone
        roll_import_start(actor=acting(place.head), roll_import=unused, leavers_to_end=[])
    # Nor does a run queued before it was abandoned (a worker down for a week).
    assert run_roll_import.call(str(unused.public_id)) == RollImportStatus.ABANDONED
    with pytest.raises(PermissionDenied):
        roll_imports_expire(actor=acting(place.head), kept_for_years=1)  # type: ignore[arg-type]


def test_the_spreadsheet_reader_keeps_row_numbers_when_rows_are_empty() -> None:
    from stagewise.roll_imports.reading import _read_spreadsheet

    dataset = tablib.Dataset(headers=["Candidate Number"])
    dataset.append(["912345670"])
    dataset.append([None])
    dataset.append([912345671.0])
    mapping = ColumnMapping(name="Numbers", columns={"candidate_number": "Candidate Number"})
    problems: list[Any] = []

    rows = _read_spreadsheet(dataset.export("xlsx"), mapping, problems)

    assert problems == []
    assert [(row.line, row.cells["candidate number"]) for row in rows] == [
        (2, "912345670"),
        (4, "912345671"),
    ]


HOWTO = Path(__file__).resolve().parents[4] / "docs" / "howto" / "roll-imports.md"


@pytest.mark.django_db
def test_the_how_to_names_every_column_of_the_shipped_mapping_and_its_example_imports(
    place: Place,
) -> None:
    text = HOWTO.read_text()
    example = re.search(r"```csv\n(.*?)```", text, re.DOTALL)
    assert example is not None
    staff_member("j.brown@riverside.example.org", Role.CLASS_TEACHER, setting=place.world.school)

    checked = check(place, example.group(1).encode())

    assert all(f"`{column}`" in text for column in place.mapping.columns.values())
    assert checked.report["counts"]["create"] == 3
    assert checked.status == RollImportStatus.CHECKED


CELLS = st.text(alphabet='0123456789/-,"\n ABFMPSabz\u00f2\x00', max_size=12)


@pytest.mark.django_db
@hypothesis_settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    cells=st.lists(st.lists(CELLS, min_size=1, max_size=16), max_size=4),
    encoding=st.sampled_from(["utf-8", "utf-16", "latin-1"]),
)
def test_any_file_is_checked_or_refused_with_a_message_and_never_raises(
    place: Place, cells: list[list[str]], encoding: str
) -> None:
    text = "\n".join([HEADER, *(",".join(row) for row in cells)])

    checked = check(place, text.encode(encoding, errors="replace"))

    assert checked.status in (RollImportStatus.CHECKED, RollImportStatus.REJECTED)
    problems = [message for _line, _column, message in checked.report["file_problems"]] + [
        message for line in checked.report["lines"] for _column, message in line["problems"]
    ]
    assert all(problems)
    assert (checked.status == RollImportStatus.REJECTED) == bool(problems)
