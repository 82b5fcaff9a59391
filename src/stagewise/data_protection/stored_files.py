"""Deleting stored files that no record refers to (ADRs 0012 and 0034).

A file is stored before the row that names it is saved: when that transaction rolls back (a
caller's outer transaction failing, a worker killed mid-write), the file stays in the store with
nothing pointing at it and nobody able to read it through Stagewise. Such files may hold a child's
information, so keeping them breaks data minimisation. This sweep finds them folder by folder
and deletes those older than a day, so a file whose transaction is still open is never touched.
"""

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.files.storage import Storage
from django.db import models
from django.utils import timezone

from stagewise.actionplans.models import Evidence, LocalEvidence
from stagewise.coordination.models import RequestAttachment
from stagewise.planning.models import PrintedPlan

logger = logging.getLogger(__name__)

# Longer than any transaction lasts: a younger unreferenced file may belong to one still open.
ORPHAN_GRACE = timedelta(days=1)
# Names looked up in the database at a time.
CHUNK = 1000


@dataclass(frozen=True)
class StoredFileFolder:
    """A folder of the store, and the file fields (model, field name) whose files it holds."""

    folder: str
    fields: tuple[tuple[type[models.Model], str], ...]

    @property
    def storage(self) -> Storage:
        model, field_name = self.fields[0]
        file_field = model._meta.get_field(field_name)
        assert isinstance(file_field, models.FileField)
        return file_field.storage


# Every file field Stagewise has, by the folder its names start with; a test fails if a model
# gains a file field that is not here, so no kind of file escapes the sweep.
STORED_FILE_FOLDERS = (
    StoredFileFolder("request-attachments/", ((RequestAttachment, "file"),)),
    # National and local actions' evidence share one folder (actionplans.models.evidence_path).
    StoredFileFolder("action-plan-evidence/", ((Evidence, "file"), (LocalEvidence, "file"))),
    StoredFileFolder("printed-plans/", ((PrintedPlan, "file"),)),
)


@dataclass
class StoredFilesSweepResult:
    """Counts only: a file's name says nothing about whose it was, but logs stay free of detail."""

    examined: int = 0
    orphaned: int = 0
    deleted: int = 0
    too_recent: int = 0
    deleted_by_folder: dict[str, int] = field(default_factory=dict)


def _stored_names(storage: Storage, folder: str) -> list[str]:
    try:
        _, files = storage.listdir(folder)
    except FileNotFoundError:  # Nothing has been stored in this folder yet.
        return []
    return [f"{folder}{name}" for name in files]


def _chunks(names: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(names), CHUNK):
        yield names[start : start + CHUNK]


def _unreferenced(folder: StoredFileFolder, names: list[str]) -> list[str]:
    unreferenced: list[str] = []
    for chunk in _chunks(names):
        referenced: set[str] = set()
        for model, field_name in folder.fields:
            referenced.update(
                model._default_manager.filter(**{f"{field_name}__in": chunk}).values_list(
                    field_name, flat=True
                )
            )
        unreferenced.extend(name for name in chunk if name not in referenced)
    return unreferenced


def stored_files_sweep(
    *, now: datetime | None = None, dry_run: bool = False
) -> StoredFilesSweepResult:
    """Deletes every stored file that no record names and that is older than `ORPHAN_GRACE`;
    with `dry_run`, only counts them. Modification times are asked for the unreferenced files
    alone, since each is a request to an object store."""
    cutoff = (now or timezone.now()) - ORPHAN_GRACE
    result = StoredFilesSweepResult()
    for folder in STORED_FILE_FOLDERS:
        storage = folder.storage
        names = _stored_names(storage, folder.folder)
        result.examined += len(names)
        deleted = 0
        for name in _unreferenced(folder, names):
            result.orphaned += 1
            if storage.get_modified_time(name) > cutoff:
                result.too_recent += 1
                continue
            if not dry_run:
                storage.delete(name)
            deleted += 1
        result.deleted_by_folder[folder.folder] = deleted
        result.deleted += deleted
    logger.info(
        "Stored files sweep: %d examined, %d unreferenced, %d %s, %d too recent to delete",
        result.examined,
        result.orphaned,
        result.deleted,
        "would be deleted" if dry_run else "deleted",
        result.too_recent,
    )
    return result
