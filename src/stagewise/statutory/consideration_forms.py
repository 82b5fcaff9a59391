"""The form for an authority's consideration of a looked-after child for a co-ordinated support
plan (ADR 0049). It parses; the service decides what is refused."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stagewise.fields import DateInputField, LimitedCharField
from stagewise.plausible import limit_of
from stagewise.statutory.decision_support_forms import (
    departure_kind_field,
    departure_reason_field,
)
from stagewise.statutory.models import (
    CONDITIONS,
    ConsiderationConclusion,
    CoordinatedSupportPlanConsideration,
)
from stagewise.statutory.services.considerations import ConditionsJudged

MET = "met"
NOT_MET = "not_met"


def _condition(label: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=[(MET, _("Met")), (NOT_MET, _("Not met"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Say whether the authority judges this condition met."),
            "invalid_choice": _("Choose met or not met."),
        },
    )


class ConsiderationForm(forms.Form):
    considered_on = DateInputField(
        label=_("Date of the consideration"),
        help_text=_("For example, 27 3 2026"),
        error_messages={"required": _("Enter the date the authority considered the learner.")},
    )
    authority_responsible = _condition(CONDITIONS[0][1])
    complex_or_multiple_factors = _condition(CONDITIONS[1][1])
    lasting_more_than_a_year = _condition(CONDITIONS[2][1])
    significant_support_from_others = _condition(CONDITIONS[3][1])
    conclusion = forms.ChoiceField(
        label=_("Conclusion"),
        choices=ConsiderationConclusion.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether a co-ordinated support plan is required."),
            "invalid_choice": _("Choose whether a co-ordinated support plan is required."),
        },
    )
    reason = LimitedCharField(
        label=_("Reason for the conclusion"),
        max_length=limit_of(CoordinatedSupportPlanConsideration, "reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the authority weighed, in words the family can read."),
        error_messages={"required": _("Enter the reason for the conclusion.")},
    )
    departure_kind = departure_kind_field()
    departure_reason = departure_reason_field(
        _(
            "Only if the conclusion differs from what decision support indicates: all four"
            " conditions evidenced indicates a plan is required."
        )
    )

    def condition_fields(self) -> list[Any]:
        return [self[name] for name, _label in CONDITIONS]

    def conditions(self) -> ConditionsJudged:
        data = self.cleaned_data
        return ConditionsJudged(**{name: data[name] == MET for name, _label in CONDITIONS})
