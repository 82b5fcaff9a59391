"""Threshold descriptors as data (ADR 0045): what indicates each stage of the national frame, in a
nation's words, and what indicates each of an authority's local stages, in the authority's own
words, every local descriptor mapped onto a national one of the same national stage."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from stagewise import plausible
from stagewise.organisations.models import LocalAuthority, Nation
from stagewise.statutory.models.rules import LocalStage, NationalStage


class ThresholdDimension(models.TextChoices):
    """The five things a threshold descriptor speaks to (issue 16, item 1)."""

    NEEDS = "needs", _("Kind and impact of needs")
    TRIED_AT_STAGE_BELOW = (
        "tried_at_stage_below",
        _("What has been tried at the stage below, and for how long"),
    )
    SUPPORT_REQUIRED = "support_required", _("Support required")
    AGENCIES_INVOLVED = "agencies_involved", _("Agencies involved")
    EXPECTED_DURATION = "expected_duration", _("Expected duration")


class Worded(models.Model):
    """Wording in English, and in Welsh where written; Welsh readers see the English otherwise."""

    wording = plausible.TextField(_("wording"), max_length=2000)
    wording_cy = plausible.TextField(_("wording in Welsh"), max_length=2000, blank=True)
    source = plausible.CharField(_("source"), max_length=400)
    version = plausible.CharField(_("version"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        abstract = True

    @property
    def shows_welsh(self) -> bool:
        return bool(self.wording_cy) and (get_language() or "").startswith("cy")

    @property
    def display_wording(self) -> str:
        return self.wording_cy if self.shows_welsh else self.wording

    @property
    def wording_language(self) -> str:
        """The language the displayed wording is in, for a `lang` attribute."""
        return "cy" if self.shows_welsh else "en"


class NationalThresholdDescriptor(Worded):
    """One thing that indicates a national stage, in the nation's shared words."""

    key = models.SlugField(_("key"), max_length=100, unique=True)
    nation = models.ForeignKey(
        Nation, on_delete=models.PROTECT, related_name="threshold_descriptors"
    )
    national_stage = models.CharField(
        _("national stage"), max_length=20, choices=NationalStage.choices
    )
    dimension = models.CharField(_("dimension"), max_length=30, choices=ThresholdDimension.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["nation__name", "national_stage", "dimension", "order"]
        verbose_name = _("national threshold descriptor")
        verbose_name_plural = _("national threshold descriptors")

    def __str__(self) -> str:
        return (
            f"{self.nation} {NationalStage(self.national_stage).label}: "
            f"{ThresholdDimension(self.dimension).label} ({self.key})"
        )

    def clean(self) -> None:
        if not self.wording_cy:
            raise ValidationError(
                {"wording_cy": _("Give the national wording in Welsh as well as English.")},
                code="wording_cy",
            )
        if self.pk is None:
            return
        stored = type(self)._base_manager.filter(pk=self.pk).first()
        moved = stored is not None and (
            stored.national_stage != self.national_stage or stored.nation_id != self.nation_id
        )
        if moved and stored.local_descriptors.exists():  # type: ignore[union-attr]
            raise ValidationError(
                _(
                    "Local descriptors map onto this descriptor, so its nation and national stage "
                    "cannot change: add a new descriptor instead."
                ),
                code="descriptor_in_use",
            )


class LocalThresholdDescriptor(Worded):
    """One thing that indicates an authority's local stage, in the authority's own words, mapped
    onto the national descriptor it corresponds to."""

    authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="threshold_descriptors"
    )
    # Protected: a stage with descriptors is removed only after its descriptors, each of which
    # is checked so that no national stage is left without one (statutory/thresholds.py).
    local_stage = models.ForeignKey(
        LocalStage,
        on_delete=models.PROTECT,
        related_name="threshold_descriptors",
        verbose_name=_("local stage"),
    )
    national_descriptor = models.ForeignKey(
        NationalThresholdDescriptor,
        on_delete=models.PROTECT,
        related_name="local_descriptors",
        verbose_name=_("national descriptor it maps onto"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["authority__name", "local_stage__order", "order"]
        verbose_name = _("local threshold descriptor")
        verbose_name_plural = _("local threshold descriptors")

    def __str__(self) -> str:
        return f"{self.authority}, {self.local_stage.label}: {self.wording[:60]}"

    def clean(self) -> None:
        from stagewise.statutory.thresholds import local_descriptor_problems

        problems = local_descriptor_problems(self)
        if problems:
            raise ValidationError(problems)


class StageSuggestionRule(models.Model):
    """How many of a national stage's descriptors must be evidenced, its needs descriptor among
    them, for decision support to suggest the stage (ADR 0047). A professional judgement about
    the descriptors, not a statutory rule, so it is data a nation can correct with its source
    and version, never a constant in code."""

    nation = models.ForeignKey(Nation, on_delete=models.PROTECT, related_name="+")
    national_stage = models.CharField(
        _("national stage"), max_length=20, choices=NationalStage.choices
    )
    descriptors_needed = models.PositiveSmallIntegerField(
        _("descriptors that must be evidenced"),
        help_text=_("Including the needs descriptor, which must always be one of them."),
    )
    source = plausible.CharField(_("source"), max_length=400)
    version = plausible.CharField(_("version"), max_length=40)

    history = HistoricalRecords()

    class Meta:
        ordering = ["nation__name", "national_stage"]
        verbose_name = _("stage suggestion rule")
        verbose_name_plural = _("stage suggestion rules")
        constraints = [
            models.UniqueConstraint(
                fields=["nation", "national_stage"], name="stage_suggestion_rule_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.nation} {NationalStage(self.national_stage).label}"

    def clean(self) -> None:
        if self.national_stage == NationalStage.UNIVERSAL:
            raise ValidationError(
                {
                    "national_stage": _(
                        "Universal is suggested when no other stage is: choose targeted or "
                        "specialist."
                    )
                },
                code="universal_has_no_rule",
            )
        most = len(ThresholdDimension)
        if self.descriptors_needed is not None and not 1 <= self.descriptors_needed <= most:
            raise ValidationError(
                {
                    "descriptors_needed": _(
                        "Enter a number from 1 to %(most)d: a stage has %(most)d descriptors."
                    )
                    % {"most": most}
                },
                code="descriptors_needed_range",
            )
