"""The stored-files sweep: a file that no record names (left when the write that stored it was
rolled back) is deleted once it is a day old; a file a record names is never touched, nor is a
young one whose transaction may still be open."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import models, transaction
from django.utils import timezone

from stagewise.coordination.services import attachment_add, request_draft
from stagewise.data_protection.stored_files import (
    ORPHAN_GRACE,
    STORED_FILE_FOLDERS,
    stored_files_sweep,
)
from stagewise.data_protection.tasks import stored_files_sweep as stored_files_sweep_task
from stagewise.policy import SYSTEM
from stagewise.testing.files import PDF_BYTES, pdf_upload
from stagewise.testing.plans import acting

A_DAY_LATER = ORPHAN_GRACE + timedelta(minutes=1)


class Abandoned(Exception):
    """Stands for whatever rolls a caller's transaction back after the file was stored."""


def a_draft_request(world):
    return request_draft(
        actor=SYSTEM,
        learner=world.learner,
        service=world.agency,
        reason="Hard to understand in class.",
        tried="Small-group language work.",
        tried_for="A term",
        learner_views="Would like help.",
        family_views="Agree.",
    )


def stored(folder, name: str) -> str:
    return folder.storage.save(f"{folder.folder}{name}", ContentFile(PDF_BYTES))


def test_every_file_field_stagewise_has_is_swept():
    file_fields = {
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField) and model.__module__.startswith("stagewise.")
    }

    assert file_fields == {field for folder in STORED_FILE_FOLDERS for field in folder.fields}


@pytest.mark.django_db
def test_a_file_left_by_a_rolled_back_attachment_is_deleted_a_day_later_and_the_saved_one_kept(
    world, support_lead
):
    request = a_draft_request(world)
    kept = attachment_add(actor=acting(support_lead), request=request, upload=pdf_upload())
    attachments = STORED_FILE_FOLDERS[0]
    before = set(attachments.storage.listdir(attachments.folder)[1])
    with pytest.raises(Abandoned), transaction.atomic():
        attachment_add(actor=acting(support_lead), request=request, upload=pdf_upload())
        raise Abandoned
    (orphan,) = set(attachments.storage.listdir(attachments.folder)[1]) - before

    today = stored_files_sweep()
    tomorrow = stored_files_sweep(now=timezone.now() + A_DAY_LATER)

    assert today.deleted == 0 and today.too_recent >= 1
    assert tomorrow.deleted_by_folder[attachments.folder] >= 1
    assert not attachments.storage.exists(f"{attachments.folder}{orphan}")
    assert attachments.storage.exists(str(kept.file.name))
    kept.refresh_from_db()
    with kept.file.open("rb") as file:
        assert file.read().startswith(b"%PDF-")


@pytest.mark.django_db
def test_unnamed_files_in_every_folder_go_and_a_dry_run_only_counts_them():
    names = [stored(folder, "left-behind.pdf") for folder in STORED_FILE_FOLDERS]
    pairs = list(zip(STORED_FILE_FOLDERS, names, strict=True))

    dry_run = stored_files_sweep(now=timezone.now() + A_DAY_LATER, dry_run=True)
    assert all(folder.storage.exists(name) for folder, name in pairs)
    assert dry_run.deleted >= len(names)

    swept = stored_files_sweep(now=timezone.now() + A_DAY_LATER)

    assert not any(folder.storage.exists(name) for folder, name in pairs)
    assert all(swept.deleted_by_folder[folder.folder] >= 1 for folder in STORED_FILE_FOLDERS)
    assert stored_files_sweep(now=timezone.now() + A_DAY_LATER).deleted == 0


@pytest.mark.django_db
def test_the_command_reports_counts_and_the_task_runs_the_same_sweep(capsys):
    folder = STORED_FILE_FOLDERS[1]
    name = stored(folder, "young.pdf")

    call_command("stored_files_sweep", "--dry-run")
    result = stored_files_sweep_task.enqueue().return_value

    assert "would be deleted" in capsys.readouterr().out
    assert folder.storage.exists(name), "a file younger than a day is kept"
    too_recent = result["too_recent"]
    assert isinstance(too_recent, int) and too_recent >= 1 and result["deleted"] == 0
