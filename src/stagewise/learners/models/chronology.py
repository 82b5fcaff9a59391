"""Significant events in a learner's life and learning, in date order."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stagewise import plausible
from stagewise.learners.models.record import Learner, written_for_setting_field


class ChronologyEntryType(models.TextChoices):
    ATTENDANCE = "attendance", _("Attendance")
    EDUCATION = "education", _("Education")
    HEALTH = "health", _("Health")
    FAMILY = "family", _("Family circumstances")
    SOCIAL_WORK = "social_work", _("Social work")
    WELLBEING = "wellbeing", _("Wellbeing")
    MEETING = "meeting", _("Meeting")
    TRANSITION = "transition", _("Transition")
    OTHER = "other", _("Other")


class ChronologyEntry(models.Model):
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="chronology")
    entry_type = models.CharField(_("type"), max_length=20, choices=ChronologyEntryType.choices)
    occurred_on = plausible.DateField(_("date"), within=plausible.HAPPENED)
    # A chronology is a brief factual summary; the detail lives in the source it names.
    summary = plausible.TextField(_("what happened"), max_length=3_000)
    source = plausible.CharField(
        _("source"), max_length=200, help_text=_("Who told us, or where it is recorded.")
    )
    # Restricted entries are shown only to support-for-learning leads and above.
    restricted = models.BooleanField(_("restricted"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_by_label = models.CharField(_("recorded by"), max_length=200, blank=True)
    recorded_for_setting = written_for_setting_field()
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = _("chronology entry")
        verbose_name_plural = _("chronology entries")
        indexes = [models.Index(fields=["learner", "-occurred_on"])]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.get_entry_type_display()}"
