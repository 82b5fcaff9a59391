"""Files sent with a request for assistance: checked by content, not by name, before anything is
stored; stored through Django's storage API under a random name; added and removed only while
the request is a draft, by those who make requests; served only through access-checked downloads
that the audit records.

The requester's side of every address is in the access harness (tests/test_access_harness.py);
the service's side, which names no learner, is specified here."""

import html
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.test import Client, override_settings
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stagewise.audit.models import AuditAction, AuditEvent
from stagewise.coordination import file_types
from stagewise.coordination.file_types import clean_name, detect_type
from stagewise.coordination.models import (
    AttachmentType,
    ConsentGivenBy,
    ConsentMethod,
    RequestAttachment,
    RequestForAssistance,
)
from stagewise.coordination.services import (
    attachment_add,
    attachment_remove,
    consent_record,
    request_accept,
    request_draft,
    request_send,
)
from stagewise.coordination.services.attachments import attachment_check
from stagewise.policy import SYSTEM
from stagewise.testing.audit import learner_of
from stagewise.testing.files import (
    DOC_BYTES,
    JPEG_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    XLS_BYTES,
    docx_bytes,
    pdf_upload,
    upload,
)
from stagewise.testing.plans import acting

PROJECT_DIR = Path(__file__).resolve().parents[4]

# How each accepted type begins, written out here rather than read from the code under test.
SIGNATURES = {
    ".pdf": b"%PDF-",
    ".png": b"\x89PNG\r\n\x1a\n",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
    ".doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    ".docx": b"PK\x03\x04",
}
EXAMPLES = {
    ".pdf": PDF_BYTES,
    ".png": PNG_BYTES,
    ".jpg": JPEG_BYTES,
    ".doc": DOC_BYTES,
    ".docx": docx_bytes(),
}


def stored_names() -> set[str]:
    _folders, files = default_storage.listdir("request-attachments")
    return set(files)


def draft(learner, service) -> RequestForAssistance:
    return request_draft(
        actor=SYSTEM,
        learner=learner,
        service=service,
        reason="Hard to understand in class.",
        tried="Small-group language work.",
        tried_for="A term",
        learner_views="Would like help.",
        family_views="Agree.",
    )


def sent(request: RequestForAssistance) -> RequestForAssistance:
    consent_record(
        actor=SYSTEM,
        request=request,
        given_by=ConsentGivenBy.PARENT,
        given_by_name="Claire Campbell",
        given_on=date(2025, 9, 1),
        method=ConsentMethod.IN_WRITING,
        parts=[],
    )
    return request_send(actor=SYSTEM, request=request)


@pytest.fixture
def request_with_file(world, support_lead):
    """A draft from Riverside to the speech and language therapy service, a report attached."""
    request = draft(world.learner, world.agency)
    attachment = attachment_add(
        actor=acting(support_lead), request=request, upload=pdf_upload("Speech report.pdf")
    )
    return request, attachment


def downloaded(response) -> bytes:
    """The body of a download, streamed."""
    return b"".join(response.streaming_content)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def files_url(request: RequestForAssistance) -> str:
    return reverse("request_files:add", args=[request.learner.public_id, request.public_id])


def download_url(attachment: RequestAttachment) -> str:
    request = attachment.request
    return reverse(
        "request_files:download",
        args=[request.learner.public_id, request.public_id, attachment.public_id],
    )


def service_download_url(attachment: RequestAttachment) -> str:
    return reverse(
        "service_request_files:download",
        args=[attachment.request.public_id, attachment.public_id],
    )


# What a file is, by its content --------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PDF_BYTES, AttachmentType.PDF),
        (PNG_BYTES, AttachmentType.PNG),
        (JPEG_BYTES, AttachmentType.JPEG),
        (DOC_BYTES, AttachmentType.DOC),
        (docx_bytes(), AttachmentType.DOCX),
        # An OLE container holding a spreadsheet, not a Word document.
        (XLS_BYTES, None),
        # A zip that is not a Word package (a spreadsheet's parts), and a broken zip.
        (docx_bytes(("[Content_Types].xml", "xl/workbook.xml")), None),
        (b"PK\x03\x04 not really a zip", None),
        # Text, a script, an executable, nothing.
        (b"Dear service,\nplease see Ailsa.", None),
        (b"<html><script>alert(1)</script></html>", None),
        (b"MZ\x90\x00\x03", None),
        (b"", None),
    ],
    ids=[
        "pdf",
        "png",
        "jpeg",
        "doc",
        "docx",
        "xls",
        "xlsx",
        "broken-zip",
        "text",
        "html",
        "exe",
        "empty",
    ],
)
def test_a_file_is_known_by_its_content(content, expected):
    assert detect_type(upload("any-name", content)) == expected


