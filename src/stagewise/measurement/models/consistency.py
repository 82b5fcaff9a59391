"""Consistency figures: how many learners of each needs profile are at each national stage and
under each type of plan, per school, authority and nation and school year (ADR 0046). Written only
by the refresh task (measurement/refresh_consistency.py) from the year's roll; read only by the
consistency report (measurement/consistency.py). Counts, never a learner.

A needs profile is the learner's reasons for support (all of them, as a set), their wellbeing band
and their attendance band (measurement/profile_bands.py). Looked after and additional support
needs are kept too, for co-ordinated support plans per looked-after child and the share of
learners with needs.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from stagewise.measurement.models.summaries import ScopeLevel
from stagewise.organisations.models import LocalAuthority, Nation, Setting


class ConsistencyFigure(models.Model):
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
    # The learner's reasons for support in force at the end of the period: their codes, sorted,
    # separated by spaces ("11 26"); empty for a learner with none.
    reasons = models.CharField(_("reasons for support"), max_length=250, blank=True)
    wellbeing_band = models.CharField(_("wellbeing"), max_length=30)
    attendance_band = models.CharField(_("attendance"), max_length=30)
    national_stage = models.CharField(_("stage of the national frame"), max_length=20)
    plan_type = models.CharField(_("type of plan"), max_length=60)
    looked_after = models.BooleanField(_("looked after"))
    additional_support_needs = models.BooleanField(_("additional support needs"))
    learners = models.PositiveIntegerField(_("learners"))
    refreshed_at = models.DateTimeField(_("refreshed at"))

    class Meta:
        verbose_name = _("consistency figure")
        verbose_name_plural = _("consistency figures")
        # Every read names the year, the level and the nation, and the authority for its schools.
        indexes = [
            models.Index(
                fields=["school_year", "level", "nation", "authority"],
                name="consistency_by_scope",
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.school_year} [{self.reasons}] {self.national_stage}"
