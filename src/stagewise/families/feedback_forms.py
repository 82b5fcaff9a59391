"""The two questions about a review (ADR 0026), in the parents' words and in the child's own
(first person, simpler). The form parses input; whether an answer may still be given lives in
families/feedback_services."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stagewise.families.feedback_models import (
    COMMENT_MAX_LENGTH,
    FeedbackAnswer,
    FeedbackQuestion,
    FeedbackRespondent,
)
from stagewise.families.feedback_services import FeedbackGiven
from stagewise.fields import LimitedCharField

# Each version's wording: the two questions (with the school and the child named where the
# question has "%(school)s" and "%(name)s"), the answers, and the comment's label and hint.
QUESTIONS: dict[str, dict[str, Any]] = {
    FeedbackRespondent.PARENT: {
        FeedbackQuestion.FEEL_SUPPORTED: _("Do you feel %(school)s supports %(name)s well?"),
        FeedbackQuestion.LISTENED_TO: _("Did you feel listened to at the review?"),
    },
    FeedbackRespondent.LEARNER: {
        # The child's version says each in the first person, and asks if it is true for them.
        FeedbackQuestion.FEEL_SUPPORTED: _("I feel %(school)s helps me well."),
        FeedbackQuestion.LISTENED_TO: _("I felt people listened to me at my review."),
    },
}
ANSWERS: dict[str, list[tuple[str, Any]]] = {
    FeedbackRespondent.PARENT: list(FeedbackAnswer.choices),
    FeedbackRespondent.LEARNER: [
        (FeedbackAnswer.YES, _("Yes")),
        (FeedbackAnswer.PARTLY, _("A bit")),
        (FeedbackAnswer.NO, _("No")),
        (FeedbackAnswer.RATHER_NOT_SAY, _("I would rather not say")),
    ],
}
COMMENT: dict[str, tuple[Any, Any]] = {
    FeedbackRespondent.PARENT: (
        _("Anything you would like to add (optional)"),
        _(
            "In your own words. What you write is shared with the staff who work on the plan,"
            " exactly as you write it."
        ),
    ),
    FeedbackRespondent.LEARNER: (
        _("Is there anything else you want to tell us? (You do not have to.)"),
        _("The people who help you at school and who work on your plan will read it."),
    ),
}
IS_IT_TRUE = _("Is this true for you?")
THE_SCHOOL: dict[str, Any] = {
    FeedbackRespondent.PARENT: _("the school"),
    FeedbackRespondent.LEARNER: _("my school"),
}


def question_text(respondent: str, question: str, *, school: str, name: str) -> str:
    return str(QUESTIONS[respondent][question]) % {
        "school": school or THE_SCHOOL[respondent],
        "name": name,
    }


class ReviewFeedbackForm(forms.Form):
    """Both questions must be answered ("Rather not say" is an answer); the comment is optional."""

    def __init__(self, *args: Any, respondent: str, school: str, name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in FeedbackQuestion.values:
            self.fields[question] = forms.ChoiceField(
                label=question_text(respondent, question, school=school, name=name),
                help_text=IS_IT_TRUE if respondent == FeedbackRespondent.LEARNER else "",
                choices=ANSWERS[respondent],
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose an answer."),
                    "invalid_choice": _("Choose one of the answers listed."),
                },
            )
        label, hint = COMMENT[respondent]
        self.fields["comment"] = LimitedCharField(
            label=label,
            help_text=hint,
            max_length=COMMENT_MAX_LENGTH,
            required=False,
            widget=forms.Textarea(attrs={"rows": 4}),
        )

    def given(self) -> FeedbackGiven:
        data = self.cleaned_data
        return FeedbackGiven(
            feel_supported=data["feel_supported"],
            listened_to=data["listened_to"],
            comment=data.get("comment") or "",
        )
