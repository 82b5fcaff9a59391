"""Everything held about one learner, read from the registry, as a structured bundle (a ZIP of
JSON files, one per record type, with a manifest) and as readable rows for the printed copy.

Every field of every record is exported as stored, except those the registry omits on purpose;
a relation is exported as the related record's id and its name as Stagewise shows it, so the
bundle reads without the database. The files attached to requests for assistance are in the ZIP
beside their records.
"""

import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Field, Model
from django.db.models.fields.files import FieldFile
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from stagewise.data_protection.registry import (
    ACCESS,
    NOT_EXPORTED,
    RECORD_TYPES,
    SECTIONS,
    RecordType,
    Section,
)
from stagewise.learners.models import Learner

FORMAT = "stagewise-subject-access/1"
ATTACHMENT_TYPE = "coordination.RequestAttachment"


@dataclass
class ExportedRecords:
    """One record type's records about the learner."""

    record_type: RecordType
    records: list[Model]

    @property
    def fields(self) -> list[Field]:
        return [
            field
            for field in self.record_type.model._meta.concrete_fields
            if field.name not in self.record_type.omitted
        ]

    def rows(self) -> list[dict[str, Any]]:
        return [
            {field.name: stored_value(record, field) for field in self.fields}
            for record in self.records
        ]

    def readable(self) -> list[list[tuple[str, str]]]:
        """Each record as (label, text) pairs in the active language, for the printed copy."""
        return [
            [
                (str(field.verbose_name).capitalize(), readable_value(record, field))
                for field in self.fields
            ]
            for record in self.records
        ]


@dataclass
class SubjectAccessBundle:
    learner: Learner
    exported_by: str
    exported_at: datetime
    parts: list[ExportedRecords] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(len(part.records) for part in self.parts)

    def sections(self) -> list[tuple[Section, list[ExportedRecords]]]:
        return [
            (section, [part for part in self.parts if part.record_type.section == section])
            for section in SECTIONS
        ]

    @property
    def access_trail(self) -> list[Model]:
        return next(part.records for part in self.parts if part.record_type.section == ACCESS)

    def manifest(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "learner": str(self.learner.public_id),
            "exported_at": self.exported_at.isoformat(),
            "exported_by": self.exported_by,
            "record_types": [
                {
                    "record_type": part.record_type.label,
                    "title": part.record_type.title,
                    "section": part.record_type.section.key,
                    "file": part.record_type.file_name,
                    "records": len(part.records),
                    "fields": [
                        {"name": field.name, "label": str(field.verbose_name)}
                        for field in part.fields
                    ],
                    "omitted": list(part.record_type.omitted),
                }
                for part in self.parts
            ],
            "attachments": [name for name, _file in self.attachments()],
            "not_exported": NOT_EXPORTED,
        }

    def attachments(self) -> list[tuple[str, FieldFile]]:
        """The files attached to the learner's requests, each with its name in the ZIP."""
        part = next(part for part in self.parts if part.record_type.label == ATTACHMENT_TYPE)
        return [
            (f"attachments/{record.pk}-{safe_name(record.original_name)}", record.file)  # type: ignore[attr-defined]
            for record in part.records
        ]

    def zip_bytes(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("manifest.json", as_json(self.manifest()))
            for part in self.parts:
                archive.writestr(part.record_type.file_name, as_json(part.rows()))
            for name, stored in self.attachments():
                with stored.open("rb") as content:
                    archive.writestr(name, content.read())
        return buffer.getvalue()


def safe_name(name: str) -> str:
    """A file name that stays inside its folder when the ZIP is opened."""
    return re.sub(r"[^\w.\- ]", "_", name).lstrip(".") or "file"


def as_json(value: object) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def stored_value(record: Model, field: Field) -> Any:
    """The field's value as stored; a relation as the related record's id and name."""
    if field.is_relation:
        related_id = getattr(record, field.attname)
        if related_id is None:
            return None
        return {"id": related_id, "name": str(getattr(record, field.name))}
    value = field.value_from_object(record)
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def readable_value(record: Model, field: Field) -> str:
    """The field's value as a reader would want it: names, labels, dates in their language."""
    if field.is_relation:
        return "" if getattr(record, field.attname) is None else str(getattr(record, field.name))
    value = field.value_from_object(record)
    if field.choices and value not in (None, ""):
        return str(getattr(record, f"get_{field.name}_display")())
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, dict | list):
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    return str(value)


def records_of(record_type: RecordType, learner: Learner) -> list[Model]:
    """The learner's records of this type, oldest first, their relations read with them."""
    relations = [
        field.name
        for field in record_type.model._meta.concrete_fields
        if field.is_relation and field.name not in record_type.omitted
    ]
    records = record_type.records_of([learner.pk]).select_related(*relations)
    return list(records.distinct().order_by("pk"))


def subject_access_bundle(learner: Learner, exported_by: str) -> SubjectAccessBundle:
    return SubjectAccessBundle(
        learner=learner,
        exported_by=exported_by,
        exported_at=timezone.now(),
        parts=[
            ExportedRecords(record_type, records_of(record_type, learner))
            for record_type in RECORD_TYPES
        ],
    )
