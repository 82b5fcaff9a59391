"""The family's own say on a plan review (ADR 0026): after each review is recorded, each parent or
carer who sees the plan and the child or young person with their own account are asked two short
questions about it: do they feel the school supports the child well, and did they feel listened to
at the review. One answer per person per review, which they can change until the window closes
(FEEDBACK_OPEN_DAYS after the review was recorded), or they can decline to answer.

The answers are the family's own: they are shown to the staff who see the plan, never to another
family member, and counted (families/feedback_selectors.review_feedback_counts) for the measures
of issue 12."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stagewise import plausible

# How long after a review is recorded the family may answer, or change their answer.
FEEDBACK_OPEN_DAYS = 28
# The optional comment: a few sentences, not a letter.
COMMENT_MAX_LENGTH = 1_000


class FeedbackQuestion(models.TextChoices):
    """The two questions; each form words them its own way (feedback_forms)."""

    FEEL_SUPPORTED = "feel_supported", _("Feels the school supports the child well")
    LISTENED_TO = "listened_to", _("Felt listened to at the review")


class FeedbackAnswer(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")
    RATHER_NOT_SAY = "rather_not_say", _("Rather not say")


class FeedbackRespondent(models.TextChoices):
    PARENT = "parent", _("Parent or carer")
    LEARNER = "learner", _("The child or young person")


class ReviewFeedback(models.Model):
    """One person's answer about one review, or their decision not to answer."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    review = models.ForeignKey(
        "planning.PlanReview", on_delete=models.CASCADE, related_name="family_feedback"
    )
    # Kept beside the review so the access checks and the home page reach it in one step.
    learner = models.ForeignKey(
        "learners.Learner", on_delete=models.CASCADE, related_name="review_feedback"
    )
    # The school the learner was at on the day of the review: the one the answers are about, and
    # the one the measures count them for, even after a move.
    setting = models.ForeignKey(
        "organisations.Setting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    respondent = models.CharField(
        _("whose answer"), max_length=10, choices=FeedbackRespondent.choices
    )
    # The name as it was when they answered.
    name = plausible.CharField(_("name"), max_length=200)
    declined = models.BooleanField(_("chose not to answer"), default=False)
    feel_supported = models.CharField(
        _("feels the school supports the child well"),
        max_length=20,
        choices=FeedbackAnswer.choices,
        blank=True,
    )
    listened_to = models.CharField(
        _("felt listened to at the review"),
        max_length=20,
        choices=FeedbackAnswer.choices,
        blank=True,
    )
    comment = plausible.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH, blank=True)
    answered_at = models.DateTimeField(_("answered"), auto_now_add=True)
    changed_at = models.DateTimeField(_("last changed"), null=True, blank=True)

    class Meta:
        ordering = ["respondent", "answered_at", "pk"]
        verbose_name = _("family's answer about a review")
        verbose_name_plural = _("families' answers about reviews")
        constraints = [
            models.UniqueConstraint(fields=["review", "user"], name="one_feedback_per_person"),
            # Declined: nothing answered. Answered: both questions answered.
            models.CheckConstraint(
                condition=(
                    Q(declined=True, feel_supported="", listened_to="", comment="")
                    | (Q(declined=False) & ~Q(feel_supported="") & ~Q(listened_to=""))
                ),
                name="feedback_answered_or_declined",
            ),
        ]
        indexes = [models.Index(fields=["setting", "review"])]

    def __str__(self) -> str:
        return f"{self.name} on {self.review}"
