"""Consistency figures: how many learners of each needs profile are at each national stage and
under each type of plan, per school, authority and nation and school year (ADR 0048). Written only
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


class Grouping(models.TextChoices):
    """What a row counts learners by. The collapsed rows are sums of the profile rows, written
    by the refresh so that the report never adds up thousands of rows per page (ADR 0048)."""

    # Reasons, both bands, stage, plan type, looked after, needs.
    PROFILE = "profile", _("Needs profile, stage and plan")
    # Plan type, looked after and needs only: the statutory plans table.
    PLANS = "plans", _("Plan type")
    # Reasons and needs only: the profiles offered, the commonest first.
    REASON_SETS = "reason_sets", _("Reasons for support")


class ConsistencyFigure(models.Model):
    level = models.CharField(_("level"), max_length=10, choices=ScopeLevel.choices)
    grouping = models.CharField(
        _("grouping"), max_length=12, choices=Grouping.choices, db_default=Grouping.PROFILE
    )
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
    reasons = models.CharField(_("reasons for support"), max_length=250, blank=True, db_default="")
    wellbeing_band = models.CharField(_("wellbeing"), max_length=30, db_default="")
    attendance_band = models.CharField(_("attendance"), max_length=30, db_default="")
    national_stage = models.CharField(
        _("stage of the national frame"), max_length=20, db_default=""
    )
    plan_type = models.CharField(_("type of plan"), max_length=60, db_default="")
    looked_after = models.BooleanField(_("looked after"), db_default=False)
    additional_support_needs = models.BooleanField(_("additional support needs"), db_default=False)
    learners = models.PositiveIntegerField(_("learners"))
    refreshed_at = models.DateTimeField(_("refreshed at"))

    class Meta:
        verbose_name = _("consistency figure")
        verbose_name_plural = _("consistency figures")
        # The analyst's reads name the nation, the officer's the authority; then the year, the
        # level, the grouping and, for a profile, its reasons.
        indexes = [
            models.Index(
                fields=["nation", "school_year", "level", "grouping", "reasons"],
                name="consistency_in_nation",
            ),
            models.Index(
                fields=["authority", "school_year", "level", "grouping", "reasons"],
                name="consistency_in_authority",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.school_year} [{self.reasons}] {self.national_stage}"
