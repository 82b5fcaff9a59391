from django import forms
from django.utils.translation import gettext_lazy as _

from stagewise.learners.models import YEAR_GROUPS
from stagewise.organisations.models import Setting
from stagewise.policy import nation_policy


class TransferUploadForm(forms.Form):
    document = forms.FileField(
        label=_("Transfer document"),
        help_text=_("The JSON file the sending organisation gave you."),
        error_messages={"required": _("Choose the transfer document to check.")},
    )
    setting = forms.ModelChoiceField(
        label=_("School the learner joins"),
        queryset=Setting.objects.none(),
        empty_label=_("Choose a school"),
        error_messages={
            "required": _("Choose the school the learner joins."),
            "invalid_choice": _("Choose a school from the list."),
        },
    )

    def __init__(self, *args: object, settings_offered: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["setting"]
        field.queryset = settings_offered  # type: ignore[attr-defined]
        # A school's leader imports into their own school: nothing to choose.
        if len(settings_offered) == 1:  # type: ignore[arg-type]
            field.initial = settings_offered[0]  # type: ignore[index]
            field.widget = forms.HiddenInput()


class TransferConfirmForm(forms.Form):
    """The document again (checked again when confirmed), the school, the match the lead saw,
    for a learner crossing between nations their number in this one (checked by the services
    against the nation), and, for a new learner, their year group here."""

    content = forms.CharField(widget=forms.HiddenInput())
    setting = forms.ModelChoiceField(queryset=Setting.objects.none(), widget=forms.HiddenInput())
    match = forms.CharField(widget=forms.HiddenInput())
    candidate_number = forms.CharField(
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    year_group = forms.ChoiceField(
        label=_("Year group at this school"),
        required=False,
        error_messages={"invalid_choice": _("Choose a year group from the list.")},
    )

    def __init__(
        self, *args: object, settings_offered: object, nation: str, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["setting"].queryset = settings_offered  # type: ignore[attr-defined]
        # Asked only when the document's number is the other nation's (a learner crossing
        # between Scotland and Wales): the number is this nation's.
        self.fields["candidate_number"].label = str(nation_policy(nation).learner_identifier)
        self.fields["candidate_number"].help_text = _(
            "The learner's number in this nation, as your school's management information system"
            " gives it when they join. The document's number is the sending nation's: it is kept"
            " with the received record."
        )
        self.fields["year_group"].choices = [  # type: ignore[attr-defined]
            ("", _("Choose a year group")),
            *YEAR_GROUPS.get(nation, []),
        ]

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        if cleaned.get("match") == "new" and not cleaned.get("year_group"):
            self.add_error("year_group", _("Choose the learner's year group at this school."))
        return cleaned


class SigningKeyReplaceForm(forms.Form):
    confirmed = forms.BooleanField(
        label=_("Yes, retire the key in use and sign with a new one from now on"),
        error_messages={"required": _("Tick the box to confirm the key is replaced.")},
    )
