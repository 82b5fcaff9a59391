"""A family's disagreement about a learner's support, and the steps it has taken along the
routes of its nation (routes.py). What the family said (what it is about, what they want) is
shared with them; the staff notes, on the disagreement and on each step, never are: the
selectors cut them out of what a family receives."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stagewise import plausible
from stagewise.learners.models import Learner
from stagewise.organisations.models import Nation


class RaisedFor(models.TextChoices):
    """Whose disagreement it is: the parent's or carer's, or the young person's own."""

    PARENT = "parent", _("A parent or carer")
    YOUNG_PERSON = "young_person", _("The young person")


class Disagreement(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="disagreements")
    # The nation whose routes it follows: the learner's authority's when it was raised.
    nation = models.ForeignKey(Nation, on_delete=models.PROTECT, related_name="+")
    raised_for = models.CharField(_("whose disagreement"), max_length=20, choices=RaisedFor)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # The role the person who recorded it acted in (a parent, or staff on the family's behalf).
    raised_by_role = models.CharField(_("recorded by, acting as"), max_length=40, blank=True)
    subject = models.CharField(_("what it is about"), max_length=60)
    about = plausible.TextField(_("what the disagreement is about"), max_length=3_000)
    family_wants = plausible.TextField(_("what the family wants"), max_length=3_000)
    opened_on = plausible.DateField(_("date raised"), within=plausible.HAPPENED)
    current_route = models.CharField(_("current route"), max_length=60)
    staff_notes = plausible.TextField(_("staff notes"), max_length=3_000, blank=True)
    outcome = plausible.TextField(_("outcome"), max_length=3_000, blank=True)
    closed_on = models.DateField(_("date closed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = _("disagreement")
        verbose_name_plural = _("disagreements")
        indexes = [
            models.Index(fields=["closed_on", "current_route"]),
            # The open list, oldest first, by cursor (disagreements/selectors.py).
            models.Index(
                fields=["opened_on", "id"],
                condition=models.Q(closed_on__isnull=True),
                name="disagreement_open_oldest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} ({self.opened_on})"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class DisagreementStep(models.Model):
    """One route the disagreement took: when it entered it, the route's own date if the rules
    give one, and how that step ended."""

    disagreement = models.ForeignKey(Disagreement, on_delete=models.CASCADE, related_name="steps")
    route = models.CharField(_("route"), max_length=60)
    entered_on = models.DateField(_("date entered"))
    # When the route itself should be done (an adjudicator's decision, an authority's answer).
    deadline = models.DateField(_("due by"), null=True, blank=True)
    deadline_problem = models.CharField(max_length=300, blank=True)
    ended_on = models.DateField(_("date ended"), null=True, blank=True)
    outcome = plausible.TextField(_("outcome of this step"), max_length=3_000, blank=True)
    staff_note = plausible.TextField(_("staff note"), max_length=3_000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["disagreement", "entered_on", "pk"]
        verbose_name = _("step of a disagreement")
        verbose_name_plural = _("steps of disagreements")

    def __str__(self) -> str:
        return f"{self.route} ({self.entered_on})"
