"""Departure figures: how many decisions made in a school year had a suggestion shown by decision
support, how many departed from it, which way and for which kind of reason, per school, authority
and nation (issue 16 item 4; ADR 0048, amended). Written only by the refresh task
(measurement/refresh_departures.py) inside each school year's refresh; read only by the
consistency report. Counts, never a learner, and never the reasons' own words.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from stagewise.measurement.models.summaries import ScopeLevel
from stagewise.organisations.models import LocalAuthority, Nation, Setting


class DecisionKind(models.TextChoices):
    """What was decided: a stage, or the type of plan opened."""

    STAGE = "stage", _("Stage decisions")
    PLAN = "plan", _("Plans opened")


class DepartureDirection(models.TextChoices):
    """Which way a decision departed from the suggestion; blank when it followed it."""

    # Stage decisions: by the stage of the national frame of the stage chosen and suggested.
    HIGHER = "higher", _("A higher national stage")
    LOWER = "lower", _("A lower national stage")
    SAME_NATIONAL_STAGE = "same_national_stage", _("Another local stage, same national stage")
    # Plans: a type of plan other than the one suggested (or one where none was suggested).
    OTHER_PLAN_TYPE = "other_plan_type", _("Another type of plan")


class DepartureFigure(models.Model):
    level = models.CharField(_("level"), max_length=10, choices=ScopeLevel.choices)
    scope = models.CharField(_("scope"), max_length=40)
    # No database constraints, as SummaryFigure's (ADR 0024): only the refresh writes these rows.
    nation = models.ForeignKey(
        Nation, on_delete=models.CASCADE, db_constraint=False, db_index=False, related_name="+"
    )
    authority = models.ForeignKey(
        LocalAuthority,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    setting = models.ForeignKey(
        Setting,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    school_year = models.PositiveSmallIntegerField(_("school year"))
    decision = models.CharField(_("decision"), max_length=10, choices=DecisionKind.choices)
    departs = models.BooleanField(_("departs from the suggestion"))
    direction = models.CharField(
        _("direction"), max_length=30, choices=DepartureDirection.choices, blank=True
    )
    # The kind of reason (statutory.models.DepartureKind); blank when the decision followed the
    # suggestion.
    kind = models.CharField(_("kind of reason"), max_length=30, blank=True)
    decisions = models.PositiveIntegerField(_("decisions"))
    refreshed_at = models.DateTimeField(_("refreshed at"))

    class Meta:
        verbose_name = _("departure figure")
        verbose_name_plural = _("departure figures")
        # The analyst's reads name the nation, the officer's the authority; then the year and
        # the level compared.
        indexes = [
            models.Index(fields=["nation", "school_year", "level"], name="departures_in_nation"),
            models.Index(
                fields=["authority", "school_year", "level"], name="departures_in_authority"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.school_year} {self.decision} {self.direction} {self.kind}"
