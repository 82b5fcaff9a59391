"""A young person's decision about what their parents and carers see of their record (ADR 0021).

From 16 the Education Acts give a young person the rights their parents held for them, so what
their parents see is theirs to decide. Each decision is kept: a new one supersedes the last,
none is ever changed or deleted, so the record shows what parents could see on any day.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from stagewise import plausible
from stagewise.learners.models.record import Learner


class ParentPart(models.TextChoices):
    """The parts of the record a parent or carer reads, each of which a young person may keep
    from them. "needs" and "plans" are the values of coordination.RecordPart, so the one door
    (learners/access.py `part=`) names a part the same way for a service and for a parent."""

    NEEDS = "needs", _("Needs and stage of support")
    PLANS = "plans", _("Plans, their reviews, and the views given on them")
    MEETINGS = "meetings", _("Meetings, their minutes and agreed actions")
    REQUESTS = "requests", _("Requests to use the rights, disagreements, and statutory dates")


class ParentSharing(models.TextChoices):
    EVERYTHING = "everything", _("Everything they could see before")
    CHOSEN_PARTS = "chosen_parts", _("Only the parts chosen")
    NOTHING = "nothing", _("Nothing: they cannot see the record at all")


class DecisionGivenBy(models.TextChoices):
    """How the young person made the decision known."""

    IN_STAGEWISE = "in_stagewise", _("By the young person, in Stagewise")
    LETTER = "letter", _("By letter")
    EMAIL = "email", _("By email")
    IN_PERSON = "in_person", _("In person")
    TELEPHONE = "telephone", _("By telephone")


class ParentSharingDecisionQuerySet(models.QuerySet["ParentSharingDecision"]):
    def current(self) -> "ParentSharingDecisionQuerySet":
        """Each learner's decision in force: the latest decided, the latest recorded first."""
        latest = ParentSharingDecision.objects.filter(learner_id=OuterRef("learner_id")).order_by(
            "-decided_on", "-pk"
        )
        return self.filter(pk=Subquery(latest.values("pk")[:1]))


class ParentSharingDecision(models.Model):
    """What a young person aged 16 or over lets their parents and carers see. Without one,
    parents see what the family sees (policy table)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    learner = models.ForeignKey(
        Learner, on_delete=models.CASCADE, related_name="parent_sharing_decisions"
    )
    sharing = models.CharField(
        _("what parents and carers see"), max_length=20, choices=ParentSharing
    )
    # For CHOSEN_PARTS, the ParentPart values parents still see; empty otherwise.
    parts = models.JSONField(_("parts they see"), default=list, blank=True)
    decided_on = plausible.DateField(_("date of the decision"), within=plausible.HAPPENED)
    given_by = models.CharField(
        _("how the young person made it known"), max_length=20, choices=DecisionGivenBy
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ParentSharingDecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_on", "-pk"]
        indexes = [
            models.Index(fields=["learner", "-decided_on", "-id"], name="parent_sharing_latest_idx")
        ]

    def __str__(self) -> str:
        return f"{self.learner}: {self.get_sharing_display()} ({self.decided_on})"

    @property
    def shared_parts(self) -> frozenset[str] | None:
        """The parts parents see under this decision; None: everything."""
        if self.sharing == ParentSharing.EVERYTHING:
            return None
        if self.sharing == ParentSharing.NOTHING:
            return frozenset()
        return frozenset(self.parts)

    @property
    def part_labels(self) -> list[str]:
        return [str(label) for value, label in ParentPart.choices if value in self.parts]
