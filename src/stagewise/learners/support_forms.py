"""Forms for recording needs, stage decisions, wellbeing assessments and chronology entries."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stagewise.fields import DateInputField, LimitedCharField
from stagewise.learners.models import (
    ChronologyEntry,
    ChronologyEntryType,
    Disability,
    FactorGroup,
    Need,
    StageDecision,
    WellbeingAssessment,
    WellbeingIndicator,
    WellbeingLevel,
    WellbeingRating,
)
from stagewise.organisations.models import LocalAuthority
from stagewise.plausible import limit_of
from stagewise.statutory.decision_support_forms import (
    departure_kind_field,
    departure_reason_field,
)
from stagewise.statutory.models import LocalStage, ReasonForSupport
from stagewise.statutory.selectors import reason_list, stage_list


class NeedForm(forms.Form):
    reason = forms.ModelChoiceField(
        label=_("Reason for support"),
        queryset=ReasonForSupport.objects.none(),
        empty_label=_("Choose a reason"),
        error_messages={"required": _("Choose the reason for support.")},
    )
    factor_groups = forms.MultipleChoiceField(
        label=_("Factors giving rise to the need"),
        choices=FactorGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Select all that apply."),
    )
    identified_on = DateInputField(
        label=_("Date identified"),
        help_text=_("For example, 27 3 2026"),
        error_messages={"required": _("Enter the date the need was identified.")},
    )
    disability = forms.ChoiceField(
        label=_("Disability"),
        choices=Disability.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    evidence = LimitedCharField(
        label=_("Evidence"),
        required=False,
        max_length=limit_of(Need, "evidence"),
        widget=forms.Textarea,
        help_text=_("What the need is based on: assessments, observations, reports."),
    )
    notes = LimitedCharField(
        label=_("Notes"),
        required=False,
        max_length=limit_of(Need, "notes"),
        widget=forms.Textarea,
    )

    def __init__(self, *args: Any, authority: LocalAuthority, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = reason_list(authority.nation_id)  # type: ignore[attr-defined]


class NeedResolveForm(forms.Form):
    resolved_on = DateInputField(
        label=_("Date resolved"),
        help_text=_("For example, 27 3 2026"),
        error_messages={"required": _("Enter the date the need was resolved.")},
    )


class StageDecisionForm(forms.Form):
    stage = forms.ModelChoiceField(
        label=_("Stage"),
        queryset=LocalStage.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Choose a stage.")},
    )
    decided_on = DateInputField(
        label=_("Date of decision"),
        help_text=_("For example, 27 3 2026"),
        error_messages={"required": _("Enter the date of the decision.")},
    )
    rationale = LimitedCharField(
        label=_("Rationale"),
        max_length=limit_of(StageDecision, "rationale"),
        widget=forms.Textarea,
        help_text=_("Why this stage: what the learner needs and what has been tried."),
        error_messages={"required": _("Explain why this stage was chosen.")},
    )
    departure_kind = departure_kind_field()
    departure_reason = departure_reason_field(
        _("Needed only if you choose a stage other than the suggested one.")
    )
    next_review_on = DateInputField(
        label=_("Next review"),
        help_text=_("For example, 27 3 2027"),
        error_messages={"required": _("Enter the date of the next review.")},
    )

    def __init__(self, *args: Any, authority: LocalAuthority, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stage_field = self.fields["stage"]
        stage_field.queryset = stage_list(authority)  # type: ignore[attr-defined]
        stage_field.label_from_instance = (  # type: ignore[attr-defined]
            lambda stage: f"{stage.display_label} ({stage.national_label})"
        )


class WellbeingAssessmentForm(forms.Form):
    assessed_on = DateInputField(
        label=_("Date of assessment"),
        help_text=_("For example, 27 3 2026"),
        error_messages={"required": _("Enter the date of the assessment.")},
    )
    summary = LimitedCharField(
        label=_("Summary"),
        required=False,
        max_length=limit_of(WellbeingAssessment, "summary"),
        widget=forms.Textarea,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for indicator in WellbeingIndicator:
            self.fields[f"{indicator.value}_level"] = forms.ChoiceField(
                label=indicator.label,
                choices=WellbeingLevel.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose a level for %(indicator)s.")
                    % {"indicator": indicator.label}
                },
            )
            self.fields[f"{indicator.value}_note"] = LimitedCharField(
                label=_("Note on %(indicator)s") % {"indicator": indicator.label},
                required=False,
                max_length=limit_of(WellbeingRating, "note"),
                widget=forms.Textarea,
            )

    def indicator_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"{indicator.value}_level"], self[f"{indicator.value}_note"])
            for indicator in WellbeingIndicator
        ]

    def ratings(self) -> dict[str, tuple[str, str]]:
        return {
            indicator.value: (
                self.cleaned_data[f"{indicator.value}_level"],
                self.cleaned_data[f"{indicator.value}_note"],
            )
            for indicator in WellbeingIndicator
        }


class ChronologyEntryForm(forms.Form):
    entry_type = forms.ChoiceField(
        label=_("Type"),
        choices=[("", _("Choose a type")), *ChronologyEntryType.choices],
        error_messages={"required": _("Choose the type of event.")},
    )
    occurred_on = DateInputField(
        label=_("Date"),
        help_text=_("For example, 27 3 2026"),
        error_messages={"required": _("Enter the date of the event.")},
    )
    summary = LimitedCharField(
        label=_("What happened"),
        max_length=limit_of(ChronologyEntry, "summary"),
        widget=forms.Textarea,
        error_messages={"required": _("Describe what happened.")},
    )
    source = LimitedCharField(
        label=_("Source"),
        max_length=limit_of(ChronologyEntry, "source"),
        help_text=_("Who told us, or where it is recorded."),
        error_messages={"required": _("Enter where this information came from.")},
    )
    restricted = forms.BooleanField(
        label=_("Restricted"),
        required=False,
        help_text=_(
            "Only support-for-learning leads, head teachers and authority officers will see it."
        ),
    )


class ChronologyFilterForm(forms.Form):
    kind = forms.MultipleChoiceField(
        label=_("Show"), required=False, widget=forms.CheckboxSelectMultiple
    )
    date_from = DateInputField(label=_("From"), required=False)
    date_to = DateInputField(label=_("To"), required=False)

    def __init__(self, *args: Any, kinds: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", _("The end date must be the same as or after the start."))
        return cleaned
