"""The form of the outcome import page: which kind of record, and the file."""

from django import forms
from django.utils.translation import gettext_lazy as _

from stagewise.measurement.import_layouts import LAYOUTS


class OutcomeImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Which records does the file hold?"),
        choices=[(kind, layout.label) for kind, layout in LAYOUTS.items()],
        error_messages={
            "required": _("Choose which records the file holds."),
            "invalid_choice": _("Choose which records the file holds."),
        },
    )
    file = forms.FileField(
        label=_("CSV file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        help_text=_("Saved as CSV UTF-8 (comma delimited), at most 20,000 records."),
        error_messages={
            "required": _("Choose a CSV file to check or import."),
            "empty": _("The file is empty: choose the CSV file with the records."),
            "invalid": _("Choose a CSV file to check or import."),
        },
    )
