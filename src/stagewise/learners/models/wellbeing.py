"""GIRFEC wellbeing assessments against the eight SHANARRI indicators."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stagewise import plausible
from stagewise.learners.models.record import Learner


class WellbeingIndicator(models.TextChoices):
    """Children and Young People (Scotland) Act 2014 s96(2), in the order of the wheel."""

    SAFE = "safe", _("Safe")
    HEALTHY = "healthy", _("Healthy")
    ACHIEVING = "achieving", _("Achieving")
    NURTURED = "nurtured", _("Nurtured")
    ACTIVE = "active", pgettext_lazy("wellbeing indicator", "Active")
    RESPECTED = "respected", _("Respected")
    RESPONSIBLE = "responsible", _("Responsible")
    INCLUDED = "included", _("Included")


class WellbeingLevel(models.TextChoices):
    STRENGTH = "strength", _("Strength")
    NO_CONCERN = "no_concern", _("No concern")
    SOME_CONCERN = "some_concern", _("Some concern")
    SIGNIFICANT_CONCERN = "significant_concern", _("Significant concern")


# Higher is better, for comparing one assessment with the last.
LEVEL_SCORE = {
    WellbeingLevel.SIGNIFICANT_CONCERN: 0,
    WellbeingLevel.SOME_CONCERN: 1,
    WellbeingLevel.NO_CONCERN: 2,
    WellbeingLevel.STRENGTH: 3,
}


class WellbeingAssessment(models.Model):
    learner = models.ForeignKey(
        Learner, on_delete=models.CASCADE, related_name="wellbeing_assessments"
    )
    assessed_on = plausible.DateField(_("date of assessment"), within=plausible.HAPPENED)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    assessed_by_label = models.CharField(_("assessed by"), max_length=200, blank=True)
    summary = plausible.TextField(_("summary"), max_length=5_000, blank=True)

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        verbose_name = _("wellbeing assessment")
        verbose_name_plural = _("wellbeing assessments")

    def __str__(self) -> str:
        return f"{self.assessed_on}"


class WellbeingRating(models.Model):
    assessment = models.ForeignKey(
        WellbeingAssessment, on_delete=models.CASCADE, related_name="ratings"
    )
    indicator = models.CharField(_("indicator"), max_length=20, choices=WellbeingIndicator.choices)
    level = models.CharField(_("level"), max_length=30, choices=WellbeingLevel.choices)
    # One indicator of eight: a short paragraph.
    note = plausible.TextField(_("note"), max_length=2_000, blank=True)

    class Meta:
        ordering = ["assessment", "pk"]
        verbose_name = _("wellbeing rating")
        verbose_name_plural = _("wellbeing ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator"], name="wellbeing_one_rating_per_indicator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()}: {self.get_level_display()}"

    def field_label(self, name: str) -> str | None:
        """A note is named by its indicator in messages: "Note on Safe"."""
        if name == "note":
            return _("Note on %(indicator)s") % {"indicator": self.get_indicator_display()}
        return None
