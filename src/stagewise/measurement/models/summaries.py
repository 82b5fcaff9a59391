"""Summary figures: what every dashboard, report and export reads (ARCHITECTURE rule 5).

One row per scope (a school, an authority, a nation), measure, school year, breakdown and value,
and group (learners with additional support needs, or without): the two sums the measure is a
ratio of, and how many learners the figure is about (what disclosure control looks at). Written
only by the refresh task (measurement/refresh.py); never read to decide anything about a learner.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from stagewise.measurement.models.framework import Measure
from stagewise.organisations.models import LocalAuthority, Nation, Setting


class ScopeLevel(models.TextChoices):
    SCHOOL = "school", _("School")
    AUTHORITY = "authority", _("Local authority")
    NATION = "nation", _("Nation")


class Breakdown(models.TextChoices):
    ALL = "all", _("All learners")
    REASON_FOR_SUPPORT = "reason", _("Reason for support")
    NATIONAL_STAGE = "national_stage", _("Stage of the national frame")
    SEX = "sex", _("Sex")
    YEAR_GROUP = "year_group", _("Year group")
    DEPRIVATION_DECILE = "deprivation_decile", _("Deprivation decile")
    LOOKED_AFTER = "looked_after", _("Looked after")
    HOME_LANGUAGE = "home_language", _("Home language")
    WELSH_MEDIUM = "welsh_medium", _("Welsh-medium education")
    PLAN_TYPE = "plan_type", _("Type of plan")


class SummaryFigure(models.Model):
    level = models.CharField(_("level"), max_length=10, choices=ScopeLevel.choices)
    # "school:<setting id>", "authority:<authority id>" or "nation:<nation code>": one key for the
    # scope, so that the unique constraint holds on every database (no NULLs in it).
    scope = models.CharField(_("scope"), max_length=40)
    # No database constraints on the keys: only the refresh writes these rows, from rows that
    # exist, and checking hundreds of thousands of keys at each commit was most of its commit
    # time (ADR 0024). Deleting a school or an authority still deletes its figures (Django's
    # CASCADE). Nor indexes: every dashboard read names the scope, which leads the unique key,
    # and each index more was a random page write per figure in a refresh that writes millions
    # (ADR 0024, second amendment); deleting a school's figures scans, which is rare.
    nation = models.ForeignKey(
        Nation,
        on_delete=models.CASCADE,
        db_constraint=False,
        db_index=False,
        related_name="+",
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
    measure = models.ForeignKey(
        Measure,
        on_delete=models.CASCADE,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    school_year = models.PositiveSmallIntegerField(_("school year"))
    breakdown = models.CharField(_("breakdown"), max_length=20, choices=Breakdown.choices)
    # The breakdown's value as a code (a reason's code, "targeted", "F", "S2", "3", "yes"); empty
    # for all learners.
    breakdown_value = models.CharField(_("value"), max_length=60, blank=True)
    additional_support_needs = models.BooleanField(_("learners with additional support needs"))
    learners = models.PositiveIntegerField(_("learners"))
    numerator = models.DecimalField(_("numerator"), max_digits=18, decimal_places=2)
    denominator = models.DecimalField(_("denominator"), max_digits=18, decimal_places=2)
    refreshed_at = models.DateTimeField(_("refreshed at"))

    class Meta:
        verbose_name = _("summary figure")
        verbose_name_plural = _("summary figures")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "scope",
                    "measure",
                    "school_year",
                    "breakdown",
                    "breakdown_value",
                    "additional_support_needs",
                ],
                name="one_summary_figure_per_cell",
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure.code} {self.school_year} {self.breakdown}={self.breakdown_value}"


def scope_key(
    level: str,
    *,
    setting_id: int | None = None,
    authority_id: int | None = None,
    nation_code: str = "",
) -> str:
    if level == ScopeLevel.SCHOOL:
        return f"school:{setting_id}"
    if level == ScopeLevel.AUTHORITY:
        return f"authority:{authority_id}"
    return f"nation:{nation_code}"
