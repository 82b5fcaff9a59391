"""The roll import's forms: the file and its mapping; the confirmation with the leavers to end;
an administrator's column mapping."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stagewise.fields import DateInputField
from stagewise.roll_imports.models import MAPPED_FIELDS, REQUIRED_FIELDS, ColumnMapping, DateOrder

MAX_UPLOAD_BYTES = 40_000_000


class RollImportForm(forms.Form):
    mapping = forms.ModelChoiceField(
        label=_("Which system's export is it?"),
        # A retired mapping is offered for no new import.
        queryset=ColumnMapping.objects.filter(retired_at__isnull=True),
        empty_label=None,
        error_messages={
            "required": _("Choose the kind of export."),
            "invalid_choice": _("Choose the kind of export."),
        },
    )
    file = forms.FileField(
        label=_("Export file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
        help_text=_("CSV saved as UTF-8, or an Excel workbook (XLSX): one line for each learner."),
        error_messages={
            "required": _("Choose the export file to check."),
            "empty": _("The file is empty: choose the export with your learners."),
            "invalid": _("Choose the export file to check."),
        },
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too big: split it into smaller files."))
        return upload


class StartForm(forms.Form):
    leavers = forms.TypedMultipleChoiceField(
        label=_("Leavers to record as having left"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    leavers_end_on = DateInputField(
        label=_("Their last day"),
        required=False,
        help_text=_("Used only for the leavers you tick. For example, 3 7 2026"),
    )

    def __init__(self, *args: Any, leavers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leavers"].choices = leavers  # type: ignore[attr-defined]
        self.fields["leavers_end_on"].initial = timezone.localdate()


class ColumnMappingForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        error_messages={"required": _("Enter a name for the mapping.")},
    )
    description = forms.CharField(
        label=_("Description"), max_length=1_000, required=False, widget=forms.Textarea
    )
    date_order = forms.ChoiceField(label=_("Dates are written"), choices=DateOrder.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in MAPPED_FIELDS:
            self.fields[f"column_{field}"] = forms.CharField(
                label=FIELD_LABELS[field],
                max_length=100,
                required=field in REQUIRED_FIELDS,
                error_messages={"required": _("Enter the column's heading in the export.")},
            )

    def columns(self) -> dict[str, str]:
        return {field: self.cleaned_data.get(f"column_{field}", "") for field in MAPPED_FIELDS}

    @classmethod
    def initial_from(cls, mapping: ColumnMapping) -> dict[str, str]:
        """The form's values for an existing mapping, to change it."""
        return {
            "name": mapping.name,
            "description": mapping.description,
            "date_order": mapping.date_order,
        } | {f"column_{field}": mapping.columns.get(field, "") for field in MAPPED_FIELDS}


class RetireMappingForm(forms.Form):
    confirmed = forms.BooleanField(
        label=_("Yes, stop offering this mapping for new imports"),
        error_messages={"required": _("Tick the box to confirm the mapping is retired.")},
    )


class ReinstateMappingForm(forms.Form):
    confirmed = forms.BooleanField(
        label=_("Yes, offer this mapping for new imports again"),
        error_messages={"required": _("Tick the box to confirm the mapping is brought back.")},
    )


FIELD_LABELS = {
    "candidate_number": _("Candidate number (SCN or UPN)"),
    "legal_first_name": _("Legal first name"),
    "legal_last_name": _("Legal last name"),
    "date_of_birth": _("Date of birth"),
    "sex": _("Sex"),
    "year_group": _("Year group"),
    "preferred_name": _("Preferred name (optional)"),
    "enrolled_on": _("Date the learner started at the school (optional)"),
    "school_reference": _("School's reference number (needed for an authority's files)"),
    "carer_name": _("Contact's name (optional)"),
    "carer_relationship": _("Contact's relationship (optional)"),
    "carer_email": _("Contact's email (optional)"),
    "carer_telephone": _("Contact's telephone (optional)"),
    "class_teacher_email": _("Class teacher's email (optional)"),
}

# What a line would change, as the check page names it.
CHANGE_LABELS = {
    "legal_first_name": _("Legal first name"),
    "legal_last_name": _("Legal last name"),
    "preferred_name": _("Preferred name"),
    "sex": _("Sex"),
    "year_group": _("Year group"),
    "enrolment": _("Enrolled at the school"),
    "carer": _("New contact"),
    "carer_email": _("Contact's email"),
    "carer_telephone": _("Contact's telephone"),
    "carer_relationship": _("Contact's relationship"),
    "class_teacher": _("New class teacher"),
}
