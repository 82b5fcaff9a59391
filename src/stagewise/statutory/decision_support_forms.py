"""The two fields every decision form with decision support asks (ADR 0047): the kind of reason
for departing from the suggestion, and the reason in the professional's own words."""

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from stagewise.fields import LimitedCharField
from stagewise.plausible import limit_of
from stagewise.statutory.models import DepartureFromSuggestion, DepartureKind

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


def departure_reason_field(help_text: "str | _StrPromise") -> LimitedCharField:
    """Optional on the form: the service asks for it when the decision departs."""
    return LimitedCharField(
        label=_("Reason for departing from the suggestion"),
        required=False,
        max_length=limit_of(DepartureFromSuggestion, "departure_reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=help_text,
    )


def departure_kind_field() -> forms.ChoiceField:
    """Optional on the form: the service asks for it when the decision departs."""
    return forms.ChoiceField(
        label=_("Kind of reason for departing from the suggestion"),
        required=False,
        choices=DepartureKind.choices,
        widget=forms.RadioSelect,
        help_text=_("Needed only if you depart from the suggestion: the main kind of reason."),
        error_messages={
            "invalid_choice": _("Choose the kind of reason for departing from the list.")
        },
    )
