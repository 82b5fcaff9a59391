"""Forms for the service's side of a request for assistance (the requester's are in
requester_forms.py). They parse input only: what an answer needs (a reason to decline, a note on
completion, a practitioner who works for the service) is checked by coordination/services, whose
refusals the views put back on these forms by the field each names."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stagewise.accounts.models import User
from stagewise.coordination.models import RequestEvent, RequestForAssistance
from stagewise.fields import LimitedCharField
from stagewise.organisations.models import Agency
from stagewise.plausible import limit_of


def _words(label: Any, model: type, field_name: str, help_text: Any = "") -> LimitedCharField:
    return LimitedCharField(
        label=label,
        max_length=limit_of(model, field_name),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=help_text,
    )


def _note(label: Any, help_text: Any = "") -> LimitedCharField:
    return _words(label, RequestEvent, "note", help_text)


class _ChoosesPractitioner(forms.Form):
    """A choice among the service's practitioners, by their user id."""

    practitioner = forms.ChoiceField(
        label=_("Practitioner"),
        required=False,
        error_messages={"invalid_choice": _("Choose a practitioner from the list.")},
    )
    practitioner_prompt: Any = _("Do not allocate yet")

    def __init__(self, *args: Any, practitioners: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.practitioners = {str(user.pk): user for user in practitioners}
        self.fields["practitioner"].choices = [("", self.practitioner_prompt)] + [  # type: ignore[attr-defined]
            (key, user.full_name) for key, user in self.practitioners.items()
        ]

    def clean_practitioner(self) -> User | None:
        return self.practitioners.get(self.cleaned_data.get("practitioner") or "")


class ServiceAcceptForm(_ChoosesPractitioner):
    note = _note(
        _("Note for the requester (optional)"),
        help_text=_("The school or authority that asked will see this note."),
    )

    field_order = ["practitioner", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["practitioner"].label = _("Allocate to a practitioner now (optional)")


class ServiceWaitingListForm(forms.Form):
    note = _note(
        _("Note for the requester (optional)"),
        help_text=_("For example, how long the wait usually is."),
    )


class ServiceDeclineForm(forms.Form):
    decline_reason = _words(
        _("Why the request is declined"),
        RequestForAssistance,
        "decline_reason",
        help_text=_("The school or authority that asked will see this reason."),
    )
    suggested_service = forms.ChoiceField(
        label=_("Suggest another service (optional)"),
        required=False,
        error_messages={"invalid_choice": _("Choose a service from the list.")},
    )
    suggestion = _words(
        _("Where else to go (optional)"),
        RequestForAssistance,
        "suggestion",
        help_text=_("For a service not listed: its name and how to reach it."),
    )

    def __init__(self, *args: Any, services: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.services = {str(service.pk): service for service in services}
        self.fields["suggested_service"].choices = [("", _("No other service"))] + [  # type: ignore[attr-defined]
            (key, service.display_name) for key, service in self.services.items()
        ]

    def clean_suggested_service(self) -> Agency | None:
        return self.services.get(self.cleaned_data.get("suggested_service") or "")


class ServiceAllocateForm(_ChoosesPractitioner):
    practitioner_prompt = _("Choose a practitioner")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["practitioner"].label = _("Allocate to")

    def clean_practitioner(self) -> User | None:
        practitioner = super().clean_practitioner()
        if practitioner is None:
            raise forms.ValidationError(_("Choose the practitioner to allocate the request to."))
        return practitioner


class ServiceStartForm(forms.Form):
    note = _note(_("Note (optional)"), help_text=_("For example, when you will first meet."))


class ServiceCompleteForm(forms.Form):
    note = _note(
        _("What was done and what happens next"),
        help_text=_("The school or authority that asked will see this note."),
    )
