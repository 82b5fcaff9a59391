"""Forms for contributions: the practitioner's assessment or advice, and the plan author's choice
of where its suggested support goes. They parse input; what a contribution needs, and where it
may go, is checked by coordination/services/contributions.py."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stagewise.coordination.models import Contribution, ContributionKind
from stagewise.fields import DateInputField, LimitedCharField
from stagewise.planning.models import SupportProvision, Target
from stagewise.plausible import limit_of

MINUTES_ERRORS = {
    "invalid": _("Enter the minutes a week as a whole number, like 90."),
    "min_value": _("Minutes a week cannot be negative."),
    "max_value": _("Minutes a week must be 3000 or fewer."),
}


def _minutes(label: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, required=False, min_value=0, max_value=3000, error_messages=MINUTES_ERRORS
    )


def _text(
    model: type, name: str, label: Any, *, required: Any = None, help_text: Any = "", rows: int = 4
) -> LimitedCharField:
    return LimitedCharField(
        label=label,
        max_length=limit_of(model, name),
        required=required is not None,
        error_messages={"required": required} if required else {},
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class ContributionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What are you adding?"),
        choices=ContributionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether this is an assessment, advice or a report.")},
    )
    title = LimitedCharField(
        label=_("Title"),
        max_length=limit_of(Contribution, "title"),
        help_text=_("For example, 'Speech and language assessment'."),
        error_messages={
            "required": _("Give it a title, such as 'Speech and language assessment'.")
        },
    )
    body = _text(
        Contribution,
        "body",
        _("Your assessment or advice"),
        required=_("Write the assessment or advice."),
        help_text=_("The school or authority that asked will read this."),
        rows=8,
    )
    suggested_description = _text(
        Contribution,
        "suggested_description",
        _("Support you suggest for the learner's plan (optional)"),
        help_text=_(
            "The plan's author may add it to the plan as support, provided by you for your service."
        ),
        rows=3,
    )
    suggested_frequency = LimitedCharField(
        label=_("How often (optional)"),
        max_length=limit_of(Contribution, "suggested_frequency"),
        required=False,
        help_text=_("For example, three times a week"),
    )
    suggested_minutes_per_week = _minutes(_("Minutes a week (optional)"))


class ContributionAcceptForm(forms.Form):
    """Where the contribution's support goes (a target of a plan being written or revised), and
    the support as the plan will say it, starting from the practitioner's suggestion."""

    target = forms.ChoiceField(
        label=_("Which target does this support?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the target this support is for."),
            "invalid_choice": _("Choose one of the targets listed."),
        },
    )
    description = _text(
        SupportProvision,
        "description",
        _("What the support is"),
        required=_("Describe the support to add to the plan."),
        rows=3,
    )
    frequency = LimitedCharField(
        label=_("How often"),
        max_length=limit_of(SupportProvision, "frequency"),
        help_text=_("For example, three times a week"),
        error_messages={"required": _("Say how often the support is given.")},
    )
    minutes_per_week = _minutes(_("Minutes a week"))
    starts_on = DateInputField(
        label=_("From"),
        help_text=_("For example, 27 3 2027"),
        error_messages={"required": _("Enter the date the support starts.")},
    )
    delivered_in_welsh = forms.TypedChoiceField(
        label=_("Is this provision delivered in Welsh?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether this provision is delivered in Welsh.")},
    )

    def __init__(self, *args: Any, targets: list[Target], in_wales: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.targets = {str(target.pk): target for target in targets}
        self.fields["target"].choices = [  # type: ignore[attr-defined]
            (
                key,
                f"{target.plan.display_type_name} ({target.plan.get_status_display()}):"
                f" {target.outcome}",
            )
            for key, target in self.targets.items()
        ]
        if not in_wales:
            del self.fields["delivered_in_welsh"]

    def clean_target(self) -> Target:
        target = self.targets.get(self.cleaned_data.get("target") or "")
        if target is None:
            raise forms.ValidationError(_("Choose one of the targets listed."))
        return target