def test_a_word_package_hidden_after_other_bytes_is_not_a_word_document():
    """A zip reader finds a zip at the end of any file; a .docx must begin as one."""
    assert detect_type(upload("x.docx", b"GIF89a" + docx_bytes())) is None


@pytest.mark.parametrize(
    ("name", "cleaned"),
    [
        ("report.pdf", "report.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\head\\Ailsa assessment.docx", "Ailsa assessment.docx"),
        ("Adroddiad lleferydd \u2013 Medi.pdf", "Adroddiad lleferydd \u2013 Medi.pdf"),
        ("invoice\u202egpj.exe.pdf", "invoicegpj.exe.pdf"),  # no right-to-left override
        ("tab\there\nnew line.png", "tab here new line.png"),
        ('what?<is>"this"|*.jpg', "whatisthis.jpg"),
        ("  . trailing dots and spaces . ", "trailing dots and spaces"),
        ("\x00\x01", ""),
        ("a" * 300 + ".pdf", "a" * 146 + ".pdf"),
    ],
)
def test_the_uploaders_file_name_is_cleaned_before_it_is_shown_or_offered(name, cleaned):
    assert clean_name(name) == cleaned


@given(name=st.text(max_size=400))
def test_a_cleaned_name_never_names_a_folder_or_hides_characters(name):
    cleaned = clean_name(name)

    assert len(cleaned) <= file_types.MAX_NAME_LENGTH
    assert not {"/", "\\", "\x00", "\u202e", "\n"} & set(cleaned)
    assert cleaned == cleaned.strip(" .")


# Bad input: refused with what to do, nothing stored --------------------------------------------


@given(content=st.binary(max_size=2048), suffix=st.sampled_from(list(SIGNATURES)))
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_random_bytes_are_never_accepted_as_a_type_they_are_not(content, suffix):
    try:
        _name, content_type, _size = attachment_check(upload(f"file{suffix}", content))
    except ValidationError:
        return
    # Accepted: then it is what its name says, by content.
    assert content.startswith(SIGNATURES[suffix])
    assert suffix in file_types.SUFFIXES[content_type]


@given(
    real=st.sampled_from(list(EXAMPLES)),
    named=st.sampled_from(list(SIGNATURES)),
    tail=st.binary(max_size=256),
)
@settings(max_examples=200)
def test_a_file_whose_content_does_not_match_its_name_is_refused(real, named, tail):
    content = EXAMPLES[real] + tail
    same_type = {real, named} <= {".jpg", ".jpeg"} or real == named
    if same_type:
        return
    with pytest.raises(ValidationError, match="does not match its name"):
        attachment_check(upload(f"file{named}", content))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.docx", PDF_BYTES, "The file's content does not match its name: “report.docx”"),
        ("report", PDF_BYTES, "“report” holds a PDF document, whose name ends .pdf"),
        ("empty.pdf", b"", "“empty.pdf” is empty"),
        ("notes.txt", b"Some notes", "“notes.txt” is not a type of file Stagewise accepts"),
        ("budget.doc", XLS_BYTES, "“budget.doc” is not a type of file Stagewise accepts"),
    ],
)
def test_a_refused_file_is_named_with_what_to_do_and_nothing_is_stored(
    request_with_file, support_lead, name, content, message
):
    request, _attachment = request_with_file
    before = stored_names()

    with pytest.raises(ValidationError, match=message):
        attachment_add(actor=acting(support_lead), request=request, upload=upload(name, content))

    assert request.attachments.count() == 1
    assert stored_names() == before


@override_settings(ATTACHMENT_MAX_MB=1)
def test_a_file_over_the_size_limit_is_refused_saying_how_large_it_may_be(
    request_with_file, support_lead
):
    request, _attachment = request_with_file
    before = stored_names()
    too_large = PDF_BYTES + bytes(1536 * 1024)

    with pytest.raises(ValidationError) as refused:
        attachment_add(
            actor=acting(support_lead), request=request, upload=upload("scan.pdf", too_large)
        )

    assert refused.value.messages[0].startswith(
        "“scan.pdf” is 1.5\xa0MB, larger than the 1.0\xa0MB Stagewise accepts. Make it smaller"
    )
    assert stored_names() == before


