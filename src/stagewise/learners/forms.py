from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stagewise.fields import DateInputField, LimitedCharField
from stagewise.learners.models import (
    ALL_YEAR_GROUPS,
    YEAR_GROUPS,
    Learner,
    LearnerMove,
    Transition,
    TransitionKind,
)
from stagewise.learners.selectors import ReviewDue
from stagewise.learners.selectors.list_filters import ListFilterChoices
from stagewise.learners.services import EDITABLE_IDENTITY_FIELDS
from stagewise.organisations.models import Setting
from stagewise.plausible import limit_of
from stagewise.statutory.models import NationalStage

# What a model choice said of a value not offered (a school outside the authority): the same
# words, now that the filter's choices are ids read from the cache.
INVALID_CHOICE = forms.ModelChoiceField.default_error_messages["invalid_choice"]


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
    reason = forms.TypedChoiceField(
        label=_("Reason for support"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": INVALID_CHOICE},
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
    setting = forms.TypedChoiceField(
        label=_("School, nursery or college"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": INVALID_CHOICE},
    )

    def __init__(
        self,
        *args: Any,
        choices: ListFilterChoices,
        nation_code: str | None = None,
        **kwargs: Any,
    ) -> None:
        """`choices`: the schools and reasons to offer, by id (learners/selectors/
        list_filters.py); a chosen one comes back as its id. No school filter without schools."""
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = [("", _("Any")), *choices.reasons]  # type: ignore[attr-defined]
        # The year groups of the actor's nation, named as its schools name them; all if unknown.
        year_groups = YEAR_GROUPS.get(nation_code or "") or [(g, g) for g in ALL_YEAR_GROUPS]
        self.fields["year_group"].choices = [("", _("Any")), *year_groups]  # type: ignore[attr-defined]
        if choices.settings is not None:
            self.fields["setting"].choices = [("", _("Any")), *choices.settings]  # type: ignore[attr-defined]
        else:
            del self.fields["setting"]


class LearnerDetailsForm(forms.ModelForm):
    date_of_birth = DateInputField(label=_("Date of birth"), help_text=_("For example, 27 3 2015"))

    class Meta:
        model = Learner
        fields = list(EDITABLE_IDENTITY_FIELDS)
        widgets = {"staff_notes": forms.Textarea()}


class ReceivingSchoolField(forms.ModelChoiceField):
    """Any school in either nation, named with its authority (two authorities may each have a
    St Mary's Primary)."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} ({obj.authority.display_name})"


class LearnerMoveForm(forms.Form):
    to_setting = ReceivingSchoolField(
        label=_("School the learner is moving to"),
        help_text=_("The school can be in any authority."),
        queryset=Setting.objects.none(),
        empty_label=_("Choose a school"),
        error_messages={
            "required": _("Choose the school the learner is moving to."),
            "invalid_choice": _("Choose a school from the list."),
        },
    )
    moved_on = DateInputField(
        label=_("Date of the move"),
        help_text=_("The first day at the new school. For example, 18 8 2026"),
        error_messages={"required": _("Enter the date of the move.")},
    )
    year_group = forms.ChoiceField(
        label=_("Year group at the new school"),
        error_messages={
            "required": _("Choose the year group at the new school."),
            "invalid_choice": _("Choose a year group from the list."),
        },
    )
    reason = LimitedCharField(
        label=_("Reason for the move"),
        max_length=limit_of(LearnerMove, "reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter the reason for the move.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_setting"].queryset = Setting.objects.select_related(  # type: ignore[attr-defined]
            "authority"
        ).order_by("authority__name", "name", "pk")
        seen: set[str] = set()
        year_groups = []
        for groups in YEAR_GROUPS.values():
            for code, label in groups:
                if code not in seen:
                    seen.add(code)
                    year_groups.append((code, label))
        self.fields["year_group"].choices = [("", _("Choose a year group")), *year_groups]  # type: ignore[attr-defined]


class TransitionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Transition"),
        choices=[("", _("Choose a transition")), *TransitionKind.choices],
        error_messages={
            "required": _("Choose the transition."),
            "invalid_choice": _("Choose a transition from the list."),
        },
    )
    planned_on = DateInputField(
        label=_("Planned date"),
        help_text=_(
            "For leaving school, the expected leaving date: in Scotland, views must be sought 12"
            " months before it and information shared 6 months before. For example, 30 6 2027"
        ),
        error_messages={"required": _("Enter the planned date.")},
    )
    plan = LimitedCharField(
        label=_("Transition plan"),
        help_text=_(
            "What will happen before and after, who does it, and the support that goes with"
            " the learner."
        ),
        max_length=limit_of(Transition, "plan"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Enter the transition plan.")},
    )
    family_part = LimitedCharField(
        label=_("The family's part and views"),
        help_text=_(
            "What the family will do, and what they and the learner think, in their words."
        ),
        max_length=limit_of(Transition, "family_part"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
