from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stagewise.fields import DateInputField
from stagewise.learners.models import ALL_YEAR_GROUPS, Learner
from stagewise.learners.services import EDITABLE_IDENTITY_FIELDS
from stagewise.organisations.models import Setting


class LearnerFilterForm(forms.Form):
    name = forms.CharField(
        label=_("Name or candidate number"),
        required=False,
        max_length=100,
    )
    year_group = forms.ChoiceField(label=_("Year group"), required=False)
    setting = forms.ModelChoiceField(
        label=_("School, nursery or college"),
        required=False,
        queryset=Setting.objects.none(),
        empty_label=_("Any"),
    )

    def __init__(self, *args: Any, settings_queryset: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year_group"].choices = (  # type: ignore[attr-defined]
            [("", _("Any"))] + [(g, g) for g in ALL_YEAR_GROUPS]
        )
        if settings_queryset is not None:
            self.fields["setting"].queryset = settings_queryset  # type: ignore[attr-defined]
        else:
            del self.fields["setting"]


class LearnerDetailsForm(forms.ModelForm):
    date_of_birth = DateInputField(label=_("Date of birth"), help_text=_("For example, 27 3 2015"))

    class Meta:
        model = Learner
        fields = list(EDITABLE_IDENTITY_FIELDS)
        widgets = {"staff_notes": forms.Textarea()}
