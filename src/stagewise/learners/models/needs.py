"""A learner's additional support needs and the staged intervention decisions about them."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from stagewise import plausible
from stagewise.learners.models.record import Learner, written_for_setting_field
from stagewise.statutory.models import (
    DepartureFromSuggestion,
    LocalStage,
    NationalStage,
    ReasonForSupport,
)


class FactorGroup(models.TextChoices):
    """The overlapping factor groups behind additional support needs (Code of Practice, ch.2)."""

    LEARNING_ENVIRONMENT = "learning_environment", _("Learning environment")
    FAMILY_CIRCUMSTANCES = "family_circumstances", _("Family circumstances")
    DISABILITY_OR_HEALTH = "disability_or_health", _("Disability or health need")
    SOCIAL_AND_EMOTIONAL = "social_and_emotional", _("Social and emotional factors")


class Disability(models.TextChoices):
    NOT_DISABLED = "", _("Not recorded as disabled")
    ASSESSED = "assessed", _("Assessed as disabled")
    DECLARED = "declared", _("Declared as disabled")


class Need(models.Model):
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="needs")
    reason = models.ForeignKey(ReasonForSupport, on_delete=models.PROTECT, related_name="+")
    factor_groups = models.JSONField(_("factor groups"), default=list, blank=True)
    identified_on = plausible.DateField(_("date identified"), within=plausible.HAPPENED)
    identified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    identified_by_label = models.CharField(_("identified by"), max_length=200, blank=True)
    identified_for_setting = written_for_setting_field()
    # What the need rests on: assessments, observations and reports, summarised.
    evidence = plausible.TextField(_("evidence"), max_length=10_000, blank=True)
    notes = plausible.TextField(_("notes"), max_length=5_000, blank=True)
    disability = models.CharField(
        _("disability"), max_length=10, choices=Disability.choices, default="", blank=True
    )
    resolved_on = plausible.DateField(
        _("date resolved"), within=plausible.HAPPENED, null=True, blank=True
    )

    class Meta:
        ordering = ["resolved_on", "-identified_on", "pk"]
        verbose_name = _("additional support need")
        verbose_name_plural = _("additional support needs")
        indexes = [models.Index(fields=["learner", "resolved_on"])]

    def __str__(self) -> str:
        return str(self.reason)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.resolved_on and self.identified_on and self.resolved_on < self.identified_on:
            errors["resolved_on"] = _(
                "The date resolved must be the same as or after the date identified."
            )
        unknown = set(self.factor_groups or []) - set(FactorGroup.values)
        if unknown:
            errors["factor_groups"] = _("Choose factor groups from the list.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_active(self) -> bool:
        return self.resolved_on is None

    @property
    def factor_group_labels(self) -> list[str]:
        return [str(FactorGroup(value).label) for value in self.factor_groups or []]


class StageDecision(DepartureFromSuggestion):
    """A decision to place a learner at a stage of their authority's staged intervention model."""

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="stage_decisions")
    stage = models.ForeignKey(LocalStage, on_delete=models.PROTECT, related_name="+")
    decided_on = plausible.DateField(_("date of decision"), within=plausible.HAPPENED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_by_label = models.CharField(_("decided by"), max_length=200, blank=True)
    decided_for_setting = written_for_setting_field()
    # Why this stage: what the learner needs and what has been tried, in about a page.
    rationale = plausible.TextField(_("rationale"), max_length=5_000)
    next_review_on = plausible.DateField(_("next review"), within=plausible.PLANNED)
    # Decision support (ADR 0047): the suggestion shown when the decision was made; whether the
    # decision departs from it, and why, are the DepartureFromSuggestion fields.
    suggested_national_stage = models.CharField(
        _("suggested national stage"),
        max_length=20,
        choices=NationalStage.choices,
        blank=True,
        default="",
        db_default="",
    )
    suggested_stage = models.ForeignKey(
        LocalStage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("suggested stage"),
    )

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("stage decision")
        verbose_name_plural = _("stage decisions")
        indexes = [
            models.Index(fields=["learner", "-decided_on", "-id"]),
            models.Index(fields=["next_review_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.stage} ({self.decided_on})"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.next_review_on and self.decided_on and self.next_review_on <= self.decided_on:
            errors["next_review_on"] = _("The next review must be after the date of the decision.")
        if errors:
            raise ValidationError(errors)
