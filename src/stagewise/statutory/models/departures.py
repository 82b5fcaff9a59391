"""The departure record every decision with decision support keeps (ADR 0047): whether the decision
departs from the suggestion shown, and why. Plain fields, so that the consistency report counts
departures and reads their reasons without recomputing anything; database defaults, so that rows
written in bulk (the synthetic population) read as decided without decision support."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from stagewise import plausible


class DepartureFromSuggestion(models.Model):
    departs_from_suggestion = models.BooleanField(
        _("departs from the suggestion"), default=False, db_default=False
    )
    departure_reason = plausible.TextField(
        _("reason for departing from the suggestion"),
        max_length=5_000,
        blank=True,
        default="",
        db_default="",
    )

    class Meta:
        abstract = True
