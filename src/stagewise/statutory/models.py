"""Rules as data: code lists and staged-intervention models, each with its source and version."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from stagewise.organisations.models import LocalAuthority, Nation


class Localised(models.Model):
    label = models.CharField(_("label"), max_length=200)
    label_cy = models.CharField(_("label in Welsh"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        if self.label_cy and (get_language() or "").startswith("cy"):
            return self.label_cy
        return self.label


class ReasonForSupport(Localised):
    """A census reason for support (Scotland) or need type (Wales)."""

    nation = models.ForeignKey(Nation, on_delete=models.PROTECT, related_name="reasons")
    code = models.CharField(_("code"), max_length=10)
    source = models.CharField(_("source"), max_length=400)
    version = models.CharField(_("version"), max_length=40)
    active = models.BooleanField(_("in use"), default=True)

    # Each rule table keeps every version of each row (who, when, what it said): see ADR 0008.
    history = HistoricalRecords()

    class Meta:
        ordering = ["nation__name", "code"]
        verbose_name = _("reason for support")
        verbose_name_plural = _("reasons for support")
        constraints = [
            models.UniqueConstraint(fields=["nation", "code"], name="reason_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.display_label}"


class NationalStage(models.TextChoices):
    """The shared national frame every local stage maps onto (2025 review, requirement 1)."""

    UNIVERSAL = "universal", _("Universal")
    TARGETED = "targeted", _("Targeted")
    SPECIALIST = "specialist", _("Specialist")


NATIONAL_STAGE_ORDER = {
    NationalStage.UNIVERSAL: 1,
    NationalStage.TARGETED: 2,
    NationalStage.SPECIALIST: 3,
}


class StageModel(models.Model):
    key = models.SlugField(_("key"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_cy = models.CharField(_("name in Welsh"), max_length=200, blank=True)
    nation = models.ForeignKey(Nation, on_delete=models.PROTECT, related_name="stage_models")
    source = models.CharField(_("source"), max_length=400)
    version = models.CharField(_("version"), max_length=40)
    # The model used by every authority of its nation that has not mapped its own.
    is_default = models.BooleanField(_("default for the nation"), default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["nation__name", "name"]
        verbose_name = _("staged intervention model")
        verbose_name_plural = _("staged intervention models")

    def __str__(self) -> str:
        if self.name_cy and (get_language() or "").startswith("cy"):
            return self.name_cy
        return self.name


class LocalStage(Localised):
    stage_model = models.ForeignKey(StageModel, on_delete=models.CASCADE, related_name="stages")
    order = models.PositiveSmallIntegerField(_("order"))
    national_stage = models.CharField(
        _("national stage"), max_length=20, choices=NationalStage.choices
    )
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["stage_model", "order"]
        verbose_name = _("local stage")
        verbose_name_plural = _("local stages")
        constraints = [
            models.UniqueConstraint(fields=["stage_model", "order"], name="stage_unique_order")
        ]

    @property
    def national_label(self) -> str:
        return str(NationalStage(self.national_stage).label)


class AuthorityStageModel(models.Model):
    """Which staged intervention model an authority uses."""

    authority = models.OneToOneField(
        LocalAuthority, on_delete=models.CASCADE, related_name="stage_model_choice"
    )
    stage_model = models.ForeignKey(StageModel, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("authority's staged intervention model")
        verbose_name_plural = _("authorities' staged intervention models")

    def __str__(self) -> str:
        return f"{self.authority}: {self.stage_model}"
