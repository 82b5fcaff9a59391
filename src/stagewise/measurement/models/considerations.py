"""Consideration figures: per school, authority and nation and school year, the looked-after
learners on the roll, those the authority considered for a co-ordinated support plan while
looked after, and those among them with the plan (ASL Act 2004 s6(1A); ADR 0049). Written only
by the refresh (measurement/refresh_considerations.py) from the year's roll; read only by the
consistency report. Counts, never a learner; one row per scope and year."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from stagewise.measurement.models.summaries import ScopeLevel
from stagewise.organisations.models import LocalAuthority, Nation, Setting


class ConsiderationFigure(models.Model):
    level = models.CharField(_("level"), max_length=10, choices=ScopeLevel.choices)
    scope = models.CharField(_("scope"), max_length=40)
    # No database constraints, as ConsistencyFigure's: only the refresh writes these rows.
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
    # Looked-after learners on the roll; those considered for a co-ordinated support plan in or
    # before the period, on or after the day they became looked after; and those of them whose
    # plan in force in the year is a co-ordinated support plan.
    looked_after = models.PositiveIntegerField(_("looked after"))
    considered = models.PositiveIntegerField(_("considered"))
    considered_with_plan = models.PositiveIntegerField(_("considered, with a plan"))
    refreshed_at = models.DateTimeField(_("refreshed at"))

    class Meta:
        verbose_name = _("consideration figure")
        verbose_name_plural = _("consideration figures")
        indexes = [
            models.Index(fields=["nation", "school_year", "level"], name="considered_in_nation"),
            models.Index(
                fields=["authority", "school_year", "level"], name="considered_in_authority"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.school_year}: {self.considered}/{self.looked_after}"
