"""A school's stated offer of additional learning provision (Wales): which kinds of need it says it
can meet from its own resources. Decision support reads it to say whether a plan the school keeps
covers what is proposed, or whether the local authority should keep it (ADR 0047)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from stagewise import plausible
from stagewise.organisations.models import Setting
from stagewise.statutory.models.rules import ReasonForSupport


class AdditionalLearningProvisionOffer(models.Model):
    """One kind of need a school says its additional learning provision covers, and how."""

    setting = models.ForeignKey(
        Setting,
        on_delete=models.CASCADE,
        related_name="additional_learning_provision_offers",
        verbose_name=_("school"),
    )
    reason = models.ForeignKey(
        ReasonForSupport, on_delete=models.PROTECT, related_name="+", verbose_name=_("need type")
    )
    provision = plausible.TextField(_("provision offered"), max_length=2000)
    provision_cy = plausible.TextField(
        _("provision offered, in Welsh"), max_length=2000, blank=True
    )
    source = plausible.CharField(_("source"), max_length=400)
    version = plausible.CharField(_("version"), max_length=40)

    history = HistoricalRecords()

    class Meta:
        ordering = ["setting__name", "reason__code"]
        verbose_name = _("additional learning provision offer")
        verbose_name_plural = _("additional learning provision offers")
        constraints = [
            models.UniqueConstraint(fields=["setting", "reason"], name="alp_offer_once_per_need")
        ]

    def __str__(self) -> str:
        return f"{self.setting}: {self.reason}"

    @property
    def display_provision(self) -> str:
        if self.provision_cy and (get_language() or "").startswith("cy"):
            return self.provision_cy
        return self.provision

    def clean(self) -> None:
        if self.setting_id and self.reason_id:
            nation_id = Setting.objects.filter(pk=self.setting_id).values_list(
                "authority__nation_id", flat=True
            )[0]
            if ReasonForSupport.objects.get(pk=self.reason_id).nation_id != nation_id:
                raise ValidationError(
                    {"reason": _("Choose a need type used in the school's nation.")}
                )
