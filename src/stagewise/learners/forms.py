from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stagewise.fields import DateInputField
from stagewise.learners.models import ALL_YEAR_GROUPS, YEAR_GROUPS, Learner
from stagewise.learners.selectors import ReviewDue
from stagewise.learners.services import EDITABLE_IDENTITY_FIELDS
from stagewise.organisations.models import Setting
from stagewise.statutory.models import NationalStage, ReasonForSupport
from stagewise.statutory.selectors import reason_list


class LearnerFilterForm(forms.Form):
    name = forms.CharField(
        label=_("Name or candidate number"),
        required=False,
        max_length=100,
    )
    year_group = forms.ChoiceField(label=_("Year group"), required=False)
    national_stage = forms.ChoiceField(
        label=_("Stage (national frame)"),
        required=False,
        choices=[("", _("Any")), *NationalStage.choices],
    )
    reason = forms.ModelChoiceField(
        label=_("Reason for support"),
        required=False,
        queryset=ReasonForSupport.objects.none(),
        empty_label=_("Any"),
    )
    review = forms.ChoiceField(
        label=_("Review"),
        required=False,
        choices=[
            ("", _("Any")),
            (ReviewDue.OVERDUE, _("Overdue")),
            (ReviewDue.NEXT_30_DAYS, _("Due in the next 30 days")),
        ],
    )
    setting = forms.ModelChoiceField(
        label=_("School, nursery or college"),
        required=False,
        queryset=Setting.objects.none(),
        empty_label=_("Any"),
    )

    def __init__(
        self,
        *args: Any,
        settings_queryset: Any = None,
        nation_id: int | None = None,
        nation_code: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if nation_id is not None:
            self.fields["reason"].queryset = reason_list(nation_id)  # type: ignore[attr-defined]
        # The year groups of the actor's nation, named as its schools name them; all if unknown.
        year_groups = YEAR_GROUPS.get(nation_code or "") or [(g, g) for g in ALL_YEAR_GROUPS]
        self.fields["year_group"].choices = [("", _("Any")), *year_groups]  # type: ignore[attr-defined]
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
