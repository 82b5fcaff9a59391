"""The refresh's working tables (measurement/refresh.py): rebuilt per school year, read by nothing
else. Never shown to anyone and never exported; they hold no names, only keys and codes.

LearnerYear: one row per learner per school year, the learner's place in the year's figures: the
school they count at (the enrolment in force at the end of the period, see refresh_roll.py) and
the breakdown values they count under, each as the code a SummaryFigure carries.
LearnerYearReason: the reasons for support a learner counts under that year (one row each).
LearnerYearContribution: what one learner adds to one measure's numerator and denominator.
MeasureRefresh: per school year, when its figures were last refreshed and the fingerprint of the
source rows they were worked out from (what the incremental refresh compares).

Their foreign keys have no database constraint and no cascade: the rows live only inside the
refresh's transaction, which writes them from rows that exist and deletes them before it
commits, each table in one DELETE (no collector walking a million rows, and no deferred
constraint checks queued for every row to run at the commit). On PostgreSQL the three working
tables are unlogged (migration 0014): rows that never outlive a transaction need no write-ahead
log, and a crash, after which PostgreSQL empties them, loses nothing.
"""

from django.db import models

from stagewise.learners.models import Learner
from stagewise.measurement.models.framework import Measure
from stagewise.organisations.models import Setting


class LearnerYear(models.Model):
    school_year = models.PositiveSmallIntegerField()
    learner = models.ForeignKey(
        Learner,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # led by the unique (school_year, learner)
        related_name="measured_years",
    )
    setting = models.ForeignKey(
        Setting, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    additional_support_needs = models.BooleanField()
    year_group = models.CharField(max_length=5)
    sex = models.CharField(max_length=10)
    deprivation_decile = models.CharField(max_length=10)
    looked_after = models.CharField(max_length=3)
    home_language = models.CharField(max_length=10)
    language_medium = models.CharField(max_length=20)
    national_stage = models.CharField(max_length=20)
    # The type of the learner's plan in force in the year (refresh_roll.py), "no_plan" without.
    plan_type = models.CharField(max_length=60, default="")
    # For the consistency report's profiles (refresh_consistency.py), found for every learner at
    # once as the roll is written: the codes of the reasons for support in force at the end of
    # the period, sorted and separated by spaces ("" without), and the score of the latest
    # wellbeing assessment in the period (null without one, or one without ratings).
    reasons_key = models.CharField(max_length=250, default="")
    wellbeing_score = models.FloatField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school_year", "learner"], name="one_learner_year_per_learner"
            )
        ]
        indexes = [models.Index(fields=["school_year", "setting"])]

    def __str__(self) -> str:
        return f"{self.learner_id} in {self.school_year}"


class LearnerYearReason(models.Model):
    school_year = models.PositiveSmallIntegerField()
    learner_year = models.ForeignKey(
        LearnerYear, on_delete=models.DO_NOTHING, db_constraint=False, related_name="reasons"
    )
    code = models.CharField(max_length=10)

    class Meta:
        indexes = [models.Index(fields=["school_year"])]

    def __str__(self) -> str:
        return f"{self.learner_year_id}: {self.code}"


class LearnerYearContribution(models.Model):
    school_year = models.PositiveSmallIntegerField()
    learner_year = models.ForeignKey(
        LearnerYear,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="contributions",
    )
    measure = models.ForeignKey(
        Measure, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    numerator = models.DecimalField(max_digits=18, decimal_places=2)
    denominator = models.DecimalField(max_digits=18, decimal_places=2)

    class Meta:
        indexes = [models.Index(fields=["school_year", "measure"])]

    def __str__(self) -> str:
        return f"{self.learner_year_id}: {self.measure_id}"


class MeasureRefresh(models.Model):
    school_year = models.PositiveSmallIntegerField(unique=True)
    fingerprint = models.TextField()
    refreshed_at = models.DateTimeField()

    class Meta:
        ordering = ["school_year"]

    def __str__(self) -> str:
        return f"{self.school_year} refreshed {self.refreshed_at}"
