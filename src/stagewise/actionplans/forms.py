"""A policy officer's forms: a progress update, a status change with its reason, a web address
as evidence, a measure of the framework to link. The services check everything again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from stagewise.actionplans.models import (
    MOST_REASON_CHARACTERS,
    MOST_UPDATE_CHARACTERS,
    ActionStatus,
)
from stagewise.fields import DateInputField, LimitedCharField
from stagewise.measurement.models import Measure


class ProgressUpdateForm(forms.Form):
    written_on = DateInputField(
        label=_("Date of the update"),
        help_text=_(
            "The day the progress was reported, like 27 3 2026. It cannot be in the future."
        ),
        error_messages={"required": _("Enter the date of the update.")},
    )
    text = LimitedCharField(
        label=_("Progress update"),
        max_length=MOST_UPDATE_CHARACTERS,
        widget=forms.Textarea,
        error_messages={"required": _("Enter the progress update.")},
    )


class StatusChangeForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the action's new status."),
            "invalid_choice": _("Choose the action's new status."),
        },
    )
    reason = LimitedCharField(
        label=_("Reason for the change"),
        max_length=MOST_REASON_CHARACTERS,
        widget=forms.Textarea,
        error_messages={"required": _("Enter the reason for changing the status.")},
    )


class EvidenceForm(forms.Form):
    title = LimitedCharField(
        label=_("What the evidence is"),
        max_length=200,
        help_text=_("For example, the minutes of the Project Board's June 2024 meeting."),
        error_messages={"required": _("Enter what the evidence is.")},
    )
    web_address = LimitedCharField(
        label=_("Web address"),
        max_length=400,
        required=False,
        help_text=_("Starting with https:// or http://. Leave it empty if you attach a file."),
    )
    upload = forms.FileField(
        label=_("Or attach a file"),
        required=False,
        help_text=_("A PDF, a Word document (.docx or .doc), or a PNG or JPEG image."),
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if not cleaned.get("web_address") and not cleaned.get("upload") and not self.errors:
            raise forms.ValidationError(
                _("Enter the web address of the evidence, or attach a file.")
            )
        return cleaned


class MeasureLinkForm(forms.Form):
    measure = forms.ModelChoiceField(
        label=_("Measure"),
        queryset=Measure.objects.none(),
        empty_label=_("Choose a measure"),
        error_messages={
            "required": _("Choose the measure to link."),
            "invalid_choice": _("Choose a measure from the list."),
        },
    )

    def __init__(self, *args: object, measures: list[Measure], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["measure"]
        field.queryset = Measure.objects.filter(pk__in=[m.pk for m in measures])  # type: ignore[attr-defined]
        field.label_from_instance = lambda measure: measure.display_name  # type: ignore[attr-defined]


class ProgressReportForm(forms.Form):
    title = LimitedCharField(
        label=_("Title of the report"),
        max_length=200,
        help_text=_("For example, Additional support for learning action plan: progress report."),
        error_messages={"required": _("Enter the title of the report.")},
    )
    starts_on = DateInputField(
        label=_("Start of the period"),
        help_text=_("The first day the report covers, like 1 6 2023."),
        error_messages={"required": _("Enter the start of the period.")},
    )
    ends_on = DateInputField(
        label=_("End of the period"),
        help_text=_(
            "The last day the report covers, like 30 11 2024: usually 18 months after the start. "
            "It cannot be in the future."
        ),
        error_messages={"required": _("Enter the end of the period.")},
    )
