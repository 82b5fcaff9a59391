"""The forms for views before a review: the parents' form, the form written for a child (first
person, simpler questions), the easy-read form (plain short sentences), and staff recording views
given on paper or by telephone. They parse input; whether views may still be given lives in
families/review_views_services."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stagewise.families.review_views_models import ViewsChannel, ViewsFormVersion, ViewsQuestion
from stagewise.families.review_views_services import Answers
from stagewise.fields import DateInputField, LimitedCharField
from stagewise.planning.models import PlanView
from stagewise.plausible import limit_of

# Each version's questions, by the same four keys, with a hint each.
QUESTIONS: dict[str, dict[str, tuple[Any, Any]]] = {
    ViewsFormVersion.PARENT: {
        ViewsQuestion.GOING_WELL: (
            _("What is going well?"),
            _("At school, at home, with the support in the plan."),
        ),
        ViewsQuestion.WORRIES: (_("What is worrying you?"), ""),
        ViewsQuestion.CHANGE: (_("What would you like to change?"), ""),
        ViewsQuestion.ANYTHING_ELSE: (_("Anything else the review should know?"), ""),
    },
    ViewsFormVersion.CHILD: {
        ViewsQuestion.GOING_WELL: (
            _("What do you like? What is going well for you?"),
            _("At school, at home, with your friends, anything."),
        ),
        ViewsQuestion.WORRIES: (_("What is hard for you, or what worries you?"), ""),
        ViewsQuestion.CHANGE: (_("What would make things better for you?"), ""),
        ViewsQuestion.ANYTHING_ELSE: (
            _("Is there anything else you want the people at your review to know?"),
            "",
        ),
    },
    ViewsFormVersion.EASY_READ: {
        ViewsQuestion.GOING_WELL: (_("What is good?"), _("Write what is going well.")),
        ViewsQuestion.WORRIES: (_("What is hard?"), _("Write what worries you.")),
        ViewsQuestion.CHANGE: (_("What should change?"), _("Write what you want to be different.")),
        ViewsQuestion.ANYTHING_ELSE: (
            _("Anything else?"),
            _("Write anything else you want to say."),
        ),
    },
    ViewsFormVersion.RECORDED_BY_STAFF: {
        ViewsQuestion.GOING_WELL: (_("What is going well?"), ""),
        ViewsQuestion.WORRIES: (_("What is worrying them?"), ""),
        ViewsQuestion.CHANGE: (_("What would they like to change?"), ""),
        ViewsQuestion.ANYTHING_ELSE: (_("Anything else the review should know?"), ""),
    },
}


def question_labels(version: str) -> dict[str, str]:
    return {key: str(label) for key, (label, _hint) in QUESTIONS[version].items()}


class ReviewViewsForm(forms.Form):
    """Four questions, each optional: at least one answer is needed (the service says so)."""

    def __init__(self, *args: Any, version: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.version = version
        limit = limit_of(PlanView, "words")
        for key, (label, hint) in QUESTIONS[version].items():
            self.fields[key] = LimitedCharField(
                label=label,
                help_text=hint,
                max_length=limit,
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not any(
            (cleaned.get(key) or "").strip() for key in ViewsQuestion.values
        ):
            raise forms.ValidationError(_("Answer at least one question."), code="no_answers")
        return cleaned

    def answers(self) -> Answers:
        data = self.cleaned_data
        return Answers(**{key: data.get(key) or "" for key in ViewsQuestion.values})


# The value of the speaker choice that means the learner's own views.
LEARNER_THEMSELF = "learner"


class RecordedReviewViewsForm(ReviewViewsForm):
    """Staff recording views given on paper, by telephone or in person."""

    speaker = forms.ChoiceField(
        label=_("Whose views are these?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whose views these are."),
            "invalid_choice": _("Choose one of the people listed."),
        },
    )
    channel = forms.ChoiceField(
        label=_("How were they given?"),
        choices=[(value, label) for value, label in ViewsChannel.choices if value != "portal"],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how the views were given."),
            "invalid_choice": _("Choose how the views were given."),
        },
    )
    gathered_on = DateInputField(
        label=_("When were they given?"),
        help_text=_("For example, 27 3 2026"),
        error_messages={"required": _("Enter the date the views were given.")},
    )

    def __init__(self, *args: Any, carer_links: Any, learner_name: str, **kwargs: Any) -> None:
        super().__init__(*args, version=ViewsFormVersion.RECORDED_BY_STAFF, **kwargs)
        self.carer_links = {str(link.pk): link for link in carer_links}
        self.fields["speaker"].choices = [  # type: ignore[attr-defined]
            *((pk, link.carer.full_name) for pk, link in self.carer_links.items()),
            (LEARNER_THEMSELF, _("%(learner)s, themself") % {"learner": learner_name}),
        ]
        self.order_fields(["speaker", "channel", "gathered_on", *ViewsQuestion.values])

    def carer_link(self) -> Any:
        return self.carer_links.get(self.cleaned_data["speaker"])
