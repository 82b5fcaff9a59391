"""The national measurement framework as data (RULES.md section 5): each measure with the
principle of inclusion it speaks to, its definition, numerator and denominator, source, version
and nation. Loaded from measurement/data/measures.json by a migration, kept with its history.

Every measure is a ratio of two sums over learners (sessions attended over sessions possible,
exclusions over learners enrolled, reviews on time over reviews due), so that a school's figures
add up to its authority's and an authority's to the nation's, and a summary never has to be
worked out again from the learners' rows to be rolled up.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from stagewise import plausible
from stagewise.organisations.models import Nation


class Principle(models.TextChoices):
    """The four principles of inclusion (2019 mainstreaming guidance)."""

    PRESENT = "present", _("Present")
    PARTICIPATING = "participating", _("Participating")
    ACHIEVING = "achieving", _("Achieving")
    SUPPORTED = "supported", _("Supported")


class MeasureKind(models.TextChoices):
    OUTCOME = "outcome", _("Outcome for learners")
    PROCESS = "process", _("How support is planned and delivered")
    IMPACT = "impact", _("Impact of support on learners with a plan")
    VOICE = "voice", _("Learners' and families' own view")


class Unit(models.TextChoices):
    PERCENTAGE = "percentage", _("Percentage")
    PER_THOUSAND = "per_thousand", _("Per 1,000 learners")
    AVERAGE = "average", _("Average")


class Measure(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    # None: the measure is the same in both nations.
    nation = models.ForeignKey(
        Nation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    principle = models.CharField(_("principle"), max_length=20, choices=Principle.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=MeasureKind.choices)
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices)
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    name = plausible.CharField(_("name"), max_length=200)
    name_cy = plausible.CharField(_("name in Welsh"), max_length=200)
    definition = plausible.TextField(_("definition"), max_length=2_000)
    definition_cy = plausible.TextField(_("definition in Welsh"), max_length=2_000)
    numerator = plausible.CharField(_("numerator"), max_length=300)
    numerator_cy = plausible.CharField(_("numerator in Welsh"), max_length=300)
    denominator = plausible.CharField(_("denominator"), max_length=300)
    denominator_cy = plausible.CharField(_("denominator in Welsh"), max_length=300)
    source = plausible.CharField(_("source"), max_length=400)
    version = plausible.CharField(_("version"), max_length=40)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")

    def __str__(self) -> str:
        return self.display_name

    def _localised(self, english: str, welsh: str) -> str:
        return welsh if welsh and (get_language() or "").startswith("cy") else english

    @property
    def display_name(self) -> str:
        return self._localised(self.name, self.name_cy)

    @property
    def display_definition(self) -> str:
        return self._localised(self.definition, self.definition_cy)

    @property
    def display_numerator(self) -> str:
        return self._localised(self.numerator, self.numerator_cy)

    @property
    def display_denominator(self) -> str:
        return self._localised(self.denominator, self.denominator_cy)
