"""The public pages' filters: by theme, by responsible body, by status."""

from django import forms
from django.utils.translation import gettext_lazy as _

from stagewise.actionplans.models import ActionStatus, Theme
from stagewise.actionplans.selectors import NOT_STATED
from stagewise.organisations.models import NationalBody


class ActionFilterForm(forms.Form):
    theme = forms.TypedChoiceField(
        label=_("Theme"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose a theme from the list.")},
    )
    body = forms.ChoiceField(
        label=_("Responsible body"),
        required=False,
        error_messages={"invalid_choice": _("Choose a body from the list.")},
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Any status")),
            *ActionStatus.choices,
            (NOT_STATED, _("Not stated in the published plan")),
        ],
        error_messages={"invalid_choice": _("Choose a status from the list.")},
    )

    def __init__(
        self, *args: object, themes: list[Theme], bodies: list[NationalBody], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["theme"].choices = [  # type: ignore[attr-defined]
            ("", _("Any theme")),
            *((theme.pk, theme.title) for theme in themes),
        ]
        self.fields["body"].choices = [  # type: ignore[attr-defined]
            ("", _("Any body")),
            *((body.code, body.display_name) for body in bodies),
        ]