def test_if_recording_the_file_fails_its_stored_copy_is_deleted(
    request_with_file, support_lead, monkeypatch
):
    request, _attachment = request_with_file
    before = stored_names()

    def fail(*args, **kwargs):
        raise IntegrityError("the database refused")

    monkeypatch.setattr(RequestAttachment, "save", fail)
    with pytest.raises(IntegrityError):
        attachment_add(actor=acting(support_lead), request=request, upload=pdf_upload())

    assert stored_names() == before


# Adding and removing, while the request is a draft ------------------------------------------


def test_a_file_is_stored_under_a_random_name_with_what_its_content_is(
    request_with_file, support_lead
):
    _request, attachment = request_with_file

    assert attachment.original_name == "Speech report.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(PDF_BYTES)
    assert attachment.uploaded_by == support_lead
    folder, _slash, stored = attachment.file.name.partition("/")
    assert folder == "request-attachments"
    assert "Speech" not in stored and len(stored) == len("0" * 32 + ".pdf")
    assert default_storage.open(attachment.file.name).read() == PDF_BYTES


def test_adding_a_file_is_audited_against_the_learner(request_with_file, learner):
    _request, attachment = request_with_file

    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="request_attachment")
    assert learner_of(event) == learner
    assert event.object_id == str(attachment.public_id)
    assert event.changes == {"attachments": "changed"}  # never the file's name (ADR 0033)


def test_files_go_to_local_disk_by_default_under_a_random_name(
    tmp_path, request_with_file, support_lead
):
    request, _attachment = request_with_file
    storages = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}

    with override_settings(MEDIA_ROOT=tmp_path, STORAGES=storages):
        attachment = attachment_add(
            actor=acting(support_lead), request=request, upload=pdf_upload("Ailsa Campbell.pdf")
        )
        on_disk = list((tmp_path / "request-attachments").iterdir())

    assert [path.name for path in on_disk] == [Path(attachment.file.name or "").name]
    assert on_disk[0].read_bytes() == PDF_BYTES
    assert "Campbell" not in on_disk[0].name


def test_removing_a_file_deletes_its_stored_copy_once_the_removal_is_saved(
    request_with_file, support_lead, django_capture_on_commit_callbacks
):
    _request, attachment = request_with_file
    stored = attachment.file.name

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        attachment_remove(actor=acting(support_lead), attachment=attachment)
    assert not RequestAttachment.objects.filter(pk=attachment.pk).exists()
    assert default_storage.exists(stored)  # until the removal is committed

    for callback in callbacks:
        callback()
    assert not default_storage.exists(stored)
    event = AuditEvent.objects.get(action=AuditAction.DELETE, object_type="request_attachment")
    assert event.changes == {"attachments": "changed"}


def test_a_removal_rolled_back_keeps_the_stored_copy(request_with_file, support_lead):
    _request, attachment = request_with_file

    with pytest.raises(RuntimeError), transaction.atomic():
        attachment_remove(actor=acting(support_lead), attachment=attachment)
        raise RuntimeError("something after it failed")

    assert RequestAttachment.objects.filter(pk=attachment.pk).exists()
    assert default_storage.exists(attachment.file.name)


def test_once_sent_the_files_are_as_sent(request_with_file, support_lead):
    request, attachment = request_with_file
    sent(request)
    before = stored_names()

    with pytest.raises(ValidationError, match="has been sent"):
        attachment_add(actor=acting(support_lead), request=request, upload=pdf_upload())
    with pytest.raises(ValidationError, match="has been sent"):
        attachment_remove(actor=acting(support_lead), attachment=attachment)

    assert request.attachments.get() == attachment
    assert stored_names() == before


@pytest.mark.parametrize("refused", ["teacher", "psychologist", "agency_practitioner", "parent"])
def test_only_those_who_make_requests_add_or_remove_files(request_with_file, request, refused):
    assistance_request, attachment = request_with_file
    actor = acting(request.getfixturevalue(refused))
    before = stored_names()

    with pytest.raises(PermissionDenied):
        attachment_add(actor=actor, request=assistance_request, upload=pdf_upload())
    with pytest.raises(PermissionDenied):
        attachment_remove(actor=actor, attachment=attachment)

    assert assistance_request.attachments.get() == attachment
    assert stored_names() == before


# The draft's files page ----------------------------------------------------------------------


