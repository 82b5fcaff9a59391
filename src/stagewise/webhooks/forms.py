"""The administration form for a webhook subscription; the service checks everything again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from stagewise.fields import LimitedCharField
from stagewise.webhooks.addresses import AddressRefused, target_of
from stagewise.webhooks.models import EventType


class SubscriptionForm(forms.Form):
    target_url = LimitedCharField(
        label=_("Address to send events to"),
        max_length=500,
        help_text=_(
            "An https address of the integration's system, like https://example.org/hooks."
        ),
        error_messages={"required": _("Enter the address to send events to.")},
    )
    event_types = forms.MultipleChoiceField(
        label=_("Events to send"),
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Only events about learners the integration sees are sent, and only their ids: its"
            " system fetches the rest through the API."
        ),
        error_messages={
            "required": _("Choose at least one event."),
            "invalid_choice": _("Choose events from the list."),
        },
    )

    def clean_target_url(self) -> str:
        """Checked here too, so that every problem with the form is shown at once."""
        url: str = self.cleaned_data["target_url"].strip()
        try:
            target_of(url)
        except AddressRefused as refused:
            raise forms.ValidationError(str(refused)) from None
        return url
