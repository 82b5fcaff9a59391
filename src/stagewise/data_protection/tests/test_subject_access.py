"""A subject access export of a demo-like learner: Ailsa Campbell of Riverside Primary, Glasgow,
with needs, plans (finalised, being revised, draft), clocks, requests with consent and a file,
a meeting, a rights request, a disagreement, a transition and an attendance record (the access
harness's world). Her class teacher and head have opened her record; Glasgow's data protection
officer exports it. Built once for the module; the two PDFs are rendered once each."""

import io
import json
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from stagewise.audit.models import AuditAction, AuditEvent
from stagewise.data_protection.registry import RECORD_TYPES, SECTIONS
from stagewise.data_protection.subject_access import safe_name
from stagewise.organisations.models import Role
from stagewise.printing import missing_pdf_library
from stagewise.testing.access_harness import World, world_for_module
from stagewise.testing.data_protection import SPEC
from stagewise.testing.pdf import pdf_metadata, pdf_text


@pytest.fixture(scope="module")
def module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with world_for_module(SPEC, django_db_blocker) as built:
        with django_db_blocker.unblock():
            ailsa = built.learners["learner"].learner
            for name in ("teacher", "head", "teacher"):
                built.client(name).get(reverse("learners:profile", args=[ailsa.public_id]))
        yield built


@pytest.fixture(scope="module")
def exported(module_world: World, django_db_blocker: Any) -> dict[str, Any]:
    """The ZIP and both PDFs, each asked for once by Glasgow's data protection officer."""
    ailsa = module_world.learners["learner"].learner
    client = module_world.client("data_protection_officer")
    with django_db_blocker.unblock():
        archive = client.get(reverse("data_protection:download", args=[ailsa.public_id]))
        pdfs = {}
        if missing_pdf_library() is None:
            for language in ("en", "cy"):
                pdfs[language] = client.get(
                    reverse("data_protection:pdf", args=[ailsa.public_id]), {"language": language}
                )
        exports = list(
            AuditEvent.objects.filter(
                learner_key__learner=ailsa, action=AuditAction.EXPORT
            ).order_by("pk")
        )
    return {"zip": archive, "pdfs": pdfs, "exports": exports}


@pytest.fixture(autouse=True)
def _each_test_in_its_own_savepoint(db: None) -> None:
    """pytest-django's `db`: nothing a test writes outlives it."""


@pytest.fixture
def bundle(exported: dict[str, Any]) -> zipfile.ZipFile:
    assert exported["zip"].status_code == 200
    return zipfile.ZipFile(io.BytesIO(exported["zip"].content))


def read(bundle: zipfile.ZipFile, name: str) -> Any:
    return json.loads(bundle.read(name))


def test_the_bundle_has_a_manifest_and_one_file_for_every_record_type(bundle):
    manifest = read(bundle, "manifest.json")

    assert [entry["record_type"] for entry in manifest["record_types"]] == [
        record_type.label for record_type in RECORD_TYPES
    ]
    assert {entry["section"] for entry in manifest["record_types"]} == {s.key for s in SECTIONS}
    for entry in manifest["record_types"]:
        assert len(read(bundle, entry["file"])) == entry["records"]


def test_every_part_of_a_demo_like_record_is_in_the_bundle(bundle):
    counts = {e["record_type"]: e["records"] for e in read(bundle, "manifest.json")["record_types"]}

    for label in (
        "learners.Learner",
        "learners.Enrolment",
        "learners.LearnerCarer",
        "learners.Carer",
        "learners.Need",
        "learners.WellbeingAssessment",
        "statutory.StatutoryProcess",
        "planning.Plan",
        "planning.PlanVersion",
        "planning.Target",
        "planning.PlanReview",
        "families.ReviewViewsInvitation",
        "coordination.Meeting",
        "coordination.RequestForAssistance",
        "coordination.SharingConsent",
        "coordination.RequestAttachment",
        "coordination.Contribution",
        "families.RightsRequest",
        "disagreements.Disagreement",
        "learners.Transition",
        "measurement.AttendanceRecord",
        "notifications.Notification",
        "audit.AuditEvent",
    ):
        assert counts[label] > 0, label
    learner = read(bundle, "learners.learner.json")[0]
    assert (learner["legal_first_name"], learner["legal_last_name"]) == ("Ailsa", "Campbell")
    assert learner["staff_notes"] == "Staff only: settles best with a visual timetable."
    # The file sent with a request is there beside its record.
    assert any(name.startswith("attachments/") for name in bundle.namelist())


def test_the_audit_trail_says_who_accessed_the_record_in_what_role_and_when(bundle):
    trail = read(bundle, "audit.auditevent.json")
    views = [e for e in trail if e["action"] == AuditAction.VIEW and e["purpose"]]
    teachers = [e for e in views if e["user_label"].startswith("Morag Teacher")]
    heads = [e for e in views if e["user_label"].startswith("Iain Head")]

    assert len(teachers) >= 2 and heads
    assert {e["role"] for e in teachers} == {Role.CLASS_TEACHER}
    assert teachers[0]["organisation_label"] == "Riverside Primary School"
    assert all(e["occurred_at"] for e in trail)
    # A member of staff's network address is theirs, not the learner's.
    assert all("ip_address" not in e for e in trail)


def test_the_export_itself_is_recorded_against_the_learner(exported, bundle):
    exports = [e for e in exported["exports"] if e.object_type == "subject_access"]

    assert [e.detail["format"] for e in exports][:1] == ["zip"]
    assert {e.role for e in exports} == {Role.DATA_PROTECTION_OFFICER}
    # The bundle's own trail ends with the export that made it.
    assert read(bundle, "audit.auditevent.json")[-1]["object_type"] == "subject_access"


@pytest.mark.skipif(missing_pdf_library() is not None, reason="WeasyPrint's libraries missing")
@pytest.mark.parametrize(
    ("language", "heading", "access_heading"),
    [
        ("en", "Everything held about Ailsa", "Who accessed the record"),
        ("cy", "Popeth a gedwir am Ailsa", "Pwy a agorodd y cofnod"),
    ],
)
def test_the_readable_copy_is_a_tagged_pdf_in_each_language(
    exported, language, heading, access_heading
):
    response = exported["pdfs"][language]
    assert response.status_code == 200
    text = pdf_text(response.content)
    metadata = pdf_metadata(response.content)

    assert heading in text
    assert access_heading in text
    assert "Morag Teacher" in text
    assert metadata["language"] == language
    assert metadata["tagged"] and metadata["pdfua_part"] == 1
    assert "Table" in metadata["structure_types"]


def test_an_attached_files_name_cannot_leave_its_folder_in_the_zip():
    for name in ("../../etc/passwd", "..\\report.pdf", ".hidden", ""):
        safe = safe_name(name)
        assert safe and "/" not in safe and "\\" not in safe and not safe.startswith(".")
    assert safe_name("Speech report 2026.pdf") == "Speech report 2026.pdf"
