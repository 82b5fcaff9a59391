"""Forms for plans. They parse input; every rule about plans lives in planning/services."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stagewise.accounts.models import User
from stagewise.fields import DateInputField, LimitedCharField
from stagewise.organisations.models import Agency
from stagewise.planning.models import (
    CommunicationFormat,
    Plan,
    PlanCommunication,
    PlanResponse,
    PlanReview,
    PlanSectionText,
    PlanType,
    PlanView,
    RecipientKind,
    ResponseKind,
    ReviewDecision,
    SupportProvision,
    Target,
    TargetProgress,
    TargetReview,
    ViewKind,
)
from stagewise.plausible import limit_of
from stagewise.statutory.decision_support_forms import (
    departure_kind_field,
    departure_reason_field,
)

DATE_HINT = _("For example, 27 3 2027")


def _date(label: Any, required_message: Any = None, **kwargs: Any) -> DateInputField:
    return DateInputField(
        label=label,
        help_text=DATE_HINT,
        error_messages={"required": required_message} if required_message else {},
        **kwargs,
    )


def _text(
    label: Any, required_message: Any = None, rows: int = 4, *, max_length: int, **kwargs: Any
) -> LimitedCharField:
    """A text box; its limit comes from the model field it is saved in (see limit_of)."""
    return LimitedCharField(
        label=label,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": required_message} if required_message else {},
        required=required_message is not None,
        strip=False,
        **kwargs,
    )


class BasedOnForm(forms.Form):
    """Carries a fingerprint of what the editor was shown, to refuse overwriting a colleague."""

    based_on = forms.CharField(widget=forms.HiddenInput, required=False)


class PlanCreateForm(forms.Form):
    plan_type = forms.TypedChoiceField(
        label=_("Type of plan"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the type of plan.")},
    )
    starts_on = _date(_("Date the plan starts"), required=False)
    multi_agency = forms.BooleanField(
        label=_("This is a multi-agency child's plan"),
        required=False,
        help_text=_("A multi-agency plan names a lead professional."),
    )

    departure_kind = departure_kind_field()
    departure_reason = departure_reason_field(
        _("Needed only if you open a plan the statutory test does not suggest.")
    )

    def __init__(
        self,
        *args: Any,
        plan_types: list[tuple[PlanType, str]],
        with_decision_support: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if not with_decision_support:
            del self.fields["departure_kind"]
            del self.fields["departure_reason"]
        self.plan_types = {plan_type.pk: plan_type for plan_type, _local in plan_types}
        self.fields["plan_type"].choices = [  # type: ignore[attr-defined]
            (
                plan_type.pk,
                f"{local} ({plan_type.display_name})" if local else plan_type.display_name,
            )
            for plan_type, local in plan_types
        ]
        if not any(plan_type.has_lead_professional for plan_type, _local in plan_types):
            del self.fields["multi_agency"]

    def clean_plan_type(self) -> PlanType:
        return self.plan_types[self.cleaned_data["plan_type"]]


class PlanDetailsForm(BasedOnForm):
    starts_on = _date(_("Date the plan starts"), _("Enter the date the plan starts."))
    next_review_on = _date(_("Date of the next review"), _("Enter the date of the next review."))
    multi_agency = forms.BooleanField(label=_("This is a multi-agency plan"), required=False)
    lead_professional = LimitedCharField(
        label=_("Lead professional"),
        required=False,
        max_length=limit_of(Plan, "lead_professional"),
        help_text=_("Name, role and organisation."),
    )

    def __init__(self, *args: Any, has_lead_professional: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not has_lead_professional:
            del self.fields["multi_agency"]
            del self.fields["lead_professional"]


class SectionTextForm(BasedOnForm):
    text = _text(_("Text"), rows=8, max_length=limit_of(PlanSectionText, "text"))

    def __init__(self, *args: Any, label: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label


class TargetForm(BasedOnForm):
    outcome = _text(
        _("Target or outcome"),
        _("Describe the target or outcome."),
        rows=3,
        max_length=limit_of(Target, "outcome"),
        help_text=_(
            "What the learner will be able to do, in words they and their family understand."
        ),
    )
    measure = _text(
        _("How progress will be measured"),
        rows=2,
        max_length=limit_of(Target, "measure"),
        help_text=_("Needed before the plan is finalised."),
    )
    baseline = _text(
        _("Baseline: where the learner is now"),
        rows=2,
        max_length=limit_of(Target, "baseline"),
    )
    success_criteria = _text(
        _("Success criteria"), rows=2, max_length=limit_of(Target, "success_criteria")
    )
    achieve_by = _date(_("To be achieved by"), required=False)


class ProvisionForm(forms.Form):
    description = _text(
        _("What the support is"),
        _("Describe the support."),
        rows=3,
        max_length=limit_of(SupportProvision, "description"),
    )
    provider_staff = forms.ModelChoiceField(
        label=_("Member of staff who provides it"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Not a member of staff"),
    )
    provider_agency = forms.ModelChoiceField(
        label=_("Agency that provides it"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("Not an agency"),
    )
    provider_name = LimitedCharField(
        label=_("Or someone else: name and role"),
        required=False,
        max_length=limit_of(SupportProvision, "provider_label"),
    )
    frequency = LimitedCharField(
        label=_("How often"),
        max_length=limit_of(SupportProvision, "frequency"),
        help_text=_("For example, three times a week"),
        error_messages={"required": _("Say how often the support is given.")},
    )
    minutes_per_week = forms.IntegerField(
        label=_("Minutes a week"),
        required=False,
        min_value=0,
        max_value=3000,
        error_messages={
            "invalid": _("Enter the minutes a week as a whole number, like 90."),
            "min_value": _("Minutes a week cannot be negative."),
            "max_value": _("Minutes a week must be 3000 or fewer."),
        },
    )
    location = LimitedCharField(
        label=_("Where"), required=False, max_length=limit_of(SupportProvision, "location")
    )
    starts_on = _date(_("From"), _("Enter the date the support starts."))
    ends_on = _date(_("To"), required=False)
    delivered_in_welsh = forms.TypedChoiceField(
        label=_("Is this provision delivered in Welsh?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether this provision is delivered in Welsh.")},
    )
    rationale = _text(
        _("Why this provision"), rows=2, max_length=limit_of(SupportProvision, "rationale")
    )

    def __init__(
        self, *args: Any, staff: Any, agencies: Any, in_wales: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider_staff"].queryset = staff  # type: ignore[attr-defined]
        self.fields["provider_staff"].label_from_instance = lambda user: user.full_name  # type: ignore[attr-defined]
        self.fields["provider_agency"].queryset = agencies  # type: ignore[attr-defined]
        if not in_wales:
            del self.fields["delivered_in_welsh"]


class ViewForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Whose views are these?"),
        choices=ViewKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whose views these are.")},
    )
    speaker = LimitedCharField(
        label=_("Who gave these views"),
        max_length=limit_of(PlanView, "speaker"),
        help_text=_("For example, Ruby, or Ruby's mum, Sarah Brown"),
        error_messages={"required": _("Say who gave these views.")},
    )
    words = _text(
        _("Their views, in their own words"),
        _("Write their views, in their own words."),
        rows=6,
        max_length=limit_of(PlanView, "words"),
        help_text=_("Write exactly what they said or wrote; do not summarise."),
    )
    gathered_on = _date(_("Date gathered"), _("Enter the date the views were gathered."))
    how_gathered = LimitedCharField(
        label=_("How the views were gathered"),
        required=False,
        max_length=limit_of(PlanView, "how_gathered"),
        help_text=_("For example, talking mat, conversation at home, questionnaire"),
    )


class StaffNotesForm(BasedOnForm):
    staff_notes = _text(
        _("Staff-only notes"),
        rows=6,
        max_length=limit_of(Plan, "staff_notes"),
        help_text=_("Never shown to the family and never printed in the plan."),
    )


class FinaliseForm(forms.Form):
    based_on_revision = forms.IntegerField(widget=forms.HiddenInput)


class SupportInPlaceForm(forms.Form):
    in_place_on = _date(
        _("Date the support was in place"), _("Enter the date the support was in place.")
    )


class CloseForm(forms.Form):
    closed_on = _date(_("Date closed"), _("Enter the date the plan closed."))
    reason = _text(
        _("Why the plan is being closed"),
        _("Say why the plan is being closed."),
        rows=3,
        max_length=limit_of(Plan, "closed_reason"),
    )


class ShareForm(forms.Form):
    recipient = LimitedCharField(
        label=_("Who received the plan"),
        max_length=limit_of(PlanCommunication, "recipient"),
        error_messages={"required": _("Say who received the plan.")},
    )
    recipient_kind = forms.ChoiceField(
        label=_("They are"),
        choices=RecipientKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say who the recipient is.")},
    )
    sent_on = _date(_("Date shared"), _("Enter the date the plan was shared."))
    format = forms.ChoiceField(
        label=_("Format"),
        choices=CommunicationFormat.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the format the plan was shared in.")},
    )
    language = LimitedCharField(
        label=_("Language"),
        required=False,
        max_length=limit_of(PlanCommunication, "language"),
        help_text=_("For example, Welsh"),
    )


class ResponseForm(forms.Form):
    response = forms.ChoiceField(
        label=_("Your response"),
        choices=ResponseKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose your response to the plan.")},
    )
    words = _text(
        _("Anything you want to say about the plan"),
        rows=5,
        max_length=limit_of(PlanResponse, "words"),
        help_text=_(
            "If you disagree, say what with. The school will contact you to talk it through."
        ),
    )


class ReviewForm(forms.Form):
    held_on = _date(_("Date of the review meeting"), _("Enter the date of the review meeting."))
    attendees = _text(
        _("Who attended"),
        _("Say who attended the review."),
        rows=3,
        max_length=limit_of(PlanReview, "attendees"),
        help_text=_("Names and roles, including the child or young person and their family."),
    )
    views_beforehand = _text(
        _("Views gathered before the meeting"),
        rows=4,
        max_length=limit_of(PlanReview, "views_beforehand"),
    )
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=ReviewDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what was decided.")},
    )
    decision_notes = _text(
        _("What was agreed"), rows=3, max_length=limit_of(PlanReview, "decision_notes")
    )
    next_review_on = _date(_("Date of the next review"), required=False)

    def __init__(self, *args: Any, targets: list[Target], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.targets = targets
        # One progress question and one evidence box per target, after the meeting details.
        for number, target in enumerate(targets, start=1):
            self.fields[f"progress_{target.pk}"] = forms.ChoiceField(
                label=_("Target %(number)s: %(outcome)s")
                % {"number": number, "outcome": target.outcome},
                choices=TargetProgress.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose the progress made on target %(number)s.")
                    % {"number": number}
                },
            )
            self.fields[f"evidence_{target.pk}"] = _text(
                _("Evidence for target %(number)s") % {"number": number},
                _("Give the evidence for the progress on target %(number)s.") % {"number": number},
                rows=3,
                max_length=limit_of(TargetReview, "evidence"),
            )
        order = ["held_on", "attendees", "views_beforehand"]
        for target in targets:
            order += [f"progress_{target.pk}", f"evidence_{target.pk}"]
        order += ["decision", "decision_notes", "next_review_on"]
        self.order_fields(order)


class CompareForm(forms.Form):
    left = forms.TypedChoiceField(label=_("Earlier version"), coerce=int)
    right = forms.TypedChoiceField(label=_("Later version"), coerce=int)

    def __init__(self, *args: Any, numbers: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(number, _("Version %(number)s") % {"number": number}) for number in numbers]
        self.fields["left"].choices = choices  # type: ignore[attr-defined]
        self.fields["right"].choices = choices  # type: ignore[attr-defined]
