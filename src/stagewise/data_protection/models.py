"""Retention schedules as data, and the daily report of what is due for review under them.

A schedule says, for one record type of the registry (data_protection/registry.py), how long its
records are kept after the learner leaves or after the record closes, and on what basis (a note
citing the source). Nothing is deleted: the daily task (data_protection/retention.py) lists what
has passed its period for the data protection officer to review (ADR 0033).
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from stagewise.learners.models import Learner
from stagewise.organisations.models import LocalAuthority


class RetentionStart(models.TextChoices):
    LEARNER_LEFT = "learner_left", _("after the learner leaves")
    RECORD_CLOSED = "record_closed", _("after the record closes")


# The learner's own record, whose erasure takes every other record about them (ADR 0033), and the
# access trail, which is kept apart from it.
LEARNERS_OWN_RECORD = "learners.Learner"
OUTLIVES_THE_LEARNER = "audit.AuditEvent"


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

    def clean(self) -> None:
        """No record about a learner may be kept longer than the learner's own record: erasing
        the learner (ADR 0033) deletes everything held about them at once, so a longer period
        would be cut short without anyone deciding it. The access trail is apart: its events
        outlive the learner under a key that leads to no one, and go by whole months."""
        if self.record_type == OUTLIVES_THE_LEARNER or self.kept_for_years is None:
            return
        others = RetentionSchedule.objects.exclude(pk=self.pk).exclude(
            record_type=OUTLIVES_THE_LEARNER
        )
        refusal = None
        if self.record_type == LEARNERS_OWN_RECORD:
            longest = others.order_by("-kept_for_years").first()
            if longest is not None and longest.kept_for_years > self.kept_for_years:
                refusal = _(
                    "Keep the learner's own record for at least %(years)s years: %(record_type)s "
                    "is kept that long, and erasing the learner deletes it too."
                ) % {"years": longest.kept_for_years, "record_type": longest.record_type}
        else:
            own = others.filter(record_type=LEARNERS_OWN_RECORD).first()
            if own is not None and self.kept_for_years > own.kept_for_years:
                refusal = _(
                    "Keep these records for %(years)s years or fewer: the learner's own record "
                    "is kept for %(years)s years, and erasing the learner deletes these too."
                ) % {"years": own.kept_for_years}
        if refusal is not None:
            raise ValidationError({"kept_for_years": refusal})


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
