"""Retention schedules as data, and the daily report of what is due for review under them.

A schedule says, for one record type of the registry (data_protection/registry.py), how long its
records are kept after the learner leaves or after the record closes, and on what basis (a note
citing the source). Nothing is deleted: the daily task (data_protection/retention.py) lists what
has passed its period for the data protection officer to review (ADR 0033).
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from stagewise.learners.models import Learner
from stagewise.organisations.models import LocalAuthority


class RetentionStart(models.TextChoices):
    LEARNER_LEFT = "learner_left", _("after the learner leaves")
    RECORD_CLOSED = "record_closed", _("after the record closes")


class RetentionSchedule(models.Model):
    record_type = models.CharField(_("record type"), max_length=100, unique=True)
    kept_for_years = models.PositiveSmallIntegerField(
        _("kept for (years)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    counted_from = models.CharField(
        _("counted from"), max_length=20, choices=RetentionStart.choices
    )
    # The legal basis or source of the period, and anything a reviewer should know.
    basis = models.TextField(_("basis and source"), max_length=2000)

    history = HistoricalRecords()

    class Meta:
        ordering = ["record_type"]
        verbose_name = _("retention schedule")
        verbose_name_plural = _("retention schedules")

    def __str__(self) -> str:
        return f"{self.record_type}: {self.kept_for_years} {self.get_counted_from_display()}"


class RetentionDue(models.Model):
    """One learner's records of one type past their retention period, as the daily task found
    them; the whole report is replaced each day."""

    reported_on = models.DateField(_("reported on"))
    authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="+")
    schedule = models.ForeignKey(RetentionSchedule, on_delete=models.CASCADE, related_name="due")
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="+")
    records = models.PositiveIntegerField(_("records"))
    # The day the earliest of them passed its period.
    due_since = models.DateField(_("due for review since"))

    class Meta:
        ordering = ["due_since", "pk"]
        verbose_name = _("record due for retention review")
        verbose_name_plural = _("records due for retention review")
        indexes = [
            models.Index(fields=["authority", "schedule"]),
            # The review list, longest due first, by cursor (data_protection/selectors.py).
            models.Index(
                fields=["authority", "due_since", "learner", "id"], name="retention_due_oldest"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.schedule_id} {self.learner_id}: {self.records} due since {self.due_since}"
