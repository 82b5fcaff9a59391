"""The moderation forms; the services check everything again."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from stagewise.fields import DateInputField, LimitedCharField
from stagewise.moderation.models import (
    MOST_REASON_CHARACTERS,
    DecisionKind,
    ModerationGroup,
    Verdict,
)
from stagewise.organisations.models import LocalAuthority, Membership, role_label

# A sample bigger than this would be more than moderators can read in a round.
LARGEST_SAMPLE = 500


class SampleForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Which decisions"),
        choices=DecisionKind.choices,
        initial=DecisionKind.STAGE,
        widget=forms.RadioSelect,
        help_text=_(
            "Stage decisions are sampled by school and stage; plan decisions (a plan of a type"
            " opened) by school and plan type."
        ),
        error_messages={
            "required": _("Choose stage decisions or plan decisions."),
            "invalid_choice": _("Choose stage decisions or plan decisions."),
        },
    )
    decided_from = DateInputField(
        label=_("Decisions made from"),
        help_text=_("The first day of the period, like 1 9 2026."),
        error_messages={"required": _("Enter the first day of the period.")},
    )
    decided_to = DateInputField(
        label=_("Decisions made up to"),
        help_text=_("The last day of the period, like 30 11 2026. It cannot be in the future."),
        error_messages={"required": _("Enter the last day of the period.")},
    )
    size = forms.IntegerField(
        label=_("Sample size"),
        help_text=_("How many decisions to moderate."),
        min_value=1,
        max_value=LARGEST_SAMPLE,
        error_messages={
            "required": _("Enter the sample size."),
            "invalid": _("Enter the sample size as a whole number, like 20."),
            "min_value": _("The sample size must be 1 or more."),
            "max_value": _("The sample size must be %(limit_value)s or fewer."),
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
    )
    group = forms.ModelChoiceField(
        label=_("Whose schools"),
        queryset=ModerationGroup.objects.none(),
        required=False,
        empty_label=_("Your authority's schools only"),
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose your authority or one of its groups.")},
    )

    def __init__(self, *args: Any, groups: QuerySet[ModerationGroup], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["group"]
        field.queryset = groups  # type: ignore[attr-defined]
        if not groups.exists():
            del self.fields["group"]


def _moderator_label(membership: Membership) -> str:
    return f"{membership.user.full_name}, {role_label(membership.role, None)}, {membership.setting}"


class AssignForm(forms.Form):
    moderators = forms.ModelMultipleChoiceField(
        label=_("Moderators"),
        help_text=_(
            "Each case goes to the next moderator in turn who is not at the school that made the"
            " decision or at the school the learner attends now."
        ),
        queryset=Membership.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one moderator."),
            "invalid_choice": _("Choose moderators from the list."),
            "invalid_pk_value": _("Choose moderators from the list."),
        },
    )

    def __init__(self, *args: Any, moderators: QuerySet[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["moderators"]
        field.queryset = moderators
        field.label_from_instance = _moderator_label


class ReassignForm(forms.Form):
    moderator = forms.ModelChoiceField(
        label=_("Give the case to"),
        help_text=_(
            "Staff of the sample's schools, other than the school that made the decision. Someone"
            " at the school the learner attends now is refused."
        ),
        queryset=Membership.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Choose the moderator to give the case to."),
            "invalid_choice": _("Choose a moderator from the list."),
        },
    )

    def __init__(self, *args: Any, moderators: QuerySet[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["moderator"]
        field.queryset = moderators
        field.label_from_instance = _moderator_label


class ReviewForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Do you agree with the decision?"),
        choices=Verdict.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether you agree with the decision."),
            "invalid_choice": _("Choose whether you agree with the decision."),
        },
    )
    reason = LimitedCharField(
        label=_("Your reason"),
        help_text=_(
            "Needed if you disagree: what in the evidence points to another stage or plan."
        ),
        max_length=MOST_REASON_CHARACTERS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class ResponseForm(forms.Form):
    response = LimitedCharField(
        label=_("The school's response"),
        help_text=_("What the school considered and what it will do, if anything."),
        max_length=MOST_REASON_CHARACTERS,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Enter the school's response to the moderator's disagreement.")
        },
    )


class ModerationGroupForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        error_messages={
            "required": _("Enter the group's name."),
            "max_length": _("The name must be %(limit_value)s characters or fewer."),
        },
    )
    name_cy = forms.CharField(
        label=_("Name in Welsh"),
        help_text=_("Leave empty if the group has no Welsh name."),
        max_length=200,
        required=False,
        error_messages={
            "max_length": _("The Welsh name must be %(limit_value)s characters or fewer.")
        },
    )
    authorities = forms.ModelMultipleChoiceField(
        label=_("Authorities"),
        help_text=_(
            "Two or more authorities of one nation. An officer of any of them may draw a sample"
            " across all their schools, and their schools' staff moderate each other's decisions."
        ),
        queryset=LocalAuthority.objects.select_related("nation").order_by("nation__name", "name"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose two or more authorities: a group moderates across them."),
            "invalid_choice": _("Choose authorities from the list."),
            "invalid_pk_value": _("Choose authorities from the list."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["authorities"]
        field.label_from_instance = lambda authority: (
            f"{authority.display_name} ({authority.nation.display_name})"
        )
