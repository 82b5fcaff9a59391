"""A learner's move from one school to another, possibly in another authority: the record of
the move itself, and whether the receiving school has read the record it received."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stagewise import plausible
from stagewise.learners.models.record import Learner
from stagewise.organisations.models import Setting


class LearnerMove(models.Model):
    """The sending school's enrolment ended the day before `moved_on` and the receiving
    school's began on it (learners/services/moves.py). Until a leader of the receiving school
    has opened the move, it waits in their work queue (WorkKind.NEW_ARRIVALS)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="moves")
    from_setting = models.ForeignKey(
        Setting, on_delete=models.PROTECT, related_name="moves_out", verbose_name=_("from")
    )
    to_setting = models.ForeignKey(
        Setting, on_delete=models.PROTECT, related_name="moves_in", verbose_name=_("to")
    )
    moved_on = plausible.DateField(_("date of the move"), within=plausible.PLANNED)
    # Why the learner moves, in a few sentences: the record itself travels with them.
    reason = plausible.TextField(_("reason for the move"), max_length=2_000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # The receiving school's leader who opened the move first: the item leaves the queue then.
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-moved_on", "-pk"]
        verbose_name = _("move to another school")
        verbose_name_plural = _("moves to another school")
        indexes = [
            models.Index(
                fields=["to_setting", "moved_on"],
                name="learner_move_arrival_waiting",
                condition=models.Q(acknowledged_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_setting} → {self.to_setting} ({self.moved_on})"


class TransitionKind(models.TextChoices):
    STARTING_NURSERY = "starting_nursery", _("Starting nursery")
    STARTING_SCHOOL = "starting_school", _("Starting school")
    PRIMARY_TO_SECONDARY = "primary_to_secondary", _("Primary to secondary")
    LEAVING_SCHOOL = "leaving_school", _("Leaving school")
    MOVING_SCHOOL = "moving_school", _("Moving school")


class Transition(models.Model):
    """A key transition planned ahead: when, the plan for it, and the family's part. Planning a
    Scottish learner's leaving school starts the two statutory clocks that count back from the
    leaving date (learners/services/moves.transition_plan)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="transitions")
    kind = models.CharField(_("transition"), max_length=30, choices=TransitionKind.choices)
    planned_on = plausible.DateField(_("planned date"), within=plausible.PLANNED)
    # What will happen before and after, who does it, and what support goes with the learner.
    plan = plausible.TextField(_("transition plan"), max_length=10_000)
    # What the family will do, and what they and the learner think, in their words.
    family_part = plausible.TextField(
        _("the family's part and views"), max_length=5_000, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["planned_on", "pk"]
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.planned_on})"
