"""The form on which an authority keeps a service's pathway. It parses what was typed; the
service (coordination/services/pathways.py) and the model decide what is allowed."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stagewise.coordination.models import ServicePathway
from stagewise.fields import LimitedCharField
from stagewise.plausible import limit_of
from stagewise.statutory.models import NationalStage

MOST_WEEKS = 52


def _text(
    field: str,
    label: Any,
    required_message: Any = None,
    **kwargs: Any,
) -> LimitedCharField:
    """A text box of the pathway, limited as the model is; optional unless given the message
    to show when it is left empty."""
    return LimitedCharField(
        label=label,
        max_length=limit_of(ServicePathway, field),
        required=required_message is not None,
        widget=forms.Textarea,
        error_messages={"required": required_message} if required_message else {},
        **kwargs,
    )


class PathwayForm(forms.Form):
    summary = _text(
        "summary",
        _("What the service does"),
        _("Enter what the service does."),
    )
    summary_cy = _text(
        "summary_cy",
        _("What the service does, in Welsh (optional)"),
        help_text=_("Shown to people reading in Welsh; leave blank to show the English."),
    )
    access_criteria = _text(
        "access_criteria",
        _("Who the service is for"),
        _("Enter who the service is for."),
        help_text=_("For example, the ages it works with and the needs it helps with."),
    )
    access_criteria_cy = _text(
        "access_criteria_cy",
        _("Who the service is for, in Welsh (optional)"),
    )
    request_must_include = _text(
        "request_must_include",
        _("What a request must include"),
        _("Enter what a request to the service must include."),
    )
    request_must_include_cy = _text(
        "request_must_include_cy",
        _("What a request must include, in Welsh (optional)"),
    )
    usual_stages = forms.MultipleChoiceField(
        label=_("Stages at which the service is usually involved"),
        choices=NationalStage.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The stages of the national frame. Select all that apply."),
        error_messages={
            "required": _("Select at least one stage at which the service is usually involved."),
            "invalid_choice": _("Choose universal, targeted or specialist."),
        },
    )
    response_weeks = forms.IntegerField(
        label=_("Usual response time, in weeks"),
        help_text=_(
            "How long the service usually takes to answer a request (accept it, decline it or "
            "put it on its waiting list): a whole number of weeks from 1 to 52."
        ),
        min_value=1,
        max_value=MOST_WEEKS,
        error_messages={
            "required": _("Enter the usual response time in weeks."),
            "invalid": _("Enter the response time as a whole number of weeks, like 6."),
            "min_value": _("The response time must be between 1 and 52 weeks."),
            "max_value": _("The response time must be between 1 and 52 weeks."),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    telephone = LimitedCharField(
        label=_("Telephone (optional)"),
        max_length=limit_of(ServicePathway, "telephone"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("Email address (optional)"),
        required=False,
        max_length=limit_of(ServicePathway, "email"),
        widget=forms.EmailInput(attrs={"spellcheck": "false"}),
        error_messages={
            "invalid": _("Enter an email address in the correct format, like name@example.org.")
        },
    )
    website = forms.URLField(
        label=_("Website (optional)"),
        required=False,
        max_length=limit_of(ServicePathway, "website"),
        error_messages={
            "invalid": _("Enter the website's full address, like https://www.example.org/service.")
        },
    )
    address = _text("address", _("Address (optional)"))
    accepts_requests = forms.BooleanField(
        label=_("Schools and the authority send requests to this service through Stagewise"),
        required=False,
        help_text=_("Leave unticked for a service that families contact directly."),
    )
