"""Forms for a young person's decision about what their parents and carers see. They parse
input; the age rule, the parts and the dates are checked in learners/services/sharing."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stagewise.fields import DateInputField
from stagewise.learners.models import DecisionGivenBy, ParentPart, ParentSharing


class ParentSharingForm(forms.Form):
    """The young person's own choice."""

    sharing = forms.ChoiceField(
        label=_("What can your parents and carers see?"),
        choices=[
            (ParentSharing.EVERYTHING, _("Everything the family sees")),
            (ParentSharing.CHOSEN_PARTS, _("Only the parts I choose below")),
            (ParentSharing.NOTHING, _("Nothing: they cannot see my record")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what your parents and carers can see."),
            "invalid_choice": _("Choose one of the options listed."),
        },
    )
    parts = forms.MultipleChoiceField(
        label=_("If only some parts: which parts can they see?"),
        choices=ParentPart.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("Choose parts of the record from the list.")},
    )


class RecordedParentSharingForm(ParentSharingForm):
    """A decision the young person made known to the school or the authority."""

    decided_on = DateInputField(
        label=_("Date the young person told you"),
        help_text=_("For example, 27 3 2026"),
        error_messages={"required": _("Enter the date the young person told you.")},
    )
    given_by = forms.ChoiceField(
        label=_("How did the young person tell you?"),
        choices=[
            (value, label)
            for value, label in DecisionGivenBy.choices
            if value != DecisionGivenBy.IN_STAGEWISE
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how the young person told you."),
            "invalid_choice": _("Choose how the young person told you."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sharing = self.fields["sharing"]
        assert isinstance(sharing, forms.ChoiceField)
        sharing.label = _("What did the young person decide their parents see?")
        sharing.choices = ParentSharing.choices
