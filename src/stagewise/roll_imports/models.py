"""A school's or an authority's roll imported from its information system's export (ADR 0052):
the column mappings that say how an export's columns are read, kept as data, and each import
(its file, what checking it found, its progress and what it saved)."""

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stagewise.organisations.models import LocalAuthority, Setting

# What an import can read from an export, in the order a mapping is shown. The first six are
# needed for every line; the others are read when the mapping names a column for them.
REQUIRED_FIELDS = (
    "candidate_number",
    "legal_first_name",
    "legal_last_name",
    "date_of_birth",
    "sex",
    "year_group",
)
OPTIONAL_FIELDS = (
    "preferred_name",
    "enrolled_on",
    "school_reference",
    "carer_name",
    "carer_relationship",
    "carer_email",
    "carer_telephone",
    "class_teacher_email",
)
MAPPED_FIELDS = REQUIRED_FIELDS + OPTIONAL_FIELDS


class DateOrder(models.TextChoices):
    ISO = "iso", _("Year, month, day: 2014-03-31")
    DAY_FIRST = "day_first", _("Day, month, year: 31/03/2014")


class ColumnMapping(models.Model):
    """How one kind of export is read: the column holding each thing Stagewise imports, how
    dates are written, and the export's own codes for sex and a carer's relationship."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), max_length=1_000, blank=True)
    # {Stagewise field: the export's column header}, e.g. {"candidate_number": "SCN"}.
    columns = models.JSONField(_("columns"))
    date_order = models.CharField(
        _("dates written as"), max_length=20, choices=DateOrder.choices, default=DateOrder.ISO
    )
    # {export's code: Stagewise's}, e.g. {"F": "female"}; Stagewise's own codes always work.
    sex_codes = models.JSONField(_("codes for sex"), default=dict, blank=True)
    relationship_codes = models.JSONField(_("codes for relationships"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # A retired mapping is offered for no new import; the imports it read still name it.
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")

    def __str__(self) -> str:
        return self.name

    @property
    def headers(self) -> list[str]:
        """The columns a file must have, as a header is compared (lower case): those of the
        fields every line needs. The others are read when the file has them."""
        return [
            str(self.columns[field]).strip().lower()
            for field in REQUIRED_FIELDS
            if self.columns.get(field)
        ]

    @property
    def label(self) -> str:
        return self.name

    def column_for(self, field: str) -> str | None:
        header = self.columns.get(field)
        return str(header).strip().lower() if header else None


class RollImportStatus(models.TextChoices):
    CHECKED = "checked", _("Checked, not yet imported")
    REJECTED = "rejected", _("Rejected: the file has problems")
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Stopped: nothing was saved")
    # Checked or stopped, then left unused: the file was deleted and it can no longer run.
    ABANDONED = "abandoned", _("Not imported: the file was deleted unused")


class RollImport(models.Model):
    """One file uploaded by a school's leader or an authority's officer, checked (a dry run),
    then, once they confirm, imported by a task, all or nothing."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The role the person imported in, which the task acts in: its school or its authority is
    # whose roll it is (the school's leaders import its roll, an authority's officers theirs).
    membership = models.ForeignKey(
        "organisations.Membership", on_delete=models.PROTECT, related_name="+"
    )
    setting = models.ForeignKey(
        Setting, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    mapping = models.ForeignKey(ColumnMapping, on_delete=models.PROTECT, related_name="imports")
    file_name = models.CharField(max_length=255)
    # The file itself, kept while a task may start (or start again) from it, on any worker;
    # emptied once imported, refused, or left unused (ADR 0052, amended: what an import keeps).
    content = models.BinaryField()
    content_sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=20, choices=RollImportStatus.choices)
    # What the check found: counts, the lines with something to do or a problem, the leavers.
    report = models.JSONField(default=dict)
    # The leavers (enrolment ids) the person confirmed should end, and on which day.
    leavers_to_end = models.JSONField(default=list)
    leavers_end_on = models.DateField(null=True, blank=True)
    lines_total = models.PositiveIntegerField(default=0)
    lines_done = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    # When the task last reported progress: a run whose worker stopped can be started again.
    progress_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("roll import")
        verbose_name_plural = _("roll imports")

    def __str__(self) -> str:
        return self.file_name

    def kept_by(self, membership: Any) -> bool:
        """Whether the membership keeps this roll: the school's own, or its authority's."""
        return membership is not None and (
            (membership.setting_id is not None and membership.setting_id == self.setting_id)
            or (
                membership.authority_id is not None and membership.authority_id == self.authority_id
            )
        )
