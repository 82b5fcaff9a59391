"""Forms for rights requests. They parse input; who holds a right, duplicates and dates live in
families/services."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stagewise.families.models import (
    CapacityAssessment,
    RequestChannel,
    RightsRequest,
    RightsRequestOutcome,
    TransitionFamilyPart,
)
from stagewise.fields import DateInputField, LimitedCharField
from stagewise.learners.models import LearnerCarer
from stagewise.plausible import limit_of
from stagewise.policy import NationPolicy

DATE_HINT = _("For example, 27 3 2026")
# The value of the requester choice that means the learner asked themself.
LEARNER_THEMSELF = "learner"


def _words(name: str, label: Any, required: Any, help_text: Any = "") -> LimitedCharField:
    return LimitedCharField(
        label=label,
        max_length=limit_of(RightsRequest, name),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": required},
        help_text=help_text,
    )


class RightsRequestForm(forms.Form):
    """What the family asks for, and why: the rights offered are the learner's nation's."""

    kind = forms.ChoiceField(
        label=_("What are you asking for?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what you are asking for."),
            "invalid_choice": _("Choose one of the requests listed."),
        },
    )
    what = _words(
        "what",
        _("What are you asking for, in your own words?"),
        _("Say what you are asking for."),
        _("For example, which assessment, or what you would like to happen."),
    )
    why = _words(
        "why",
        _("Why are you asking?"),
        _("Say why you are asking."),
        _("What you have noticed, and anything the school or council should know."),
    )

    def __init__(self, *args: Any, nation: NationPolicy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.nation = nation
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            (kind.code, kind.label) for kind in nation.rights_request_kinds
        ]

    @property
    def kind_options(self) -> list[dict[str, Any]]:
        """The rights with their plain-words explanations, for the radios' hints."""
        chosen = self["kind"].value()
        return [
            {
                "value": kind.code,
                "label": kind.label,
                "explanation": kind.explanation,
                "checked": chosen == kind.code,
            }
            for kind in self.nation.rights_request_kinds
        ]


class RecordedRightsRequestForm(RightsRequestForm):
    """Staff recording a request the family made another way, on their behalf."""

    requester = forms.ChoiceField(
        label=_("Who made the request?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose who made the request."),
            "invalid_choice": _("Choose one of the people listed."),
        },
    )
    channel = forms.ChoiceField(
        label=_("How was it made?"),
        choices=[(value, label) for value, label in RequestChannel.choices if value != "portal"],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how the request was made."),
            "invalid_choice": _("Choose how the request was made."),
        },
    )
    received_on = DateInputField(
        label=_("When was it received?"),
        help_text=_("The statutory timescale counts from this day. For example, 27 3 2026"),
        error_messages={"required": _("Enter the date the request was received.")},
    )

    field_order = ["requester", "channel", "received_on", "kind", "what", "why"]

    def __init__(self, *args: Any, carer_links: Any, learner_name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The same questions, asked of the member of staff about what the family asked.
        self.fields["kind"].label = _("What did they ask for?")
        self.fields["what"].label = _("What they asked for, in their words")
        self.fields["what"].help_text = _("Copy the letter's words, or note what was said.")
        self.fields["why"].label = _("Why they asked")
        self.fields["why"].help_text = ""
        self.carer_links = {str(link.pk): link for link in carer_links}
        self.fields["requester"].choices = [  # type: ignore[attr-defined]
            *(
                (pk, f"{link.carer.full_name} ({link.get_relationship_display()})")
                for pk, link in self.carer_links.items()
            ),
            (LEARNER_THEMSELF, _("%(learner)s, themself") % {"learner": learner_name}),
        ]

    def carer_link(self) -> LearnerCarer | None:
        return self.carer_links.get(self.cleaned_data["requester"])


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("What was decided?"),
        choices=RightsRequestOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what was decided."),
            "invalid_choice": _("Choose what was decided."),
        },
    )
    decided_on = DateInputField(
        label=_("Date of the decision"),
        help_text=DATE_HINT,
        error_messages={"required": _("Enter the date of the decision.")},
    )
    note = _words(
        "outcome_note",
        _("What was decided and why"),
        _("Say what was decided and why: the family will see it."),
        _("The family sees this, in these words."),
    )


class CapacityAssessmentForm(forms.Form):
    assessed_on = DateInputField(
        label=_("Date of the assessment"),
        help_text=DATE_HINT,
        error_messages={"required": _("Enter the date of the assessment.")},
    )
    capable = forms.TypedChoiceField(
        label=_("What did it find?"),
        choices=[
            ("true", _("The child can use their rights themself, without harm to their wellbeing")),
            ("false", _("The child cannot use their rights themself yet")),
        ],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what the assessment found.")},
    )
    assessed_by_name = LimitedCharField(
        label=_("Who carried it out?"),
        max_length=limit_of(CapacityAssessment, "assessed_by_name"),
        error_messages={"required": _("Enter the name of the person who carried it out.")},
    )
    notes = LimitedCharField(
        label=_("Notes (optional)"),
        max_length=limit_of(CapacityAssessment, "notes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class TransitionFamilyPartForm(forms.Form):
    """The family's own part in a planned transition, in their own words (ADR 0020)."""

    words = LimitedCharField(
        label=_("Your part and your views"),
        help_text=_(
            "What you will do to get ready, and what you think about the change: what you are"
            " looking forward to, and anything you are worried about. For example: We will visit"
            " the new school in May. Sam is worried about lunchtimes."
        ),
        max_length=limit_of(TransitionFamilyPart, "words"),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": _("Write your part and your views, or go back without saving.")
        },
    )