def test_the_files_page_lists_the_files_and_takes_another(request_with_file, support_lead):
    request, attachment = request_with_file
    client = client_for(support_lead)

    page = client.get(files_url(request))
    assert page.status_code == 200
    assert "Speech report.pdf" in page.text
    assert download_url(attachment) in page.text
    assert 'enctype="multipart/form-data"' in page.text

    posted = client.post(files_url(request), {"file": pdf_upload("Letter from home.pdf")})
    assert posted.status_code == 302
    assert [a.original_name for a in request.attachments.all()] == [
        "Speech report.pdf",
        "Letter from home.pdf",
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.docx", PDF_BYTES, "The file's content does not match its name"),
        ("notes.txt", b"Some notes", "“notes.txt” is not a type of file Stagewise accepts"),
        ("empty.pdf", b"", "“empty.pdf” is empty"),
    ],
)
def test_a_refused_file_is_explained_on_the_page_and_nothing_is_stored(
    request_with_file, support_lead, name, content, message
):
    request, _attachment = request_with_file
    before = stored_names()

    page = client_for(support_lead).post(files_url(request), {"file": upload(name, content)})

    assert page.status_code == 200
    assert "govuk-error-summary" in page.text
    assert message in html.unescape(page.text)
    assert request.attachments.count() == 1
    assert stored_names() == before


def test_posting_no_file_asks_for_one(request_with_file, support_lead):
    request, _attachment = request_with_file

    page = client_for(support_lead).post(files_url(request), {})

    assert page.status_code == 200
    assert "Choose a file to attach." in page.text


def test_the_files_page_and_its_refusals_are_in_welsh_for_someone_who_reads_welsh(
    request_with_file, support_lead
):
    request, _attachment = request_with_file
    support_lead.preferred_language = "cy"
    support_lead.save(update_fields=["preferred_language"])

    page = client_for(support_lead).post(
        files_url(request), {"file": upload("adroddiad.docx", PDF_BYTES)}
    )

    shown = html.unescape(page.text)
    assert "Ffeiliau a anfonwyd gyda'r cais" in shown
    assert "Nid yw cynnwys y ffeil yn cyfateb i'w henw" in shown
    assert "yn cynnwys dogfen PDF" in shown


def test_the_remove_button_removes_the_file(request_with_file, support_lead):
    request, attachment = request_with_file
    url = reverse(
        "request_files:remove",
        args=[request.learner.public_id, request.public_id, attachment.public_id],
    )

    response = client_for(support_lead).post(url)

    assert response.status_code == 302
    assert not request.attachments.exists()


# Downloads -----------------------------------------------------------------------------------


def test_a_download_is_the_checked_type_as_an_attachment_and_is_audited(
    request_with_file, teacher, learner
):
    _request, attachment = request_with_file

    response = client_for(teacher).get(download_url(attachment))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Speech report.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert downloaded(response) == PDF_BYTES
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert (event.user, learner_of(event), event.object_id) == (
        teacher,
        learner,
        str(attachment.public_id),
    )


def test_a_name_in_any_language_survives_the_download(world, support_lead, teacher):
    request = draft(world.learner, world.agency)
    attachment = attachment_add(
        actor=acting(support_lead), request=request, upload=pdf_upload("Asesiad \u2013 Siân.pdf")
    )

    response = client_for(teacher).get(download_url(attachment))

    assert "filename*=utf-8''Asesiad%20%E2%80%93%20Si%C3%A2n.pdf" in response["Content-Disposition"]


def test_a_family_is_told_the_file_does_not_exist(request_with_file, parent, young_person):
    _request, attachment = request_with_file

    for family in (parent, young_person):
        assert client_for(family).get(download_url(attachment)).status_code == 404


# The service's side --------------------------------------------------------------------------


def test_the_service_side_download_lets_the_manager_read_a_request_sent_to_the_service(
    request_with_file, service_manager, learner
):
    request, attachment = request_with_file
    sent(request)

    response = client_for(service_manager).get(service_download_url(attachment))

    assert response.status_code == 200
    assert downloaded(response) == PDF_BYTES
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert (event.user, learner_of(event)) == (service_manager, learner)


def test_the_service_side_download_shows_nothing_of_a_draft_the_service_has_not_been_sent(
    request_with_file, service_manager, learner
):
    _request, attachment = request_with_file

    response = client_for(service_manager).get(service_download_url(attachment))

    assert response.status_code == 404
    refusal = AuditEvent.objects.get(action=AuditAction.REFUSED)
    assert (refusal.user, learner_of(refusal)) == (service_manager, learner)


def test_the_service_side_download_opens_to_practitioners_once_the_request_is_taken_on(
    request_with_file, agency_practitioner
):
    request, attachment = request_with_file
    sent(request)
    client = client_for(agency_practitioner)

    assert client.get(service_download_url(attachment)).status_code == 404
    request_accept(actor=SYSTEM, request=request)
    assert client.get(service_download_url(attachment)).status_code == 200


