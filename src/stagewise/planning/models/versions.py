"""Finalised versions, communication of the plan, the family's response and reviews."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stagewise import plausible
from stagewise.learners.models.record import written_for_setting_field
from stagewise.planning.models.plans import Plan, Target


class PlanVersion(models.Model):
    """An immutable copy of the plan as signed off; the printed plan is made from this."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    document = models.JSONField(_("plan as finalised"))
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    finalised_by_label = models.CharField(_("signed off by"), max_length=200)
    finalised_role = models.CharField(_("in the role of"), max_length=40)
    finalised_at = models.DateTimeField(_("signed off at"))
    # The school the signer acted for: what lets the school a learner has left read, for a
    # while, the plans it agreed (planning/agreed_here.py, ADR 0020). Empty for an authority's
    # or an agency's sign-off, and for versions signed before it was kept.
    finalised_for_setting = written_for_setting_field()
    # The plan's staff-only notes as they stood at sign-off. Outside the document, so never in
    # a family's copy or a printed plan; kept so what the school knew then is not confused with
    # notes written since (by the new school, say).
    # A copy of the plan's own notes (plausible to the same length) as they stood at sign-off.
    staff_notes = plausible.TextField(
        _("staff-only notes at sign-off"), max_length=10_000, blank=True
    )

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("A finalised plan version is never changed.")
        super().save(*args, **kwargs)


class RecipientKind(models.TextChoices):
    PARENT = "parent", _("Parent or carer")
    LEARNER = "learner", _("Child or young person")
    STAFF = "staff", _("Member of staff")
    AGENCY = "agency", _("Agency")
    OTHER = "other", _("Someone else")


class CommunicationFormat(models.TextChoices):
    FAMILY_PORTAL = "family_portal", _("Shared in Stagewise")
    PAPER = "paper", _("Paper copy")
    EMAIL = "email", _("Email")
    MEETING = "meeting", _("Talked through at a meeting")
    EASY_READ = "easy_read", _("Easy-read or symbol version")
    LARGE_PRINT = "large_print", _("Large print")
    BRAILLE = "braille", _("Braille")
    TRANSLATED = "translated", _("Translated")


class PlanCommunication(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="communications")
    version_number = models.PositiveIntegerField(_("version"))
    recipient = plausible.CharField(_("who received the plan"), max_length=200)
    recipient_kind = models.CharField(
        _("recipient is"), max_length=10, choices=RecipientKind.choices
    )
    sent_on = plausible.DateField(_("date shared"), within=plausible.HAPPENED)
    format = models.CharField(_("format"), max_length=20, choices=CommunicationFormat.choices)
    language = plausible.CharField(_("language"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sent_on", "pk"]

    def __str__(self) -> str:
        return f"{self.recipient} {self.sent_on}"


class ResponseKind(models.TextChoices):
    ACKNOWLEDGED = "acknowledged", _("I have read the plan")
    AGREED = "agreed", _("I agree with the plan")
    DISAGREED = "disagreed", _("I disagree with the plan")


class PlanResponse(models.Model):
    """A parent's or young person's response to a version of the plan, in their words."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="responses")
    version_number = models.PositiveIntegerField(_("version"))
    responder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    responder_label = models.CharField(_("response from"), max_length=200)
    responder_role = models.CharField(_("role"), max_length=40)
    response = models.CharField(_("response"), max_length=20, choices=ResponseKind.choices)
    # A family's response in their own words: a letter's length.
    words = plausible.TextField(_("in your own words"), max_length=5_000, blank=True)
    responded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["responded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.responder_label}: {self.get_response_display()}"


class PlanResponseRead(models.Model):
    """That one member of staff has read a family's response: a receipt each, so one person
    opening the plan does not take a disagreement off the work queue of everyone else who leads
    it."""

    response = models.ForeignKey(PlanResponse, on_delete=models.CASCADE, related_name="reads")
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "reader"], name="plan_response_read_once")
        ]

    def __str__(self) -> str:
        return f"{self.response_id} read by {self.reader_id}"


class ReviewDecision(models.TextChoices):
    CONTINUE = "continue", _("Continue the plan as it is")
    CHANGE_SUPPORT = "change_support", _("Change the support: revise the plan")
    CHANGE_STAGE = "change_stage", _("Change the stage of intervention")
    OPEN_OTHER_PLAN = "open_other_plan", _("Open another type of plan")
    CLOSE = "close", _("Close the plan")


class PlanReview(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reviews")
    version_number = models.PositiveIntegerField(_("version reviewed"))
    held_on = plausible.DateField(_("date of the review meeting"), within=plausible.HAPPENED)
    # Names and roles of everyone at the meeting: a few lines each for a large meeting.
    attendees = plausible.TextField(_("who attended"), max_length=2_000)
    views_beforehand = plausible.TextField(
        _("views gathered before the meeting"), max_length=10_000, blank=True
    )
    decision = models.CharField(_("decision"), max_length=20, choices=ReviewDecision.choices)
    decision_notes = plausible.TextField(_("what was agreed"), max_length=10_000, blank=True)
    next_review_on = plausible.DateField(
        _("next review"), within=plausible.PLANNED, null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.plan} review {self.held_on}"


class TargetProgress(models.TextChoices):
    ACHIEVED = "achieved", _("Achieved")
    PARTLY_ACHIEVED = "partly_achieved", _("Partly achieved")
    NOT_ACHIEVED = "not_achieved", _("Not achieved")
    NO_LONGER_RELEVANT = "no_longer_relevant", _("No longer relevant")


class TargetReview(models.Model):
    review = models.ForeignKey(PlanReview, on_delete=models.CASCADE, related_name="target_reviews")
    target = models.ForeignKey(Target, on_delete=models.SET_NULL, null=True, related_name="+")
    # The target as worded at the review, so progress still reads if it is later removed. A copy,
    # limited where the target is written (Target.outcome), so not limited again here.
    target_outcome = models.TextField(_("target"))
    progress = models.CharField(_("progress"), max_length=20, choices=TargetProgress.choices)
    # Observations, assessment results and examples of work for one target.
    evidence = plausible.TextField(_("evidence"), max_length=10_000)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.target_outcome}: {self.get_progress_display()}"
