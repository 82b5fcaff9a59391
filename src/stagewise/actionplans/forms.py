"""A policy officer's forms: a progress update, a status change with its reason, a web address
as evidence, a measure of the framework to link; a local authority officer's local action, and
the same forms to track it. The services check everything again."""

from django import forms
from django.db.models import QuerySet
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from stagewise.actionplans.models import (
    MOST_ACTION_CHARACTERS,
    MOST_REASON_CHARACTERS,
    MOST_UPDATE_CHARACTERS,
    Action,
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


class LocalActionForm(forms.Form):
    reference = LimitedCharField(
        label=_("Reference"),
        max_length=20,
        help_text=_("Your authority's own number for the action, like 2.3 or GC-07."),
        error_messages={"required": _("Enter the action's reference.")},
    )
    text = LimitedCharField(
        label=_("Action"),
        max_length=MOST_ACTION_CHARACTERS,
        widget=forms.Textarea,
        help_text=_("What your authority will do, as your plan says it."),
        error_messages={"required": _("Enter the action.")},
    )
    responsible_team = LimitedCharField(
        label=_("Responsible team"),
        max_length=200,
        help_text=_("The team, service or group that delivers it."),
        error_messages={"required": _("Enter the team responsible for the action.")},
    )
    timeframe = LimitedCharField(
        label=_("Timeframe"),
        max_length=60,
        required=False,
        help_text=_(
            "As your plan writes it. Written like By end 2026, Spring 2026 or March 2026, "
            "Stagewise shows the action as overdue once that time has passed."
        ),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=ActionStatus.choices,
        initial=ActionStatus.NOT_STARTED,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the action's status."),
            "invalid_choice": _("Choose the action's status."),
        },
    )
    national_actions = forms.ModelMultipleChoiceField(
        label=_("National actions it serves"),
        queryset=Action.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose every national action this local action helps to deliver."),
        error_messages={
            "required": _("Choose at least one national action it serves."),
            "invalid_choice": _("Choose national actions from the list."),
            "invalid_pk_value": _("Choose national actions from the list."),
        },
    )

    def __init__(self, *args: object, national_actions: QuerySet[Action], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["national_actions"]
        field.queryset = national_actions  # type: ignore[attr-defined]
        field.label_from_instance = lambda action: (  # type: ignore[attr-defined]
            f"{action.number}: {Truncator(action.text).words(14)}"
        )