@pytest.mark.parametrize(
    "refused",
    [
        "other_agency",  # a practitioner of another service
        "support_lead",  # the requester reads the file through the learner, not as a service
        "authority_officer",
        "parent",
        "young_person",
        "analyst",
        "administrator",
    ],
)
def test_the_service_side_download_refuses_everyone_else(request_with_file, request, refused):
    assistance_request, attachment = request_with_file
    request_accept(actor=SYSTEM, request=sent(assistance_request))

    response = client_for(request.getfixturevalue(refused)).get(service_download_url(attachment))

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_the_service_side_download_refuses_a_file_of_another_request(
    request_with_file, service_manager, world
):
    request, _attachment = request_with_file
    sent(request)
    other_request = draft(world.learner, world.other_agency)
    elsewhere = attachment_add(actor=SYSTEM, request=other_request, upload=pdf_upload())
    crossed = reverse(
        "service_request_files:download", args=[request.public_id, elsewhere.public_id]
    )

    response = client_for(service_manager).get(crossed)

    assert response.status_code == 404


def test_the_services_request_page_lists_the_files_each_a_link_to_the_service_side_download(
    request_with_file, service_manager, other_agency
):
    request, attachment = request_with_file
    sent(request)
    page = reverse("services:request", args=[request.public_id])
    client = client_for(service_manager)

    response = client.get(page)

    assert response.status_code == 200
    link = html.escape(service_download_url(attachment))
    assert f'href="{link}" download>Speech report.pdf</a>' in response.content.decode()
    assert downloaded(client.get(service_download_url(attachment))) == PDF_BYTES
    assert client_for(other_agency).get(page).status_code == 404


def test_the_service_side_download_needs_signing_in(request_with_file):
    _request, attachment = request_with_file

    response = Client().get(service_download_url(attachment))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# Settings, parsed strictly -------------------------------------------------------------------


def settings_in(**env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("STAGEWISE_")}
    environment.pop("DATABASE_URL", None)
    environment |= {"PYTHONPATH": str(PROJECT_DIR / "src"), **env}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, stagewise.settings as s; "
            "print(json.dumps({'storage': s.STORAGES['default'], 'limit': s.ATTACHMENT_MAX_MB}))",
        ],
        capture_output=True,
        text=True,
        env=environment,
        cwd=PROJECT_DIR,
        check=False,
    )


def test_files_go_to_object_storage_when_a_bucket_is_named():
    result = settings_in(
        STAGEWISE_S3_BUCKET="stagewise-files",
        STAGEWISE_S3_ENDPOINT_URL="https://objects.example.org",
        STAGEWISE_S3_REGION="eu-west-2",
        STAGEWISE_ATTACHMENT_MAX_MB="20",
    )

    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded["limit"] == 20
    assert loaded["storage"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert loaded["storage"]["OPTIONS"]["bucket_name"] == "stagewise-files"
    assert loaded["storage"]["OPTIONS"]["endpoint_url"] == "https://objects.example.org"
    assert loaded["storage"]["OPTIONS"]["file_overwrite"] is False


def test_files_go_to_local_disk_when_no_bucket_is_named():
    result = settings_in(STAGEWISE_ENVIRONMENT="development")

    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded["storage"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert loaded["limit"] == 10


@pytest.mark.parametrize(
    ("mistake", "named"),
    [
        ({"STAGEWISE_S3_BUCKET": "b", "STAGEWISE_S3_ACCESS_KEY_ID": "key"}, "SECRET_ACCESS_KEY"),
        ({"STAGEWISE_S3_REGION": "eu-west-2"}, "STAGEWISE_S3_REGION"),
        ({"STAGEWISE_FILE_STORAGE": "s3"}, "STAGEWISE_S3_BUCKET"),
        ({"STAGEWISE_FILE_STORAGE": "dropbox"}, "STAGEWISE_FILE_STORAGE"),
        ({"STAGEWISE_S3_BUCKET": "b", "STAGEWISE_S3_ENDPOINT_URL": "objects"}, "ENDPOINT_URL"),
        ({"STAGEWISE_ATTACHMENT_MAX_MB": "ten"}, "STAGEWISE_ATTACHMENT_MAX_MB"),
        ({"STAGEWISE_ATTACHMENT_MAX_MB": "0"}, "STAGEWISE_ATTACHMENT_MAX_MB"),
        ({"STAGEWISE_MEDIA_ROOT": "var/media"}, "STAGEWISE_MEDIA_ROOT"),
    ],
)
def test_a_mistyped_file_setting_stops_start_up_naming_it(mistake, named):
    result = settings_in(STAGEWISE_ENVIRONMENT="development", **mistake)

    assert result.returncode != 0
    assert named in result.stderr
