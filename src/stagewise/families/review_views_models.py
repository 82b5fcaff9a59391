"""Views before a review (ADR 0018): the family and the child are asked for their views before a
plan is reviewed, and what they write becomes the plan's views (planning PlanView), in their own
words, linked to the review that reads them.

One invitation per plan per review cycle (the review due on the plan's next review date); who was
invited (each parent or carer with portal access, and the learner's own account); and each answer
given, which points at the PlanView holding the words, so the words are kept once."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stagewise import plausible


class ViewsFormVersion(models.TextChoices):
    """Which form the views were given on: the parents' form, the form written for a child, the
    easy-read form, or recorded by staff from paper, a call or a conversation."""

    PARENT = "parent", _("Parents' and carers' form")
    CHILD = "child", _("Form for the child or young person")
    EASY_READ = "easy_read", _("Easy-read form")
    RECORDED_BY_STAFF = "staff", _("Recorded by staff")


class ViewsChannel(models.TextChoices):
    PORTAL = "portal", _("Through Stagewise")
    PAPER = "paper", _("On a paper form")
    TELEPHONE = "telephone", _("By telephone")
    IN_PERSON = "in_person", _("In person")


class ViewsQuestion(models.TextChoices):
    """The four questions every version asks, each in its own words (review_views_forms)."""

    GOING_WELL = "going_well", _("What is going well")
    WORRIES = "worries", _("What is worrying")
    CHANGE = "change", _("What should change")
    ANYTHING_ELSE = "anything_else", _("Anything else")


class ReviewViewsInvitation(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(
        "planning.Plan", on_delete=models.CASCADE, related_name="views_invitations"
    )
    # Kept beside the plan so the family's pages and the access checks reach it in one step.
    learner = models.ForeignKey(
        "learners.Learner", on_delete=models.CASCADE, related_name="review_views_invitations"
    )
    # The review the views are for: the plan's next review date when the family were asked.
    review_due_on = plausible.DateField(_("review due on"), within=plausible.PLANNED)
    invited_at = models.DateTimeField(auto_now_add=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    invited_by_label = models.CharField(_("invited by"), max_length=300)
    # Staff may ask again: those who have not answered are reminded (once a day at most).
    reminded_on = models.DateField(_("asked again on"), null=True, blank=True)
    # Set when the review is recorded: the views are then part of it, and no more are taken.
    review = models.ForeignKey(
        "planning.PlanReview",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="views_invitations",
    )

    class Meta:
        ordering = ["-invited_at", "-pk"]
        verbose_name = _("invitation to give views before a review")
        verbose_name_plural = _("invitations to give views before a review")
        constraints = [
            # One open invitation per plan: the review cycle it belongs to is still to be held.
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(review__isnull=True),
                name="one_open_views_invitation_per_plan",
            )
        ]

    def __str__(self) -> str:
        return f"Views before the review due {self.review_due_on}"

    @property
    def is_open(self) -> bool:
        return self.review_id is None


class ReviewViewsInvitee(models.Model):
    """One person asked: a parent or carer (their Carer record) or the learner themself."""

    invitation = models.ForeignKey(
        ReviewViewsInvitation, on_delete=models.CASCADE, related_name="invitees"
    )
    # planning ViewKind: "parent" or "learner".
    kind = models.CharField(_("whose views"), max_length=10)
    carer = models.ForeignKey(
        "learners.Carer", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The name as it was when they were asked.
    name = models.CharField(_("name"), max_length=200)
    responded_at = models.DateTimeField(_("responded"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "user"], name="one_views_invitee_per_person"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ReviewViewsAnswer(models.Model):
    """One question answered. The words are the PlanView's, kept exactly as typed; this row says
    which question, on which form, given how and by whom, for which review."""

    invitation = models.ForeignKey(
        ReviewViewsInvitation, on_delete=models.CASCADE, related_name="answers"
    )
    # Whose invitation it answers; empty when staff recorded the views of someone not invited
    # (a carer without an account, a child without one).
    invitee = models.ForeignKey(
        ReviewViewsInvitee,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="answers",
    )
    # Everyone's answers given together share this, so a page shows them as one response.
    response_id = models.UUIDField(default=uuid.uuid4, editable=False)
    question = models.CharField(_("question"), max_length=20, choices=ViewsQuestion.choices)
    form_version = models.CharField(_("form used"), max_length=10, choices=ViewsFormVersion.choices)
    channel = models.CharField(_("how given"), max_length=10, choices=ViewsChannel.choices)
    plan_view = models.OneToOneField(
        "planning.PlanView", on_delete=models.CASCADE, related_name="review_answer"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_question_display()} ({self.get_form_version_display()})"

    @property
    def question_as_asked(self) -> str:
        """The question in the words of the form it was answered on."""
        from stagewise.families.review_views_forms import QUESTIONS  # the forms import the models

        label, _hint = QUESTIONS[self.form_version][self.question]
        return str(label)
