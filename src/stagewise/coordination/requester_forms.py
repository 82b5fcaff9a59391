"""Forms for the requester's side of a request for assistance. They parse input; what a request
needs before it is sent, and who may send it, lives in coordination/services."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stagewise.coordination.models import (
    ConsentGivenBy,
    ConsentMethod,
    RecordPart,
    RequestForAssistance,
    SharingConsent,
    Urgency,
)
from stagewise.fields import DateInputField, LimitedCharField
from stagewise.organisations.models import Agency
from stagewise.planning.models import Plan
from stagewise.plausible import limit_of


def _words(name: str, label: Any, required: Any, help_text: Any = "", rows: int = 4) -> Any:
    return LimitedCharField(
        label=label,
        max_length=limit_of(RequestForAssistance, name),
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": required},
        help_text=help_text,
    )


class RequestForm(forms.Form):
    service = forms.ModelChoiceField(
        label=_("Which service are you asking?"),
        queryset=Agency.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the service you are asking for help."),
            "invalid_choice": _("Choose one of the services listed."),
        },
    )
    reason = _words(
        "reason",
        _("Why are you asking for help?"),
        _("Say why you are asking the service for help."),
        _("What the learner finds hard, and what the school has seen."),
    )
    tried = _words(
        "tried",
        _("What has been tried?"),
        _("Say what the school has tried already."),
        _("The support in place now, and how it has gone."),
    )
    tried_for = LimitedCharField(
        label=_("For how long?"),
        max_length=limit_of(RequestForAssistance, "tried_for"),
        error_messages={"required": _("Say for how long it has been tried.")},
        help_text=_("For example, 'since October' or 'two terms'."),
    )
    urgency = forms.ChoiceField(
        label=_("How urgent is it?"),
        choices=Urgency.choices,
        initial=Urgency.ROUTINE,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how urgent the request is.")},
    )
    learner_views = _words(
        "learner_views",
        _("The learner's views"),
        _("Give the learner's views, in their words where you can."),
    )
    family_views = _words(
        "family_views",
        _("The family's views"),
        _("Give the family's views on the request."),
    )
    plan = forms.ModelChoiceField(
        label=_("Is it for a plan? (optional)"),
        queryset=Plan.objects.none(),
        required=False,
        empty_label=_("Not for a particular plan"),
        help_text=_(
            "A request made for a co-ordinated support plan must be answered within 10 weeks."
        ),
        error_messages={"invalid_choice": _("Choose one of the learner's plans.")},
    )

    def __init__(self, *args: Any, services: Any, plans: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services  # type: ignore[attr-defined]
        self.fields["plan"].queryset = plans  # type: ignore[attr-defined]
        self.fields["service"].label_from_instance = _service_label  # type: ignore[attr-defined]
        self.fields["plan"].label_from_instance = _plan_label  # type: ignore[attr-defined]


def _plan_label(plan: Plan) -> str:
    return f"{plan.plan_type} ({plan.get_status_display().lower()})"


def _service_label(service: Agency) -> str:
    return f"{service.display_name} ({service.get_agency_type_display()})"


class ConsentForm(forms.Form):
    given_by = forms.ChoiceField(
        label=_("Who gave consent?"),
        choices=ConsentGivenBy.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say who gave consent.")},
    )
    given_by_name = LimitedCharField(
        label=_("Their name"),
        max_length=limit_of(SharingConsent, "given_by_name"),
        error_messages={"required": _("Enter the name of the person who gave consent.")},
    )
    given_on = DateInputField(
        label=_("When was consent given?"),
        help_text=_("For example, 27 3 2026"),
        error_messages={"required": _("Enter the date consent was given.")},
    )
    method = forms.ChoiceField(
        label=_("How was it given?"),
        choices=ConsentMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say how consent was given.")},
    )
    parts = forms.MultipleChoiceField(
        label=_("What else may the service see?"),
        choices=RecordPart.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The service always sees the request and the learner's name, date of birth and"
            " school. Tick only what the person agreed to share."
        ),
    )


class LawfulBasisForm(forms.Form):
    lawful_basis = LimitedCharField(
        label=_("What allows sharing without consent?"),
        max_length=limit_of(RequestForAssistance, "lawful_basis"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _(
                "Say what allows sharing without consent, and the law or guidance you rely on."
            )
        },
        help_text=_(
            "For example, a risk of significant harm to the child. The authority's officers are"
            " shown every request sent without consent."
        ),
    )


class ReasonForm(forms.Form):
    """A reason, required: withdrawing a request."""

    reason = LimitedCharField(
        label=_("Why is the request withdrawn?"),
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the request is withdrawn.")},
    )


class ConsentWithdrawForm(forms.Form):
    note = LimitedCharField(
        label=_("Anything you would like to say (optional)"),
        max_length=limit_of(SharingConsent, "withdrawal_note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
