"""The measures pages' one choice, read from the address (GET): the period."""

from django import forms
from django.utils.translation import gettext_lazy as _

from stagewise.coordination.measures import DEFAULT_PERIOD, PERIOD_LABELS


class MeasuresPeriodForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"),
        choices=list(PERIOD_LABELS.items()),
        widget=forms.RadioSelect,
        initial=DEFAULT_PERIOD,
        error_messages={
            "required": _("Choose a period: this academic year, the last 12 months or 3 months."),
            "invalid_choice": _(
                "Choose a period: this academic year, the last 12 months or 3 months."
            ),
        },
    )
