"""Additional funding an authority received for additional support for learning, for a school
year, with what it was for and the measures it was meant to change: shown beside those measures
so that the evaluation seed 004 asks for can be made (did the figures move where money went?).
Figures about money, not learners: nothing here names or counts a learner."""

import uuid
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from stagewise import plausible
from stagewise.measurement.models.framework import Measure
from stagewise.measurement.periods import school_year_label
from stagewise.organisations.models import LocalAuthority

# School years funding may be recorded for: a record older than this is history, not evaluation.
EARLIEST_FUNDED_SCHOOL_YEAR = 2015


class FundingAllocation(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, related_name="funding_allocations"
    )
    school_year = models.PositiveSmallIntegerField(
        _("school year"), validators=[MinValueValidator(EARLIEST_FUNDED_SCHOOL_YEAR)]
    )
    amount = models.DecimalField(
        _("amount (£)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1000000000"))],
    )
    source = plausible.CharField(
        _("source of the funding"),
        max_length=200,
        help_text=_("For example, the Scottish Government's additional support for learning fund."),
    )
    purpose = plausible.TextField(_("what it is for"), max_length=2_000)
    measures = models.ManyToManyField(
        Measure, related_name="+", verbose_name=_("measures it is meant to change")
    )
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-school_year", "-amount", "pk"]
        verbose_name = _("additional funding")
        verbose_name_plural = _("additional funding")

    def __str__(self) -> str:
        return f"{self.authority} {self.school_year_label}: £{self.amount}"

    @property
    def school_year_label(self) -> str:
        return school_year_label(self.school_year)
