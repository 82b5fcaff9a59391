"""The refresh's working tables (measurement/refresh.py): rebuilt per school year, read by nothing
else. Never shown to anyone and never exported; they hold no names, only keys and codes.

LearnerYear: one row per learner per school year, the learner's place in the year's figures: the
school they count at (the enrolment in force at the end of the period, see refresh_roll.py) and
the breakdown values they count under, each as the code a SummaryFigure carries.
LearnerYearReason: the reasons for support a learner counts under that year (one row each).
LearnerYearContribution: what one learner adds to one measure's numerator and denominator.
MeasureRefresh: per school year, when its figures were last refreshed and the fingerprint of the
source rows they were worked out from (what the incremental refresh compares).

The child rows point at their LearnerYear without a cascade (DO_NOTHING): the refresh deletes
them first, each table in one statement, so that deleting a year is three DELETEs, not a
collector walking a million rows.
"""

from django.db import models

from stagewise.learners.models import Learner
from stagewise.measurement.models.framework import Measure
from stagewise.organisations.models import Setting


class LearnerYear(models.Model):
    school_year = models.PositiveSmallIntegerField()
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="measured_years")
    setting = models.ForeignKey(Setting, on_delete=models.CASCADE, related_name="+")
    additional_support_needs = models.BooleanField()
    year_group = models.CharField(max_length=5)
    sex = models.CharField(max_length=10)
    deprivation_decile = models.CharField(max_length=10)
    looked_after = models.CharField(max_length=3)
    home_language = models.CharField(max_length=10)
    language_medium = models.CharField(max_length=20)
    national_stage = models.CharField(max_length=20)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school_year", "learner"], name="one_learner_year_per_learner"
            )
        ]
        indexes = [models.Index(fields=["school_year", "setting"])]


class LearnerYearReason(models.Model):
    school_year = models.PositiveSmallIntegerField()
    learner_year = models.ForeignKey(
        LearnerYear, on_delete=models.DO_NOTHING, related_name="reasons"
    )
    code = models.CharField(max_length=10)

    class Meta:
        indexes = [models.Index(fields=["school_year"])]


class LearnerYearContribution(models.Model):
    school_year = models.PositiveSmallIntegerField()
    learner_year = models.ForeignKey(
        LearnerYear, on_delete=models.DO_NOTHING, related_name="contributions"
    )
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="+")
    numerator = models.DecimalField(max_digits=18, decimal_places=2)
    denominator = models.DecimalField(max_digits=18, decimal_places=2)

    class Meta:
        indexes = [models.Index(fields=["school_year", "measure"])]


class MeasureRefresh(models.Model):
    school_year = models.PositiveSmallIntegerField(unique=True)
    fingerprint = models.TextField()
    refreshed_at = models.DateTimeField()

    class Meta:
        ordering = ["school_year"]
